"""The one clock: aware UTC datetimes everywhere (dates in Việt Nam are `working_days`')."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
