"""Quality measurement on a hand-written evaluation set: recall@3, MRR and chain accuracy.

The set (``tests/matching/eval_set.json`` in the repository) lists lead postings, the SME
postings a person would want suggested for each, and the expected chain, among SME postings
written as distractors (same words, wrong need or wrong direction). :func:`evaluate` ranks the
SME postings for every lead posting with the matcher and with the BM25 baseline in the same run,
so the figures in the README come from one call (``python -m matchmaker.bench --eval``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .baseline import BM25Baseline
from .index import MatchConfig, MatchIndex
from .model import PostingProfile
from .rules import propose_chains
from .text import posting_text, tokenize

EVAL_NOW = datetime(2024, 6, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class EvalCase:
    lead: PostingProfile
    relevant: tuple[int, ...]
    chain: str
    chain_by_sme: tuple[tuple[int, str], ...] = ()

    def expected_chain(self, sme_id: int) -> str:
        return dict(self.chain_by_sme).get(sme_id, self.chain)


@dataclass(frozen=True)
class Metrics:
    recall_at_3: float
    mrr: float
    chain_accuracy: float
    cases: int

    def as_dict(self) -> dict:
        return {"recall@3": round(self.recall_at_3, 3), "mrr": round(self.mrr, 3),
                "chain_accuracy": round(self.chain_accuracy, 3), "cases": self.cases}


def _profile(raw: dict, token_mode: str) -> PostingProfile:
    fields = {k: raw[k] for k in ("id", "enterprise_id", "side", "kind", "category", "title", "description")}
    tokens = tokenize(posting_text(raw["title"], raw["description"], raw.get("tags", ())), mode=token_mode)
    return PostingProfile(**fields, tags=tuple(raw.get("tags", ())), industry=raw.get("industry"),
                          region=raw.get("region"), tier=raw.get("tier"),
                          wants_specialized=bool(raw.get("wants_specialized", False)),
                          chains=tuple(raw.get("chains", ())), tokens=tokens)


def load_eval_set(path: str | Path, token_mode: str = "words") -> tuple[list[EvalCase], list[PostingProfile]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    smes = [_profile(raw, token_mode) for raw in data["smes"]]
    cases = [EvalCase(_profile(raw, token_mode), tuple(raw["relevant"]), raw["chain"],
                      tuple((int(k), v) for k, v in raw.get("chain_by_sme", {}).items())) for raw in data["leads"]]
    return cases, smes


def _metrics(rankings: list[list[tuple[int, str]]], cases: list[EvalCase]) -> Metrics:
    recall = mrr = 0.0
    chain_hits = chain_total = 0
    for ranking, case in zip(rankings, cases):
        ids = [pid for pid, _ in ranking]
        relevant = set(case.relevant)
        recall += len(relevant & set(ids[:3])) / min(len(relevant), 3)
        first = next((i for i, pid in enumerate(ids) if pid in relevant), None)
        mrr += 0.0 if first is None else 1.0 / (first + 1)
        # chain accuracy over the relevant postings the system returns in its top 10
        for pid, chain in ranking[:10]:
            if pid in relevant:
                chain_total += 1
                chain_hits += chain == case.expected_chain(pid)
    n = max(len(cases), 1)
    return Metrics(recall / n, mrr / n, chain_hits / chain_total if chain_total else 0.0, len(cases))


def evaluate_matcher(cases: list[EvalCase], smes: list[PostingProfile], config: MatchConfig | None = None) -> Metrics:
    """Rank SME postings for each lead posting with :meth:`MatchIndex.candidates` (before caps)."""
    index = MatchIndex([c.lead for c in cases] + smes, now=EVAL_NOW, config=config)
    rankings = [[(p.sme_posting_id, p.chain) for p in index.candidates(case.lead, limit=20)] for case in cases]
    return _metrics(rankings, cases)


def evaluate_baseline(cases: list[EvalCase], smes: list[PostingProfile], mode: str = "words",
                      direction_filter: bool = False) -> Metrics:
    """BM25 ranking of all SME postings; chain = the first chain proposed for the lead's kind/category.

    With ``direction_filter`` only SME postings of the kind that can answer the lead posting
    (capability for a need/challenge, need for a resource) are ranked — the direction rules
    without the knowledge graph.
    """
    bm25 = BM25Baseline(smes, mode=mode)
    kind_of = {s.id: s.kind for s in smes}
    rankings = []
    for case in cases:
        chain = propose_chains("lead", case.lead.kind, case.lead.category)[0]
        wanted = "need" if case.lead.kind == "resource" else "capability"
        ranked = [pid for pid, _ in bm25.rank(case.lead, limit=len(smes))]
        if direction_filter:
            ranked = [pid for pid in ranked if kind_of[pid] == wanted]
        rankings.append([(pid, chain) for pid in ranked[:20]])
    return _metrics(rankings, cases)


def evaluate(path: str | Path) -> dict:
    """All figures of the README's quality table, from one run."""
    cases, smes = load_eval_set(path)
    plain_cases, plain_smes = load_eval_set(path, token_mode="plain")
    out = {
        "matcher": evaluate_matcher(cases, smes).as_dict(),
        "baseline_bm25": evaluate_baseline(cases, smes).as_dict(),
        "baseline_bm25_bigrams": evaluate_baseline(cases, smes, mode="bigrams").as_dict(),
        "baseline_bm25_direction_filter": evaluate_baseline(cases, smes, direction_filter=True).as_dict(),
        "ablation": {
            "matcher_text_bigrams": evaluate_matcher(cases, smes, MatchConfig(text_mode="bigrams")).as_dict(),
            "matcher_text_words+bigrams": evaluate_matcher(cases, smes, MatchConfig(text_mode="both")).as_dict(),
            "matcher_jieba_without_field_dictionary": evaluate_matcher(plain_cases, plain_smes).as_dict(),
            "matcher_no_graph_links": evaluate_matcher(cases, smes, MatchConfig(use_graph=False)).as_dict(),
            "matcher_no_concepts_text_only": evaluate_matcher(
                cases, smes, MatchConfig(use_concepts=False, concept_weight=0.0, text_weight=1.0)).as_dict(),
        },
    }
    return out


__all__ = ["evaluate", "evaluate_matcher", "evaluate_baseline", "load_eval_set", "Metrics", "EvalCase"]
