"""Password spraying is slowed per client address; throttle rows expire."""

from datetime import timedelta

from sqlalchemy import func, select

from app.core.clock import utcnow
from app.models import LoginAddressThrottle, LoginThrottle
from app.services.auth.throttle import address_key
from tests.factories import PASSWORD, make_user


async def _login(client, username, password="wrong-password-1", address=None):
    headers = {"X-Forwarded-For": address} if address else {}
    return await client.post(
        "/api/v1/auth/token", data={"username": username, "password": password}, headers=headers
    )


async def test_a_spray_over_many_usernames_is_locked_out_by_address(app, client, session):
    app.state.settings.login_address_max_failures = 3
    user = await make_user(session, "unit")
    await session.commit()

    sprayed = [(await _login(client, f"nobody{i}")).status_code for i in range(3)]
    blocked = await _login(client, "nobody99")
    right_password = await _login(client, user.username, PASSWORD)

    assert sprayed == [401, 401, 401]
    assert blocked.status_code == 429 and blocked.json()["code"] == "login_rate_limited"
    assert int(blocked.headers["retry-after"]) > 0
    assert right_password.status_code == 429  # from this address, until the lockout ends


async def test_the_address_comes_from_the_trusted_proxy_hop_only(app, client, session):
    settings = app.state.settings
    settings.login_address_max_failures = 2
    # Without a trusted proxy, X-Forwarded-For is the client's own word: ignored.
    for i in range(2):
        await _login(client, f"a{i}", address=f"10.0.0.{i}")
    assert (await _login(client, "a9", address="10.0.0.9")).status_code == 429

    settings.trusted_proxy_hops = 1
    # Behind one proxy, its entry (the rightmost) is the client; a forged left part is not.
    for i in range(2):
        assert (
            await _login(client, f"b{i}", address=f"1.2.3.4, 198.51.100.{i}")
        ).status_code == 401
    assert (await _login(client, "b9", address="9.9.9.9, 198.51.100.0")).status_code == 401
    assert (await _login(client, "b8", address="198.51.100.0")).status_code == 429


async def test_expired_counters_are_deleted(app, client, session):
    old = utcnow() - timedelta(days=2)
    session.add_all(
        [LoginThrottle(username=f"gone{i}", failures=3, window_started_at=old) for i in range(50)]
        + [LoginAddressThrottle(address=f"203.0.113.{i}", failures=1, window_started_at=old)
           for i in range(50)]
        + [LoginThrottle(username="still-locked", failures=0, window_started_at=old,
                         locked_until=utcnow() + timedelta(minutes=5))]
    )  # fmt: skip
    await session.commit()

    await _login(client, "someone-new")

    names = await session.scalar(select(func.count()).select_from(LoginThrottle))
    addresses = await session.scalar(select(func.count()).select_from(LoginAddressThrottle))
    await session.commit()
    assert names == 2  # "still-locked" and "someone-new"
    assert addresses == 1  # the address that just failed


def test_ipv6_addresses_count_by_their_64_prefix():
    assert address_key("2001:db8:1:2:aaaa::1") == address_key("2001:db8:1:2:bbbb::2")
    assert address_key("2001:db8:1:3::1") != address_key("2001:db8:1:2::1")
    assert address_key("::ffff:192.0.2.7") == "192.0.2.7"
    assert address_key(None) == address_key("not an ip") == "unknown"
