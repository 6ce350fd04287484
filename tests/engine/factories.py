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


def edit_posting(posting: Posting, *, title: str | None = None, description: str | None = None, **fields) -> Posting:
    """Change a posting's text (recomputing its tokens, as the postings feature does) and commit."""
    if title is not None:
        posting.title = title
    if description is not None:
        posting.description = description
    for name, value in fields.items():
        setattr(posting, name, value)
    posting.tokens = list(tokenize(posting_text(posting.title, posting.description, posting.tags)))
    posting.version = (posting.version or 1) + 1
    db.session.commit()
    return posting


# Texts that the matcher pairs (and one that it must not pair with them).
COOLING_NEED = ("动力电池液冷板配套", "寻找动力电池包液冷板供应商，铝合金钎焊工艺，年需求10万套")
COOLING_MAKER = ("液冷板研发制造", "专业生产新能源汽车电池液冷板、水冷板，钎焊工艺，年产能20万套")
CNC_NEED = ("铝合金壳体数控加工外协", "需要CNC精密加工铝合金电机壳体，批量稳定供货")
CNC_SHOP = ("CNC精密加工", "数控加工中心30台，承接铝合金零件机加工")
TEST_SITE = ("开放EMC检测实验室", "开放电磁兼容EMC测试、环境可靠性试验场地，为配套企业提供检测服务")
EMC_NEED = ("需要EMC测试", "我们的电机控制器产品需要电磁兼容EMC测试认证")
