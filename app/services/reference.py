"""Registers the reference-data loaders that ship with the service."""

from app.services.award_types import load_award_types
from app.services.bootstrap import REFERENCE_LOADERS
from app.services.plans import load_plan_2026

REFERENCE_LOADERS.append(("award_types", load_award_types))

REFERENCE_LOADERS.append(("plan_2026", load_plan_2026))
