"""The demo world: `seed-demo` ends with a full rematch, and a rerun leaves everything in place."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from matchmaker.engine.services import run_full_match, update_posting_suggestions
from matchmaker.extensions import db
from matchmaker.models import Enterprise, Posting, Suggestion
from matchmaker.vocabulary import CHAINS, CORE_CHAINS


def test_seed_demo_matches_the_demo_world(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "Suggestions:" in result.stdout

    rows = db.session.scalars(select(Suggestion)).all()
    lead_postings = db.session.scalars(select(Posting.id).join(Enterprise).where(
        Enterprise.role == "lead", Posting.status == "published")).all()
    assert len(lead_postings) >= 100 and len(rows) >= len(lead_postings)
    assert {s.chain for s in rows} >= set(CORE_CHAINS) and {s.chain for s in rows} <= set(CHAINS)
    assert all(s.status == "open" and s.reasons and s.reasons[0]["zh"] for s in rows)
    with_suggestions = {s.lead_posting_id for s in rows}
    print(f"\ndemo world: {len(rows)} suggestions for {len(with_suggestions)} of {len(lead_postings)} lead postings")
    assert len(with_suggestions) >= 0.9 * len(lead_postings)
    # caps hold
    per_lead = db.session.execute(select(func.count()).select_from(Suggestion).group_by(Suggestion.lead_posting_id)).scalars()
    assert max(per_lead) <= app.config["MATCH_PER_LEAD_POSTING"]
    per_sme = db.session.execute(select(func.count()).select_from(Suggestion).group_by(Suggestion.sme_enterprise_id)).scalars()
    assert max(per_sme) <= app.config["MATCH_PER_SME"]

    started = time.perf_counter()
    stats = run_full_match()
    print(f"demo world rerun: {time.perf_counter() - started:.2f} s, {stats}")
    assert stats["created"] == 0 and stats["withdrawn"] == 0

    posting_id = lead_postings[0]
    update_posting_suggestions(posting_id)  # builds the cached index
    started = time.perf_counter()
    update_posting_suggestions(posting_id)
    print(f"demo world incremental update: {1000 * (time.perf_counter() - started):.0f} ms")
