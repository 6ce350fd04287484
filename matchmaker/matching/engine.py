"""The matcher's entry points: full rematch, incremental suggestions, and "why nothing?".

:func:`match_all` scores every lead posting against the SME postings that can answer it (sparse
products over the :class:`MatchIndex`, a block of lead postings at a time), adds the reciprocal
bonus where both enterprises have postings that fit each other, and hands the candidates to the
capacity-constrained selection in :mod:`assign`. :func:`suggest_for` does the same for one new or
edited posting in milliseconds. :func:`explain_no_suggestions` says in both languages why a
posting got nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime

import numpy as np
from scipy import sparse

from .assign import select
from .index import (BONUS_WINDOW, INDUSTRY_LEVELS, REGION_LEVELS, MatchConfig, MatchIndex, ScoredPair, _proximity,
                    _TIER_VALUES, _CHAIN_BIT)
from .model import CHAINS, PostingProfile, Reason, Suggestion
from .rules import COUNTERPART_POOL

ProgressFn = Callable[[str, int, int], None]
_PAIR_KEY = np.int64(1) << np.int64(32)


def _pair_keys(a, b) -> np.ndarray:
    return np.asarray(a, dtype=np.int64) * _PAIR_KEY + np.asarray(b, dtype=np.int64)


def _chain_table(index: MatchIndex) -> np.ndarray:
    """chain index for (lead group, SME group, declared-chain mask); -1 where no rule."""
    n_l, n_s = index._compat.shape
    table = np.full((n_l, n_s, 1 << len(CHAINS)), -1, dtype=np.int8)
    for (lg, sg), options in index._chain_options.items():
        for mask in range(1 << len(CHAINS)):
            chosen = next((c for c in options if mask & _CHAIN_BIT[c]), options[0])
            table[lg, sg, mask] = CHAINS.index(chosen)
    return table


def _split_rows(q: sparse.csr_matrix, lengths: np.ndarray, budget: int, champions: int):
    """Split a block of query rows into the part using full posting lists and the champion part.

    Per row, features are taken most specific first (shortest posting list) while the postings
    they touch stay within ``budget``; of the others, the ``champions`` strongest reach their
    champion lists and the rest generate nothing (they still count in the exact rescoring).
    Same rule as ``_Segment.split_generation`` for one query.
    """
    q = q.tocsr()
    q.sort_indices()
    row = np.repeat(np.arange(q.shape[0]), np.diff(q.indptr))
    length = lengths[q.indices].astype(np.int64)
    order = np.lexsort((length, row))
    cum = np.cumsum(length[order])
    starts = q.indptr[:-1]
    row_offset = np.concatenate([[0], cum])[starts]
    cum_in_row = cum - np.repeat(row_offset, np.diff(q.indptr))
    full = np.zeros(q.nnz, dtype=bool)
    full[order[cum_in_row <= budget]] = True
    # champion part: per row, the strongest features among those outside the budget
    rest_idx = np.flatnonzero(~full)
    rest_rows = row[rest_idx]
    by_strength = rest_idx[np.lexsort((rest_idx, -q.data[rest_idx], rest_rows))]
    sorted_rows = row[by_strength]
    rank = np.arange(len(by_strength)) - np.searchsorted(sorted_rows, sorted_rows, side="left")
    champion = np.zeros(q.nnz, dtype=bool)
    champion[by_strength[rank < champions]] = True
    data_full = np.where(full, q.data, 0)
    data_rest = np.where(champion, q.data, 0)
    # separate index arrays: eliminate_zeros() works in place
    full_part = sparse.csr_matrix((data_full, q.indices.copy(), q.indptr.copy()), shape=q.shape)
    rest_part = sparse.csr_matrix((data_rest, q.indices.copy(), q.indptr.copy()), shape=q.shape)
    full_part.eliminate_zeros()
    rest_part.eliminate_zeros()
    return full_part, rest_part


def bulk_candidates(index: MatchIndex, *, per_lead: int = 50, chunk: int | None = None,
                    progress: ProgressFn | None = None) -> dict[str, np.ndarray]:
    """Top ``per_lead`` scored SME postings for every lead posting, both directions, as arrays.

    Returns columns ``lead_id, lead_ent, sme_id, sme_ent, score, relevance, chain, direction``
    (direction 0 = lead demand ↔ SME supply, 1 = lead offer ↔ SME demand). Compacts the index.
    """
    index.compact()
    cfg = index.config
    chain_table = _chain_table(index)
    out: dict[str, list[np.ndarray]] = {k: [] for k in
                                        ("lead_id", "lead_ent", "sme_id", "sme_ent", "score", "relevance", "chain",
                                         "direction")}
    n_c = index.n_concepts
    max_bonus = cfg.industry_weight + cfg.region_weight + cfg.tier_weight + cfg.fresh_weight
    pools = (("lead_demand", "supply"), ("lead_offer", "offer"))
    total = sum(int(index._base[p].alive.sum()) for p, _ in pools)
    done = 0
    for direction, (lead_pool, link_name) in enumerate(pools):
        lseg, sseg = index._base[lead_pool], index._base[COUNTERPART_POOL[lead_pool]]
        if len(lseg) == 0 or len(sseg) == 0:
            done += len(lseg)
            continue
        link = index._weights[link_name][0]
        width = sseg.width
        idf = sparse.diags(index.idf(width))
        target_full = sseg.csc.T.tocsr()
        target_champ = sseg.champ.T.tocsr()
        lrows_all = np.flatnonzero(lseg.alive)
        # rows per block so that one block's score matrix stays around 2·10^7 entries
        rows_per_block = chunk or max(64, int(2e7 // (cfg.generation_budget + 8 * cfg.champion_list)))
        for start in range(0, len(lrows_all), rows_per_block):
            lrows = lrows_all[start:start + rows_per_block]
            a = lseg.csr[lrows]
            a_c = a[:, :n_c] @ link
            a_w = a[:, n_c:]
            if a_w.shape[1] > width - n_c:
                a_w = a_w[:, : width - n_c]
            elif a_w.shape[1] < width - n_c:
                a_w = sparse.hstack([a_w, sparse.csr_matrix((len(lrows), width - n_c - a_w.shape[1]))]).tocsr()
            q = (sparse.hstack([a_c, a_w]).tocsr() @ idf).tocsr()
            q_full, q_rest = _split_rows(q, sseg.lengths, cfg.generation_budget, cfg.champion_features)
            g = (q_full @ target_full).tocsr()
            if q_rest.nnz:
                g = (g + q_rest @ target_champ).tocsr()
            g.eliminate_zeros()
            row_of_entry = np.repeat(np.arange(len(lrows)), np.diff(g.indptr))
            lg = lseg.group[lrows][row_of_entry]
            sg = sseg.group[g.indices]
            compat = index._compat[lg, sg]
            pre = compat * np.minimum(g.data, 1.0)
            keep = (pre >= cfg.min_relevance * 0.5) & sseg.alive[g.indices]
            # per row: entries whose relevance is within reach of the top once bonuses are added
            depth = 4 * per_lead          # same pre-selection depth as MatchIndex.candidates
            window = BONUS_WINDOW * depth
            sel_rows, sel_cols = [], []
            indptr = g.indptr
            for r in range(len(lrows)):
                s, e = indptr[r], indptr[r + 1]
                idx = np.flatnonzero(keep[s:e]) + s
                if len(idx) > depth:
                    kth = np.partition(pre[idx], len(idx) - depth)[len(idx) - depth]
                    idx = idx[pre[idx] >= kth - max_bonus]
                    if len(idx) > window:
                        idx = idx[np.argpartition(-pre[idx], window)[:window]]
                sel_rows.append(np.full(len(idx), r, dtype=np.int64))
                sel_cols.append(idx)
            rr = np.concatenate(sel_rows) if sel_rows else np.zeros(0, np.int64)
            ee = np.concatenate(sel_cols) if sel_cols else np.zeros(0, np.int64)
            srows = g.indices[ee].astype(np.int64)
            lr = lrows[rr]
            bonus = _bonus(cfg, lseg, lr, sseg, srows)
            pick = _top_per_row(rr, pre[ee] + bonus, depth)
            rr, ee, srows, lr, bonus = rr[pick], ee[pick], srows[pick], lr[pick], bonus[pick]
            if q_full.nnz < q.nnz and len(rr):   # something was cut from generation: rescore exactly
                rel = _rowwise_dot(q, rr, sseg.csr, srows)
            else:
                rel = g.data[ee]
            base = index._compat[lseg.group[lr], sseg.group[srows]] * np.minimum(rel, 1.0)
            score = base + bonus
            chain = chain_table[lseg.group[lr], sseg.group[srows], (lseg.chainmask[lr] | sseg.chainmask[srows])]
            ok = (base >= cfg.min_relevance) & (chain >= 0)
            # final top per_lead per lead row by score
            pick = np.flatnonzero(ok)[_top_per_row(rr[ok], score[ok], per_lead)]
            out["lead_id"].append(lseg.ids[lr[pick]])
            out["lead_ent"].append(lseg.ent[lr[pick]])
            out["sme_id"].append(sseg.ids[srows[pick]])
            out["sme_ent"].append(sseg.ent[srows[pick]])
            out["score"].append(score[pick].astype(np.float64))
            out["relevance"].append(base[pick].astype(np.float64))
            out["chain"].append(chain[pick])
            out["direction"].append(np.full(len(pick), direction, dtype=np.int8))
            done += len(lrows)
            if progress is not None:
                progress("candidates", done, total)
    return {k: (np.concatenate(v) if v else np.zeros(0)) for k, v in out.items()}


def _bonus(cfg: MatchConfig, lseg, lrows: np.ndarray, sseg, srows: np.ndarray) -> np.ndarray:
    """Industry, region, tier and freshness part of the score for (lead row, SME row) pairs."""
    ind = _proximity(lseg.industry[lrows], sseg.industry[srows], INDUSTRY_LEVELS)
    reg = _proximity(lseg.region[lrows], sseg.region[srows], REGION_LEVELS)
    tier = _TIER_VALUES[sseg.tier[srows]] * lseg.wants[lrows]
    fresh = (lseg.fresh[lrows] + sseg.fresh[srows]) / 2.0
    return (cfg.industry_weight * ind + cfg.region_weight * reg + cfg.tier_weight * tier
            + cfg.fresh_weight * fresh).astype(np.float64)


def _top_per_row(rows: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Positions of the ``n`` largest ``values`` for each value of ``rows`` (ties: earlier first)."""
    order = np.lexsort((np.arange(len(rows)), -values, rows))
    sorted_rows = rows[order]
    rank = np.arange(len(order)) - np.searchsorted(sorted_rows, sorted_rows, side="left")
    return np.sort(order[rank < n])


