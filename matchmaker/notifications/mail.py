"""Sending the e-mail outbox through SMTP. Rows are written by `notify_enterprise` in the same
transaction as the change they report; this sender delivers them later, keeping the number of
attempts and the last error of each, so a mail server that is down loses nothing."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import OutboxEmail
from ..models.base import utcnow

MAX_ATTEMPTS = 10


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    skipped: bool = False  # MAIL_SERVER is not configured


def _connect() -> smtplib.SMTP:
    config = current_app.config
    smtp = smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25), timeout=30)
    if config.get("MAIL_USE_TLS"):
        smtp.starttls()
    if config.get("MAIL_USERNAME"):
        smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    return smtp


def _message(row: OutboxEmail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config.get("MAIL_SENDER") or "noreply@matchmaker.local"
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message.set_content(row.body)
    return message


def send_outbox(limit: int | None = None) -> SendReport:
    """Send the unsent rows (oldest first, at most MAX_ATTEMPTS tries each). Nothing is sent, and
    nothing is changed, when MAIL_SERVER is unset."""
    report = SendReport()
    if not current_app.config.get("MAIL_SERVER"):
        report.skipped = True
        return report
    query = (select(OutboxEmail).where(OutboxEmail.sent_at.is_(None), OutboxEmail.attempts < MAX_ATTEMPTS)
             .order_by(OutboxEmail.id))
    if limit:
        query = query.limit(limit)
    rows = db.session.scalars(query).all()
    smtp: smtplib.SMTP | None = None
    try:
        for row in rows:
            row.attempts = (row.attempts or 0) + 1
            try:
                if smtp is None:
                    smtp = _connect()
                smtp.send_message(_message(row))
            except (smtplib.SMTPException, OSError) as exc:
                row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                report.failed += 1
                if smtp is not None and isinstance(exc, (smtplib.SMTPServerDisconnected, OSError)):
                    smtp = None  # reconnect for the next row
            else:
                row.sent_at = utcnow()
                row.last_error = None
                report.sent += 1
            db.session.commit()  # each row's outcome is kept even if a later one fails
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
    return report
