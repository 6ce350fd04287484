"""Fixtures for the matcher's tests: a posting factory and a fixed clock (no Flask, no database)."""

from __future__ import annotations

import itertools
from datetime import datetime, timezone

import pytest

from matchmaker.matching import PostingProfile

NOW = datetime(2025, 1, 1, tzinfo=timezone.utc)


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def make():
    """make(side, kind, category, title, description="", enterprise_id=None, id=None, **fields)."""
    ids = itertools.count(1)

    def factory(side, kind, category, title, description="", *, enterprise_id=None, id=None, **fields):
        pid = id if id is not None else next(ids)
        ent = enterprise_id if enterprise_id is not None else 10_000 + pid
        fields.setdefault("published_at", datetime(2024, 12, 1, tzinfo=timezone.utc))
        return PostingProfile(id=pid, enterprise_id=ent, side=side, kind=kind, category=category, title=title,
                              description=description, **fields)

    return factory
