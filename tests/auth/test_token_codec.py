"""A token verified once is remembered, but never past its expiry."""

from datetime import timedelta

import pytest

from app.core import security
from app.core.config import Settings
from app.core.security import InvalidToken, TokenCodec


def _codec() -> TokenCodec:
    return TokenCodec(Settings(jwt_secret="codec-" + "x" * 40))


def test_a_remembered_token_is_refused_once_it_expires(monkeypatch):
    codec = _codec()
    token, _ = codec.encode(subject="7", typ="access", ttl=timedelta(minutes=5), claims={})
    assert codec.decode(token, typ="access")["sub"] == "7"

    later = security.time.time() + 6 * 60
    monkeypatch.setattr(security.time, "time", lambda: later)
    with pytest.raises(InvalidToken):
        codec.decode(token, typ="access")


def test_a_remembered_token_still_answers_only_for_its_own_type():
    codec = _codec()
    token, _ = codec.encode(subject="7", typ="refresh", ttl=timedelta(days=1), claims={})
    assert codec.decode(token, typ="refresh")["typ"] == "refresh"
    with pytest.raises(InvalidToken):
        codec.decode(token, typ="access")


def test_a_token_of_another_key_is_refused_even_after_one_was_remembered():
    codec, other = _codec(), TokenCodec(Settings(jwt_secret="other-" + "y" * 40))
    token, _ = codec.encode(subject="7", typ="access", ttl=timedelta(minutes=5), claims={})
    codec.decode(token, typ="access")
    with pytest.raises(InvalidToken):
        other.decode(token, typ="access")
