"""Lịch sử khen thưởng: the awards criteria checks read — recorded by decisions here
(`records`) or imported for past years (`importing`)."""
