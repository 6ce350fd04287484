"""`flask --app wsgi seed-demo`: load the demo world and its three logins. Running it again updates
the same rows (the import is keyed by ref), so nothing is duplicated."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from .accounts.services import ensure_enterprise_user, ensure_operator
from .cli_progress import progress_bar
from .extensions import db
from .models import Enterprise
from .onboarding.services import import_records

DEMO_PASSWORD = "demo-pass-2026"
DEMO_LOGINS = (
    ("lead@demo.cn", "demo-lead", "王建国"),
    ("sme@demo.cn", "demo-sme", "李晓梅"),
)
DEMO_OPERATOR = ("operator@demo.cn", "平台运营 陈静")


def seed_demo_world(progress=None, *, activity: bool = True) -> dict:
    """Import the demo world, add its logins, compute the suggestions and (once) a history of
    decisions and matches, so that every page has something real to show."""
    from .demo.activity import simulate_activity
    from .demo.world import build_world
    from .engine.services import run_full_match

    records = build_world()
    report = import_records(enumerate(records, start=1), progress=progress, total=len(records))
    for email, ref, name in DEMO_LOGINS:
        enterprise = db.session.scalar(select(Enterprise).where(Enterprise.ref == ref))
        ensure_enterprise_user(enterprise, email, name, DEMO_PASSWORD)
    db.session.commit()
    ensure_operator(DEMO_OPERATOR[0], DEMO_OPERATOR[1], DEMO_PASSWORD)
    stats = run_full_match(progress=progress)
    history = simulate_activity(password=DEMO_PASSWORD) if activity else {}
    return {"created": report.created, "updated": report.updated, "suggestions": stats, "activity": history}


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Load the demo world: lead enterprises, SMEs, postings and the demo logins."""
    with progress_bar("Importing the demo world") as progress:
        summary = seed_demo_world(progress=progress)
    click.echo(f"Demo world loaded: created {summary['created']}, updated {summary['updated']}.")
    stats = summary["suggestions"]
    click.echo(f"Suggestions: {stats['created']} new, {stats['withdrawn']} withdrawn ({stats['seconds']} s).")
    if summary["activity"].get("skipped"):
        click.echo("Demo history: already there (matches exist), left as it is.")
    else:
        click.echo("Demo history: " + ", ".join(f"{k} {v}" for k, v in summary["activity"].items()) + ".")
    click.echo(f"Logins: lead@demo.cn, sme@demo.cn, operator@demo.cn (password {DEMO_PASSWORD})")


commands = [seed_demo]
