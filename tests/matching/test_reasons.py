"""Suggestions carry reasons a person can read, in Chinese and English, with graph paths."""

import pytest

from matchmaker.matching import MatchIndex, match_all, suggest_for


def test_upstream_concept_link_is_explained_with_its_path(make, now):
    lead = make("lead", "need", "component", "动力电池配套", "为动力电池包寻找配套供应商")
    sme = make("sme", "capability", "product", "液冷板", "生产液冷板")
    got = match_all([lead, sme], now=now)
    assert len(got) == 1
    paths = [r for r in got[0].reasons if r.code == "concept_path"]
    assert paths, got[0].reasons
    assert "动力电池 — 电池热管理系统 — 液冷板" in paths[0].zh
    assert "traction batteries — battery thermal management — liquid cold plates" in paths[0].en


def test_every_reason_is_bilingual_and_the_first_states_the_direction(make, now):
    lead = make("lead", "resource", "test_site", "开放EMC实验室", "开放EMC测试暗室", industry="C3670", region="420100")
    sme = make("sme", "need", "testing", "需要EMC测试", "控制器需要EMC测试", industry="C3670", region="420106",
               tier="little_giant")
    got = match_all([lead, sme], now=now)[0]
    assert got.reasons[0].code == "direction"
    codes = {r.code for r in got.reasons}
    assert {"direction", "concept", "industry", "region"} <= codes
    for r in got.reasons:
        assert r.zh and r.en and r.zh != r.en
        assert any("\u4e00" <= ch <= "\u9fff" for ch in r.zh)
    region = next(r for r in got.reasons if r.code == "region")
    assert "武汉市" in region.zh and "Wuhan" in region.en


def test_reason_weights_account_for_the_score(make, now):
    lead = make("lead", "need", "component", "液压油缸采购", "采购挖掘机液压油缸", industry="C3510", region="430100",
                wants_specialized=True)
    sme = make("sme", "capability", "product", "液压油缸", "生产挖掘机液压油缸", industry="C3444", region="430100",
               tier="specialized")
    got = match_all([lead, sme], now=now)[0]
    assert sum(r.weight for r in got.reasons) == pytest.approx(got.score, abs=0.01)
    tier = next(r for r in got.reasons if r.code == "tier")
    assert "专精特新" in tier.zh


def test_tier_counts_only_when_the_lead_asks_for_it(make, now):
    def score(wants):
        lead = make("lead", "need", "component", "液压油缸采购", "采购液压油缸", wants_specialized=wants, id=1)
        giant = make("sme", "capability", "product", "液压油缸", "生产液压油缸", tier="little_giant", id=2)
        plain = make("sme", "capability", "product", "液压油缸", "生产液压油缸", id=3)
        got = {s.sme_posting_id: s.score for s in match_all([lead, giant, plain], now=now)}
        return got[2] - got[3]
    assert score(True) > 0.05
    assert score(False) == pytest.approx(0.0, abs=1e-6)


def test_fresher_posting_ranks_higher_all_else_equal(make, now):
    from datetime import datetime, timezone
    lead = make("lead", "need", "component", "液压油缸采购", "采购液压油缸")
    old = make("sme", "capability", "product", "液压油缸", "生产液压油缸", published_at=datetime(2023, 1, 1, tzinfo=timezone.utc))
    new = make("sme", "capability", "product", "液压油缸", "生产液压油缸", published_at=datetime(2024, 12, 30, tzinfo=timezone.utc))
    ranked = [p.sme_posting_id for p in MatchIndex([lead, old, new], now=now).candidates(lead)]
    assert ranked == [new.id, old.id]


def test_reciprocal_pairs_get_the_bonus_and_say_so(make, now):
    need = make("lead", "need", "component", "液冷板采购", "采购液冷板", enterprise_id=1)
    lab = make("lead", "resource", "test_site", "开放电池测试中心", "开放电池安全测试", enterprise_id=1)
    cap = make("sme", "capability", "product", "液冷板", "生产液冷板", enterprise_id=2)
    wants_test = make("sme", "need", "testing", "需要电池测试", "液冷板需要电池安全测试", enterprise_id=2)
    other = make("sme", "capability", "product", "液冷板", "生产液冷板", enterprise_id=3)
    got = {(s.lead_posting_id, s.sme_posting_id): s for s in match_all([need, lab, cap, wants_test, other], now=now)}
    mutual, single = got[(need.id, cap.id)], got[(need.id, other.id)]
    assert mutual.reciprocal and not single.reciprocal
    assert mutual.score > single.score
    assert any(r.code == "reciprocal" for r in mutual.reasons)
    index = MatchIndex([need, lab, cap, wants_test, other], now=now)
    incremental = {s.sme_posting_id: s.reciprocal for s in suggest_for(need, index)}
    assert incremental == {cap.id: True, other.id: False}
