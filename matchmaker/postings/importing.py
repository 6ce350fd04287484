"""Posting lines of bulk onboarding (JSON Lines) and the export that writes the same format.

`check_posting_records` checks every posting line with the same rules as the posting form and
returns ready rows (or every line's error); `write_posting_rows` upserts them by `ref` in bulk.
Tokenising (the matcher's jieba cut) is the slow step, so it runs only for new or changed text,
and on several processes for large files."""

from __future__ import annotations

import json
import multiprocessing
import os
from datetime import date
from typing import Any, Callable, Iterable, Iterator, Mapping

from flask_babel import gettext as _
from sqlalchemy import select, update

from ..extensions import db
from ..models import Enterprise, Posting
from ..models.base import utcnow
from ..vocabulary import POSTING_STATUSES
from .search import build_search_text, compute_tokens
from .services import PostingInput, check_posting, today

Progress = Callable[[str, int, int], None]

POSTING_KEYS = {
    "type", "ref", "enterprise", "kind", "category", "title", "description", "tags", "chains", "industry",
    "region", "deadline", "valid_from", "anonymous", "wants_specialized", "details", "status", "status_reason",
}
PARALLEL_FROM = 2000  # texts to tokenise before it pays to start worker processes
CHUNK = 500


def _line_error(number: int, message: str):
    from ..onboarding.services import LineError

    return LineError(number, message)


def _date(value: Any) -> date:
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError
    return date.fromisoformat(value)


def _field_errors(errors: dict[str, list[str]]) -> str:
    return "; ".join(f"{name}: {' '.join(messages)}" if name else " ".join(messages) for name, messages in errors.items())


def check_posting_records(postings: Iterable[tuple[int, dict]], known: Mapping[str, Mapping[str, Any]],
                          progress: Progress | None = None) -> tuple[list[dict], list]:
    """Rows to write, and the errors (LineError) of the bad lines. `known` maps every enterprise
    ref that exists or is in the file to its {"role", "industry", "region"}. Tokenising the rows'
    new text starts at once (see TokenJobs); `write_posting_rows` collects it, or call
    `rows.close()` when the import stops."""
    postings = list(postings)
    rows = PostingRows()
    rows.existing = _existing([r["ref"] for _n, r in postings if isinstance(r.get("ref"), str)])
    rows.jobs = TokenJobs(len(postings))
    errors: list = []
    seen: dict[str, int] = {}
    day = today()
    for count, (number, record) in enumerate(postings, start=1):
        if progress and count % 1000 == 0:
            progress("check postings", count, len(postings))
        problems: dict[str, list[str]] = {}

        def add(name: str, message: str) -> None:
            problems.setdefault(name, []).append(message)

        ref = record.get("ref")
        if ref in seen:
            errors.append(_line_error(number, _("ref %(ref)s appears twice", ref=ref)))
            continue
        seen[ref] = number
        unknown = sorted(set(record) - POSTING_KEYS)
        if unknown:
            add("", _("unknown field: %(names)s", names=", ".join(unknown)))
        owner_ref = record.get("enterprise")
        owner = known.get(owner_ref) if isinstance(owner_ref, str) else None
        if owner is None:
            errors.append(_line_error(number, _("enterprise: unknown enterprise ref %(ref)s",
                                                ref=json.dumps(owner_ref, ensure_ascii=False))))
            continue
        status = record.get("status") or "published"
        if status not in POSTING_STATUSES:
            add("status", _("Unknown status."))
        dates: dict[str, date | None] = {}
        for name in ("deadline", "valid_from"):
            value = record.get(name)
            dates[name] = None
            if value is not None:
                try:
                    dates[name] = _date(value)
                except ValueError:
                    add(name, _("A date is written YYYY-MM-DD."))
        flags = {}
        for name in ("anonymous", "wants_specialized"):
            value = record.get(name, False)
            if value is None:
                value = False
            if not isinstance(value, bool):
                add(name, _("Must be true or false."))
            flags[name] = bool(value)
        texts = {}
        for name in ("kind", "category", "title", "description", "industry", "region", "status_reason"):
            value = record.get(name)
            if value is not None and not isinstance(value, str):
                add(name, _("Must be text."))
                value = None
            texts[name] = value
        data = PostingInput(
            kind=texts["kind"] or "", category=texts["category"] or "", title=texts["title"] or "",
            description=texts["description"] or "", tags=record.get("tags") or [],
            industry=(texts["industry"] or "").strip().upper() or owner["industry"],
            region=(texts["region"] or "").strip() or owner["region"],
            chains=record.get("chains") or [], details=record.get("details") or {},
            anonymous=flags["anonymous"], wants_specialized=flags["wants_specialized"],
            valid_from=dates["valid_from"], deadline=dates["deadline"],
        )
        for name, messages in check_posting(data, owner["role"], today_=day,
                                            future_deadline=status == "published").items():
            problems.setdefault(name, []).extend(messages)
        if problems:
            errors.append(_line_error(number, _field_errors(problems)))
            continue
        rows.append({
            "ref": ref, "enterprise_ref": owner_ref, "kind": data.kind, "category": data.category,
            "title": data.title, "description": data.description, "tags": data.tags, "industry": data.industry,
            "region": data.region, "chains": data.chains, "details": data.details, "anonymous": data.anonymous,
            "wants_specialized": data.wants_specialized, "valid_from": data.valid_from or day,
            "deadline": data.deadline, "status": status, "status_reason": (texts["status_reason"] or "").strip() or None,
            "search_text": build_search_text(data.title, data.description, data.tags, data.details),
        })
        if errors:
            continue  # nothing will be written: no need to tokenise
        old = rows.existing.get(ref)
        if _unchanged(old, rows[-1]):
            rows[-1]["tokens"] = old["tokens"]
        else:
            rows.jobs.submit(len(rows) - 1, data.title, data.description, data.tags)
    if progress:
        progress("check postings", len(postings), len(postings))
    if errors:
        rows.close()
    return rows, errors


