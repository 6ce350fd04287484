"""Engagement on top of the demo world (the demo import has postings but no decisions yet): a
deterministic share of the matcher's suggestions gets interest, matches and stage histories, so
that the console's dashboard, network map and gap list have something real to show."""

from __future__ import annotations

import random

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Suggestion

from .factories import make_match

STAGE_PATHS = (
    ("talks",), ("talks", "nda"), ("talks", "nda", "sample"), ("talks", "nda", "sample", "contract"),
    ("talks", "nda", "sample", "contract", "supplier"), ("talks", "closed"),
)


def add_engagement(seed: int = 2026, match_share: float = 0.35, interest_share: float = 0.2) -> dict[str, int]:
    rng = random.Random(seed)
    suggestions = list(db.session.scalars(select(Suggestion).where(Suggestion.status == "open")
                                          .order_by(Suggestion.id)))
    matched = interest = 0
    for suggestion in suggestions:
        roll = rng.random()
        if suggestion.rank <= 3 and roll < match_share:
            path = rng.choice(STAGE_PATHS)
            make_match(suggestion, stage=path[-1], history=path,
                       closed_reason="价格未谈拢" if path[-1] == "closed" else None)
            matched += 1
        elif roll < match_share + interest_share:
            suggestion.status = "interest"
            if rng.random() < 0.5:
                suggestion.lead_decision = "accepted"
            else:
                suggestion.sme_decision = "accepted"
            interest += 1
    db.session.commit()
    return {"suggestions": len(suggestions), "matches": matched, "interest": interest}
