"""Reporting exports: matches and the funnel per chain for a period, as CSV (UTF-8 with a BOM, so
that Excel shows Chinese correctly) and as an Excel workbook with one sheet per table."""

from __future__ import annotations

import csv
import io
from datetime import date

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .. import reference
from ..vocabulary import CHAINS, DEAL_STAGES, MATCH_STAGES, TIERS, label
from . import stats

BOM = "\ufeff"


def step_label(step: str) -> str:
    names = {
        "suggested": _("Suggested"),
        "interest": _("Interest from one side"),
        "matched": _("Matched"),
        "deal": _("Deal"),
    }
    return names.get(step) or label(MATCH_STAGES, step)


def chain_label(chain: str) -> str:
    return _("All chains") if chain == "all" else label(CHAINS, chain)


def _percent(value: float | None):
    return "" if value is None else round(value * 100, 1)


def funnel_table(start: date | None, end: date | None) -> tuple[list[str], list[list]]:
    header = [_("Chain code"), _("Chain")]
    for step in stats.FUNNEL_STEPS:
        header.append(step_label(step))
    for step in stats.FUNNEL_STEPS[1:]:
        header.append(_("%(step)s rate (%%)", step=step_label(step)))
    header.append(_("Deals per suggestion (%)"))
    rows = []
    for row in stats.funnel(start, end):
        line = [row.chain, chain_label(row.chain)]
        line += [row.counts[s] for s in stats.FUNNEL_STEPS]
        line += [_percent(row.rate(s)) for s in stats.FUNNEL_STEPS[1:]]
        line.append(_percent(row.overall("deal")))
        rows.append(line)
    return header, rows


def matches_table(start: date | None, end: date | None, lang: str) -> tuple[list[str], list[list]]:
    header = [_("Match"), _("Created"), _("Chain code"), _("Chain"), _("Stage"), _("Deal"),
              _("Lead enterprise"), _("Lead posting"), _("SME"), _("SME tier"), _("SME region"),
              _("SME posting"), _("Score"), _("Closing note")]
    rows = []
    for match in stats.matches_in_period(start, end):
        rows.append([
            match.id, match.created_at.date().isoformat(), match.chain, label(CHAINS, match.chain),
            label(MATCH_STAGES, match.stage), _("yes") if match.stage in DEAL_STAGES else _("no"),
            match.lead_enterprise.name, match.lead_posting.title, match.sme_enterprise.name,
            label(TIERS, match.sme_enterprise.tier), reference.region_label(match.sme_enterprise.region, lang),
            match.sme_posting.title, round(match.suggestion.score, 3) if match.suggestion else "",
            match.closed_reason or "",
        ])
    return header, rows


def to_csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(h) for h in header])
    writer.writerows(rows)
    return (BOM + buffer.getvalue()).encode("utf-8")


def to_workbook(tables: list[tuple[str, list[str], list[list]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, header, rows in tables:
        sheet = book.create_sheet(title=title[:31])
        sheet.append([str(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        for i, h in enumerate(header, start=1):
            width = max([len(str(h))] + [len(str(r[i - 1])) for r in rows[:200]]) + 2
            sheet.column_dimensions[get_column_letter(i)].width = min(max(width, 8), 50)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def period_suffix(start: date | None, end: date | None) -> str:
    if not start and not end:
        return "all"
    return f"{start.isoformat() if start else 'start'}_{end.isoformat() if end else 'today'}"
