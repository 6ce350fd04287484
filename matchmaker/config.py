"""Configuration: defaults here, then `instance/config.py`, then `MATCHMAKER_*` environment variables,
then the mapping a test passes in. There is no literal secret: one is generated into `instance/`."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:
    from flask import Flask

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent


class DefaultConfig:
    """Settings that hold everywhere unless the instance or the environment says otherwise."""

    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    BABEL_DEFAULT_LOCALE = "zh"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh", "en")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE: bool | None = None  # None: decided from debug mode in load_config
    REMEMBER_COOKIE_SECURE: bool | None = None
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = 14 * 24 * 3600
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    # Set the session cookie only when the session changes: otherwise every request, static files
    # included, re-sends the session as it read it, and a slow one overwrites a newer cookie.
    SESSION_REFRESH_EACH_REQUEST = False
    # Per-account login throttling: this many failures within the window lock that account only.
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_SECONDS = 15 * 60
    PASSWORD_MIN_LENGTH = 12
    PASSWORD_MAX_LENGTH = 128
    # Matching (see matchmaker/matching): suggestions per lead posting, open suggestions per SME.
    MATCH_PER_LEAD_POSTING = 10
    MATCH_PER_SME = 20
    # Operators may require approval of new enterprises and postings (see the operator console).
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_SENDER = "noreply@matchmaker.local"
    ITEMS_PER_PAGE = 20


def _database_url(url: str) -> str:
    """Accept the usual `postgresql://` spelling and use the psycopg 3 driver for it."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _secret_key(instance_path: Path) -> str:
    """Read the instance's secret key, generating it on first run (never a literal fallback)."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    key = secrets.token_hex(32)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key)
    return key


def load_config(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    instance_path = Path(app.instance_path)
    instance_path.mkdir(parents=True, exist_ok=True)
    app.config.from_object(DefaultConfig)
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance_path / 'matchmaker.db'}"
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("MATCHMAKER")
    if test_config is not None:
        app.config.update(test_config)
    if "DATABASE_URL" in app.config:
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config.pop("DATABASE_URL")
    app.config["SQLALCHEMY_DATABASE_URI"] = _database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options.setdefault("connect_args", {"timeout": 30})
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(instance_path)
    # Secure cookies everywhere but in debug mode (which serves plain HTTP on a developer's machine).
    secure = not (app.debug or app.config.get("DEBUG"))
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if app.config.get(key) is None:
            app.config[key] = secure
