"""Factories for the engagement tests: published postings, stored suggestions with reasons, and a
small world of a lead enterprise, an SME and a third company, each with a user."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from matchmaker.extensions import db
from matchmaker.models import Enterprise, Posting, Suggestion, User
from matchmaker.models.base import utcnow
from tests.factories import make_enterprise, make_user

_n = itertools.count(1)

REASONS = [
    {"code": "concept", "zh": "供需概念吻合：压铸件", "en": "Matching concept: die castings", "weight": 0.45},
    {"code": "region", "zh": "同在湖北省武汉市", "en": "Both in Wuhan, Hubei", "weight": 0.15},
    {"code": "tier", "zh": "专精特新中小企业", "en": "A specialized and sophisticated SME", "weight": 0.1},
]


def make_posting(enterprise: Enterprise, *, kind: str | None = None, category: str | None = None,
                 title: str | None = None, anonymous: bool = False, status: str = "published", **fields) -> Posting:
    n = next(_n)
    if kind is None:
        kind = "need" if enterprise.role == "lead" else "capability"
    if category is None:
        category = "component" if kind == "need" else "product"
    posting = Posting(
        enterprise_id=enterprise.id, kind=kind, category=category,
        title=title or f"铝合金压铸件{n}", description="新能源汽车电池托盘用铝合金压铸件，年需求五万件。",
        tags=["压铸", "铝合金"], industry="C36", region="420100", chains=["supply"], anonymous=anonymous,
        status=status, published_at=utcnow() if status == "published" else None, **fields,
    )
    db.session.add(posting)
    db.session.commit()
    return posting


def make_suggestion(lead_posting: Posting, sme_posting: Posting, *, chain: str = "supply", score: float = 0.82,
                    rank: int = 1, reasons: list | None = None, **fields) -> Suggestion:
    suggestion = Suggestion(
        lead_posting_id=lead_posting.id, sme_posting_id=sme_posting.id,
        lead_enterprise_id=lead_posting.enterprise_id, sme_enterprise_id=sme_posting.enterprise_id,
        chain=chain, score=score, rank=rank, reasons=list(REASONS if reasons is None else reasons), **fields,
    )
    db.session.add(suggestion)
    db.session.commit()
    return suggestion


@dataclass
class World:
    lead: Enterprise
    sme: Enterprise
    third: Enterprise
    lead_user: User
    sme_user: User
    third_user: User
    lead_posting: Posting
    sme_posting: Posting
    suggestion: Suggestion


def make_world(*, anonymous_lead: bool = False, lead_name: str = "华晟汽车集团有限公司",
               sme_name: str = "楚天精密压铸有限公司") -> World:
    n = next(_n)
    lead = make_enterprise("lead", name=lead_name, contact_name="王建国", contact_phone="027-84001234",
                           contact_email=f"purchase{n}@huasheng.example.cn")
    sme = make_enterprise("sme", name=sme_name, contact_name="李晓梅", contact_phone="0710-3345678",
                          contact_email=f"sales{n}@chutian.example.cn", tier="little_giant", region="420600")
    third = make_enterprise("sme", name="第三方科技有限公司", contact_email=f"third{n}@example.cn")
    lead_user = make_user(lead, email=f"lead{n}@example.cn", display_name="王建国")
    sme_user = make_user(sme, email=f"sme{n}@example.cn", display_name="李晓梅")
    third_user = make_user(third, email=f"third{n}@example.cn", display_name="赵六")
    lead_posting = make_posting(lead, title="电池托盘铝合金压铸件采购", anonymous=anonymous_lead)
    sme_posting = make_posting(sme, title="高真空铝合金压铸能力")
    suggestion = make_suggestion(lead_posting, sme_posting)
    return World(lead, sme, third, lead_user, sme_user, third_user, lead_posting, sme_posting, suggestion)
