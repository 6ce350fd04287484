"""The bridge between the database and the matcher: full rematches, incremental updates, export.

The matcher (:mod:`matchmaker.matching`) is pure: profiles in, suggestions out. This module reads the
published postings as profiles (:mod:`.profiles`), hands them to the matcher, and reconciles what it
proposes with the stored :class:`~matchmaker.models.Suggestion` rows:

* a *decided* suggestion (either side has a decision, or its status is interest, matched or declined)
  is kept exactly as it is, and its pair is never proposed again; kept open/interest ones count
  against the SME enterprise's cap M and the lead posting's cap K;
* an *open* suggestion that is selected again gets its new chain, score, rank and reasons; one that
  is no longer selected becomes ``withdrawn`` (never deleted: notifications may link to it);
* a newly selected pair is inserted — or, when a withdrawn row for the pair exists, revived.

Every write guards on "still open and undecided", so a decision taken while a rematch was computing
is never overwritten. Writes are bulk statements (executemany) in one transaction.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable, Iterable, Iterator, Mapping

from flask import Flask, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, func, or_, select, update

from .. import audit, signals
from ..errors import Conflict
from ..extensions import db
from ..models import Enterprise, MatchRun, Posting, Suggestion, User
from ..models.base import utcnow
from . import profiles as P

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]

ACTIVE_STATUSES = ("open", "interest")  # visible to the parties; they count against the caps
DECIDED_STATUSES = ("interest", "matched", "declined")
STALE_RUN_AFTER = timedelta(minutes=30)  # a "running" run this old, not alive here, died with its process
INDEX_MAX_AGE = timedelta(hours=6)  # the cached index is rebuilt after this (freshness is part of a score)
INDEX_REFRESH_MARGIN = timedelta(seconds=10)  # re-read rows stamped this long before the last sync
INDEX_REBUILD_DELTA = 5000  # more changed postings than this: rebuild the cached index instead
ANALYZE_AFTER = 10000  # rows written by a full run after which PostgreSQL's statistics are refreshed
CHUNK = 900  # ids per IN (...) list (SQLite allows 999 parameters by default)
PROGRESS_INTERVAL = 0.5  # seconds between MatchRun progress writes

# Phases a MatchRun goes through (the matcher's own phase names are shown as they are).
PHASES = {
    "queued": _l("Waiting to start"),
    "load": _l("Loading postings"),
    "compile": _l("Reading posting texts"),
    "candidates": _l("Scoring candidate pairs"),
    "select": _l("Choosing suggestions under the caps"),
    "reasons": _l("Writing the reasons"),
    "store": _l("Saving suggestions"),
    "follow-up": _l("Updating postings changed during the run"),
    "done": _l("Finished"),
    "failed": _l("Failed"),
}


# --------------------------------------------------------------------------------------------
# Per-application state: the cached index, the write lock, running full runs.
# --------------------------------------------------------------------------------------------

class IndexCache:
    """A lazily built :class:`MatchIndex` of the matchable postings, kept current by version.

    The "version" is the latest ``updated_at`` of postings and enterprises seen: every use first
    re-reads the rows changed since then (posting edits, status changes, an enterprise verified or
    suspended, also when made by another process) and upserts or removes them, so the index always
    reflects the database without being rebuilt. It is rebuilt when too much changed at once, when it
    is older than ``INDEX_MAX_AGE`` (freshness is part of a score), or after :meth:`invalidate`.
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.index = None
        self.built_at: datetime | None = None
        self.posting_mark: datetime | None = None
        self.enterprise_mark: datetime | None = None
        self.seen: dict[int, tuple] = {}  # posting id -> (its, its enterprise's updated_at) applied
        self.synced_at: datetime = utcnow()
        self.builds = 0

    def invalidate(self) -> None:
        with self.lock:
            self.index = None

    def _marks(self) -> tuple[datetime | None, datetime | None]:
        return tuple(db.session.execute(select(select(func.max(Posting.updated_at)).scalar_subquery(),
                                               select(func.max(Enterprise.updated_at)).scalar_subquery())).one())

    def get(self, *, refresh_every: float = 0.0):
        """The index, brought up to date with the database. Call with :attr:`lock` held.

        ``refresh_every``: seconds during which the last sync is trusted (checking the version costs
        two scans of the posting and enterprise tables at scale). Callers upsert the posting they work
        on themselves, so only changes made by other processes wait that long."""
        from ..matching import MatchIndex

        now = utcnow()
        if self.index is not None and self.built_at is not None and now - self.built_at < INDEX_MAX_AGE:
            if refresh_every and (now - self.synced_at).total_seconds() < refresh_every:
                return self.index
            if self._refresh():
                return self.index
        marks = self._marks()
        # Versions of the rows the next refresh re-reads, taken before the profiles are read.
        floor = now - INDEX_REFRESH_MARGIN
        self.seen = dict(self._versions(or_(Posting.updated_at > floor, Enterprise.updated_at > floor)))
        self.synced_at = now
        self.index = MatchIndex(P.load_profiles(), now=now)
        self.built_at = now
        self.posting_mark, self.enterprise_mark = marks
        self.builds += 1
        return self.index

    def _refresh(self) -> bool:
        """Apply the rows changed since the last sync; False when a rebuild is better.

        Changed rows are those with a newer ``updated_at`` than the marks, and — because a row may be
        committed a little after the timestamp it carries — those stamped within
        ``INDEX_REFRESH_MARGIN`` before the last sync (each version is applied only once)."""
        synced_at = utcnow()
        marks = self._marks()
        # A table that was empty at the last mark and is not now: rebuild rather than guess.
        if any(old is None and new is not None for old, new in zip((self.posting_mark, self.enterprise_mark), marks)):
            return False
        floor = self.synced_at - INDEX_REFRESH_MARGIN
        conditions = [column > min(mark, floor) for column, mark in
                      zip((Posting.updated_at, Enterprise.updated_at), (self.posting_mark, self.enterprise_mark))
                      if mark is not None]
        rows = self._versions(or_(*conditions)) if conditions else []
        changed = [pid for pid, version in rows if self.seen.get(pid) != version]
        if len(changed) > INDEX_REBUILD_DELTA or len(rows) >= 4 * INDEX_REBUILD_DELTA:
            return False
        self.apply(changed)
        next_floor = synced_at - INDEX_REFRESH_MARGIN  # rows that the next window can return again
        self.seen = {pid: version for pid, version in rows
                     if any(at is not None and at >= next_floor for at in version)}
        self.posting_mark, self.enterprise_mark, self.synced_at = marks[0], marks[1], synced_at
        return True

    def _versions(self, condition) -> list[tuple[int, tuple]]:
        """(posting id, (its updated_at, its enterprise's)) of the rows meeting the condition."""
        return [(pid, (p_at, e_at)) for pid, p_at, e_at in db.session.execute(
            select(Posting.id, Posting.updated_at, Enterprise.updated_at)
            .join(Enterprise, Posting.enterprise_id == Enterprise.id)
            .where(condition).limit(4 * INDEX_REBUILD_DELTA))]

    def apply(self, posting_ids: Iterable[int]) -> None:
        """Upsert the matchable ones among these postings, remove the others."""
        posting_ids = list(posting_ids)
        current = P.profiles_by_id(posting_ids)
        for pid in posting_ids:
            profile = current.get(pid)
            if profile is not None:
                self.index.upsert(profile)
            else:
                self.index.remove(pid)


