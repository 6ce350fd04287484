"""`seed-demo`: the demo world and its three logins, loaded idempotently."""

from __future__ import annotations

from sqlalchemy import func, select

from matchmaker.demo_seed import DEMO_PASSWORD
from matchmaker.extensions import db
from matchmaker.models import Enterprise, Match, Posting, User
from matchmaker.vocabulary import CHAINS, POSTING_KINDS


def counts() -> tuple[int, int, int]:
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (Enterprise, Posting, User))


def test_seed_demo_loads_the_world_once(app, runner, client):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    first = counts()
    assert first[1] >= 400
    emails = set(db.session.scalars(select(User.email)))
    assert {"lead@demo.cn", "sme@demo.cn", "operator@demo.cn"} <= emails
    # the demo history gives the enterprises it involves a login of their contact person
    assert first[2] > 3 and db.session.scalar(select(func.count()).select_from(Match)) > 0
    postings = list(db.session.scalars(select(Posting)))
    assert {p.status for p in postings} == {"published"}  # none withdrawn by the history
    assert all(p.tokens for p in postings)
    assert {(p.enterprise.role, p.kind) for p in postings} == set(POSTING_KINDS)
    assert {c for p in postings for c in p.chains} == set(CHAINS)

    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert counts() == first

    for email in ("lead@demo.cn", "sme@demo.cn", "operator@demo.cn"):
        response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        client.post("/logout")
    client.post("/login", data={"email": "sme@demo.cn", "password": DEMO_PASSWORD})
    page = client.get("/postings?q=液冷板").get_data(as_text=True)
    assert "800V平台电池包液冷板批量采购" in page