def _rowwise_dot(q: sparse.csr_matrix, rows: np.ndarray, target: sparse.csr_matrix, cols: np.ndarray,
                 block: int = 200000) -> np.ndarray:
    """Exact q[rows[i]] · target[cols[i]] for every i, in blocks."""
    out = np.empty(len(rows), dtype=np.float64)
    for s in range(0, len(rows), block):
        a = q[rows[s:s + block]]
        b = target[cols[s:s + block]]
        out[s:s + block] = np.asarray(a.multiply(b).sum(axis=1)).ravel()
    return out


def _reciprocal_mask(cands: dict[str, np.ndarray]) -> np.ndarray:
    ent_pairs = _pair_keys(cands["lead_ent"], cands["sme_ent"])
    d = cands["direction"]
    both = np.intersect1d(np.unique(ent_pairs[d == 0]), np.unique(ent_pairs[d == 1]))
    return np.isin(ent_pairs, both)


def match_all(postings: Iterable[PostingProfile], *, k: int = 10, m: int = 20,
              excluded_pairs: frozenset | set = frozenset(), held: Mapping[int, int] | None = None,
              progress: ProgressFn | None = None, now: datetime | None = None,
              config: MatchConfig | None = None, index: MatchIndex | None = None, solver: str = "auto",
              candidates_per_lead: int | None = None, with_reasons: bool = True) -> list[Suggestion]:
    """Full rematch: the best set of suggestions over all published postings.

    At most ``k`` suggestions per lead posting and at most ``m`` open suggestions per SME
    *enterprise*, less ``held[enterprise_id]`` it already holds; a lead posting gets at most one
    suggestion per SME enterprise. Pairs in ``excluded_pairs`` ((lead posting id, SME posting id))
    are never proposed. Among the candidates the selection maximises the total score (exact
    min-cost flow, see :mod:`assign`; ``solver`` picks it). Pass a built ``index`` to reuse it
    (``postings`` is then ignored). ``progress(phase, done, total)`` is called along the way.
    Returns suggestions ordered by lead posting id, then score descending.
    """
    held = held or {}
    if index is None:
        index = MatchIndex(postings, now=now, config=config, progress=progress)
    per_lead = candidates_per_lead or max(4 * k, 40)
    cands = bulk_candidates(index, per_lead=per_lead, progress=progress)
    if len(cands["score"]) == 0:
        return []
    reciprocal = _reciprocal_mask(cands)
    score = cands["score"] + index.config.reciprocal_bonus * reciprocal
    keep = np.ones(len(score), dtype=bool)
    if excluded_pairs:
        excluded = np.fromiter((a * (1 << 32) + b for a, b in excluded_pairs), dtype=np.int64,
                               count=len(excluded_pairs))
        keep &= ~np.isin(_pair_keys(cands["lead_id"], cands["sme_id"]), excluded)
    idx = np.flatnonzero(keep)
    # one candidate per (lead posting, SME enterprise): the best-scoring SME posting
    order = idx[np.lexsort((cands["sme_id"][idx], -score[idx], cands["sme_ent"][idx], cands["lead_id"][idx]))]
    pair = _pair_keys(cands["lead_id"][order], cands["sme_ent"][order])
    first = np.ones(len(order), dtype=bool)
    first[1:] = pair[1:] != pair[:-1]
    edges = order[first]
    lead_ids, lead_dense = np.unique(cands["lead_id"][edges], return_inverse=True)
    ent_ids, ent_dense = np.unique(cands["sme_ent"][edges], return_inverse=True)
    lead_cap = np.full(len(lead_ids), k, dtype=np.int64)
    ent_cap = np.array([m - held.get(int(e), 0) for e in ent_ids], dtype=np.int64)
    if progress is not None:
        progress("select", 0, len(edges))
    chosen = edges[select(lead_dense, ent_dense, score[edges], lead_cap, ent_cap, solver=solver)]
    if progress is not None:
        progress("select", len(edges), len(edges))
    chosen = chosen[np.lexsort((cands["sme_id"][chosen], -score[chosen], cands["lead_id"][chosen]))]
    out = []
    for n, i in enumerate(chosen.tolist()):
        lead_id, sme_id, rec = int(cands["lead_id"][i]), int(cands["sme_id"][i]), bool(reciprocal[i])
        reasons = index.explain_pair(lead_id, sme_id, reciprocal=rec) if with_reasons else ()
        out.append(Suggestion(lead_id, sme_id, CHAINS[int(cands["chain"][i])], round(float(score[i]), 6),
                              reasons, rec))
        if progress is not None and n % 50000 == 0:
            progress("reasons", n, len(chosen))
    return out


