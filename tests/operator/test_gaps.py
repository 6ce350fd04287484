"""Chain gaps: needs without a good fit (grouped by concept and region), needs without a local
supplier, and the SMEs that never receive a suggestion with the reason."""

from __future__ import annotations

import re

from matchmaker.operator import gaps


def test_need_with_no_capable_sme_is_a_gap(app, world):
    weak, not_local = gaps.lead_gaps(0.35, "zh")
    by_posting = {gp.posting.id: (g, gp) for g in weak for gp in g.postings}
    # B1: 液压件 in 长沙, no suggestion at all, and no SME offers 液压件
    group, item = by_posting[world.postings["B1"].id]
    assert group.concept == "液压件" and group.region == "430100"
    assert item.best is None and item.capable == 0
    # A2: best score 0.3 is below the threshold
    group, item = by_posting[world.postings["A2"].id]
    assert item.best == 0.3
    # A1 (best 0.82 from a Wuhan SME) is no gap; B4 (0.7, but only from Hubei) lacks a local supplier
    assert world.postings["A1"].id not in by_posting and world.postings["B4"].id not in by_posting
    assert [gp.posting.id for g in not_local for gp in g.postings] == [world.postings["B4"].id]
    assert not_local[0].concept == "液冷板" and not_local[0].region == "430100"
    # closed and draft postings, and resources, are never gaps
    for key in ("A3", "B3", "B2"):
        assert world.postings[key].id not in by_posting


def test_threshold_changes_the_list(app, world):
    weak, _ = gaps.lead_gaps(0.9, "zh")
    assert {gp.posting.id for g in weak for gp in g.postings} == {
        world.postings[k].id for k in ("A1", "A2", "B1", "B4")}
    weak, _ = gaps.lead_gaps(0.0, "zh")
    assert {gp.posting.id for g in weak for gp in g.postings} == {world.postings["B1"].id}


def test_needs_are_grouped_by_concept_and_city(app, world):
    from .factories import make_posting

    for n in range(3):
        make_posting(world.lead_b, "need", "component", tags=["液压件"], chains=["supply"], region="430100",
                     title=f"液压件需求{n}")
    weak, _ = gaps.lead_gaps(0.35, "zh")
    group = next(g for g in weak if g.concept == "液压件")
    assert group.count == 4 and group.without_any == 4
    assert weak[0] is group  # the biggest group first


def test_smes_without_suggestions_and_why(app, world):
    lonely = {item.enterprise.id: item.reason for item in gaps.lonely_smes("zh")}
    s = world.smes
    assert lonely == {s[4].id: "pending", s[5].id: "no_capability", s[6].id: "too_vague",
                      s[7].id: "outside_chains", s[8].id: "no_fit"}


def test_gaps_page(client, login_operator, world):
    login_operator()
    html = client.get("/operator/gaps").get_data(as_text=True)
    weak = html.split('data-testid="weak-gaps"')[1].split("</ol>")[0]
    assert "液压件" in weak and "长沙市" in weak
    assert "没有" in weak  # the sentence is in Chinese
    lonely = html.split('data-testid="lonely-smes"')[1].split("</table>")[0]
    assert "轴承制造有限公司" in lonely and 'data-reason="outside_chains"' in lonely
    assert client.get("/operator/gaps?threshold=2").status_code == 400
    assert client.get("/operator/gaps?threshold=abc").status_code == 400
    assert client.get("/operator/gaps?threshold=0.5").status_code == 200
    client.get("/lang/en")
    english = client.get("/operator/gaps").get_data(as_text=True)
    assert re.search(r"1 need for 液压件 \(hydraulic components\) in Changsha, Hunan has no well-fitting SME", english)
    assert "No SME on the platform offers it" in english
