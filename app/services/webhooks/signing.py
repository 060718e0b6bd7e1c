"""Standard Webhooks signatures (https://www.standardwebhooks.com), made by `standardwebhooks`."""

import base64
import secrets
from datetime import datetime

from standardwebhooks.webhooks import Webhook

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """A fresh signing secret: `whsec_` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def headers(signing_secrets: list[str], message_id: str, at: datetime, body: str) -> dict[str, str]:
    """`webhook-id`, `webhook-timestamp` and `webhook-signature`; during a rotation's grace
    period the body is signed with the new and the old secret (space-separated signatures),
    so a receiver that still holds the old one keeps verifying."""
    signatures = [Webhook(secret).sign(message_id, at, body) for secret in signing_secrets]
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": " ".join(signatures),
    }
