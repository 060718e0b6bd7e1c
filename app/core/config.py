"""Settings, built in one place from `TDKT_*` environment variables (and `.env`)."""

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class SettingsError(RuntimeError):
    """Raised at start-up when the configuration cannot run safely."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TDKT_", env_file=".env", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    database_url: str = ""
    # FastAPI's OpenTelemetry instrumentation (spans, metrics, logs), for an operator who has
    # configured providers or exporters (OTEL_* and FASTAPI_OTEL_AUTO_CONFIGURE).
    opentelemetry: bool = False
    # PostgreSQL connections each API process keeps open, and how many more it may open at a
    # peak (closed again afterwards: a new connection is a new server process).
    database_pool_size: int = Field(default=30, ge=1, le=200)
    database_max_overflow: int = Field(default=10, ge=0, le=200)
    var_dir: Path = PROJECT_ROOT / "var"
    host: str = "127.0.0.1"
    port: int = 8000

    jwt_secret: str = ""
    # Derives the ballot key (sealed ballots, receipt names). Empty: derived from the JWT
    # secret, so rotating that changes it — close every open meeting before rotating either.
    ballot_secret: str = ""
    jwt_issuer: str = "tdkt"
    jwt_audience: str = "tdkt-api"
    access_token_minutes: int = 30
    refresh_token_days: int = 14

    admin_username: str = "admin"
    admin_password: str = ""

    login_max_failures: int = Field(default=5, ge=1)
    login_window_minutes: int = Field(default=15, ge=1)
    login_lockout_minutes: int = Field(default=15, ge=1)
    # Failures from one client address (whatever the usernames) before it is locked out.
    login_address_max_failures: int = Field(default=30, ge=1)
    # Reverse proxies in front of the API that append to X-Forwarded-For: the client address
    # is the one that many hops from the right. 0: the address the connection comes from.
    trusted_proxy_hops: int = Field(default=0, ge=0, le=5)
    # The public surface (/api/v1/public/*, no sign-in): requests one client address may make
    # per minute, counted by each API process; and how long a browser or a shared cache may
    # keep an answer before asking again.
    public_requests_per_minute: int = Field(default=60, ge=1)
    public_max_age_seconds: int = Field(default=300, ge=0, le=86400)

    idempotency_ttl_hours: int = 24
    idempotency_lock_seconds: int = 120
    attachment_max_bytes: int = 20 * 1024 * 1024
    load_reference_data: bool = True
    log_level: str = "INFO"
    # /docs, /redoc and /openapi.json without authentication. None: on in development and
    # test, off in production (the committed openapi/openapi.json is the published contract).
    public_docs: bool | None = None
    # Origins (scheme://host[:port]) whose pages may call the API from a browser, comma
    # separated. Empty: no cross-origin access at all.
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("cors_origins")
    @classmethod
    def _origins_are_origins(cls, origins: list[str]) -> list[str]:
        for origin in origins:
            parts = urlsplit(origin)
            if (
                parts.scheme not in ("http", "https")
                or not parts.hostname
                or parts.path
                or parts.query
                or parts.fragment
                or parts.username
            ):
                raise SettingsError(
                    f"TDKT_CORS_ORIGINS: {origin!r} is not an origin; give each as "
                    "scheme://host[:port], e.g. https://tdkt.sonla.gov.vn, without a path "
                    "or a trailing slash (a wildcard is not accepted)."
                )
        return [origin.lower() for origin in origins]

    # Webhooks (app/services/webhooks, `tdkt worker`). The two `allow` switches are for
    # development only: plain http:// URLs, and receivers on loopback or private addresses.
    webhooks_allow_http: bool = False
    webhooks_allow_private_addresses: bool = False
    webhooks_timeout_seconds: float = Field(default=10, gt=0, le=60)
    # Retries: exponential from the base, capped per wait, for at most the window.
    webhooks_retry_base_seconds: float = Field(default=15, gt=0)
    webhooks_retry_max_delay_seconds: float = Field(default=4 * 3600, gt=0)
    webhooks_retry_window_seconds: float = Field(default=24 * 3600, gt=0)
    # How often an idle worker looks for new events and due deliveries.
    webhooks_poll_seconds: float = Field(default=0.25, gt=0)
    # Receivers sent to at once by one worker (one at a time per subscription).
    webhooks_concurrency: int = Field(default=16, ge=1, le=256)
    # After a rotation the old secret still signs (beside the new one) this long.
    webhooks_secret_grace_hours: int = Field(default=24, ge=0)

    # Events (and the webhook delivery log) older than this are deleted by the worker; 0 keeps
    # them for ever. A follower further behind than this misses what was deleted.
    events_retention_days: int = Field(default=0, ge=0)
    # The event stream (GET /events/stream): a comment line this often keeps proxies from
    # closing an idle connection; new events are looked for this often.
    events_stream_heartbeat_seconds: float = Field(default=15, gt=0)
    events_stream_poll_seconds: float = Field(default=1, gt=0)

    @model_validator(mode="after")
    def _production_needs_secrets(self) -> "Settings":
        if self.env == "production" and len(self.jwt_secret) < 32:
            raise SettingsError(
                "TDKT_JWT_SECRET must be set to at least 32 random characters when "
                "TDKT_ENV=production, e.g. the output of "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`."
            )
        # The ballot key must not be derivable from anything beside the database (the JWT
        # secret's development file lives in var/, next to the SQLite file).
        if self.env == "production" and (
            len(self.ballot_secret) < 32 or self.ballot_secret == self.jwt_secret
        ):
            raise SettingsError(
                "TDKT_BALLOT_SECRET must be set, to at least 32 random characters other than "
                "TDKT_JWT_SECRET, when TDKT_ENV=production: it seals the secret ballots and "
                "must be kept apart from the database and its backups."
            )
        return self

    @property
    def docs_published(self) -> bool:
        if self.public_docs is not None:
            return self.public_docs
        return self.env != "production"

    @property
    def resolved_ballot_secret(self) -> str:
        """The material of the ballot key: TDKT_BALLOT_SECRET, else (development) the JWT key."""
        return self.ballot_secret or self.resolved_jwt_secret

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.var_dir / 'tdkt.db'}"

    @property
    def attachments_dir(self) -> Path:
        return self.var_dir / "attachments"

    @property
    def resolved_jwt_secret(self) -> str:
        """The signing key; in development one is generated once and kept under `var/`."""
        if self.jwt_secret:
            return self.jwt_secret
        path = self.var_dir / "jwt-secret"
        if not path.exists():
            self.var_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
