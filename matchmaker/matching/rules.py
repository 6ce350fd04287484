"""Which postings can answer which, and on which chain.

Matching is about the direction of need and offer, not about shared words: a lead firm's
配套需求 for a component is answered by an SME that *makes* that component, a lead firm's open
test site by an SME that *needs* testing — not by one that manufactures test equipment. This
module is the table of those answers: for each (lead kind/category, SME kind/category) pair a
compatibility weight in (0, 1] and the chains the pairing serves, most fitting first (the
notice's four core chains first where they apply). Pairs absent from the table never match.
"""

from __future__ import annotations

from .model import CHAINS, POSTING_KINDS

# Pools: the two matching directions. A lead "demand" (need, challenge) is answered by an SME
# "supply" (capability); a lead "offer" (open resource) answers an SME "demand" (need).
LEAD_POOLS = {"need": "lead_demand", "challenge": "lead_demand", "resource": "lead_offer"}
SME_POOLS = {"capability": "sme_supply", "need": "sme_demand"}
COUNTERPART_POOL = {"lead_demand": "sme_supply", "lead_offer": "sme_demand",
                    "sme_supply": "lead_demand", "sme_demand": "lead_offer"}
POOL_DIRECTION = {"lead_demand": "supply", "sme_supply": "supply", "lead_offer": "offer", "sme_demand": "offer"}

# The implicit concept a posting category stands for, added to what the text mentions.
CATEGORY_HUBS = {
    ("lead", "resource", "brand"): ("品牌", "市场拓展"),
    ("lead", "resource", "rnd"): ("研发",),
    ("lead", "resource", "equipment"): ("仪器设备",),
    ("lead", "resource", "test_site"): ("检测", "试验场地"),
    ("lead", "resource", "data"): ("数字化转型",),
    ("lead", "resource", "fund"): ("融资",),
    ("lead", "challenge", "technology"): ("技术攻关",),
    ("sme", "need", "testing"): ("检测",),
    ("sme", "need", "equipment"): ("仪器设备",),
    ("sme", "need", "rnd"): ("研发",),
    ("sme", "need", "financing"): ("融资",),
    ("sme", "need", "digital"): ("数字化转型",),
    ("sme", "need", "market"): ("市场拓展",),
    ("sme", "need", "talent"): ("人才",),
}

_S, _I, _D = ("supply",), ("innovation",), ("data",)
# A lead *need* is sourcing: 供应链 whatever the SME calls its offer (product, process or
# technology), except data needs and data capabilities (数据链). A *challenge* is 技术攻关: 创新链,
# except a data challenge answered by a data capability (数据链).
_NEED_ROWS: dict[str, dict[str, tuple[float, tuple[str, ...]]]] = {
    "component": {"product": (1.0, _S), "process": (0.7, _S), "technology": (0.5, ("supply", "innovation")),
                  "service": (0.3, _S)},
    "material": {"product": (1.0, _S), "technology": (0.6, ("supply", "innovation")), "process": (0.5, _S),
                 "service": (0.3, _S)},
    "process": {"process": (1.0, _S), "product": (0.6, _S), "service": (0.6, ("supply", "service")),
                "technology": (0.5, ("supply", "innovation"))},
    "software": {"technology": (0.9, ("supply", "innovation")), "data": (0.8, ("data", "supply")),
                 "service": (0.8, ("supply", "service")), "product": (0.8, ("supply", "data"))},
    "data": {"data": (1.0, _D), "technology": (0.7, ("data", "innovation")), "service": (0.7, _D),
             "product": (0.5, _D)},
    "service": {"service": (1.0, ("supply", "service")), "process": (0.6, ("supply", "service")),
                "technology": (0.6, ("supply", "innovation")), "data": (0.6, ("data", "service")),
                "product": (0.4, ("supply", "service"))},
}


def _challenge_chains(category: str, sme_category: str) -> tuple[str, ...]:
    if category == "data" and sme_category == "data":
        return ("data", "innovation")
    if "data" in (category, sme_category):
        return ("innovation", "data")
    return _I


