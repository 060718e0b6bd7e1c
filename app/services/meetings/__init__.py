"""The council at work (Hội đồng TĐKT tỉnh): meetings, agenda, the secret ballot, the count.

Modules: `access` (who sees a meeting, the row lock), `meetings` (schedule, attendance, open on
quorum, views), `agenda` (what may be put to the vote), `ballots` (cast and read back one's
own), `secrecy` (the receipt keys), `tally` (quorum and thresholds, counting in SQL) and
`closing` (close, count, results).
"""
