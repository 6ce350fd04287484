"""Commands: `postings expire` (daily: expire postings past their deadline, warn those ending within a
week), `import-data FILE` and `export-data FILE` (bulk onboarding in JSON Lines)."""

from __future__ import annotations

import sys
import time

import click
from flask.cli import AppGroup, with_appcontext

from ..cli_progress import progress_bar

postings_cli = AppGroup("postings", help="Posting maintenance.")


@postings_cli.command("expire")
@click.option("--days", default=7, show_default=True, help="Warn owners this many days before the deadline.")
def expire_command(days: int) -> None:
    """Mark postings past their deadline expired and warn owners of those ending soon."""
    from .services import expire_postings, today, warn_expiring

    day = today()
    expired = expire_postings(day)
    warned = warn_expiring(day, days=days)
    click.echo(f"{day.isoformat()}: {expired} posting(s) expired, {warned} owner warning(s) sent.")


def _count_lines(path: str) -> int:
    with open(path, "rb") as fh:
        return sum(1 for _ in fh)


@click.command("import-data")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_data(path: str) -> None:
    """Import enterprises and postings from a JSON Lines file (all or nothing, upsert by ref)."""
    from ..onboarding.services import ImportFailed, import_records, read_jsonl

    started = time.perf_counter()
    total = _count_lines(path)
    try:
        with open(path, encoding="utf-8-sig") as fh, progress_bar("Import") as progress:
            report = import_records(read_jsonl(fh), progress=progress, total=total)
    except UnicodeDecodeError as exc:
        click.echo(f"The file is not UTF-8 text ({exc.reason} at byte {exc.start}). Nothing was imported.", err=True)
        sys.exit(1)
    except ImportFailed as exc:
        for error in exc.line_errors:
            click.echo(str(error), err=True)
        click.echo(f"{len(exc.line_errors)} bad line(s): nothing was imported.", err=True)
        sys.exit(1)
    seconds = time.perf_counter() - started
    click.echo(f"Imported {path} in {seconds:.1f} s: created {report.created}, updated {report.updated}.")
    click.echo("Run the matcher to refresh suggestions for the imported postings.")


@click.command("export-data")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def export_data(path: str) -> None:
    """Export every enterprise and posting as JSON Lines (the import format)."""
    from .importing import export_records, write_jsonl

    with open(path, "w", encoding="utf-8") as fh, progress_bar("Export") as progress:
        count = write_jsonl(export_records(progress=progress), fh)
    click.echo(f"Exported {count} line(s) to {path}.")


commands = [postings_cli, import_data, export_data]
