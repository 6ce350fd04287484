"""The public home page and each logged-in enterprise's dashboard."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import func, select

from ..extensions import db
from ..models import Enterprise, Match, Posting

bp = Blueprint("main", __name__)

CHAIN_BLURBS = {
    "innovation": _l("Lead enterprises open R&D, test sites and technical challenges; SMEs solve them."),
    "supply": _l("SMEs enter lead enterprises' supply chains with the parts, materials and processes they need."),
    "data": _l("Digital platforms and light, fast, accurate solutions for SMEs; data shared along the chain."),
    "capital": _l("Supply-chain finance and industrial funds reach the SMEs that supply lead enterprises."),
}


@bp.get("/")
def index():
    figures = {
        "leads": db.session.scalar(select(func.count()).where(Enterprise.role == "lead", Enterprise.status == "verified")),
        "smes": db.session.scalar(select(func.count()).where(Enterprise.role == "sme", Enterprise.status == "verified")),
        "postings": db.session.scalar(select(func.count()).select_from(Posting).where(Posting.status == "published")),
        "matches": db.session.scalar(select(func.count()).select_from(Match)),
    }
    return render_template("main/index.html", figures=figures, chain_blurbs=CHAIN_BLURBS)


@bp.get("/dashboard")
@login_required
def dashboard():
    if current_user.is_operator:
        return redirect(url_for("operator.dashboard"))
    return render_template("main/dashboard.html", enterprise=current_user.enterprise)
