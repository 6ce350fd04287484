"""All models, imported here so that Alembic and `db.create_all()` see every table."""

from .audit import AuditEntry
from .enterprise import Enterprise, User, new_ref
from .match import Match, MatchEvent, Message
from .notification import Notification, OutboxEmail
from .platform import MatchRun, PlatformSetting
from .posting import Posting
from .suggestion import Suggestion

__all__ = [
    "AuditEntry", "Enterprise", "Match", "MatchEvent", "MatchRun", "Message", "Notification",
    "OutboxEmail", "PlatformSetting", "Posting", "Suggestion", "User", "new_ref",
]
