"""Who may see an enterprise's contact details: the enterprise itself, operators, and enterprises
it has a match with. Everyone else sees the public profile only."""

from __future__ import annotations

from sqlalchemy import or_, select

from ..extensions import db
from ..models import Enterprise, Match, User


def matched_with(a: int, b: int) -> bool:
    query = select(Match.id).where(
        or_(
            (Match.lead_enterprise_id == a) & (Match.sme_enterprise_id == b),
            (Match.lead_enterprise_id == b) & (Match.sme_enterprise_id == a),
        )
    ).limit(1)
    return db.session.scalar(query) is not None


def can_see_contacts(viewer: User | None, enterprise: Enterprise) -> bool:
    if viewer is None or not viewer.is_authenticated:
        return False
    if viewer.is_operator or viewer.enterprise_id == enterprise.id:
        return True
    return viewer.enterprise_id is not None and matched_with(viewer.enterprise_id, enterprise.id)
