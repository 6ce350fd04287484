"""The matcher's vocabulary and value types: the contract with the web layer.

The web layer converts its database rows into :class:`PostingProfile` objects and receives
:class:`Suggestion` objects back; nothing else crosses the boundary. The codes here are the
same strings the web layer stores (chains, tiers, kinds, categories), repeated so that this
package stays free of any web or database import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# The seven chains of the 2022 携手行动 notice, in display priority; the first four are its core chains.
CHAINS: tuple[str, ...] = ("innovation", "supply", "data", "capital", "industry", "service", "talent")
CORE_CHAINS: tuple[str, ...] = CHAINS[:4]
CHAIN_LABELS: dict[str, tuple[str, str]] = {
    "innovation": ("创新链", "innovation chain"),
    "supply": ("供应链", "supply chain"),
    "data": ("数据链", "data chain"),
    "capital": ("资金链", "capital chain"),
    "industry": ("产业链", "industry chain"),
    "service": ("服务链", "service chain"),
    "talent": ("人才链", "talent chain"),
}

TIERS: tuple[str, ...] = ("innovative", "specialized", "little_giant", "champion")
TIER_LABELS: dict[str, tuple[str, str]] = {
    "innovative": ("创新型中小企业", "an innovative SME"),
    "specialized": ("专精特新中小企业", "a specialised and sophisticated (专精特新) SME"),
    "little_giant": ("专精特新“小巨人”企业", "a 专精特新 'little giant'"),
    "champion": ("制造业单项冠军企业", "a manufacturing single champion"),
}

# (side, kind) -> categories the web form offers.
POSTING_KINDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("lead", "resource"): ("brand", "rnd", "equipment", "test_site", "data", "fund"),
    ("lead", "need"): ("component", "material", "process", "software", "data", "service"),
    ("lead", "challenge"): ("component", "material", "process", "software", "data", "service", "technology"),
    ("sme", "capability"): ("product", "process", "technology", "service", "data"),
    ("sme", "need"): ("testing", "equipment", "rnd", "financing", "digital", "market", "talent"),
}

SIDES = ("lead", "sme")


@dataclass(frozen=True)
class PostingProfile:
    """One published posting as the matcher sees it.

    ``tokens`` should be ``tokenize(posting_text(title, description, tags))`` computed when the
    posting is written; when it is ``None`` the matcher computes it (slower, same result).
    """

    id: int
    enterprise_id: int
    side: str
    kind: str
    category: str
    title: str
    description: str
    tags: tuple[str, ...] = ()
    industry: str | None = None
    region: str | None = None
    chains: tuple[str, ...] = ()
    tier: str | None = None
    wants_specialized: bool = False
    published_at: datetime | None = None
    tokens: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Reason:
    """One signal behind a suggestion, as a sentence in Chinese and in English.

    ``weight`` is the signal's contribution to the score (0 for purely explanatory reasons).
    ``code`` is stable and machine-readable: ``direction``, ``concept``, ``concept_path``,
    ``keywords``, ``industry``, ``region``, ``tier``, ``fresh``, ``reciprocal``, and for
    :func:`explain_no_suggestions` the ``no_*`` codes.
    """

    code: str
    zh: str
    en: str
    weight: float


@dataclass(frozen=True)
class Suggestion:
    """A proposed pairing of a lead posting with an SME posting, on exactly one chain."""

    lead_posting_id: int
    sme_posting_id: int
    chain: str
    score: float
    reasons: tuple[Reason, ...]
    reciprocal: bool = False
