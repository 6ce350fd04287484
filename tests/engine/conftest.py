from __future__ import annotations

import pytest


@pytest.fixture
def configured(app_factory):
    """An app with other caps, its context pushed: `with configured(MATCH_PER_SME=1) as app: ...`."""
    from contextlib import contextmanager

    @contextmanager
    def make(**config):
        app = app_factory(**config)
        with app.app_context():
            yield app

    return make


@pytest.fixture
def created_signals(app):
    """The suggestion ids announced by suggestions_created, in order."""
    from matchmaker import signals

    seen: list[int] = []

    def receiver(sender, suggestion_ids=(), **_kw):
        seen.extend(suggestion_ids)

    signals.suggestions_created.connect(receiver)
    yield seen
    signals.suggestions_created.disconnect(receiver)
