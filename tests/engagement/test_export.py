"""`flask --app wsgi matches export FILE`: one JSON object a line with refs."""

from __future__ import annotations

import json

from .factories import make_world


def test_matches_export(app, runner, tmp_path):
    from matchmaker.suggestions import services

    w = make_world()
    w2 = make_world(lead_name="东风示例集团", sme_name="示例精工")
    with app.test_request_context():
        services.accept(w.suggestion.id, w.lead_user)
        outcome = services.accept(w.suggestion.id, w.sme_user)
        services.accept(w2.suggestion.id, w2.lead_user)  # interest only: not a match
    path = tmp_path / "matches.jsonl"
    result = runner.invoke(args=["matches", "export", str(path)])
    assert result.exit_code == 0, result.output
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert set(record) == {"id", "suggestion", "lead_posting", "sme_posting", "lead", "sme", "chain", "stage", "created_at"}
    assert record["id"] == outcome.match.id and record["suggestion"] == w.suggestion.id
    assert (record["lead"], record["sme"]) == (w.lead.ref, w.sme.ref)
    assert (record["lead_posting"], record["sme_posting"]) == (w.lead_posting.ref, w.sme_posting.ref)
    assert (record["chain"], record["stage"]) == ("supply", "talks") and record["created_at"].startswith("20")
    out = runner.invoke(args=["matches", "export", "-"])
    assert json.loads(out.output.strip())["id"] == outcome.match.id
