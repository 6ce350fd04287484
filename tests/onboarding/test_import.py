"""Bulk onboarding: `import-data` and `export-data` (JSON Lines, all or nothing, upsert by ref)."""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import AuditEntry, Enterprise, Posting
from matchmaker.postings import services
from tests import factories
from tests.conftest import _empty_all_tables

from .records import enterprise, posting, write


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def valid_file(tmp_path):
    return write(tmp_path / "ok.jsonl", [
        enterprise("lead-1", role="lead", tier=None),
        enterprise("sme-1"),
        posting("p-1", "sme-1"),
        posting("p-2", "lead-1", kind="need", category="component", title="汽车密封条配套需求",
                details={"specification": "耐候1000h", "quantity": "20万米", "delivery_region": "420100"}),
        posting("p-3", "lead-1", kind="resource", category="fund", chains=None, deadline=None, anonymous=True),
    ])


def test_import_creates_verified_enterprises_and_published_postings(app, runner, tmp_path):
    result = runner.invoke(args=["import-data", valid_file(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "created {'enterprise': 2, 'posting': 3}" in result.output
    assert set(db.session.scalars(select(Enterprise.status))) == {"verified"}
    postings = {p.ref: p for p in db.session.scalars(select(Posting))}
    assert {p.status for p in postings.values()} == {"published"}
    assert postings["p-3"].chains == ["capital"]  # proposed when absent
    assert postings["p-3"].anonymous is True and postings["p-3"].deadline is None
    assert postings["p-2"].details["quantity"] == "20万米"
    assert postings["p-1"].region == "420100" and postings["p-1"].industry == "C3670"  # the owner's when absent
    assert "密封条" in postings["p-1"].tokens and "密封条" in postings["p-1"].search_text
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "import")) is not None
    # and they can be found
    client = app.test_client()
    assert "p-1 汽车密封条" in client.get("/postings?q=密封条").get_data(as_text=True)


def test_importing_again_updates_instead_of_duplicating(app, runner, tmp_path):
    path = valid_file(tmp_path)
    assert runner.invoke(args=["import-data", path]).exit_code == 0
    first = {p.ref: (p.id, list(p.tokens)) for p in db.session.scalars(select(Posting))}
    again = runner.invoke(args=["import-data", path])
    assert again.exit_code == 0, again.output
    assert "updated {'enterprise': 2, 'posting': 3}" in again.output
    assert count(Enterprise) == 2 and count(Posting) == 3
    db.session.expire_all()
    assert {p.ref: (p.id, list(p.tokens)) for p in db.session.scalars(select(Posting))} == first
    # a changed line changes its row
    changed = write(tmp_path / "changed.jsonl", [enterprise("sme-1", name="改名后的公司", uscc=db.session.scalar(
        select(Enterprise.uscc).where(Enterprise.ref == "sme-1"))), posting("p-1", "sme-1", title="液冷板加工")])
    assert runner.invoke(args=["import-data", changed]).exit_code == 0
    db.session.expire_all()
    row = db.session.scalar(select(Posting).where(Posting.ref == "p-1"))
    assert row.title == "液冷板加工" and "液冷板" in row.tokens and row.version == 3
    assert db.session.scalar(select(Enterprise.name).where(Enterprise.ref == "sme-1")) == "改名后的公司"


def test_a_file_with_bad_lines_imports_nothing_and_names_every_bad_line(app, runner, tmp_path):
    past = (date.today() - timedelta(days=1)).isoformat()
    path = write(tmp_path / "bad.jsonl", [
        enterprise("lead-1", role="lead", tier=None),                         # 1 fine
        "{not json",                                                          # 2
        posting("p-1", "nobody"),                                             # 3 unknown enterprise ref
        posting("p-2", "lead-1", kind="capability"),                          # 4 an SME kind for a lead
        posting("p-3", "lead-1", kind="need", category="component", deadline=past),  # 5 past deadline
        posting("p-4", "lead-1", kind="need", category="component", chains=["gold"]),  # 6 unknown chain
        posting("p-5", "lead-1", kind="need", category="component", industry="Z99"),  # 7 unknown industry
        posting("p-6", "lead-1", kind="need", category="component", title=""),  # 8 missing title
        posting("p-7", "lead-1", kind="need", category="component", title="长" * 121),  # 9 too long
        enterprise("sme-1", industry="C9999"),                                # 10 unknown industry
        posting("p-8", "lead-1", kind="need", category="component", tags="密封条"),  # 11 tags not a list
        posting("p-9", "lead-1", kind="need", category="component", titel="typo"),  # 12 unknown field
        posting("p-10", "lead-1", kind="need", category="component", deadline="2030/01/01"),  # 13 bad date
        "[1, 2]",                                                             # 14 not an object
        posting("p-11", "lead-1", kind="need", category="component"),        # 15 fine
        posting("p-11", "lead-1", kind="need", category="component"),        # 16 ref twice
    ])
    result = runner.invoke(args=["import-data", path])
    assert result.exit_code != 0
    output = result.output
    for line in (2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16):
        assert f"line {line}:" in output, (line, output)
    assert "line 1:" not in output and "line 15:" not in output
    assert "nobody" in output and "gold" in output and "titel" in output
    assert count(Enterprise) == 0 and count(Posting) == 0


def test_a_missing_file_and_a_non_utf8_file_are_refused(app, runner, tmp_path):
    assert runner.invoke(args=["import-data", str(tmp_path / "missing.jsonl")]).exit_code != 0
    bad = tmp_path / "gbk.jsonl"
    bad.write_bytes(json.dumps(enterprise("x"), ensure_ascii=False).encode("gbk"))
    result = runner.invoke(args=["import-data", str(bad)])
    assert result.exit_code != 0 and "UTF-8" in result.output
    assert count(Enterprise) == 0


def test_export_import_export_round_trip(app, runner, tmp_path):
    assert runner.invoke(args=["import-data", valid_file(tmp_path)]).exit_code == 0
    # plus rows made in the UI, in other states and with every kind of detail
    lead = factories.make_enterprise("lead", status="pending")
    user = factories.make_user(lead)
    draft = services.create_posting(lead, services.PostingInput(
        kind="challenge", category="technology", title="固态电池界面阻抗攻关", description="揭榜挂帅",
        tags=["固态电池", "界面"], details={"problem": "界面阻抗高", "budget_min": "100", "budget_max": "300.5"},
        deadline=date.today() + timedelta(days=100), anonymous=True, wants_specialized=True), actor=user)
    closed = services.create_posting(lead, services.PostingInput(
        kind="resource", category="test_site", title="整车试验场开放", description="高速环道", tags=[]),
        actor=user, publish=True)
    closed.status = "closed"
    db.session.commit()

    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    result = runner.invoke(args=["export-data", str(first)])
    assert result.exit_code == 0, result.output
    _empty_all_tables()
    assert count(Posting) == 0 and count(Enterprise) == 0
    result = runner.invoke(args=["import-data", str(first)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["export-data", str(second)]).exit_code == 0
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
    lines = [json.loads(line) for line in first.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 3 + 5
    by_ref = {r["ref"]: r for r in lines}
    assert by_ref[draft.ref]["status"] == "draft" and by_ref[draft.ref]["details"]["budget_max"] == 300.5
    assert by_ref[closed.ref]["status"] == "closed"
    assert by_ref[lead.ref]["status"] == "pending"
    assert db.session.scalar(select(Posting.status).where(Posting.ref == draft.ref)) == "draft"
