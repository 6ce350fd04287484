"""Platform settings that operators change at run time (stored in the database, audited)."""

from __future__ import annotations

from typing import Any

from . import audit
from .extensions import db
from .models import PlatformSetting, User

# key -> default
DEFAULTS: dict[str, Any] = {
    # Postings of enterprises that an operator has not verified yet wait (status "pending") until then.
    "review_enterprises": True,
    "review_postings": False,  # publishing a posting sends it to an operator first
}


def get_setting(key: str) -> Any:
    row = db.session.get(PlatformSetting, key)
    return DEFAULTS[key] if row is None else row.value


def set_setting(key: str, value: Any, *, actor: User | None, ip: str | None = None) -> None:
    if key not in DEFAULTS:
        raise KeyError(key)
    row = db.session.get(PlatformSetting, key)
    previous = DEFAULTS[key] if row is None else row.value
    if row is None:
        row = PlatformSetting(key=key, value=value)
        db.session.add(row)
    row.value = value
    audit.record("setting.change", actor=actor, ip=ip, key=key, value=value, previous=previous)
    db.session.commit()
