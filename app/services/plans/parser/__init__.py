"""Parser of TĐKT plan documents (kế hoạch công tác thi đua, khen thưởng).

Pure: it reads the bytes it is given and touches no database. The seed plan
(`app/data/ke-hoach-tdkt-2026.md`) is the reference input; every doubtful cell becomes a
`ParseWarning` rather than a silent drop.
"""

from .coordinators import detect_group, split_coordinators
from .due import parse_due
from .models import (
    ERROR_CODES,
    GROUP_CODES,
    PERIODS,
    WARNING_CODES,
    Due,
    ParsedCoordinator,
    ParsedPlan,
    ParsedTask,
    ParseWarning,
    PlanParseError,
)
from .parser import parse_plan

__all__ = [
    "ERROR_CODES",
    "GROUP_CODES",
    "PERIODS",
    "WARNING_CODES",
    "Due",
    "ParseWarning",
    "ParsedCoordinator",
    "ParsedPlan",
    "ParsedTask",
    "PlanParseError",
    "detect_group",
    "parse_due",
    "parse_plan",
    "split_coordinators",
]
