"""Reading stored suggestions and acting on them: accept (表达合作意向) or decline with a reason.

Decisions are written with one conditional UPDATE each, whose WHERE clause states when the decision
is still allowed (a decision can be changed until the other side has answered; nothing changes once
matched, declined by the other side or withdrawn). The database evaluates it against the row as it
is when the write lock is held, so concurrent requests from both sides can neither both "win" nor
lose an acceptance; the acceptance that finds the other side's yes turns the row into `matched` and
creates the Match, whose unique suggestion_id is the last line of defence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.orm import selectinload

from .. import audit
from ..errors import Conflict, Forbidden, NotFound, ValidationFailed
from ..extensions import db
from ..models import Match, Posting, Suggestion, User
from ..models.base import utcnow
from ..notifications.services import notify_enterprise
from ..vocabulary import CHAINS, DECLINE_REASONS

NOTE_MAX = 500
LISTED_STATUSES = ("open", "interest", "matched", "declined")  # withdrawn ones are not listed
SORTS = ("score", "date", "rank")


def other_side(side: str) -> str:
    return "sme" if side == "lead" else "lead"


def _load(suggestion_id: int) -> Suggestion:
    suggestion = db.session.get(Suggestion, suggestion_id)
    if suggestion is None:
        raise NotFound()
    return suggestion


def get_for_viewer(suggestion_id: int, user: User) -> Suggestion:
    """The suggestion when the user may read it (one of the two parties, or an operator), else 404."""
    suggestion = _load(suggestion_id)
    if user.is_operator or suggestion.side_of(user.enterprise_id):
        return suggestion
    raise NotFound()


def acting_side(suggestion: Suggestion, user: User) -> str:
    """The side the user acts for. Operators read but never act for a party (403); anyone else
    does not see the suggestion at all (404)."""
    side = suggestion.side_of(user.enterprise_id) if user.enterprise_id else None
    if side is None:
        if user.is_operator:
            raise Forbidden(_("Operators cannot act on behalf of an enterprise."))
        raise NotFound()
    return side


# --- what a party sees of the other -----------------------------------------------------------

@dataclass
class Counterpart:
    side: str
    enterprise: Any
    posting: Posting
    hidden: bool  # the other side chose to stay anonymous and there is no match yet

    @property
    def name(self) -> str:
        if not self.hidden:
            return self.enterprise.name
        return _("An anonymous lead enterprise") if self.side == "lead" else _("An anonymous SME")


def counterpart(suggestion: Suggestion, viewer_side: str | None) -> Counterpart:
    """The other party as the viewer may see it. Operators (viewer_side None) see the SME side's
    counterpart, i.e. the lead, with its name."""
    side = other_side(viewer_side) if viewer_side else "lead"
    posting = suggestion.lead_posting if side == "lead" else suggestion.sme_posting
    enterprise = suggestion.lead_enterprise if side == "lead" else suggestion.sme_enterprise
    hidden = bool(viewer_side) and bool(posting.anonymous) and suggestion.status != "matched"
    return Counterpart(side, enterprise, posting, hidden)


def public_name(suggestion: Suggestion, side: str) -> str | None:
    """The name of `side` as it may be shown to the other party now (None: anonymous)."""
    posting = suggestion.lead_posting if side == "lead" else suggestion.sme_posting
    enterprise = suggestion.lead_enterprise if side == "lead" else suggestion.sme_enterprise
    if posting.anonymous and suggestion.status != "matched":
        return None
    return enterprise.name


def reasons_in(suggestion: Suggestion, lang: str) -> list[dict[str, Any]]:
    """The reasons as sentences in the reader's language, strongest first."""
    out = []
    for reason in suggestion.reasons or []:
        text = reason.get(lang) or reason.get("zh") or reason.get("en") or ""
        out.append({"code": reason.get("code", ""), "text": text, "weight": float(reason.get("weight") or 0)})
    return sorted(out, key=lambda r: -r["weight"])


def decision(suggestion: Suggestion, side: str) -> str | None:
    return getattr(suggestion, f"{side}_decision")


def allowed_actions(suggestion: Suggestion, side: str | None) -> dict[str, bool]:
    """Which buttons make sense now (the services check again, atomically)."""
    if side is None or suggestion.status in ("withdrawn", "matched"):
        return {"accept": False, "decline": False}
    mine, theirs = decision(suggestion, side), decision(suggestion, other_side(side))
    open_to_me = theirs is None or (theirs == "accepted" and mine is None)
    return {"accept": open_to_me and mine != "accepted", "decline": open_to_me}


