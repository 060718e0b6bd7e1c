"""The keys that let a member read back their own ballot and nobody else link voter to choice.

Two keys are derived from the server secret with HKDF (info `tdkt-ballot-v1`): one keys the
HMAC that names a member's receipt, the other encrypts (AES-GCM) the ballot's random reference
inside it. The database holds only the HMAC and the ciphertext, so without the application's
secret a database administrator cannot tell whose receipt is whose, nor which ballot it names.
"""

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

HKDF_INFO = b"tdkt-ballot-v1"
_NONCE_BYTES = 12


@dataclass(frozen=True)
class BallotKeys:
    receipt_key: bytes
    seal_key: bytes

    @classmethod
    def from_secret(cls, secret: str) -> "BallotKeys":
        material = HKDF(algorithm=hashes.SHA256(), length=64, salt=None, info=HKDF_INFO).derive(
            secret.encode("utf-8")
        )
        return cls(receipt_key=material[:32], seal_key=material[32:])

    def receipt(self, meeting_id: int, member_id: int) -> str:
        """The receipt's name: HMAC-SHA256(key, "meeting:member"), hex."""
        message = f"{meeting_id}:{member_id}".encode()
        return hmac.new(self.receipt_key, message, hashlib.sha256).hexdigest()

    def seal(self, receipt: str, ballot_ref: str) -> str:
        """The ballot reference encrypted, bound to its receipt so it cannot be moved to another."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = AESGCM(self.seal_key).encrypt(nonce, ballot_ref.encode(), receipt.encode())
        return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def unseal(self, receipt: str, sealed: str) -> str | None:
        """The ballot reference, or None when the secret changed or the row was tampered with."""
        try:
            raw = base64.urlsafe_b64decode(sealed.encode("ascii"))
            plain = AESGCM(self.seal_key).decrypt(
                raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], receipt.encode()
            )
        except (InvalidTag, ValueError):
            return None
        return plain.decode()
