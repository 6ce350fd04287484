"""The platform's controlled vocabulary: the stable codes stored in the database and used in
import/export, with their translatable labels. Forms, templates and services all read them here."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# The codes themselves are the matcher's (pure domain code); this module adds the labels.
from .matching import model as _domain

ROLES = {"lead": _l("Lead enterprise"), "sme": _l("SME")}

_TIER_LABELS = {
    "innovative": _l("Innovative SME"),
    "specialized": _l("Specialized and sophisticated SME"),
    "little_giant": _l("Little giant"),
    "champion": _l("Manufacturing single champion"),
}
TIERS = {code: _TIER_LABELS[code] for code in _domain.TIERS}

SIZES = {
    "large": _l("Large"),
    "medium": _l("Medium"),
    "small": _l("Small"),
    "micro": _l("Micro"),
}

ENTERPRISE_STATUSES = {
    "pending": _l("Pending verification"),
    "verified": _l("Verified"),
    "suspended": _l("Suspended"),
    "rejected": _l("Rejected"),
}

# The seven chains of the 2022 notice; the first four are the notice's core chains and come first.
_CHAIN_LABELS = {
    "innovation": _l("Innovation chain"),
    "supply": _l("Supply chain"),
    "data": _l("Data chain"),
    "capital": _l("Capital chain"),
    "industry": _l("Industry chain"),
    "service": _l("Service chain"),
    "talent": _l("Talent chain"),
}
CHAINS = {code: _CHAIN_LABELS[code] for code in _domain.CHAINS}
CORE_CHAINS = _domain.CORE_CHAINS

# (side, kind) -> categories. Side is the enterprise role that may post it.
POSTING_KINDS = _domain.POSTING_KINDS

KINDS = {
    "resource": _l("Open resource"),
    "need": _l("Need"),
    "challenge": _l("Technical challenge"),
    "capability": _l("Capability"),
}

CATEGORIES = {
    "brand": _l("Brand"),
    "rnd": _l("Design and R&D"),
    "equipment": _l("Instruments and equipment"),
    "test_site": _l("Test site"),
    "data": _l("Data and digital platform"),
    "fund": _l("Funds"),
    "component": _l("Components"),
    "material": _l("Materials"),
    "process": _l("Processing"),
    "software": _l("Software"),
    "service": _l("Services"),
    "technology": _l("Technology"),
    "product": _l("Products"),
    "testing": _l("Testing and certification"),
    "financing": _l("Financing"),
    "digital": _l("Digital transformation"),
    "market": _l("Market access"),
    "talent": _l("Talent"),
}

POSTING_STATUSES = {
    "draft": _l("Draft"),
    "pending": _l("Awaiting review"),
    "published": _l("Published"),
    "closed": _l("Closed"),
    "expired": _l("Expired"),
    "rejected": _l("Rejected"),
    "unpublished": _l("Unpublished by operator"),
}

SUGGESTION_STATUSES = {
    "open": _l("Open"),
    "interest": _l("Interest from one side"),
    "matched": _l("Matched"),
    "declined": _l("Declined"),
    "withdrawn": _l("Withdrawn"),
}

DECLINE_REASONS = {
    "not_relevant": _l("Not relevant"),
    "capacity": _l("No capacity"),
    "price": _l("Price"),
    "region": _l("Region"),
    "has_supplier": _l("Already have a supplier"),
    "other": _l("Other"),
}

# A match's stages, in order; "closed" ends it without a deal.
MATCH_STAGES = {
    "talks": _l("In talks"),
    "nda": _l("NDA signed"),
    "sample": _l("Sample or pilot"),
    "contract": _l("Contract signed"),
    "supplier": _l("In the supplier list"),
    "closed": _l("Closed without a deal"),
}
DEAL_STAGES = ("contract", "supplier")


def label(mapping: dict, code: str | None) -> str:
    """The translated label of a code, or the code itself when it is unknown."""
    if code is None:
        return ""
    return str(mapping.get(code, code))
