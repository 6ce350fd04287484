"""The operator console: dashboard with charts and the funnel per chain, review queues and
settings, the 融通 network map, chain gaps, reporting exports, full rematches, enterprises to
verify or suspend, and the audit log. Views are thin: figures come from `stats`, `network` and
`gaps`, decisions from `services`."""

from __future__ import annotations

import time
from decimal import Decimal

from flask import (Blueprint, Response, current_app, flash, jsonify, redirect, render_template, request,
                   url_for)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from .. import reference
from ..access import operator_required
from ..enterprises import services as enterprise_services
from ..errors import Conflict, NotFound, ValidationFailed
from ..extensions import db
from ..models import AuditEntry, Enterprise
from ..templating import region_name
from ..vocabulary import CHAINS, ENTERPRISE_STATUSES, KINDS, POSTING_STATUSES, ROLES, TIERS, label
from . import charts, exports, gaps, network, services, stats
from .forms import DecisionForm, EnterpriseStatusForm, GapsForm, PeriodForm, RematchForm, ReviewSettingsForm

bp = Blueprint("operator", __name__, url_prefix="/operator")


def _lang() -> str:
    return "en" if str(get_locale()).startswith("en") else "zh"


def _actor():
    return current_user._get_current_object()


# --- dashboard --------------------------------------------------------------------------------

@bp.get("/")
@operator_required
def dashboard():
    lang = _lang()
    ents = stats.enterprise_breakdown()
    posts = stats.posting_breakdown()
    funnel_rows = stats.funnel()
    starts, series = stats.activity(weeks=12)
    figures = {
        "role": charts.bar_chart([(label(ROLES, r), ents["role"].get(r, 0), None) for r in ROLES],
                                 title=_("Enterprises by role"), chart_id="chart-role"),
        "tier": charts.bar_chart(
            [(label(TIERS, t), ents["tier"].get(t, 0), None) for t in TIERS]
            + ([(_("No tier"), ents["tier"]["none"], "#adb5bd")] if ents["tier"].get("none") else []),
            title=_("SMEs by tier"), chart_id="chart-tier"),
        "province": charts.bar_chart(
            [(reference.region_label(code, lang) if code else _("Unknown"), n, "#198754")
             for code, n in ents["province"].most_common(10)],
            title=_("Enterprises by region (province)"), chart_id="chart-province"),
        "section": charts.bar_chart(
            [(f"{code} {reference.industry_label(code, lang, with_code=False)}" if code else _("Unknown"), n, "#6f42c1")
             for code, n in ents["section"].most_common(10)],
            title=_("Enterprises by industry (section)"), chart_id="chart-section", label_width=240),
        "kind": charts.bar_chart([(label(KINDS, k), posts["kind"].get(k, 0), None) for k in KINDS],
                                 title=_("Published postings by kind"), chart_id="chart-kind"),
        "chain": charts.bar_chart([(label(CHAINS, c), posts["chain"].get(c, 0), charts.CHAIN_COLOURS[c])
                                   for c in CHAINS], title=_("Published postings by chain"), chart_id="chart-chain"),
        "activity": charts.line_chart(
            [s.strftime("%m-%d") for s in starts],
            [(activity_label(name), series[name], charts.SERIES_COLOURS[name]) for name in stats.ACTIVITY_SERIES],
            title=_("Activity per week"), chart_id="chart-activity"),
    }
    funnels = []
    for row in funnel_rows:
        if row.chain != "all" and not row.counts["suggested"]:
            continue
        colour = charts.CHAIN_COLOURS.get(row.chain, "#212529")
        funnels.append((row, charts.funnel_chart(
            [(exports.step_label(s), n, rate) for s, n, rate, _overall in row.steps],
            title=_("Funnel: %(chain)s", chain=exports.chain_label(row.chain)), chart_id=f"funnel-{row.chain}",
            colour=colour)))
    return render_template(
        "operator/dashboard.html", totals=stats.totals(), counts=enterprise_services.count_by_status(),
        queue=services.queue_counts(), figures=figures, funnels=funnels, funnel_rows=funnel_rows,
        steps=stats.FUNNEL_STEPS, step_label=exports.step_label, chain_label=exports.chain_label,
        run=services.latest_run(), rematch_form=RematchForm(), period_form=PeriodForm(formdata=None),
        weeks=starts)


def activity_label(name: str) -> str:
    return {"registrations": _("Registrations"), "postings": _("Postings published"),
            "suggestions": _("Suggestions"), "matches": _("Matches")}[name]


# --- review -----------------------------------------------------------------------------------

