"""Factories for the engine's tests: enterprises with published postings, written the way the postings
feature writes them (tokens computed once from the text)."""

from __future__ import annotations

import itertools
from datetime import timedelta

from matchmaker.extensions import db
from matchmaker.matching import posting_text, tokenize
from matchmaker.models import Posting, Suggestion
from matchmaker.models.base import utcnow

from tests.factories import make_enterprise

_refs = itertools.count(1)


def make_posting(enterprise, kind: str, category: str, title: str, description: str = "", *,
                 status: str = "published", tags=(), with_tokens: bool = True, **fields) -> Posting:
    n = next(_refs)
    now = utcnow()
    posting = Posting(
        ref=fields.pop("ref", f"test-post-{n}"), enterprise_id=enterprise.id, kind=kind, category=category,
        title=title, description=description or title, tags=list(tags), status=status,
        industry=fields.pop("industry", enterprise.industry), region=fields.pop("region", enterprise.region),
        chains=list(fields.pop("chains", ())),
        tokens=list(tokenize(posting_text(title, description or title, tags))) if with_tokens else [],
        published_at=fields.pop("published_at", now - timedelta(days=1) if status == "published" else None),
        **fields,
    )
    db.session.add(posting)
    db.session.commit()
    return posting


def lead(**fields):
    fields.setdefault("industry", "C36")
    return make_enterprise("lead", **fields)


def sme(**fields):
    return make_enterprise("sme", **fields)


def sme_with(kind: str, category: str, title: str, description: str = "", enterprise_fields=None, **fields):
    enterprise = sme(**(enterprise_fields or {}))
    return enterprise, make_posting(enterprise, kind, category, title, description, **fields)


def suggestions_of(posting_id: int, *, statuses=("open", "interest")) -> list[Suggestion]:
    from sqlalchemy import or_, select

    db.session.expire_all()
    return list(db.session.scalars(
        select(Suggestion).where(or_(Suggestion.lead_posting_id == posting_id, Suggestion.sme_posting_id == posting_id),
                                 Suggestion.status.in_(statuses))
        .order_by(Suggestion.lead_posting_id, Suggestion.rank, Suggestion.id)))


def all_suggestions(*, statuses=None) -> list[Suggestion]:
    from sqlalchemy import select

    db.session.expire_all()
    stmt = select(Suggestion).order_by(Suggestion.lead_posting_id, Suggestion.rank, Suggestion.id)
    if statuses:
        stmt = stmt.where(Suggestion.status.in_(statuses))
    return list(db.session.scalars(stmt))
