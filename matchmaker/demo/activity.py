"""A few months of platform life on top of the demo world: interest, declines with reasons, matches
at every stage, messages. It drives the real services (so every rule and notification holds), then
spreads the timestamps over the past weeks, so that the operator's funnel, network map and
activity charts look like a running platform. The suggestions between demo-lead and demo-sme are
left open, for a visitor to act on."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select, update

from ..extensions import db
from ..models import Enterprise, Match, MatchEvent, Message, Posting, Suggestion, User
from ..security import hash_password

DAYS = 84  # the span of the simulated history
STAGE_PATHS = (  # where a match ends up, and how often
    (("nda",), 25),
    (("nda", "sample"), 20),
    (("nda", "sample", "contract"), 12),
    (("nda", "sample", "contract", "supplier"), 8),
    ((), 25),
    (("closed",), 10),
)
DECLINES = (
    ("capacity", "本季度产能已排满，明年一季度可再洽谈。"),
    ("region", "交付地点距离较远，物流成本偏高。"),
    ("has_supplier", "该品类已有稳定的合格供应商。"),
    ("price", "报价区间与我方预算差距较大。"),
    ("not_relevant", "我们的需求方向与贵方能力不太一致。"),
)
MESSAGES = (
    "您好，我们对贵方的方案很感兴趣，方便下周安排一次线上交流吗？",
    "可以，我们准备了技术资料和样品照片，稍后发到您邮箱。",
    "收到，请提供近三年的主要客户和质量体系认证情况。",
    "已整理好资料，另附IATF 16949证书扫描件，请查收。",
)


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(hour=rng.randint(8, 18), minute=rng.randint(0, 59)), tzinfo=timezone.utc)


def _logins(enterprise_ids: set[int], password: str) -> dict[int, User]:
    """One login per enterprise involved (an existing one, or its contact person's)."""
    users: dict[int, User] = {}
    for user in db.session.scalars(select(User).where(User.enterprise_id.in_(enterprise_ids)).order_by(User.id)):
        users.setdefault(user.enterprise_id, user)
    missing = enterprise_ids - users.keys()
    if missing:
        shared_hash = hash_password(password)  # hashed once: argon2 is slow on purpose
        for enterprise in db.session.scalars(select(Enterprise).where(Enterprise.id.in_(missing))):
            user = User(email=enterprise.contact_email, display_name=enterprise.contact_name,
                        password_hash=shared_hash, enterprise=enterprise)
            db.session.add(user)
            users[enterprise.id] = user
        db.session.commit()
    return users


def simulate_activity(*, password: str, seed: int = 2026, share: float = 0.25,
                      today: date | None = None) -> dict[str, int]:
    """Act on a share of the open suggestions as both sides would. Does nothing when matches exist."""
    from ..matches.services import RateLimited, move_stage, post_message
    from ..suggestions.services import accept, decline

    if db.session.scalar(select(Match.id).limit(1)) is not None:
        return {"skipped": 1}
    rng = random.Random(seed)
    today = today or date.today()
    kept_open = set(db.session.scalars(select(Enterprise.id).where(Enterprise.ref.in_(("demo-lead", "demo-sme")))))
    rows = db.session.execute(
        select(Suggestion.id, Suggestion.lead_enterprise_id, Suggestion.sme_enterprise_id)
        .where(Suggestion.status == "open").order_by(Suggestion.id)
    ).all()
    chosen = [r for r in rows if not {r.lead_enterprise_id, r.sme_enterprise_id} <= kept_open and rng.random() < share]
    users = _logins({e for r in chosen for e in (r.lead_enterprise_id, r.sme_enterprise_id)}, password)
    counts = {"interest": 0, "declined": 0, "matched": 0, "stages": 0, "messages": 0}
    for row in chosen:
        first, second = rng.sample([row.lead_enterprise_id, row.sme_enterprise_id], 2)
        roll = rng.random()
        if roll < 0.12:
            reason, note = rng.choice(DECLINES)
            decline(row.id, users[first], reason, note)
            counts["declined"] += 1
            continue
        accept(row.id, users[first])
        if roll < 0.45:
            counts["interest"] += 1
            continue
        if roll < 0.55:
            reason, note = rng.choice(DECLINES)
            decline(row.id, users[second], reason, note)
            counts["declined"] += 1
            continue
        outcome = accept(row.id, users[second])
        counts["matched"] += 1
        match = outcome.match
        started = today - timedelta(days=rng.randint(10, DAYS))
        path = rng.choices([p for p, _w in STAGE_PATHS], weights=[w for _p, w in STAGE_PATHS])[0]
        step_day = started
        for stage in path:
            step_day = min(today, step_day + timedelta(days=rng.randint(3, 14)))
            actor = users[rng.choice([row.lead_enterprise_id, row.sme_enterprise_id])]
            note = "双方同意终止合作，原因是交期无法满足。" if stage == "closed" else ""
            move_stage(match.id, actor, stage, step_day, note)
            counts["stages"] += 1
        for i, body in enumerate(MESSAGES[: rng.randint(0, len(MESSAGES))]):
            sender = users[row.lead_enterprise_id if i % 2 == 0 else row.sme_enterprise_id]
            try:
                post_message(match.id, sender, body)
                counts["messages"] += 1
            except RateLimited:
                break
        _backdate_match(match.id, started, rng)
    _backdate_history(rng, today)
    db.session.commit()
    return counts


def _backdate_match(match_id: int, started: date, rng: random.Random) -> None:
    """The match, its first event and its messages happened when the history says, not today."""
    match = db.session.get(Match, match_id)
    moment = _at(started, rng)
    match.created_at = moment
    first_event = db.session.scalar(select(MatchEvent).where(MatchEvent.match_id == match_id).order_by(MatchEvent.id))
    if first_event is not None:
        first_event.occurred_on = started
        first_event.created_at = moment
    for offset, message in enumerate(db.session.scalars(select(Message).where(Message.match_id == match_id))):
        message.created_at = moment + timedelta(hours=6 * (offset + 1))
    suggestion = db.session.get(Suggestion, match.suggestion_id)
    for side in ("lead", "sme"):
        setattr(suggestion, f"{side}_decided_at", moment - timedelta(days=rng.randint(0, 3)))


def _backdate_history(rng: random.Random, today: date) -> None:
    """Registrations over the past year, postings after their enterprise, suggestions after both."""
    for enterprise in db.session.scalars(select(Enterprise)):
        enterprise.created_at = _at(today - timedelta(days=rng.randint(DAYS, 365)), rng)
        enterprise.verified_at = enterprise.created_at + timedelta(days=rng.randint(1, 7))
    db.session.flush()
    for posting in db.session.scalars(select(Posting).where(Posting.status == "published")):
        published = _at(today - timedelta(days=rng.randint(DAYS // 2, DAYS + 30)), rng)
        posting.created_at = posting.published_at = published
        posting.valid_from = published.date()
    db.session.flush()
    for suggestion in db.session.scalars(select(Suggestion)):
        decided = [d for d in (suggestion.lead_decided_at, suggestion.sme_decided_at) if d is not None]
        latest = min(decided) if decided else _at(today, rng)
        earliest = max(suggestion.lead_posting.published_at, suggestion.sme_posting.published_at)
        span = max(0, (latest - earliest).days)
        suggestion.created_at = earliest + timedelta(days=rng.randint(0, span) if span else 0)
    db.session.execute(update(Suggestion).values(updated_at=Suggestion.created_at).where(Suggestion.status == "open"))
