"""Background rematches with progress and the single-run guard; the `match run` and `suggestions
export` commands."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from matchmaker.engine import services
from matchmaker.engine.services import begin_run, run_full_match, start_background_rematch, wait_for_run
from matchmaker.errors import Conflict
from matchmaker.extensions import db
from matchmaker.models import MatchRun, Posting, Suggestion
from matchmaker.models.base import utcnow
from tests.factories import make_user

from .factories import (CNC_NEED, CNC_SHOP, COOLING_MAKER, COOLING_NEED, EMC_NEED, TEST_SITE, all_suggestions,
                        lead, make_posting, sme_with)


@pytest.fixture
def world(app):
    car = lead(name="某整车集团", ref="lead-car")
    make_posting(car, "need", "component", *COOLING_NEED, ref="post-cooling")
    make_posting(car, "resource", "test_site", *TEST_SITE, ref="post-site")
    make_posting(lead(ref="lead-truck"), "need", "process", *CNC_NEED, ref="post-cnc")
    sme_with("capability", "product", *COOLING_MAKER, enterprise_fields={"ref": "sme-maker"}, ref="post-maker")
    sme_with("capability", "process", *CNC_SHOP, enterprise_fields={"ref": "sme-cnc"}, ref="post-shop")
    sme_with("need", "testing", *EMC_NEED, enterprise_fields={"ref": "sme-emc"}, ref="post-emc")
    return car


def test_background_rematch_reports_progress_and_finishes(app, world):
    operator = make_user(operator=True, email="op@example.cn")
    phases = []
    original = services._write_run

    def spy(run_id, **values):
        if "phase" in values:
            phases.append(values["phase"])
        original(run_id, **values)

    services._write_run = spy
    try:
        run = start_background_rematch(app, operator)
        run_id = run.id
        assert wait_for_run(app, run_id, timeout=60)
    finally:
        services._write_run = original
    db.session.expire_all()
    run = db.session.get(MatchRun, run_id)
    assert (run.status, run.phase, run.error) == ("done", "done", None)
    assert run.finished_at is not None and run.triggered_by_id == operator.id
    assert run.stats["created"] == len(all_suggestions()) > 0
    assert set(run.stats) >= {"created", "updated", "withdrawn", "kept", "by_chain", "seconds"}
    assert run.done == run.total
    assert phases[0] == "load" and "store" in phases and phases[-1] == "done"


def test_only_one_rematch_at_a_time(app, world):
    running = MatchRun(status="running", phase="candidates", started_at=utcnow() - timedelta(minutes=5))
    db.session.add(running)
    db.session.commit()
    with pytest.raises(Conflict):
        start_background_rematch(app, None)
    assert db.session.scalar(select(db.func.count()).select_from(MatchRun)) == 1


def test_a_run_left_running_by_a_dead_process_does_not_block(app, world):
    dead = MatchRun(status="running", phase="candidates", started_at=utcnow() - timedelta(minutes=31))
    db.session.add(dead)
    db.session.commit()
    dead_id = dead.id
    run = start_background_rematch(app, None)
    run_id = run.id
    assert wait_for_run(app, run_id, timeout=60)
    db.session.expire_all()
    assert db.session.get(MatchRun, dead_id).status == "failed"
    assert db.session.get(MatchRun, run_id).status == "done"


def test_a_failing_run_is_recorded_as_failed(app, world, monkeypatch):
    import matchmaker.matching as matching

    def broken(*args, **kwargs):
        raise RuntimeError("matcher exploded")

    monkeypatch.setattr(matching, "match_all", broken)
    run = begin_run(None)
    with pytest.raises(RuntimeError):
        run_full_match(run=run)
    db.session.expire_all()
    run = db.session.get(MatchRun, run.id)
    assert run.status == "failed" and "matcher exploded" in run.error and run.finished_at
    assert all_suggestions() == []
    begin_run(None)  # a failed run does not block the next one


def test_match_run_command_prints_stats(app, world, runner):
    result = runner.invoke(args=["match", "run"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout.splitlines()[0])
    assert stats["created"] == len(all_suggestions()) > 0
    assert "new" in result.output and "withdrawn" in result.output
    assert db.session.scalar(select(MatchRun.status)) == "done"
    again = runner.invoke(args=["match", "run"])
    assert again.exit_code == 0 and json.loads(again.stdout.splitlines()[0])["created"] == 0


def test_suggestions_export_writes_json_lines_by_ref(app, world, runner, tmp_path):
    run_full_match()
    withdrawn = all_suggestions()[-1]
    withdrawn.status = "withdrawn"
    db.session.commit()
    out = tmp_path / "suggestions.jsonl"
    result = runner.invoke(args=["suggestions", "export", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    rows = all_suggestions()
    assert len(lines) == len(rows)
    refs = {p.id: p.ref for p in db.session.scalars(select(Posting))}
    by_id = {s.id: s for s in rows}
    for line in lines:
        assert list(line)[:10] == ["id", "lead_posting", "sme_posting", "lead", "sme", "chain", "score", "rank",
                                   "reasons", "status"]
        s = by_id[line["id"]]
        assert line["lead_posting"] == refs[s.lead_posting_id] and line["sme_posting"] == refs[s.sme_posting_id]
        assert line["lead"].startswith("lead-") and line["sme"].startswith("sme-")
        assert line["chain"] == s.chain and line["rank"] == s.rank and line["status"] == s.status
        assert line["reasons"] == [r["zh"] for r in s.reasons] and all(isinstance(r, str) for r in line["reasons"])
        assert line["reasons_en"] == [r["en"] for r in s.reasons]
    cooling = [line for line in lines if line["lead_posting"] == "post-cooling"]
    assert cooling[0]["sme_posting"] == "post-maker" and cooling[0]["rank"] == 1
    assert cooling[0]["reasons"][0].startswith("方向匹配")
    # ordered by lead posting, then rank
    order = [(db.session.get(Suggestion, line["id"]).lead_posting_id, line["rank"]) for line in lines]
    assert order == sorted(order)
    assert any(line["status"] == "withdrawn" for line in lines)

    only_open = tmp_path / "open.jsonl"
    runner.invoke(args=["suggestions", "export", str(only_open), "--status", "open"])
    assert {json.loads(line)["status"] for line in only_open.read_text(encoding="utf-8").splitlines()} == {"open"}


def test_match_run_command_refuses_while_a_run_is_going_on(app, world, runner):
    db.session.add(MatchRun(status="running", phase="candidates", started_at=utcnow()))
    db.session.commit()
    result = runner.invoke(args=["match", "run"])
    assert result.exit_code != 0 and "正在进行中" in result.output  # Chinese is the default language
    assert all_suggestions() == []
