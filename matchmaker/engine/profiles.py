"""Database rows → the matcher's :class:`~matchmaker.matching.PostingProfile`.

Only plain column tuples are read (one Core ``SELECT`` joining postings with their enterprises), never
ORM objects, so that a full rematch over 10^5 postings costs one streamed query. The same filter —
:func:`matchable_clause` — decides which postings the full run, the incremental updates and the
cached index see: published postings of verified enterprises whose validity has not ended, whose kind
fits the enterprise's role."""

from __future__ import annotations

from datetime import date
from typing import Iterable, Iterator, Sequence

from sqlalchemy import Select, and_, or_, select

from ..extensions import db
from ..matching import PostingProfile
from ..models import Enterprise, Posting
from ..models.base import utcnow
from ..vocabulary import POSTING_KINDS

# Enterprises whose postings are matched: verified ones (pending, suspended and rejected are not).
MATCHABLE_ENTERPRISE_STATUSES = ("verified",)

PROFILE_COLUMNS = (
    Posting.id, Posting.enterprise_id, Enterprise.role, Posting.kind, Posting.category, Posting.title,
    Posting.description, Posting.tags, Posting.industry, Enterprise.industry, Posting.region,
    Enterprise.region, Posting.chains, Enterprise.tier, Posting.wants_specialized, Posting.published_at,
    Posting.tokens,
)


def matchable_clause(today: date | None = None):
    """SQL condition (on Posting joined with Enterprise) for a posting the matcher may pair."""
    today = today or utcnow().date()
    return and_(
        Posting.status == "published",
        Enterprise.status.in_(MATCHABLE_ENTERPRISE_STATUSES),
        or_(Posting.deadline.is_(None), Posting.deadline >= today),
    )


def profile_query(*conditions, matchable: bool = True) -> Select:
    stmt = select(*PROFILE_COLUMNS).join(Enterprise, Posting.enterprise_id == Enterprise.id)
    if matchable:
        stmt = stmt.where(matchable_clause())
    if conditions:
        stmt = stmt.where(*conditions)
    return stmt.order_by(Posting.id)


def row_to_profile(row: Sequence) -> PostingProfile | None:
    """One row of :data:`PROFILE_COLUMNS` as a profile, or None when its kind does not fit its side."""
    (pid, eid, side, kind, category, title, description, tags, industry, ent_industry, region, ent_region,
     chains, tier, wants_specialized, published_at, tokens) = row
    if category not in POSTING_KINDS.get((side, kind), ()):
        return None
    return PostingProfile(
        id=pid, enterprise_id=eid, side=side, kind=kind, category=category, title=title or "",
        description=description or "", tags=tuple(tags or ()),
        # A posting without its own industry or region is read as its enterprise's.
        industry=industry or ent_industry or None, region=region or ent_region or None,
        chains=tuple(chains or ()), tier=tier if side == "sme" else None,
        wants_specialized=bool(wants_specialized), published_at=published_at,
        # Empty stored tokens mean "not computed yet": the matcher tokenises the text itself.
        tokens=tuple(tokens) if tokens else None,
    )


ENTERPRISE_COLUMNS = (Enterprise.id, Enterprise.role, Enterprise.industry, Enterprise.region, Enterprise.tier)
POSTING_COLUMNS = tuple(c for c in PROFILE_COLUMNS if c.class_ is Posting)


def _all_profiles(session, batch: int) -> Iterator[PostingProfile]:
    """Every matchable posting, read without a join: the matchable enterprises first (few), then the
    published postings, joined here. A join would leave the plan to the statistics, and right after a
    bulk import (before PostgreSQL's autovacuum has analysed the tables) it can be a nested loop
    over every enterprise that takes minutes instead of seconds."""
    conn = session.connection()
    enterprises = {eid: (role, industry, region, tier) for eid, role, industry, region, tier in conn.execute(
        select(*ENTERPRISE_COLUMNS).where(Enterprise.status.in_(MATCHABLE_ENTERPRISE_STATUSES)))}
    today = utcnow().date()
    stmt = (select(*POSTING_COLUMNS)
            .where(Posting.status == "published", or_(Posting.deadline.is_(None), Posting.deadline >= today))
            .order_by(Posting.id).execution_options(yield_per=batch))
    for (pid, eid, kind, category, title, description, tags, industry, region, chains, wants_specialized,
         published_at, tokens) in conn.execute(stmt):
        enterprise = enterprises.get(eid)
        if enterprise is None:
            continue
        role, ent_industry, ent_region, tier = enterprise
        profile = row_to_profile((pid, eid, role, kind, category, title, description, tags, industry, ent_industry,
                                  region, ent_region, chains, tier, wants_specialized, published_at, tokens))
        if profile is not None:
            yield profile


def iter_profiles(*conditions, session=None, batch: int = 5000) -> Iterator[PostingProfile]:
    """Stream the matchable postings (optionally narrowed by extra conditions) as profiles."""
    session = session or db.session
    if not conditions:
        yield from _all_profiles(session, batch)
        return
    # Core execution on the session's connection: plain tuples, without the ORM's row handling.
    result = session.connection().execute(profile_query(*conditions).execution_options(yield_per=batch))
    for row in result:
        profile = row_to_profile(row)
        if profile is not None:
            yield profile


def load_profiles(*conditions, session=None) -> list[PostingProfile]:
    return list(iter_profiles(*conditions, session=session))


def profiles_by_id(ids: Iterable[int], *, session=None) -> dict[int, PostingProfile]:
    """The matchable ones among the given postings, by id (missing ids are not matchable)."""
    ids = list(ids)
    found: dict[int, PostingProfile] = {}
    for start in range(0, len(ids), 900):
        for profile in iter_profiles(Posting.id.in_(ids[start:start + 900]), session=session):
            found[profile.id] = profile
    return found


def profile_of(posting_id: int, *, session=None) -> PostingProfile | None:
    """The posting's profile when it may be matched now, else None."""
    return profiles_by_id([posting_id], session=session).get(posting_id)
