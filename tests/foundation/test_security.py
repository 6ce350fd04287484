"""Headers on every response, CSRF on every form, error pages that never leak a stack trace."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import Enterprise

from .. import factories
from .test_auth import registration


@pytest.mark.parametrize("path", ["/", "/login", "/no-such-page", "/static/css/app.css", "/operator/"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_load_no_asset_from_another_host(client):
    html = client.get("/register").get_data(as_text=True)
    assert not re.search(r'(src|href)="(https?:)?//', html)


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


@pytest.fixture
def csrf_client(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app.test_client()


def test_forms_without_or_with_a_forged_csrf_token_are_refused(csrf_client):
    response = csrf_client.post("/register", data=registration())
    assert response.status_code == 400 and "表单已过期" in response.get_data(as_text=True)
    csrf_client.get("/register")
    response = csrf_client.post("/register", data={**registration(), "csrf_token": "forged-token"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Enterprise)) == 0


def test_forms_with_the_token_from_the_page_work(csrf_client):
    token = csrf_token(csrf_client.get("/register").get_data(as_text=True))
    assert csrf_client.post("/register", data={**registration(), "csrf_token": token}).status_code == 302
    # Logout is a form post too: without the token it is refused and the session stays.
    assert csrf_client.post("/logout").status_code == 400
    assert csrf_client.get("/dashboard").status_code == 200
    token = csrf_token(csrf_client.get("/dashboard").get_data(as_text=True))
    assert csrf_client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert csrf_client.get("/dashboard").status_code == 302


def test_login_needs_the_csrf_token_too(csrf_client):
    user = factories.make_user(factories.make_enterprise("sme"))
    assert csrf_client.post("/login", data={"email": user.email, "password": factories.PASSWORD}).status_code == 400
    token = csrf_token(csrf_client.get("/login").get_data(as_text=True))
    response = csrf_client.post("/login", data={"email": user.email, "password": factories.PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_an_unexpected_error_shows_the_500_page_without_details(app, client):
    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("secret internal detail")

    response = client.get("/boom-for-test")
    html = response.get_data(as_text=True)
    assert response.status_code == 500 and "出错了" in html and "secret internal detail" not in html
    client.get("/lang/en")
    response = client.get("/boom-for-test")
    assert response.status_code == 500 and "Something went wrong" in response.get_data(as_text=True)


@pytest.mark.parametrize("lang, text404, text403", [("zh", "页面不存在", "无权访问"), ("en", "Page not found", "Access denied")])
def test_error_pages_in_both_languages(client, auth, lang, text404, text403):
    auth.as_role("sme")
    client.get(f"/lang/{lang}")
    response = client.get("/no-such-page")
    assert response.status_code == 404 and text404 in response.get_data(as_text=True)
    response = client.get("/operator/enterprises")
    assert response.status_code == 403 and text403 in response.get_data(as_text=True)


def test_json_clients_get_json_errors(client):
    response = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.get_json()["error"]["status"] == 404


def test_only_requests_that_change_the_session_set_its_cookie(client):
    """A slow request (a stylesheet, a page) must not re-send an older session over a newer one."""
    client.get("/lang/en")
    assert client.get_cookie("session") is not None
    for path in ("/static/css/app.css", "/login", "/"):
        response = client.get(path)
        assert "session=" not in response.headers.get("Set-Cookie", ""), path
    assert "session=" in client.get("/lang/zh").headers.get("Set-Cookie", "")
