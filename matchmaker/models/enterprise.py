"""Enterprises (lead firms and SMEs) and the people who log in for them or as operators."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Optional

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from .posting import Posting


def new_ref(prefix: str) -> str:
    """A generated import/export key for rows made in the UI (imported rows keep the caller's)."""
    return f"{prefix}-{secrets.token_hex(6)}"


class Enterprise(db.Model):
    __tablename__ = "enterprise"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: new_ref("ent"))
    name: Mapped[str] = mapped_column(String(120))
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    role: Mapped[str] = mapped_column(String(8), index=True)  # lead | sme
    tier: Mapped[Optional[str]] = mapped_column(String(16), index=True)
    industry: Mapped[str] = mapped_column(String(5), index=True)  # GB/T 4754-2017 code
    region: Mapped[str] = mapped_column(String(6), index=True)  # GB/T 2260 code
    size: Mapped[Optional[str]] = mapped_column(String(8))
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[Optional[str]] = mapped_column(String(200))
    contact_name: Mapped[str] = mapped_column(String(60))
    contact_phone: Mapped[str] = mapped_column(String(32))
    contact_email: Mapped[str] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    status_reason: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    verified_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    users: Mapped[list["User"]] = relationship(back_populates="enterprise")
    postings: Mapped[list["Posting"]] = relationship(back_populates="enterprise")

    @property
    def is_lead(self) -> bool:
        return self.role == "lead"

    @property
    def is_sme(self) -> bool:
        return self.role == "sme"

    @property
    def can_log_in(self) -> bool:
        return self.status not in ("suspended", "rejected")

    def __repr__(self) -> str:
        return f"<Enterprise {self.ref} {self.role}>"


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(60))
    enterprise_id: Mapped[Optional[int]] = mapped_column(ForeignKey("enterprise.id"), index=True)
    is_operator: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[Optional[str]] = mapped_column(String(5))
    # Rotated on logout and password change: the session and remember-me cookies carry it, so a
    # cookie saved before the rotation no longer logs anybody in.
    session_token: Mapped[str] = mapped_column(String(64), default=lambda: secrets.token_urlsafe(32))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    enterprise: Mapped[Optional[Enterprise]] = relationship(back_populates="users")

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.is_operator or (self.enterprise is not None and self.enterprise.can_log_in)

    @property
    def role(self) -> str:
        """operator, lead or sme: what the user sees and may do."""
        if self.is_operator:
            return "operator"
        return self.enterprise.role if self.enterprise else "none"

    def rotate_session_token(self) -> None:
        self.session_token = secrets.token_urlsafe(32)

    def __repr__(self) -> str:
        return f"<User {self.email}>"
