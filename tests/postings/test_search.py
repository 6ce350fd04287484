"""Browse and search: Chinese text without spaces, synonyms, filters, ordering, empty states."""

from __future__ import annotations

import re

from matchmaker.extensions import db
from matchmaker.models.base import utcnow
from tests import factories

from .factories import make_posting


def titles(client, query: str) -> list[str]:
    page = client.get("/postings" + query).get_data(as_text=True)
    return re.findall(r'<h2 class="h5 mt-1 mb-1"><a href="/postings/\d+">([^<]+)</a>', page)


def test_chinese_substring_search(client, auth):
    lead = factories.make_enterprise("lead")
    make_posting(lead, title="汽车密封条年度采购", description="三元乙丙橡胶。")
    make_posting(lead, title="车身冲压件", description="高强钢冲压。", tags=["冲压"])
    auth.as_role("sme")
    assert titles(client, "?q=密封条") == ["汽车密封条年度采购"]
    assert titles(client, "?q=汽车密封条") == ["汽车密封条年度采购"]
    assert titles(client, "?q=乙丙") == ["汽车密封条年度采购"]  # inside the description
    assert titles(client, "?q=冲压 高强钢") == ["车身冲压件"]  # every word must match


def test_synonyms_find_each_other(client, auth):
    sme = factories.make_enterprise("sme")
    make_posting(sme, title="CNC精密零件加工", description="五轴CNC，公差±0.01mm。", tags=["CNC"])
    make_posting(sme, title="数控加工服务", description="车铣复合，批量加工铝合金壳体。", tags=["数控"])
    make_posting(sme, title="注塑模具", description="精密注塑。", tags=["注塑"])
    auth.as_role("lead")
    assert set(titles(client, "?q=数控加工")) == {"CNC精密零件加工", "数控加工服务"}
    assert set(titles(client, "?q=cnc")) == {"CNC精密零件加工", "数控加工服务"}
    assert set(titles(client, "?q=ＣＮＣ")) == {"CNC精密零件加工", "数控加工服务"}  # full-width
    # the exact words rank first
    assert titles(client, "?q=数控加工")[0] == "数控加工服务"


def test_relevance_then_recency(client, auth):
    lead = factories.make_enterprise("lead")
    old = make_posting(lead, title="液冷板需求（旧）", description="电池包热管理。")
    mention = make_posting(lead, title="电池包结构件", description="另需少量液冷板。")
    new = make_posting(lead, title="液冷板需求（新）", description="电池包热管理。")
    old.published_at = utcnow().replace(year=2024)
    db.session.commit()
    auth.as_role("sme")
    assert titles(client, "?q=液冷板") == ["液冷板需求（新）", "液冷板需求（旧）", "电池包结构件"]
    assert titles(client, "") == ["液冷板需求（新）", "电池包结构件", "液冷板需求（旧）"]


def test_filters(client, auth):
    wuhan_lead = factories.make_enterprise("lead", region="420100", industry="C36")
    shenzhen_sme = factories.make_enterprise("sme", region="440300", industry="C39", tier="little_giant")
    other_sme = factories.make_enterprise("sme", region="420500", industry="C35", tier="innovative")
    make_posting(wuhan_lead, title="开放试验场", kind="resource", category="test_site", industry="C3670", chains=["innovation"])
    make_posting(wuhan_lead, title="供应链金融", kind="resource", category="fund", chains=["capital"])
    make_posting(shenzhen_sme, title="芯片测试能力", kind="capability", category="technology")
    make_posting(other_sme, title="检测需求", kind="need", category="testing")
    auth.as_role("sme")
    assert titles(client, "?kind=resource") == ["供应链金融", "开放试验场"]
    assert titles(client, "?category=test_site") == ["开放试验场"]
    assert titles(client, "?chain=capital") == ["供应链金融"]
    assert titles(client, "?industry=C36") == ["供应链金融", "开放试验场"]  # prefix: C3670 and C36
    assert titles(client, "?industry=C367") == ["开放试验场"]
    assert titles(client, "?region=420000") == ["检测需求", "供应链金融", "开放试验场"]  # Hubei: Wuhan and Yichang
    assert titles(client, "?region=420100") == ["供应链金融", "开放试验场"]
    assert titles(client, "?tier=little_giant") == ["芯片测试能力"]
    assert titles(client, "?since=7") == ["检测需求", "芯片测试能力", "供应链金融", "开放试验场"]
    assert titles(client, "?kind=bogus&industry=ZZZ&page=x") == ["检测需求", "芯片测试能力", "供应链金融", "开放试验场"]


def test_pagination_and_empty_states(client, auth):
    lead = factories.make_enterprise("lead")
    for n in range(23):
        make_posting(lead, title=f"配套需求{n:02d}")
    auth.as_role("sme")
    first = client.get("/postings").get_data(as_text=True)
    assert first.count('data-testid="posting-card"') == 20
    assert 'href="/postings?page=2"' in first
    second = client.get("/postings?page=2").get_data(as_text=True)
    assert second.count('data-testid="posting-card"') == 3
    empty = client.get("/postings?q=不存在的词语").get_data(as_text=True)
    assert 'data-testid="empty-state"' in empty and 'data-testid="posting-card"' not in empty


def test_like_wildcards_in_the_query_are_literal(client, auth):
    lead = factories.make_enterprise("lead")
    make_posting(lead, title="普通需求", description="没有百分号")
    auth.as_role("sme")
    assert titles(client, "?q=%25") == []
    assert titles(client, "?q=_") == []


def test_anonymous_visitors_may_browse_published_postings(client):
    lead = factories.make_enterprise("lead")
    make_posting(lead, title="公开的需求")
    page = client.get("/postings")
    assert page.status_code == 200 and "公开的需求" in page.get_data(as_text=True)
