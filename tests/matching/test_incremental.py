"""Incremental maintenance gives the same answers as a full build and a full run."""

import pytest

from matchmaker.matching import MatchIndex, match_all, suggest_for
from matchmaker.matching.synthetic import World


@pytest.fixture(scope="module")
def world():
    w = World(seed=3)
    leads = list(w.leads(4))
    smes = list(w.smes(200))
    return w, leads, smes


def _all_candidates(index, postings):
    return {p.id: [(c.lead_posting_id, c.sme_posting_id, c.chain, round(c.score, 5)) for c in index.candidates(p)]
            for p in postings}


def test_add_update_remove_equals_fresh_build(world):
    w, leads, smes = world
    everyone = leads + smes
    index = MatchIndex(everyone[: len(everyone) // 2], now=w.now)
    for p in everyone[len(everyone) // 2:]:
        index.add(p)
    # edit a few postings, remove a few others
    edited = [p.__class__(**{**p.__dict__, "description": p.description + " 另需盐雾试验与EMC测试"})
              for p in smes[5:15]]
    for p in edited:
        index.update(p)
    removed = {p.id for p in smes[20:30]} | {leads[3].id}
    for pid in removed:
        assert index.remove(pid)
    assert not index.remove(123456789)
    final = [p for p in everyone if p.id not in removed]
    final = [next((e for e in edited if e.id == p.id), p) for p in final]
    fresh = MatchIndex(final, now=w.now)
    assert len(index) == len(fresh)
    assert _all_candidates(index, final) == _all_candidates(fresh, final)
    index.compact()
    assert _all_candidates(index, final) == _all_candidates(fresh, final)
    for pid in removed:
        assert pid not in index


def test_removed_posting_is_never_suggested(world):
    w, leads, smes = world
    index = MatchIndex(leads + smes, now=w.now)
    lead = next(p for p in leads if suggest_for(p, index))
    top = suggest_for(lead, index)[0].sme_posting_id
    index.remove(top)
    assert top not in {s.sme_posting_id for s in suggest_for(lead, index)}


def test_suggest_for_agrees_with_match_all_when_caps_do_not_bind(world):
    w, leads, smes = world
    index = MatchIndex(leads + smes, now=w.now)
    full = match_all((), index=index, k=5, m=10_000, candidates_per_lead=200)
    for lead in leads:
        expected = [(s.sme_posting_id, s.chain, s.reciprocal) for s in full if s.lead_posting_id == lead.id]
        got = [(s.sme_posting_id, s.chain, s.reciprocal) for s in suggest_for(lead, index, k=5, m=10_000)]
        assert got == expected
