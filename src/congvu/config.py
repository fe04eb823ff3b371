"""Typed settings read from the environment, each documented where it is declared.

Every setting has a help text; ``congvu show_settings`` prints them. In production (``CONGVU_ENV=production``)
the default secret key is refused.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

DEV_SECRET = "dev-insecure-secret-do-not-use-in-production"


class SettingsError(ValueError):
    """A setting in the environment is missing or invalid."""


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name}={raw!r}: expected true/false")


@dataclass(frozen=True)
class AppSettings:
    env: str = field(metadata={"env": "CONGVU_ENV", "help": "development | test | production"})
    data_dir: Path = field(
        metadata={"env": "CONGVU_DATA_DIR", "help": "folder for the SQLite file, uploads and exports"}
    )
    database_url: str = field(
        metadata={"env": "DATABASE_URL", "help": "sqlite:///path or postgres://user:pass@host:port/db"}
    )
    secret_key: str = field(
        metadata={"env": "CONGVU_SECRET_KEY", "help": "Django secret key (required in production)"}
    )
    debug: bool = field(metadata={"env": "CONGVU_DEBUG", "help": "Django DEBUG; never true in production"})
    allowed_hosts: tuple[str, ...] = field(
        metadata={"env": "CONGVU_ALLOWED_HOSTS", "help": "comma-separated host names served"}
    )
    login_failure_limit: int = field(
        metadata={"env": "CONGVU_LOGIN_FAILURE_LIMIT", "help": "failed logins before an account/IP is locked"}
    )
    login_cooloff_minutes: int = field(
        metadata={"env": "CONGVU_LOGIN_COOLOFF_MINUTES", "help": "minutes a locked login stays locked"}
    )

    @classmethod
    def from_environ(cls) -> AppSettings:
        env = os.environ.get("CONGVU_ENV", "development")
        if env not in {"development", "test", "production"}:
            raise SettingsError(f"CONGVU_ENV={env!r}: expected development, test or production")
        data_dir = Path(os.environ.get("CONGVU_DATA_DIR") or Path.cwd() / "data").resolve()
        database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{data_dir / 'congvu.sqlite3'}"
        secret = os.environ.get("CONGVU_SECRET_KEY") or DEV_SECRET
        if env == "production" and secret == DEV_SECRET:
            raise SettingsError("CONGVU_SECRET_KEY must be set in production")
        debug = _env_bool("CONGVU_DEBUG", env == "development")
        if env == "production" and debug:
            raise SettingsError("CONGVU_DEBUG must be false in production")
        hosts = tuple(
            h.strip()
            for h in os.environ.get("CONGVU_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
            if h.strip()
        )
        try:
            limit = int(os.environ.get("CONGVU_LOGIN_FAILURE_LIMIT", "5"))
            cooloff = int(os.environ.get("CONGVU_LOGIN_COOLOFF_MINUTES", "15"))
        except ValueError as exc:
            raise SettingsError(f"login throttling settings must be integers: {exc}") from exc
        return cls(
            env=env,
            data_dir=data_dir,
            database_url=database_url,
            secret_key=secret,
            debug=debug,
            allowed_hosts=hosts,
            login_failure_limit=limit,
            login_cooloff_minutes=cooloff,
        )

    @classmethod
    def describe(cls) -> list[tuple[str, str]]:
        return [(f.metadata["env"], f.metadata["help"]) for f in fields(cls)]
