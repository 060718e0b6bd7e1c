"""Who may be nominated (đối tượng khen thưởng), in one place.

Luật Thi đua, khen thưởng 2022, Điều 2: the law applies to individuals (cá nhân), collectives
(tập thể) and households (hộ gia đình). Models take their CHECK constraints from
`NomineeKind.values()`, schemas use the enum itself, and every branch on a nominee's kind names
a member here rather than a string.
"""

from collections.abc import Iterable

from app.core.statuses import Status


class NomineeKind(Status):
    """Đối tượng được đề nghị khen thưởng."""

    INDIVIDUAL = "individual", "cá nhân"
    COLLECTIVE = "collective", "tập thể"
    HOUSEHOLD = "household", "hộ gia đình"


# Ratings, discipline and initiatives are kept for people and collectives, not for households.
RATED_KINDS = (NomineeKind.INDIVIDUAL.value, NomineeKind.COLLECTIVE.value)
# `award_types.recipient`: a person, a collective, or both; households are a flag beside it.
RECIPIENTS = (*RATED_KINDS, "both")


def accepted_kinds(recipient: str, accepts_households: bool) -> tuple[NomineeKind, ...]:
    """The kinds of nominee an award type with `recipient` (and the household flag) takes."""
    kinds = [k for k in RATED_KINDS if recipient in ("both", k)]
    if accepts_households:
        kinds.append(NomineeKind.HOUSEHOLD)
    return tuple(NomineeKind(k) for k in kinds)


def accepts(recipient: str, accepts_households: bool, kind: str) -> bool:
    """Whether an award type gives its award to a nominee of `kind`."""
    return kind in accepted_kinds(recipient, accepts_households)


def names(kinds: Iterable[str]) -> str:
    """ "cá nhân, tập thể và hộ gia đình" — the kinds as a sentence reads them."""
    labels = [NomineeKind(k).label for k in kinds]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} và {labels[-1]}"
