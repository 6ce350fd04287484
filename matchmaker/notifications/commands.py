"""`flask --app wsgi mail send`: deliver the e-mail outbox."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from .mail import send_outbox

mail = AppGroup("mail", help="The e-mail outbox.")


@mail.command("send")
@click.option("--limit", type=int, default=None, help="Send at most this many e-mails.")
def send(limit: int | None) -> None:
    """Send the unsent e-mails of the outbox through SMTP (MAIL_SERVER …)."""
    report = send_outbox(limit)
    if report.skipped:
        click.echo("MAIL_SERVER is not configured: nothing was sent.")
        return
    click.echo(f"Sent {report.sent}, failed {report.failed}.")
    if report.failed:
        raise SystemExit(1)


commands = [mail]
