"""Finding postings: the stored search text, the browse filters and Chinese full-text search.

Chinese is written without spaces, so a word index does not help: `search_text` holds the
posting's words normalised (NFKC, lower case, one space for any run of white space) and a search
term matches by substring (LIKE '%term%'), which finds 密封条 inside 汽车密封条 on SQLite and
PostgreSQL alike. Each word of the query is cut by the matcher's tokenizer and every piece is
widened with its synonyms (`matchmaker.matching.expand_query`: 数控加工 ↔ CNC ↔ 机加工); a posting
must contain every piece (or a synonym of it). Results are ordered by relevance — the whole query
in the title, in the text, then each piece in the title — and then by recency.

The owner's name is not part of the search text, so searching can never reveal who stands behind
an anonymous posting.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import String, and_, case, cast, false, func, literal, or_, select
from sqlalchemy.sql import ColumnElement, Select

from .. import reference
from ..extensions import db
from ..models import Enterprise, Posting
from ..vocabulary import CATEGORIES, CHAINS, KINDS, TIERS

MAX_QUERY_CHARS = 100
MAX_PARTS = 6
MAX_TERMS_PER_PIECE = 40
SINCE_DAYS = (7, 30, 90, 365)
DETAIL_TEXT_FIELDS = ("specification", "quantity", "problem", "indicators", "capacity", "certifications",
                      "references")
_SPACE = re.compile(r"\s+")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def normalize(text: str | None) -> str:
    """NFKC (full-width → half-width), lower case, white space collapsed."""
    if not text:
        return ""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


def build_search_text(title: str, description: str, tags: list[str] | tuple[str, ...],
                      details: dict | None = None) -> str:
    """What LIKE searches run on: title, tags, description and the kind-specific text fields."""
    parts = [title, " ".join(tags or ()), description]
    for name in DETAIL_TEXT_FIELDS:
        value = (details or {}).get(name)
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, list):
            parts.append(" ".join(v for v in value if isinstance(v, str)))
    return "\n".join(normalize(p) for p in parts if p)


def matching_text(title: str, description: str, tags: list[str] | tuple[str, ...]) -> str:
    """The text the matcher's tokenizer reads (as matchmaker.matching.posting_text builds it)."""
    return "\n".join(part for part in (title or "", " ".join(tags or ()), description or "") if part)


def compute_tokens(title: str, description: str, tags: list[str] | tuple[str, ...]) -> list[str]:
    from ..matching import tokenize

    return list(tokenize(matching_text(title, description, tags)))


# --- the query --------------------------------------------------------------------------------

@dataclass
class SearchParams:
    q: str = ""
    kind: str = ""
    category: str = ""
    chain: str = ""
    industry: str = ""
    region: str = ""
    tier: str = ""
    since: int | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "SearchParams":
        """From request arguments; unknown values are dropped (a bad filter never errors)."""
        def pick(name: str, allowed) -> str:
            value = (args.get(name) or "").strip()
            return value if value in allowed else ""

        industry = (args.get("industry") or "").strip().upper()
        region = (args.get("region") or "").strip()
        try:
            since = int(args.get("since") or 0) or None
        except ValueError:
            since = None
        try:
            page = max(1, int(args.get("page") or 1))
        except ValueError:
            page = 1
        return cls(
            q=(args.get("q") or "").strip()[:MAX_QUERY_CHARS],
            kind=pick("kind", KINDS), category=pick("category", CATEGORIES), chain=pick("chain", CHAINS),
            industry=industry if reference.is_industry(industry) else "",
            region=region if reference.is_region(region) else "",
            tier=pick("tier", TIERS), since=since if since in SINCE_DAYS else None, page=min(page, 10000),
        )

    @property
    def filtered(self) -> bool:
        return any((self.q, self.kind, self.category, self.chain, self.industry, self.region, self.tier, self.since))


@dataclass
class QueryPlan:
    """The words of a query: whole parts (as typed, normalised) and the pieces each part is cut
    into, each piece with its synonyms."""

    parts: list[str] = field(default_factory=list)
    pieces: list[set[str]] = field(default_factory=list)


def plan_query(q: str) -> QueryPlan:
    from ..matching import expand_query, tokenize
    from ..matching.text import stopwords

    plan = QueryPlan()
    stop = stopwords()
    for part in normalize(q).split(" ")[:MAX_PARTS]:
        if not part:
            continue
        plan.parts.append(part)
        pieces = [t for t in tokenize(part) if t not in stop and (len(t) > 1 or _HAN.match(t))]
        if len(pieces) <= 1:
            pieces = [part]
        for piece in pieces[:MAX_PARTS]:
            terms = {piece} | {normalize(t) for t in expand_query(piece)}
            # the shortest synonyms first: they match most and keep the statement small
            plan.pieces.append(set(sorted((t for t in terms if t), key=len)[:MAX_TERMS_PER_PIECE]) | {piece})
    return plan


def _like(column, term: str) -> ColumnElement:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(f"%{escaped}%", escape="\\")


def visible_condition(today: date) -> ColumnElement:
    """Postings anybody may see: published, in their validity period, owner not barred."""
    return and_(
        Posting.status == "published",
        or_(Posting.deadline.is_(None), Posting.deadline >= today),
        Posting.valid_from <= today,
        Enterprise.status.notin_(("suspended", "rejected")),
    )


def region_prefix(code: str) -> str:
    """420000 (a province) → 42, 420100 (a city) → 4201: postings of the province's cities match."""
    item = reference.region(code)
    if item is None:
        return code
    if item.level == "province":
        return code[:2]
    return code[:4]


def browse_query(params: SearchParams, today: date) -> Select:
    query = select(Posting).join(Enterprise, Posting.enterprise_id == Enterprise.id).where(visible_condition(today))
    if params.kind:
        query = query.where(Posting.kind == params.kind)
    if params.category:
        query = query.where(Posting.category == params.category)
    if params.chain:
        query = query.where(cast(Posting.chains, String).like(f'%"{params.chain}"%'))
    if params.industry:
        query = query.where(Posting.industry.like(f"{params.industry}%"))
    if params.region:
        query = query.where(Posting.region.like(f"{region_prefix(params.region)}%"))
    if params.tier:
        query = query.where(Enterprise.tier == params.tier)
    if params.since:
        query = query.where(Posting.published_at >= _days_ago(today, params.since))
    order = [Posting.published_at.desc(), Posting.id.desc()]
    if params.q:
        plan = plan_query(params.q)
        if not plan.pieces:
            return query.where(false())
        title = func.lower(Posting.title)
        for terms in plan.pieces:
            query = query.where(or_(*(_like(Posting.search_text, t) for t in sorted(terms))))
        score = literal(0)
        for part in plan.parts:
            score = score + case((_like(title, part), 8), else_=0) + case((_like(Posting.search_text, part), 4), else_=0)
        for terms in plan.pieces:
            score = score + case((or_(*(_like(title, t) for t in sorted(terms))), 2), else_=0)
        order.insert(0, score.desc())
    return query.order_by(*order)


def _days_ago(today: date, days: int):
    from datetime import datetime, time, timezone

    return datetime.combine(today - timedelta(days=days), time.min, tzinfo=timezone.utc)


def search(params: SearchParams, today: date, per_page: int = 20):
    """A Flask-SQLAlchemy pagination of the visible postings that match."""
    return db.paginate(browse_query(params, today), page=params.page, per_page=per_page, error_out=False)
