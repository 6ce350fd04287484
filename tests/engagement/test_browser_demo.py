"""The same path on the demo world itself, as the README's demo logins meet it: lead@demo.cn opens
its posting's suggestions, reads the reasons and accepts demo-sme's; sme@demo.cn sees the interest
and accepts; both see the other's contacts, exchange a message and move the match to 已签约; a third
demo enterprise gets 404. In Chinese and in English."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from matchmaker.demo_seed import DEMO_PASSWORD, seed_demo_world
from matchmaker.extensions import db
from matchmaker.models import Enterprise, Match, Posting, Suggestion
from tests.conftest import screenshot
from tests.factories import make_user

from .test_browser import log_in

TEXT = {
    "zh": {"open": "查看并答复", "accept": "表达合作意向", "contract": "已签约", "supply": "供应链",
           "concept": "液冷板"},
    "en": {"open": "Details and answer", "accept": "Express interest in working together",
           "contract": "Contract signed", "supply": "Supply chain", "concept": "liquid cold plate"},
}


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_demo_logins_take_their_pairing_to_a_contract(live_server, page, browser, lang):
    t = TEXT[lang]
    base = live_server.url
    with live_server.app.app_context():
        seed_demo_world(activity=False)
        lead = db.session.scalar(select(Enterprise).where(Enterprise.ref == "demo-lead"))
        sme = db.session.scalar(select(Enterprise).where(Enterprise.ref == "demo-sme"))
        posting = db.session.scalar(select(Posting).where(Posting.ref == "p-demo-lead-01"))
        suggestion = db.session.scalar(select(Suggestion).where(
            Suggestion.lead_posting_id == posting.id, Suggestion.sme_enterprise_id == sme.id))
        assert suggestion is not None and suggestion.chain == "supply"
        third = make_user(db.session.scalar(select(Enterprise).where(Enterprise.ref == "sme-0001")),
                          email="third@demo-test.cn")
        ids = dict(suggestion=suggestion.id, posting=posting.id, lead_name=lead.name, sme_name=sme.name,
                   lead_mail=lead.contact_email, sme_mail=sme.contact_email, third=third.email)

    log_in(page, base, "lead@demo.cn", lang, DEMO_PASSWORD)
    page.goto(f"{base}/suggestions?posting={ids['posting']}")
    card = page.locator("[data-testid=suggestion]", has_text=ids["sme_name"]).first
    assert t["supply"] in card.inner_text()
    screenshot(page, f"demo-{lang}-1-lead-suggestions")
    card.get_by_role("link", name=t["open"]).click()
    reasons = page.locator("[data-testid=reasons] li")
    # the reasons, in the reader's language, name the concept both sides share
    assert reasons.count() >= 3 and t["concept"] in page.locator("[data-testid=reasons]").inner_text()
    assert ids["sme_mail"] not in page.content()
    page.get_by_role("button", name=t["accept"]).click()
    page.wait_for_selector(".alert-success")

    sme_page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    log_in(sme_page, base, "sme@demo.cn", lang, DEMO_PASSWORD)
    sme_page.click("[data-testid=notifications-link]")
    notice = sme_page.locator(".notification-text", has_text=ids["lead_name"]).first
    notice.click()
    sme_page.wait_for_url(f"**/suggestions/{ids['suggestion']}")
    sme_page.get_by_role("button", name=t["accept"]).click()
    sme_page.wait_for_url("**/matches/*")
    match_url = sme_page.url.split("#")[0]
    assert ids["lead_mail"] in sme_page.locator("[data-testid=party-lead]").inner_text()
    sme_page.fill("#body", "李经理您好，样品下周寄出。")
    sme_page.click("[data-testid=send-message]")
    sme_page.wait_for_selector("text=李经理您好，样品下周寄出。")

    page.goto(match_url)
    assert ids["sme_mail"] in page.locator("[data-testid=party-sme]").inner_text()
    assert "样品下周寄出" in page.locator("[data-testid=messages]").inner_text()
    page.fill("#body", "收到，谢谢。")
    page.click("[data-testid=send-message]")
    page.wait_for_selector("text=收到，谢谢。")
    page.select_option("#stage", "contract")
    page.fill("#note", "2027年度液冷板框架协议")
    page.click("[data-testid=move-stage]")
    page.wait_for_selector("[data-testid=history] li[data-stage=contract]")
    assert t["contract"] in page.locator("[data-testid=match-stage]").first.inner_text()
    screenshot(page, f"demo-{lang}-2-lead-match")
    sme_page.reload()
    assert t["contract"] in sme_page.locator("[data-testid=match-stage]").first.inner_text()

    other = browser.new_context(locale="zh-CN").new_page()
    log_in(other, base, ids["third"], lang)
    for url in (f"{base}/suggestions/{ids['suggestion']}", match_url):
        assert other.goto(url).status == 404
        assert ids["sme_mail"] not in other.content() and ids["lead_mail"] not in other.content()
    with live_server.app.app_context():
        assert db.session.scalar(select(Match.stage).where(Match.suggestion_id == ids["suggestion"])) == "contract"
    for p in (sme_page, other):
        p.context.close()
