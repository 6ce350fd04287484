"""Postings: checking, the lifecycle (draft → published → closed/expired, re-open, delete), operator
review and moderation, expiry, and who may see a posting and its owner.

Services take plain values and the acting user, raise domain errors and commit; signals go out
after the commit (`posting_changed` when a posting is published or edited while published,
`posting_withdrawn` when it leaves the published list or is about to be deleted)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select

from .. import audit, reference, signals
from ..errors import Conflict, Forbidden, NotFound, ValidationFailed
from ..extensions import db
from ..models import Enterprise, Match, Posting, Suggestion, User
from ..models.base import utcnow
from ..settings import get_setting
from ..vocabulary import CHAINS, POSTING_KINDS
from .search import build_search_text, compute_tokens, visible_condition

MAX_TITLE = 120
MAX_DESCRIPTION = 5000
MAX_TAGS = 10
MAX_TAG = 20
MAX_REASON = 1000

# kind -> detail field -> (type, limit). Types: text (max characters), list (of short texts; a text
# is split at new lines, commas or 、; the limit counts all characters), region, amount (万元).
DETAIL_FIELDS: dict[str, dict[str, tuple[str, int | None]]] = {
    "need": {"specification": ("text", 1000), "quantity": ("text", 100), "delivery_region": ("region", None)},
    "challenge": {"problem": ("text", 2000), "indicators": ("list", 2000), "budget_min": ("amount", None),
                  "budget_max": ("amount", None)},
    "capability": {"capacity": ("text", 500), "certifications": ("list", 300), "references": ("text", 1000)},
    "resource": {},
}
DETAIL_LABELS = {
    "specification": _l("Specification"), "quantity": _l("Quantity"), "delivery_region": _l("Target delivery region"),
    "problem": _l("Problem to solve"), "indicators": _l("Target indicators"), "budget_min": _l("Budget from (10,000 yuan)"),
    "budget_max": _l("Budget up to (10,000 yuan)"), "capacity": _l("Capacity"), "certifications": _l("Certifications"),
    "references": _l("References"),
}
MAX_LIST_ITEMS = 30
MAX_BUDGET = 10_000_000  # 万元: a thousand billion yuan is not a typo we want to store

EDITABLE = ("draft", "pending", "published", "rejected", "unpublished", "closed", "expired")
PUBLISHABLE = ("draft", "rejected", "unpublished")


def today() -> date:
    """Today in the platform's time zone (deadlines are calendar dates in China)."""
    zone = current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Asia/Shanghai"
    return datetime.now(ZoneInfo(zone)).date()


# --- input and checks -------------------------------------------------------------------------

@dataclass
class PostingInput:
    """What a form or an import line says about a posting, before it is checked."""

    kind: str
    category: str
    title: str = ""
    description: str = ""
    tags: list[str] = field(default_factory=list)
    industry: str | None = None
    region: str | None = None
    chains: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    anonymous: bool = False
    wants_specialized: bool = False
    valid_from: date | None = None
    deadline: date | None = None


def split_tags(text: str | None) -> list[str]:
    """Tags typed in one box, separated by commas (either width), 、, ; or new lines."""
    if not text:
        return []
    for sep in ("，", "、", ";", "；", "\n"):
        text = text.replace(sep, ",")
    return [t.strip() for t in text.split(",") if t.strip()]


def _number(value: Any) -> float | int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite():
        raise ValueError
    number = number.quantize(Decimal("0.01"))
    return int(number) if number == number.to_integral_value() else float(number)


