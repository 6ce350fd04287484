"""Operator decisions: review settings, the review queues, approving and rejecting enterprises and
postings, and starting a full rematch. Postings are decided through the postings feature's own
service functions and a rematch through the matcher bridge (`matchmaker.engine`), so that their
rules, audit entries and signals stay in one place."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import settings
from ..enterprises import services as enterprise_services
from ..errors import DomainError, NotFound, ValidationFailed
from ..extensions import db
from ..models import Enterprise, MatchRun, Posting, User

REVIEW_SETTINGS = ("review_enterprises", "review_postings")


class FeatureMissing(DomainError):
    """Another feature this action relies on is not installed (yet)."""

    status_code = 503


def _feature(*paths: str) -> ModuleType:
    """The first of the named modules that exists (a feature's services may live in its package
    or in its `services` module)."""
    for path in paths:
        try:
            return import_module(path)
        except ModuleNotFoundError as exc:
            if exc.name is None or not path.startswith(exc.name):
                raise  # a module that exists but fails to import is a real error
    raise FeatureMissing(_("This part of the platform is not installed."))


def _function(name: str, *paths: str):
    for path in paths:
        try:
            module = _feature(path)
        except FeatureMissing:
            continue
        if hasattr(module, name):
            return getattr(module, name)
    raise FeatureMissing(_("This part of the platform is not installed."))


def posting_action(name: str):
    return _function(name, "matchmaker.postings.services", "matchmaker.postings")


def engine_action(name: str):
    return _function(name, "matchmaker.engine.services", "matchmaker.engine")


# --- settings ---------------------------------------------------------------------------------

def review_settings() -> dict[str, bool]:
    return {key: bool(settings.get_setting(key)) for key in REVIEW_SETTINGS}


def update_review_settings(values: dict[str, bool], *, actor: User, ip: str | None = None) -> list[str]:
    """Store the settings that changed (each change is audited); returns their keys."""
    changed = []
    current = review_settings()
    for key in REVIEW_SETTINGS:
        if key in values and bool(values[key]) != current[key]:
            settings.set_setting(key, bool(values[key]), actor=actor, ip=ip)
            changed.append(key)
    return changed


# --- review queues ----------------------------------------------------------------------------

def pending_enterprises(limit: int | None = None) -> list[Enterprise]:
    query = select(Enterprise).where(Enterprise.status == "pending").order_by(Enterprise.created_at, Enterprise.id)
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def pending_postings(limit: int | None = None) -> list[Posting]:
    query = select(Posting).where(Posting.status == "pending").order_by(Posting.updated_at, Posting.id)
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def queue_counts() -> dict[str, int]:
    return {
        "enterprises": db.session.scalar(select(func.count()).where(Enterprise.status == "pending")) or 0,
        "postings": db.session.scalar(select(func.count()).where(Posting.status == "pending")) or 0,
    }


def get_posting(posting_id: int) -> Posting:
    posting = db.session.get(Posting, posting_id)
    if posting is None:
        raise NotFound()
    return posting


def _reason(reason: str | None, required: bool) -> str | None:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationFailed({"reason": [_("Please give a reason.")]})
    return reason or None


def decide_enterprise(enterprise: Enterprise, decision: str, *, actor: User, reason: str | None = None,
                      ip: str | None = None) -> Enterprise:
    """Approve (verify) or reject a pending enterprise; a rejection needs a reason it will see."""
    if decision not in ("approve", "reject"):
        raise ValidationFailed({"decision": [_("Unknown decision.")]})
    reason = _reason(reason, decision == "reject")
    status = "verified" if decision == "approve" else "rejected"
    return enterprise_services.set_status(enterprise, status, actor=actor, reason=reason, ip=ip)


def decide_posting(posting: Posting, decision: str, *, actor: User, reason: str | None = None,
                   ip: str | None = None) -> Posting:
    """Approve or reject a pending posting, or unpublish a published one (with a reason)."""
    if decision == "approve":
        if posting.status != "pending":
            raise ValidationFailed({"decision": [_("Only a posting awaiting review can be approved.")]})
        posting_action("approve_posting")(posting, actor, ip=ip)
    elif decision == "reject":
        if posting.status != "pending":
            raise ValidationFailed({"decision": [_("Only a posting awaiting review can be rejected.")]})
        posting_action("reject_posting")(posting, actor, _reason(reason, True), ip=ip)
    elif decision == "unpublish":
        if posting.status != "published":
            raise ValidationFailed({"decision": [_("Only a published posting can be unpublished.")]})
        posting_action("unpublish_posting")(posting, actor, _reason(reason, True), ip=ip)
    else:
        raise ValidationFailed({"decision": [_("Unknown decision.")]})
    return posting


# --- rematch ----------------------------------------------------------------------------------

def start_rematch(app, actor: User) -> MatchRun:
    """Start a full rematch in the background (unless one is running) and return its run."""
    running = db.session.scalar(
        select(MatchRun).where(MatchRun.status == "running").order_by(MatchRun.id.desc()).limit(1))
    if running is not None:
        return running
    return engine_action("start_background_rematch")(app, actor)


def get_run(run_id: int) -> MatchRun:
    run = db.session.get(MatchRun, run_id, populate_existing=True)  # another thread writes it
    if run is None:
        raise NotFound()
    return run


def latest_run() -> MatchRun | None:
    return db.session.scalar(select(MatchRun).order_by(MatchRun.id.desc()).limit(1))


def run_status(run: MatchRun) -> dict:
    percent = 0
    if run.status == "done":
        percent = 100
    elif run.total:
        percent = max(0, min(100, int(run.done * 100 / run.total)))
    return {
        "id": run.id, "status": run.status, "phase": run.phase or "", "done": run.done, "total": run.total,
        "percent": percent, "stats": run.stats or {}, "error": run.error,
        "started_at": run.started_at.isoformat() if run.started_at else None,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
    }
