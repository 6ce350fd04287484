"""The industry-chain knowledge graph that the matcher reasons over.

It exists so that a suggestion can rest on more than a shared word: synonyms collapse surface
forms (数控加工 = CNC加工 = 机加工 = CNC machining) onto one concept, ``is_a`` links a specific
concept to its broader one (液压油缸 → 液压件), ``part_of``/``input_to``/``produces`` give the
upstream → downstream direction of the chain (合成橡胶 → 轮胎 → 整车), ``equipment_for`` ties an
instrument or machine to the service or process it is used for, and the GB/T 4754 industry and
GB/T 2260 region hierarchies give proximity. Everything lives in one NetworkX ``DiGraph`` loaded
from the TSV files in ``data/``; from it this module derives, per matching direction, a sparse
"who can answer whom" weight between concepts together with the graph path that justifies it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import networkx as nx

DATA_PACKAGE = "matchmaker.matching.data"

# Hop weights from a concept the lead side mentions to a concept the SME side mentions.
# "supply": the lead needs X, which SME concepts can supply X? Narrower kinds of X, the parts,
# materials and processes that go into X (upstream), never what X goes into (downstream) and
# never the machines used to make X (a machine-tool dealer is not a machining shop).
SUPPLY_HOPS = {
    ("is_a", "in"): ("narrower", 0.85),       # SME offers a kind of X
    ("is_a", "out"): ("broader", 0.6),        # SME offers the broader family of X
    ("part_of", "in"): ("upstream", 0.45),    # SME makes a part of X
    ("input_to", "in"): ("upstream", 0.45),   # SME makes a material of X
    ("produces", "in"): ("upstream", 0.6),    # SME runs a process that makes X
    ("produces", "out"): ("product_of", 0.4), # lead needs a process, SME makes what it produces
    ("related", "in"): ("related", 0.4),
    ("related", "out"): ("related", 0.4),
}
# "offer": the lead opens resource X, which SME needs can X serve? The same family links,
# instruments for the tests they run, and weak domain affinity along the chain.
OFFER_HOPS = {
    ("is_a", "in"): ("narrower", 0.85),
    ("is_a", "out"): ("broader", 0.6),
    ("equipment_for", "out"): ("used_for", 0.6),
    ("equipment_for", "in"): ("done_with", 0.6),
    ("related", "in"): ("related", 0.5),
    ("related", "out"): ("related", 0.5),
    ("part_of", "in"): ("domain", 0.3),
    ("part_of", "out"): ("domain", 0.3),
    ("input_to", "in"): ("domain", 0.3),
    ("input_to", "out"): ("domain", 0.3),
    ("produces", "in"): ("domain", 0.3),
    ("produces", "out"): ("domain", 0.3),
}
MAX_HOPS = 2
MIN_PATH_WEIGHT = 0.2
SIBLING_PENALTY = 0.5  # broader then narrower again: a sibling is a weak substitute

_STRIP = re.compile(r"[\s\-_·/]+")


def normalize_surface(text: str) -> str:
    """Key under which a surface form is looked up: NFKC, lower case, no spaces or hyphens."""
    return _STRIP.sub("", unicodedata.normalize("NFKC", text).lower())


@dataclass(frozen=True)
class Concept:
    id: str
    type: str
    en: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Link:
    """Why a lead-side concept reaches an SME-side concept: weight and the concepts on the path."""

    weight: float
    path: tuple[str, ...]
    kinds: tuple[str, ...]


def _rows(name: str) -> list[list[str]]:
    text = resources.files(DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


class KnowledgeGraph:
    """Concepts, synonyms, chain relations, industries and regions in one NetworkX graph.

    Nodes are ``"c:<concept>"``, ``"i:<GB/T 4754 code>"`` and ``"r:<region prefix>"``; edges
    carry ``rel`` (``is_a``, ``part_of``, ``input_to``, ``produces``, ``equipment_for``,
    ``related``, and ``within`` for the industry/region hierarchies).
    """

    def __init__(self) -> None:
        self.graph = nx.DiGraph()
        self.concepts: dict[str, Concept] = {}
        self.lexicon: dict[str, str] = {}
        for row in _rows("concepts.tsv"):
            cid, ctype, en = row[0], row[1], row[2]
            aliases = tuple(a for a in (row[3].split("|") if len(row) > 3 else ()) if a)
            concept = Concept(cid, ctype, en, aliases)
            self.concepts[cid] = concept
            self.graph.add_node("c:" + cid, kind="concept", type=ctype, zh=cid, en=en)
        # Canonical ids win over aliases of other concepts; first alias wins among aliases.
        for concept in self.concepts.values():
            self.lexicon[normalize_surface(concept.id)] = concept.id
        for concept in self.concepts.values():
            for surface in (*concept.aliases, concept.en):
                self.lexicon.setdefault(normalize_surface(surface), concept.id)
        for row in _rows("relations.tsv"):
            src, rel, dst = row[0], row[1], row[2]
            if src not in self.concepts or dst not in self.concepts:
                raise ValueError(f"relations.tsv names an unknown concept: {src} {rel} {dst}")
            self.graph.add_edge("c:" + src, "c:" + dst, rel=rel)
        self.concept_ids: tuple[str, ...] = tuple(self.concepts)
        self.concept_index: dict[str, int] = {c: i for i, c in enumerate(self.concept_ids)}
        self.industry_names: dict[str, tuple[str, str]] = {}
        for code, zh, en in _rows("industries.tsv"):
            self.industry_names[code] = (zh, en)
            self._add_industry(code)
        self.region_names: dict[str, tuple[str, str]] = {}
        for code, zh, en in _rows("regions.tsv"):
            self.region_names[code] = (zh, en)
            self._add_region(code)
        self.max_alias_tokens = 4
        # every proper prefix of a surface form, so that concept spotting knows when to stop extending
        self.prefixes = frozenset(key[:i] for key in self.lexicon for i in range(1, len(key)))

    # ----- hierarchies -------------------------------------------------------------------
    @staticmethod
    def industry_chain(code: str) -> tuple[str, ...]:
        """Prefixes of a GB/T 4754 code from section down: ``C3670`` → (C, C36, C367, C3670)."""
        code = code.strip().upper()
        if not code or not code[0].isalpha():
            return ()
        levels = [code[0]]
        for length in (3, 4, 5):
            if len(code) >= length and code[1:length].isdigit():
                levels.append(code[:length])
        return tuple(levels)

    def _add_industry(self, code: str) -> None:
        chain = self.industry_chain(code)
        for parent, child in zip(chain, chain[1:]):
            self.graph.add_edge("i:" + child, "i:" + parent, rel="within")
        for level in chain:
            self.graph.add_node("i:" + level, kind="industry")

    @staticmethod
    def region_chain(code: str) -> tuple[str, ...]:
        """Prefixes of a GB/T 2260 code: ``420106`` → (42, 4201, 420106)."""
        code = code.strip()
        if len(code) < 2 or not code[:2].isdigit():
            return ()
        levels = [code[:2]]
        if len(code) >= 4 and code[2:4] != "00":
            levels.append(code[:4])
            if len(code) >= 6 and code[4:6] != "00":
                levels.append(code[:6])
        return tuple(levels)

    def _add_region(self, code: str) -> None:
        chain = self.region_chain(code)
        for parent, child in zip(chain, chain[1:]):
            self.graph.add_edge("r:" + child, "r:" + parent, rel="within")
        for level in chain:
            self.graph.add_node("r:" + level, kind="region")

    def industry_label(self, code: str) -> tuple[str, str]:
        """Chinese and English name of the most specific named level of ``code``."""
        for level in reversed(self.industry_chain(code)):
            if level in self.industry_names:
                zh, en = self.industry_names[level]
                return f"{zh}（{level}）", f"{en} ({level})"
        return code, code

    def region_label(self, code: str) -> tuple[str, str]:
        for level in reversed(self.region_chain(code)):
            if level in self.region_names:
                return self.region_names[level]
        return code, code

    # ----- concept reasoning -----------------------------------------------------------
    @staticmethod
    def display(cid: str) -> str:
        """How a concept id is shown to people: ids are lower-case, acronyms read upper-case (EMC测试)."""
        return cid.upper()

    def surfaces(self, cid: str) -> tuple[str, ...]:
        concept = self.concepts[cid]
        return (concept.id, concept.en, *concept.aliases)

    def narrower(self, cid: str) -> list[str]:
        return [u[2:] for u, _, d in self.graph.in_edges("c:" + cid, data=True) if d["rel"] == "is_a"]

    def broader(self, cid: str) -> list[str]:
        return [v[2:] for _, v, d in self.graph.out_edges("c:" + cid, data=True) if d["rel"] == "is_a"]

    def _hops(self, cid: str, table: dict) -> list[tuple[str, str, float]]:
        node = "c:" + cid
        hops = []
        for _, v, d in self.graph.out_edges(node, data=True):
            if v.startswith("c:") and (d["rel"], "out") in table:
                kind, weight = table[(d["rel"], "out")]
                hops.append((v[2:], kind, weight))
        for u, _, d in self.graph.in_edges(node, data=True):
            if u.startswith("c:") and (d["rel"], "in") in table:
                kind, weight = table[(d["rel"], "in")]
                hops.append((u[2:], kind, weight))
        return hops

    def links(self, cid: str, direction: str) -> dict[str, Link]:
        """Concepts reachable from ``cid`` in ``direction`` ("supply" or "offer"), best path each."""
        return _links(self, cid, direction)


def _links(kg: KnowledgeGraph, cid: str, direction: str) -> dict[str, Link]:
    table = SUPPLY_HOPS if direction == "supply" else OFFER_HOPS
    best: dict[str, Link] = {cid: Link(1.0, (cid,), ())}
    frontier = [best[cid]]
    for _ in range(MAX_HOPS):
        next_frontier = []
        for link in frontier:
            for target, kind, weight in kg._hops(link.path[-1], table):
                if target in link.path:
                    continue
                w = link.weight * weight
                if link.kinds and link.kinds[-1] == "broader" and kind == "narrower":
                    w *= SIBLING_PENALTY
                if w < MIN_PATH_WEIGHT:
                    continue
                if target not in best or best[target].weight < w:
                    best[target] = Link(w, link.path + (target,), link.kinds + (kind,))
                    next_frontier.append(best[target])
        frontier = next_frontier
    return best


@lru_cache(maxsize=1)
def load_knowledge() -> KnowledgeGraph:
    """The shipped knowledge graph, loaded once per process."""
    return KnowledgeGraph()
