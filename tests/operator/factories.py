"""Postings, suggestions and matches for the operator console's tests (the enterprise and user
factories are the suite's own)."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta, timezone

from matchmaker.extensions import db
from matchmaker.models import Match, MatchEvent, Posting, Suggestion
from tests.factories import make_enterprise, make_user  # noqa: F401  (re-exported for the tests)

_n = itertools.count(1)
NOW = datetime.now(timezone.utc)


def make_posting(enterprise, kind="capability", category="product", *, status="published", chains=("supply",),
                 tags=("液冷板",), title=None, description=None, region=None, industry=None, created_at=None,
                 published_at=None, details=None, tokens=None, **fields) -> Posting:
    n = next(_n)
    created_at = created_at or NOW
    posting = Posting(
        enterprise=enterprise, kind=kind, category=category, status=status, chains=list(chains), tags=list(tags),
        title=title or f"测试发布{n}", description=description if description is not None else
        "面向汽车行业提供液冷板等热管理零部件的设计、制造与同步开发服务，具备批量供货能力。",
        region=region, industry=industry, details=details or {}, tokens=list(tokens or ()),
        created_at=created_at, updated_at=created_at,
        published_at=published_at if published_at is not None else (created_at if status == "published" else None),
        **fields,
    )
    db.session.add(posting)
    db.session.commit()
    return posting


def make_suggestion(lead_posting, sme_posting, *, chain="supply", score=0.8, status="open", lead_decision=None,
                    sme_decision=None, created_at=None) -> Suggestion:
    suggestion = Suggestion(
        lead_posting=lead_posting, sme_posting=sme_posting, lead_enterprise_id=lead_posting.enterprise_id,
        sme_enterprise_id=sme_posting.enterprise_id, chain=chain, score=score, status=status,
        lead_decision=lead_decision, sme_decision=sme_decision, created_at=created_at or NOW,
        reasons=[],
    )
    db.session.add(suggestion)
    db.session.commit()
    return suggestion


def make_match(suggestion, *, stage="talks", history=(), created_at=None, closed_reason=None) -> Match:
    """A match of an accepted suggestion; `history` lists the stages it went through (talks first)."""
    suggestion.status = "matched"
    suggestion.lead_decision = "accepted"
    suggestion.sme_decision = "accepted"
    match = Match(
        suggestion=suggestion, lead_enterprise_id=suggestion.lead_enterprise_id,
        sme_enterprise_id=suggestion.sme_enterprise_id, lead_posting_id=suggestion.lead_posting_id,
        sme_posting_id=suggestion.sme_posting_id, chain=suggestion.chain, stage=stage,
        created_at=created_at or NOW, closed_reason=closed_reason,
    )
    db.session.add(match)
    db.session.flush()
    for i, s in enumerate(history or ("talks",)):
        db.session.add(MatchEvent(match_id=match.id, stage=s, occurred_on=date.today() - timedelta(days=10 - i)))
    db.session.commit()
    return match
