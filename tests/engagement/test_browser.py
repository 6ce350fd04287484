"""In the browser: the lead reads a posting's suggestions and accepts one; the SME sees the interest
and accepts; both see the match with the other's contacts, exchange a message and move it to
"contract"; a third company gets 404. In Chinese, and the same in English."""

from __future__ import annotations

import pytest

from matchmaker.extensions import db
from matchmaker.models import Match
from tests.conftest import screenshot
from tests.factories import PASSWORD

from .factories import make_world

TEXT = {
    "zh": {"reason": "供需概念吻合：压铸件", "open": "查看并答复", "accept": "表达合作意向",
           "interest": "华晟汽车集团有限公司 对您的能力“高真空铝合金压铸能力”表达了合作意向。",
           "contract": "已签约", "match_notice": "对接成功", "not_found": "页面"},
    "en": {"reason": "Matching concept: die castings", "open": "Details and answer",
           "accept": "Express interest in working together",
           "interest": "华晟汽车集团有限公司 is interested in your capability “高真空铝合金压铸能力”.",
           "contract": "Contract signed", "match_notice": "It's a match", "not_found": "page"},
}


def log_in(page, base, email, lang, password=PASSWORD):
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    if lang == "en":
        page.goto(f"{base}/lang/en?next=/dashboard")


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_suggestion_to_contract_in_the_browser(live_server, page, browser, lang):
    t = TEXT[lang]
    base = live_server.url
    with live_server.app.app_context():
        w = make_world()
        ids = dict(suggestion=w.suggestion.id, posting=w.lead_posting.id, lead=w.lead_user.email,
                   sme=w.sme_user.email, third=w.third_user.email, lead_phone=w.lead.contact_phone,
                   sme_phone=w.sme.contact_phone, sme_mail=w.sme.contact_email, lead_mail=w.lead.contact_email)

    # the lead opens its posting's suggestions and reads the reasons
    log_in(page, base, ids["lead"], lang)
    page.goto(f"{base}/suggestions?posting={ids['posting']}")
    card = page.locator("[data-testid=suggestion]").first
    assert t["reason"] in card.inner_text()
    assert "楚天精密压铸有限公司" in card.inner_text()
    screenshot(page, f"engagement-{lang}-1-lead-suggestions")
    card.get_by_role("link", name=t["open"]).click()
    assert t["reason"] in page.locator("[data-testid=reasons]").inner_text()
    assert ids["sme_phone"] not in page.content()  # no contacts before the match
    screenshot(page, f"engagement-{lang}-2-lead-suggestion")
    page.get_by_role("button", name=t["accept"]).click()
    page.wait_for_selector(".alert-success")

    # the SME sees the interest among its notifications and accepts
    sme = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    log_in(sme, base, ids["sme"], lang)
    assert sme.locator("[data-testid=unread-count]").inner_text().strip() == "1"
    sme.click("[data-testid=notifications-link]")
    notice = sme.locator(".notification-text").first
    assert notice.inner_text().strip() == t["interest"]
    screenshot(sme, f"engagement-{lang}-3-sme-notifications")
    notice.click()
    sme.wait_for_url(f"**/suggestions/{ids['suggestion']}")
    sme.get_by_role("button", name=t["accept"]).click()
    sme.wait_for_url("**/matches/*")
    match_url = sme.url.split("#")[0]
    assert ids["lead_phone"] in sme.locator("[data-testid=party-lead]").inner_text()
    assert ids["lead_mail"] in sme.locator("[data-testid=party-lead]").inner_text()

    # the lead sees the match with the SME's contacts and writes
    page.goto(f"{base}/matches")
    page.locator("[data-testid=match] a").first.click()
    assert ids["sme_phone"] in page.locator("[data-testid=party-sme]").inner_text()
    assert ids["sme_mail"] in page.locator("[data-testid=party-sme]").inner_text()
    page.fill("#body", "您好，欢迎下周来厂考察 <script>alert(1)</script>")
    page.click("[data-testid=send-message]")
    page.wait_for_selector("[data-testid=message-body]")

    # the SME answers and records the contract
    sme.goto(match_url)
    assert "<script>alert(1)</script>" in sme.locator("[data-testid=message-body]").first.inner_text()
    sme.fill("#body", "好的，周三见。")
    sme.click("[data-testid=send-message]")
    sme.wait_for_selector("text=好的，周三见。")
    sme.select_option("#stage", "contract")
    sme.fill("#note", "年度框架协议")
    sme.click("[data-testid=move-stage]")
    sme.wait_for_selector("[data-testid=history] li[data-stage=contract]")
    assert t["contract"] in sme.locator("[data-testid=match-stage]").first.inner_text()
    screenshot(sme, f"engagement-{lang}-4-sme-match")

    page.reload()
    assert t["contract"] in page.locator("[data-testid=match-stage]").first.inner_text()
    assert "好的，周三见。" in page.locator("[data-testid=messages]").inner_text()
    assert "年度框架协议" in page.locator("[data-testid=history]").inner_text()
    screenshot(page, f"engagement-{lang}-5-lead-match")

    # a third company sees none of it
    third = browser.new_context(locale="zh-CN").new_page()
    log_in(third, base, ids["third"], lang)
    for url in (f"{base}/suggestions/{ids['suggestion']}", match_url):
        response = third.goto(url)
        assert response.status == 404
        assert "楚天" not in third.content() and ids["lead_phone"] not in third.content()
    screenshot(third, f"engagement-{lang}-6-third-404")
    with live_server.app.app_context():
        assert db.session.query(Match).count() == 1
    for p in (sme, third):
        p.context.close()
