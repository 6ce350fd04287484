"""In Chromium, with the demo world: the operator logs in, starts a full rematch and watches it
finish, and sees the dashboard, the network map (and a lead firm's neighbourhood) and the gap
list, in Chinese and in English. Screenshots of each page go to test-artifacts/."""

from __future__ import annotations

import re

import pytest

from matchmaker.extensions import db

from ..conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_server(live_server):
    from matchmaker.demo_seed import DEMO_OPERATOR, DEMO_PASSWORD, seed_demo_world
    from matchmaker.engine.services import run_full_match

    from .demo import add_engagement

    with live_server.app.app_context():
        seed_demo_world()
        run_full_match()
        add_engagement()
        db.session.remove()
    live_server.operator = (DEMO_OPERATOR[0], DEMO_PASSWORD)
    return live_server


def log_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("邮箱").fill(email)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def node_count(page) -> int:
    return page.locator("svg.network-map a.node").count()


def test_operator_console_in_chinese_and_english(demo_server, page):
    base = demo_server.url
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, base, *demo_server.operator)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="运营台").click()
    page.wait_for_url(f"{base}/operator/")

    # a full rematch, followed to its end by the progress panel (polling /operator/runs/<id>)
    page.get_by_test_id("start-rematch").click()
    panel = page.get_by_test_id("run-panel")
    panel.locator(".run-status", has_text="已完成").wait_for(timeout=60000)
    assert page.locator(".run-panel .progress-bar").get_attribute("style") == "width: 100%;"
    assert "全量重新匹配" in page.content()

    # the dashboard: totals, funnels per chain (drawn and as a table), activity, breakdowns
    assert int(page.get_by_test_id("total-enterprises").inner_text()) == 248
    assert int(page.get_by_test_id("total-matches").inner_text()) > 50
    for heading in ("各链条转化漏斗", "每周活跃情况", "按梯度统计中小企业", "按链条"):
        assert page.get_by_text(heading).first.is_visible()
    assert page.locator("svg.funnel").count() >= 5
    supply = page.locator('.funnel-table tr[data-chain="supply"] td[data-step="matched"]')
    assert int(supply.get_attribute("data-value")) > 0
    screenshot(page, "operator-dashboard-zh")

    # the network map: hundreds of nodes, lead firms labelled, a legend; then a neighbourhood
    page.get_by_role("link", name="融通网络图").first.click()
    page.wait_for_url(f"{base}/operator/network")
    assert node_count(page) > 100
    assert page.locator("svg.network-map a.node.lead").count() == 24
    assert page.locator("svg.network-map text.node-label", has_text="华晟汽车").count() == 1
    assert page.get_by_test_id("network-legend").get_by_text("供应链").is_visible()
    screenshot(page, "operator-network-zh")
    page.get_by_label("显示未处理的推荐").check()
    page.get_by_label("链条").select_option("supply")
    page.get_by_role("button", name="显示").click()
    page.wait_for_url(re.compile(r".*chain=supply.*"))
    assert page.locator("svg.network-map line.edge.suggestion").count() > 0
    assert set(page.locator("svg.network-map line.edge").evaluate_all(
        "lines => lines.map(l => l.getAttribute('data-chain'))")) == {"supply"}
    screenshot(page, "operator-network-supply-zh")
    page.locator("svg.network-map a.node.lead", has=page.locator("title", has_text="华晟汽车集团")).click()
    page.wait_for_url(re.compile(r".*/operator/enterprises/\d+$"))
    page.get_by_test_id("lead-network").click()
    page.wait_for_url(re.compile(r".*/operator/network\?lead=\d+$"))
    assert "华晟汽车集团有限公司的融通网络" in page.locator("h1").inner_text()
    assert page.locator("svg.network-map a.node.centre").count() == 1
    screenshot(page, "operator-network-lead-zh")

    # the gap list
    page.get_by_role("link", name="链条短板").first.click()
    page.wait_for_url(f"{base}/operator/gaps")
    assert page.get_by_role("heading", name="缺少合适供给的需求").is_visible()
    assert page.get_by_test_id("lonely-smes").is_visible() or page.get_by_text("每家中小企业都至少获得过一条推荐").is_visible()
    assert re.search(r"有 \d+ 项.+需求没有", page.content())
    screenshot(page, "operator-gaps-zh")

    # in English
    page.get_by_role("button", name="语言").click()
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"{base}/operator/gaps")
    assert page.get_by_role("heading", name="Needs without a good fit").is_visible()
    assert re.search(r"\d+ needs? for .+ in .+ ha(s|ve) no", page.content())
    screenshot(page, "operator-gaps-en")
    page.get_by_role("link", name="Dashboard").first.click()
    page.wait_for_url(f"{base}/operator/")
    assert page.get_by_role("heading", name="Funnel per chain").is_visible()
    assert page.get_by_role("heading", name="Activity per week").is_visible()
    screenshot(page, "operator-dashboard-en")
    page.get_by_role("link", name="Network map").first.click()
    page.wait_for_url(f"{base}/operator/network")
    assert node_count(page) > 100 and page.get_by_text("Lead firm", exact=True).is_visible()
    screenshot(page, "operator-network-en")
    assert errors == []
