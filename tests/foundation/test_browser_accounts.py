"""In Chromium: an SME registers, logs out and logs in again; the demo lead and operator log in."""

from __future__ import annotations

import pytest

from matchmaker.uscc import make_uscc

from ..conftest import screenshot

pytestmark = pytest.mark.browser
PASSWORD = "汉江之滨 热管理 2026"


def log_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("邮箱").fill(email)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def log_out(page) -> None:
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()


def test_an_sme_registers_logs_out_and_logs_in_again(live_server, page):
    base = live_server.url
    page.goto(base + "/")
    page.get_by_role("link", name="中小企业注册").click()
    page.get_by_label("中小企业", exact=True).check()
    page.get_by_label("企业名称").fill("襄阳精锐液压科技有限公司")
    page.get_by_label("统一社会信用代码").fill(make_uscc(region="420600", org_code9="MA4XYR001").lower())
    page.get_by_label("中小企业梯度").select_option("specialized")
    page.get_by_label("所属行业（GB/T 4754-2017）").select_option("C34")
    page.get_by_label("所在地区").select_option("420600")
    page.get_by_label("主营业务").fill("液压油缸、精密液压阀的研发与制造，服务工程机械主机厂。")
    page.get_by_label("联系人").fill("周志强")
    page.get_by_label("联系电话").fill("0710-3336666")
    page.get_by_label("联系邮箱").fill("zhou@jingrui.example.cn")
    page.get_by_label("您的姓名").fill("周志强")
    page.get_by_label("登录邮箱").fill("zhou@jingrui.example.cn")
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_label("再次输入密码").fill(PASSWORD)
    screenshot(page, "register-filled-zh")
    page.get_by_role("button", name="注册").click()
    page.wait_for_url(f"{base}/dashboard")
    assert page.get_by_test_id("dashboard-title").inner_text() == "襄阳精锐液压科技有限公司"
    assert page.get_by_test_id("enterprise-status").inner_text() == "待审核"
    screenshot(page, "dashboard-after-registration-zh")

    log_out(page)
    page.wait_for_url(f"{base}/")
    assert "您已退出登录" in page.content()
    page.goto(f"{base}/dashboard")
    assert "/login" in page.url

    log_in(page, base, "zhou@jingrui.example.cn", "not the password 123")
    assert "邮箱或密码不正确" in page.get_by_test_id("form-errors").inner_text()
    log_in(page, base, "zhou@jingrui.example.cn", PASSWORD)
    page.wait_for_url(f"{base}/dashboard")
    assert page.get_by_test_id("dashboard-title").inner_text() == "襄阳精锐液压科技有限公司"


def test_registration_errors_appear_next_to_the_fields(live_server, page):
    base = live_server.url
    page.goto(f"{base}/register?role=sme")
    page.get_by_label("统一社会信用代码").fill("91420100MA4K8XY21A")
    page.get_by_label("密码", exact=True).fill("short")
    page.get_by_role("button", name="注册").click()
    assert page.locator("#uscc-error").is_visible()
    assert "至少需要 12" in page.locator("#password-error").inner_text()
    assert page.locator("#name-error").is_visible()
    screenshot(page, "register-errors-zh")


def test_the_demo_lead_and_operator_log_in(live_server, page):
    from matchmaker.demo_seed import DEMO_PASSWORD, seed_demo_world

    with live_server.app.app_context():
        seed_demo_world()
    base = live_server.url
    log_in(page, base, "lead@demo.cn", DEMO_PASSWORD)
    page.wait_for_url(f"{base}/dashboard")
    assert page.get_by_test_id("enterprise-status").inner_text() == "已认证"
    screenshot(page, "demo-lead-dashboard-zh")
    log_out(page)
    log_in(page, base, "operator@demo.cn", DEMO_PASSWORD)
    page.wait_for_url(f"{base}/operator/")
    screenshot(page, "operator-console-zh")
    page.goto(f"{base}/lang/en?next=/operator/")
    assert "Operator console" in page.content() or "Console" in page.content()
