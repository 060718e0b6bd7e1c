"""Start-up data: the first Sở Nội vụ account and the Sơn La reference data.

Each loader is idempotent, so running it on every start (and from several replicas) is safe.
"""

import secrets
from collections.abc import Awaitable, Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.models import User
from app.security import hash_password
from app.services import audit
from app.services.principal import NOI_VU, SYSTEM

ReferenceLoader = Callable[[AsyncSession], Awaitable[list[str]]]

# Features register their reference-data loaders here (award catalogue, the 2026 plan, ...).
REFERENCE_LOADERS: list[tuple[str, ReferenceLoader]] = []


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
    for name, loader in _loaders():
        for line in await loader(session):
            done.append(f"{name}: {line}")
    return done


def _loaders() -> list[tuple[str, ReferenceLoader]]:
    # Imported here so that the registering modules load only when data is loaded.
    import app.services.reference  # noqa: F401

    return REFERENCE_LOADERS
