"""Chain gaps (薄弱环节): the lead firms' published needs and challenges that no SME capability fits
well, grouped so that an operator can act ("12 needs for 液压件 in 长沙 have no local supplier"),
and the SMEs that never receive a suggestion, with the reason.

Scores are the stored Suggestion scores. What a posting is about is read from its tags (and, when
the tags name nothing the knowledge graph knows, from its stored tokens) through the matcher's
knowledge graph; why a posting gets nothing at all is the matcher's own explanation
(`matchmaker.matching.explain_no_suggestions`) when the matcher is installed."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from .. import reference
from ..extensions import db
from ..models import Enterprise, Posting, Suggestion
from ..vocabulary import CATEGORIES, label
from .stats import province_code

log = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.35
LEAD_GAP_KINDS = ("need", "challenge")
VAGUE_MIN_CHARS = 30   # a description shorter than this, with at most one tag, says too little


def _region_of(posting: Posting) -> str:
    """Where a lead need is to be served: its delivery region, else its own region, else its firm's."""
    details = posting.details or {}
    return details.get("delivery_region") or posting.region or posting.enterprise.region or ""


def _city(code: str) -> str:
    city = reference.city_of(code) if code else None
    return city.code if city else code


# --- what a posting is about ------------------------------------------------------------------

def _knowledge():
    try:
        from ..matching.knowledge import load_knowledge, normalize_surface
        from ..matching.text import spot_concepts
    except ImportError:  # the matcher is not installed: fall back on the raw tags
        return None
    return load_knowledge(), normalize_surface, spot_concepts


def concepts_of(posting: Posting, kg_tools=None) -> list[str]:
    """The concepts a posting is about, most specific first: its tags as the knowledge graph
    knows them, else the concepts its text mentions, else its raw tags."""
    tags = [t.strip() for t in (posting.tags or []) if t and t.strip()]
    if kg_tools is not None:
        kg, normalize, spot = kg_tools
        found = []
        for tag in tags:
            cid = kg.lexicon.get(normalize(tag))
            if cid and cid not in found:
                found.append(cid)
        if not found and posting.tokens:
            counts, _rest = spot(tuple(posting.tokens), kg)
            found = [c for c, _n in counts.most_common(3)]
        if found:
            return found
    return tags[:1]


def concept_label(concept: str, kg_tools, lang: str) -> str:
    if lang == "en" and kg_tools is not None and concept in kg_tools[0].concepts:
        return f"{concept} ({kg_tools[0].concepts[concept].en})"
    return concept


# --- the matcher's explanation (optional) -----------------------------------------------------

def explain(postings: list[Posting], lang: str) -> dict[int, tuple[str, str]]:
    """posting id → (reason code, sentence): the matcher's explanation of why a posting gets no
    suggestion (`explain_no_suggestions` through the engine's `explain_empty`), when installed."""
    from .services import FeatureMissing, engine_action

    if not postings:
        return {}
    try:
        explain_empty = engine_action("explain_empty")
    except FeatureMissing:
        return {}
    result = {}
    for posting in postings:
        try:
            reason = explain_empty(posting)
        except Exception:  # an explanation is a help, never a reason for the page to fail
            log.exception("explain_empty failed for posting %s", posting.id)
            db.session.rollback()
            return result
        code = reason.get("code", "")
        if code == "has_suggestions":  # candidates exist, but others took the places
            result[posting.id] = (code, _("The matcher finds candidates, but others rank higher in every list "
                                          "of suggestions."))
        else:
            result[posting.id] = (code, reason.get("en" if lang == "en" else "zh", ""))
    return result


# --- lead gaps --------------------------------------------------------------------------------

@dataclass
class GapPosting:
    posting: Posting
    best: float | None          # best stored score, None without any suggestion
    best_local: float | None    # best score of an SME in the same province
    capable: int                # SMEs with a published capability about the same concept
    capable_local: int          # … in the same province
    explanation: str = ""