_CHALLENGE_ROWS = {
    cat: {sme_cat: (w if sme_cat != "technology" else 1.0, _challenge_chains(cat, sme_cat))
          for sme_cat, (w, _) in row.items()}
    for cat, row in _NEED_ROWS.items()
}
_CHALLENGE_ROWS["technology"] = {"technology": (1.0, _I), "process": (0.8, _I), "product": (0.7, _I),
                                 "data": (0.6, ("innovation", "data")), "service": (0.5, _I)}
for _row in _CHALLENGE_ROWS.values():
    _row.setdefault("technology", (0.8, _I))

_RESOURCE_ROWS = {
    "brand": {"market": (1.0, ("industry", "service")), "rnd": (0.5, _I)},
    "rnd": {"rnd": (1.0, _I), "testing": (0.6, _I), "talent": (0.6, ("talent",)), "equipment": (0.4, _I),
            "digital": (0.4, _D)},
    "equipment": {"equipment": (1.0, _I), "testing": (0.9, _I), "rnd": (0.5, _I)},
    "test_site": {"testing": (1.0, _I), "equipment": (0.7, _I), "rnd": (0.8, _I), "talent": (0.4, ("talent",))},
    "data": {"digital": (1.0, _D), "market": (0.4, ("data", "industry")), "talent": (0.3, ("talent",))},
    "fund": {"financing": (1.0, ("capital",))},
}

RULES: dict[tuple[str, str, str, str], tuple[float, tuple[str, ...]]] = {}
for _cat, _row in _NEED_ROWS.items():
    for _sme_cat, _entry in _row.items():
        RULES[("need", _cat, "capability", _sme_cat)] = _entry
for _cat, _row in _CHALLENGE_ROWS.items():
    for _sme_cat, _entry in _row.items():
        RULES[("challenge", _cat, "capability", _sme_cat)] = _entry
for _cat, _row in _RESOURCE_ROWS.items():
    for _sme_cat, _entry in _row.items():
        RULES[("resource", _cat, "need", _sme_cat)] = _entry

LEAD_GROUPS: tuple[tuple[str, str], ...] = tuple(
    (kind, cat) for (side, kind), cats in POSTING_KINDS.items() if side == "lead" for cat in cats)
SME_GROUPS: tuple[tuple[str, str], ...] = tuple(
    (kind, cat) for (side, kind), cats in POSTING_KINDS.items() if side == "sme" for cat in cats)


def pool_of(side: str, kind: str, category: str) -> str | None:
    """The matching pool of a posting, or None when side/kind/category is not a known combination."""
    if category not in POSTING_KINDS.get((side, kind), ()):
        return None
    return (LEAD_POOLS if side == "lead" else SME_POOLS).get(kind)


def rule(lead_kind: str, lead_category: str, sme_kind: str, sme_category: str):
    """(weight, chains) for a lead/SME pairing, or None when the two cannot answer each other."""
    return RULES.get((lead_kind, lead_category, sme_kind, sme_category))


def choose_chain(options: tuple[str, ...], declared: set[str]) -> str:
    """The first option either author declared; otherwise the first option."""
    for chain in options:
        if chain in declared:
            return chain
    return options[0]


PROPOSE_MIN_WEIGHT = 0.6


def propose_chains(side: str, kind: str, category: str) -> tuple[str, ...]:
    """Chains a posting of this side/kind/category serves, in display order (form pre-fill).

    They are the first-choice chains of the pairings the posting typically takes part in
    (compatibility weight at least ``PROPOSE_MIN_WEIGHT``); an unknown combination gets ``()``.
    """
    if pool_of(side, kind, category) is None:
        return ()
    chosen = set()
    for (lk, lc, sk, sc), (weight, chains) in RULES.items():
        mine = (lk, lc) == (kind, category) if side == "lead" else (sk, sc) == (kind, category)
        if mine and weight >= PROPOSE_MIN_WEIGHT:
            chosen.add(chains[0])
    return tuple(c for c in CHAINS if c in chosen)
