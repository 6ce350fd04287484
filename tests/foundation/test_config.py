"""Configuration: secrets come from instance/ or the environment, cookies are locked down."""

from __future__ import annotations

import secrets

from matchmaker import create_app


def test_secret_key_is_generated_into_the_instance_folder_and_kept(tmp_path, database_url):
    config = {"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": database_url}
    first = create_app(config)
    key_file = tmp_path / "secret_key"
    assert key_file.exists()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert first.config["SECRET_KEY"] == key_file.read_text().strip()
    assert len(first.config["SECRET_KEY"]) >= 64
    second = create_app(config)
    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]
    other = tmp_path / "other"
    other.mkdir()
    assert create_app({**config, "INSTANCE_PATH": str(other)}).config["SECRET_KEY"] != first.config["SECRET_KEY"]


def test_environment_overrides_instance_config(tmp_path, monkeypatch, database_url):
    (tmp_path / "config.py").write_text("ITEMS_PER_PAGE = 7\nMATCH_PER_SME = 5\n")
    monkeypatch.setenv("MATCHMAKER_MATCH_PER_SME", "9")
    monkeypatch.setenv("MATCHMAKER_SECRET_KEY", "from-the-environment-" + secrets.token_hex(8))
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": database_url})
    assert app.config["ITEMS_PER_PAGE"] == 7
    assert app.config["MATCH_PER_SME"] == 9
    assert app.config["SECRET_KEY"].startswith("from-the-environment-")
    assert not (tmp_path / "secret_key").exists()


def test_database_url_from_environment_uses_psycopg3(tmp_path, monkeypatch):
    monkeypatch.setenv("MATCHMAKER_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/somewhere")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://postgres@127.0.0.1:5432/somewhere"


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("MATCHMAKER_DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'matchmaker.db'}"


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(tmp_path, monkeypatch):
    monkeypatch.delenv("MATCHMAKER_DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    from sqlalchemy import text

    from matchmaker.extensions import db

    with app.app_context(), db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_cookies_are_secure_httponly_samesite_outside_debug(tmp_path, database_url):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": database_url})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    client = app.test_client()
    client.get("/lang/en")
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.secure and cookie.http_only and cookie.same_site == "Lax"
    debug_app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": database_url, "DEBUG": True})
    assert debug_app.config["SESSION_COOKIE_SECURE"] is False


def test_no_literal_secret_in_the_package():
    from pathlib import Path
    import re

    package = Path(__file__).resolve().parents[2] / "matchmaker"
    pattern = re.compile(r"SECRET_KEY\s*=\s*['\"][^'\"]+['\"]")
    offenders = [str(p) for p in package.rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
