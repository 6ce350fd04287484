"""Fixtures shared by the whole suite.

The database is created once per run — a SQLite file, or a fresh PostgreSQL database when
MATCHMAKER_TEST_DATABASE_URL points at a server — and every table is emptied after each test, so
tests stay independent without paying for a new schema each time."""

from __future__ import annotations

import os
import secrets
import threading
from pathlib import Path

import pytest
import flask_babel
from flask import g
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from matchmaker import create_app
from matchmaker.extensions import db

from . import factories

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def _pg_test_database(base_url: str):
    """Create a database of our own next to the one named in the URL; yield its URL; drop it."""
    url = make_url(base_url.replace("postgresql://", "postgresql+psycopg://", 1)
                   if base_url.startswith("postgresql://") else base_url)
    name = f"matchmaker_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name AND pid <> pg_backend_pid()"
            ), {"name": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    base = os.environ.get("MATCHMAKER_TEST_DATABASE_URL")
    if base:
        yield from _pg_test_database(base)
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def schema(database_url):
    """The schema, built once per run from the models (tests/test_migrations.py checks that the
    Alembic migrations build exactly the same schema)."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": secrets.token_hex(16)})
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return database_url


def make_test_config(database_url: str, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": secrets.token_hex(16),
        "WTF_CSRF_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "MAIL_SERVER": None,
    }
    config.update(overrides)
    return config


def _empty_all_tables() -> None:
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


def _forget_cached_user() -> None:
    g.pop("_login_user", None)
    g.pop("csrf_token", None)  # Flask-WTF's token for the session as it was
    flask_babel.refresh()  # the locale is cached per context too


@pytest.fixture
def app_factory(schema):
    """Make an app on the test database with extra config; tables are emptied afterwards."""
    made = []

    def make(**overrides):
        app = create_app(make_test_config(schema, **overrides))
        # Tests keep one app context open for database access, and requests made by the test
        # client reuse it; in production every request has its own `g`. Forget what Flask-Login
        # Flask-WTF and Flask-Babel cached there, so that two clients in one test never share a
        # login, a CSRF token or a language.
        app.before_request(_forget_cached_user)
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            _empty_all_tables()
            db.engine.dispose()


@pytest.fixture
def app(app_factory):
    app = app_factory()
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    """Log in as a fresh lead, SME or operator user (or as given credentials)."""

    def __init__(self, client):
        self.client = client

    def login(self, email: str, password: str = factories.PASSWORD, **extra):
        return self.client.post("/login", data={"email": email, "password": password, **extra})

    def logout(self):
        return self.client.post("/logout")

    def as_role(self, role: str, **enterprise_fields):
        if role == "operator":
            user = factories.make_user(operator=True)
        else:
            enterprise = factories.make_enterprise(role, **enterprise_fields)
            user = factories.make_user(enterprise)
        response = self.login(user.email)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user


@pytest.fixture
def auth(client):
    return AuthActions(client)


# --- browser tests -----------------------------------------------------------------------------

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture
def live_server(app_factory):
    """The app served over HTTP on a free local port, in a thread, for browser tests."""
    from werkzeug.serving import make_server

    app = app_factory()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.app = app
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright  # a missing install fails, never skips

    executable = os.environ.get("MATCHMAKER_CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).exists():
        pytest.fail(f"Chromium not found at {executable}: the test command installs it (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        page.screenshot(path=str(ARTIFACTS / f"FAILED-{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/ (kept by CI for people to look at)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
