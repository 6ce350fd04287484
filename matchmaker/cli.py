"""Command-line entry points (`flask --app wsgi …`): thin wrappers over service functions."""

from __future__ import annotations

from importlib import import_module

import click

# Each feature's click commands: module path relative to the package, exposing `commands`.
FEATURE_COMMANDS = ("accounts.commands", "demo_seed", "postings.commands", "engine.commands", "matches.commands", "notifications.commands")


def COMMANDS() -> list[click.Command]:
    found: list[click.Command] = []
    for path in FEATURE_COMMANDS:
        found.extend(import_module(f"matchmaker.{path}").commands)
    return found