def _is_reciprocal(index: MatchIndex, lead_ent: int, sme_ent: int, direction_pool: str) -> bool:
    """Whether the two enterprises also fit each other in the direction other than ``direction_pool``."""
    other_lead_pool = "lead_offer" if direction_pool == "lead_demand" else "lead_demand"
    lead_posts = [p for p in index.posting_ids(lead_ent) if index._where.get(p, ("",))[0] == other_lead_pool]
    sme_pool = COUNTERPART_POOL[other_lead_pool]
    sme_posts = [p for p in index.posting_ids(sme_ent) if index._where.get(p, ("",))[0] == sme_pool]
    return any(index.pair_relevance(a, b) >= index.config.min_relevance for a in lead_posts for b in sme_posts)


def suggest_for(posting: PostingProfile, index: MatchIndex, *, k: int = 10, m: int = 20,
                excluded_pairs: frozenset | set = frozenset(), held: Mapping[int, int] | None = None,
                lead_held: Mapping[int, int] | None = None, with_reasons: bool = True) -> list[Suggestion]:
    """Suggestions for one new or edited posting (lead or SME side), best first.

    Call ``index.upsert(posting)`` first so that the posting is part of the index (then its
    reciprocity and reasons are complete); the index is not modified here. For a lead posting:
    up to ``k`` SME postings, at most one per SME enterprise, skipping enterprises whose
    ``held`` count already reached ``m``. For an SME posting: up to ``min(k, m - held[its
    enterprise])`` lead postings, skipping lead postings whose ``lead_held`` count reached ``k``.
    ``excluded_pairs`` are (lead posting id, SME posting id) pairs never to return.
    """
    held = held or {}
    lead_held = lead_held or {}
    rec = index.compile(posting)
    if rec.pool is None:
        return []
    if rec.side == "lead":
        budget = k
    else:
        budget = min(k, m - held.get(rec.enterprise_id, 0))
    if budget <= 0:
        return []
    limit = max(4 * budget, 40) + len(excluded_pairs)
    pairs = index.candidates(rec, limit=limit)
    scored: list[tuple[float, ScoredPair, bool]] = []
    seen_ent: set[int] = set()
    for p in pairs:
        if (p.lead_posting_id, p.sme_posting_id) in excluded_pairs:
            continue
        if rec.side == "lead":
            if held.get(p.sme_enterprise_id, 0) >= m:
                continue
        elif lead_held.get(p.lead_posting_id, 0) >= k:
            continue
        rec_flag = _is_reciprocal(index, p.lead_enterprise_id, p.sme_enterprise_id,
                                  rec.pool if rec.side == "lead" else COUNTERPART_POOL[rec.pool])
        scored.append((p.score + index.config.reciprocal_bonus * rec_flag, p, rec_flag))
    scored.sort(key=lambda t: (-t[0], t[1].sme_posting_id if rec.side == "lead" else t[1].lead_posting_id))
    out = []
    for total, p, rec_flag in scored:
        if rec.side == "lead":
            if p.sme_enterprise_id in seen_ent:
                continue
            seen_ent.add(p.sme_enterprise_id)
        reasons = index.explain_pair(p.lead_posting_id, p.sme_posting_id, reciprocal=rec_flag) if with_reasons else ()
        out.append(Suggestion(p.lead_posting_id, p.sme_posting_id, p.chain, round(total, 6), reasons, rec_flag))
        if len(out) == budget:
            break
    return out


