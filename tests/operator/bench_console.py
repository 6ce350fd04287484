"""Render times of the operator console with the demo world (a benchmark: prints, asserts nothing).

    python -m tests.operator.bench_console                  # builds the demo world in a temporary SQLite file
    python -m tests.operator.bench_console sqlite:////tmp/demo.db   # an existing database with the demo world

The demo world is loaded with `seed_demo_world`, matched with `run_full_match`, and given matches and
interest with tests.operator.demo.add_engagement."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time

from matchmaker import create_app
from matchmaker.extensions import db


def build(app) -> None:
    from matchmaker.demo_seed import seed_demo_world
    from matchmaker.engine.services import run_full_match

    from .demo import add_engagement

    db.create_all()
    seed_demo_world()
    run_full_match()
    print("engagement:", add_engagement())


def main(argv: list[str]) -> None:
    url = argv[1] if len(argv) > 1 else f"sqlite:///{tempfile.mkdtemp()}/demo.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True,
                      "WTF_CSRF_ENABLED": False, "SESSION_COOKIE_SECURE": False})
    with app.app_context():
        if len(argv) <= 1:
            build(app)
        from matchmaker.models import Enterprise, Match, Suggestion
        from matchmaker.operator import network

        counts = {m.__name__: db.session.query(m).count() for m in (Enterprise, Suggestion, Match)}
        print("world:", counts)
        lead = db.session.query(Enterprise).filter_by(role="lead").first()
    client = app.test_client()
    response = client.post("/login", data={"email": "operator@demo.cn", "password": "demo-pass-2026"})
    assert response.status_code == 302, "the demo operator could not log in"
    pages = [("/operator/network", "network map (matches)"),
             ("/operator/network?suggestions=1", "network map (matches + open suggestions)"),
             (f"/operator/network?lead={lead.id}&suggestions=1", "a lead firm's neighbourhood"),
             ("/operator/", "dashboard"), ("/operator/gaps", "chain gaps")]
    for path, name in pages:
        with app.app_context():
            network._layout_cache.clear()
        times = []
        for _ in range(4):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, path
        size = len(response.get_data())
        print(f"{name:45s} first {times[0]:7.1f} ms, then median {statistics.median(times[1:]):7.1f} ms "
              f"({size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main(sys.argv)
