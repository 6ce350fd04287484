"""Registration, login, logout and password change, as a user meets them (and as an attacker tries)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import AuditEntry, Enterprise, User
from matchmaker.uscc import make_uscc

from .. import factories

GOOD_PASSWORD = "长江大桥 bridge 2026!"


def registration(**overrides) -> dict:
    data = dict(
        role="sme", name="武汉锐驰热管理科技有限公司", uscc=make_uscc(org_code9="MA4K8XY21"), tier="little_giant",
        industry="C36", region="420100", size="small", description="液冷板、热管理系统", website="https://ruichi.example.cn",
        contact_name="李晓梅", contact_phone="027-88886666", contact_email="lxm@ruichi.example.cn",
        display_name="李晓梅", email="lxm@ruichi.example.cn", password=GOOD_PASSWORD, confirm=GOOD_PASSWORD,
    )
    data.update(overrides)
    return data


def field_error(html: str, field: str) -> str:
    match = re.search(rf'id="{field}-error"[^>]*>([^<]*)<', html)
    return match.group(1).strip() if match else ""


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_an_sme_registers_and_lands_on_its_dashboard_pending(client):
    response = client.post("/register", data=registration())
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    page = client.get("/dashboard").get_data(as_text=True)
    assert "武汉锐驰热管理科技有限公司" in page and "待审核" in page
    enterprise = db.session.scalar(select(Enterprise))
    assert (enterprise.role, enterprise.tier, enterprise.status) == ("sme", "little_giant", "pending")
    user = db.session.scalar(select(User))
    assert user.password_hash.startswith("$argon2") and GOOD_PASSWORD not in user.password_hash


def test_a_lead_registers_without_a_tier(client):
    response = client.post("/register", data=registration(role="lead", tier="little_giant", name="华中重工集团有限公司"))
    assert response.status_code == 400
    assert "链主企业不设中小企业梯度" in response.get_data(as_text=True)
    response = client.post("/register", data=registration(role="lead", tier="", name="华中重工集团有限公司"))
    assert response.status_code == 302
    assert db.session.scalar(select(Enterprise.role)) == "lead"


def test_lower_case_uscc_with_spaces_is_accepted_and_normalised(client):
    code = make_uscc(org_code9="MA4K8XY21")
    messy = " ".join([code[:4].lower(), code[4:10], code[10:].lower()])
    assert client.post("/register", data=registration(uscc=messy)).status_code == 302
    assert db.session.scalar(select(Enterprise.uscc)) == code


@pytest.mark.parametrize("bad, message", [
    ("91420100MA4K8XY2", "18"),  # too short
    ("91420100MA4K8XY21Z", "不含"),  # Z is never used in a code
    ("9142010OMA4K8XY21X", ""),  # letter O in the region part
])
def test_invalid_uscc_is_explained_next_to_the_field_and_nothing_is_saved(client, bad, message):
    response = client.post("/register", data=registration(uscc=bad))
    assert response.status_code == 400
    error = field_error(response.get_data(as_text=True), "uscc")
    assert error and message in error
    assert count(Enterprise) == 0 and count(User) == 0


def test_a_wrong_check_character_is_refused(client):
    code = make_uscc(org_code9="MA4K8XY21")
    wrong = code[:-1] + ("1" if code[-1] != "1" else "2")
    response = client.post("/register", data=registration(uscc=wrong))
    assert response.status_code == 400 and "校验码" in field_error(response.get_data(as_text=True), "uscc")


def test_duplicate_email_and_uscc_are_refused(client):
    assert client.post("/register", data=registration()).status_code == 302
    client.post("/logout")
    response = client.post("/register", data=registration(name="另一家公司"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "该邮箱已注册账号" in field_error(html, "email")
    assert "已被注册" in field_error(html, "uscc")
    assert count(Enterprise) == 1 and count(User) == 1


@pytest.mark.parametrize("password, message", [
    ("short pw", "至少需要 12"),
    ("x" * 129 + "abcd", "最多 128"),
    ("aaaaaaaaaaaaaaaa", "不同的字符太少"),
])
def test_weak_or_overlong_passwords_are_refused(client, password, message):
    response = client.post("/register", data=registration(password=password, confirm=password))
    assert response.status_code == 400
    assert message in field_error(response.get_data(as_text=True), "password")
    assert count(User) == 0


def test_a_chinese_password_of_twelve_characters_is_fine(client):
    password = "大中小企业融通创新携手行动"
    assert client.post("/register", data=registration(password=password, confirm=password)).status_code == 302
    client.post("/logout")
    assert client.post("/login", data={"email": "lxm@ruichi.example.cn", "password": password}).status_code == 302


def test_overlong_name_and_unknown_codes_are_refused(client):
    response = client.post("/register", data=registration(name="长" * 121, industry="Z99", region="999999"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_error(html, "name") and field_error(html, "industry") and field_error(html, "region")
    assert count(Enterprise) == 0


def test_html_in_text_fields_is_shown_escaped(client):
    script = "<script>alert('x')</script>"
    assert client.post("/register", data=registration(description=script, name="<b>粗体</b>公司")).status_code == 302
    html = client.get("/profile").get_data(as_text=True)
    assert script not in html and "<b>粗体</b>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;粗体&lt;/b&gt;公司" in html


def test_login_logout_and_the_audit_log_never_holds_the_password(client):
    enterprise = factories.make_enterprise("lead")
    user = factories.make_user(enterprise, email="zhang@lead.example.cn")
    bad = client.post("/login", data={"email": "zhang@lead.example.cn", "password": "wrong password 123"})
    assert bad.status_code == 401 and "邮箱或密码不正确" in bad.get_data(as_text=True)
    good = client.post("/login", data={"email": "ZHANG@lead.example.cn ", "password": factories.PASSWORD})
    assert good.status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/dashboard").status_code == 302
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["login.failed", "login", "logout"]
    for entry in db.session.scalars(select(AuditEntry)):
        assert "wrong password" not in str(entry.detail) and factories.PASSWORD not in str(entry.detail)
    assert db.session.scalar(select(AuditEntry.actor_id).where(AuditEntry.action == "login.failed")) == user.id


def test_a_replayed_session_cookie_is_refused_after_logout(app, client, auth):
    auth.as_role("sme")
    saved = client.get_cookie("session").value
    assert client.post("/logout").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", saved)
    response = replay.get("/dashboard")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_replayed_remember_me_cookie_is_refused_after_logout(app, client):
    user = factories.make_user(factories.make_enterprise("sme"))
    assert client.post("/login", data={"email": user.email, "password": factories.PASSWORD, "remember": "y"}).status_code == 302
    remember = client.get_cookie("remember_token")
    assert remember is not None and remember.http_only
    fresh = app.test_client()  # a browser that kept only the remember-me cookie
    fresh.set_cookie("remember_token", remember.value)
    assert fresh.get("/dashboard").status_code == 200
    client.post("/logout")
    after = app.test_client()
    after.set_cookie("remember_token", remember.value)
    assert after.get("/dashboard").status_code == 302


def test_password_change_ends_other_sessions_but_keeps_this_one(app, client):
    user = factories.make_user(factories.make_enterprise("sme"))
    other = app.test_client()
    for c in (client, other):
        assert c.post("/login", data={"email": user.email, "password": factories.PASSWORD}).status_code == 302
    new = "一个全新的更长的密码 2027"
    response = client.post("/account/password", data={"current_password": factories.PASSWORD, "password": new, "confirm": new})
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert other.get("/dashboard").status_code == 302
    client.post("/logout")
    assert client.post("/login", data={"email": user.email, "password": factories.PASSWORD}).status_code == 401
    assert client.post("/login", data={"email": user.email, "password": new}).status_code == 302


def test_password_change_needs_the_current_password(client, auth):
    auth.as_role("lead")
    new = "一个全新的更长的密码 2027"
    response = client.post("/account/password", data={"current_password": "not it at all", "password": new, "confirm": new})
    assert response.status_code == 400
    assert "当前密码不正确" in field_error(response.get_data(as_text=True), "current_password")


def test_failed_logins_lock_only_that_account(app, client):
    victim = factories.make_user(factories.make_enterprise("sme"), email="victim@example.cn")
    bystander = factories.make_user(factories.make_enterprise("sme"), email="bystander@example.cn")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert client.post("/login", data={"email": victim.email, "password": "guess guess guess"}).status_code == 401
    locked = client.post("/login", data={"email": victim.email, "password": factories.PASSWORD})
    assert locked.status_code == 401 and "登录失败次数过多" in locked.get_data(as_text=True)
    assert client.post("/login", data={"email": bystander.email, "password": factories.PASSWORD}).status_code == 302


def test_a_suspended_enterprise_cannot_log_in_and_is_logged_out(app, client):
    enterprise = factories.make_enterprise("sme")
    user = factories.make_user(enterprise)
    assert client.post("/login", data={"email": user.email, "password": factories.PASSWORD}).status_code == 302
    enterprise.status, enterprise.status_reason = "suspended", "资质造假"
    db.session.commit()
    assert client.get("/dashboard").status_code == 302
    refused = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    assert refused.status_code == 401
    assert "已被停用" in refused.get_data(as_text=True) and "资质造假" in refused.get_data(as_text=True)


@pytest.mark.parametrize("target, expected", [
    ("/profile", "/profile"),
    ("https://evil.example.com/", "/dashboard"),
    ("//evil.example.com/", "/dashboard"),
    ("/\\evil.example.com", "/dashboard"),
    ("javascript:alert(1)", "/dashboard"),
])
def test_next_only_redirects_within_the_site(client, target, expected):
    user = factories.make_user(factories.make_enterprise("sme"))
    response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD, "next": target})
    assert response.status_code == 302 and response.headers["Location"] == expected


def test_login_page_carries_next_from_the_redirect(client):
    response = client.get("/profile")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=/profile")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="/profile"' in html


def test_logout_is_a_post(client, auth):
    auth.as_role("sme")
    assert client.get("/logout").status_code == 405
    assert client.get("/dashboard").status_code == 200
