"""In Chromium: a lead user and an SME user each create, publish, find and close a posting — the
lead in Chinese, the SME in English (switched through the language menu). Screenshots go to
test-artifacts/."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests import factories

from ..conftest import screenshot

pytestmark = pytest.mark.browser


def log_in(page, base: str, email: str, label_email: str = "邮箱", label_password: str = "密码",
           button: str = "登录") -> None:
    page.goto(f"{base}/login")
    page.get_by_label(label_email).fill(email)
    page.get_by_label(label_password).fill(factories.PASSWORD)
    page.get_by_role("button", name=button).click()
    page.wait_for_url(f"{base}/dashboard")


def make_users(app):
    with app.app_context():
        lead = factories.make_enterprise("lead", name="华晟汽车集团有限公司", region="420100", industry="C36")
        sme = factories.make_enterprise("sme", name="楚源热管理科技股份有限公司", region="420600", industry="C36",
                                        tier="little_giant")
        return factories.make_user(lead, email="lead@browser.cn").email, factories.make_user(sme, email="sme@browser.cn").email


def test_lead_in_chinese_and_sme_in_english(live_server, page):
    base = live_server.url
    lead_email, sme_email = make_users(live_server.app)
    deadline = (date.today() + timedelta(days=45)).isoformat()
    page.on("dialog", lambda dialog: dialog.accept())

    # --- the lead, in Chinese: an anonymous component need ------------------------------------
    log_in(page, base, lead_email)
    page.get_by_role("link", name="我的发布").first.click()
    expect(page.get_by_test_id("empty-state")).to_be_visible()
    page.get_by_test_id("new-posting").click()
    screenshot(page, "postings-choose-kind-zh")
    page.get_by_test_id("choose-need-component").click()
    page.get_by_label("标题").fill("800V电池包液冷板批量采购")
    page.get_by_label("详细说明").fill("为新一代纯电平台采购铝合金钎焊液冷板，要求同步开发能力。<script>alert(1)</script>")
    page.get_by_label("标签").fill("液冷板, 钎焊, IATF 16949")
    page.get_by_label("规格要求").fill("3003铝合金，氦检漏率≤1×10⁻⁶")
    page.get_by_label("数量").fill("年需求12万套")
    page.get_by_label("截止日期").fill(deadline)
    page.get_by_label("匿名发布").check()
    assert page.locator("#chains-1").is_checked()  # supply chain proposed for a component need
    screenshot(page, "postings-form-need-zh")
    page.get_by_test_id("save-publish").click()
    page.wait_for_url(f"{base}/postings/*")
    assert page.get_by_test_id("posting-title").inner_text() == "800V电池包液冷板批量采购"
    assert page.get_by_test_id("posting-status").inner_text() == "已发布"
    assert "<script>alert(1)</script>" in page.get_by_test_id("posting-description").inner_text()  # shown, not run
    screenshot(page, "postings-detail-owner-zh")
    lead_posting_url = page.url

    page.get_by_role("link", name="供需大厅").first.click()
    page.get_by_test_id("search-input").fill("液冷板")
    page.get_by_test_id("search-submit").click()
    page.wait_for_url(lambda url: "q=" in url)  # the results page, not the one before it
    cards = page.get_by_test_id("posting-card")
    expect(cards).to_have_count(1)
    assert "800V电池包液冷板批量采购" in cards.first.inner_text()
    screenshot(page, "postings-search-zh")
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url(f"{base}/")  # the logout's own cookie is set before the next step

    # --- the SME, in English: a capability, and it finds the lead's need without its name ------
    log_in(page, base, sme_email)
    page.get_by_role("button", name="语言").click()  # the language menu
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the switch has landed
    page.goto(f"{base}/postings/new")
    assert "New posting" in page.content()
    page.get_by_test_id("choose-capability-product").click()
    page.get_by_label("Title").fill("Brazed aluminium liquid cooling plates")
    page.get_by_label("Description").fill("Little giant SME: 6 CAB brazing lines, helium leak testing, 500,000 plates a year.")
    page.get_by_label("Tags").fill("液冷板, CNC")
    page.get_by_label("Capacity").fill("500,000 plates a year")
    page.get_by_label("Certifications").fill("IATF 16949, ISO 14001")
    page.get_by_label("Deadline").fill(deadline)
    screenshot(page, "postings-form-capability-en")
    page.get_by_test_id("save-publish").click()
    page.wait_for_url(f"{base}/postings/*")
    assert page.get_by_test_id("posting-status").inner_text() == "Published"
    sme_posting_url = page.url

    page.goto(f"{base}/postings?q=液冷板")
    titles = page.get_by_test_id("posting-card").all_inner_texts()
    assert len(titles) == 2
    assert any("800V电池包液冷板批量采购" in t and "An anonymous lead enterprise" in t for t in titles)
    assert "华晟汽车集团" not in page.content()
    screenshot(page, "postings-search-en")
    page.goto(f"{base}/postings?q=数控加工")  # CNC in the tags: a synonym finds it
    assert "Brazed aluminium liquid cooling plates" in page.get_by_test_id("posting-card").first.inner_text()
    page.goto(lead_posting_url)
    assert page.get_by_test_id("posting-owner").inner_text() == "An anonymous lead enterprise"
    assert "华晟汽车集团" not in page.content()
    screenshot(page, "postings-detail-anonymous-en")

    page.goto(sme_posting_url)
    page.get_by_test_id("close-posting").click()
    expect(page.get_by_test_id("posting-status")).to_have_text("Closed")  # retried until the new page shows it
    page.goto(f"{base}/postings/mine")
    assert "Brazed aluminium liquid cooling plates" in page.get_by_test_id("posting-card").first.inner_text()
    screenshot(page, "postings-mine-en")
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url(f"{base}/")  # the logout's own cookie is set before the next step

    # --- the lead closes its own, back in Chinese ----------------------------------------------
    page.goto(f"{base}/lang/zh?next=/login")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    log_in(page, base, lead_email)
    page.goto(lead_posting_url)
    page.get_by_test_id("close-posting").click()
    expect(page.get_by_test_id("posting-status")).to_have_text("已关闭")
    page.goto(f"{base}/postings?q=液冷板")
    assert page.get_by_test_id("empty-state").is_visible()
    screenshot(page, "postings-search-empty-zh")
