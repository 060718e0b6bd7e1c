"""Idempotency-Key bookkeeping for creating POSTs.

The key is claimed in a short transaction of its own (so a concurrent retry sees it and gets
409), and the response is stored in the request's own transaction, so the effect and the
record of it commit together: a retry after a crash either finds both or neither.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.clock import utcnow
from app.core.errors import Conflict, Unauthorized, Unprocessable
from app.models import IdempotencyKey
from app.services import auth as auth_service

MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class Claim:
    row_id: int
    lock_token: str


@dataclass(frozen=True)
class Replay:
    status_code: int
    headers: dict[str, str]
    body: str


async def verified_caller(request: Request) -> str | None:
    """Whom the key belongs to, when the bearer token is valid now — signature, expiry, the
    account still active and its token version current, the service token not revoked — as
    for any request. None otherwise: the request then runs without a replay and is refused
    by its own authentication, so a token revoked by logout cannot fetch a stored answer."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    async with request.app.state.db.sessionmaker() as session:
        try:
            principal = await auth_service.authenticate(session, request.app.state.tokens, token)
        except Unauthorized:
            return None
        finally:
            await session.rollback()
    # The same scopes as the keys stored before this check existed: the token type and `sub`.
    if principal.service_token_id is not None:
        return f"service:service:{principal.service_token_id}"
    return f"access:{principal.user_id}"


def replay_instead(request: Request, body: BaseModel | dict[str, Any]) -> None:
    """Store `body` for a replay of this request instead of the answer sent now (which holds a
    secret that must never sit in the replay store)."""
    request.state.idempotent_replay_body = json.dumps(jsonable_encoder(body), ensure_ascii=False)


def fingerprint(method: str, path: str, query: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _validate_key(key: str) -> None:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise Unprocessable(
            f"Idempotency-Key phải là chuỗi in được, dài 1–{MAX_KEY_LENGTH} ký tự.",
            code="invalid_idempotency_key",
        )


async def claim(
    sessionmaker: async_sessionmaker[AsyncSession],
    principal: str,
    key: str,
    fp: str,
    lock_seconds: int,
) -> Claim | Replay:
    """Claim `key` for this request, or return the stored response of the first one."""
    _validate_key(key)
    for _ in range(3):
        async with sessionmaker() as session:
            try:
                async with session.begin():
                    return await _claim_once(session, principal, key, fp, lock_seconds)
            except IntegrityError:
                continue  # another request inserted the same key between our read and write
    raise Conflict(
        "Yêu cầu với cùng Idempotency-Key đang được xử lý; thử lại sau.",
        code="idempotency_in_progress",
    )


async def _claim_once(
    session: AsyncSession, principal: str, key: str, fp: str, lock_seconds: int
) -> Claim | Replay:
    now = utcnow()
    row = await session.scalar(
        select(IdempotencyKey)
        .where(IdempotencyKey.principal == principal, IdempotencyKey.key == key)
        .with_for_update()
    )
    token = uuid.uuid4().hex
    if row is None:
        row = IdempotencyKey(
            principal=principal,
            key=key,
            fingerprint=fp,
            lock_token=token,
            locked_until=now + timedelta(seconds=lock_seconds),
        )
        session.add(row)
        await session.flush()
        return Claim(row.id, token)
    if row.fingerprint != fp:
        raise Unprocessable(
            "Idempotency-Key này đã được dùng cho một yêu cầu khác; hãy dùng khóa mới.",
            code="idempotency_key_reused",
        )
    if row.status_code is not None:
        return Replay(row.status_code, row.response_headers or {}, row.response_body or "")
    if row.locked_until and row.locked_until > now:
        raise Conflict(
            "Yêu cầu với cùng Idempotency-Key đang được xử lý; thử lại sau.",
            code="idempotency_in_progress",
        )
    # The first attempt died without committing: take the key over.
    row.lock_token = token
    row.locked_until = now + timedelta(seconds=lock_seconds)
    return Claim(row.id, token)


async def complete(
    session: AsyncSession, claim_: Claim, status_code: int, headers: dict[str, str], body: str
) -> None:
    """Store the response in the request's transaction; refuse if the key was taken over."""
    result = await session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.id == claim_.row_id, IdempotencyKey.lock_token == claim_.lock_token)
        .values(
            status_code=status_code,
            response_headers=headers,
            response_body=body,
            lock_token=None,
            locked_until=None,
        )
    )
    if result.rowcount != 1:
        raise Conflict(
            "Yêu cầu đã quá thời gian giữ Idempotency-Key; kiểm tra kết quả trước khi thử lại.",
            code="idempotency_in_progress",
        )


async def release(sessionmaker: async_sessionmaker[AsyncSession], claim_: Claim) -> None:
    """Forget a claim whose request failed, so the client can correct it and retry."""
    async with sessionmaker() as session, session.begin():
        await session.execute(
            delete(IdempotencyKey).where(
                IdempotencyKey.id == claim_.row_id,
                IdempotencyKey.lock_token == claim_.lock_token,
            )
        )


async def purge_expired(session: AsyncSession, ttl_hours: int) -> int:
    result = await session.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.created_at < utcnow() - timedelta(hours=ttl_hours)
        )
    )
    return result.rowcount
