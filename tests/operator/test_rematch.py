"""Starting a full rematch from the console and following it through /operator/runs/<id>."""

from __future__ import annotations

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import MatchRun, Suggestion


def test_operator_starts_a_rematch_and_follows_it(app, client, login_operator, world):
    from matchmaker.engine.services import wait_for_run

    login_operator()
    html = client.get("/operator/").get_data(as_text=True)
    assert 'data-testid="no-run"' in html and 'data-testid="start-rematch"' in html
    response = client.post("/operator/runs")
    assert response.status_code == 302 and "#rematch" in response.headers["Location"]
    run = db.session.scalars(select(MatchRun).order_by(MatchRun.id.desc())).first()
    assert run is not None
    status = client.get(f"/operator/runs/{run.id}").get_json()
    assert status["id"] == run.id and status["status"] in ("running", "done")
    assert 0 <= status["percent"] <= 100
    assert wait_for_run(app, run.id, timeout=60)
    status = client.get(f"/operator/runs/{run.id}").get_json()
    assert status["status"] == "done" and status["percent"] == 100 and "created" in status["stats"]
    html = client.get("/operator/").get_data(as_text=True)
    assert 'data-testid="run-panel"' in html and f'/operator/runs/{run.id}' in html
    # the matcher now has suggestions for the lead needs (the world's handmade ones were kept or replaced)
    assert db.session.scalar(select(Suggestion.id).limit(1)) is not None


def test_a_second_start_while_running_shows_the_running_one(client, login_operator):
    login_operator()
    running = MatchRun(status="running", phase="score", done=5, total=20)
    db.session.add(running)
    db.session.commit()
    response = client.post("/operator/runs")
    assert response.status_code == 302
    assert db.session.scalar(select(db.func.count()).select_from(MatchRun)) == 1
    status = client.get(f"/operator/runs/{running.id}").get_json()
    assert status == {**status, "status": "running", "phase": "score", "done": 5, "total": 20, "percent": 25}
    assert client.get("/operator/runs/999999").status_code == 404