def explain_no_suggestions(posting: PostingProfile, index: MatchIndex, *, k: int = 10, m: int = 20,
                           excluded_pairs: frozenset | set = frozenset(), held: Mapping[int, int] | None = None,
                           lead_held: Mapping[int, int] | None = None) -> Reason:
    """Why ``posting`` gets no suggestions, as one bilingual :class:`Reason` (weight 0).

    Codes: ``no_category`` (unknown kind/category), ``no_text`` (nothing recognisable in the
    text), ``no_counterparts`` (nobody on the other side posts the matching kind),
    ``no_concept_match`` / ``no_keyword_match`` (nobody mentions what it is about),
    ``all_taken`` (candidates exist but are excluded or at their caps), and ``has_suggestions``
    when it does get some.
    """
    rec = index.compile(posting)
    if rec.pool is None:
        return Reason("no_category", f"发布类型「{posting.kind}/{posting.category}」不在可匹配的类别中",
                      f"The posting type {posting.kind}/{posting.category} is not one the matcher can pair", 0.0)
    counterpart = COUNTERPART_POOL[rec.pool]
    who_zh, who_en = {
        "sme_supply": ("中小企业能力", "SME capability"), "sme_demand": ("中小企业需求", "SME need"),
        "lead_demand": ("链主配套需求或攻关榜单", "lead-firm need or challenge"),
        "lead_offer": ("链主开放资源", "lead-firm open resource")}[counterpart]
    own_concepts = [c for c in rec.mentioned]
    if not rec.words and not own_concepts:
        return Reason("no_text", "发布内容过短或无法识别，请补充产品、材料、工艺或技术关键词",
                      "The posting is too short to understand: add the products, materials, processes or "
                      "technologies it is about", 0.0)
    alive = sum(int(seg.alive.sum()) for seg in index._segments(counterpart))
    if alive == 0:
        return Reason("no_counterparts", f"平台上暂无任何{who_zh}发布", f"No {who_en} is published yet", 0.0)
    pairs = index.candidates(rec, limit=max(4 * k, 40) + len(excluded_pairs))
    if not pairs:
        if own_concepts:
            names = own_concepts[:3]
            zh = "、".join(f"「{index.kg.display(c)}」" for c in names)
            en = ", ".join(f"{index.kg.display(c)} ({index.kg.concepts[c].en})" for c in names)
            return Reason("no_concept_match", f"没有{who_zh}提到{zh}或与之相关的概念",
                          f"No {who_en} mentions {en} or a related concept", 0.0)
        words = sorted(rec.words, key=lambda w: -rec.words[w])[:3]
        return Reason("no_keyword_match", f"没有{who_zh}提到「{'、'.join(words)}」",
                      f"No {who_en} mentions {', '.join(words)}", 0.0)
    got = suggest_for(posting, index, k=k, m=m, excluded_pairs=excluded_pairs, held=held, lead_held=lead_held,
                      with_reasons=False)
    if not got:
        return Reason("all_taken", f"有{len(pairs)}个候选，但均已被拒绝、已处理或已达推荐上限",
                      f"{len(pairs)} candidates exist, but all were declined, decided, or are at their caps", 0.0)
    return Reason("has_suggestions", f"已有{len(got)}条推荐", f"{len(got)} suggestions available", 0.0)
