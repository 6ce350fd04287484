"""Accounts: registration, login with per-account throttling, logout and password change.

Logging out and changing the password rotate the user's session token, which is what the session
and remember-me cookies carry: a cookie saved before either no longer logs anybody in."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..enterprises.services import EnterpriseInput, build_enterprise
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..models import User
from ..models.base import utcnow
from ..security import hash_password, verify_password


class LoginRefused(DomainError):
    status_code = 401


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def check_password_strength(password: str, *, min_length: int, max_length: int) -> list[str]:
    problems = []
    if len(password) < min_length:
        problems.append(_("The password needs at least %(n)d characters.", n=min_length))
    if len(password) > max_length:
        problems.append(_("The password may have at most %(n)d characters.", n=max_length))
    if password and len(set(password)) < 4:
        problems.append(_("The password repeats too few different characters."))
    return problems


def email_taken(email: str) -> bool:
    return db.session.scalar(select(User.id).where(User.email == normalize_email(email))) is not None


def register(enterprise_data: EnterpriseInput, *, email: str, password: str, display_name: str,
             locale: str | None = None, ip: str | None = None) -> User:
    """Create a pending enterprise and its first user in one transaction."""
    errors: dict[str, list[str]] = {}
    if email_taken(email):
        errors["email"] = [_("An account with this e-mail address already exists.")]
    try:
        enterprise = build_enterprise(enterprise_data)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    user = User(email=normalize_email(email), password_hash=hash_password(password),
                display_name=display_name.strip(), enterprise=enterprise, locale=locale)
    db.session.add_all([enterprise, user])
    db.session.flush()
    audit.record("enterprise.register", actor=user, target=enterprise, ip=ip, role=enterprise.role)
    try:
        db.session.commit()
    except IntegrityError:
        # Lost a race with a concurrent registration of the same e-mail or code.
        db.session.rollback()
        raise ValidationFailed({"email": [_("An account with this e-mail address or enterprise code already exists.")]})
    return user


def authenticate(email: str, password: str, *, max_failures: int, lock_seconds: int,
                 ip: str | None = None) -> User:
    """The user, or LoginRefused with a message a person understands. Audits both outcomes."""
    email = normalize_email(email)
    user = db.session.scalar(select(User).where(User.email == email))
    now = utcnow()
    if user is not None and user.locked_until is not None and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        audit.record("login.locked", actor=user, ip=ip)
        db.session.commit()
        raise LoginRefused(_("Too many failed attempts for this account. Please try again in %(n)d minutes.", n=minutes))
    if user is None or not verify_password(user.password_hash, password):
        if user is not None:
            # Counted in the database, so that parallel guesses are all counted.
            db.session.execute(update(User).where(User.id == user.id).values(failed_logins=User.failed_logins + 1))
            db.session.refresh(user)
            if user.failed_logins >= max_failures:
                user.locked_until = now + timedelta(seconds=lock_seconds)
                user.failed_logins = 0
        audit.record("login.failed", actor=user, ip=ip, email=email)
        db.session.commit()
        raise LoginRefused(_("The e-mail address or the password is not correct."))
    if not user.is_active:
        audit.record("login.refused", actor=user, ip=ip, reason="suspended")
        db.session.commit()
        reason = user.enterprise.status_reason if user.enterprise else None
        message = _("Your enterprise's account is suspended.")
        if reason:
            message += " " + _("Reason: %(reason)s", reason=reason)
        raise LoginRefused(message)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    audit.record("login", actor=user, ip=ip)
    db.session.commit()
    return user


def end_sessions(user: User, *, action: str, ip: str | None = None) -> None:
    """Invalidate every cookie issued to this user so far (logout, password change)."""
    user.rotate_session_token()
    audit.record(action, actor=user, ip=ip)
    db.session.commit()


def change_password(user: User, current: str, new: str, *, ip: str | None = None) -> None:
    if not verify_password(user.password_hash, current):
        raise ValidationFailed({"current_password": [_("The current password is not correct.")]})
    user.password_hash = hash_password(new)
    end_sessions(user, action="password.change", ip=ip)


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.commit()
