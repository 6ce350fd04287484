"""Bulk onboarding from JSON Lines: operators receive lists of enterprises (and their postings) from
parks and local governments. An import is all-or-nothing: every line is checked first, and only a
file without a single bad line is written, in one transaction.

Imported enterprises are verified and their postings published unless a line names another
`status` (the export writes one for rows in any other state, so that a round trip keeps them).
No posting signal is sent for imported rows: run the matcher afterwards (one full run instead of
one refresh per posting)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from flask_babel import gettext as _
from sqlalchemy import insert, select, update

from .. import audit
from ..enterprises.services import EnterpriseInput, check_enterprise
from ..errors import DomainError
from ..extensions import db
from ..models import Enterprise, User
from ..models.base import utcnow
from ..vocabulary import ENTERPRISE_STATUSES

Progress = Callable[[str, int, int], None]


@dataclass
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class ImportFailed(DomainError):
    def __init__(self, errors: list[LineError]):
        self.line_errors = errors
        super().__init__("; ".join(str(e) for e in errors[:5]))


@dataclass
class ImportReport:
    created: dict[str, int] = field(default_factory=lambda: {"enterprise": 0, "posting": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"enterprise": 0, "posting": 0})


def read_jsonl(lines: Iterable[str]) -> Iterator[tuple[int, dict | LineError]]:
    """(line number, record) for every non-blank line; a line that is not a JSON object becomes an error."""
    for number, raw in enumerate(lines, start=1):
        raw = raw.strip()
        if not raw:
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield number, LineError(number, _("not valid JSON (%(error)s)", error=exc.msg))
            continue
        if not isinstance(record, dict):
            yield number, LineError(number, _("a line must be a JSON object"))
            continue
        yield number, record


def _field_errors(errors: dict[str, list[str]]) -> str:
    return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items())


ENTERPRISE_COLUMNS = ("name", "uscc", "role", "tier", "industry", "region", "size", "description", "website",
                      "contact_name", "contact_phone", "contact_email")


def _enterprise_row(data: EnterpriseInput) -> dict:
    row = {name: getattr(data, name) for name in ENTERPRISE_COLUMNS}
    for name in ("tier", "size", "website"):
        row[name] = row[name] or None
    row["description"] = row["description"] or ""
    if row["role"] == "lead":
        row["tier"] = None
    return row


def import_records(records: Iterable[tuple[int, dict | LineError]], *, actor: User | None = None,
                   progress: Progress | None = None, total: int | None = None) -> ImportReport:
    """Check every record, then write them all (enterprises before postings) or nothing.

    Imported enterprises are verified (the operator vouches for the list)."""
    errors: list[LineError] = []
    enterprises: dict[str, tuple[int, dict]] = {}
    postings: list[tuple[int, dict]] = []
    seen_uscc: dict[str, int] = {}
    count = 0
    for number, record in records:
        count += 1
        if progress and count % 1000 == 0:
            progress("check", count, total or 0)
        if isinstance(record, LineError):
            errors.append(record)
            continue
        kind = record.get("type")
        ref = record.get("ref")
        if not isinstance(ref, str) or not ref.strip() or len(ref) > 64:
            errors.append(LineError(number, _("every line needs a \"ref\" of at most 64 characters")))
            continue
        if kind == "enterprise":
            if ref in enterprises:
                errors.append(LineError(number, _("ref %(ref)s appears twice", ref=ref)))
                continue
            data = EnterpriseInput.from_mapping(record)
            problems = check_enterprise(data, check_unique=False)
            status = record.get("status") or "verified"
            if status not in ENTERPRISE_STATUSES:
                problems.setdefault("status", []).append(_("Unknown status."))
            reason = record.get("status_reason")
            if reason is not None and not isinstance(reason, str):
                problems.setdefault("status_reason", []).append(_("Must be text."))
            if problems:
                errors.append(LineError(number, _field_errors(problems)))
                continue
            if data.uscc in seen_uscc:
                errors.append(LineError(number, _("uscc: the same code as line %(n)d", n=seen_uscc[data.uscc])))
                continue
            seen_uscc[data.uscc] = number
            row = _enterprise_row(data)
            row["status"], row["status_reason"] = status, (reason or "").strip() or None
            enterprises[ref] = (number, row)
        elif kind == "posting":
            postings.append((number, record))
        else:
            errors.append(LineError(number, _("unknown type %(type)s (expected enterprise or posting)",
                                              type=json.dumps(kind, ensure_ascii=False))))

    existing: dict[str, tuple[int, str]] = {}
    known: dict[str, dict] = {}  # enterprise ref -> what posting lines are checked against
    for ref, eid, uscc_code, role, industry, region in db.session.execute(
            select(Enterprise.ref, Enterprise.id, Enterprise.uscc, Enterprise.role, Enterprise.industry, Enterprise.region)):
        existing[ref] = (eid, uscc_code)
        known[ref] = {"role": role, "industry": industry, "region": region}
    owner_of_uscc = {uscc_code: ref for ref, (_eid, uscc_code) in existing.items()}
    for ref, (number, row) in enterprises.items():
        holder = owner_of_uscc.get(row["uscc"])
        if holder is not None and holder != ref:
            errors.append(LineError(number, _("uscc: already registered to another enterprise")))

    from ..postings.importing import check_posting_records  # postings depend on the enterprises above
    for ref, (_number, row) in enterprises.items():
        known[ref] = {"role": row["role"], "industry": row["industry"], "region": row["region"]}
    posting_rows, posting_errors = check_posting_records(postings, known, progress=progress)
    errors.extend(posting_errors)
    if errors:
        posting_rows.close()
        errors.sort(key=lambda e: e.line)
        raise ImportFailed(errors)

    try:
        report = _write(enterprises, existing, posting_rows, actor=actor, progress=progress)
    except BaseException:
        db.session.rollback()
        raise
    finally:
        posting_rows.close()
    db.session.commit()
    return report


def _write(enterprises: dict[str, tuple[int, dict]], existing: dict[str, tuple[int, str]], posting_rows: list[dict],
           *, actor: User | None, progress: Progress | None) -> ImportReport:
    report = ImportReport()
    now = utcnow()
    new_rows, changed_rows = [], []
    for ref, (_number, row) in enterprises.items():
        if ref in existing:
            changed_rows.append({"id": existing[ref][0], **row, "updated_at": now})
        else:
            new_rows.append({"ref": ref, **row, "verified_at": now if row["status"] == "verified" else None,
                             "created_at": now, "updated_at": now})
    if new_rows:
        db.session.execute(insert(Enterprise), new_rows)
    if changed_rows:
        db.session.execute(update(Enterprise), changed_rows)
    report.created["enterprise"], report.updated["enterprise"] = len(new_rows), len(changed_rows)
    if progress:
        progress("enterprises", len(enterprises), len(enterprises))

    from ..postings.importing import write_posting_rows
    ids = dict(db.session.execute(select(Enterprise.ref, Enterprise.id)).all())
    created, changed = write_posting_rows(posting_rows, ids, progress=progress)
    report.created["posting"], report.updated["posting"] = created, changed
    audit.record("import", actor=actor, created=report.created, updated=report.updated)
    return report
