"""Matches (a mutual acceptance), their stage history and the message thread between the parties."""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .enterprise import Enterprise, User
from .posting import Posting
from .suggestion import Suggestion


class Match(db.Model):
    __tablename__ = "match"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique: however many concurrent acceptances race, one suggestion makes one match.
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id"), unique=True)
    lead_enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    sme_enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    lead_posting_id: Mapped[int] = mapped_column(ForeignKey("posting.id"), index=True)
    sme_posting_id: Mapped[int] = mapped_column(ForeignKey("posting.id"), index=True)
    chain: Mapped[str] = mapped_column(String(12), index=True)
    stage: Mapped[str] = mapped_column(String(12), default="talks", index=True)
    closed_reason: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    suggestion: Mapped[Suggestion] = relationship()
    lead_enterprise: Mapped[Enterprise] = relationship(foreign_keys=[lead_enterprise_id])
    sme_enterprise: Mapped[Enterprise] = relationship(foreign_keys=[sme_enterprise_id])
    lead_posting: Mapped[Posting] = relationship(foreign_keys=[lead_posting_id])
    sme_posting: Mapped[Posting] = relationship(foreign_keys=[sme_posting_id])
    events: Mapped[list["MatchEvent"]] = relationship(
        back_populates="match", order_by="MatchEvent.id", cascade="all, delete-orphan"
    )

    def side_of(self, enterprise_id: int | None) -> str | None:
        if enterprise_id == self.lead_enterprise_id:
            return "lead"
        if enterprise_id == self.sme_enterprise_id:
            return "sme"
        return None


class MatchEvent(db.Model):
    """One step of a match's history: the stage it moved to, when, by whom, with a note."""

    __tablename__ = "match_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("match.id"), index=True)
    stage: Mapped[str] = mapped_column(String(12))
    occurred_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    actor_enterprise_id: Mapped[Optional[int]] = mapped_column(ForeignKey("enterprise.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    match: Mapped[Match] = relationship(back_populates="events")
    actor: Mapped[Optional[User]] = relationship()


class Message(db.Model):
    __tablename__ = "message"

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("match.id"), index=True)
    sender_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    sender_enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    sender: Mapped[Optional[User]] = relationship()
