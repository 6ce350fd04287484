"""The notification centre: the list, opening one (marks it read) and marking all read."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required

from .. import signals
from ..extensions import db
from . import services

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_template_global("unread_notifications")
def unread_notifications() -> int:
    if not current_user or not current_user.is_authenticated:
        return 0
    return services.unread_count(current_user)


@bp.app_template_global("describe_notification")
def describe_notification(notification) -> str:
    return services.describe(notification.kind, notification.params or {})


@bp.get("")
@login_required
def index():
    unread_only = request.args.get("unread") == "1"
    page = db.paginate(services.list_for(current_user, unread_only=unread_only),
                       per_page=current_app.config.get("ITEMS_PER_PAGE", 20), error_out=False)
    return render_template("notifications/index.html", page=page, unread_only=unread_only,
                           unread=services.unread_count(current_user))


@bp.get("/<int:notification_id>")
@login_required
def open_(notification_id: int):
    link = services.open_notification(notification_id, current_user)
    return redirect(link or url_for(".index"))


@bp.post("/read")
@login_required
def read_all():
    n = services.mark_all_read(current_user)
    flash(ngettext("%(num)d notification marked as read.", "%(num)d notifications marked as read.", n), "success")
    return redirect(url_for(".index"))


def _on_suggestions_created(sender, suggestion_ids=None, **_kw) -> None:
    services.notify_new_suggestions(list(suggestion_ids or []))


signals.suggestions_created.connect(_on_suggestions_created)
