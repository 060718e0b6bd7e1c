"""Helpers of the webhook tests: subscribe through the API, run a worker, wait for a state."""

import asyncio
import time
from collections.abc import Callable
from contextlib import asynccontextmanager

from app.worker import Worker


async def subscribe(client, headers, url, **fields) -> dict:
    response = await client.post("/api/v1/webhooks", json={"url": url, **fields}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


@asynccontextmanager
async def running_worker(app):
    """A worker on the app's database for the duration of the block."""
    stop = asyncio.Event()
    task = asyncio.create_task(Worker(app.state.db, app.state.settings).run(stop))
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=10)


async def eventually(check: Callable[[], bool], within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("the condition did not hold in time")
        await asyncio.sleep(0.02)


async def deliveries(client, headers, webhook_id) -> list[dict]:
    response = await client.get(f"/api/v1/webhooks/{webhook_id}/deliveries", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def until_deliveries(client, headers, webhook_id, check, within: float = 30.0) -> list:
    deadline = time.monotonic() + within
    while True:
        items = await deliveries(client, headers, webhook_id)
        if check(items):
            return items
        if time.monotonic() > deadline:
            raise AssertionError(f"deliveries never matched: {items}")
        await asyncio.sleep(0.05)
