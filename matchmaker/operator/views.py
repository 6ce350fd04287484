"""The operator console: enterprises to verify or suspend, and the audit log."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from ..access import operator_required
from ..enterprises import services as enterprise_services
from ..errors import ValidationFailed
from ..extensions import db
from ..models import AuditEntry, Enterprise
from ..vocabulary import ENTERPRISE_STATUSES, ROLES, TIERS
from .forms import EnterpriseStatusForm

bp = Blueprint("operator", __name__, url_prefix="/operator")


@bp.get("/")
@operator_required
def dashboard():
    counts = enterprise_services.count_by_status()
    pending = db.session.scalars(
        select(Enterprise).where(Enterprise.status == "pending").order_by(Enterprise.created_at).limit(10)
    ).all()
    return render_template("operator/dashboard.html", counts=counts, pending=pending)


@bp.get("/enterprises")
@operator_required
def enterprises():
    query = select(Enterprise).order_by(Enterprise.created_at.desc(), Enterprise.id.desc())
    status = request.args.get("status", "")
    role = request.args.get("role", "")
    tier = request.args.get("tier", "")
    text = request.args.get("q", "").strip()[:100]
    if status in ENTERPRISE_STATUSES:
        query = query.where(Enterprise.status == status)
    if role in ROLES:
        query = query.where(Enterprise.role == role)
    if tier in TIERS:
        query = query.where(Enterprise.tier == tier)
    if text:
        like = f"%{text}%"
        query = query.where(or_(Enterprise.name.ilike(like), Enterprise.uscc.ilike(like)))
    page = db.paginate(query, per_page=25, error_out=False)
    return render_template("operator/enterprises.html", page=page,
                           filters={"status": status, "role": role, "tier": tier, "q": text})


def _history(enterprise: Enterprise) -> list[AuditEntry]:
    return db.session.scalars(
        select(AuditEntry).where(AuditEntry.target_type == "enterprise", AuditEntry.target_id == enterprise.id)
        .order_by(AuditEntry.at.desc()).limit(50)
    ).all()


@bp.get("/enterprises/<int:enterprise_id>")
@operator_required
def enterprise(enterprise_id: int):
    enterprise = enterprise_services.get_enterprise(enterprise_id)
    history = _history(enterprise)
    return render_template("operator/enterprise.html", enterprise=enterprise, history=history,
                           form=EnterpriseStatusForm())


@bp.post("/enterprises/<int:enterprise_id>/status")
@operator_required
def set_enterprise_status(enterprise_id: int):
    enterprise = enterprise_services.get_enterprise(enterprise_id)
    form = EnterpriseStatusForm()
    if form.validate_on_submit():
        try:
            enterprise_services.set_status(enterprise, form.status.data, actor=current_user._get_current_object(),
                                           reason=form.reason.data, ip=request.remote_addr)
        except ValidationFailed as exc:
            form.reason.errors = list(form.reason.errors) + exc.errors.get("reason", [])
        else:
            flash(_("The enterprise is now: %(status)s.", status=ENTERPRISE_STATUSES[form.status.data]), "success")
            return redirect(url_for(".enterprise", enterprise_id=enterprise.id))
    history = _history(enterprise)
    return render_template("operator/enterprise.html", enterprise=enterprise, history=history, form=form), 400


@bp.get("/audit")
@operator_required
def audit_log():
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    action = request.args.get("action", "").strip()[:48]
    if action:
        query = query.where(AuditEntry.action.startswith(action))
    page = db.paginate(query, per_page=50, error_out=False)
    return render_template("operator/audit.html", page=page, action=action)
