"""Benchmark of the matching engine on a synthetic world: ``python -m matchmaker.bench``.

    python -m matchmaker.bench --smes 100000 --leads 1000 --seed 1
    python -m matchmaker.bench --eval            # quality figures on tests/matching/eval_set.json

``--leads`` counts lead firms (10 postings each), ``--smes`` counts SMEs (1–3 postings each).
Prints one JSON object per phase with wall time and memory (peak RSS of the process so far and
current RSS, from ``resource.getrusage`` and ``/proc``), and times a BM25 baseline over the same
texts so the ratio stands beside the absolute figures. Nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np


def _rss_mb() -> float:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return float("nan")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(phase: str, seconds: float | None = None, **fields) -> None:
    record = {"phase": phase}
    if seconds is not None:
        record["seconds"] = round(seconds, 3)
    record.update(fields)
    record["process_cpu_s"] = round(time.process_time(), 2)  # cumulative CPU of this process (neighbours on
    # a shared machine inflate wall time, not this)
    record["rss_mb"] = round(_rss_mb(), 1)
    record["peak_rss_mb"] = round(_peak_mb(), 1)
    print(json.dumps(record, ensure_ascii=False), flush=True)


def _tokenize_texts(texts: list[str]) -> list[tuple[str, ...]]:
    from matchmaker.matching.text import tokenize

    return [tokenize(t) for t in texts]


def tokenize_all(postings: list, workers: int) -> list:
    """Tokens for every posting, as the web layer computes them at write time."""
    from matchmaker.matching.text import posting_text, tokenize

    texts = [posting_text(p.title, p.description, p.tags) for p in postings]
    if workers <= 1:
        tokens = [tokenize(t) for t in texts]
    else:
        tokenize("预热")  # load the dictionary once, before forking
        size = max(1, len(texts) // (workers * 8))
        chunks = [texts[i:i + size] for i in range(0, len(texts), size)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            tokens = [t for part in pool.map(_tokenize_texts, chunks) for t in part]
    return [replace(p, tokens=tuple(sys.intern(x) for x in t)) for p, t in zip(postings, tokens)]


def run_bench(args) -> None:
    from matchmaker.matching import MatchIndex, match_all, suggest_for
    from matchmaker.matching.assign import select
    from matchmaker.matching.baseline import BM25Baseline, bulk_rank
    from matchmaker.matching.engine import bulk_candidates
    from matchmaker.matching.synthetic import World

    emit("machine", cores=os.cpu_count(), python=platform.python_version(), smes=args.smes, lead_firms=args.leads,
         seed=args.seed, k=args.k, m=args.m)
    sampled = args.tokenize_sample > 0
    t = time.perf_counter()
    world = World(args.seed, with_tokens=sampled)
    leads = list(world.leads(args.leads))
    smes = list(world.smes(args.smes))
    emit("generate", time.perf_counter() - t, lead_postings=len(leads), sme_postings=len(smes),
         tokens="piecewise (template seams, cached)" if sampled else "none yet")

    everyone = leads + smes
    if sampled:
        # jieba's throughput measured on a sample; the world's tokens come from the generator
        rng = np.random.default_rng(args.seed)
        sample = [everyone[i] for i in rng.choice(len(everyone), min(args.tokenize_sample, len(everyone)),
                                                  replace=False)]
        t = time.perf_counter()
        tokenized = tokenize_all(sample, args.workers)
        elapsed = time.perf_counter() - t
        identical = sum(a.tokens == b.tokens for a, b in zip(sample, tokenized)) / len(sample)
        emit("tokenize", elapsed, postings=len(sample), workers=args.workers,
             postings_per_second=round(len(sample) / elapsed),
             extrapolated_seconds_for_all=round(elapsed * len(everyone) / len(sample), 1),
             piecewise_tokens_identical_share=round(identical, 4))
        del sample, tokenized
    else:
        t = time.perf_counter()
        everyone = tokenize_all(everyone, args.workers)
        elapsed = time.perf_counter() - t
        chars = sum(len(p.title) + len(p.description) for p in everyone)
        emit("tokenize", elapsed, postings=len(everyone), workers=args.workers, chars=chars,
             postings_per_second=round(len(everyone) / elapsed))
        leads, smes = everyone[: len(leads)], everyone[len(leads):]
    del everyone

    t = time.perf_counter()
    index = MatchIndex(leads + smes, now=world.now)
    index_seconds = time.perf_counter() - t
    emit("index_build", index_seconds, indexed=len(index), features=index.n_features)

    marks: dict[str, float] = {}

    reported: set[tuple[str, int]] = set()

    def progress(phase: str, done: int, total: int) -> None:
        marks.setdefault(phase, time.perf_counter())
        tenth = int(10 * done / total) if total else 0
        if phase == "candidates" and (phase, tenth) not in reported and tenth in (1, 3, 5, 7, 9):
            reported.add((phase, tenth))
            emit("progress", time.perf_counter() - t_rematch, step=phase, done=done, total=total)

    t = t_rematch = time.perf_counter()
    suggestions = match_all((), index=index, k=args.k, m=args.m, progress=progress)
    total = time.perf_counter() - t
    per_lead = np.bincount(np.unique([s.lead_posting_id for s in suggestions], return_inverse=True)[1]) \
        if suggestions else np.zeros(1)
    sme_ent = {}
    ent_of = {p.id: p.enterprise_id for p in smes}
    for s in suggestions:
        e = ent_of[s.sme_posting_id]
        sme_ent[e] = sme_ent.get(e, 0) + 1
    chains = {}
    for s in suggestions:
        chains[s.chain] = chains.get(s.chain, 0) + 1
    select_start = marks.get("select", t + total)
    reasons_start = marks.get("reasons", t + total)
    emit("full_rematch", total, candidates_seconds=round(select_start - t, 3),
         select_seconds=round(reasons_start - select_start, 3), reasons_seconds=round(t + total - reasons_start, 3),
         suggestions=len(suggestions), max_per_lead_posting=int(per_lead.max()),
         max_per_sme_enterprise=max(sme_ent.values(), default=0), chains=chains,
         reciprocal=sum(s.reciprocal for s in suggestions))
    del suggestions

    # incremental: 100 new postings (50 lead, 50 SME), each upserted then suggested for
    fresh_world = World(args.seed + 1000)
    new_leads = tokenize_all(list(fresh_world.leads(5, first_id=900_000_000)), 1)
    new_smes = tokenize_all(list(fresh_world.smes(40, first_id=950_000_000))[:50], 1)
    upsert_ms, suggest_ms = [], []
    for p in new_leads + new_smes:
        t = time.perf_counter()
        index.upsert(p)
        t2 = time.perf_counter()
        suggest_for(p, index, k=args.k, m=args.m)
        t3 = time.perf_counter()
        upsert_ms.append((t2 - t) * 1000)
        suggest_ms.append((t3 - t2) * 1000)
    total_ms = [a + b for a, b in zip(upsert_ms, suggest_ms)]

    def pct(values, q):
        return round(float(np.percentile(values, q)), 2)

    emit("incremental", postings=len(total_ms), median_ms=pct(total_ms, 50), p95_ms=pct(total_ms, 95),
         max_ms=pct(total_ms, 100), upsert_median_ms=pct(upsert_ms, 50), suggest_median_ms=pct(suggest_ms, 50),
         suggest_p95_ms=pct(suggest_ms, 95))

    # what the generation budget costs: exact top-k (every SME posting scored) vs generated top-k
    rng = np.random.default_rng(args.seed + 7)
    probe = [leads[i] for i in rng.choice(len(leads), min(args.recall_probes, len(leads)), replace=False)]
    hits = tie_hits = total_exact = 0
    score_ratio = []
    t = time.perf_counter()
    for lead in probe:
        exact = index.candidates(lead, limit=args.k, exhaustive=True)
        fast = index.candidates(lead, limit=args.k)
        hits += len({c.sme_posting_id for c in exact} & {c.sme_posting_id for c in fast})
        total_exact += len(exact)
        if exact:
            # tie-aware: a generated candidate counts if it scores at least the exact k-th best
            tie_hits += sum(c.score >= exact[-1].score - 1e-6 for c in fast[:len(exact)])
            score_ratio.append(sum(c.score for c in fast) / sum(c.score for c in exact))
    emit("generation_recall", time.perf_counter() - t, probes=len(probe),
         same_ids_as_exact_top_k=round(hits / max(total_exact, 1), 4),
         at_least_exact_kth_score=round(tie_hits / max(total_exact, 1), 4),
         score_sum_share_of_exact=round(float(np.mean(score_ratio)) if score_ratio else 1.0, 4))

    t = time.perf_counter()
    bm25 = BM25Baseline(smes)
    built = time.perf_counter() - t
    sample = leads if len(leads) <= args.baseline_queries else \
        [leads[i] for i in np.random.default_rng(args.seed).choice(len(leads), args.baseline_queries, replace=False)]
    t = time.perf_counter()
    pairs = bulk_rank(bm25, sample, limit=max(4 * args.k, 40), chunk=250)
    ranked = (time.perf_counter() - t) * len(leads) / len(sample)
    candidates_seconds = select_start - t_rematch
    emit("baseline_bm25", built + ranked, build_seconds=round(built, 3), rank_seconds=round(ranked, 3),
         rank_queries_timed=len(sample), rank_extrapolated_to=len(leads), pairs_timed=int(pairs),
         matcher_candidates_over_baseline_rank=round(candidates_seconds / max(ranked, 1e-9), 2),
         matcher_index_build_over_baseline_build=round(index_seconds / max(built, 1e-9), 2))
    del bm25

    # gap of the greedy selection to the exact optimum, on this world's candidate edges
    t = time.perf_counter()
    cands = bulk_candidates(index, per_lead=max(4 * args.k, 40))
    lead_ids, lead_dense = np.unique(cands["lead_id"], return_inverse=True)
    keys = cands["lead_id"] * (1 << 32) + cands["sme_ent"]
    order = np.lexsort((-cands["score"], keys))
    first = np.ones(len(order), dtype=bool)
    first[1:] = keys[order][1:] != keys[order][:-1]
    edges = order[first]
    lead_ids, lead_dense = np.unique(cands["lead_id"][edges], return_inverse=True)
    ent_ids, ent_dense = np.unique(cands["sme_ent"][edges], return_inverse=True)
    lead_cap = np.full(len(lead_ids), args.k)
    ent_cap = np.full(len(ent_ids), args.m)
    score = cands["score"][edges]
    gen_time = time.perf_counter() - t
    results = {}
    for solver in ("ortools", "greedy"):
        t = time.perf_counter()
        chosen = select(lead_dense, ent_dense, score, lead_cap, ent_cap, solver=solver)
        results[solver] = (float(score[chosen].sum()), time.perf_counter() - t, int(chosen.sum()))
    emit("selection", edges=int(len(edges)), candidate_seconds=round(gen_time, 3),
         ortools_seconds=round(results["ortools"][1], 3), greedy_seconds=round(results["greedy"][1], 3),
         ortools_total=round(results["ortools"][0], 3), greedy_total=round(results["greedy"][0], 3),
         greedy_share_of_optimum=round(results["greedy"][0] / max(results["ortools"][0], 1e-9), 5))
    if args.gap_m:
        # a tight cap makes the selection actually hard: the regime where greedy loses most
        ent_tight = np.full(len(ent_ids), args.gap_m)
        totals = {}
        for solver in ("ortools", "greedy"):
            chosen = select(lead_dense, ent_dense, score, lead_cap, ent_tight, solver=solver)
            totals[solver] = float(score[chosen].sum())
        if len(edges) <= args.networkx_max_edges:
            t = time.perf_counter()
            chosen = select(lead_dense, ent_dense, score, lead_cap, ent_tight, solver="networkx")
            totals["networkx"] = float(score[chosen].sum())
            totals["networkx_seconds"] = round(time.perf_counter() - t, 3)
        emit("selection_tight", m=args.gap_m, edges=int(len(edges)),
             **{k: round(v, 3) for k, v in totals.items()},
             greedy_share_of_optimum=round(totals["greedy"] / max(totals["ortools"], 1e-9), 5))


def run_eval(args) -> None:
    from matchmaker.matching.evaluation import evaluate

    t = time.perf_counter()
    result = evaluate(args.eval_set)
    emit("eval", time.perf_counter() - t, **result)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smes", type=int, default=10000, help="number of SMEs (1-3 postings each)")
    parser.add_argument("--leads", type=int, default=100, help="number of lead firms (10 postings each)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--k", type=int, default=10, help="max suggestions per lead posting")
    parser.add_argument("--m", type=int, default=20, help="max open suggestions per SME enterprise")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1), help="tokenizer processes")
    parser.add_argument("--tokenize-sample", type=int, default=0,
                        help="time jieba on this many postings only and let the generator supply the tokens "
                             "(0: tokenize every posting)")
    parser.add_argument("--baseline-queries", type=int, default=2000,
                        help="time the baseline on this many lead postings and extrapolate (its memory grows fast)")
    parser.add_argument("--recall-probes", type=int, default=100,
                        help="lead postings whose generated top-k is compared with the exhaustive top-k")
    parser.add_argument("--gap-m", type=int, default=2, help="tight SME cap for the greedy-vs-exact gap (0: skip)")
    parser.add_argument("--networkx-max-edges", type=int, default=60000,
                        help="also solve with NetworkX (exact reference) when the world has at most this many edges")
    parser.add_argument("--eval", action="store_true", help="print quality figures on the evaluation set and exit")
    parser.add_argument("--demo", action="store_true",
                        help="check the designed pairings of matchmaker/demo/world.py and exit")
    parser.add_argument("--eval-set", default=str(Path(__file__).resolve().parent.parent / "tests/matching/eval_set.json"))
    args = parser.parse_args(argv)
    if args.eval:
        run_eval(args)
    elif args.demo:
        run_demo(args)
    else:
        run_bench(args)



def demo_profiles(records: list[dict], today) -> dict[str, "object"]:
    """PostingProfiles (keyed by posting ref) from the demo world's import records."""
    from datetime import datetime, timedelta, timezone

    from matchmaker.matching import PostingProfile, posting_text, tokenize

    enterprises = {r["ref"]: r for r in records if r["type"] == "enterprise"}
    ent_ids = {ref: i + 1 for i, ref in enumerate(enterprises)}
    published = datetime(today.year, today.month, today.day, tzinfo=timezone.utc) - timedelta(days=7)
    out = {}
    for i, r in enumerate(x for x in records if x["type"] == "posting"):
        ent = enterprises[r["enterprise"]]
        out[r["ref"]] = PostingProfile(
            id=i + 1, enterprise_id=ent_ids[r["enterprise"]], side=ent["role"], kind=r["kind"],
            category=r["category"], title=r["title"], description=r["description"], tags=tuple(r.get("tags", ())),
            industry=r.get("industry") or ent.get("industry"), region=r.get("region") or ent.get("region"),
            chains=tuple(r.get("chains", ())), tier=ent.get("tier") if ent["role"] == "sme" else None,
            wants_specialized=bool(r.get("wants_specialized")), published_at=published,
            tokens=tokenize(posting_text(r["title"], r["description"], r.get("tags", ()))))
    return out


