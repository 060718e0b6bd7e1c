"""A real HTTP receiver on 127.0.0.1 for the webhook tests: uvicorn in a thread of its own.

It verifies every message with the `standardwebhooks` library and answers as told: `ok`
(204), `fail` (500), `hang` (answers after `hang_seconds`), `gone` (410), `busy` (429 with
`Retry-After`), or `deny` (400). `plan` is consumed one answer per request; once it is
empty every request gets `default`.
"""

import asyncio
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from standardwebhooks.webhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    verified: bool
    answered: str
    at: float

    @property
    def payload(self) -> dict[str, Any]:
        return json.loads(self.body)


@dataclass
class Receiver:
    secret: str | None = None
    default: str = "ok"
    plan: list[str] = field(default_factory=list)
    hang_seconds: float = 30.0
    retry_after: str = "2"
    received: list[Received] = field(default_factory=list)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/tdkt"

    def verified_payloads(self) -> list[dict[str, Any]]:
        return [r.payload for r in self.received if r.verified and r.answered == "ok"]

    def _verify(self, headers: dict[str, str], body: bytes) -> bool:
        if self.secret is None:
            return False
        try:
            Webhook(self.secret).verify(body, headers)
        except WebhookVerificationError:
            return False
        return True

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        answer = self.plan.pop(0) if self.plan else self.default
        self.received.append(
            Received(headers, body, self._verify(headers, body), answer, time.monotonic())
        )
        if answer == "hang":
            await asyncio.sleep(self.hang_seconds)
        status, extra = {
            "ok": (204, []),
            "hang": (204, []),
            "fail": (500, []),
            "gone": (410, []),
            "deny": (400, []),
            "busy": (429, [(b"retry-after", self.retry_after.encode())]),
        }[answer]
        await send({"type": "http.response.start", "status": status, "headers": extra})
        await send({"type": "http.response.body", "body": b""})


class RunningReceiver:
    """Start `receiver` on a free port of 127.0.0.1; stop it on exit."""

    def __init__(self, receiver: Receiver) -> None:
        self.receiver = receiver
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.sock = sock
        receiver.port = sock.getsockname()[1]
        config = uvicorn.Config(
            receiver, log_level="critical", lifespan="off", timeout_graceful_shutdown=1
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [sock]}, daemon=True
        )

    def __enter__(self) -> Receiver:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the test receiver did not start")
            time.sleep(0.01)
        return self.receiver

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)
        self.sock.close()