def check_posting(data: PostingInput, side: str, *, today_: date | None = None,
                  future_deadline: bool = True) -> dict[str, list[str]]:
    """Everything wrong with the input, by field; empty when it may be saved. Normalises `data`
    in place (trimmed text, tags without duplicates, chains in display order, proposed chains
    when none are given, clean details)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    categories = POSTING_KINDS.get((side, data.kind))
    if categories is None:
        add("kind", _("This kind of posting is not available to your enterprise."))
    elif data.category not in categories:
        add("category", _("Unknown category for this kind of posting."))

    data.title = (data.title or "").strip() if isinstance(data.title, str) else ""
    data.description = (data.description or "").strip() if isinstance(data.description, str) else ""
    if not data.title:
        add("title", _("This field is required."))
    elif len(data.title) > MAX_TITLE:
        add("title", _("At most %(n)d characters.", n=MAX_TITLE))
    if not data.description:
        add("description", _("This field is required."))
    elif len(data.description) > MAX_DESCRIPTION:
        add("description", _("At most %(n)d characters.", n=MAX_DESCRIPTION))

    if not isinstance(data.tags, (list, tuple)) or not all(isinstance(t, str) for t in data.tags):
        add("tags", _("Tags must be a list of words."))
        data.tags = []
    tags: list[str] = []
    for tag in data.tags:
        tag = " ".join(tag.split())
        if tag and tag not in tags:
            tags.append(tag)
    data.tags = tags
    if len(tags) > MAX_TAGS:
        add("tags", _("At most %(n)d tags.", n=MAX_TAGS))
    if any(len(t) > MAX_TAG for t in tags):
        add("tags", _("A tag has at most %(n)d characters.", n=MAX_TAG))

    if data.industry and not reference.is_industry(data.industry):
        add("industry", _("Unknown industry code."))
    if data.region and not reference.is_region(data.region):
        add("region", _("Unknown region code."))

    if not isinstance(data.chains, (list, tuple)) or not all(isinstance(c, str) for c in data.chains):
        add("chains", _("Chains must be a list of chain names."))
        data.chains = []
    unknown = [c for c in data.chains if c not in CHAINS]
    if unknown:
        add("chains", _("Unknown chain: %(names)s.", names=", ".join(unknown)))
    elif not data.chains and "kind" not in errors and "category" not in errors:
        data.chains = list(propose(side, data.kind, data.category))
    data.chains = [c for c in CHAINS if c in data.chains]
    if not data.chains and not {"chains", "kind", "category"} & set(errors):
        add("chains", _("Choose at least one chain."))

    if data.anonymous and side != "lead":
        add("anonymous", _("Only lead enterprises may post anonymously."))
    if data.wants_specialized and side != "lead":
        data.wants_specialized = False

    now = today_ or today()
    if data.deadline is not None:
        if future_deadline and data.deadline < now:
            add("deadline", _("The deadline cannot be in the past."))
        if data.valid_from is not None and data.deadline < data.valid_from:
            add("deadline", _("The deadline comes before the start of validity."))

    _check_details(data, errors)
    return errors


def _check_details(data: PostingInput, errors: dict[str, list[str]]) -> None:
    spec = DETAIL_FIELDS.get(data.kind, {})
    if not isinstance(data.details, dict):
        errors.setdefault("details", []).append(_("Details must be an object."))
        data.details = {}
        return
    clean: dict[str, Any] = {}
    for name, value in data.details.items():
        if name not in spec:
            errors.setdefault("details", []).append(_("Unknown detail: %(name)s.", name=name))
            continue
        kind, limit = spec[name]
        if value is None or value == "":
            continue
        if kind == "text":
            if not isinstance(value, str):
                errors.setdefault(name, []).append(_("Must be text."))
                continue
            value = value.strip()
            if limit and len(value) > limit:
                errors.setdefault(name, []).append(_("At most %(n)d characters.", n=limit))
                continue
        elif kind == "list":
            if isinstance(value, str):
                value = value.splitlines() if name == "indicators" else split_tags(value)
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                errors.setdefault(name, []).append(_("Must be a list of texts."))
                continue
            value = [v.strip() for v in value if v.strip()]
            if limit and sum(len(v) for v in value) > limit:
                errors.setdefault(name, []).append(_("At most %(n)d characters.", n=limit))
                continue
            if len(value) > MAX_LIST_ITEMS:
                errors.setdefault(name, []).append(_("At most %(n)d items.", n=MAX_LIST_ITEMS))
                continue
            if not value:
                continue
        elif kind == "region":
            if not reference.is_region(value):
                errors.setdefault(name, []).append(_("Unknown region code."))
                continue
        elif kind == "amount":
            try:
                value = _number(value)
            except ValueError:
                errors.setdefault(name, []).append(_("Must be a number."))
                continue
            if value is None:
                continue
            if value < 0 or value > MAX_BUDGET:
                errors.setdefault(name, []).append(_("Must be between 0 and %(n)d.", n=MAX_BUDGET))
                continue
        if value != "":
            clean[name] = value
    low, high = clean.get("budget_min"), clean.get("budget_max")
    if low is not None and high is not None and low > high:
        errors.setdefault("budget_max", []).append(_("The maximum is below the minimum."))
    data.details = clean


@lru_cache(maxsize=None)
def propose(side: str, kind: str, category: str) -> tuple[str, ...]:
    """The chains proposed for a new posting (the matcher's table of pairings)."""
    from ..matching import propose_chains

    return tuple(propose_chains(side, kind, category))


# --- who sees what ----------------------------------------------------------------------------

def matched_lead_ids(enterprise_id: int | None) -> set[int]:
    """Lead enterprises that have a match with this (SME) enterprise: their anonymous postings
    show their name to it."""
    if not enterprise_id:
        return set()
    rows = db.session.scalars(select(Match.lead_enterprise_id).where(Match.sme_enterprise_id == enterprise_id))
    return set(rows)


class OwnerView:
    """Decides, for one viewer, whether a posting shows its owner. Built once per request."""

    def __init__(self, viewer: User | None):
        self.viewer = viewer
        authenticated = viewer is not None and viewer.is_authenticated
        self.is_operator = bool(authenticated and viewer.is_operator)
        self.enterprise_id = viewer.enterprise_id if authenticated else None
        self._matched: set[int] | None = None

    def shows_owner(self, posting: Posting) -> bool:
        if not posting.anonymous or self.is_operator or posting.enterprise_id == self.enterprise_id:
            return True
        if self._matched is None:
            self._matched = matched_lead_ids(self.enterprise_id)
        return posting.enterprise_id in self._matched

    __call__ = shows_owner


def is_owner(posting: Posting, user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.enterprise_id
                and user.enterprise_id == posting.enterprise_id)


def _is_party(posting: Posting, enterprise_id: int | None) -> bool:
    """The viewer's enterprise is the other side of a suggestion or match on this posting."""
    if not enterprise_id:
        return False
    query = select(Suggestion.id).where(
        or_(Suggestion.lead_posting_id == posting.id, Suggestion.sme_posting_id == posting.id),
        or_(Suggestion.lead_enterprise_id == enterprise_id, Suggestion.sme_enterprise_id == enterprise_id),
    ).limit(1)
    return db.session.scalar(query) is not None


def is_visible(posting: Posting) -> bool:
    query = select(Posting.id).join(Enterprise, Posting.enterprise_id == Enterprise.id).where(
        Posting.id == posting.id, visible_condition(today()))
    return db.session.scalar(query) is not None


def get_posting(posting_id: int) -> Posting:
    posting = db.session.get(Posting, posting_id)
    if posting is None:
        raise NotFound()
    return posting


def get_for_viewing(posting_id: int, viewer: User | None) -> Posting:
    """The posting if this viewer may read it: owners and operators always (operators not drafts),
    parties to a suggestion on it, and everyone while it is published and valid."""
    posting = get_posting(posting_id)
    if is_owner(posting, viewer):
        return posting
    authenticated = viewer is not None and viewer.is_authenticated
    if authenticated and viewer.is_operator and posting.status != "draft":
        return posting
    if is_visible(posting):
        return posting
    if authenticated and _is_party(posting, viewer.enterprise_id):
        return posting
    raise NotFound()


def get_for_change(posting_id: int, user: User) -> Posting:
    """The posting if this user may change it: 404 when they may not even see it, 403 otherwise."""
    posting = get_posting(posting_id)
    if is_owner(posting, user):
        return posting
    get_for_viewing(posting_id, user)  # raises NotFound when it is not theirs to see
    raise Forbidden()


# --- creating and editing ---------------------------------------------------------------------

def _apply(posting: Posting, data: PostingInput) -> bool:
    """Copy the input onto the posting; True when its text changed (tokens were recomputed)."""
    text_changed = (posting.title, posting.description, list(posting.tags or [])) != (data.title, data.description, data.tags)
    posting.kind, posting.category = data.kind, data.category
    posting.title, posting.description, posting.tags = data.title, data.description, list(data.tags)
    posting.industry, posting.region = data.industry, data.region
    posting.chains, posting.details = list(data.chains), dict(data.details)
    posting.anonymous, posting.wants_specialized = bool(data.anonymous), bool(data.wants_specialized)
    if data.valid_from is not None:
        posting.valid_from = data.valid_from
    if posting.deadline != data.deadline:
        posting.expiry_warned_at = None
    posting.deadline = data.deadline
    posting.search_text = build_search_text(data.title, data.description, data.tags, data.details)
    if text_changed or not posting.tokens:
        posting.tokens = compute_tokens(data.title, data.description, data.tags)
    return text_changed


def create_posting(enterprise: Enterprise, data: PostingInput, *, actor: User, publish: bool = False,
                   ip: str | None = None) -> Posting:
    """A new posting of the enterprise, saved as a draft or published (or sent to review)."""
    data.industry = data.industry or enterprise.industry
    data.region = data.region or enterprise.region
    errors = check_posting(data, enterprise.role)
    if errors:
        raise ValidationFailed(errors)
    posting = Posting(enterprise=enterprise, created_by=actor, status="draft", tags=[], chains=[], details={},
                      valid_from=data.valid_from or today())
    _apply(posting, data)
    db.session.add(posting)
    db.session.flush()
    audit.record("posting.create", actor=actor, target=posting, ip=ip, kind=data.kind, category=data.category)
    if publish:
        return _publish(posting, actor=actor, ip=ip)
    db.session.commit()
    return posting


def update_posting(posting: Posting, data: PostingInput, *, actor: User, version: int | None = None,
                   ip: str | None = None) -> Posting:
    """Save an edit. The kind, category and status stay; a published posting stays published."""
    if version is not None and version != posting.version:
        raise Conflict(_("Someone else changed this posting meanwhile. Reload it and make your change again."))
    if posting.status not in EDITABLE:
        raise Conflict(_("This posting can no longer be edited."))
    data.kind, data.category = posting.kind, posting.category
    data.industry = data.industry or posting.industry
    data.region = data.region or posting.region
    if data.valid_from is None:
        data.valid_from = posting.valid_from
    # A deadline that has passed may stay as it is on a closed or expired posting.
    keep_old = data.deadline is not None and data.deadline == posting.deadline and posting.status in ("closed", "expired")
    errors = check_posting(data, posting.enterprise.role, future_deadline=not keep_old)
    if errors:
        raise ValidationFailed(errors)
    _apply(posting, data)
    posting.version += 1
    audit.record("posting.update", actor=actor, target=posting, ip=ip)
    db.session.commit()
    if posting.status == "published":
        _send(signals.posting_changed, posting)
    return posting


# --- the lifecycle ----------------------------------------------------------------------------

def needs_review(enterprise: Enterprise) -> bool:
    if get_setting("review_postings"):
        return True
    return enterprise.status != "verified" and bool(get_setting("review_enterprises"))


def _send(signal, posting: Posting) -> None:
    signal.send(current_app._get_current_object(), posting=posting)


def _publish(posting: Posting, *, actor: User | None, ip: str | None) -> Posting:
    if posting.deadline is not None and posting.deadline < today():
        raise ValidationFailed({"deadline": [_("The deadline has passed. Set a new deadline first.")]})
    posting.status_reason = None
    if needs_review(posting.enterprise):
        posting.status = "pending"
        audit.record("posting.submit", actor=actor, target=posting, ip=ip)
        db.session.commit()
        return posting
    posting.status = "published"
    posting.published_at = utcnow()
    posting.closed_at = None
    audit.record("posting.publish", actor=actor, target=posting, ip=ip)
    db.session.commit()
    _send(signals.posting_changed, posting)
    return posting


def publish_posting(posting: Posting, *, actor: User, ip: str | None = None) -> Posting:
    """Publish a draft (or a rejected or unpublished posting after an edit). It goes to review
    ("pending") when the platform reviews postings, or reviews unverified enterprises and this one
    is not verified yet."""
    if posting.status not in PUBLISHABLE:
        raise Conflict(_("Only a draft, rejected or unpublished posting can be published."))
    return _publish(posting, actor=actor, ip=ip)


def close_posting(posting: Posting, *, actor: User, ip: str | None = None) -> Posting:
    if posting.status not in ("published", "pending"):
        raise Conflict(_("Only a published posting can be closed."))
    was_published = posting.status == "published"
    posting.status = "closed"
    posting.closed_at = utcnow()
    audit.record("posting.close", actor=actor, target=posting, ip=ip)
    db.session.commit()
    if was_published:
        _send(signals.posting_withdrawn, posting)
    return posting


def reopen_posting(posting: Posting, *, actor: User, ip: str | None = None) -> Posting:
    """Publish a closed or expired posting again (after a new deadline, if it has passed)."""
    if posting.status not in ("closed", "expired"):
        raise Conflict(_("Only a closed or expired posting can be re-opened."))
    if posting.deadline is not None and posting.deadline < today():
        raise ValidationFailed({"deadline": [_("The deadline has passed. Edit the posting and set a new deadline first.")]})
    audit.record("posting.reopen", actor=actor, target=posting, ip=ip)
    return _publish(posting, actor=actor, ip=ip)


def has_match(posting: Posting) -> bool:
    query = select(Match.id).where(or_(Match.lead_posting_id == posting.id, Match.sme_posting_id == posting.id)).limit(1)
    return db.session.scalar(query) is not None


def delete_posting(posting: Posting, *, actor: User, ip: str | None = None) -> bool:
    """Delete the posting; one that led to a match is closed instead (the match keeps its history).
    Returns True when it was deleted, False when it was closed."""
    if has_match(posting):
        if posting.status in ("published", "pending"):
            close_posting(posting, actor=actor, ip=ip)
        return False
    _send(signals.posting_withdrawn, posting)
    db.session.execute(delete(Suggestion).where(
        or_(Suggestion.lead_posting_id == posting.id, Suggestion.sme_posting_id == posting.id)))
    audit.record("posting.delete", actor=actor, target=posting, ip=ip, ref=posting.ref, title=posting.title)
    db.session.delete(posting)
    db.session.commit()
    return True


# --- review and moderation (called by the operator console) ----------------------------------

def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": [_("Please give a reason.")]})
    if len(reason) > MAX_REASON:
        raise ValidationFailed({"reason": [_("At most %(n)d characters.", n=MAX_REASON)]})
    return reason


def _notify(posting: Posting, kind: str, params: dict) -> None:
    """Tell the owner's users (the engagement feature stores the notification in this transaction)."""
    try:
        from ..notifications.services import notify_enterprise
    except ModuleNotFoundError as exc:  # the engagement feature is not installed
        if exc.name and not exc.name.startswith("matchmaker.notifications"):
            raise
        current_app.logger.warning("notifications are not installed: %s for posting %s not sent", kind, posting.id)
        return
    notify_enterprise(posting.enterprise_id, kind, params, f"/postings/{posting.id}")


def approve_posting(posting: Posting, actor: User, ip: str | None = None) -> Posting:
    if posting.status != "pending":
        raise Conflict(_("Only a posting awaiting review can be approved."))
    posting.status = "published"
    posting.status_reason = None
    posting.published_at = utcnow()
    posting.closed_at = None
    audit.record("posting.approve", actor=actor, target=posting, ip=ip)
    _notify(posting, "posting_reviewed", {"posting_title": posting.title, "outcome": "approved", "reason": ""})
    db.session.commit()
    _send(signals.posting_changed, posting)
    return posting


def reject_posting(posting: Posting, actor: User, reason: str, ip: str | None = None) -> Posting:
    reason = _reason(reason)
    if posting.status != "pending":
        raise Conflict(_("Only a posting awaiting review can be rejected."))
    posting.status = "rejected"
    posting.status_reason = reason
    audit.record("posting.reject", actor=actor, target=posting, ip=ip, reason=reason)
    _notify(posting, "posting_reviewed", {"posting_title": posting.title, "outcome": "rejected", "reason": reason})
    db.session.commit()
    return posting


def unpublish_posting(posting: Posting, actor: User, reason: str, ip: str | None = None) -> Posting:
    reason = _reason(reason)
    if posting.status != "published":
        raise Conflict(_("Only a published posting can be unpublished."))
    posting.status = "unpublished"
    posting.status_reason = reason
    posting.closed_at = utcnow()
    audit.record("posting.unpublish", actor=actor, target=posting, ip=ip, reason=reason)
    _notify(posting, "posting_reviewed", {"posting_title": posting.title, "outcome": "unpublished", "reason": reason})
    db.session.commit()
    _send(signals.posting_withdrawn, posting)
    return posting


# --- expiry -----------------------------------------------------------------------------------

def expire_postings(today_: date | None = None) -> int:
    """Mark published postings whose deadline has passed as expired; tell their owners."""
    day = today_ or today()
    postings = list(db.session.scalars(select(Posting).where(
        Posting.status == "published", Posting.deadline.is_not(None), Posting.deadline < day).order_by(Posting.id)))
    now = utcnow()
    for posting in postings:
        posting.status = "expired"
        posting.closed_at = now
        audit.record("posting.expire", target=posting, deadline=posting.deadline.isoformat())
        _notify(posting, "posting_expired", {"posting_title": posting.title, "deadline": posting.deadline.isoformat()})
    db.session.commit()
    for posting in postings:
        _send(signals.posting_withdrawn, posting)
    return len(postings)


def warn_expiring(today_: date | None = None, days: int = 7) -> int:
    """Tell owners, once per deadline, that a published posting ends within `days` days."""
    day = today_ or today()
    postings = list(db.session.scalars(select(Posting).where(
        Posting.status == "published", Posting.expiry_warned_at.is_(None),
        Posting.deadline >= day, Posting.deadline <= day + timedelta(days=days)).order_by(Posting.id)))
    now = utcnow()
    for posting in postings:
        posting.expiry_warned_at = now
        _notify(posting, "posting_expiring", {"posting_title": posting.title, "deadline": posting.deadline.isoformat()})
    db.session.commit()
    return len(postings)


# --- the enterprise's status ------------------------------------------------------------------

def on_enterprise_status_changed(sender, enterprise: Enterprise, **_kw) -> None:
    """Verified: publish its postings waiting for that (unless every posting is reviewed).
    Suspended or rejected: withdraw its published postings (they wait in review until it is
    verified again)."""
    if enterprise.status == "verified":
        if get_setting("review_postings"):
            return
        postings = list(db.session.scalars(select(Posting).where(
            Posting.enterprise_id == enterprise.id, Posting.status == "pending").order_by(Posting.id)))
        now, day = utcnow(), today()
        published = []
        for posting in postings:
            if posting.deadline is not None and posting.deadline < day:
                continue
            posting.status, posting.status_reason = "published", None
            posting.published_at, posting.closed_at = now, None
            published.append(posting)
        if published:
            audit.record("posting.publish_on_verification", target=enterprise, count=len(published))
        db.session.commit()
        for posting in published:
            _send(signals.posting_changed, posting)
    elif enterprise.status in ("suspended", "rejected"):
        postings = list(db.session.scalars(select(Posting).where(
            Posting.enterprise_id == enterprise.id, Posting.status == "published").order_by(Posting.id)))
        for posting in postings:
            posting.status = "pending"
            posting.status_reason = _("The enterprise is suspended: its postings wait until it is verified again.")
        if postings:
            audit.record("posting.withdraw_on_suspension", target=enterprise, count=len(postings))
        db.session.commit()
        for posting in postings:
            _send(signals.posting_withdrawn, posting)


signals.enterprise_status_changed.connect(on_enterprise_status_changed, weak=False)


# --- lists for pages --------------------------------------------------------------------------

def own_postings(enterprise_id: int, status: str | None = None, page: int = 1, per_page: int = 20):
    query = select(Posting).where(Posting.enterprise_id == enterprise_id)
    if status:
        query = query.where(Posting.status == status)
    query = query.order_by(Posting.updated_at.desc(), Posting.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def count_by_status(enterprise_id: int) -> dict[str, int]:
    rows = db.session.execute(select(Posting.status, func.count()).where(
        Posting.enterprise_id == enterprise_id).group_by(Posting.status))
    return {status: n for status, n in rows}


def enterprise_listing(enterprise: Enterprise, viewer: User | None, limit: int = 50) -> list[Posting]:
    """The enterprise's published postings as this viewer may see them (anonymous ones only to
    the owner, operators and matched partners: listing them here would name their owner)."""
    query = (select(Posting).join(Enterprise, Posting.enterprise_id == Enterprise.id)
             .where(Posting.enterprise_id == enterprise.id, visible_condition(today()))
             .order_by(Posting.published_at.desc(), Posting.id.desc()).limit(limit))
    owners = OwnerView(viewer)
    return [p for p in db.session.scalars(query) if owners.shows_owner(p)]


def expiring_soon(enterprise_id: int, days: int = 7) -> list[Posting]:
    day = today()
    return list(db.session.scalars(select(Posting).where(
        Posting.enterprise_id == enterprise_id, Posting.status == "published",
        Posting.deadline >= day, Posting.deadline <= day + timedelta(days=days)).order_by(Posting.deadline)))