# --- lists ------------------------------------------------------------------------------------

def own_posting(posting_id: int, user: User) -> Posting:
    posting = db.session.get(Posting, posting_id)
    if posting is None or not (user.is_operator or posting.enterprise_id == user.enterprise_id):
        raise NotFound()
    return posting


def list_query(user: User, *, posting_id: int | None = None, chain: str | None = None, status: str | None = None,
               sort: str = "score"):
    query = select(Suggestion).where(Suggestion.status != "withdrawn").options(
        selectinload(Suggestion.lead_posting), selectinload(Suggestion.sme_posting),
        selectinload(Suggestion.lead_enterprise), selectinload(Suggestion.sme_enterprise),
    )
    if not user.is_operator:
        eid = user.enterprise_id
        query = query.where(or_(Suggestion.lead_enterprise_id == eid, Suggestion.sme_enterprise_id == eid))
    if posting_id is not None:
        query = query.where(or_(Suggestion.lead_posting_id == posting_id, Suggestion.sme_posting_id == posting_id))
    if chain in CHAINS:
        query = query.where(Suggestion.chain == chain)
    if status == "awaiting" and not user.is_operator:
        eid = user.enterprise_id
        query = query.where(Suggestion.status.in_(("open", "interest")), or_(
            and_(Suggestion.lead_enterprise_id == eid, Suggestion.lead_decision.is_(None)),
            and_(Suggestion.sme_enterprise_id == eid, Suggestion.sme_decision.is_(None)),
        ))
    elif status in LISTED_STATUSES:
        query = query.where(Suggestion.status == status)
    if sort == "date":
        query = query.order_by(Suggestion.created_at.desc(), Suggestion.id.desc())
    elif sort == "rank":
        query = query.order_by(Suggestion.rank, Suggestion.score.desc(), Suggestion.id)
    else:
        query = query.order_by(Suggestion.score.desc(), Suggestion.id.desc())
    return query


def summary(enterprise_id: int) -> dict[str, Any]:
    """Counts by status and the newest suggestions, for the dashboard."""
    mine = or_(Suggestion.lead_enterprise_id == enterprise_id, Suggestion.sme_enterprise_id == enterprise_id)
    counts = dict(db.session.execute(
        select(Suggestion.status, func.count()).where(mine, Suggestion.status != "withdrawn").group_by(Suggestion.status)
    ).all())
    awaiting = db.session.scalar(select(func.count()).select_from(Suggestion).where(
        Suggestion.status.in_(("open", "interest")), or_(
            and_(Suggestion.lead_enterprise_id == enterprise_id, Suggestion.lead_decision.is_(None)),
            and_(Suggestion.sme_enterprise_id == enterprise_id, Suggestion.sme_decision.is_(None)),
        ))) or 0
    newest = db.session.scalars(
        select(Suggestion).where(mine, Suggestion.status.in_(("open", "interest")))
        .order_by(Suggestion.created_at.desc(), Suggestion.score.desc(), Suggestion.id.desc()).limit(5)
    ).all()
    return {"counts": counts, "awaiting": awaiting, "total": sum(counts.values()), "newest": newest}


# --- decisions --------------------------------------------------------------------------------

@dataclass
class Outcome:
    suggestion: Suggestion
    changed: bool
    match: Match | None = None


def _cols(side: str):
    return (getattr(Suggestion, f"{side}_decision"), getattr(Suggestion, f"{side}_decided_at"),
            getattr(Suggestion, f"{side}_decline_reason"), getattr(Suggestion, f"{side}_decline_note"))


def _refused(suggestion: Suggestion, side: str) -> Conflict:
    db.session.refresh(suggestion)
    theirs = decision(suggestion, other_side(side))
    if suggestion.status == "withdrawn":
        return Conflict(_("This suggestion has been withdrawn."))
    if suggestion.status == "matched":
        return Conflict(_("This suggestion is already a match; the decisions can no longer be changed."))
    if theirs == "declined":
        return Conflict(_("The other side has declined this suggestion."))
    if theirs is not None:
        return Conflict(_("The other side has already answered, so your decision can no longer be changed."))
    return Conflict(_("This suggestion changed in the meantime. Please reload the page."))


