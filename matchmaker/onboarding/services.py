"""Bulk onboarding from JSON Lines: operators receive lists of enterprises (and their postings) from
parks and local governments. An import is all-or-nothing: every line is checked first, and only a
file without a single bad line is written, in one transaction."""

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
            if problems:
                errors.append(LineError(number, _field_errors(problems)))
                continue
            if data.uscc in seen_uscc:
                errors.append(LineError(number, _("uscc: the same code as line %(n)d", n=seen_uscc[data.uscc])))
                continue
            seen_uscc[data.uscc] = number
            enterprises[ref] = (number, _enterprise_row(data))
        elif kind == "posting":
            postings.append((number, record))
        else:
            errors.append(LineError(number, _("unknown type %(type)s (expected enterprise or posting)",
                                              type=json.dumps(kind, ensure_ascii=False))))

    existing = {ref: (eid, uscc) for ref, eid, uscc in db.session.execute(
        select(Enterprise.ref, Enterprise.id, Enterprise.uscc))}
    owner_of_uscc = {uscc: ref for ref, (_eid, uscc) in existing.items()}
    for ref, (number, row) in enterprises.items():
        holder = owner_of_uscc.get(row["uscc"])
        if holder is not None and holder != ref:
            errors.append(LineError(number, _("uscc: already registered to another enterprise")))

    from ..postings.importing import check_posting_records  # postings depend on the enterprises above
    known_refs = set(existing) | set(enterprises)
    posting_rows, posting_errors = check_posting_records(postings, known_refs, progress=progress)
    errors.extend(posting_errors)
    if errors:
        errors.sort(key=lambda e: e.line)
        raise ImportFailed(errors)

    report = ImportReport()
    now = utcnow()
    new_rows, changed_rows = [], []
    for ref, (_number, row) in enterprises.items():
        if ref in existing:
            changed_rows.append({"id": existing[ref][0], **row, "status": "verified", "updated_at": now})
        else:
            new_rows.append({"ref": ref, **row, "status": "verified", "verified_at": now,
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
    db.session.commit()
    return report
