"""The figures of the operator dashboard and the reporting exports, read straight from the tables.

Definitions (the tests recompute each of them independently):
- enterprises: every registered enterprise except rejected ones, counted by role, SME tier,
  province (first two digits of the region code) and industry section (门类, the code's letter);
- postings: published postings by kind, and by each chain they declare;
- the funnel per chain, for the suggestions created in a period (all time by default):
  suggested (every stored suggestion) → interest (at least one side accepted) → matched (a match
  exists) → each match stage reached (the furthest stage in the match's history, a closed match
  counting the stages it reached before closing) → deal (contract or supplier reached);
- activity: enterprises registered, postings published, suggestions and matches created per ISO
  week (Monday first).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, select

from ..extensions import db
from ..models import Enterprise, Match, MatchEvent, Posting, Suggestion
from ..vocabulary import CHAINS, DEAL_STAGES, MATCH_STAGES

# The stages a match moves through, in order ("closed" ends a match and is not a step).
STAGE_ORDER = tuple(s for s in MATCH_STAGES if s != "closed")
FUNNEL_STEPS = ("suggested", "interest", "matched", *STAGE_ORDER[1:], "deal")


def province_code(region: str | None) -> str:
    return (region or "")[:2] + "0000" if region else ""


def section_code(industry: str | None) -> str:
    return (industry or "")[:1].upper()


# --- enterprises and postings -----------------------------------------------------------------

def enterprise_breakdown() -> dict[str, Counter]:
    rows = db.session.execute(
        select(Enterprise.role, Enterprise.tier, Enterprise.region, Enterprise.industry)
        .where(Enterprise.status != "rejected"))
    result = {"role": Counter(), "tier": Counter(), "province": Counter(), "section": Counter()}
    for role, tier, region, industry in rows:
        result["role"][role] += 1
        if role == "sme":
            result["tier"][tier or "none"] += 1
        result["province"][province_code(region)] += 1
        result["section"][section_code(industry)] += 1
    return result


def posting_breakdown() -> dict[str, Counter]:
    rows = db.session.execute(select(Posting.kind, Posting.chains).where(Posting.status == "published"))
    result = {"kind": Counter(), "chain": Counter()}
    for kind, chains in rows:
        result["kind"][kind] += 1
        for chain in set(chains or ()):
            result["chain"][chain] += 1
    return result


# --- the funnel -------------------------------------------------------------------------------

@dataclass
class FunnelRow:
    chain: str
    counts: dict[str, int] = field(default_factory=lambda: {step: 0 for step in FUNNEL_STEPS})

    def rate(self, step: str) -> float | None:
        """The share of the previous step that reached this one — for "deal", the share of the
        matches — (None for the first step or when the base is zero)."""
        index = FUNNEL_STEPS.index(step)
        if index == 0:
            return None
        before = self.counts["matched" if step == "deal" else FUNNEL_STEPS[index - 1]]
        return self.counts[step] / before if before else None

    def overall(self, step: str) -> float | None:
        first = self.counts["suggested"]
        return self.counts[step] / first if first else None

    @property
    def steps(self) -> list[tuple[str, int, float | None, float | None]]:
        return [(s, self.counts[s], self.rate(s), self.overall(s)) for s in FUNNEL_STEPS]


def _bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    lo = datetime.combine(start, time.min, tzinfo=timezone.utc) if start else None
    hi = datetime.combine(end + timedelta(days=1), time.min, tzinfo=timezone.utc) if end else None
    return lo, hi


def _in_period(query, column, start: date | None, end: date | None):
    lo, hi = _bounds(start, end)
    if lo is not None:
        query = query.where(column >= lo)
    if hi is not None:
        query = query.where(column < hi)
    return query


def furthest_stages(match_ids: list[int] | None = None) -> dict[int, int]:
    """match id → index in STAGE_ORDER of the furthest stage it reached (its current stage or any
    stage in its history)."""
    index = {stage: i for i, stage in enumerate(STAGE_ORDER)}
    best: dict[int, int] = {}
    query = select(Match.id, Match.stage)
    events = select(MatchEvent.match_id, MatchEvent.stage)
    if match_ids is not None:
        query = query.where(Match.id.in_(match_ids))
        events = events.where(MatchEvent.match_id.in_(match_ids))
    for match_id, stage in db.session.execute(query):
        best[match_id] = index.get(stage, 0)
    for match_id, stage in db.session.execute(events):
        if match_id in best and stage in index:
            best[match_id] = max(best[match_id], index[stage])
    return best


def funnel(start: date | None = None, end: date | None = None) -> list[FunnelRow]:
    """One row per chain (all seven, in the vocabulary's order) plus a total row (chain "all")."""
    rows = {chain: FunnelRow(chain) for chain in CHAINS}
    query = _in_period(select(Suggestion.id, Suggestion.chain, Suggestion.lead_decision, Suggestion.sme_decision),
                       Suggestion.created_at, start, end)
    suggestion_chain: dict[int, str] = {}
    for sid, chain, lead_decision, sme_decision in db.session.execute(query):
        row = rows.setdefault(chain, FunnelRow(chain))
        suggestion_chain[sid] = chain
        row.counts["suggested"] += 1
        if "accepted" in (lead_decision, sme_decision):
            row.counts["interest"] += 1
    matches = _in_period(select(Match.id, Match.suggestion_id, Match.chain).join(
        Suggestion, Suggestion.id == Match.suggestion_id), Suggestion.created_at, start, end)
    matched = list(db.session.execute(matches))
    reached = furthest_stages([m.id for m in matched]) if matched else {}
    deal_index = min(STAGE_ORDER.index(s) for s in DEAL_STAGES)
    for match_id, _suggestion_id, chain in matched:
        row = rows.setdefault(chain, FunnelRow(chain))
        row.counts["matched"] += 1
        furthest = reached.get(match_id, 0)
        for i, stage in enumerate(STAGE_ORDER[1:], start=1):
            if furthest >= i:
                row.counts[stage] += 1
        if furthest >= deal_index:
            row.counts["deal"] += 1
    total = FunnelRow("all")
    for row in rows.values():
        for step in FUNNEL_STEPS:
            total.counts[step] += row.counts[step]
    return [*rows.values(), total]


# --- activity over time -----------------------------------------------------------------------

ACTIVITY_SERIES = ("registrations", "postings", "suggestions", "matches")


def week_start(value: datetime | date) -> date:
    day = value.date() if isinstance(value, datetime) else value
    return day - timedelta(days=day.weekday())


def activity(weeks: int = 12, today: date | None = None) -> tuple[list[date], dict[str, list[int]]]:
    """The last `weeks` ISO weeks (oldest first, the current one last) and per series the counts."""
    today = today or datetime.now(timezone.utc).date()
    last = week_start(today)
    starts = [last - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    lo = datetime.combine(starts[0], time.min, tzinfo=timezone.utc)
    columns = {
        "registrations": Enterprise.created_at,
        "postings": Posting.published_at,
        "suggestions": Suggestion.created_at,
        "matches": Match.created_at,
    }
    position = {start: i for i, start in enumerate(starts)}
    series: dict[str, list[int]] = {}
    for name, column in columns.items():
        counts = [0] * weeks
        for (at,) in db.session.execute(select(column).where(column >= lo)):
            i = position.get(week_start(at.astimezone(timezone.utc) if at.tzinfo else at))
            if i is not None:
                counts[i] += 1
        series[name] = counts
    return starts, series


# --- matches for reports ----------------------------------------------------------------------

def matches_in_period(start: date | None = None, end: date | None = None) -> list[Match]:
    query = _in_period(select(Match).order_by(Match.created_at, Match.id), Match.created_at, start, end)
    return list(db.session.scalars(query))


def totals() -> dict[str, int]:
    def count(model, *where):
        return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0

    return {
        "enterprises": count(Enterprise, Enterprise.status != "rejected"),
        "leads": count(Enterprise, Enterprise.status != "rejected", Enterprise.role == "lead"),
        "smes": count(Enterprise, Enterprise.status != "rejected", Enterprise.role == "sme"),
        "postings": count(Posting, Posting.status == "published"),
        "suggestions": count(Suggestion),
        "matches": count(Match),
    }
