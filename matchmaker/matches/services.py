"""Matches: created when both sides of a suggestion said yes, followed by both parties through the
stages to a deal (or closed without one), with a message thread between the two enterprises."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import IO, Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .. import audit
from ..errors import DomainError, Forbidden, NotFound, ValidationFailed
from ..extensions import db
from ..models import Match, MatchEvent, Message, Suggestion, User
from ..models.base import utcnow
from ..notifications.services import notify_enterprise, notify_enterprise_once
from ..vocabulary import MATCH_STAGES

MESSAGE_MAX = 2000
NOTE_MAX = 1000
MESSAGES_PER_MINUTE = 10


class RateLimited(DomainError):
    status_code = 429


def today() -> date:
    return datetime.now(ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai"))).date()


def local_date(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai"))).date()


def _posting_of(match: Match, side: str):
    return match.lead_posting if side == "lead" else match.sme_posting


def _enterprise_of(match: Match, side: str):
    return match.lead_enterprise if side == "lead" else match.sme_enterprise


def _other(side: str) -> str:
    return "sme" if side == "lead" else "lead"


# --- creation (called by the suggestion service, inside its transaction) ----------------------

def create_for_suggestion(suggestion: Suggestion, actor: User) -> Match:
    """The match of a suggestion both sides accepted: stage "talks" with its first event, and a
    notice to both parties. The caller commits. A concurrent creator loses on the unique
    suggestion_id and gets the existing match."""
    match = Match(
        suggestion_id=suggestion.id, lead_enterprise_id=suggestion.lead_enterprise_id,
        sme_enterprise_id=suggestion.sme_enterprise_id, lead_posting_id=suggestion.lead_posting_id,
        sme_posting_id=suggestion.sme_posting_id, chain=suggestion.chain, stage="talks",
    )
    try:
        with db.session.begin_nested():
            db.session.add(match)
            db.session.flush()
    except IntegrityError:
        existing = db.session.scalar(select(Match).where(Match.suggestion_id == suggestion.id))
        if existing is None:
            raise
        return existing
    db.session.add(MatchEvent(match_id=match.id, stage="talks", occurred_on=today(), note="",
                              actor_id=actor.id, actor_enterprise_id=actor.enterprise_id))
    audit.record("match.create", actor=actor, target=match, suggestion=suggestion.id)
    for side in ("lead", "sme"):
        other = _other(side)
        other_enterprise = suggestion.lead_enterprise if other == "lead" else suggestion.sme_enterprise
        own_posting = suggestion.lead_posting if side == "lead" else suggestion.sme_posting
        notify_enterprise(getattr(suggestion, f"{side}_enterprise_id"), "match",
                          {"name": other_enterprise.name, "role": other, "posting_title": own_posting.title,
                           "match_id": match.id}, f"/matches/{match.id}")
    return match


# --- reading ----------------------------------------------------------------------------------

def get_for_viewer(match_id: int, user: User) -> Match:
    match = db.session.get(Match, match_id)
    if match is None or not (user.is_operator or match.side_of(user.enterprise_id)):
        raise NotFound()
    return match


def acting_side(match: Match, user: User) -> str:
    side = match.side_of(user.enterprise_id) if user.enterprise_id else None
    if side is None:
        if user.is_operator:
            raise Forbidden(_("Operators cannot act on behalf of an enterprise."))
        raise NotFound()
    return side


def list_query(user: User, *, stage: str | None = None, chain: str | None = None):
    query = select(Match).options(
        selectinload(Match.lead_enterprise), selectinload(Match.sme_enterprise),
        selectinload(Match.lead_posting), selectinload(Match.sme_posting),
    )
    if not user.is_operator:
        eid = user.enterprise_id
        query = query.where(or_(Match.lead_enterprise_id == eid, Match.sme_enterprise_id == eid))
    if stage in MATCH_STAGES:
        query = query.where(Match.stage == stage)
    if chain:
        query = query.where(Match.chain == chain)
    return query.order_by(Match.updated_at.desc(), Match.id.desc())


def messages(match: Match) -> list[Message]:
    return db.session.scalars(
        select(Message).where(Message.match_id == match.id).options(selectinload(Message.sender))
        .order_by(Message.created_at, Message.id)
    ).all()


def summary(enterprise_id: int) -> dict[str, Any]:
    mine = or_(Match.lead_enterprise_id == enterprise_id, Match.sme_enterprise_id == enterprise_id)
    counts = dict(db.session.execute(select(Match.stage, func.count()).where(mine).group_by(Match.stage)).all())
    newest = db.session.scalars(select(Match).where(mine).order_by(Match.updated_at.desc(), Match.id.desc()).limit(5)).all()
    return {"counts": counts, "total": sum(counts.values()), "newest": newest}


# --- acting -----------------------------------------------------------------------------------

def move_stage(match_id: int, user: User, stage: str | None, occurred_on: date | None, note: str | None, *,
               ip: str | None = None) -> MatchEvent:
    """Either party records the next step (or a closing without a deal, which needs a reason)."""
    match = get_for_viewer(match_id, user)
    side = acting_side(match, user)
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if stage not in MATCH_STAGES:
        errors["stage"] = [_("Please choose a stage.")]
    elif stage == match.stage:
        errors["stage"] = [_("The match is already at this stage.")]
    if occurred_on is None:
        errors["occurred_on"] = [_("Please give the date.")]
    elif occurred_on > today():
        errors["occurred_on"] = [_("The date cannot be in the future.")]
    elif occurred_on < local_date(match.created_at) - timedelta(days=365):
        errors["occurred_on"] = [_("The date is too far in the past.")]
    if len(note) > NOTE_MAX:
        errors["note"] = [_("At most %(n)d characters.", n=NOTE_MAX)]
    if stage == "closed" and not note:
        errors["note"] = [_("Please say why the match is closed without a deal.")]
    if errors:
        raise ValidationFailed(errors)
    previous = match.stage
    match.stage = stage
    match.closed_reason = note if stage == "closed" else None
    match.updated_at = utcnow()
    event = MatchEvent(match_id=match.id, stage=stage, occurred_on=occurred_on, note=note,
                       actor_id=user.id, actor_enterprise_id=user.enterprise_id)
    db.session.add(event)
    audit.record("match.stage", actor=user, target=match, ip=ip, previous=previous, stage=stage)
    other = _other(side)
    notify_enterprise(getattr(match, f"{other}_enterprise_id"), "stage",
                      {"name": _enterprise_of(match, side).name, "role": side,
                       "posting_title": _posting_of(match, other).title, "stage": stage, "match_id": match.id},
                      f"/matches/{match.id}")
    db.session.commit()
    return event


def messages_per_minute() -> int:
    return int(current_app.config.get("MESSAGES_PER_MINUTE", MESSAGES_PER_MINUTE))


def post_message(match_id: int, user: User, body: str | None) -> Message:
    match = get_for_viewer(match_id, user)
    side = acting_side(match, user)
    body = (body or "").strip()
    if not body:
        raise ValidationFailed({"body": [_("Please write a message.")]})
    if len(body) > MESSAGE_MAX:
        raise ValidationFailed({"body": [_("At most %(n)d characters.", n=MESSAGE_MAX)]})
    limit = messages_per_minute()
    recent = db.session.scalar(select(func.count()).select_from(Message).where(
        Message.sender_id == user.id, Message.created_at >= utcnow() - timedelta(seconds=60))) or 0
    if recent >= limit:
        raise RateLimited(_("You can send at most %(n)d messages a minute. Please wait a moment and try again.", n=limit))
    message = Message(match_id=match.id, sender_id=user.id, sender_enterprise_id=user.enterprise_id, body=body)
    db.session.add(message)
    match.updated_at = utcnow()
    other = _other(side)
    notify_enterprise_once(getattr(match, f"{other}_enterprise_id"), "message",
                           {"name": _enterprise_of(match, side).name, "role": side, "match_id": match.id},
                           f"/matches/{match.id}#messages")
    db.session.commit()
    return message


# --- export -----------------------------------------------------------------------------------

def export_record(match: Match) -> dict[str, Any]:
    return {
        "id": match.id,
        "suggestion": match.suggestion_id,
        "lead_posting": match.lead_posting.ref,
        "sme_posting": match.sme_posting.ref,
        "lead": match.lead_enterprise.ref,
        "sme": match.sme_enterprise.ref,
        "chain": match.chain,
        "stage": match.stage,
        "created_at": match.created_at.isoformat() if match.created_at else None,
    }


def export_jsonl(out: IO[str]) -> int:
    """Every match as one JSON object a line, oldest first. Returns how many were written."""
    count = 0
    query = select(Match).options(
        selectinload(Match.lead_enterprise), selectinload(Match.sme_enterprise),
        selectinload(Match.lead_posting), selectinload(Match.sme_posting),
    ).order_by(Match.id)
    for match in db.session.scalars(query).all():
        out.write(json.dumps(export_record(match), ensure_ascii=False) + "\n")
        count += 1
    return count