@dataclass
class EngineState:
    index: IndexCache = field(default_factory=IndexCache)
    # Serialises this process's writes to the suggestion table (incremental updates, a full run's store).
    write_lock: threading.RLock = field(default_factory=threading.RLock)
    state_lock: threading.Lock = field(default_factory=threading.Lock)
    full_runs: int = 0
    # Postings changed while a full run was computing: brought up to date again after it stored.
    dirty: set[int] = field(default_factory=set)
    threads: dict[int, threading.Thread] = field(default_factory=dict)


_STATE_LOCK = threading.Lock()


def engine_state(app: Flask | None = None) -> EngineState:
    app = app or current_app._get_current_object()
    state = app.extensions.get("matchmaker.engine")
    if state is None:
        with _STATE_LOCK:
            state = app.extensions.setdefault("matchmaker.engine", EngineState())
    return state


# --------------------------------------------------------------------------------------------
# Stored suggestions and the plan that reconciles them with the matcher's selection.
# --------------------------------------------------------------------------------------------

STORED_COLUMNS = (
    Suggestion.id, Suggestion.lead_posting_id, Suggestion.sme_posting_id, Suggestion.lead_enterprise_id,
    Suggestion.sme_enterprise_id, Suggestion.chain, Suggestion.score, Suggestion.rank, Suggestion.reciprocal,
    Suggestion.status, Suggestion.lead_decision, Suggestion.sme_decision,
)


@dataclass(slots=True)
class Stored:
    id: int
    lead_posting_id: int
    sme_posting_id: int
    lead_enterprise_id: int
    sme_enterprise_id: int
    chain: str
    score: float
    rank: int
    reciprocal: bool
    status: str
    lead_decision: str | None
    sme_decision: str | None

    @property
    def pair(self) -> tuple[int, int]:
        return (self.lead_posting_id, self.sme_posting_id)

    @property
    def decided(self) -> bool:
        """Kept exactly as it is by every rerun."""
        return (self.lead_decision is not None or self.sme_decision is not None
                or self.status not in ("open", "withdrawn"))

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def replaceable(self) -> bool:
        """Open and undecided: the matcher's to update or withdraw."""
        return self.status == "open" and self.lead_decision is None and self.sme_decision is None


def _status(table=Suggestion):
    """The status column wrapped so that it never drives SQLite's choice of index: with bound
    parameters SQLite would scan every open suggestion through the status index instead of the few
    rows of one posting or enterprise (PostgreSQL plans from statistics and is not affected)."""
    status = table.c.status if hasattr(table, "c") else table.status
    return status.concat("")


