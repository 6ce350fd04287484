"""Writing the audit log. Services call `record` inside their own transaction, so an action and its
audit entry are committed together or not at all."""

from __future__ import annotations

from typing import Any

from .extensions import db
from .models import AuditEntry, User


def record(action: str, *, actor: User | None = None, target: Any = None, ip: str | None = None,
           **detail: Any) -> AuditEntry:
    entry = AuditEntry(
        action=action,
        actor_id=actor.id if actor is not None else None,
        actor_email=actor.email if actor is not None else detail.pop("email", None),
        target_type=type(target).__name__.lower() if target is not None else None,
        target_id=getattr(target, "id", None),
        detail=detail,
        ip=ip,
    )
    db.session.add(entry)
    return entry