def accept(suggestion_id: int, user: User, *, ip: str | None = None) -> Outcome:
    suggestion = _load(suggestion_id)
    side = acting_side(suggestion, user)
    mine, mine_at, mine_reason, mine_note = _cols(side)
    theirs = _cols(other_side(side))[0]
    now = utcnow()
    result = db.session.execute(
        update(Suggestion)
        .where(
            Suggestion.id == suggestion.id,
            Suggestion.status.in_(("open", "interest", "declined")),
            or_(mine.is_(None), mine != "accepted"),
            or_(theirs.is_(None), and_(theirs == "accepted", mine.is_(None))),
        )
        .values({mine: "accepted", mine_at: now, mine_reason: None, mine_note: None,
                 Suggestion.status: case((theirs == "accepted", "matched"), else_="interest"),
                 Suggestion.updated_at: now})
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        db.session.refresh(suggestion)
        if decision(suggestion, side) == "accepted":  # asked twice: the same answer, nothing new
            match = db.session.scalar(select(Match).where(Match.suggestion_id == suggestion.id))
            return Outcome(suggestion, changed=False, match=match)
        raise _refused(suggestion, side)
    db.session.refresh(suggestion)  # our own write, under our lock: the state we made
    audit.record("suggestion.accept", actor=user, target=suggestion, ip=ip, side=side)
    match = None
    if suggestion.status == "matched":
        from ..matches.services import create_for_suggestion

        match = create_for_suggestion(suggestion, user)
    else:
        other = other_side(side)
        other_posting = suggestion.lead_posting if other == "lead" else suggestion.sme_posting
        notify_enterprise(
            getattr(suggestion, f"{other}_enterprise_id"), "interest",
            {"name": public_name(suggestion, side), "role": side, "posting_title": other_posting.title,
             "posting_kind": other_posting.kind, "suggestion_id": suggestion.id},
            f"/suggestions/{suggestion.id}",
        )
    db.session.commit()
    return Outcome(suggestion, changed=True, match=match)


def check_decline(reason: str | None, note: str | None) -> tuple[str, str | None]:
    errors: dict[str, list[str]] = {}
    if reason not in DECLINE_REASONS:
        errors["reason"] = [_("Please choose a reason.")]
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = [_("At most %(n)d characters.", n=NOTE_MAX)]
    if errors:
        raise ValidationFailed(errors)
    return reason, note or None


def decline(suggestion_id: int, user: User, reason: str | None, note: str | None = None, *,
            ip: str | None = None) -> Outcome:
    suggestion = _load(suggestion_id)
    side = acting_side(suggestion, user)
    reason, note = check_decline(reason, note)
    mine, mine_at, mine_reason, mine_note = _cols(side)
    theirs = _cols(other_side(side))[0]
    now = utcnow()
    allowed = (
        Suggestion.id == suggestion.id,
        Suggestion.status.in_(("open", "interest", "declined")),
        or_(theirs.is_(None), and_(theirs == "accepted", mine.is_(None))),
    )
    values = {mine: "declined", mine_at: now, mine_reason: reason, mine_note: note,
              Suggestion.status: "declined", Suggestion.updated_at: now}
    # A new decision (none yet, or a change of mind from yes) is news for the other side ...
    result = db.session.execute(
        update(Suggestion).where(*allowed, or_(mine.is_(None), mine == "accepted")).values(values)
        .execution_options(synchronize_session=False)
    )
    fresh = result.rowcount == 1
    if not fresh:  # ... a second "no" only corrects the reason.
        result = db.session.execute(
            update(Suggestion).where(*allowed, mine == "declined").values(values)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            db.session.rollback()
            raise _refused(suggestion, side)
    db.session.refresh(suggestion)
    audit.record("suggestion.decline", actor=user, target=suggestion, ip=ip, side=side, reason=reason)
    if fresh:
        other = other_side(side)
        other_posting = suggestion.lead_posting if other == "lead" else suggestion.sme_posting
        notify_enterprise(
            getattr(suggestion, f"{other}_enterprise_id"), "declined",
            {"name": public_name(suggestion, side), "role": side, "posting_title": other_posting.title,
             "reason": reason, "note": note, "suggestion_id": suggestion.id},
            f"/suggestions/{suggestion.id}",
        )
    db.session.commit()
    return Outcome(suggestion, changed=fresh)


def match_of(suggestion: Suggestion) -> Match | None:
    return db.session.scalar(select(Match).where(Match.suggestion_id == suggestion.id))