def _undecided(table=Suggestion):
    return and_(table.lead_decision.is_(None), table.sme_decision.is_(None))


def load_stored(*conditions) -> list[Stored]:
    """Stored suggestions except undecided withdrawn ones (those only matter to an upsert)."""
    stmt = select(*STORED_COLUMNS).where(
        or_(Suggestion.status != "withdrawn", Suggestion.lead_decision.is_not(None),
            Suggestion.sme_decision.is_not(None)))
    if conditions:
        stmt = stmt.where(*conditions)
    return [Stored(*row) for row in db.session.connection().execute(stmt.execution_options(yield_per=20000))]


def reasons_json(reasons) -> list[dict[str, Any]]:
    return [{"code": r.code, "zh": r.zh, "en": r.en, "weight": round(float(r.weight), 4)} for r in reasons]


def rank_visible(visible: Iterable[tuple[float, int, Any]]) -> list[Any]:
    """Order (score, sme_posting_id, item) triples the way ranks are given: best score first."""
    return [item for _score, _sme, item in sorted(visible, key=lambda t: (-t[0], t[1]))]


@dataclass
class Plan:
    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    rank_updates: list[dict[str, Any]] = field(default_factory=list)
    withdrawals: list[int] = field(default_factory=list)
    unchanged: int = 0
    by_chain: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def build_plan(selected, replaceable: dict[tuple[int, int], Stored], kept_active: dict[int, list[Stored]],
               owners: dict[int, int], *, refresh: bool = False) -> Plan:
    """Reconcile a selection with the stored rows in its scope.

    ``selected``: the matcher's suggestions (already within the caps); ``replaceable``: the open
    undecided rows in scope, by pair; ``kept_active``: decided open/interest rows by lead posting (they
    take part in the ranking but are not written); ``owners``: posting id -> enterprise id.
    """
    plan = Plan()
    by_lead: dict[int, list] = defaultdict(list)
    for s in selected:
        by_lead[s.lead_posting_id].append(s)
    chosen_pairs = set()
    for lead_id, items in by_lead.items():
        visible = [(s.score, s.sme_posting_id, s) for s in items]
        visible += [(k.score, k.sme_posting_id, None) for k in kept_active.get(lead_id, ())]
        for rank, s in enumerate(rank_visible(visible), start=1):
            if s is None:
                continue
            pair = (s.lead_posting_id, s.sme_posting_id)
            chosen_pairs.add(pair)
            plan.by_chain[s.chain] += 1
            old = replaceable.get(pair)
            if old is None:
                plan.inserts.append({
                    "lead_posting_id": s.lead_posting_id, "sme_posting_id": s.sme_posting_id,
                    "lead_enterprise_id": owners[s.lead_posting_id], "sme_enterprise_id": owners[s.sme_posting_id],
                    "chain": s.chain, "score": float(s.score), "rank": rank, "reasons": reasons_json(s.reasons),
                    "reciprocal": bool(s.reciprocal),
                })
            elif (refresh or old.chain != s.chain or abs(old.score - s.score) > 1e-9 or old.rank != rank
                  or bool(old.reciprocal) != bool(s.reciprocal)):
                plan.updates.append({
                    "b_id": old.id, "b_chain": s.chain, "b_score": float(s.score), "b_rank": rank,
                    "b_reasons": reasons_json(s.reasons), "b_reciprocal": bool(s.reciprocal),
                })
            else:
                plan.unchanged += 1
    plan.withdrawals = [old.id for pair, old in replaceable.items() if pair not in chosen_pairs]
    plan.by_chain = dict(plan.by_chain)
    return plan


def _insert_statement(rows_now: datetime):
    """INSERT … ON CONFLICT (pair) DO UPDATE — reviving an undecided withdrawn row — RETURNING id."""
    table = Suggestion.__table__
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif db.engine.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the platform runs on SQLite or PostgreSQL
        raise RuntimeError(f"unsupported database {db.engine.dialect.name}")
    stmt = insert(table)
    revive = {name: getattr(stmt.excluded, name)
              for name in ("chain", "score", "rank", "reasons", "reciprocal", "lead_enterprise_id",
                           "sme_enterprise_id")}
    revive.update(status="open", updated_at=rows_now)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.lead_posting_id, table.c.sme_posting_id], set_=revive,
        where=and_(table.c.status == "withdrawn", table.c.lead_decision.is_(None), table.c.sme_decision.is_(None)),
    )
    return stmt.returning(table.c.id)