def run_demo(args) -> None:
    """Designed pairings and distractors of the demo world (matchmaker/demo/world.py)."""
    from matchmaker.demo.world import DESIGNED_PAIRS, DISTRACTOR_PAIRS, TODAY, build_world
    from matchmaker.matching import MatchIndex, match_all
    from matchmaker.matching.baseline import BM25Baseline

    from datetime import datetime, timezone

    profiles = demo_profiles(build_world(), TODAY)
    now = datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=timezone.utc)
    index = MatchIndex(profiles.values(), now=now)
    suggestions = match_all((), index=index, k=args.k, m=args.m)
    chosen = {(s.lead_posting_id, s.sme_posting_id): s.chain for s in suggestions}
    bm25 = BM25Baseline([p for p in profiles.values() if p.side == "sme"])
    found = top3 = chain_ok = suggested = base_found = 0
    for lead_ref, sme_ref, chain in DESIGNED_PAIRS:
        lead, sme = profiles[lead_ref], profiles[sme_ref]
        ranking = index.candidates(lead, limit=10)
        ids = [c.sme_posting_id for c in ranking]
        if sme.id in ids:
            found += 1
            top3 += sme.id in ids[:3]
            chain_ok += ranking[ids.index(sme.id)].chain == chain
        suggested += (lead.id, sme.id) in chosen
        base_found += sme.id in [pid for pid, _ in bm25.rank(lead, limit=10)]
    distractor_hits = sum((profiles[a].id, profiles[b].id) in chosen for a, b, _ in DISTRACTOR_PAIRS)
    distractor_top10 = sum(profiles[b].id in [c.sme_posting_id for c in index.candidates(profiles[a], limit=10)]
                           for a, b, _ in DISTRACTOR_PAIRS)
    baseline_distractors = sum(profiles[b].id in [pid for pid, _ in bm25.rank(profiles[a], limit=10)]
                               for a, b, _ in DISTRACTOR_PAIRS)
    n = len(DESIGNED_PAIRS)
    emit("demo_world", postings=len(profiles), designed_pairs=n, in_top10=round(found / n, 3),
         in_top3=round(top3 / n, 3), chain_accuracy_of_found=round(chain_ok / max(found, 1), 3),
         in_match_all_output=round(suggested / n, 3), baseline_bm25_in_top10=round(base_found / n, 3),
         distractors=len(DISTRACTOR_PAIRS), distractors_suggested=distractor_hits,
         distractors_in_top10=distractor_top10, baseline_bm25_distractors_in_top10=baseline_distractors)


if __name__ == "__main__":
    main()
