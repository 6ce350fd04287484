"""Sparse candidate generation: budgets and champion lists cut work, never the exactness of scores."""

import numpy as np
import pytest

from matchmaker.matching import MatchConfig, MatchIndex
from matchmaker.matching.engine import bulk_candidates
from matchmaker.matching.synthetic import World


@pytest.fixture(scope="module")
def world():
    w = World(seed=11)
    return w, list(w.leads(5)) + list(w.smes(400))


def test_tight_budget_keeps_exact_scores(world):
    w, postings = world
    exact = MatchIndex(postings, now=w.now)
    tight = MatchIndex(postings, now=w.now, config=MatchConfig(generation_budget=30, champion_list=5))
    leads = [p for p in postings if p.side == "lead"]
    compared = 0
    for lead in leads:
        full = {c.sme_posting_id: c.score for c in exact.candidates(lead, limit=500)}
        for c in tight.candidates(lead, limit=20):
            assert c.score == pytest.approx(full[c.sme_posting_id], abs=1e-5)
            compared += 1
    assert compared > 0


def test_bulk_and_incremental_generation_agree_under_a_tight_budget(world):
    w, postings = world
    config = MatchConfig(generation_budget=30, champion_list=5)
    index = MatchIndex(postings, now=w.now, config=config)
    cands = bulk_candidates(index, per_lead=10)
    for lead in [p for p in postings if p.side == "lead"]:
        bulk = {int(s): round(float(v), 5) for s, v, l in zip(cands["sme_id"], cands["score"], cands["lead_id"])
                if l == lead.id}
        single = {c.sme_posting_id: round(c.score, 5) for c in index.candidates(lead, limit=10)}
        common = bulk.keys() & single.keys()
        assert all(bulk[k] == pytest.approx(single[k], abs=1e-4) for k in common)
        assert bool(bulk) == bool(single)


def test_matrix_scores_equal_path_sums_in_the_networkx_graph(world):
    """The sparse algebra must compute the sum over posting → concept → link → concept → posting paths."""
    w, postings = world
    index = MatchIndex(postings[:120], now=w.now)
    g = index.to_networkx()
    idf = index.idf(index.n_features)
    kg = index.kg
    checked = 0
    for lead in [p for p in postings[:120] if p.side == "lead" and p.kind != "resource"]:
        for cand in index.candidates(lead, limit=5):
            lead_w = {v[2:]: d["weight"] for _, v, d in g.out_edges(f"p:{lead.id}", data=True)
                      if d.get("rel") == "mentions"}
            sme_w = {v[2:]: d["weight"] for _, v, d in g.out_edges(f"p:{cand.sme_posting_id}", data=True)
                     if d.get("rel") == "mentions"}
            concept_part = sum(lw * link.weight * idf[kg.concept_index[e]] * sme_w[e]
                               for c, lw in lead_w.items() for e, link in kg.links(c, "supply").items() if e in sme_w)
            seg, row = index.locate(lead.id)
            sseg, srow = index.locate(cand.sme_posting_id)
            lrow = dict(zip(seg.csr[row].indices.tolist(), seg.csr[row].data.tolist()))
            srow_d = dict(zip(sseg.csr[srow].indices.tolist(), sseg.csr[srow].data.tolist()))
            word_part = sum(v * idf[c] * srow_d[c] for c, v in lrow.items() if c >= index.n_concepts and c in srow_d)
            rel = min(concept_part + word_part, 1.0)
            compat = index._compat[seg.group[row], sseg.group[srow]]
            assert cand.relevance == pytest.approx(float(compat) * rel, abs=1e-4)
            checked += 1
    assert checked > 5
    assert np.isfinite(idf).all()
