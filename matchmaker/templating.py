"""What every template can use: vocabulary labels, reference names, dates in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, request, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from . import reference, vocabulary


def _lang() -> str:
    return "en" if str(get_locale()).startswith("en") else "zh"


def industry_name(code: str | None) -> str:
    return reference.industry_label(code, _lang(), with_code=False) if code else ""


def region_name(code: str | None) -> str:
    return reference.region_label(code, _lang()) if code else ""


def page_url(number: int) -> str:
    """The current page's address with another page number, keeping the filters."""
    args = request.args.to_dict()
    args["page"] = number
    return url_for(request.endpoint, **(request.view_args or {}), **args)


@dataclass
class NavItem:
    label: str
    url: str
    active: bool


# (endpoint, label, who sees it). A feature's link shows once its blueprint is registered.
NAV = (
    ("main.dashboard", _l("Dashboard"), ("lead", "sme")),
    ("postings.browse", _l("Browse postings"), ("lead", "sme", "operator", "anonymous")),
    ("postings.mine", _l("My postings"), ("lead", "sme")),
    ("suggestions.index", _l("Suggestions"), ("lead", "sme")),
    ("matches.index", _l("Matches"), ("lead", "sme")),
    ("operator.dashboard", _l("Console"), ("operator",)),
    ("operator.enterprises", _l("Enterprises"), ("operator",)),
    ("operator.network", _l("Network map"), ("operator",)),
    ("operator.gaps", _l("Chain gaps"), ("operator",)),
    ("operator.audit_log", _l("Audit log"), ("operator",)),
)


def nav_items() -> list[NavItem]:
    who = current_user.role if current_user.is_authenticated else "anonymous"
    endpoints = current_app.view_functions
    items = []
    for endpoint, text, audience in NAV:
        if who in audience and endpoint in endpoints:
            url = url_for(endpoint)
            items.append(NavItem(str(text), url, request.endpoint == endpoint))
    return items


# Partials that features contribute to the enterprise dashboard, in display order; a feature's
# section appears once its template exists.
DASHBOARD_SECTIONS = (
    "suggestions/_dashboard.html",
    "matches/_dashboard.html",
    "postings/_dashboard.html",
)


def dashboard_sections() -> list[str]:
    loader = current_app.jinja_env.loader
    found = []
    for name in DASHBOARD_SECTIONS:
        try:
            loader.get_source(current_app.jinja_env, name)
        except Exception:  # jinja2.TemplateNotFound: the feature is not installed
            continue
        found.append(name)
    return found


def register_templating(app: Flask) -> None:
    @app.context_processor
    def inject():
        return {
            "vocab": vocabulary,
            "label": vocabulary.label,
            "industry_name": industry_name,
            "region_name": region_name,
            "current_locale": str(get_locale()),
        }

    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt) if value else ""
    app.jinja_env.filters["datetime"] = lambda value, fmt="short": format_datetime(value, fmt) if value else ""
    app.jinja_env.globals["request_path"] = lambda: request.full_path.rstrip("?")
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["nav_items"] = nav_items
    app.jinja_env.globals["dashboard_sections"] = dashboard_sections
