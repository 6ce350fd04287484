"""Caps (K per lead posting, M per SME enterprise), exclusions, and optimality of the selection."""

from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker.matching import MatchIndex, match_all, suggest_for
from matchmaker.matching.assign import select
from matchmaker.matching.engine import bulk_candidates
from matchmaker.matching.synthetic import World


@pytest.fixture(scope="module")
def world():
    w = World(seed=7)
    postings = list(w.leads(6)) + list(w.smes(300))
    return w, postings


def _ent(postings):
    return {p.id: p.enterprise_id for p in postings}


@pytest.mark.parametrize("k, m", [(3, 2), (10, 1), (5, 20)])
def test_caps_are_respected(world, k, m):
    w, postings = world
    got = match_all(postings, k=k, m=m, now=w.now)
    assert got
    per_lead = Counter(s.lead_posting_id for s in got)
    ent = _ent(postings)
    per_sme_ent = Counter(ent[s.sme_posting_id] for s in got)
    assert max(per_lead.values()) <= k
    assert max(per_sme_ent.values()) <= m
    pairs = Counter((s.lead_posting_id, ent[s.sme_posting_id]) for s in got)
    assert max(pairs.values()) == 1          # one suggestion per (lead posting, SME enterprise)


def test_held_suggestions_reduce_capacity(world):
    w, postings = world
    free = match_all(postings, k=10, m=3, now=w.now)
    ent = _ent(postings)
    busiest = Counter(ent[s.sme_posting_id] for s in free).most_common(1)[0][0]
    held = match_all(postings, k=10, m=3, held={busiest: 2}, now=w.now)
    assert sum(ent[s.sme_posting_id] == busiest for s in held) <= 1
    full = match_all(postings, k=10, m=3, held={busiest: 3}, now=w.now)
    assert not any(ent[s.sme_posting_id] == busiest for s in full)


def test_selection_is_optimal_against_networkx_exact_solver(world):
    w, postings = world
    k, m = 4, 2
    got = match_all(postings, k=k, m=m, now=w.now)
    index = MatchIndex(postings, now=w.now)
    cands = bulk_candidates(index, per_lead=40)
    # reference: collapse to the best posting per (lead posting, SME enterprise), add reciprocal bonus, solve
    from matchmaker.matching.engine import _reciprocal_mask
    score = cands["score"] + index.config.reciprocal_bonus * _reciprocal_mask(cands)
    best = {}
    for i in range(len(score)):
        key = (int(cands["lead_id"][i]), int(cands["sme_ent"][i]))
        if key not in best or score[i] > best[key]:
            best[key] = score[i]
    keys = list(best)
    leads = sorted({a for a, _ in keys})
    ents = sorted({b for _, b in keys})
    li = np.array([leads.index(a) for a, _ in keys])
    ei = np.array([ents.index(b) for _, b in keys])
    sc = np.array([best[x] for x in keys])
    chosen = select(li, ei, sc, np.full(len(leads), k), np.full(len(ents), m), solver="networkx")
    assert sum(s.score for s in got) == pytest.approx(float(sc[chosen].sum()), abs=1e-3)
    greedy = select(li, ei, sc, np.full(len(leads), k), np.full(len(ents), m), solver="greedy")
    assert float(sc[greedy].sum()) <= float(sc[chosen].sum()) + 1e-9


edges_strategy = st.lists(st.tuples(st.integers(0, 7), st.integers(0, 9), st.integers(1, 1000)), min_size=1,
                          max_size=60, unique_by=lambda t: (t[0], t[1]))


@settings(max_examples=60, deadline=None)
@given(edges=edges_strategy, k=st.integers(1, 4), m=st.integers(0, 3))
def test_ortools_matches_networkx_and_respects_caps(edges, k, m):
    lead = np.array([e[0] for e in edges])
    ent = np.array([e[1] for e in edges])
    score = np.array([e[2] / 1000 for e in edges])
    lead_cap, ent_cap = np.full(8, k), np.full(10, m)
    exact = select(lead, ent, score, lead_cap, ent_cap, solver="networkx")
    fast = select(lead, ent, score, lead_cap, ent_cap, solver="ortools")
    greedy = select(lead, ent, score, lead_cap, ent_cap, solver="greedy")
    assert score[fast].sum() == pytest.approx(score[exact].sum(), abs=1e-6)
    assert score[greedy].sum() <= score[exact].sum() + 1e-9
    for mask in (exact, fast, greedy):
        assert np.bincount(lead[mask], minlength=8).max(initial=0) <= k
        assert np.bincount(ent[mask], minlength=10).max(initial=0) <= m


def test_greedy_can_be_suboptimal_so_the_exact_solver_matters():
    # lead 0 can take one; SME 0 can take one. Greedy takes (0,0)=1.0 and blocks (1,0)=0.9, (0,1)=0.8.
    lead, ent, score = np.array([0, 1, 0]), np.array([0, 0, 1]), np.array([1.0, 0.9, 0.8])
    caps = np.array([1, 1])
    assert score[select(lead, ent, score, caps, caps, solver="greedy")].sum() == pytest.approx(1.0)
    assert score[select(lead, ent, score, caps, caps, solver="ortools")].sum() == pytest.approx(1.7)


def test_excluded_pairs_are_never_returned(world):
    w, postings = world
    first = match_all(postings, k=5, m=5, now=w.now)
    excluded = frozenset((s.lead_posting_id, s.sme_posting_id) for s in first[::2])
    second = match_all(postings, k=5, m=5, excluded_pairs=excluded, now=w.now)
    assert not excluded & {(s.lead_posting_id, s.sme_posting_id) for s in second}
    index = MatchIndex(postings, now=w.now)
    for lead in [p for p in postings if p.side == "lead"][:20]:
        for s in suggest_for(lead, index, excluded_pairs=excluded):
            assert (s.lead_posting_id, s.sme_posting_id) not in excluded


def test_suggest_for_respects_sme_capacity_and_lead_capacity(world):
    w, postings = world
    index = MatchIndex(postings, now=w.now)
    lead = next(p for p in postings if p.side == "lead" and suggest_for(p, index))
    got = suggest_for(lead, index, k=10, m=5)
    ent = _ent(postings)
    full = {ent[s.sme_posting_id]: 5 for s in got[:2]}
    again = suggest_for(lead, index, k=10, m=5, held=full)
    assert not {ent[s.sme_posting_id] for s in again} & set(full)
    sme = next(p for p in postings if p.side == "sme" and suggest_for(p, index))
    assert suggest_for(sme, index, m=3, held={sme.enterprise_id: 3}) == []
    taken = {s.lead_posting_id: 10 for s in suggest_for(sme, index)}
    assert not {s.lead_posting_id for s in suggest_for(sme, index, lead_held=taken)} & set(taken)
