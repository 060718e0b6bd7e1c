"""Start-up data: the first Sở Nội vụ account and the Sơn La reference data.

Each loader is idempotent, so running it on every start (and from several replicas) is safe.
"""

import secrets
from collections.abc import Awaitable, Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import Settings
from app.core.principal import NOI_VU, SYSTEM
from app.core.security import hash_password
from app.models import User
from app.services import audit
from app.services.award_types import load_award_types
from app.services.plans.importing import load_plan_2026

ReferenceLoader = Callable[[AsyncSession], Awaitable[list[str]]]

# The Sơn La reference data, in the order it loads: the award catalogue, then the 2026 plan.
REFERENCE_LOADERS: tuple[tuple[str, ReferenceLoader], ...] = (
    ("award_types", load_award_types),
    ("plan_2026", load_plan_2026),
)


async def ensure_admin(session: AsyncSession, settings: Settings) -> str | None:
    """Create the first noi_vu account on an empty database; return a generated password."""
    if await session.scalar(select(User.id).limit(1)) is not None:
        return None
    generated = None if settings.admin_password else secrets.token_urlsafe(12)
    user = User(
        username=settings.admin_username.lower(),
        full_name="Quản trị Sở Nội vụ",
        password_hash=hash_password(settings.admin_password or generated),
        role=NOI_VU,
        active=True,
        token_version=1,
    )
    session.add(user)
    await session.flush()
    await audit.record(session, SYSTEM, "user.created", "user", user.id, after={"role": NOI_VU})
    return generated


async def load_reference_data(session: AsyncSession) -> list[str]:
    """Run every registered loader; return what each one did, for the console."""
    done: list[str] = []
    for name, loader in REFERENCE_LOADERS:
        for line in await loader(session):
            done.append(f"{name}: {line}")
    return done
