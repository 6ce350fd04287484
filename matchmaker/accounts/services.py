"""Accounts created by the platform rather than by registration: operators and demo users."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit
from ..auth.services import normalize_email
from ..errors import ValidationFailed
from ..extensions import db
from ..models import Enterprise, User
from ..security import hash_password


def ensure_operator(email: str, display_name: str, password: str) -> tuple[User, bool]:
    email = normalize_email(email)
    if "@" not in email:
        raise ValidationFailed({"email": [_("Invalid e-mail address.")]})
    user = db.session.scalar(select(User).where(User.email == email))
    if user is not None and not user.is_operator:
        raise ValidationFailed({"email": [_("This e-mail address belongs to an enterprise user.")]})
    created = user is None
    if created:
        user = User(email=email, is_operator=True, display_name=display_name, password_hash="")
        db.session.add(user)
    user.display_name = display_name
    user.password_hash = hash_password(password)
    user.rotate_session_token()
    db.session.flush()
    audit.record("operator.create" if created else "operator.password_reset", actor=user, target=user)
    db.session.commit()
    return user, created


def ensure_enterprise_user(enterprise: Enterprise, email: str, display_name: str, password: str) -> User:
    """The login of an enterprise, created if missing; an existing one keeps its password."""
    email = normalize_email(email)
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, display_name=display_name, password_hash=hash_password(password),
                    enterprise=enterprise)
        db.session.add(user)
    elif user.enterprise_id != enterprise.id:
        raise ValidationFailed({"email": [_("This e-mail address belongs to another enterprise.")]})
    return user