def apply_plan(plan: Plan, *, progress: Progress | None = None) -> tuple[list[int], int, int]:
    """Write the plan in the session's transaction. Returns (new ids, rows updated, rows withdrawn)."""
    table = Suggestion.__table__
    now = utcnow()
    still_open = and_(_status(table) == "open", table.c.lead_decision.is_(None), table.c.sme_decision.is_(None))
    total = len(plan.withdrawals) + len(plan.updates) + len(plan.inserts) + len(plan.rank_updates)
    done = 0
    withdrawn = 0
    for start in range(0, len(plan.withdrawals), CHUNK):
        chunk = plan.withdrawals[start:start + CHUNK]
        result = db.session.execute(
            update(table).where(table.c.id.in_(chunk), still_open).values(status="withdrawn", updated_at=now))
        withdrawn += result.rowcount
        done += len(chunk)
        if progress:
            progress("store", done, total)
    updated = 0
    if plan.updates:
        stmt = (update(table).where(table.c.id == bindparam("b_id"), still_open)
                .values(chain=bindparam("b_chain"), score=bindparam("b_score"), rank=bindparam("b_rank"),
                        reasons=bindparam("b_reasons", type_=table.c.reasons.type),
                        reciprocal=bindparam("b_reciprocal"), updated_at=now))
        for start in range(0, len(plan.updates), 5000):
            chunk = plan.updates[start:start + 5000]
            db.session.execute(stmt, chunk)
            updated += len(chunk)
            done += len(chunk)
            if progress:
                progress("store", done, total)
    if plan.rank_updates:
        stmt = update(table).where(table.c.id == bindparam("b_id"), still_open).values(rank=bindparam("b_rank"))
        db.session.execute(stmt, plan.rank_updates)
        done += len(plan.rank_updates)
    new_ids: list[int] = []
    if plan.inserts:
        stmt = _insert_statement(now)
        for start in range(0, len(plan.inserts), 5000):
            chunk = [dict(row, status="open", created_at=now, updated_at=now)
                     for row in plan.inserts[start:start + 5000]]
            new_ids.extend(db.session.execute(stmt, chunk).scalars().all())
            done += len(chunk)
            if progress:
                progress("store", done, total)
    return new_ids, updated, withdrawn


def _held_by_sme(stored: Iterable[Stored]) -> dict[int, int]:
    held: dict[int, int] = defaultdict(int)
    for row in stored:
        if row.active:
            held[row.sme_enterprise_id] += 1
    return held


def _cap_per_lead(selected, k: int, kept_active: dict[int, list[Stored]]):
    """At most K visible suggestions per lead posting, kept open/interest ones included."""
    count: dict[int, int] = defaultdict(int)
    out = []
    for s in sorted(selected, key=lambda s: (s.lead_posting_id, -s.score, s.sme_posting_id)):
        if count[s.lead_posting_id] + len(kept_active.get(s.lead_posting_id, ())) < k:
            count[s.lead_posting_id] += 1
            out.append(s)
    return out


def _analyze_suggestions() -> None:
    """Refresh PostgreSQL's statistics of the suggestion table after a large store, so that the
    incremental updates' lookups by posting and enterprise are planned as index scans at once, even
    before (or without) autovacuum's next analyse."""
    try:
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE suggestion")
    except Exception:
        log.exception("ANALYZE suggestion failed")


def _send_created(ids: list[int]) -> None:
    """Announce new suggestions (after the commit). A failing receiver is logged: the suggestions
    are stored, and a rematch must not be reported as failed because of a notification."""
    if ids:
        try:
            signals.suggestions_created.send(current_app._get_current_object(), suggestion_ids=list(ids))
        except Exception:
            log.exception("A receiver of suggestions_created failed")
            db.session.rollback()


# --------------------------------------------------------------------------------------------
# MatchRun bookkeeping: short transactions of their own, so that a page can poll progress.
# --------------------------------------------------------------------------------------------

def _write_run(run_id: int, **values: Any) -> None:
    with db.engine.begin() as conn:
        conn.execute(update(MatchRun.__table__).where(MatchRun.__table__.c.id == run_id).values(**values))


