"""The only module that touches python-jose and the password hasher.

Tokens are HS256 JWTs. The algorithm list is fixed here and never read from the token; `aud`,
`iss`, `exp`, `iat` and `sub` are required, and `typ` tells an access token from a refresh or
service token so one can never stand in for another.
"""

import functools
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from jose import JWTError, jwt
from pwdlib import PasswordHash

from app.core.config import Settings

ALGORITHM = "HS256"
ALLOWED_ALGORITHMS = [ALGORITHM]
TOKEN_TYPES = {"access", "refresh", "service"}
VERIFIED_TOKENS = 4096

_hasher = PasswordHash.recommended()


class InvalidToken(Exception):
    """Any reason a token is refused; the reason is for logs, never for the client."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _hasher.verify(password, password_hash)
    except Exception:  # a malformed stored hash must not become a 500
        return False


# A hash to verify against when the username is unknown, so both paths cost the same time.
DUMMY_PASSWORD_HASH = _hasher.hash("tdkt-timing-equaliser")


class TokenCodec:
    """Encodes and decodes the service's tokens with one key, issuer and audience."""

    def __init__(self, settings: Settings) -> None:
        self._verified = functools.lru_cache(maxsize=VERIFIED_TOKENS)(self._decode)
        self._key = settings.resolved_jwt_secret
        self._issuer = settings.jwt_issuer
        self._audience = settings.jwt_audience
        self.access_ttl = timedelta(minutes=settings.access_token_minutes)
        self.refresh_ttl = timedelta(days=settings.refresh_token_days)

    def encode(
        self,
        *,
        subject: str,
        typ: str,
        ttl: timedelta | None,
        claims: dict[str, Any],
        jti: str | None = None,
    ) -> tuple[str, str]:
        """Return (token, jti). A `ttl` of None is only for service tokens with their own expiry."""
        if typ not in TOKEN_TYPES:
            raise ValueError(f"unknown token type {typ}")
        now = datetime.now(UTC)
        jti = jti or uuid.uuid4().hex
        payload = {
            **claims,
            "sub": subject,
            "typ": typ,
            "iss": self._issuer,
            "aud": self._audience,
            "iat": int(now.timestamp()),
            "nbf": int(now.timestamp()),
            "jti": jti,
        }
        if ttl is not None:
            payload["exp"] = int((now + ttl).timestamp())
        return jwt.encode(payload, self._key, algorithm=ALGORITHM), jti

    def decode(self, token: str, *, typ: str) -> dict[str, Any]:
        """Verify signature, claims and type; raise InvalidToken on any doubt.

        A token verified once is remembered (its claims, per process, the last
        `VERIFIED_TOKENS` of them), so a client's every request does not verify the signature
        again; only its expiry is checked again. Whether the token still stands (its user
        active, its version current, its service token not revoked) is read from the database
        on every request, by the caller."""
        claims = self._verified(token, typ)
        if claims.get("exp") is not None and claims["exp"] < int(time.time()):
            raise InvalidToken("expired")
        return claims

    def _decode(self, token: str, typ: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except JWTError as exc:
            raise InvalidToken("malformed header") from exc
        if header.get("alg") != ALGORITHM:
            raise InvalidToken(f"algorithm {header.get('alg')!r} refused")
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=ALLOWED_ALGORITHMS,
                audience=self._audience,
                issuer=self._issuer,
                options={
                    "require_aud": True,
                    "require_iss": True,
                    "require_exp": True,
                    "require_iat": True,
                    "require_sub": True,
                    "require_jti": True,
                    "leeway": 0,
                },
            )
        except JWTError as exc:
            raise InvalidToken(str(exc)) from exc
        if claims.get("typ") != typ:
            raise InvalidToken(f"token type {claims.get('typ')!r} where {typ!r} was expected")
        return claims
