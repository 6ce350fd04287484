"""The benchmark runs end to end on a tiny world (no timing asserted); the demo world's designed
pairings are found (only when the demo world is importable)."""

import json

import pytest

from matchmaker import bench


def test_bench_prints_one_json_object_per_phase(capsys):
    bench.main(["--smes", "150", "--leads", "3", "--seed", "5", "--workers", "1", "--gap-m", "1",
                "--networkx-max-edges", "5000"])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    phases = [line["phase"] for line in lines]
    for phase in ("generate", "tokenize", "index_build", "full_rematch", "incremental", "baseline_bm25",
                  "selection", "selection_tight"):
        assert phase in phases
    for line in lines:
        assert line["peak_rss_mb"] > 0
    tight = next(line for line in lines if line["phase"] == "selection_tight")
    assert tight["ortools"] == pytest.approx(tight["networkx"], abs=1e-3)
    assert tight["greedy"] <= tight["ortools"] + 1e-9
    rematch = next(line for line in lines if line["phase"] == "full_rematch")
    assert rematch["max_per_lead_posting"] <= 10 and rematch["max_per_sme_enterprise"] <= 20


def test_bench_eval_mode(capsys):
    bench.main(["--eval"])
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert line["matcher"]["recall@3"] > line["baseline_bm25"]["recall@3"]


def test_demo_world_designed_pairings_are_found(capsys):
    pytest.importorskip("matchmaker.demo.world")
    bench.main(["--demo"])
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert line["in_top10"] >= 0.9
    assert line["chain_accuracy_of_found"] >= 0.9
    assert line["distractors_suggested"] == 0
