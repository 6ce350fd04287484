"""Publishing, editing and withdrawing one posting updates its suggestions at once, as a full run would."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from matchmaker import signals
from matchmaker.engine.services import engine_state, explain_empty, run_full_match, update_posting_suggestions
from matchmaker.extensions import db
from matchmaker.models import Suggestion
from matchmaker.models.base import utcnow

from .factories import (CNC_NEED, CNC_SHOP, COOLING_MAKER, COOLING_NEED, EMC_NEED, TEST_SITE, edit_posting, lead,
                        make_posting, sme, sme_with, suggestions_of)


def publish(app, posting):
    """What the postings feature does after committing a publication or an edit."""
    signals.posting_changed.send(app, posting=posting)


def selection(posting_id):
    return {(s.lead_posting_id, s.sme_posting_id): (s.chain, round(s.score, 3), s.rank)
            for s in suggestions_of(posting_id, statuses=("open",))}


@pytest.fixture
def world(app):
    car = lead(name="某整车集团")
    truck = lead(name="某重卡集团", region="110100")
    w = dict(
        car=car, truck=truck,
        cooling_need=make_posting(car, "need", "component", *COOLING_NEED),
        cnc_need=make_posting(truck, "need", "process", *CNC_NEED),
        test_site=make_posting(car, "resource", "test_site", *TEST_SITE),
    )
    sme_with("capability", "product", *COOLING_MAKER)
    sme_with("capability", "process", *CNC_SHOP)
    sme_with("need", "testing", *EMC_NEED)
    run_full_match()
    return w


def test_publishing_an_sme_posting_suggests_it_at_once_as_a_full_run_would(app, world, created_signals):
    ent = sme(name="新来的液冷板厂")
    posting = make_posting(ent, "capability", "product", "电池液冷板", "新能源汽车动力电池液冷板、钎焊水冷板批量生产")
    publish(app, posting)

    incremental = selection(posting.id)
    assert (world["cooling_need"].id, posting.id) in incremental
    assert incremental[(world["cooling_need"].id, posting.id)][0] == "supply"
    assert set(created_signals) == {s.id for s in suggestions_of(posting.id)}
    # Ranks among the lead posting's suggestions were updated for everybody.
    ranks = [s.rank for s in suggestions_of(world["cooling_need"].id)]
    assert ranks == list(range(1, len(ranks) + 1))

    stats = run_full_match()
    assert selection(posting.id) == incremental
    assert stats["created"] == 0 and stats["withdrawn"] == 0


def test_publishing_a_lead_posting_matches_what_a_full_run_selects(app, world):
    posting = make_posting(world["truck"], "need", "component", "电池包液冷板采购",
                           "重卡换电电池包需要液冷板，要求铝合金钎焊，年需求2万套")
    publish(app, posting)
    incremental = selection(posting.id)
    assert incremental and {chain for chain, _s, _r in incremental.values()} == {"supply"}
    assert sorted(r for _c, _s, r in incremental.values()) == list(range(1, len(incremental) + 1))
    run_full_match()
    assert selection(posting.id) == incremental


def test_editing_a_posting_replaces_its_open_suggestions(app, world):
    need = world["cooling_need"]
    old = {s.id: s.sme_posting_id for s in suggestions_of(need.id)}
    edit_posting(need, title="控制器EMC整改外协", description="需要CNC数控加工铝合金控制器壳体")
    publish(app, need)
    new = selection(need.id)
    cnc_shop = db.session.scalar(select(Suggestion.sme_posting_id).where(Suggestion.lead_posting_id == world["cnc_need"].id))
    assert (need.id, cnc_shop) in new
    db.session.expire_all()
    statuses = {db.session.get(Suggestion, i).status for i, sme_id in old.items() if (need.id, sme_id) not in new}
    assert statuses <= {"withdrawn"}
    run_full_match()
    assert selection(need.id) == new


def test_incremental_update_keeps_decided_and_declined_pairs(app, world):
    need = world["cooling_need"]
    rows = suggestions_of(need.id)
    assert len(rows) >= 2
    declined, interested = rows[0], rows[1]
    declined.status, declined.sme_decision = "declined", "declined"
    interested.status, interested.lead_decision, interested.lead_decided_at = "interest", "accepted", utcnow()
    db.session.commit()
    edit_posting(need, description=need.description + "，另需钎焊工艺")
    publish(app, need)
    db.session.expire_all()
    assert db.session.get(Suggestion, declined.id).status == "declined"
    assert db.session.get(Suggestion, interested.id).status == "interest"
    pairs = [(s.lead_posting_id, s.sme_posting_id) for s in suggestions_of(need.id, statuses=("open",))]
    assert (declined.lead_posting_id, declined.sme_posting_id) not in pairs
    assert len(pairs) == len(set(pairs))


def test_withdrawing_a_posting_withdraws_its_open_suggestions_and_keeps_decided_ones(app, world):
    site = world["test_site"]
    rows = suggestions_of(site.id)
    assert rows
    site.status = "closed"
    db.session.commit()
    signals.posting_withdrawn.send(app, posting=site)
    db.session.expire_all()
    assert {db.session.get(Suggestion, s.id).status for s in rows} == {"withdrawn"}

    need = world["cooling_need"]
    kept, *others = suggestions_of(need.id)
    kept.status, kept.lead_decision = "interest", "accepted"
    db.session.commit()
    need.status = "closed"
    db.session.commit()
    signals.posting_withdrawn.send(app, posting=need)
    db.session.expire_all()
    assert db.session.get(Suggestion, kept.id).status == "interest"
    assert {db.session.get(Suggestion, s.id).status for s in others} <= {"withdrawn"}


def test_an_sme_posting_takes_the_place_of_a_weaker_one_at_a_full_lead_posting(configured):
    with configured(MATCH_PER_LEAD_POSTING=1) as app:
        need = make_posting(lead(), "need", "component", *COOLING_NEED)
        sme_with("capability", "process", *CNC_SHOP)  # a weak answer
        run_full_match()
        (weak,) = suggestions_of(need.id)
        ent = sme()
        strong = make_posting(ent, "capability", "product", *COOLING_MAKER)
        publish(app, strong)
        (now,) = suggestions_of(need.id)
        assert now.sme_posting_id == strong.id and now.rank == 1
        db.session.expire_all()
        assert db.session.get(Suggestion, weak.id).status == "withdrawn"
        run_full_match()
        assert [s.sme_posting_id for s in suggestions_of(need.id)] == [strong.id]


def test_the_cached_index_follows_changes_without_a_rebuild(app, world):
    app.config["MATCH_INDEX_REFRESH_SECONDS"] = 0  # check the version on every use
    ent = sme()
    first = make_posting(ent, "capability", "product", *COOLING_MAKER)
    publish(app, first)
    builds = engine_state(app).index.builds
    # A posting published by another process (no signal here) is seen by the next update.
    other = make_posting(sme(), "capability", "product", "液冷板", "液冷板、冷却板制造")
    publish(app, first)
    assert engine_state(app).index.builds == builds
    assert other.id in engine_state(app).index.index
    assert update_posting_suggestions(other.id)["created"] >= 1


def test_explain_empty_says_why(app, world):
    lonely = make_posting(world["car"], "need", "component", "光刻胶国产替代", "寻找ArF光刻胶供应商")
    publish(app, lonely)
    assert suggestions_of(lonely.id) == []
    why = explain_empty(lonely)
    assert "光刻胶" in why["zh"] and why["en"]
    draft = make_posting(world["car"], "need", "component", *COOLING_NEED, status="draft")
    assert "公开" in explain_empty(draft)["zh"] and "published" in explain_empty(draft)["en"]
    assert explain_empty(draft)["code"] == "not_published"


def test_through_the_postings_feature_publish_edit_close(app, world):
    """The real senders: the postings feature's services send the signals after their commits."""
    from matchmaker.postings.services import PostingInput, close_posting, create_posting, update_posting
    from tests.factories import make_user

    ent = sme(name="表单发布的液冷板厂")
    user = make_user(ent)
    posting = create_posting(ent, PostingInput(kind="capability", category="product", title=COOLING_MAKER[0],
                                               description=COOLING_MAKER[1]), actor=user, publish=True)
    assert posting.status == "published"
    first = selection(posting.id)
    assert (world["cooling_need"].id, posting.id) in first

    update_posting(posting, PostingInput(kind="capability", category="product", title="CNC精密加工",
                                         description=CNC_SHOP[1]), actor=user)
    edited = selection(posting.id)
    assert (world["cnc_need"].id, posting.id) in edited
    assert edited != first and (world["cnc_need"].id, posting.id) not in first

    close_posting(posting, actor=user)
    assert suggestions_of(posting.id) == []
    assert {s.status for s in suggestions_of(posting.id, statuses=("withdrawn",))} == {"withdrawn"}
