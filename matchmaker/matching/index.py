"""The match index: postings turned into sparse concept/word vectors, scored in bulk.

Why it exists: relevance between a lead posting and an SME posting is a sum over paths in the
knowledge graph — posting → concept → (synonym, narrower, upstream … link) → concept → posting —
plus shared rare words. Walking NetworkX per pair would be all-pairs and far too slow at national
scale (10^5 lead postings, 10^6 SMEs), so the posting layer of the graph is held as sparse
matrices (rows = postings, columns = concepts then words) and the concept-to-concept links as a
sparse weight matrix per matching direction. One sparse product then sums every path at once,
for one posting (incremental) or for a block of postings (full rematch); candidate generation is
sparse (only postings sharing a linked concept or word are touched), and very common features
use "champion lists" (the freshest, highest-tier postings) so a generic term cannot fan out to
everybody. :meth:`MatchIndex.to_networkx` materialises the same graph for small worlds.

Postings can be added, updated and removed one at a time: new rows go to a small delta segment
scored exactly, removed rows are masked, and :meth:`MatchIndex.compact` folds the delta into the
base. Document frequencies are kept live, so scores always equal those of a freshly built index.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

import networkx as nx
import numpy as np
from scipy import sparse

from .knowledge import KnowledgeGraph, Link, load_knowledge
from .model import CHAINS, TIER_LABELS, PostingProfile, Reason
from .rules import (CATEGORY_HUBS, COUNTERPART_POOL, LEAD_GROUPS, POOL_DIRECTION, RULES, SME_GROUPS,
                    pool_of)
from .text import char_bigrams, posting_text, spot_concepts, tokenize

TIER_VALUE = {None: 0.0, "innovative": 0.4, "specialized": 0.8, "little_giant": 1.0, "champion": 1.0}
_TIER_CODES = {None: 0, "innovative": 1, "specialized": 2, "little_giant": 3, "champion": 4}
_TIER_BY_CODE = {v: k for k, v in _TIER_CODES.items()}
_TIER_VALUES = np.array([TIER_VALUE[_TIER_BY_CODE[i]] for i in range(5)], dtype=np.float32)
_CHAIN_BIT = {c: 1 << i for i, c in enumerate(CHAINS)}
INDUSTRY_LEVELS = (1.0, 0.75, 0.5, 0.2)   # same 小类, 中类, 大类, 门类
BONUS_WINDOW = 4  # candidate pre-selection computes bonuses for at most this × its depth
REGION_LEVELS = (1.0, 0.8, 0.5)           # same district, city, province


@dataclass(frozen=True)
class MatchConfig:
    """Weights and limits of the matcher. The defaults are the measured configuration."""

    concept_weight: float = 0.75      # share of relevance from knowledge-graph concepts
    text_weight: float = 0.25         # share from shared words
    text_mode: str = "words"          # "words" (jieba + field dictionary), "bigrams", "both"
    use_concepts: bool = True
    use_graph: bool = True            # False: only identical concepts count (no synonym-of-kind/upstream links)
    hub_weight: float = 0.5           # weight of the concept a category stands for (融资 for a financing need)
    industry_weight: float = 0.06
    region_weight: float = 0.04
    tier_weight: float = 0.10         # when the lead posting asks for 专精特新 suppliers
    fresh_weight: float = 0.03
    reciprocal_bonus: float = 0.05
    half_life_days: float = 90.0
    min_relevance: float = 0.04       # compatibility × relevance below this is no candidate
    generation_budget: int = 10000    # postings one query may touch through full posting lists
    champion_list: int = 1000         # beyond the budget, a feature reaches only its best postings
    champion_features: int = 8        # ... and only the query's strongest such features do
    delta_limit: int = 4000           # delta rows before add/update folds them into the base


@dataclass(frozen=True)
class ScoredPair:
    """A scored candidate pairing (before caps): what :class:`Suggestion` is made from."""

    lead_posting_id: int
    sme_posting_id: int
    lead_enterprise_id: int
    sme_enterprise_id: int
    chain: str
    score: float
    relevance: float


@dataclass
class Compiled:
    """A posting reduced to what scoring needs."""

    id: int
    enterprise_id: int
    side: str
    pool: str | None
    group: int
    concepts: dict[int, float]
    words: dict[str, float]
    mentioned: Counter
    industry: tuple[int, int, int, int]
    region: tuple[int, int, int]
    tier: int
    wants: bool
    fresh: float
    chainmask: int


@lru_cache(maxsize=65536)
def _industry_keys(code: str | None) -> tuple[int, int, int, int]:
    """Integer keys of the levels of a GB/T 4754 code (-1 where absent), for vectorised proximity."""
    keys = [-1, -1, -1, -1]
    for level, prefix in enumerate(KnowledgeGraph.industry_chain(code or "")):
        keys[level] = (ord(prefix[0]) * 10000 + int(prefix[1:].ljust(4, "0"))) * 10 + level
    return tuple(keys)


def _industry_code(key: int) -> str:
    level, rest = key % 10, key // 10
    return chr(rest // 10000) + str(rest % 10000).zfill(4)[:level + (1 if level else 0)]


@lru_cache(maxsize=65536)
def _region_keys(code: str | None) -> tuple[int, int, int]:
    keys = [-1, -1, -1]
    if code:
        for level, prefix in enumerate(KnowledgeGraph.region_chain(code)):
            keys[level] = int(prefix) * 10 + level
    return tuple(keys)


def _sublinear(counts: Counter) -> dict:
    return {key: 1.0 + math.log(n) for key, n in counts.items() if n > 0}


def _normalized(weights: dict) -> dict:
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {k: w / norm for k, w in weights.items()} if norm > 0 else {}


def freshness(published_at: datetime | None, now: datetime, half_life_days: float) -> float:
    """1.0 for a posting published now, halving every ``half_life_days``; 0.5 when unknown."""
    if published_at is None:
        return 0.5
    if published_at.tzinfo is None:
        published_at = published_at.replace(tzinfo=timezone.utc)
    age = (now - published_at).total_seconds() / 86400.0
    return 1.0 if age <= 0 else float(0.5 ** (age / half_life_days))


class _Segment:
    """Rows of one pool: a feature matrix plus aligned metadata arrays."""

    def __init__(self, records: list[Compiled], index: "MatchIndex", lead_side: bool):
        n = len(records)
        self.ids = np.fromiter((r.id for r in records), dtype=np.int64, count=n)
        self.ent = np.fromiter((r.enterprise_id for r in records), dtype=np.int64, count=n)
        self.group = np.fromiter((r.group for r in records), dtype=np.int16, count=n)
        self.industry = np.array([r.industry for r in records], dtype=np.int64).reshape(n, 4)
        self.region = np.array([r.region for r in records], dtype=np.int64).reshape(n, 3)
        self.tier = np.fromiter((r.tier for r in records), dtype=np.int8, count=n)
        self.wants = np.fromiter((r.wants for r in records), dtype=bool, count=n)
        self.fresh = np.fromiter((r.fresh for r in records), dtype=np.float32, count=n)
        self.chainmask = np.fromiter((r.chainmask for r in records), dtype=np.int16, count=n)
        self.alive = np.ones(n, dtype=bool)
        self.row_of = {int(pid): i for i, pid in enumerate(self.ids)}
        # typed arrays, not lists: a million postings' entries would cost gigabytes as Python objects
        indptr = array("q", [0])
        cols = array("i")
        vals = array("f")
        cw, tw = index.config.concept_weight, index.config.text_weight
        for r in records:
            for c, w in r.concepts.items():
                cols.append(c)
                vals.append(w * cw if lead_side else w)
            for word, w in r.words.items():
                cols.append(index._word_column(word))
                vals.append(w * tw if lead_side else w)
            indptr.append(len(cols))
        self.width = index.n_features
        self.csr = sparse.csr_matrix((np.frombuffer(vals, dtype=np.float32).copy(),
                                      np.frombuffer(cols, dtype=np.int32).copy(),
                                      np.frombuffer(indptr, dtype=np.int64).copy()), shape=(n, self.width))
        self.csc = self.csr.tocsc()
        self.lengths = np.diff(self.csc.indptr)
        self.champ = self._champion_lists(index.config.champion_list)

    def _champion_lists(self, cap: int):
        """The CSC matrix with each column cut to the ``cap`` postings of highest prior."""
        lengths = self.lengths
        long_cols = np.flatnonzero(lengths > cap)
        if len(long_cols) == 0:
            return self.csc
        prior = self.fresh + _TIER_VALUES[self.tier] * 0.25
        keep = np.ones(self.csc.nnz, dtype=bool)
        for col in long_cols:
            start, end = self.csc.indptr[col], self.csc.indptr[col + 1]
            rows = self.csc.indices[start:end]
            order = np.argsort(-prior[rows], kind="stable")
            keep[start + order[cap:]] = False
        kept_before = np.concatenate([[0], np.cumsum(keep, dtype=np.int64)])
        indptr = kept_before[self.csc.indptr]
        return sparse.csc_matrix((self.csc.data[keep], self.csc.indices[keep], indptr), shape=self.csc.shape)

    def split_generation(self, cols: np.ndarray, values: np.ndarray, budget: int,
                         champions: int) -> tuple[np.ndarray, np.ndarray]:
        """Query features that use full posting lists (most specific first, within ``budget``)
        and those that use champion lists (the ``champions`` strongest of the others)."""
        lengths = self.lengths[cols]
        order = np.argsort(lengths, kind="stable")
        within = np.cumsum(lengths[order]) <= budget
        full = np.zeros(len(cols), dtype=bool)
        full[order[within]] = True
        rest = np.flatnonzero(~full)
        rest = rest[np.argsort(-values[rest], kind="stable")[:champions]]
        return cols[full], np.sort(cols[rest])

    def __len__(self) -> int:
        return len(self.ids)


class MatchIndex:
    """All published postings, ready for candidate queries and full rematches.

    ``MatchIndex(postings, now=None, config=None, kg=None)`` builds it; :meth:`add`,
    :meth:`update`, :meth:`upsert` and :meth:`remove` maintain it one posting at a time;
    :meth:`candidates` scores one posting against the other side; :func:`suggest_for`,
    :func:`match_all` and :func:`explain_no_suggestions` (module ``engine``) build on it.
    The index keeps no reference to the ``PostingProfile`` objects it is given.
    """

    def __init__(self, postings=(), *, now: datetime | None = None, config: MatchConfig | None = None,
                 kg: KnowledgeGraph | None = None, progress=None):
        self.kg = kg or load_knowledge()
        self.config = config or MatchConfig()
        self.now = now or datetime.now(timezone.utc)
        if self.now.tzinfo is None:
            self.now = self.now.replace(tzinfo=timezone.utc)
        self.n_concepts = len(self.kg.concept_ids)
        self._words: dict[str, int] = {}
        self._word_list: list[str] = []
        self.df = np.zeros(self.n_concepts, dtype=np.float64)
        self._idf_cache: np.ndarray | None = None
        self.n_postings = 0
        self._base: dict[str, _Segment] = {}
        self._delta: dict[str, dict[int, Compiled]] = {p: {} for p in COUNTERPART_POOL}
        self._delta_seg: dict[str, _Segment | None] = {p: None for p in COUNTERPART_POOL}
        self._where: dict[int, tuple[str, bool]] = {}   # posting id -> (pool, in base?)
        self._owner: dict[int, int] = {}                # posting id -> enterprise id
        self._invalid: set[int] = set()                 # postings with no pool (unknown kind/category)
        self._by_enterprise: dict[int, set[int]] = defaultdict(set)
        self._weights = {d: self._link_matrix(d) for d in ("supply", "offer")}
        self._lead_groups = {g: i for i, g in enumerate(LEAD_GROUPS)}
        self._sme_groups = {g: i for i, g in enumerate(SME_GROUPS)}
        self._compat = np.zeros((len(LEAD_GROUPS), len(SME_GROUPS)), dtype=np.float32)
        self._chain_options: dict[tuple[int, int], tuple[str, ...]] = {}
        for (lk, lc, sk, sc), (w, chains) in RULES.items():
            key = (self._lead_groups[(lk, lc)], self._sme_groups[(sk, sc)])
            self._compat[key] = w
            self._chain_options[key] = chains
        records: dict[str, list[Compiled]] = {p: [] for p in COUNTERPART_POOL}
        seen: dict[int, Compiled] = {}
        total = None
        if progress is not None and hasattr(postings, "__len__"):
            total = len(postings)
        for i, posting in enumerate(postings):
            seen[posting.id] = self.compile(posting)
            if progress is not None and i % 50000 == 0:
                progress("compile", i, total or 0)
        for rec in seen.values():
            if rec.pool is not None:
                self._count(rec, +1)
            self._by_enterprise[rec.enterprise_id].add(rec.id)
            self._owner[rec.id] = rec.enterprise_id
            if rec.pool is None:
                self._invalid.add(rec.id)
            else:
                records[rec.pool].append(rec)
                self._where[rec.id] = (rec.pool, True)
        for pool, recs in records.items():
            self._base[pool] = _Segment(recs, self, lead_side=pool.startswith("lead"))

    # ----- compilation -----------------------------------------------------------------
    def compile(self, posting: PostingProfile) -> Compiled:
        """Turn a posting into concept and word weights (no change to the index)."""
        tokens = posting.tokens
        if tokens is None:
            tokens = tokenize(posting_text(posting.title, posting.description, posting.tags))
        mentioned, rest = spot_concepts(tuple(tokens), self.kg)
        pool = pool_of(posting.side, posting.kind, posting.category)
        cfg = self.config
        concept_weights = _sublinear(mentioned) if cfg.use_concepts else {}
        if cfg.use_concepts:
            for hub in CATEGORY_HUBS.get((posting.side, posting.kind, posting.category), ()):
                concept_weights.setdefault(hub, cfg.hub_weight)
        concepts = {self.kg.concept_index[c]: w for c, w in _normalized(concept_weights).items()}
        if cfg.text_mode == "words":
            terms = Counter(rest)
        elif cfg.text_mode == "bigrams":
            terms = Counter(char_bigrams(tuple(tokens)))
        elif cfg.text_mode == "both":
            terms = Counter(rest) + Counter(char_bigrams(tuple(tokens)))
        else:
            raise ValueError(f"unknown text_mode {cfg.text_mode!r}")
        words = _normalized(_sublinear(terms))
        groups = self._lead_groups if posting.side == "lead" else self._sme_groups
        chainmask = 0
        for chain in posting.chains or ():
            chainmask |= _CHAIN_BIT.get(chain, 0)
        return Compiled(
            id=posting.id, enterprise_id=posting.enterprise_id, side=posting.side, pool=pool,
            group=groups.get((posting.kind, posting.category), -1), concepts=concepts, words=words,
            mentioned=mentioned, industry=_industry_keys(posting.industry), region=_region_keys(posting.region),
            tier=_TIER_CODES.get(posting.tier, 0) if posting.side == "sme" else 0,
            wants=bool(posting.wants_specialized), fresh=self._fresh(posting.published_at), chainmask=chainmask)

    def _fresh(self, published_at: datetime | None) -> float:
        return freshness(published_at, self.now, self.config.half_life_days)

    def _word_column(self, word: str) -> int:
        col = self._words.get(word)
        if col is None:
            col = self.n_concepts + len(self._word_list)
            self._words[word] = col
            self._word_list.append(word)
        return col

    @property
    def n_features(self) -> int:
        return self.n_concepts + len(self._word_list)

    def _count(self, rec: Compiled, sign: int) -> None:
        cols = list(rec.concepts) + [self._word_column(w) for w in rec.words]
        if len(self.df) < self.n_features:
            self.df = np.concatenate([self.df, np.zeros(self.n_features - len(self.df) + 1024)])
        if cols:
            self.df[np.asarray(cols)] += sign
        self.n_postings += sign
        self._idf_cache = None

    def idf(self, width: int) -> np.ndarray:
        """Inverse document frequency of the first ``width`` features, in (0, 1], kept live.

        Recomputed only after the document frequencies changed, so scores always equal those
        of an index built afresh from the same postings.
        """
        if self._idf_cache is None or len(self._idf_cache) < width:
            n = max(self.n_postings, 1)
            df = np.maximum(self.df[: max(width, self.n_features)], 1.0)
            self._idf_cache = (np.log1p(n / df) / math.log1p(n)).astype(np.float32)
        return self._idf_cache[:width]

    def _idf_list(self) -> list[float]:
        """The idf vector as Python floats (fast scalar access when explaining pairs)."""
        self.idf(self.n_features)
        if getattr(self, "_idf_list_for", None) is not self._idf_cache:
            self._idf_list_for = self._idf_cache
            self._idf_as_list = self._idf_cache.tolist()
        return self._idf_as_list

    def _link_matrix(self, direction: str):
        """Concept × concept weights for ``direction``, and the graph path behind each entry."""
        rows, cols, vals = [], [], []
        paths: dict[tuple[int, int], Link] = {}
        for cid in self.kg.concept_ids:
            i = self.kg.concept_index[cid]
            links = self.kg.links(cid, direction) if self.config.use_graph else {cid: Link(1.0, (cid,), ())}
            for target, link in links.items():
                j = self.kg.concept_index[target]
                rows.append(i)
                cols.append(j)
                vals.append(link.weight)
                paths[(i, j)] = link
        n = self.n_concepts
        matrix = sparse.csr_matrix((np.asarray(vals, dtype=np.float32), (rows, cols)), shape=(n, n))
        return matrix, matrix.T.tocsr(), paths

    # ----- maintenance -------------------------------------------------------------------
    def __len__(self) -> int:
        """Number of indexed postings that can match (unknown kind/category not counted)."""
        return self.n_postings

    def __contains__(self, posting_id: int) -> bool:
        return posting_id in self._where or posting_id in self._invalid

    def posting_ids(self, enterprise_id: int) -> frozenset[int]:
        return frozenset(self._by_enterprise.get(enterprise_id, ()))

    def add(self, posting: PostingProfile) -> None:
        """Add a new posting (an id already present is replaced, as :meth:`update`)."""
        self.upsert(posting)

    def update(self, posting: PostingProfile) -> None:
        """Replace the stored version of ``posting`` (added if absent)."""
        self.upsert(posting)

    def upsert(self, posting: PostingProfile) -> None:
        self.remove(posting.id)
        rec = self.compile(posting)
        if rec.pool is not None:
            self._count(rec, +1)
        self._by_enterprise[rec.enterprise_id].add(rec.id)
        self._owner[rec.id] = rec.enterprise_id
        if rec.pool is None:
            self._invalid.add(rec.id)
            return
        self._delta[rec.pool][rec.id] = rec
        self._delta_seg[rec.pool] = None
        self._where[rec.id] = (rec.pool, False)
        if sum(len(d) for d in self._delta.values()) > self.config.delta_limit:
            self.compact()

    def remove(self, posting_id: int) -> bool:
        """Remove a posting; returns False when it was not in the index."""
        if posting_id in self._invalid:
            self._invalid.discard(posting_id)
            self._forget_enterprise(posting_id)
            return True
        where = self._where.pop(posting_id, None)
        if where is None:
            return False
        pool, in_base = where
        if in_base:
            seg = self._base[pool]
            row = seg.row_of[posting_id]
            seg.alive[row] = False
            cols = seg.csr.indices[seg.csr.indptr[row]:seg.csr.indptr[row + 1]]
            self.df[cols] -= 1
            self.n_postings -= 1
            self._idf_cache = None
        else:
            rec = self._delta[pool].pop(posting_id)
            self._delta_seg[pool] = None
            self._count(rec, -1)
        self._forget_enterprise(posting_id)
        return True

    def _forget_enterprise(self, posting_id: int) -> None:
        ent = self._owner.pop(posting_id, None)
        ids = self._by_enterprise.get(ent)
        if ids is not None:
            ids.discard(posting_id)
            if not ids:
                del self._by_enterprise[ent]

    def compact(self) -> None:
        """Fold the delta segments into the base (rebuilds the pools that changed)."""
        for pool in COUNTERPART_POOL:
            delta = self._delta[pool]
            base = self._base[pool]
            if not delta and base.alive.all():
                continue
            records = [self._record_from_row(base, row, pool) for row in np.flatnonzero(base.alive)]
            records.extend(delta.values())
            self._base[pool] = _Segment(records, self, lead_side=pool.startswith("lead"))
            for rec in records:
                self._where[rec.id] = (pool, True)
            self._delta[pool] = {}
            self._delta_seg[pool] = None

    def _record_from_row(self, seg: _Segment, row: int, pool: str) -> Compiled:
        start, end = seg.csr.indptr[row], seg.csr.indptr[row + 1]
        lead_side = pool.startswith("lead")
        cw = self.config.concept_weight if lead_side else 1.0
        tw = self.config.text_weight if lead_side else 1.0
        concepts, words = {}, {}
        for col, val in zip(seg.csr.indices[start:end], seg.csr.data[start:end]):
            if col < self.n_concepts:
                concepts[int(col)] = float(val) / cw
            else:
                words[self._word_list[col - self.n_concepts]] = float(val) / tw
        return Compiled(
            id=int(seg.ids[row]), enterprise_id=int(seg.ent[row]), side="lead" if lead_side else "sme", pool=pool,
            group=int(seg.group[row]), concepts=concepts, words=words, mentioned=Counter(),
            industry=tuple(int(x) for x in seg.industry[row]), region=tuple(int(x) for x in seg.region[row]),
            tier=int(seg.tier[row]), wants=bool(seg.wants[row]), fresh=float(seg.fresh[row]),
            chainmask=int(seg.chainmask[row]))

    def _segments(self, pool: str) -> list[_Segment]:
        segs = [self._base[pool]]
        if self._delta[pool]:
            if self._delta_seg[pool] is None:
                self._delta_seg[pool] = _Segment(list(self._delta[pool].values()), self,
                                                 lead_side=pool.startswith("lead"))
            segs.append(self._delta_seg[pool])
        return segs

    def locate(self, posting_id: int) -> tuple[_Segment, int] | None:
        where = self._where.get(posting_id)
        if where is None:
            return None
        pool, in_base = where
        seg = self._base[pool] if in_base else self._segments(pool)[-1]
        return seg, seg.row_of[posting_id]

    # ----- scoring -----------------------------------------------------------------------
    def _query_vector(self, rec: Compiled, width: int) -> np.ndarray:
        """Dense vector q with score(row) = segment_row · q, for the counterpart pool of ``rec``."""
        direction = POOL_DIRECTION[rec.pool]
        link, link_t, _ = self._weights[direction]
        idf = self.idf(max(width, self.n_features))
        q = np.zeros(max(width, self.n_features), dtype=np.float32)
        lead_side = rec.side == "lead"
        cw, tw = self.config.concept_weight, self.config.text_weight
        if rec.concepts:
            cvec = np.zeros(self.n_concepts, dtype=np.float32)
            for c, w in rec.concepts.items():
                cvec[c] = w
            if lead_side:
                q[: self.n_concepts] = (link_t @ (cvec * cw)) * idf[: self.n_concepts]
            else:
                q[: self.n_concepts] = link @ (cvec * idf[: self.n_concepts])
        for word, w in rec.words.items():
            col = self._words.get(word)
            if col is not None:
                q[col] = w * idf[col] * (tw if lead_side else 1.0)
        return q[:width]

    def _bonus_rows(self, rec: Compiled, seg: _Segment, rows: np.ndarray) -> np.ndarray:
        """Industry, region, tier and freshness part of the score of ``rec`` against ``rows``."""
        cfg = self.config
        ind = _proximity(np.asarray(rec.industry)[None, :], seg.industry[rows], INDUSTRY_LEVELS)
        reg = _proximity(np.asarray(rec.region)[None, :], seg.region[rows], REGION_LEVELS)
        if rec.side == "lead":
            tier = _TIER_VALUES[seg.tier[rows]] * rec.wants
        else:
            tier = seg.wants[rows] * _TIER_VALUES[rec.tier]
        fresh = (rec.fresh + seg.fresh[rows]) / 2.0
        return (cfg.industry_weight * ind + cfg.region_weight * reg + cfg.tier_weight * tier
                + cfg.fresh_weight * fresh)

    def _score_rows(self, rec: Compiled, seg: _Segment, rows: np.ndarray, rel: np.ndarray) -> tuple:
        """Final scores and chain indices of ``rec`` against ``rows`` of ``seg`` given relevance."""
        lead_side = rec.side == "lead"
        if lead_side:
            compat = self._compat[rec.group, seg.group[rows]]
            lead_group = np.full(len(rows), rec.group)
            sme_group = seg.group[rows]
        else:
            compat = self._compat[seg.group[rows], rec.group]
            lead_group = seg.group[rows]
            sme_group = np.full(len(rows), rec.group)
        base = compat * np.minimum(rel, 1.0)
        score = base + self._bonus_rows(rec, seg, rows)
        chains = self._chains(lead_group, sme_group, seg.chainmask[rows] | rec.chainmask)
        return score, base, chains

    def _chains(self, lead_group: np.ndarray, sme_group: np.ndarray, mask: np.ndarray) -> np.ndarray:
        out = np.empty(len(lead_group), dtype=np.int8)
        for i, (lg, sg, m) in enumerate(zip(lead_group.tolist(), sme_group.tolist(), mask.tolist())):
            options = self._chain_options.get((lg, sg))
            if not options:
                out[i] = -1
                continue
            chosen = options[0]
            for chain in options:
                if m & _CHAIN_BIT[chain]:
                    chosen = chain
                    break
            out[i] = CHAINS.index(chosen)
        return out

    def candidates(self, posting: PostingProfile | Compiled, *, limit: int = 50,
                   exhaustive: bool = False) -> list[ScoredPair]:
        """The best ``limit`` counterpart postings for ``posting``, scored, before any caps.

        ``posting`` need not be in the index; if it is, its own row is never returned.
        ``exhaustive=True`` scores every counterpart posting instead of generating candidates
        (slow; it measures what the generation budget costs in recall).
        """
        rec = posting if isinstance(posting, Compiled) else self.compile(posting)
        if rec.pool is None or not (rec.concepts or rec.words):
            return []
        target = COUNTERPART_POOL[rec.pool]
        found: list[tuple[float, float, int, _Segment, int]] = []
        for seg in self._segments(target):
            if len(seg) == 0:
                continue
            q = self._query_vector(rec, seg.width)
            nz = np.flatnonzero(q)
            if len(nz) == 0:
                continue
            if exhaustive:
                full, rest = nz, nz[:0]
                approx = np.asarray(seg.csr @ q).ravel()
            else:
                full, rest = seg.split_generation(nz, q[nz], self.config.generation_budget,
                                                  self.config.champion_features)
                approx = np.asarray(seg.csc[:, full] @ q[full]).ravel()
                if len(rest):
                    approx += np.asarray(seg.champ[:, rest] @ q[rest]).ravel()
            rows = np.flatnonzero(approx > 0)
            rows = rows[seg.alive[rows]]
            if len(rows) == 0:
                continue
            compat = (self._compat[rec.group, seg.group[rows]] if rec.side == "lead"
                      else self._compat[seg.group[rows], rec.group])
            keep = compat * np.minimum(approx[rows], 1.0) >= self.config.min_relevance * 0.5
            rows = rows[keep]
            pre = (compat[keep] * np.minimum(approx[rows], 1.0))
            depth = 4 * limit
            if len(rows) > depth and not exhaustive:
                # within reach of the top once the bonuses are added, then the best by score
                cfg = self.config
                max_bonus = cfg.industry_weight + cfg.region_weight + cfg.tier_weight + cfg.fresh_weight
                kth = np.partition(pre, len(pre) - depth)[len(pre) - depth]
                near = np.flatnonzero(pre >= kth - max_bonus)
                if len(near) > BONUS_WINDOW * depth:
                    near = near[np.argpartition(-pre[near], BONUS_WINDOW * depth)[:BONUS_WINDOW * depth]]
                rows, pre = rows[near], pre[near]
                with_bonus = pre + self._bonus_rows(rec, seg, rows)
                top = np.lexsort((np.arange(len(rows)), -with_bonus))[:depth]
                rows = rows[np.sort(top)]
            rel = np.asarray(seg.csr[rows] @ q).ravel() if len(full) < len(nz) else approx[rows]
            score, base, chains = self._score_rows(rec, seg, rows, rel)
            ok = (base >= self.config.min_relevance) & (chains >= 0) & (seg.ids[rows] != rec.id)
            for r, s, b, ch in zip(rows[ok].tolist(), score[ok].tolist(), base[ok].tolist(), chains[ok].tolist()):
                found.append((s, b, ch, seg, r))
        found.sort(key=lambda t: (-t[0], int(t[3].ids[t[4]])))
        out = []
        for s, b, ch, seg, r in found[:limit]:
            if rec.side == "lead":
                lp, le, sp, se = rec.id, rec.enterprise_id, int(seg.ids[r]), int(seg.ent[r])
            else:
                lp, le, sp, se = int(seg.ids[r]), int(seg.ent[r]), rec.id, rec.enterprise_id
            out.append(ScoredPair(lp, sp, le, se, CHAINS[ch], round(s, 6), round(b, 6)))
        return out

    def link_rows(self, direction: str) -> list[dict[int, float]]:
        """Per lead-side concept, the SME-side concepts it reaches in ``direction`` and their weight."""
        cache = self.__dict__.setdefault("_link_rows", {})
        if direction not in cache:
            matrix = self._weights[direction][0]
            cache[direction] = [dict(zip(matrix.indices[matrix.indptr[i]:matrix.indptr[i + 1]].tolist(),
                                         matrix.data[matrix.indptr[i]:matrix.indptr[i + 1]].tolist()))
                                for i in range(self.n_concepts)]
        return cache[direction]

    def pair_relevance(self, lead_id: int, sme_id: int) -> float:
        """compatibility × relevance of two indexed postings; 0 when they cannot answer each other."""
        lead_loc, sme_loc = self.locate(lead_id), self.locate(sme_id)
        if lead_loc is None or sme_loc is None:
            return 0.0
        lseg, lrow = lead_loc
        sseg, srow = sme_loc
        lg = int(lseg.group[lrow])
        compat = float(self._compat[lg, sseg.group[srow]])
        if compat <= 0:
            return 0.0
        rows = self.link_rows("offer" if LEAD_GROUPS[lg][0] == "resource" else "supply")
        idf = self._idf_list()
        svec = _row_dict(sseg, srow)
        rel = 0.0
        for c, lw in _row_dict(lseg, lrow).items():
            if c < self.n_concepts:
                for e, w in rows[c].items():
                    sw = svec.get(e)
                    if sw is not None:
                        rel += lw * w * idf[e] * sw
            elif c in svec:
                rel += lw * idf[c] * svec[c]
        return compat * min(rel, 1.0)

    # ----- reasons -----------------------------------------------------------------------
    def explain_pair(self, lead_id: int, sme_id: int, *, reciprocal: bool = False) -> tuple[Reason, ...]:
        """The signals behind the score of an indexed (lead, SME) pair, strongest first."""
        lead_loc, sme_loc = self.locate(lead_id), self.locate(sme_id)
        if lead_loc is None or sme_loc is None:
            return ()
        lseg, lrow = lead_loc
        sseg, srow = sme_loc
        lg, sg = int(lseg.group[lrow]), int(sseg.group[srow])
        compat = float(self._compat[lg, sg])
        if compat <= 0:
            return ()
        cfg = self.config
        direction = "supply" if lg < len(LEAD_GROUPS) and LEAD_GROUPS[lg][0] != "resource" else "offer"
        _, _, paths = self._weights[direction]
        idf = self._idf_list()
        lvec = _row_dict(lseg, lrow)
        svec = _row_dict(sseg, srow)
        n_c = self.n_concepts
        s_concepts = [(e, sw) for e, sw in svec.items() if e < n_c]
        reasons: list[Reason] = []
        contributions = []
        shared_words = []
        for c, lw in lvec.items():
            if c < n_c:
                for e, sw in s_concepts:
                    link = paths.get((c, e))
                    if link is not None:
                        contributions.append((lw * link.weight * idf[e] * sw, link))
            elif c in svec:
                shared_words.append((lw * idf[c] * svec[c], self._word_list[c - n_c]))
        total_rel = sum(v for v, _ in contributions) + sum(v for v, _ in shared_words)
        scale = compat * (min(total_rel, 1.0) / total_rel) if total_rel > 0 else 0.0
        lk, lc = LEAD_GROUPS[lg]
        sk, sc = SME_GROUPS[sg]
        reasons.append(_direction_reason(lk, lc, sk, sc, compat))
        by_target: dict[str, list] = {}
        for value, link in contributions:
            entry = by_target.setdefault(link.path[-1], [0.0, link])
            entry[0] += value
            if link.weight > entry[1].weight:
                entry[1] = link
        ranked = sorted(by_target.values(), key=lambda e: -e[0])
        for value, link in ranked[:3]:
            reasons.append(self._concept_reason(link, value * scale))
        rest = sum(value for value, _ in ranked[3:]) * scale
        if rest > 0:
            names = "、".join(self.kg.display(link.path[-1]) for _, link in ranked[3:6])
            names_en = ", ".join(self.kg.concepts[link.path[-1]].en for _, link in ranked[3:6])
            reasons.append(Reason("concept", f"其他相关概念：{names}", f"Other related concepts: {names_en}",
                                  round(rest, 4)))
        if shared_words:
            words = [w for _, w in sorted(shared_words, key=lambda t: -t[0])[:5]]
            weight = sum(v for v, _ in shared_words) * scale
            reasons.append(Reason("keywords", "共同关键词：" + "、".join(words), "Shared keywords: " + ", ".join(words),
                                  round(weight, 4)))
        ind = _pair_proximity(lseg.industry[lrow].tolist(), sseg.industry[srow].tolist(), INDUSTRY_LEVELS)
        if ind > 0:
            reasons.append(self._industry_reason(lseg.industry[lrow], sseg.industry[srow], ind * cfg.industry_weight))
        reg = _pair_proximity(lseg.region[lrow].tolist(), sseg.region[srow].tolist(), REGION_LEVELS)
        if reg > 0:
            reasons.append(self._region_reason(lseg.region[lrow], sseg.region[srow], reg * cfg.region_weight))
        if lseg.wants[lrow] and sseg.tier[srow] > 0:
            tier = _TIER_BY_CODE[int(sseg.tier[srow])]
            zh, en = TIER_LABELS[tier]
            reasons.append(Reason("tier", f"对方为{zh}，符合贵方对专精特新配套企业的要求",
                                  f"The SME is {en}, as the lead posting asks for 专精特新 suppliers",
                                  round(float(_TIER_VALUES[sseg.tier[srow]]) * cfg.tier_weight, 4)))
        fresh = (float(lseg.fresh[lrow]) + float(sseg.fresh[srow])) / 2
        if fresh >= 0.7:
            reasons.append(Reason("fresh", "双方发布均较新", "Both postings are recent", round(fresh * cfg.fresh_weight, 4)))
        else:
            reasons.append(Reason("fresh", "发布时间较早，时效加分较少", "Older postings: a smaller recency bonus",
                                  round(fresh * cfg.fresh_weight, 4)))
        if reciprocal:
            reasons.append(Reason("reciprocal", "双方互有供需：对方也有与贵方发布相匹配的需求或资源",
                                  "Reciprocal: each enterprise has a posting the other can answer",
                                  cfg.reciprocal_bonus))
        head, rest = reasons[0], reasons[1:]
        rest.sort(key=lambda r: -r.weight)
        return (head, *rest)

    def _concept_reason(self, link: Link, weight: float) -> Reason:
        cache = self.__dict__.setdefault("_reason_texts", {})
        key = (link.path, link.kinds)
        texts = cache.get(key)
        if texts is None:
            texts = cache[key] = self._concept_texts(link)
        return Reason(texts[0], texts[1], texts[2], round(weight, 4))

    def _concept_texts(self, link: Link) -> tuple[str, str, str]:
        zh_path = " — ".join(self.kg.display(c) for c in link.path)
        en_path = " — ".join(self.kg.concepts[c].en for c in link.path)
        if len(link.path) == 1:
            c = link.path[0]
            return "concept", f"双方都涉及「{self.kg.display(c)}」", f"Both concern {self.kg.concepts[c].en}"
        kinds_zh = {"narrower": "细分", "broader": "上位", "upstream": "上游", "product_of": "工艺产出",
                    "related": "相关", "used_for": "用于", "done_with": "借助", "domain": "同一链条"}
        kinds_en = {"narrower": "a kind of", "broader": "broader than", "upstream": "upstream of",
                    "product_of": "made by", "related": "related to", "used_for": "used for",
                    "done_with": "done with", "domain": "on the same chain as"}
        relation_zh = "、".join(kinds_zh.get(k, k) for k in link.kinds)
        relation_en = ", then ".join(kinds_en.get(k, k) for k in link.kinds)
        return "concept_path", f"概念关联（{relation_zh}）：{zh_path}", f"Concept link ({relation_en}): {en_path}"

    def _industry_reason(self, a: np.ndarray, b: np.ndarray, weight: float) -> Reason:
        level = max(i for i in range(4) if a[i] >= 0 and a[i] == b[i])
        cache = self.__dict__.setdefault("_industry_texts", {})
        key = int(a[level])
        if key not in cache:
            code = _industry_code(key)
            zh, en = self.kg.industry_label(code)
            words_zh = ("同属门类", "同属大类", "同属中类", "同属小类")[level]
            words_en = ("same section", "same division", "same group", "same class")[level]
            cache[key] = (f"行业相近：{words_zh} {code}，{zh}", f"Close industries: {words_en} {code}, {en}")
        zh_text, en_text = cache[key]
        return Reason("industry", zh_text, en_text, round(weight, 4))

    def _region_reason(self, a: np.ndarray, b: np.ndarray, weight: float) -> Reason:
        level = max(i for i in range(3) if a[i] >= 0 and a[i] == b[i])
        code = str(int(a[level]) // 10).zfill(2 * (level + 1))
        zh, en = self.kg.region_label(code)
        where_zh = ("同省", "同城", "同一区县")[level]
        where_en = ("same province", "same city", "same district")[level]
        return Reason("region", f"地理相近（{where_zh}）：{zh}", f"Nearby ({where_en}): {en}", round(weight, 4))

    # ----- graph view --------------------------------------------------------------------
    def to_networkx(self) -> nx.MultiDiGraph:
        """The whole graph — enterprises, postings, concepts, industries, regions — as NetworkX.

        Meant for small worlds (inspection, tests): posting → concept edges carry the posting's
        concept weight, concept → concept edges the knowledge-graph relations.
        """
        g = nx.MultiDiGraph()
        g.add_nodes_from(self.kg.graph.nodes(data=True))
        g.add_edges_from(self.kg.graph.edges(data=True))
        for pool in COUNTERPART_POOL:
            for seg in self._segments(pool):
                for row in np.flatnonzero(seg.alive):
                    pid, ent = int(seg.ids[row]), int(seg.ent[row])
                    g.add_node(f"p:{pid}", kind="posting", pool=pool)
                    g.add_node(f"e:{ent}", kind="enterprise")
                    g.add_edge(f"e:{ent}", f"p:{pid}", rel="posts")
                    for col, val in _row_dict(seg, row).items():
                        if col < self.n_concepts:
                            g.add_edge(f"p:{pid}", "c:" + self.kg.concept_ids[col], rel="mentions", weight=val)
                    for level in seg.industry[row]:
                        if level >= 0:
                            g.add_edge(f"e:{ent}", "i:" + _industry_code(int(level)), rel="in_industry")
                            break
        return g


def _row_dict(seg: _Segment, row: int) -> dict[int, float]:
    start, end = seg.csr.indptr[row], seg.csr.indptr[row + 1]
    return dict(zip(seg.csr.indices[start:end].tolist(), seg.csr.data[start:end].tolist()))


def _pair_proximity(a: list[int], b: list[int], levels: tuple[float, ...]) -> float:
    depth = len(a)
    best = 0.0
    for level in range(depth):
        if a[level] >= 0 and a[level] == b[level]:
            best = levels[depth - 1 - level]
    return best


def _proximity(a: np.ndarray, b: np.ndarray, levels: tuple[float, ...]) -> np.ndarray:
    """Proximity by the deepest shared hierarchy level; columns of a/b go from broad to narrow."""
    out = np.zeros(np.broadcast_shapes(a.shape, b.shape)[0], dtype=np.float32)
    depth = a.shape[1]
    for level in range(depth):   # broad first, narrower levels overwrite
        same = (a[:, level] == b[:, level]) & (b[:, level] >= 0) & (a[:, level] >= 0)
        out = np.where(same, levels[depth - 1 - level], out)
    return out


_KIND_ZH = {"need": "配套需求", "challenge": "技术攻关榜单", "resource": "开放资源", "capability": "能力", "need_sme": "需求"}
_CAT_ZH = {"brand": "品牌", "rnd": "设计研发", "equipment": "仪器设备", "test_site": "试验场地", "data": "数据与数字化",
           "fund": "资金", "component": "零部件", "material": "材料", "process": "工艺加工", "software": "软件",
           "service": "服务", "technology": "技术", "product": "产品", "testing": "检测认证", "financing": "融资",
           "digital": "数字化转型", "market": "市场拓展", "talent": "人才"}
_CAT_EN = {"brand": "brand", "rnd": "design and R&D", "equipment": "instruments and equipment",
           "test_site": "test site", "data": "data and digital platform", "fund": "funds", "component": "components",
           "material": "materials", "process": "processing", "software": "software", "service": "services",
           "technology": "technology", "product": "products", "testing": "testing and certification",
           "financing": "financing", "digital": "digital transformation", "market": "market access",
           "talent": "talent"}


def _direction_reason(lk: str, lc: str, sk: str, sc: str, compat: float) -> Reason:
    if lk == "resource":
        zh = f"方向匹配：链主开放的{_CAT_ZH[lc]}资源可满足中小企业的{_CAT_ZH[sc]}需求"
        en = f"Direction: the lead firm's open {_CAT_EN[lc]} resource serves the SME's {_CAT_EN[sc]} need"
    else:
        what = "技术攻关榜单" if lk == "challenge" else "配套需求"
        what_en = "technical challenge" if lk == "challenge" else "sourcing need"
        zh = f"方向匹配：链主的{_CAT_ZH[lc]}{what}由中小企业的{_CAT_ZH[sc]}能力供给"
        en = f"Direction: the lead firm's {_CAT_EN[lc]} {what_en} is answered by the SME's {_CAT_EN[sc]} capability"
    return Reason("direction", zh, en, 0.0)


__all__ = ["MatchConfig", "MatchIndex", "ScoredPair", "Compiled", "freshness"]