# --- tokenising -------------------------------------------------------------------------------

def _tokenize_chunk(texts: list[tuple[str, str, list[str]]]) -> list[list[str]]:
    return [compute_tokens(title, description, tags) for title, description, tags in texts]


class TokenJobs:
    """Tokenises posting texts while the import goes on: on worker processes (forked after the
    dictionary is loaded) when there are many, so that the jieba cut overlaps the checks and the
    inserts; in this process otherwise. Keys are the rows' positions."""

    def __init__(self, expected: int):
        self.pending: list[tuple[int, tuple[str, str, list[str]]]] = []
        self.jobs: list[tuple[list[int], Any]] = []
        self.done: dict[int, list[str]] = {}
        self.total = 0
        self.pool = None
        workers = min(os.cpu_count() or 1, 8)
        if expected >= PARALLEL_FROM and workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            compute_tokens("预热", "", [])  # load the dictionary once, before the workers are forked
            self.pool = multiprocessing.get_context("fork").Pool(workers)

    def submit(self, key: int, title: str, description: str, tags: list[str]) -> None:
        self.pending.append((key, (title, description, tags)))
        self.total += 1
        if self.pool is not None and len(self.pending) >= CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self.pending and self.pool is not None:
            keys = [k for k, _t in self.pending]
            self.jobs.append((keys, self.pool.apply_async(_tokenize_chunk, ([t for _k, t in self.pending],))))
            self.pending = []

    def results(self, progress: Progress | None = None) -> dict[int, list[str]]:
        try:
            self._flush()
            for keys, job in self.jobs:
                self.done.update(zip(keys, job.get()))
                if progress:
                    progress("tokenise", len(self.done), self.total)
            for start in range(0, len(self.pending), CHUNK):
                chunk = self.pending[start:start + CHUNK]
                self.done.update(zip([k for k, _t in chunk], _tokenize_chunk([t for _k, t in chunk])))
                if progress:
                    progress("tokenise", len(self.done), self.total)
            self.pending, self.jobs = [], []
            return self.done
        finally:
            self.close()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None


class PostingRows(list):
    """Checked rows, with the tokenising of their new or changed text under way."""

    jobs: TokenJobs | None = None
    existing: dict[str, dict] | None = None

    def close(self) -> None:
        if self.jobs is not None:
            self.jobs.close()


# --- writing ----------------------------------------------------------------------------------

def _unchanged(old: dict | None, row: dict) -> bool:
    return bool(old and old["tokens"] and (old["title"], old["description"], list(old["tags"] or []))
                == (row["title"], row["description"], row["tags"]))


def _with_tokens_started(rows: PostingRows) -> PostingRows:
    rows.existing = _existing([row["ref"] for row in rows])
    rows.jobs = TokenJobs(len(rows))
    for index, row in enumerate(rows):
        old = rows.existing.get(row["ref"])
        if _unchanged(old, row):
            row["tokens"] = old["tokens"]
        else:
            rows.jobs.submit(index, row["title"], row["description"], row["tags"])
    return rows

