"""The keys of the secret ballot (bỏ phiếu kín).

The ballot key is derived with HKDF (info `tdkt-ballot-v1`) from `TDKT_BALLOT_SECRET` when set,
else from the JWT secret: rotating that secret then changes the ballot key, so close every open
meeting first (its sealed ballots could no longer be opened) and expect old receipts to stop
reading back. The key seals each ballot while the meeting is open (AES-GCM, random nonce, the
meeting id as associated data) and names each read-back receipt (HMAC). The receipt itself is
random, handed to the voter once and never stored; the read-back copy of the choices is sealed
under a key derived from it, so neither the database nor the application can read it back
without the voter.
"""

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

HKDF_INFO = b"tdkt-ballot-v1"
READBACK_INFO = b"tdkt-ballot-readback-v1"
_NONCE_BYTES = 12
RECEIPT_BYTES = 24


def _derive(material: bytes, info: bytes, length: int = 32) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info).derive(material)


def _seal(key: bytes, data: Any, associated: bytes) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, json.dumps(data).encode(), associated)
    return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def _unseal(key: bytes, sealed: str, associated: bytes) -> Any | None:
    try:
        raw = base64.urlsafe_b64decode(sealed.encode("ascii"))
        plain = AESGCM(key).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], associated)
    except (InvalidTag, ValueError):
        return None
    return json.loads(plain)


def new_receipt() -> str:
    """A one-time receipt: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(RECEIPT_BYTES)


@dataclass(frozen=True)
class BallotKeys:
    receipt_key: bytes
    seal_key: bytes

    @classmethod
    def from_secret(cls, secret: str) -> "BallotKeys":
        material = _derive(secret.encode("utf-8"), HKDF_INFO, 64)
        return cls(receipt_key=material[:32], seal_key=material[32:])

    def receipt_name(self, receipt: str) -> str:
        """Where a receipt's read-back copy is stored: HMAC-SHA256(key, receipt), hex."""
        return hmac.new(self.receipt_key, receipt.encode(), hashlib.sha256).hexdigest()

    def seal_ballot(self, meeting_id: int, votes: list[dict[str, Any]]) -> str:
        return _seal(self.seal_key, votes, str(meeting_id).encode())

    def open_ballot(self, meeting_id: int, sealed: str) -> list[dict[str, Any]] | None:
        """The choices, or None when the key changed or the row was moved or tampered with."""
        return _unseal(self.seal_key, sealed, str(meeting_id).encode())


def seal_readback(receipt: str, meeting_id: int, data: dict[str, Any]) -> str:
    return _seal(_derive(receipt.encode(), READBACK_INFO), data, str(meeting_id).encode())


def open_readback(receipt: str, meeting_id: int, sealed: str) -> dict[str, Any] | None:
    return _unseal(_derive(receipt.encode(), READBACK_INFO), sealed, str(meeting_id).encode())
