"""Small typed factories: make exactly what a test needs, nothing more."""

import itertools
from typing import Any

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security import hash_password
from app.core.text import search_text
from app.models import Cluster, ClusterMembership, Council, CouncilMember, Unit, User
from app.services.auth import principal_of

PASSWORD = "correct-horse-battery"
_PASSWORD_HASH = hash_password(PASSWORD)  # argon2 is slow on purpose: hash once per run
_seq = itertools.count(1)


async def make_unit(session: AsyncSession, **overrides: Any) -> Unit:
    n = next(_seq)
    values = {"code": f"U{n:04d}", "name": f"Đơn vị thử {n}", "kind": "department", "aliases": []}
    values.update(overrides)
    unit = Unit(**values, active=True)
    unit.search_text = search_text(unit.code, unit.name, unit.short_name, *unit.aliases)
    session.add(unit)
    await session.flush()
    return unit


async def make_cluster(
    session: AsyncSession,
    *,
    year: int = 2026,
    head: Unit | None = None,
    members: list[Unit] = (),
    **overrides: Any,
) -> Cluster:
    n = next(_seq)
    cluster = Cluster(
        year=year, kind=overrides.get("kind", "khoi"), name=overrides.get("name", f"Khối {n}")
    )
    cluster.search_text = search_text(cluster.name)
    session.add(cluster)
    await session.flush()
    if head is not None:
        session.add(
            ClusterMembership(cluster_id=cluster.id, unit_id=head.id, year=year, role="head")
        )
    for unit in members:
        session.add(ClusterMembership(cluster_id=cluster.id, unit_id=unit.id, year=year))
    await session.flush()
    return cluster


async def make_council(session: AsyncSession, members: int = 0) -> Council:
    council = Council(name="Hội đồng Thi đua - Khen thưởng tỉnh Sơn La", decision_no="01/QĐ-UBND")
    session.add(council)
    await session.flush()
    for i in range(members):
        await make_council_member(session, council, full_name=f"Thành viên {i + 1}")
    return council


async def make_council_member(
    session: AsyncSession, council: Council, **overrides
) -> CouncilMember:
    values = {"full_name": f"Thành viên {next(_seq)}", "council_role": "uy_vien", "active": True}
    values.update(overrides)
    member = CouncilMember(council_id=council.id, **values)
    session.add(member)
    await session.flush()
    return member


async def make_user(session: AsyncSession, role: str = "noi_vu", **overrides: Any) -> User:
    n = next(_seq)
    if role == "unit" and "unit_id" not in overrides:
        overrides["unit_id"] = (await make_unit(session)).id
    if role == "cluster_head" and "cluster_id" not in overrides:
        overrides["cluster_id"] = (await make_cluster(session)).id
    if role == "council_member" and "council_member_id" not in overrides:
        council = await make_council(session)
        overrides["council_member_id"] = (await make_council_member(session, council)).id
    values = {
        "username": f"{role.replace('_', '')}{n}",
        "full_name": f"Người dùng {n}",
        "password_hash": _PASSWORD_HASH,
        "role": role,
        "active": True,
        "token_version": 1,
    }
    values.update(overrides)
    user = User(**values)
    session.add(user)
    await session.flush()
    return user


def token_for(app: FastAPI, user: User) -> str:
    token, _ = app.state.tokens.encode(
        subject=str(user.id),
        typ="access",
        ttl=app.state.tokens.access_ttl,
        claims={"ver": user.token_version, "role": user.role},
    )
    return token


def auth(app: FastAPI, user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(app, user)}"}


def etag_version(response) -> int:
    """The row version an `ETag: "<version>-<digest>"` names."""
    tag = response.headers["etag"]
    assert tag.startswith('"') and tag.endswith('"'), tag
    return int(tag.strip('"').split("-")[0])


async def signed_in(app: FastAPI, session: AsyncSession, role: str = "noi_vu", **kw: Any):
    """Make a user of `role`, commit, and return (user, headers)."""
    user = await make_user(session, role, **kw)
    await session.commit()
    return user, auth(app, user)


__all__ = ["PASSWORD", "principal_of"]