class _Reporter:
    """Forwards (phase, done, total) to the caller's progress and, throttled, to the MatchRun row."""

    def __init__(self, progress: Progress | None, run_id: int | None):
        self.progress = progress
        self.run_id = run_id
        self.phase: str | None = None
        self.last_write = 0.0
        self.db_quiet = False  # SQLite: no second writer while the store transaction is open

    def __call__(self, phase: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(phase, done, total)
        if self.run_id is None or self.db_quiet:
            return
        now = time.monotonic()
        if phase != self.phase or now - self.last_write >= PROGRESS_INTERVAL or (total and done >= total):
            self.phase = phase
            self.last_write = now
            _write_run(self.run_id, phase=phase[:48], done=int(done), total=int(total or 0))


def begin_run(actor: User | None = None) -> MatchRun:
    """Record a new full run, refusing (Conflict) while another one is running.

    A run left "running" for more than 30 minutes that is not alive in this process belongs to a
    process that died: it is marked failed and does not block."""
    state = engine_state()
    with state.state_lock:
        now = utcnow()
        alive = {rid for rid, thread in state.threads.items() if thread.is_alive()}
        running = db.session.scalars(select(MatchRun).where(MatchRun.status == "running")).all()
        for run in running:
            if run.id in alive or now - run.started_at < STALE_RUN_AFTER:
                raise Conflict(_("A full rematch is already running. Wait for it to finish."))
        for run in running:
            run.status = "failed"
            run.error = "abandoned: the process running it stopped"
            run.finished_at = now
        run = MatchRun(status="running", phase="queued", done=0, total=0, stats={},
                       triggered_by_id=actor.id if actor is not None else None, started_at=now)
        db.session.add(run)
        db.session.flush()
        audit.record("match.run", actor=actor, target=run)
        db.session.commit()
        return run


# --------------------------------------------------------------------------------------------
# The full rematch.
# --------------------------------------------------------------------------------------------

def run_full_match(*, progress: Progress | None = None, run: MatchRun | None = None,
                   refresh: bool = False) -> dict[str, Any]:
    """Recompute every suggestion from the matchable postings; see the module's rules.

    ``progress(phase, done, total)`` is called along the way; ``run``, when given, is kept up to date
    (committed separately) and finished as done or failed. ``refresh`` rewrites the reasons of every
    re-selected suggestion even when its score and rank did not change. Returns the stats."""
    from ..matching import match_all

    app = current_app._get_current_object()
    state = engine_state(app)
    run_id = run.id if run is not None else None
    reporter = _Reporter(progress, run_id)
    started = time.perf_counter()
    k = int(app.config["MATCH_PER_LEAD_POSTING"])
    m = int(app.config["MATCH_PER_SME"])
    with state.state_lock:
        state.full_runs += 1
    counted = True
    try:
        reporter("load", 0, 0)
        profiles = P.load_profiles()
        owners = {p.id: p.enterprise_id for p in profiles}
        stored = load_stored()
        reporter("load", len(profiles), len(profiles))
        db.session.rollback()  # end the read; the store below is a transaction of its own

        decided = [row for row in stored if row.decided]
        kept_active: dict[int, list[Stored]] = defaultdict(list)
        for row in decided:
            if row.active:
                kept_active[row.lead_posting_id].append(row)
        held = {e: min(n, m) for e, n in _held_by_sme(decided).items()}
        excluded = frozenset(row.pair for row in decided)
        replaceable = {row.pair: row for row in stored if row.replaceable}
        del stored

        selected = match_all(profiles, k=k, m=m, excluded_pairs=excluded, held=held, progress=reporter)
        selected = _cap_per_lead(selected, k, kept_active)
        plan = build_plan(selected, replaceable, kept_active, owners, refresh=refresh)
        del profiles, selected

        total = len(plan.inserts) + len(plan.updates) + len(plan.withdrawals)
        reporter("store", 0, total)
        reporter.db_quiet = db.engine.dialect.name == "sqlite"
        with state.write_lock:
            new_ids, updated, withdrawn = apply_plan(plan, progress=reporter)
            db.session.commit()
        reporter.db_quiet = False
        if db.engine.dialect.name == "postgresql" and updated + withdrawn + len(new_ids) > ANALYZE_AFTER:
            _analyze_suggestions()
        reporter("store", total, total)
        stats = {
            "created": len(new_ids), "updated": updated, "unchanged": plan.unchanged, "withdrawn": withdrawn,
            "kept": len(decided), "by_chain": plan.by_chain, "postings": len(owners),
        }
        _send_created(new_ids)
        with state.state_lock:
            state.full_runs -= 1
            counted = False
            dirty, state.dirty = (state.dirty, set()) if state.full_runs == 0 else (set(), state.dirty)
        if dirty:
            reporter("follow-up", 0, len(dirty))
            for n, posting_id in enumerate(sorted(dirty), start=1):
                try:
                    update_posting_suggestions(posting_id)
                except Exception:  # stored already; the next run repairs this posting
                    log.exception("Follow-up update of posting %s failed", posting_id)
                    db.session.rollback()
                reporter("follow-up", n, len(dirty))
        stats["seconds"] = round(time.perf_counter() - started, 3)
        if run_id is not None:
            _write_run(run_id, status="done", phase="done", stats=stats, finished_at=utcnow(),
                       done=total, total=total)
        return stats
    except BaseException as exc:
        db.session.rollback()
        if counted:
            with state.state_lock:
                state.full_runs -= 1
        if run_id is not None:
            _write_run(run_id, status="failed", phase="failed", error=f"{type(exc).__name__}: {exc}"[:2000],
                       finished_at=utcnow())
        raise


def start_background_rematch(app: Flask, actor: User | None) -> MatchRun:
    """Start a full rematch in a thread of its own and return its MatchRun (status "running").

    Raises Conflict when a run is already going on. Poll the row (phase, done, total, status, stats,
    error) to follow it."""
    with nullcontext() if _in_app(app) else app.app_context():
        run = begin_run(actor)
        run_id = run.id
        state = engine_state(app)
        thread = threading.Thread(target=_background, args=(app, run_id), name=f"rematch-{run_id}", daemon=True)
        with state.state_lock:
            state.threads[run_id] = thread
        thread.start()
        return run


def _in_app(app: Flask) -> bool:
    from flask import has_app_context

    return has_app_context() and current_app._get_current_object() is app


def _background(app: Flask, run_id: int) -> None:
    with app.app_context():
        try:
            run = db.session.get(MatchRun, run_id)
            run_full_match(run=run)
        except Exception:  # recorded on the run row by run_full_match
            log.exception("Background rematch %s failed", run_id)
        finally:
            db.session.remove()
            state = engine_state(app)
            with state.state_lock:
                state.threads.pop(run_id, None)


def wait_for_run(app: Flask, run_id: int, timeout: float | None = None) -> bool:
    """Block until this process's background run ends; False on timeout (or when not running here)."""
    thread = engine_state(app).threads.get(run_id)
    if thread is None:
        return True
    thread.join(timeout)
    return not thread.is_alive()


def latest_run() -> MatchRun | None:
    return db.session.scalar(select(MatchRun).order_by(MatchRun.started_at.desc(), MatchRun.id.desc()).limit(1))


# --------------------------------------------------------------------------------------------
# Incremental updates: one posting published, edited, or withdrawn.
# --------------------------------------------------------------------------------------------

def _refresh_every(app: Flask) -> float:
    return float(app.config.get("MATCH_INDEX_REFRESH_SECONDS", 2.0))


def _active_counts(column, *conditions) -> dict[int, int]:
    stmt = (select(column, func.count()).where(_status().in_(ACTIVE_STATUSES), *conditions)
            .group_by(column))
    return {key: n for key, n in db.session.execute(stmt)}


class _Counts(Mapping):
    """Active suggestions per key (SME enterprise or lead posting), read for the expected keys in one
    query and for any other key on demand, less a discount per key."""

    def __init__(self, column, keys: Iterable[int], discount: dict[int, int], *conditions):
        self.column, self.conditions, self.discount = column, conditions, discount
        self.cache: dict[int, int] = {}
        keys = sorted(set(keys))
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start:start + CHUNK]
            found = _active_counts(column, column.in_(chunk), *conditions)
            self.cache.update((key, found.get(key, 0) - discount.get(key, 0)) for key in chunk)

    def __getitem__(self, key: int) -> int:
        if key not in self.cache:
            found = _active_counts(self.column, self.column == key, *self.conditions)
            self.cache[key] = found.get(key, 0) - self.discount.get(key, 0)
        return self.cache[key]

    def __iter__(self):
        return iter(self.cache)

    def __len__(self) -> int:
        return len(self.cache)


