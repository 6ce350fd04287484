"""`flask --app wsgi matches export FILE`: every match as JSON Lines (refs, not database ids, for
the postings and enterprises)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from .services import export_jsonl

matches = AppGroup("matches", help="Matches between lead enterprises and SMEs.")


@matches.command("export")
@click.argument("file", type=click.File("w", encoding="utf-8", lazy=True))
def export(file) -> None:
    """Write the matches to FILE ("-" for standard output), one JSON object a line."""
    count = export_jsonl(file)
    if getattr(file, "name", "-") not in ("-", "<stdout>"):
        click.echo(f"Exported {count} matches to {file.name}.")


commands = [matches]
