"""Benchmark of the engine against a real database: a synthetic world (matchmaker.matching.synthetic)
written into the tables, then a full rematch, a rerun, and incremental updates, timed.

    python -m matchmaker.engine.bench --db sqlite:////tmp/bench.db --leads 3000 --smes 35000 --seed 1

prints one JSON object per phase. The database is emptied first (never point it at real data):
the command refuses a database that holds enterprises not made by this benchmark.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import time
from datetime import timedelta


def emit(phase: str, seconds: float | None = None, **fields) -> None:
    record = {"phase": phase}
    if seconds is not None:
        record["seconds"] = round(seconds, 3)
    record.update(fields)
    record["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(record, ensure_ascii=False), flush=True)


def load_world(args) -> int:
    from sqlalchemy import func, insert, select

    from matchmaker.bench import tokenize_all
    from matchmaker.extensions import db
    from matchmaker.matching.synthetic import World
    from matchmaker.models import Enterprise, Posting
    from matchmaker.models.base import utcnow
    from matchmaker.uscc import make_uscc

    from sqlalchemy import inspect

    foreign = inspect(db.engine).has_table("enterprise") and db.session.scalar(
        select(func.count()).select_from(Enterprise).where(~Enterprise.ref.like("bench-%")))
    db.session.rollback()
    if foreign:
        raise SystemExit("This database holds other enterprises; the benchmark only runs on a database of its own.")
    db.drop_all()
    db.create_all()
    t = time.perf_counter()
    world = World(args.seed)
    profiles = list(world.leads(args.leads)) + list(world.smes(args.smes))
    profiles = tokenize_all(profiles, args.workers)
    emit("generate_and_tokenize", time.perf_counter() - t, postings=len(profiles))

    t = time.perf_counter()
    now = utcnow()
    firms = {}
    for p in profiles:
        firms.setdefault(p.enterprise_id, p)
    rows = []
    for n, (ent, p) in enumerate(firms.items(), start=1):
        rows.append(dict(
            ref=f"bench-{ent}", name=f"基准企业{n}", uscc=make_uscc(authority="9", category="1", region="420100",
                                                                  org_code9=f"{n:09d}"),
            role=p.side, tier=p.tier if p.side == "sme" else None, industry=(p.industry or "C36")[:5],
            region=p.region or "420100", description="", contact_name="基准", contact_phone="027-88886666",
            contact_email=f"bench{n}@example.cn", status="verified", verified_at=now, created_at=now, updated_at=now))
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(Enterprise), rows[start:start + 5000])
    ids = dict(db.session.execute(select(Enterprise.ref, Enterprise.id)).all())
    rng = random.Random(args.seed)
    posting_rows = []
    for n, p in enumerate(profiles, start=1):
        posting_rows.append(dict(
            ref=f"bench-post-{n}", enterprise_id=ids[f"bench-{p.enterprise_id}"], kind=p.kind, category=p.category,
            title=p.title[:120], description=p.description, tags=list(p.tags), industry=(p.industry or None),
            region=p.region, chains=list(p.chains), details={}, status="published",
            published_at=now - timedelta(days=rng.random() * 200), tokens=list(p.tokens), search_text="",
            created_at=now, updated_at=now))
    del profiles
    for start in range(0, len(posting_rows), 5000):
        db.session.execute(insert(Posting), posting_rows[start:start + 5000])
    db.session.commit()
    emit("load_database", time.perf_counter() - t, enterprises=len(rows), postings=len(posting_rows))
    return len(posting_rows)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="database URL (emptied!)")
    parser.add_argument("--leads", type=int, default=300, help="lead firms (10 postings each)")
    parser.add_argument("--smes", type=int, default=3500, help="SMEs (1-3 postings each)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--updates", type=int, default=50, help="incremental updates to time")
    parser.add_argument("--no-load", action="store_true", help="reuse the world already in the database")
    args = parser.parse_args(argv)

    from sqlalchemy import select

    from matchmaker import create_app
    from matchmaker.extensions import db
    from matchmaker.models import Posting

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.db})
    with app.app_context():
        from matchmaker.engine.services import engine_state, run_full_match, update_posting_suggestions

        if not args.no_load:
            load_world(args)
        phases: dict[str, float] = {}

        def progress(phase, done, total):
            phases.setdefault(phase, time.perf_counter())

        for label in ("full_rematch", "full_rematch_again"):
            phases.clear()
            t = time.perf_counter()
            stats = run_full_match(progress=progress)
            elapsed = time.perf_counter() - t
            marks = sorted(phases.items(), key=lambda kv: kv[1]) + [("end", time.perf_counter())]
            split = {a: round(marks[i + 1][1] - tm, 2) for i, (a, tm) in enumerate(marks[:-1])}
            emit(label, elapsed, phases=split, **{k: v for k, v in stats.items() if k not in ("by_chain", "seconds")})

        ids = db.session.scalars(select(Posting.id).order_by(Posting.id)).all()
        sample = random.Random(args.seed).sample(ids, min(args.updates + 1, len(ids)))
        t = time.perf_counter()
        update_posting_suggestions(sample[0])
        emit("incremental_first", time.perf_counter() - t, index_builds=engine_state(app).index.builds)
        times = []
        for pid in sample[1:]:
            t = time.perf_counter()
            update_posting_suggestions(pid)
            times.append(time.perf_counter() - t)
        times.sort()
        if times:
            emit("incremental", None, n=len(times), median_ms=round(1000 * statistics.median(times), 1),
                 p95_ms=round(1000 * times[max(0, int(len(times) * 0.95) - 1)], 1), max_ms=round(1000 * times[-1], 1))


if __name__ == "__main__":
    main()
