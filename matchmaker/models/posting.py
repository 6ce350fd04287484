"""Postings: what lead firms open and need, what SMEs can do and need. The matcher pairs them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .enterprise import Enterprise, User, new_ref


class Posting(db.Model):
    __tablename__ = "posting"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: new_ref("post"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12), index=True)
    category: Mapped[str] = mapped_column(String(12), index=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    industry: Mapped[Optional[str]] = mapped_column(String(5), index=True)
    region: Mapped[Optional[str]] = mapped_column(String(6), index=True)
    chains: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Kind-specific fields: specification, quantity, delivery_region (needs); problem, indicators,
    # budget_min, budget_max (challenges); capacity, certifications, references (capabilities).
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    wants_specialized: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    status_reason: Mapped[Optional[str]] = mapped_column(Text)  # an operator's reason
    valid_from: Mapped[date] = mapped_column(Date, default=lambda: utcnow().date())
    deadline: Mapped[Optional[date]] = mapped_column(Date, index=True)  # end of validity
    expiry_warned_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # Written once when the text changes (tokenising is the matcher's most expensive step).
    tokens: Mapped[list[str]] = mapped_column(JSON, default=list)
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, index=True)
    closed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    enterprise: Mapped[Enterprise] = relationship(back_populates="postings")
    created_by: Mapped[Optional[User]] = relationship()

    @property
    def side(self) -> str:
        return self.enterprise.role

    def __repr__(self) -> str:
        return f"<Posting {self.ref} {self.kind}/{self.category} {self.status}>"