@bp.get("/review")
@operator_required
def review():
    return render_template("operator/review.html", enterprises=services.pending_enterprises(),
                           postings=services.pending_postings(), settings=services.review_settings(),
                           form=DecisionForm())


@bp.post("/review/enterprises/<int:enterprise_id>")
@operator_required
def decide_enterprise(enterprise_id: int):
    enterprise = enterprise_services.get_enterprise(enterprise_id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            services.decide_enterprise(enterprise, form.decision.data, actor=_actor(), reason=form.reason.data,
                                       ip=request.remote_addr)
        except ValidationFailed as exc:
            form.reason.errors = list(form.reason.errors) + exc.errors.get("reason", [])
            form.decision.errors = list(form.decision.errors) + exc.errors.get("decision", [])
        else:
            flash(_("%(name)s: %(status)s.", name=enterprise.name,
                    status=label(ENTERPRISE_STATUSES, enterprise.status)), "success")
            return redirect(url_for(".review"))
    return render_template("operator/review.html", enterprises=services.pending_enterprises(),
                           postings=services.pending_postings(), settings=services.review_settings(),
                           form=DecisionForm(formdata=None), failed=(enterprise.id, form)), 400


@bp.get("/postings/<int:posting_id>")
@operator_required
def posting(posting_id: int):
    item = services.get_posting(posting_id)
    history = db.session.scalars(
        select(AuditEntry).where(AuditEntry.target_type == "posting", AuditEntry.target_id == item.id)
        .order_by(AuditEntry.at.desc()).limit(50)).all()
    return render_template("operator/posting.html", posting=item, history=history, form=DecisionForm())


@bp.post("/postings/<int:posting_id>/decision")
@operator_required
def decide_posting(posting_id: int):
    item = services.get_posting(posting_id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            services.decide_posting(item, form.decision.data, actor=_actor(), reason=form.reason.data,
                                    ip=request.remote_addr)
        except ValidationFailed as exc:
            form.reason.errors = list(form.reason.errors) + exc.errors.get("reason", [])
            form.decision.errors = list(form.decision.errors) + exc.errors.get("decision", [])
        else:
            flash(_("The posting is now: %(status)s.", status=label(POSTING_STATUSES, item.status)), "success")
            target = request.form.get("next")
            return redirect(url_for(".review") if target == "review" else url_for(".posting", posting_id=item.id))
    history = db.session.scalars(
        select(AuditEntry).where(AuditEntry.target_type == "posting", AuditEntry.target_id == item.id)
        .order_by(AuditEntry.at.desc()).limit(50)).all()
    return render_template("operator/posting.html", posting=item, history=history, form=form), 400


@bp.route("/settings", methods=["GET", "POST"])
@operator_required
def settings_page():
    current = services.review_settings()
    form = ReviewSettingsForm(data=current) if request.method == "GET" else ReviewSettingsForm()
    if request.method == "POST":
        if form.validate_on_submit():
            changed = services.update_review_settings(
                {"review_enterprises": form.review_enterprises.data, "review_postings": form.review_postings.data},
                actor=_actor(), ip=request.remote_addr)
            flash(_("Settings saved.") if changed else _("Nothing changed."), "success" if changed else "info")
            return redirect(url_for(".settings_page"))
        return render_template("operator/settings.html", form=form), 400
    return render_template("operator/settings.html", form=form)


# --- network map ------------------------------------------------------------------------------

def _network(filters: network.NetworkFilters, lead_id: int | None):
    graph = network.build_graph(suggestions=filters.suggestions)
    centre = None
    if lead_id is not None:
        lead = db.session.get(Enterprise, lead_id)
        if lead is None or lead.role != "lead":
            raise NotFound()
        graph = network.neighbourhood(network.apply_filters(graph, network.NetworkFilters(
            suggestions=filters.suggestions)), lead.id)
        if lead.id not in graph:
            graph.add_node(lead.id, name=lead.name, role="lead", tier=None, industry=lead.industry or "",
                           region=lead.region or "", province=stats.province_code(lead.region), status=lead.status)
        centre = lead.id
        return graph, network.layout(graph, centre), lead
    graph = network.apply_filters(graph, filters)
    return graph, network.layout(graph), None


def _lead_id() -> int | None:
    raw = request.args.get("lead", "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise NotFound()
    return int(raw)


@bp.get("/network", endpoint="network")
@operator_required
def network_map():
    started = time.perf_counter()
    lang = _lang()
    filters = network.NetworkFilters.from_args(request.args)
    graph, positions, lead = _network(filters, _lead_id())
    picture = network.draw(graph, positions, lang=lang, centre=lead.id if lead else None,
                           link=lambda eid: url_for(".enterprise", enterprise_id=eid), region_name=region_name)
    html = render_template(
        "operator/network.html", picture=picture, filters=filters, lead=lead,
        industries=network.industry_options(lang), provinces=network.province_options(lang),
        chain_colours=charts.CHAIN_COLOURS)
    elapsed = (time.perf_counter() - started) * 1000
    response = Response(html, mimetype="text/html")
    response.headers["Server-Timing"] = f"network;dur={elapsed:.1f}"
    return response


@bp.get("/network.json")
@operator_required
def network_json():
    filters = network.NetworkFilters.from_args(request.args)
    graph, positions, lead = _network(filters, _lead_id())
    data = network.to_json(graph, positions)
    data["lead"] = lead.id if lead else None
    return jsonify(data)


# --- chain gaps -------------------------------------------------------------------------------

@bp.get("/gaps", endpoint="gaps")
@operator_required
def gaps_page():
    lang = _lang()
    form = GapsForm(request.args)
    threshold = gaps.DEFAULT_THRESHOLD
    status = 200
    if form.validate() and form.threshold.data is not None:
        threshold = float(form.threshold.data)
    elif form.errors:
        status = 400
    if form.threshold.data is None and not form.errors:
        form.threshold.data = Decimal(str(threshold))
    weak, not_local = gaps.lead_gaps(threshold, lang)
    lonely = gaps.lonely_smes(lang)
    return render_template("operator/gaps.html", form=form, threshold=threshold, weak=weak, not_local=not_local,
                           lonely=lonely, reasons=sme_reason_labels()), status


def sme_reason_labels() -> dict[str, str]:
    return {
        "pending": _("Awaiting verification: its postings are not matched yet"),
        "no_capability": _("No published capability or need"),
        "too_vague": _("Too vague: its postings say too little to match"),
        "outside_chains": _("Outside every chain: no lead firm publishes anything it could answer"),
        "no_fit": _("No lead firm's posting is close enough"),
    }


# --- exports ----------------------------------------------------------------------------------

def _period() -> tuple:
    form = PeriodForm(request.args)
    if not form.validate():
        raise ValidationFailed({k: [str(m) for m in v] for k, v in form.errors.items()})
    return form.start.data, form.end.data


@bp.get("/exports")
@operator_required
def exports_page():
    form = PeriodForm(request.args)
    valid = form.validate()
    return render_template("operator/exports.html", form=form), 200 if valid else 400


def _download(body: bytes, filename: str, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/exports/matches.csv")
@operator_required
def export_matches_csv():
    start, end = _period()
    header, rows = exports.matches_table(start, end, _lang())
    return _download(exports.to_csv(header, rows), f"matches_{exports.period_suffix(start, end)}.csv",
                     "text/csv; charset=utf-8")


@bp.get("/exports/funnel.csv")
@operator_required
def export_funnel_csv():
    start, end = _period()
    header, rows = exports.funnel_table(start, end)
    return _download(exports.to_csv(header, rows), f"funnel_{exports.period_suffix(start, end)}.csv",
                     "text/csv; charset=utf-8")


@bp.get("/exports/report.xlsx")
@operator_required
def export_workbook():
    start, end = _period()
    funnel_header, funnel_rows = exports.funnel_table(start, end)
    match_header, match_rows = exports.matches_table(start, end, _lang())
    body = exports.to_workbook([(_("Funnel per chain"), funnel_header, funnel_rows),
                                (_("Match list"), match_header, match_rows)])
    return _download(body, f"report_{exports.period_suffix(start, end)}.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# --- rematch ----------------------------------------------------------------------------------

@bp.post("/runs")
@operator_required
def start_run():
    form = RematchForm()
    if not form.validate_on_submit():
        flash(_("The form expired or was not sent from this site. Please try again."), "danger")
        return redirect(url_for(".dashboard")), 400
    try:
        run = services.start_rematch(current_app._get_current_object(), _actor())
    except (Conflict, services.FeatureMissing) as exc:
        flash(exc.message or _("The rematch could not be started."), "danger")
        return redirect(url_for(".dashboard") + "#rematch")
    flash(_("Full rematch #%(id)d started.", id=run.id), "success")
    return redirect(url_for(".dashboard", run=run.id) + "#rematch")


@bp.get("/runs/<int:run_id>")
@operator_required
def run_status(run_id: int):
    return jsonify(services.run_status(services.get_run(run_id)))


# --- enterprises and audit log (unchanged behaviour) ------------------------------------------

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
            enterprise_services.set_status(enterprise, form.status.data, actor=_actor(),
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
