"""Settings from the environment (prefix `LEGWORK_`), validated once at start-up."""

from functools import cache
from typing import Annotated, Literal

from cryptography.fernet import Fernet
from limits import parse_many
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

SUPPORTED_DRIVERS = ("sqlite", "postgresql+psycopg")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LEGWORK_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///legwork.db",
        description="SQLAlchemy URL: sqlite:///path.db or postgresql+psycopg://user@host/db.",
    )
    sqlite_busy_timeout_ms: Annotated[int, Field(ge=0, le=600_000)] = 5_000
    db_pool_size: Annotated[int, Field(ge=1, le=200)] = 10
    plan_processes: int = Field(
        default=1,
        ge=0,
        le=32,
        description="Worker processes per server process that generate plans, away from the "
        "event loop; 0 generates them in a thread of the server process.",
    )
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65_535)] = 8000
    log_level: str = "info"
    log_format: Literal["json", "text"] | None = Field(
        default=None,
        description="json (one object a line) or text; default: text at a terminal, else json.",
    )

    max_body_bytes: Annotated[int, Field(ge=1024, le=64 * 2**20)] = 2**20
    import_max_bytes: Annotated[int, Field(ge=1024, le=2**30)] = Field(
        default=32 * 2**20,
        description="Body limit of POST .../imports (ten years of Strong logs are ~10 MB).",
    )
    rate_limit_token: str = Field(
        default="600/minute", description="Per bearer token, e.g. 600/minute or 20/second."
    )
    rate_limit_public: str = Field(
        default="120/minute", description="Per client address, on the public endpoints."
    )
    redis_url: str | None = Field(
        default=None, description="redis://HOST:PORT/DB: share rate limits across workers."
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="Allowed browser origins (JSON list); none by default."
    )
    idempotency_ttl_hours: Annotated[int, Field(ge=24, le=24 * 30)] = 24
    changes_retention_days: Annotated[int, Field(ge=30, le=3660)] = 90
    secret_key: str | None = Field(
        default=None,
        description="A Fernet key (32 url-safe base64 bytes) sealing the secrets the server "
        "must read back (webhook secrets); unset: the key file below.",
    )
    secret_key_file: str = Field(
        default="legwork.key", description="Made with mode 0600 on first use when no secret_key."
    )
    webhook_allow_private: bool = Field(
        default=False,
        description="Let webhooks reach loopback and private addresses, over http too (tests, "
        "a private network).",
    )
    webhook_retry_first_s: float = Field(
        default=10.0,
        ge=0.1,
        le=3600,
        description="The first retry of a failed webhook delivery waits this long (then "
        "doubling, up to an hour, for 25 hours).",
    )
    workers_embedded: bool = Field(
        default=True,
        description="Deliver webhooks from inside each server process; false when `legwork "
        "worker` runs apart.",
    )

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError as exc:
            raise ValueError(f"not a database URL: {value!r}") from exc
        if url.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
            url = url.set(drivername="postgresql+psycopg")
        if url.drivername not in SUPPORTED_DRIVERS:
            raise ValueError(
                f"unsupported database {url.drivername!r}: use sqlite:///FILE or "
                "postgresql+psycopg://USER@HOST/DB"
            )
        if url.drivername == "sqlite" and url.database in (None, "", ":memory:"):
            raise ValueError(
                "SQLite needs a file (sqlite:///legwork.db), not an in-memory database"
            )
        return url.render_as_string(hide_password=False)

    @field_validator("rate_limit_token", "rate_limit_public")
    @classmethod
    def _rate(cls, value: str) -> str:
        try:
            parse_many(value)
        except ValueError as exc:
            raise ValueError(f"not a rate limit like '600/minute': {value!r}") from exc
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis(cls, value: str | None) -> str | None:
        if value and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must be a redis:// or rediss:// URL")
        return value or None

    @field_validator("secret_key")
    @classmethod
    def _fernet_key(cls, value: str | None) -> str | None:
        if value:
            try:
                Fernet(value.encode())
            except ValueError as exc:
                raise ValueError(
                    "not a Fernet key: make one with python -c 'from cryptography.fernet import "
                    "Fernet; print(Fernet.generate_key().decode())'"
                ) from exc
        return value or None

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        levels = ("critical", "error", "warning", "info", "debug", "trace")
        if value.lower() not in levels:
            raise ValueError(f"log_level must be one of {', '.join(levels)}")
        return value.lower()


@cache
def get_settings() -> Settings:
    """The one Settings instance, read from the environment on first use."""
    return Settings()
