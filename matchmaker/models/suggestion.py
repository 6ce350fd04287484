"""Stored suggestions: a lead posting paired with an SME posting on one chain, with the reasons,
and each side's decision. A mutual acceptance turns into a Match."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .enterprise import Enterprise
from .posting import Posting


class Suggestion(db.Model):
    __tablename__ = "suggestion"
    __table_args__ = (UniqueConstraint("lead_posting_id", "sme_posting_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_posting_id: Mapped[int] = mapped_column(ForeignKey("posting.id"), index=True)
    sme_posting_id: Mapped[int] = mapped_column(ForeignKey("posting.id"), index=True)
    # Denormalised so that "what may this enterprise see" is one indexed filter.
    lead_enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    sme_enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    chain: Mapped[str] = mapped_column(String(12), index=True)
    score: Mapped[float] = mapped_column(Float)
    rank: Mapped[int] = mapped_column(Integer, default=0)  # place among the lead posting's, 1 = best
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # {code, zh, en, weight}
    reciprocal: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    lead_decision: Mapped[Optional[str]] = mapped_column(String(8))  # accepted | declined
    lead_decided_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    lead_decline_reason: Mapped[Optional[str]] = mapped_column(String(16))
    lead_decline_note: Mapped[Optional[str]] = mapped_column(Text)
    sme_decision: Mapped[Optional[str]] = mapped_column(String(8))
    sme_decided_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    sme_decline_reason: Mapped[Optional[str]] = mapped_column(String(16))
    sme_decline_note: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    lead_posting: Mapped[Posting] = relationship(foreign_keys=[lead_posting_id])
    sme_posting: Mapped[Posting] = relationship(foreign_keys=[sme_posting_id])
    lead_enterprise: Mapped[Enterprise] = relationship(foreign_keys=[lead_enterprise_id])
    sme_enterprise: Mapped[Enterprise] = relationship(foreign_keys=[sme_enterprise_id])

    def side_of(self, enterprise_id: int | None) -> str | None:
        """'lead' or 'sme' when the enterprise is a party to this suggestion, else None."""
        if enterprise_id == self.lead_enterprise_id:
            return "lead"
        if enterprise_id == self.sme_enterprise_id:
            return "sme"
        return None
