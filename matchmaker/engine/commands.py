"""`flask --app wsgi match run` and `flask --app wsgi suggestions export FILE`."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from ..cli_progress import progress_bar
from ..vocabulary import SUGGESTION_STATUSES

match_cli = AppGroup("match", help="Compute suggestions.")
suggestions_cli = AppGroup("suggestions", help="Stored suggestions.")


@match_cli.command("run")
@click.option("--refresh", is_flag=True, help="Rewrite the reasons of every re-selected suggestion.")
def match_run(refresh: bool) -> None:
    """Recompute every suggestion from the published postings (decided ones are kept)."""
    from ..errors import Conflict
    from .services import begin_run, run_full_match

    try:
        run = begin_run(None)
    except Conflict as exc:
        raise click.ClickException(exc.message) from None
    with progress_bar("Matching") as progress:
        stats = run_full_match(progress=progress, run=run, refresh=refresh)
    click.echo(json.dumps(stats, ensure_ascii=False, sort_keys=True))
    by_chain = ", ".join(f"{chain} {n}" for chain, n in sorted(stats["by_chain"].items())) or "none"
    click.echo(f"Suggestions: {stats['created']} new, {stats['updated']} updated, {stats['unchanged']} unchanged, "
               f"{stats['withdrawn']} withdrawn, {stats['kept']} decided kept; by chain: {by_chain}; "
               f"{stats['seconds']:.2f} s.")


@suggestions_cli.command("export")
@click.argument("file", type=click.File("w", encoding="utf-8", lazy=True))
@click.option("--status", "statuses", multiple=True, type=click.Choice(sorted(SUGGESTION_STATUSES)),
              help="Only suggestions in this status (repeatable). Default: all.")
def suggestions_export(file, statuses: tuple[str, ...]) -> None:
    """Write the stored suggestions to FILE as JSON Lines ("-" for standard output)."""
    from .services import export_jsonl

    n = export_jsonl(file, statuses=statuses or None)
    click.echo(f"Exported {n} suggestions.", err=True)


commands = [match_cli, suggestions_cli]