def _rerank(lead_ids: Iterable[int]) -> int:
    """Give the open undecided suggestions of these lead postings their place among the visible ones."""
    lead_ids = sorted(set(lead_ids))
    rows: list[Stored] = []
    for start in range(0, len(lead_ids), CHUNK):
        rows += load_stored(Suggestion.lead_posting_id.in_(lead_ids[start:start + CHUNK]),
                            _status().in_(ACTIVE_STATUSES))
    by_lead: dict[int, list[Stored]] = defaultdict(list)
    for row in rows:
        by_lead[row.lead_posting_id].append(row)
    changes = []
    for items in by_lead.values():
        for rank, row in enumerate(rank_visible((r.score, r.sme_posting_id, r) for r in items), start=1):
            if row.replaceable and row.rank != rank:
                changes.append({"b_id": row.id, "b_rank": rank})
    if changes:
        apply_plan(Plan(rank_updates=changes))
    return len(changes)


def update_posting_suggestions(posting_id: int) -> dict[str, Any]:
    """Bring the suggestions of one posting up to date at once (after it was published or edited).

    Uses the cached index and :func:`~matchmaker.matching.suggest_for` with the same rules as a full
    run for the pairs involving this posting: decided pairs are kept and not proposed again, the SME
    enterprise's cap M and the lead posting's cap K hold. For an SME posting, a lead posting that is
    full takes it only in place of a weaker open suggestion, which is withdrawn. Commits."""
    from ..matching import suggest_for

    app = current_app._get_current_object()
    state = engine_state(app)
    started = time.perf_counter()
    k = int(app.config["MATCH_PER_LEAD_POSTING"])
    m = int(app.config["MATCH_PER_SME"])
    with state.state_lock:
        if state.full_runs:
            state.dirty.add(posting_id)
    with state.write_lock, state.index.lock:
        index = state.index.get(refresh_every=_refresh_every(app))
        profile = P.profile_of(posting_id)
        if profile is None:
            index.remove(posting_id)
            stats = _withdraw(posting_id)
            db.session.commit()
            stats["seconds"] = round(time.perf_counter() - started, 4)
            return stats
        index.upsert(profile)
        mine = load_stored(or_(Suggestion.lead_posting_id == posting_id, Suggestion.sme_posting_id == posting_id))
        decided = [row for row in mine if row.decided]
        replaceable = {row.pair: row for row in mine if row.replaceable}
        excluded = frozenset(row.pair for row in decided)
        # Counts are read for the candidates only (not grouped over the whole table), with a one-row
        # query for any other key the matcher asks about.
        candidates = index.candidates(profile, limit=max(4 * k, 40) + len(excluded))
        if profile.side == "lead":
            discount: dict[int, int] = defaultdict(int)
            for row in replaceable.values():  # this posting's open ones are being recomputed
                discount[row.sme_enterprise_id] += 1
            held = _Counts(Suggestion.sme_enterprise_id, {c.sme_enterprise_id for c in candidates}, discount)
            kept_active = {posting_id: [row for row in decided if row.active]}
            selected = suggest_for(profile, index, k=k, m=m, excluded_pairs=excluded, held=held)
            selected = _cap_per_lead(selected, k, kept_active)
            owner_ids = {s.sme_posting_id for s in selected}
            bumped: list[int] = []
        else:
            held = _Counts(Suggestion.sme_enterprise_id, {profile.enterprise_id},
                           {profile.enterprise_id: len(replaceable)})
            # A lead posting is closed to this SME posting only by suggestions that cannot be replaced.
            lead_held = _Counts(Suggestion.lead_posting_id, {c.lead_posting_id for c in candidates}, {},
                                Suggestion.sme_posting_id != posting_id,
                                or_(Suggestion.status != "open", ~_undecided()))
            candidates = suggest_for(profile, index, k=k, m=m, excluded_pairs=excluded, held=held,
                                     lead_held=lead_held)
            selected, bumped = _fit_into_leads(candidates, profile, k, replaceable)
            owner_ids = {s.lead_posting_id for s in selected}
            kept_active = _kept_active_of(owner_ids)
        owners = {pid: eid for pid, eid in db.session.execute(
            select(Posting.id, Posting.enterprise_id).where(Posting.id.in_(owner_ids | {posting_id})))}
        plan = build_plan(selected, replaceable, kept_active, owners)
        plan.withdrawals.extend(bumped)
        new_ids, updated, withdrawn = apply_plan(plan)
        affected = {s.lead_posting_id for s in selected} | {row.lead_posting_id for row in mine}
        _rerank(affected | {posting_id} if profile.side == "lead" else affected)
        db.session.commit()
    _send_created(new_ids)
    return {"created": len(new_ids), "updated": updated, "withdrawn": withdrawn, "unchanged": plan.unchanged,
            "by_chain": plan.by_chain, "seconds": round(time.perf_counter() - started, 4)}


