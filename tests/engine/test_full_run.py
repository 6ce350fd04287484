"""The full rematch: what it stores, its caps, and how it treats suggestions people already decided."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from matchmaker.engine.services import Plan, apply_plan, run_full_match
from matchmaker.extensions import db
from matchmaker.models import Suggestion
from matchmaker.models.base import utcnow
from matchmaker.vocabulary import CHAINS

from .factories import (CNC_NEED, CNC_SHOP, COOLING_MAKER, COOLING_NEED, EMC_NEED, TEST_SITE, all_suggestions,
                        lead, make_posting, sme_with, suggestions_of)


def small_world():
    car = lead(name="某整车集团")
    cooling_need = make_posting(car, "need", "component", *COOLING_NEED)
    test_site = make_posting(car, "resource", "test_site", *TEST_SITE)
    maker_ent, maker = sme_with("capability", "product", *COOLING_MAKER)
    cnc_ent, cnc = sme_with("capability", "process", *CNC_SHOP)
    emc_ent, emc = sme_with("need", "testing", *EMC_NEED)
    return dict(car=car, cooling_need=cooling_need, test_site=test_site, maker=maker, cnc=cnc, emc=emc,
                maker_ent=maker_ent, cnc_ent=cnc_ent, emc_ent=emc_ent)


def test_full_run_stores_suggestions_with_chain_reasons_and_ranks(app, created_signals):
    w = small_world()
    stats = run_full_match()

    rows = all_suggestions()
    assert stats["created"] == len(rows) > 0
    assert created_signals == sorted(created_signals) and set(created_signals) == {s.id for s in rows}
    pairs = {(s.lead_posting_id, s.sme_posting_id): s for s in rows}
    # The liquid-cooling plate maker answers the need for cooling plates, on the supply chain, and ranks first.
    best = pairs[(w["cooling_need"].id, w["maker"].id)]
    assert best.chain == "supply" and best.rank == 1 and best.status == "open"
    assert best.lead_enterprise_id == w["car"].id and best.sme_enterprise_id == w["maker_ent"].id
    # The open test site answers the SME that needs EMC testing.
    assert (w["test_site"].id, w["emc"].id) in pairs
    # Direction, not shared words: the SME needing a test is not offered the cooling-plate need.
    assert (w["cooling_need"].id, w["emc"].id) not in pairs
    for s in rows:
        assert s.chain in CHAINS
        assert s.reasons and all(set(r) == {"code", "zh", "en", "weight"} for r in s.reasons)
        assert s.reasons[0]["code"] == "direction" and "方向匹配" in s.reasons[0]["zh"]
        assert s.reasons[0]["en"] and s.reasons[0]["en"] != s.reasons[0]["zh"]
    assert any("液冷板" in r["zh"] for r in best.reasons if r["code"] != "direction")
    ranks = [s.rank for s in rows if s.lead_posting_id == w["cooling_need"].id]
    assert ranks == list(range(1, len(ranks) + 1))
    assert stats["by_chain"]["supply"] >= 1 and stats["postings"] == 5


def test_rerun_without_changes_changes_nothing(app, created_signals):
    small_world()
    run_full_match()
    before = [(s.id, s.score, s.rank, s.updated_at) for s in all_suggestions()]
    created_signals.clear()
    stats = run_full_match()
    assert stats["created"] == stats["withdrawn"] == stats["updated"] == 0
    assert stats["unchanged"] == len(before)
    assert [(s.id, s.score, s.rank, s.updated_at) for s in all_suggestions()] == before
    assert created_signals == []


def test_cap_k_suggestions_per_lead_posting(configured):
    with configured(MATCH_PER_LEAD_POSTING=2):
        car = lead()
        need = make_posting(car, "need", "component", *COOLING_NEED)
        for n in range(4):
            sme_with("capability", "product", f"液冷板制造{n}", COOLING_MAKER[1])
        run_full_match()
        got = suggestions_of(need.id)
        assert len(got) == 2
        assert [s.rank for s in got] == [1, 2]
        assert got[0].score >= got[1].score


def test_cap_m_open_suggestions_per_sme_enterprise(configured):
    with configured(MATCH_PER_SME=1):
        needs = [make_posting(lead(), "need", "component", *COOLING_NEED) for _ in range(3)]
        maker_ent, maker = sme_with("capability", "product", *COOLING_MAKER)
        # Two postings of the same SME still share one cap.
        make_posting(maker_ent, "capability", "product", "水冷板加工", "电池水冷板、液冷板钎焊加工")
        run_full_match()
        held = db.session.scalars(select(Suggestion).where(Suggestion.sme_enterprise_id == maker_ent.id,
                                                           Suggestion.status == "open")).all()
        assert len(held) == 1
        assert held[0].lead_posting_id in {n.id for n in needs}


def test_kept_interest_counts_against_the_smes_cap(configured):
    with configured(MATCH_PER_SME=1):
        first = make_posting(lead(), "need", "component", *COOLING_NEED)
        second = make_posting(lead(), "need", "component", *COOLING_NEED)
        maker_ent, maker = sme_with("capability", "product", *COOLING_MAKER)
        run_full_match()
        (held,) = suggestions_of(maker.id)
        held.status, held.sme_decision, held.sme_decided_at = "interest", "accepted", utcnow()
        db.session.commit()
        run_full_match()
        rows = suggestions_of(maker.id)
        assert [(s.id, s.status) for s in rows] == [(held.id, "interest")]
        assert {first.id, second.id} >= {s.lead_posting_id for s in rows}


def test_decided_suggestions_are_kept_exactly_on_rerun(app):
    w = small_world()
    run_full_match()
    chosen = suggestions_of(w["cooling_need"].id)[0]
    chosen.status, chosen.lead_decision, chosen.lead_decided_at = "interest", "accepted", utcnow() - timedelta(days=2)
    chosen.score, chosen.rank = 0.123, 7  # whatever it holds must survive
    db.session.commit()
    columns = [c.key for c in Suggestion.__table__.columns]
    snapshot = {c: getattr(chosen, c) for c in columns}
    # The world changes: a stronger competitor appears, and the lead posting's text is edited.
    sme_with("capability", "product", "液冷板龙头", COOLING_MAKER[1] + "，液冷板专利20项")
    run_full_match()
    db.session.expire_all()
    again = db.session.get(Suggestion, chosen.id)
    assert {c: getattr(again, c) for c in columns} == snapshot


def test_declined_pair_is_never_proposed_again(app):
    w = small_world()
    run_full_match()
    pair = (w["cooling_need"].id, w["maker"].id)
    row = db.session.scalar(select(Suggestion).where(Suggestion.lead_posting_id == pair[0],
                                                     Suggestion.sme_posting_id == pair[1]))
    row.status, row.lead_decision, row.lead_decline_reason = "declined", "declined", "not_relevant"
    db.session.commit()
    for _ in range(2):
        stats = run_full_match()
        rows = db.session.execute(select(Suggestion.id, Suggestion.status).where(
            Suggestion.lead_posting_id == pair[0], Suggestion.sme_posting_id == pair[1])).all()
        assert rows == [(row.id, "declined")]
        assert stats["kept"] >= 1


def test_open_suggestion_of_a_closed_posting_is_withdrawn_not_deleted(app):
    w = small_world()
    run_full_match()
    before = {s.id for s in suggestions_of(w["cooling_need"].id)}
    w["cooling_need"].status = "closed"
    db.session.commit()
    stats = run_full_match()
    assert stats["withdrawn"] == len(before)
    db.session.expire_all()
    assert {db.session.get(Suggestion, i).status for i in before} == {"withdrawn"}


def test_suspended_or_unverified_enterprises_are_not_matched(app):
    w = small_world()
    w["maker_ent"].status = "suspended"
    db.session.commit()
    pending_ent, pending = sme_with("capability", "product", *COOLING_MAKER, enterprise_fields={"status": "pending"})
    run_full_match()
    smes = {s.sme_posting_id for s in all_suggestions()}
    assert w["maker"].id not in smes and pending.id not in smes
    assert w["cnc"].id in smes  # the CNC shop remains a (weaker) answer to the cooling-plate need


def test_withdrawn_pair_selected_again_is_revived_and_announced(app, created_signals):
    w = small_world()
    run_full_match()
    row = suggestions_of(w["test_site"].id)[0]
    w["emc"].status = "closed"
    db.session.commit()
    run_full_match()
    db.session.expire_all()
    assert db.session.get(Suggestion, row.id).status == "withdrawn"
    w["emc"].status = "published"
    db.session.commit()
    created_signals.clear()
    stats = run_full_match()
    db.session.expire_all()
    again = db.session.get(Suggestion, row.id)
    assert again.status == "open" and row.id in created_signals and stats["created"] >= 1
    assert db.session.scalar(select(db.func.count()).select_from(Suggestion).where(
        Suggestion.lead_posting_id == row.lead_posting_id, Suggestion.sme_posting_id == row.sme_posting_id)) == 1


def test_a_decision_taken_while_the_run_computes_is_not_overwritten(app):
    w = small_world()
    run_full_match()
    row = suggestions_of(w["cooling_need"].id)[0]
    # The run decided to withdraw and re-score this row; meanwhile the SME accepted it.
    plan = Plan(withdrawals=[row.id], updates=[{"b_id": row.id, "b_chain": "data", "b_score": 0.01, "b_rank": 9,
                                                "b_reasons": [], "b_reciprocal": False}])
    row.status, row.sme_decision = "interest", "accepted"
    db.session.commit()
    apply_plan(plan)
    db.session.commit()
    db.session.expire_all()
    again = db.session.get(Suggestion, row.id)
    assert (again.status, again.chain, again.rank) == ("interest", row.chain, row.rank)


def test_postings_without_tokens_or_text_and_english_only_postings(app):
    car = lead()
    make_posting(car, "need", "process", "CNC machining of aluminium housings",
                 "We need CNC machining for aluminium motor housings, 5000 pieces a month.", with_tokens=False)
    make_posting(car, "need", "component", "配套", "", with_tokens=False)  # one word
    sme_with("capability", "process", "CNC machining", "5-axis CNC machining of aluminium parts", with_tokens=False)
    sme_with("capability", "process", *CNC_SHOP)
    sme_with("capability", "product", "x" * 10, "很长的描述" * 5000)  # a huge description
    lead_ent = lead()  # an enterprise with no postings
    stats = run_full_match()
    assert stats["postings"] == 5 and lead_ent.id
    english = [s for s in all_suggestions() if s.lead_posting.title.startswith("CNC machining")]
    assert english and english[0].chain == "supply"
