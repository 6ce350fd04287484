"""Domain exceptions raised by services, and the HTTP error pages they turn into.

Services never flash or abort: they raise one of these, and a view turns it into a form error, a
flash message or a status page. Every error page rolls the session back first so that nothing
half-done is committed by a later request on the same connection."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .extensions import db


class DomainError(Exception):
    """Base of the domain's exceptions. `message` is already translated for the user."""

    status_code = 400

    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationFailed(DomainError):
    """Input the domain refuses. `errors` maps a field (or "" for the whole) to messages."""

    def __init__(self, errors: dict[str, list[str]] | str, *, field: str | None = None):
        if isinstance(errors, str):
            errors = {field or "": [errors]}
        self.errors = errors
        first = next((m for msgs in errors.values() for m in msgs), "")
        super().__init__(first, field=field)


class NotFound(DomainError):
    status_code = 404


class Forbidden(DomainError):
    status_code = 403


class Conflict(DomainError):
    status_code = 409


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.path.startswith("/api/") or (
        best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


ERROR_TITLES = {
    400: lambda: _("Bad request"),
    403: lambda: _("Access denied"),
    404: lambda: _("Page not found"),
    405: lambda: _("Method not allowed"),
    409: lambda: _("Conflict"),
    413: lambda: _("Request too large"),
    429: lambda: _("Too many requests"),
    500: lambda: _("Something went wrong"),
}
ERROR_TEXTS = {
    400: lambda: _("The request could not be understood. Please check what you entered and try again."),
    403: lambda: _("You do not have permission to see this page."),
    404: lambda: _("The page you asked for does not exist, or is not visible to you."),
    405: lambda: _("This address does not accept that kind of request."),
    409: lambda: _("This change conflicts with the current state. Reload the page and try again."),
    413: lambda: _("What you sent is larger than the platform accepts."),
    429: lambda: _("Too many requests. Please wait a moment and try again."),
    500: lambda: _("An unexpected error occurred. It has been logged; please try again later."),
}


def render_error(status: int, detail: str | None = None):
    db.session.rollback()
    title = ERROR_TITLES.get(status, ERROR_TITLES[500])()
    text = detail or ERROR_TEXTS.get(status, ERROR_TEXTS[500])()
    if wants_json():
        return jsonify(error={"status": status, "title": title, "message": text}), status
    return render_template("errors/error.html", status=status, title=title, text=text), status


def register_errorhandlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(400, _("The form expired or was not sent from this site. Please reload the page and try again."))

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        return render_error(error.status_code, error.message or None)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(500)