def _kept_active_of(lead_ids: set[int]) -> dict[int, list[Stored]]:
    out: dict[int, list[Stored]] = defaultdict(list)
    ids = sorted(lead_ids)
    for start in range(0, len(ids), CHUNK):
        for row in load_stored(Suggestion.lead_posting_id.in_(ids[start:start + CHUNK]),
                               _status().in_(ACTIVE_STATUSES)):
            if row.decided:
                out[row.lead_posting_id].append(row)
    return out


def _fit_into_leads(candidates, profile, k: int, replaceable: dict[tuple[int, int], Stored]):
    """Place an SME posting's candidates with their lead postings under the cap K per lead posting.

    A lead posting with room takes it; a full one takes it only in place of its weakest open
    undecided suggestion when the new one scores higher, and at most one suggestion per SME
    enterprise holds (a weaker open one from another posting of the same SME is replaced)."""
    lead_ids = sorted({s.lead_posting_id for s in candidates})
    others: dict[int, list[Stored]] = defaultdict(list)
    for start in range(0, len(lead_ids), CHUNK):
        for row in load_stored(Suggestion.lead_posting_id.in_(lead_ids[start:start + CHUNK]),
                               _status().in_(ACTIVE_STATUSES), Suggestion.sme_posting_id != profile.id):
            others[row.lead_posting_id].append(row)
    selected, bumped = [], []
    for s in candidates:
        rows = others.get(s.lead_posting_id, [])
        same_sme = [r for r in rows if r.sme_enterprise_id == profile.enterprise_id]
        if same_sme:
            weaker = [r for r in same_sme if r.replaceable and r.score < s.score]
            if len(weaker) != len(same_sme):
                continue
            bumped.extend(r.id for r in weaker)
            selected.append(s)
            continue
        if len(rows) < k:
            selected.append(s)
            continue
        open_rows = sorted((r for r in rows if r.replaceable), key=lambda r: (r.score, -r.sme_posting_id))
        if open_rows and open_rows[0].score < s.score:
            bumped.append(open_rows[0].id)
            selected.append(s)
    return selected, bumped


def _withdraw(posting_id: int) -> dict[str, Any]:
    """Withdraw the open undecided suggestions of a posting (in the current transaction)."""
    table = Suggestion.__table__
    leads = db.session.scalars(select(Suggestion.lead_posting_id).where(
        Suggestion.sme_posting_id == posting_id, _status() == "open", _undecided())).all()
    result = db.session.execute(
        update(table).where(or_(table.c.lead_posting_id == posting_id, table.c.sme_posting_id == posting_id),
                            _status(table) == "open", table.c.lead_decision.is_(None),
                            table.c.sme_decision.is_(None))
        .values(status="withdrawn", updated_at=utcnow()))
    if leads:
        _rerank(leads)
    return {"created": 0, "updated": 0, "withdrawn": result.rowcount, "unchanged": 0, "by_chain": {}}


