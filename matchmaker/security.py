"""Passwords, safe redirects, security headers and the session loader: the rules every feature
relies on, kept in one place."""

from __future__ import annotations

from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, Response, session
from sqlalchemy import select

from .extensions import db, login_manager

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so that timing does not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def is_safe_next(target: str | None) -> bool:
    """Only paths on this site: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if any(ord(c) < 32 for c in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def set_security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    return response


def register_security(app: Flask) -> None:
    from .models import User

    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(token: str) -> User | None:
        # The id in the cookie is the user's current session token; a rotated token finds nobody.
        user = db.session.scalar(select(User).where(User.session_token == token))
        if user is None or not user.is_active:
            return None
        return user

    @login_manager.unauthorized_handler
    def unauthorized():
        from flask import flash, redirect, request, url_for
        from flask_babel import gettext as _

        from .errors import render_error, wants_json

        if wants_json() or request.method != "GET":
            return render_error(401 if wants_json() else 403, _("Please log in first."))
        flash(_("Please log in to see this page."), "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    @app.before_request
    def make_session_permanent():
        if not session.permanent:  # setting it marks the session changed: only once
            session.permanent = True

    app.after_request(set_security_headers)
