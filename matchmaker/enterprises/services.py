"""Creating, checking and changing enterprises. Used by registration, the profile page, the
operator console and bulk import alike, so that one set of rules holds everywhere."""

from __future__ import annotations

from dataclasses import MISSING, asdict, dataclass, fields
from typing import Any

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import audit, reference, signals, uscc
from ..errors import NotFound, ValidationFailed
from ..extensions import db
from ..models import Enterprise, User
from ..models.base import utcnow
from ..vocabulary import ROLES, SIZES, TIERS

MAX_LENGTHS = {
    "name": 120, "description": 2000, "website": 200, "contact_name": 60, "contact_phone": 32,
    "contact_email": 254,
}


@dataclass
class EnterpriseInput:
    """What a person or an import file says about an enterprise, before it is checked."""

    name: str
    uscc: str
    role: str
    industry: str
    region: str
    contact_name: str
    contact_phone: str
    contact_email: str
    tier: str | None = None
    size: str | None = None
    description: str = ""
    website: str | None = None

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> "EnterpriseInput":
        """From a form's or an import line's fields: strings trimmed, missing required ones empty."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            value = data.get(f.name)
            if isinstance(value, str):
                value = value.strip()
            if value is None and f.default is MISSING:
                value = ""
            if value is not None:
                values[f.name] = value
        return cls(**values)


def uscc_error(code: str) -> str:
    """The validator's own message for an error code, in the reader's language."""
    return uscc.message(code, "en" if str(get_locale()).startswith("en") else "zh")


def check_enterprise(data: EnterpriseInput, *, exclude_id: int | None = None,
                     check_unique: bool = True) -> dict[str, list[str]]:
    """All that is wrong with the input, by field. Empty when it may be saved. Bulk import checks
    uniqueness for a whole file at once and passes check_unique=False."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for field in ("name", "uscc", "role", "industry", "region", "contact_name", "contact_phone", "contact_email"):
        if not getattr(data, field):
            add(field, _("This field is required."))
    for field, limit in MAX_LENGTHS.items():
        value = getattr(data, field) or ""
        if len(value) > limit:
            add(field, _("At most %(n)d characters.", n=limit))
    if data.uscc:
        try:
            data.uscc = uscc.validate(data.uscc)
        except uscc.InvalidUSCC as exc:
            add("uscc", uscc_error(exc.code))
    if data.role and data.role not in ROLES:
        add("role", _("Unknown role."))
    if data.tier and data.tier not in TIERS:
        add("tier", _("Unknown SME tier."))
    if data.role == "lead" and data.tier:
        add("tier", _("Lead enterprises have no SME tier."))
    if data.size and data.size not in SIZES:
        add("size", _("Unknown enterprise size."))
    if data.industry and not reference.is_industry(data.industry):
        add("industry", _("Unknown industry code."))
    if data.region and not reference.is_region(data.region):
        add("region", _("Unknown region code."))
    if data.website and not data.website.startswith(("http://", "https://")):
        add("website", _("A website address starts with http:// or https://."))
    if data.contact_email:
        data.contact_email = data.contact_email.lower()
        if "@" not in data.contact_email:
            add("contact_email", _("Invalid e-mail address."))
    if check_unique and data.uscc and "uscc" not in errors:
        query = select(Enterprise.id).where(Enterprise.uscc == data.uscc)
        if exclude_id is not None:
            query = query.where(Enterprise.id != exclude_id)
        if db.session.scalar(query) is not None:
            add("uscc", _("An enterprise with this code is already registered."))
    return errors


def _apply(enterprise: Enterprise, data: EnterpriseInput) -> None:
    for key, value in asdict(data).items():
        if key in ("description",):
            value = value or ""
        elif isinstance(value, str) and not value:
            value = None
        setattr(enterprise, key, value)
    if enterprise.role == "lead":
        enterprise.tier = None


def build_enterprise(data: EnterpriseInput, *, ref: str | None = None, status: str = "pending") -> Enterprise:
    """A checked, unsaved enterprise (the caller adds it to its transaction)."""
    errors = check_enterprise(data)
    if errors:
        raise ValidationFailed(errors)
    enterprise = Enterprise(status=status)
    if ref:
        enterprise.ref = ref
    _apply(enterprise, data)
    if status == "verified":
        enterprise.verified_at = utcnow()
    return enterprise


def update_enterprise(enterprise: Enterprise, data: EnterpriseInput, *, actor: User | None, ip: str | None = None) -> Enterprise:
    data.role = enterprise.role  # the role is fixed at registration
    errors = check_enterprise(data, exclude_id=enterprise.id)
    if errors:
        raise ValidationFailed(errors)
    _apply(enterprise, data)
    audit.record("enterprise.update", actor=actor, target=enterprise, ip=ip)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ValidationFailed({"uscc": [_("An enterprise with this code is already registered.")]})
    return enterprise


def get_enterprise(enterprise_id: int) -> Enterprise:
    enterprise = db.session.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise NotFound()
    return enterprise


def set_status(enterprise: Enterprise, status: str, *, actor: User, reason: str | None = None,
               ip: str | None = None) -> Enterprise:
    """An operator verifies, suspends, rejects or reinstates an enterprise (always audited)."""
    if status in ("suspended", "rejected") and not (reason or "").strip():
        raise ValidationFailed({"reason": [_("Please give a reason.")]})
    previous = enterprise.status
    enterprise.status = status
    enterprise.status_reason = (reason or "").strip() or None
    if status == "verified" and enterprise.verified_at is None:
        enterprise.verified_at = utcnow()
    audit.record(f"enterprise.{status}", actor=actor, target=enterprise, ip=ip,
                 previous=previous, reason=enterprise.status_reason)
    db.session.commit()
    signals.enterprise_status_changed.send(current_app._get_current_object(), enterprise=enterprise)
    return enterprise


def count_by_status() -> dict[str, int]:
    rows = db.session.execute(select(Enterprise.status, func.count()).group_by(Enterprise.status))
    return {status: n for status, n in rows}
