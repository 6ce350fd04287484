"""Who may reach a view: decorators for operators and enterprise users. Object-level checks (is
this posting, suggestion or match yours?) live in each feature's services."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def operator_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_operator:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def enterprise_required(view=None, *, role: str | None = None):
    """A logged-in user of an enterprise (of the given role, if named)."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            enterprise = current_user.enterprise
            if enterprise is None or (role is not None and enterprise.role != role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate


def party_or_operator(view):
    """A user of some enterprise (the object's own check decides if it is a party) or an operator."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not (current_user.is_operator or current_user.enterprise_id):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def current_enterprise_id() -> int | None:
    if current_user and current_user.is_authenticated and current_user.enterprise_id:
        return current_user.enterprise_id
    return None
