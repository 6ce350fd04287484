"""Account commands for the people who run the platform."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from ..auth import services as auth_services
from ..errors import ValidationFailed
from . import services


@click.command("create-operator")
@click.option("--email", prompt=True, help="Login e-mail of the operator.")
@click.option("--name", "display_name", prompt="Name", help="Name shown in the audit log.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="At least 12 characters (prompted when omitted).")
@with_appcontext
def create_operator(email: str, display_name: str, password: str) -> None:
    """Create a platform operator account (or reset an operator's password)."""
    problems = auth_services.check_password_strength(
        password, min_length=current_app.config["PASSWORD_MIN_LENGTH"],
        max_length=current_app.config["PASSWORD_MAX_LENGTH"],
    )
    if problems:
        raise click.UsageError(" ".join(problems))
    try:
        user, created = services.ensure_operator(email, display_name, password)
    except ValidationFailed as exc:
        raise click.UsageError(exc.message) from exc
    click.echo(f"{'Created' if created else 'Updated'} operator {user.email}")


commands = [create_operator]
