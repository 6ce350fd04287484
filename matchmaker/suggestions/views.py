"""Suggestions for the two parties: the lists ("为您推荐"), one suggestion with its reasons, and the
accept / decline form posts. Operators may read; only the parties act."""

from __future__ import annotations


from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import Conflict, ValidationFailed, wants_json
from ..extensions import db
from ..vocabulary import CHAINS
from ..access import party_or_operator
from . import services
from .forms import AcceptForm, DeclineForm

bp = Blueprint("suggestions", __name__, url_prefix="/suggestions")


def _lang() -> str:
    return "en" if str(get_locale()).startswith("en") else "zh"


@bp.app_template_global("suggestion_summary")
def suggestion_summary(enterprise) -> dict:
    return services.summary(enterprise.id)


@bp.app_template_global("suggestion_counterpart")
def suggestion_counterpart(suggestion):
    side = suggestion.side_of(current_user.enterprise_id) if current_user.is_authenticated else None
    return services.counterpart(suggestion, side)


@bp.app_template_global("suggestion_reasons")
def suggestion_reasons(suggestion) -> list[dict]:
    return services.reasons_in(suggestion, _lang())


@bp.get("")
@party_or_operator
def index():
    user = current_user._get_current_object()
    posting = None
    posting_id = request.args.get("posting", type=int)
    if posting_id is not None:
        posting = services.own_posting(posting_id, user)
    chain = request.args.get("chain", "")
    status = request.args.get("status", "")
    sort = request.args.get("sort", "score")
    if sort not in services.SORTS:
        sort = "score"
    query = services.list_query(user, posting_id=posting_id, chain=chain, status=status, sort=sort)
    page = db.paginate(query, per_page=current_app.config.get("ITEMS_PER_PAGE", 20), error_out=False)
    return render_template("suggestions/index.html", page=page, posting=posting,
                           filters={"chain": chain if chain in CHAINS else "", "status": status, "sort": sort},
                           side=None if user.is_operator else user.enterprise.role)


def _render_show(suggestion, decline_form=None, status: int = 200):
    user = current_user._get_current_object()
    side = suggestion.side_of(user.enterprise_id) if user.enterprise_id else None
    return render_template(
        "suggestions/show.html", s=suggestion, side=side,
        other=services.counterpart(suggestion, side),
        reasons=services.reasons_in(suggestion, _lang()),
        actions=services.allowed_actions(suggestion, side),
        accept_form=AcceptForm(), decline_form=decline_form or DeclineForm(),
        match=services.match_of(suggestion),
    ), status


@bp.get("/<int:suggestion_id>")
@party_or_operator
def show(suggestion_id: int):
    suggestion = services.get_for_viewer(suggestion_id, current_user._get_current_object())
    return _render_show(suggestion)


def _result(outcome: services.Outcome, message: str):
    s = outcome.suggestion
    if wants_json():
        return jsonify(id=s.id, status=s.status, lead_decision=s.lead_decision, sme_decision=s.sme_decision,
                       changed=outcome.changed, match=outcome.match.id if outcome.match else None)
    flash(message, "success")
    if outcome.match is not None:
        return redirect(url_for("matches.show", match_id=outcome.match.id), 303)
    return redirect(url_for(".show", suggestion_id=s.id), 303)


def _conflict(suggestion_id: int, error: Conflict):
    if wants_json():
        return jsonify(error={"status": 409, "message": error.message}), 409
    flash(error.message, "warning")
    return redirect(url_for(".show", suggestion_id=suggestion_id), 303)


@bp.post("/<int:suggestion_id>/accept")
@login_required
def accept(suggestion_id: int):
    form = AcceptForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        outcome = services.accept(suggestion_id, current_user._get_current_object(), ip=request.remote_addr)
    except Conflict as error:
        return _conflict(suggestion_id, error)
    if outcome.match is not None:
        return _result(outcome, _("It's a match! Contact details are now visible to both sides."))
    return _result(outcome, _("Your interest has been sent to the other side."))


@bp.post("/<int:suggestion_id>/decline")
@login_required
def decline(suggestion_id: int):
    user = current_user._get_current_object()
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            outcome = services.decline(suggestion_id, user, form.reason.data, form.note.data, ip=request.remote_addr)
        except Conflict as error:
            return _conflict(suggestion_id, error)
        except ValidationFailed as exc:
            for field, messages in exc.errors.items():
                getattr(form, field, form.reason).errors = list(messages)
        else:
            return _result(outcome, _("You declined the suggestion. The other side sees your reason."))
    # Invalid input: only a party gets to see the form again; the others get what they would anyway.
    suggestion = services.get_for_viewer(suggestion_id, user)
    services.acting_side(suggestion, user)
    if wants_json():
        return jsonify(error={"status": 400, "fields": form.errors}), 400
    return _render_show(suggestion, decline_form=form, status=400)