def withdraw_posting_suggestions(posting_id: int) -> int:
    """A posting was closed, expired, unpublished or is about to be deleted: its open suggestions are
    withdrawn (decided ones stay). Commits; returns how many were withdrawn."""
    state = engine_state()
    with state.state_lock:
        if state.full_runs:
            state.dirty.add(posting_id)
    with state.write_lock:
        with state.index.lock:
            if state.index.index is not None:
                state.index.index.remove(posting_id)
        withdrawn = _withdraw(posting_id)["withdrawn"]
        db.session.commit()
    return withdrawn


def explain_empty(posting: Posting) -> dict[str, str]:
    """Why a posting shows no suggestions: {"code", "zh", "en"}. Codes are the matcher's
    (``no_concept_match``, ``all_taken``, ``has_suggestions`` …) or, for a posting that is not matched
    at all, ``not_published``, ``not_verified`` or ``not_matchable``."""
    from ..matching import explain_no_suggestions

    if posting.status != "published":
        return {"code": "not_published", "zh": "该发布尚未公开或已下架，公开后才会匹配。",
                "en": "This posting is not published; it is matched once it is published."}
    enterprise = db.session.get(Enterprise, posting.enterprise_id)
    if enterprise is None or enterprise.status not in P.MATCHABLE_ENTERPRISE_STATUSES:
        return {"code": "not_verified", "zh": "企业通过平台认证后，其发布才会参与匹配。",
                "en": "Postings are matched once their enterprise has been verified by the platform."}
    profile = P.profile_of(posting.id)
    if profile is None:
        return {"code": "not_matchable", "zh": "该发布已过有效期或类型与企业角色不符，不参与匹配。",
                "en": "This posting has expired or its type does not fit the enterprise's role, so it is not matched."}
    app = current_app._get_current_object()
    state = engine_state(app)
    k, m = int(app.config["MATCH_PER_LEAD_POSTING"]), int(app.config["MATCH_PER_SME"])
    decided = frozenset((a, b) for a, b in db.session.execute(
        select(Suggestion.lead_posting_id, Suggestion.sme_posting_id).where(
            or_(Suggestion.lead_posting_id == posting.id, Suggestion.sme_posting_id == posting.id),
            or_(_status().in_(DECIDED_STATUSES), ~_undecided()))))
    with state.index.lock:
        index = state.index.get(refresh_every=_refresh_every(app))
        index.upsert(profile)
        reason = explain_no_suggestions(profile, index, k=k, m=m, excluded_pairs=decided)
    return {"zh": reason.zh, "en": reason.en, "code": reason.code}


# --------------------------------------------------------------------------------------------
# Export.
# --------------------------------------------------------------------------------------------

EXPORT_KEYS = ("id", "lead_posting", "sme_posting", "lead", "sme", "chain", "score", "rank", "reasons", "status")


def export_rows(*, statuses: Iterable[str] | None = None) -> Iterator[dict[str, Any]]:
    """Stored suggestions as export records, by lead posting then rank (postings, enterprises by ref)."""
    from sqlalchemy.orm import aliased

    lead_p, sme_p = aliased(Posting), aliased(Posting)
    lead_e, sme_e = aliased(Enterprise), aliased(Enterprise)
    stmt = (select(Suggestion.id, lead_p.ref, sme_p.ref, lead_e.ref, sme_e.ref, Suggestion.chain, Suggestion.score,
                   Suggestion.rank, Suggestion.reasons, Suggestion.status, Suggestion.reciprocal)
            .join(lead_p, Suggestion.lead_posting_id == lead_p.id)
            .join(sme_p, Suggestion.sme_posting_id == sme_p.id)
            .join(lead_e, Suggestion.lead_enterprise_id == lead_e.id)
            .join(sme_e, Suggestion.sme_enterprise_id == sme_e.id)
            .order_by(Suggestion.lead_posting_id, Suggestion.rank, Suggestion.score.desc(), Suggestion.id))
    if statuses:
        stmt = stmt.where(Suggestion.status.in_(list(statuses)))
    for (sid, lead_posting, sme_posting, lead, sme, chain, score, rank, reasons, status,
         reciprocal) in db.session.execute(stmt.execution_options(yield_per=5000)):
        reasons = reasons or []
        yield {
            "id": sid, "lead_posting": lead_posting, "sme_posting": sme_posting, "lead": lead, "sme": sme,
            "chain": chain, "score": round(float(score), 4), "rank": rank,
            "reasons": [r.get("zh", "") for r in reasons], "status": status,
            "reasons_en": [r.get("en", "") for r in reasons], "reciprocal": bool(reciprocal),
        }


def export_jsonl(fh, *, statuses: Iterable[str] | None = None) -> int:
    """Write the export as JSON Lines to a text file; returns the number of lines."""
    import json

    n = 0
    for record in export_rows(statuses=statuses):
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n
