"""The demo world: `seed-demo` ends with a full rematch, and a rerun leaves everything in place."""

from __future__ import annotations

import time
from collections import Counter

from sqlalchemy import select

from matchmaker.engine.services import run_full_match, update_posting_suggestions
from matchmaker.extensions import db
from matchmaker.models import Enterprise, Posting, Suggestion
from matchmaker.vocabulary import CHAINS, CORE_CHAINS, SUGGESTION_STATUSES


def test_seed_demo_matches_the_demo_world(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "Suggestions:" in result.stdout

    rows = db.session.scalars(select(Suggestion)).all()
    lead_postings = db.session.scalars(select(Posting.id).join(Enterprise).where(
        Enterprise.role == "lead", Posting.status == "published")).all()
    assert len(lead_postings) >= 100 and len(rows) >= len(lead_postings)
    assert {s.chain for s in rows} >= set(CORE_CHAINS) and {s.chain for s in rows} <= set(CHAINS)
    assert all(s.status in SUGGESTION_STATUSES and s.reasons and s.reasons[0]["zh"] for s in rows)
    visible = [s for s in rows if s.status in ("open", "interest")]
    with_suggestions = {s.lead_posting_id for s in visible}
    print(f"\ndemo world: {len(rows)} suggestions for {len(with_suggestions)} of {len(lead_postings)} lead postings")
    assert len(with_suggestions) >= 0.9 * len(lead_postings)
    # the caps hold for what the parties see
    per_lead, per_sme = Counter(s.lead_posting_id for s in visible), Counter(s.sme_enterprise_id for s in visible)
    assert max(per_lead.values()) <= app.config["MATCH_PER_LEAD_POSTING"]
    assert max(per_sme.values()) <= app.config["MATCH_PER_SME"]

    # Reruns keep every decided suggestion (the demo's history) exactly, and settle.
    columns = [c.key for c in Suggestion.__table__.columns]
    decided = {s.id: {c: getattr(s, c) for c in columns} for s in rows if s.status not in ("open", "withdrawn")}
    run_full_match()
    started = time.perf_counter()
    stats = run_full_match()
    print(f"demo world rerun: {time.perf_counter() - started:.2f} s, {stats}")
    assert stats["created"] == 0 and stats["withdrawn"] == 0 and stats["kept"] >= len(decided)
    db.session.expire_all()
    assert {i: {c: getattr(db.session.get(Suggestion, i), c) for c in columns} for i in decided} == decided

    posting_id = lead_postings[0]
    update_posting_suggestions(posting_id)  # builds the cached index
    started = time.perf_counter()
    update_posting_suggestions(posting_id)
    print(f"demo world incremental update: {1000 * (time.perf_counter() - started):.0f} ms")
