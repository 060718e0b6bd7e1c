"""After the council: decisions (`records`), the centre's answer to state submissions (`state`),
complaints that block decisions (`complaints`), and what nomination views show of all this
(`outcomes`). `guards` holds the checks they share."""
