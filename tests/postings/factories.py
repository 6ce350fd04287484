"""Posting factories for tests (through the services, so tokens and search text are real)."""

from __future__ import annotations

from datetime import date, timedelta

from matchmaker.extensions import db
from matchmaker.models import Enterprise, Match, Posting, Suggestion
from matchmaker.postings import services
from tests import factories

DEFAULT_CATEGORY = {"resource": "test_site", "need": "component", "challenge": "technology", "capability": "product"}


def make_posting(enterprise: Enterprise, *, kind: str | None = None, category: str | None = None,
                 status: str = "published", title: str = "汽车密封条配套需求", description: str = "需要三元乙丙橡胶汽车密封条，年需求20万米。",
                 tags=("密封条",), deadline: date | None = None, **fields) -> Posting:
    kind = kind or ("need" if enterprise.role == "lead" else "capability")
    if enterprise.role == "sme" and kind == "need":
        category = category or "testing"
    category = category or DEFAULT_CATEGORY[kind]
    data = services.PostingInput(kind=kind, category=category, title=title, description=description, tags=list(tags),
                                 deadline=deadline or date.today() + timedelta(days=60), **fields)
    user = enterprise.users[0] if enterprise.users else factories.make_user(enterprise)
    posting = services.create_posting(enterprise, data, actor=user)
    if status != "draft":
        posting.status = status
        if status == "published":
            from matchmaker.models.base import utcnow
            posting.published_at = utcnow()
        db.session.commit()
    return posting


def make_match(lead_posting: Posting, sme_posting: Posting) -> Match:
    suggestion = Suggestion(lead_posting_id=lead_posting.id, sme_posting_id=sme_posting.id,
                            lead_enterprise_id=lead_posting.enterprise_id, sme_enterprise_id=sme_posting.enterprise_id,
                            chain="supply", score=0.9, status="matched")
    db.session.add(suggestion)
    db.session.flush()
    match = Match(suggestion_id=suggestion.id, lead_enterprise_id=lead_posting.enterprise_id,
                  sme_enterprise_id=sme_posting.enterprise_id, lead_posting_id=lead_posting.id,
                  sme_posting_id=sme_posting.id, chain="supply")
    db.session.add(match)
    db.session.commit()
    return match


def login_operator(auth, email: str = "operator-postings@example.cn"):
    """auth.as_role("operator") builds the e-mail from a code that may end in a capital letter,
    which the login lower-cases: log in with a lower-case address instead."""
    user = factories.make_user(operator=True, email=email)
    assert auth.login(email).status_code == 302
    return user