@dataclass
class GapGroup:
    concept: str
    concept_label: str
    region: str                 # city code (or the code as given)
    kind: str                   # "weak": no good fit anywhere; "not_local": good fits only elsewhere
    postings: list[GapPosting] = field(default_factory=list)
    industries: Counter = field(default_factory=Counter)

    @property
    def count(self) -> int:
        return len(self.postings)

    @property
    def without_any(self) -> int:
        return sum(1 for p in self.postings if p.best is None)

    @property
    def capable(self) -> int:
        return max((p.capable for p in self.postings), default=0)

    @property
    def capable_local(self) -> int:
        return max((p.capable_local for p in self.postings), default=0)


def _capabilities_by_concept(kg_tools) -> dict[str, set[tuple[int, str]]]:
    """concept → {(SME id, province)} for every published SME capability (and its broader concepts)."""
    rows = db.session.scalars(
        select(Posting).join(Enterprise, Enterprise.id == Posting.enterprise_id)
        .where(Posting.status == "published", Posting.kind == "capability", Enterprise.role == "sme",
               Enterprise.status == "verified"))
    result: dict[str, set[tuple[int, str]]] = defaultdict(set)
    for posting in rows:
        province = province_code(posting.region or posting.enterprise.region)
        for concept in concepts_of(posting, kg_tools):
            result[concept].add((posting.enterprise_id, province))
            if kg_tools is not None and concept in kg_tools[0].concepts:
                for broader in kg_tools[0].broader(concept):
                    result[broader].add((posting.enterprise_id, province))
    return result


def lead_gaps(threshold: float = DEFAULT_THRESHOLD, lang: str = "zh") -> tuple[list[GapGroup], list[GapGroup]]:
    """(weak groups, not-local groups), the biggest first.

    A need or challenge is *weak* when its best stored suggestion scores below `threshold` (or it
    has none); it is *not local* when it has a good suggestion, but none from an SME of its own
    province."""
    kg_tools = _knowledge()
    postings = list(db.session.scalars(
        select(Posting).join(Enterprise, Enterprise.id == Posting.enterprise_id)
        .where(Posting.status == "published", Posting.kind.in_(LEAD_GAP_KINDS), Enterprise.role == "lead",
               Enterprise.status == "verified")
        .order_by(Posting.id)))
    best: dict[int, float] = {}
    best_local: dict[int, float] = {}
    if postings:
        ids = [p.id for p in postings]
        rows = db.session.execute(
            select(Suggestion.lead_posting_id, Suggestion.score, Enterprise.region)
            .join(Enterprise, Enterprise.id == Suggestion.sme_enterprise_id)
            .where(Suggestion.lead_posting_id.in_(ids), Suggestion.status != "withdrawn"))
        where = {p.id: province_code(_region_of(p)) for p in postings}
        for pid, score, sme_region in rows:
            best[pid] = max(best.get(pid, score), score)
            if province_code(sme_region) == where[pid]:
                best_local[pid] = max(best_local.get(pid, score), score)
    capabilities = _capabilities_by_concept(kg_tools)
    groups: dict[tuple[str, str, str], GapGroup] = {}
    for posting in postings:
        top = best.get(posting.id)
        local = best_local.get(posting.id)
        if top is None or top < threshold:
            kind = "weak"
        elif local is None or local < threshold:
            kind = "not_local"
        else:
            continue
        concepts = concepts_of(posting, kg_tools)
        concept = concepts[0] if concepts else str(label(CATEGORIES, posting.category))
        region = _city(_region_of(posting))
        province = province_code(region)
        able = set().union(*(capabilities.get(c, set()) for c in concepts)) if concepts else set()
        able.discard((posting.enterprise_id, province))
        key = (kind, concept, region)
        group = groups.get(key)
        if group is None:
            group = groups[key] = GapGroup(concept, concept_label(concept, kg_tools, lang), region, kind)
        group.postings.append(GapPosting(posting, top, local, len({e for e, _ in able}),
                                         len({e for e, p in able if p == province})))
        group.industries[(posting.industry or posting.enterprise.industry or "")[:3]] += 1
    without = {gp.posting.id: gp for g in groups.values() for gp in g.postings if gp.best is None}
    for pid, (_code, sentence) in explain([gp.posting for gp in without.values()], lang).items():
        without[pid].explanation = sentence
    ordered = sorted(groups.values(), key=lambda g: (-g.count, g.concept, g.region))
    return [g for g in ordered if g.kind == "weak"], [g for g in ordered if g.kind == "not_local"]


