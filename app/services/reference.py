"""Registers the reference-data loaders that ship with the service."""

from app.services.bootstrap import REFERENCE_LOADERS
from app.services.plans import load_plan_2026

REFERENCE_LOADERS.append(("plan_2026", load_plan_2026))
