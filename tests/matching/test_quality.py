"""Quality floor on the hand-written evaluation set; the matcher must clearly beat BM25.

Floors are set a little under the figures measured when the set was written (matcher recall@3
0.98, MRR 0.99, chain accuracy 1.0; BM25 recall@3 0.79, MRR 0.89), so a regression fails.
"""

from pathlib import Path

import pytest

from matchmaker.matching.evaluation import evaluate_baseline, evaluate_matcher, load_eval_set

EVAL_SET = Path(__file__).with_name("eval_set.json")


@pytest.fixture(scope="module")
def data():
    return load_eval_set(EVAL_SET)


def test_eval_set_shape(data):
    cases, smes = data
    assert len(cases) >= 30
    assert {"innovation", "supply", "data", "capital"} <= {c.chain for c in cases}
    ids = {s.id for s in smes}
    for case in cases:
        assert set(case.relevant) <= ids
    # every case has distractors: SME postings that are not relevant
    assert len(smes) > 2 * sum(len(c.relevant) for c in cases) / 2


def test_matcher_quality_floor(data):
    metrics = evaluate_matcher(*data)
    assert metrics.recall_at_3 >= 0.93
    assert metrics.mrr >= 0.93
    assert metrics.chain_accuracy >= 0.95


def test_matcher_beats_baseline_clearly(data):
    matcher = evaluate_matcher(*data)
    baseline = evaluate_baseline(*data)
    assert matcher.recall_at_3 >= baseline.recall_at_3 + 0.10
    assert matcher.mrr >= baseline.mrr + 0.05
