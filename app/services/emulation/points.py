"""Points (điểm) as the API shows them — decimals with two places — and as they are stored:
whole hundredths, so that sums and rankings are exact integer arithmetic in SQL."""

from decimal import Decimal

_HUNDRED = Decimal(100)


def to_centi(points: Decimal) -> int:
    """12.5 → 1250; the schema has already refused more than two decimal places."""
    return int((points * _HUNDRED).to_integral_value())


def from_centi(centipoints: int | None) -> Decimal | None:
    """1250 → Decimal("12.50")."""
    if centipoints is None:
        return None
    return (Decimal(int(centipoints)) / _HUNDRED).quantize(Decimal("0.01"))