def _existing(refs: list[str]) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for start in range(0, len(refs), CHUNK):
        query = select(Posting.ref, Posting.id, Posting.title, Posting.description, Posting.tags, Posting.tokens,
                       Posting.status, Posting.published_at, Posting.version, Posting.deadline).where(
            Posting.ref.in_(refs[start:start + CHUNK]))
        for row in db.session.execute(query):
            found[row.ref] = row._asdict()
    return found


def write_posting_rows(rows: list[dict], enterprise_ids: Mapping[str, int],
                       progress: Progress | None = None) -> tuple[int, int]:
    """Insert new postings and update those whose ref exists; returns (created, updated). The
    caller commits. Text that did not change keeps its tokens."""
    if not isinstance(rows, PostingRows) or rows.jobs is None:
        rows = _with_tokens_started(PostingRows(rows))
    existing = rows.existing or {}
    for index, row_tokens in rows.jobs.results(progress).items():
        rows[index]["tokens"] = row_tokens

    now = utcnow()
    new_rows, changed_rows = [], []
    for row in rows:
        values = {k: v for k, v in row.items() if k != "enterprise_ref"}
        values["enterprise_id"] = enterprise_ids[row["enterprise_ref"]]
        values["updated_at"] = now
        published = values["status"] == "published"
        old = existing.get(row["ref"])
        if old is None:
            values.update(created_at=now, version=1, published_at=now if published else None,
                          closed_at=now if values["status"] in ("closed", "expired", "unpublished") else None)
            new_rows.append(values)
        else:
            values["id"] = old["id"]
            del values["ref"]
            values["version"] = (old["version"] or 1) + 1
            if published and old["status"] != "published":
                values["published_at"], values["closed_at"] = now, None
            if values["deadline"] != old["deadline"]:
                values["expiry_warned_at"] = None
            changed_rows.append(values)
    for start in range(0, len(new_rows), 5000):
        db.session.execute(Posting.__table__.insert(), new_rows[start:start + 5000])  # Core: no ORM bookkeeping
        if progress:
            progress("write postings", start + len(new_rows[start:start + 5000]), len(rows))
    for start in range(0, len(changed_rows), 5000):
        db.session.execute(update(Posting), changed_rows[start:start + 5000])
        if progress:
            progress("write postings", len(new_rows) + start + len(changed_rows[start:start + 5000]), len(rows))
    return len(new_rows), len(changed_rows)


# --- export -----------------------------------------------------------------------------------

ENTERPRISE_EXPORT = ("name", "uscc", "role", "tier", "industry", "region", "size", "description", "website",
                     "contact_name", "contact_email", "contact_phone")


def export_records(progress: Progress | None = None) -> Iterator[dict]:
    """Every enterprise, then every posting, in the import format (statuses other than the
    import's defaults — verified, published — are written so that a round trip keeps them)."""
    refs: dict[int, str] = {}
    query = select(Enterprise).order_by(Enterprise.id).execution_options(yield_per=2000)
    for enterprise in db.session.scalars(query):
        refs[enterprise.id] = enterprise.ref
        record: dict[str, Any] = {"type": "enterprise", "ref": enterprise.ref}
        for name in ENTERPRISE_EXPORT:
            value = getattr(enterprise, name)
            if value is not None or name == "tier":
                record[name] = value
        if enterprise.status != "verified":
            record["status"] = enterprise.status
        if enterprise.status_reason:
            record["status_reason"] = enterprise.status_reason
        yield record
    query = select(Posting).order_by(Posting.id).execution_options(yield_per=2000)
    for count, posting in enumerate(db.session.scalars(query), start=1):
        record = {
            "type": "posting", "ref": posting.ref, "enterprise": refs[posting.enterprise_id], "kind": posting.kind,
            "category": posting.category, "title": posting.title, "description": posting.description,
            "tags": list(posting.tags or []), "chains": list(posting.chains or []), "industry": posting.industry,
            "region": posting.region, "valid_from": posting.valid_from.isoformat(),
            "deadline": posting.deadline.isoformat() if posting.deadline else None,
            "anonymous": bool(posting.anonymous),
        }
        if posting.wants_specialized:
            record["wants_specialized"] = True
        if posting.details:
            record["details"] = dict(posting.details)
        if posting.status != "published":
            record["status"] = posting.status
        if posting.status_reason:
            record["status_reason"] = posting.status_reason
        if progress and count % 1000 == 0:
            progress("export", count, 0)
        yield record


def write_jsonl(records: Iterable[dict], fh) -> int:
    count = 0
    for record in records:
        fh.write(json.dumps(record, ensure_ascii=False, separators=(", ", ": ")) + "\n")
        count += 1
    return count
