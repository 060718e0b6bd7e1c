"""Who may see or do what: small pure rules, applied in services and in every list query."""

from app.errors import Forbidden
from app.services.principal import Principal


def can_manage(principal: Principal) -> bool:
    """Sở Nội vụ manages users, the directory, plans, rounds and award types."""
    return principal.is_noi_vu


def require_manager(principal: Principal) -> None:
    if not can_manage(principal):
        raise Forbidden("Chỉ Sở Nội vụ được thực hiện thao tác này.")
