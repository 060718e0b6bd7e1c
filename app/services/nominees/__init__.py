"""Nominees (đối tượng khen thưởng): the register of collectives and everything recorded about
a person or a collective that the criteria read."""
