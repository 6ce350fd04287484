"""An enterprise's own profile (view and edit) and the page others see of it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..access import enterprise_required
from ..errors import ValidationFailed
from . import services
from .forms import ProfileForm
from .policy import can_see_contacts

bp = Blueprint("enterprises", __name__)


@bp.get("/profile")
@enterprise_required
def profile():
    enterprise = current_user.enterprise
    return render_template("enterprises/show.html", enterprise=enterprise, show_contacts=True, own=True)


@bp.route("/profile/edit", methods=["GET", "POST"])
@enterprise_required
def edit_profile():
    enterprise = current_user.enterprise
    form = ProfileForm(obj=enterprise)
    if enterprise.role == "lead":
        del form.tier
    if form.validate_on_submit():
        data = services.EnterpriseInput.from_mapping({**form.enterprise_data(), "role": enterprise.role})
        try:
            services.update_enterprise(enterprise, data, actor=current_user._get_current_object(),
                                       ip=request.remote_addr)
        except ValidationFailed as exc:
            form.apply_errors(exc.errors)
        else:
            flash(_("The profile has been saved."), "success")
            return redirect(url_for(".profile"))
    return render_template("enterprises/edit.html", form=form, enterprise=enterprise), (400 if form.errors else 200)


@bp.get("/enterprises/<int:enterprise_id>")
@login_required
def show(enterprise_id: int):
    enterprise = services.get_enterprise(enterprise_id)
    viewer = current_user._get_current_object()
    own = viewer.enterprise_id == enterprise.id
    if enterprise.status != "verified" and not (own or viewer.is_operator):
        abort(404)
    return render_template("enterprises/show.html", enterprise=enterprise,
                           show_contacts=can_see_contacts(viewer, enterprise), own=own)
