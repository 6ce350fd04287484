"""Accepting is race-safe: several processes, each with its own app and database connection, accept
the same suggestions from both sides at once; every suggestion ends with exactly one match.
Runs on SQLite (a file shared by the processes) and on PostgreSQL alike."""

from __future__ import annotations

import multiprocessing as mp
from collections import Counter

from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import Match, MatchEvent, Notification, Suggestion

from ..factories import make_user
from .factories import make_posting, make_suggestion, make_world

PROCESSES_PER_SIDE = 3
SUGGESTIONS = 8
ROUNDS = 3


def _hammer(database_url, user_id, suggestion_ids, rounds, action, barrier, results):
    """One process: its own app and connection; waits for the others, then acts as fast as it can."""
    from matchmaker import create_app
    from matchmaker.errors import Conflict
    from matchmaker.models import User
    from matchmaker.suggestions import services
    from tests.conftest import make_test_config

    app = create_app(make_test_config(database_url))
    outcomes = []
    with app.test_request_context():
        user = db.session.get(User, user_id)
        barrier.wait(timeout=120)
        for _ in range(rounds):
            for sid in suggestion_ids:
                try:
                    if action == "accept":
                        outcome = services.accept(sid, user)
                    else:
                        outcome = services.decline(sid, user, "price", None)
                    outcomes.append(("ok", sid, outcome.changed))
                except Conflict:
                    db.session.rollback()
                    outcomes.append(("conflict", sid, False))
                except Exception as exc:  # reported to the parent, which fails the test
                    db.session.rollback()
                    outcomes.append(("error", sid, repr(exc)))
        db.engine.dispose()
    results.put(outcomes)


def _run(schema, jobs):
    # Forked children start in a moment (the parent has imported everything); each builds its own
    # app and engine. The parent's pooled connections are closed first so none is shared.
    db.session.remove()
    db.engine.dispose()
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(len(jobs))
    results = ctx.Queue()
    procs = [ctx.Process(target=_hammer, args=(schema, uid, sids, ROUNDS, action, barrier, results))
             for uid, sids, action in jobs]
    for p in procs:
        p.start()
    collected = [results.get(timeout=240) for _ in procs]
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    return [o for chunk in collected for o in chunk]


def _many_suggestions(w):
    suggestions = [w.suggestion]
    for i in range(SUGGESTIONS - 1):
        lead_posting = make_posting(w.lead, title=f"采购需求{i}")
        sme_posting = make_posting(w.sme, title=f"加工能力{i}")
        suggestions.append(make_suggestion(lead_posting, sme_posting, score=0.5 + i / 100))
    return [s.id for s in suggestions]


def test_concurrent_accepts_from_both_sides_make_exactly_one_match(app, schema):
    w = make_world()
    ids = _many_suggestions(w)
    lead_users = [w.lead_user] + [make_user(w.lead) for _ in range(PROCESSES_PER_SIDE - 1)]
    sme_users = [w.sme_user] + [make_user(w.sme) for _ in range(PROCESSES_PER_SIDE - 1)]
    # half of the processes walk the suggestions backwards, so that both orders collide
    jobs = [(u.id, ids if i % 2 == 0 else ids[::-1], "accept") for i, u in enumerate(lead_users + sme_users)]
    outcomes = _run(schema, jobs)

    assert [o for o in outcomes if o[0] == "error"] == []
    changed = Counter(sid for kind, sid, did in outcomes if kind == "ok" and did)
    assert changed == {sid: 2 for sid in ids}  # one acceptance per side took effect, the rest were no-ops
    db.session.expire_all()
    assert set(db.session.scalars(select(Suggestion.status).where(Suggestion.id.in_(ids)))) == {"matched"}
    per_suggestion = Counter(db.session.scalars(select(Match.suggestion_id)))
    assert per_suggestion == {sid: 1 for sid in ids}
    assert db.session.scalar(select(func.count()).select_from(MatchEvent)) == len(ids)
    # each party's users heard once of each match, and the side that answered second was never
    # told of "interest" twice
    match_notes = Counter(n.params["match_id"] for n in db.session.scalars(select(Notification).where(Notification.kind == "match")))
    assert set(match_notes.values()) == {2 * PROCESSES_PER_SIDE}
    interest = Counter(n.params["suggestion_id"] for n in db.session.scalars(select(Notification).where(Notification.kind == "interest")))
    assert interest == {sid: PROCESSES_PER_SIDE for sid in ids}


def test_concurrent_accept_and_decline_end_consistent(app, schema):
    """The SME accepts while lead users accept and decline: each suggestion ends matched with one
    match (a late "no" is refused), declined without a match, or with one side's yes pending —
    never a match without two yeses, never two matches."""
    w = make_world()
    ids = _many_suggestions(w)
    sme_users = [w.sme_user] + [make_user(w.sme) for _ in range(PROCESSES_PER_SIDE - 1)]
    lead_users = [w.lead_user] + [make_user(w.lead) for _ in range(PROCESSES_PER_SIDE - 1)]
    # one lead user says yes while the others say no: some suggestions end matched, some declined
    jobs = [(u.id, ids, "accept") for u in sme_users] + [(lead_users[0].id, ids, "accept")] + [
        (u.id, ids[::-1], "decline") for u in lead_users[1:]]
    outcomes = _run(schema, jobs)

    assert [o for o in outcomes if o[0] == "error"] == []
    db.session.expire_all()
    matches = Counter(db.session.scalars(select(Match.suggestion_id)))
    for s in db.session.scalars(select(Suggestion).where(Suggestion.id.in_(ids))):
        if s.status == "matched":
            assert (s.lead_decision, s.sme_decision, matches[s.id]) == ("accepted", "accepted", 1)
        elif s.status == "declined":
            assert matches[s.id] == 0 and "declined" in (s.lead_decision, s.sme_decision)
        else:  # the lead changed its mind back to yes after the SME's tries had been refused
            assert (s.status, matches[s.id]) == ("interest", 0)
            assert sorted([s.lead_decision or "", s.sme_decision or ""]) == ["", "accepted"]
    assert all(n == 1 for n in matches.values())
