"""Demo world for the matchmaker platform: fictional lead enterprises, SMEs and postings in the
JSON Lines import format, with designed pairings for demonstrations and tests."""

from .world import (
    DESIGNED_PAIRS,
    DISTRACTOR_PAIRS,
    LEAD_SECTORS,
    build_world,
    iter_records,
)

__all__ = ["DESIGNED_PAIRS", "DISTRACTOR_PAIRS", "LEAD_SECTORS", "build_world", "iter_records"]
