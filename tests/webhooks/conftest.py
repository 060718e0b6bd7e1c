"""Webhook tests talk to real receivers on 127.0.0.1, so they allow http and loopback, and
make the retry schedule short (the same schedule, in tenths of a second)."""

import pytest

from tests.webhooks.receiver import Receiver, RunningReceiver

FAST = {
    "webhooks_allow_http": True,
    "webhooks_allow_private_addresses": True,
    "webhooks_timeout_seconds": 1.0,
    "webhooks_retry_base_seconds": 0.05,
    "webhooks_retry_max_delay_seconds": 0.4,
    "webhooks_retry_window_seconds": 5.0,
    "webhooks_poll_seconds": 0.05,
}


@pytest.fixture
def settings(settings):
    return settings.model_copy(update=FAST)


@pytest.fixture
def receiver():
    with RunningReceiver(Receiver()) as running:
        yield running
