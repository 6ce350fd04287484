"""The engine's signal handlers. Kept apart from the services so that creating the application does
not load the matcher (numpy, scipy, the knowledge graph) until a posting actually changes."""

from __future__ import annotations

import logging
from typing import Callable

from flask import Flask

from .. import signals
from ..extensions import db

log = logging.getLogger(__name__)


def _safely(fn: Callable, *args) -> None:
    """Run a handler's work; a failure is logged and rolled back, never shown to the sender (its own
    change is committed already, and the next full run repairs the suggestions)."""
    try:
        fn(*args)
    except Exception:
        log.exception("Updating suggestions failed in %s%r", fn.__name__, args)
        db.session.rollback()


def on_posting_changed(sender, posting=None, **_kw) -> None:
    """Published, or edited while published: its suggestions are brought up to date at once."""
    if posting is not None:
        from .services import update_posting_suggestions

        _safely(update_posting_suggestions, posting.id)


def on_posting_withdrawn(sender, posting=None, **_kw) -> None:
    """Closed, expired, unpublished or about to be deleted: its open suggestions are withdrawn."""
    if posting is not None:
        from .services import withdraw_posting_suggestions

        _safely(withdraw_posting_suggestions, posting.id)


def register(app: Flask) -> None:
    """Connect the engine to the signals (called once per application by the factory).

    An enterprise verified or suspended needs nothing here: the postings feature publishes or
    withdraws its postings and sends posting_changed / posting_withdrawn for each."""
    signals.posting_changed.connect(on_posting_changed)
    signals.posting_withdrawn.connect(on_posting_withdrawn)
