"""The list of feature blueprints, in one place so that adding a feature is one line."""

from __future__ import annotations

from importlib import import_module

from flask import Blueprint

# module path (relative to the package) of each blueprint's views, exposing `bp`
FEATURES = (
    "main.views",
    "auth.views",
    "enterprises.views",
    "operator.views",
    "postings.views",
    "suggestions.views",
    "matches.views",
    "notifications.views",
)


def BLUEPRINTS() -> list[Blueprint]:
    return [import_module(f"matchmaker.{path}").bp for path in FEATURES]
