"""Matches: the list of an enterprise's matches and the match page (both parties with contacts, the
posting pair, the stage history and form, the message thread). Operators read only."""

from __future__ import annotations


from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import ValidationFailed, wants_json
from ..extensions import db
from ..vocabulary import MATCH_STAGES
from ..access import party_or_operator
from . import services
from .forms import MessageForm, StageForm

bp = Blueprint("matches", __name__, url_prefix="/matches")


@bp.app_template_global("match_summary")
def match_summary(enterprise) -> dict:
    return services.summary(enterprise.id)


@bp.get("")
@party_or_operator
def index():
    user = current_user._get_current_object()
    stage = request.args.get("stage", "")
    page = db.paginate(services.list_query(user, stage=stage), per_page=current_app.config.get("ITEMS_PER_PAGE", 20),
                       error_out=False)
    return render_template("matches/index.html", page=page, stage=stage if stage in MATCH_STAGES else "")


def _render_show(match, stage_form=None, message_form=None, status: int = 200):
    user = current_user._get_current_object()
    side = match.side_of(user.enterprise_id) if user.enterprise_id else None
    if stage_form is None:
        stage_form = StageForm(current=match.stage)
        stage_form.occurred_on.data = services.today()
    return render_template(
        "matches/show.html", match=match, side=side, events=match.events, messages=services.messages(match),
        stage_form=stage_form, message_form=message_form or MessageForm(), message_max=services.MESSAGE_MAX,
    ), status


@bp.get("/<int:match_id>")
@party_or_operator
def show(match_id: int):
    match = services.get_for_viewer(match_id, current_user._get_current_object())
    return _render_show(match)


def _party(match_id: int):
    """The match and the acting side for a form post: 404 for strangers, 403 for operators."""
    user = current_user._get_current_object()
    match = services.get_for_viewer(match_id, user)
    services.acting_side(match, user)
    return match, user


@bp.post("/<int:match_id>/stage")
@login_required
def move_stage(match_id: int):
    match, user = _party(match_id)
    form = StageForm(current=match.stage)
    if form.validate_on_submit():
        try:
            services.move_stage(match.id, user, form.stage.data, form.occurred_on.data, form.note.data,
                                ip=request.remote_addr)
        except ValidationFailed as exc:
            for field, messages in exc.errors.items():
                getattr(form, field, form.stage).errors = list(messages)
        else:
            if wants_json():
                return jsonify(id=match.id, stage=match.stage)
            flash(_("The match is now: %(stage)s.", stage=MATCH_STAGES[match.stage]), "success")
            return redirect(url_for(".show", match_id=match.id) + "#history", 303)
    if wants_json():
        return jsonify(error={"status": 400, "fields": form.errors}), 400
    return _render_show(match, stage_form=form, status=400)


@bp.post("/<int:match_id>/messages")
@login_required
def post_message(match_id: int):
    match, user = _party(match_id)
    form = MessageForm()
    status = 400
    if form.validate_on_submit():
        try:
            message = services.post_message(match.id, user, form.body.data)
        except services.RateLimited as exc:
            form.body.errors = [exc.message]
            status = 429
        except ValidationFailed as exc:
            form.body.errors = exc.errors.get("body", [exc.message])
        else:
            if wants_json():
                return jsonify(id=message.id, match=match.id)
            return redirect(url_for(".show", match_id=match.id) + f"#message-{message.id}", 303)
    if wants_json():
        return jsonify(error={"status": status, "fields": form.errors}), status
    return _render_show(match, message_form=form, status=status)
