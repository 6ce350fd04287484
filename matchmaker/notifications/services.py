"""In-app notifications and the e-mail outbox.

A notification stores a `kind` and plain `params`; its text is written in the reader's language
when it is displayed (`describe`), so that switching the language translates old notices too.
`notify_enterprise` is the one entry point other features call; the caller commits, so a notice
is saved together with the change it reports (or not at all)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import current_app, has_request_context, request
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select, update

from ..errors import NotFound
from ..extensions import db
from ..models import Notification, OutboxEmail, Suggestion, User
from ..models.base import utcnow
from ..security import is_safe_next
from ..vocabulary import DECLINE_REASONS, KINDS, MATCH_STAGES, label

SUBJECT_MAX = 200


def notify_enterprise(enterprise_id: int, kind: str, params: dict, link: str | None) -> None:
    """A notification for every user of the enterprise, and an e-mail each (to the outbox) when
    MAIL_SERVER is configured. The caller commits."""
    users = db.session.scalars(select(User).where(User.enterprise_id == enterprise_id)).all()
    mail = bool(current_app.config.get("MAIL_SERVER"))
    for user in users:
        db.session.add(Notification(user_id=user.id, kind=kind, params=dict(params or {}), link=link))
        if mail and user.email:
            subject, body = _email_for(user, kind, params or {}, link)
            db.session.add(OutboxEmail(to_address=user.email, subject=subject, body=body))


def _absolute(link: str | None) -> str:
    if not link:
        return ""
    base = current_app.config.get("BASE_URL") or (request.host_url if has_request_context() else "")
    return base.rstrip("/") + link if base else link


def _email_for(user: User, kind: str, params: dict, link: str | None) -> tuple[str, str]:
    locale = user.locale if user.locale in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        text = describe(kind, params)
        subject = _("Matchmaker: %(text)s", text=text)
        if len(subject) > SUBJECT_MAX:
            subject = subject[: SUBJECT_MAX - 1] + "…"
        lines = [_("Hello %(name)s,", name=user.display_name), "", text]
        if link:
            lines += ["", _("Open it on the platform: %(url)s", url=_absolute(link))]
        lines += ["", _("You receive this e-mail because your enterprise is registered on the platform.")]
    return subject, "\n".join(lines)


# --- rendering ---------------------------------------------------------------------------------

def party_name(params: dict) -> str:
    """The other enterprise's name, or a neutral phrase when it chose to stay anonymous."""
    name = params.get("name")
    if name:
        return str(name)
    if params.get("role") == "lead":
        return _("An anonymous lead enterprise")
    return _("An anonymous SME")


def _date(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, "medium") if isinstance(value, date) else str(value or "")


def describe(kind: str, params: dict) -> str:
    """The notification's sentence in the current language."""
    p = params or {}
    title = p.get("posting_title") or ""
    if kind == "suggestions":
        return ngettext("You have %(num)d new suggestion.", "You have %(num)d new suggestions.", int(p.get("count") or 0))
    if kind == "interest":
        return _("%(name)s is interested in your %(kind)s “%(title)s”.", name=party_name(p),
                 kind=label(KINDS, p.get("posting_kind")).lower() if p.get("posting_kind") else _("posting"), title=title)
    if kind == "declined":
        text = _("%(name)s declined the suggestion for your posting “%(title)s”. Reason: %(reason)s.",
                 name=party_name(p), title=title, reason=label(DECLINE_REASONS, p.get("reason")))
        if p.get("note"):
            text += " " + _("Note: %(note)s", note=p["note"])
        return text
    if kind == "match":
        return _("It's a match: you and %(name)s both want to work together on “%(title)s”. Contact details are now visible.",
                 name=party_name(p), title=title)
    if kind == "message":
        return _("New message from %(name)s.", name=party_name(p))
    if kind == "stage":
        return _("%(name)s moved your match on “%(title)s” to: %(stage)s.", name=party_name(p), title=title,
                 stage=label(MATCH_STAGES, p.get("stage")))
    if kind == "posting_expiring":
        return _("Your posting “%(title)s” expires on %(date)s.", title=title, date=_date(p.get("deadline")))
    if kind == "posting_expired":
        return _("Your posting “%(title)s” has expired.", title=title)
    if kind == "posting_reviewed":
        outcome = p.get("outcome")
        if outcome == "approved":
            return _("Your posting “%(title)s” was approved and is published.", title=title)
        if outcome == "rejected":
            text = _("Your posting “%(title)s” was not approved.", title=title)
        elif outcome == "unpublished":
            text = _("Your posting “%(title)s” was unpublished by the platform.", title=title)
        else:
            text = _("Your posting “%(title)s” was reviewed.", title=title)
        if p.get("reason"):
            text += " " + _("Reason: %(reason)s", reason=p["reason"])
        return text
    return _("You have a new notification.")


# --- the centre --------------------------------------------------------------------------------

def unread_count(user: User) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ) or 0


def list_for(user: User, *, unread_only: bool = False):
    query = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return query.order_by(Notification.created_at.desc(), Notification.id.desc())


def open_notification(notification_id: int, user: User) -> str | None:
    """Mark the user's notification read and return where it points (a local path only)."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        raise NotFound()
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification.link if is_safe_next(notification.link) else None


def mark_all_read(user: User) -> int:
    result = db.session.execute(
        update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=utcnow())
    )
    db.session.commit()
    return result.rowcount or 0


def has_unread(user_id: int, kind: str, link: str | None) -> bool:
    return db.session.scalar(
        select(Notification.id).where(Notification.user_id == user_id, Notification.kind == kind,
                                      Notification.link == link, Notification.read_at.is_(None)).limit(1)
    ) is not None


def notify_enterprise_once(enterprise_id: int, kind: str, params: dict, link: str | None) -> None:
    """Like notify_enterprise, but users who still have an unread notice of this kind for this link
    are not told again (a busy message thread makes one notice, not fifty)."""
    users = db.session.scalars(select(User.id).where(User.enterprise_id == enterprise_id)).all()
    if users and all(has_unread(uid, kind, link) for uid in users):
        return
    notify_enterprise(enterprise_id, kind, params, link)


# --- new suggestions (signal receiver) ---------------------------------------------------------

def notify_new_suggestions(suggestion_ids: list[int]) -> int:
    """One summarised notice per enterprise for a batch of new suggestions. Returns how many."""
    if not suggestion_ids:
        return 0
    counts: dict[int, int] = {}
    ids = list(dict.fromkeys(int(i) for i in suggestion_ids))
    for start in range(0, len(ids), 500):
        rows = db.session.execute(
            select(Suggestion.lead_enterprise_id, Suggestion.sme_enterprise_id)
            .where(Suggestion.id.in_(ids[start:start + 500]), Suggestion.status.in_(("open", "interest")))
        ).all()
        for lead_id, sme_id in rows:
            counts[lead_id] = counts.get(lead_id, 0) + 1
            counts[sme_id] = counts.get(sme_id, 0) + 1
    for enterprise_id, count in counts.items():
        notify_enterprise(enterprise_id, "suggestions", {"count": count}, "/suggestions")
    db.session.commit()
    return len(counts)
