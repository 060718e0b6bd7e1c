"""Production needs a ballot secret of its own, not one derived from the JWT key."""

import pytest

from app.core.config import Settings, SettingsError

JWT = "j" * 40


@pytest.mark.parametrize("ballot", ["", "short", JWT])
def test_production_refuses_a_missing_short_or_shared_ballot_secret(ballot):
    with pytest.raises(SettingsError, match="TDKT_BALLOT_SECRET"):
        Settings(env="production", jwt_secret=JWT, ballot_secret=ballot)


def test_production_starts_with_both_secrets():
    settings = Settings(env="production", jwt_secret=JWT, ballot_secret="b" * 40)

    assert settings.resolved_ballot_secret == "b" * 40


def test_development_derives_the_ballot_secret_from_the_jwt_key(tmp_path):
    settings = Settings(env="development", jwt_secret=JWT, var_dir=tmp_path)

    assert settings.resolved_ballot_secret == JWT