# --- SMEs that never receive a suggestion -----------------------------------------------------

SME_REASONS = ("pending", "no_capability", "too_vague", "outside_chains", "no_fit")


@dataclass
class LonelySme:
    enterprise: Enterprise
    reason: str
    postings: int
    explanation: str = ""


def _pairs_with_some_lead(sme_postings: list[Posting], lead_postings: list[tuple[str, str, list]]) -> bool:
    """Whether any of the SME's postings could pair with a published lead posting on some chain."""
    try:
        from ..matching.rules import rule
    except ImportError:
        rule = None
    for posting in sme_postings:
        for lead_kind, lead_category, lead_chains in lead_postings:
            if rule is not None:
                if rule(lead_kind, lead_category, posting.kind, posting.category) is not None:
                    return True
            else:
                compatible = (posting.kind == "capability" and lead_kind in ("need", "challenge")) or (
                    posting.kind == "need" and lead_kind == "resource")
                if compatible and set(posting.chains or ()) & set(lead_chains or ()):
                    return True
    return False


def lonely_smes(lang: str = "zh") -> list[LonelySme]:
    """Every SME (pending or verified) that has never received a suggestion, with the first reason
    that applies: awaiting verification, no published posting, too vague, outside every chain
    (nothing any lead firm publishes can pair with what it posts), or no close enough fit."""
    suggested = select(Suggestion.sme_enterprise_id).distinct()
    smes = list(db.session.scalars(
        select(Enterprise).where(Enterprise.role == "sme", Enterprise.status.in_(("pending", "verified")),
                                 Enterprise.id.not_in(suggested))
        .order_by(Enterprise.name, Enterprise.id)))
    if not smes:
        return []
    published: dict[int, list[Posting]] = defaultdict(list)
    for posting in db.session.scalars(select(Posting).where(
            Posting.status == "published", Posting.enterprise_id.in_([e.id for e in smes]))):
        published[posting.enterprise_id].append(posting)
    lead_postings = [tuple(row) for row in db.session.execute(
        select(Posting.kind, Posting.category, Posting.chains).join(Enterprise, Enterprise.id == Posting.enterprise_id)
        .where(Posting.status == "published", Enterprise.role == "lead", Enterprise.status == "verified"))]
    result = []
    to_explain: dict[int, LonelySme] = {}
    for sme in smes:
        postings = published.get(sme.id, [])
        if sme.status == "pending":
            reason = "pending"
        elif not postings:
            reason = "no_capability"
        elif all(len((p.description or "").strip()) < VAGUE_MIN_CHARS and len(p.tags or []) <= 1 for p in postings):
            reason = "too_vague"
        elif not _pairs_with_some_lead(postings, lead_postings):
            reason = "outside_chains"
        else:
            reason = "no_fit"
        item = LonelySme(sme, reason, len(postings))
        if reason == "no_fit":
            to_explain[postings[0].id] = item
        result.append(item)
    firsts = {pid: published[item.enterprise.id][0] for pid, item in to_explain.items()}
    for pid, (_code, sentence) in explain(list(firsts.values()), lang).items():
        to_explain[pid].explanation = sentence
    order = {r: i for i, r in enumerate(SME_REASONS)}
    result.sort(key=lambda item: (order[item.reason], item.enterprise.name))
    return result
