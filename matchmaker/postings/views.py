"""Posting pages: browse and search (open to visitors too), detail, new/edit, the owner's actions
(publish, close, re-open, delete) and "my postings". Views are thin: rules live in services."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..access import enterprise_required
from ..errors import ValidationFailed
from ..forms import industry_choices
from ..vocabulary import POSTING_KINDS, POSTING_STATUSES
from . import search, services
from .forms import PostingForm, option_groups

bp = Blueprint("postings", __name__)

KIND_BLURBS = {
    ("lead", "resource"): _l("Open your brand, R&D capability, instruments, test sites, data or funds to SMEs."),
    ("lead", "need"): _l("A supply-chain need: components, materials, processing, software, data or services you source."),
    ("lead", "challenge"): _l("A technical challenge to be solved, with target indicators, a budget and a deadline."),
    ("sme", "capability"): _l("What your enterprise makes and can do: products, processes, technology, services, data."),
    ("sme", "need"): _l("What your enterprise lacks: testing, equipment, R&D, financing, digital tools, markets, talent."),
}


def _viewer():
    return current_user._get_current_object() if current_user.is_authenticated else None


def _region_filter_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    from .. import reference
    from ..forms import _lang

    lang = _lang()
    groups = []
    for province in reference.provinces():
        options = [(province.code, province.name(lang))]
        options.extend((code, "　" + name) for code, name in reference.region_choices("city", province=province.code, lang=lang)
                       if code != province.code)
        groups.append((province.name(lang), options))
    return groups


@bp.get("/postings")
def browse():
    params = search.SearchParams.from_args(request.args)
    page = search.search(params, services.today())
    return render_template(
        "postings/browse.html", page=page, params=params, owners=services.OwnerView(_viewer()),
        industry_groups=option_groups(industry_choices()), region_groups=_region_filter_choices(), since_days=search.SINCE_DAYS,
    )


@bp.get("/postings/<int:posting_id>")
def show(posting_id: int):
    viewer = _viewer()
    posting = services.get_for_viewing(posting_id, viewer)
    own = services.is_owner(posting, viewer)
    return render_template("postings/show.html", posting=posting, own=own, owners=services.OwnerView(viewer),
                           has_match=own and services.has_match(posting))


@bp.route("/postings/new", methods=["GET", "POST"])
@enterprise_required
def new():
    enterprise = current_user.enterprise
    side = enterprise.role
    kind, category = request.args.get("kind", ""), request.args.get("category", "")
    categories = POSTING_KINDS.get((side, kind), ())
    if (kind and not categories) or (category and category not in categories):
        abort(404)  # not a kind (or category) this enterprise may post
    if not (kind and category):
        if request.method == "POST":
            abort(404)
        kinds = [(k, cats) for (s, k), cats in POSTING_KINDS.items() if s == side]
        return render_template("postings/choose.html", kinds=kinds, chosen=kind, kind_blurbs=KIND_BLURBS)
    form = PostingForm(side=side, kind=kind, category=category)
    if request.method == "GET":
        form.industry.data, form.region.data = enterprise.industry, enterprise.region
        form.chains.data = list(services.propose(side, kind, category))
        form.valid_from.data = services.today()
    if form.validate_on_submit():
        publish = request.form.get("action") == "publish"
        try:
            posting = services.create_posting(enterprise, form.posting_input(), actor=current_user._get_current_object(),
                                              publish=publish, ip=request.remote_addr)
        except ValidationFailed as exc:
            form.apply_errors(exc.errors)
        else:
            _flash_saved(posting, publish)
            return redirect(url_for(".show", posting_id=posting.id))
    return render_template("postings/form.html", form=form, kind=kind, category=category, posting=None), \
        (400 if form.errors or form.form_errors else 200)


@bp.route("/postings/<int:posting_id>/edit", methods=["GET", "POST"])
@enterprise_required
def edit(posting_id: int):
    posting = services.get_for_change(posting_id, current_user._get_current_object())
    form = PostingForm(side=posting.enterprise.role, kind=posting.kind, category=posting.category)
    if request.method == "GET":
        form.fill_from(posting)
    if form.validate_on_submit():
        try:
            services.update_posting(posting, form.posting_input(), actor=current_user._get_current_object(),
                                    version=form.version_number(), ip=request.remote_addr)
        except ValidationFailed as exc:
            form.apply_errors(exc.errors)
        else:
            publish = request.form.get("action") == "publish" and posting.status in services.PUBLISHABLE
            if publish:
                return _lifecycle(posting, services.publish_posting)
            flash(_("The posting has been saved."), "success")
            return redirect(url_for(".show", posting_id=posting.id))
    return render_template("postings/form.html", form=form, kind=posting.kind, category=posting.category,
                           posting=posting), (400 if form.errors or form.form_errors else 200)


def _flash_saved(posting, publish: bool) -> None:
    if not publish:
        flash(_("The posting has been saved as a draft. Publish it when it is ready."), "success")
    elif posting.status == "pending":
        flash(_("The posting waits for review by the platform before it is published. You will be notified."), "info")
    else:
        flash(_("The posting has been published."), "success")


def _lifecycle(posting, action):
    try:
        action(posting, actor=current_user._get_current_object(), ip=request.remote_addr)
    except ValidationFailed as exc:
        flash(exc.message, "danger")
    else:
        if action is services.close_posting:
            flash(_("The posting has been closed."), "success")
        else:
            _flash_saved(posting, True)
    return redirect(url_for(".show", posting_id=posting.id))


@bp.post("/postings/<int:posting_id>/publish")
@enterprise_required
def publish(posting_id: int):
    posting = services.get_for_change(posting_id, current_user._get_current_object())
    return _lifecycle(posting, services.publish_posting)


@bp.post("/postings/<int:posting_id>/close")
@enterprise_required
def close(posting_id: int):
    posting = services.get_for_change(posting_id, current_user._get_current_object())
    return _lifecycle(posting, services.close_posting)


@bp.post("/postings/<int:posting_id>/reopen")
@enterprise_required
def reopen(posting_id: int):
    posting = services.get_for_change(posting_id, current_user._get_current_object())
    return _lifecycle(posting, services.reopen_posting)


@bp.post("/postings/<int:posting_id>/delete")
@enterprise_required
def delete(posting_id: int):
    posting = services.get_for_change(posting_id, current_user._get_current_object())
    title = posting.title
    deleted = services.delete_posting(posting, actor=current_user._get_current_object(), ip=request.remote_addr)
    if deleted:
        flash(_("The posting “%(title)s” has been deleted.", title=title), "success")
        return redirect(url_for(".mine"))
    flash(_("This posting led to a match, so it has been closed instead of deleted."), "info")
    return redirect(url_for(".show", posting_id=posting.id))


@bp.get("/postings/mine")
@enterprise_required
def mine():
    status = request.args.get("status", "")
    if status not in POSTING_STATUSES:
        status = ""
    try:
        number = max(1, int(request.args.get("page") or 1))
    except ValueError:
        number = 1
    enterprise_id = current_user.enterprise_id
    page = services.own_postings(enterprise_id, status or None, page=number)
    return render_template("postings/mine.html", page=page, status=status,
                           counts=services.count_by_status(enterprise_id), owners=services.OwnerView(_viewer()))


@bp.app_context_processor
def posting_helpers():
    def enterprise_postings(enterprise):
        return services.enterprise_listing(enterprise, _viewer())

    def posting_counts(enterprise):
        return services.count_by_status(enterprise.id)

    def postings_expiring(enterprise):
        return services.expiring_soon(enterprise.id)

    return {"enterprise_postings": enterprise_postings, "posting_counts": posting_counts,
            "postings_expiring": postings_expiring, "detail_labels": services.DETAIL_LABELS}
