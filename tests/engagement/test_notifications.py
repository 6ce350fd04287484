"""Notifications: one summary per enterprise for a batch of new suggestions, the kinds other
features send, the centre with its unread count, and the e-mail outbox with its sender."""

from __future__ import annotations

import json
import socket

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func, select

from matchmaker import signals
from matchmaker.extensions import db
from matchmaker.models import Notification, OutboxEmail
from matchmaker.notifications.mail import send_outbox
from matchmaker.notifications.services import describe, notify_enterprise
from tests.factories import make_user

from .factories import make_posting, make_suggestion, make_world
from .smtp_server import SMTPServer


def notes(user, kind=None):
    query = select(Notification).where(Notification.user_id == user.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return db.session.scalars(query.order_by(Notification.id)).all()


def test_new_suggestions_make_one_summary_per_enterprise(app):
    w = make_world()
    second_lead_user = make_user(w.lead)
    more = [make_suggestion(make_posting(w.lead), make_posting(w.sme)) for _ in range(3)]
    other = make_suggestion(make_posting(w.lead), make_posting(w.third))
    ids = [w.suggestion.id, other.id] + [s.id for s in more]
    with app.test_request_context():
        signals.suggestions_created.send(current_app._get_current_object(), suggestion_ids=ids)
    assert [n.params["count"] for n in notes(w.lead_user, "suggestions")] == [5]
    assert [n.params["count"] for n in notes(second_lead_user, "suggestions")] == [5]
    assert [n.params["count"] for n in notes(w.sme_user, "suggestions")] == [4]
    assert [n.params["count"] for n in notes(w.third_user, "suggestions")] == [1]
    with app.test_request_context():
        assert describe("suggestions", {"count": 4}) == "您有 4 条新的推荐。"


def test_kinds_render_in_the_readers_language(app):
    cases = {
        ("posting_expiring", json.dumps({"posting_title": "压铸件", "deadline": "2025-03-01"})): ("压铸件", "2025"),
        ("posting_expired", json.dumps({"posting_title": "压铸件"})): ("已过期", "expired"),
        ("posting_reviewed", json.dumps({"posting_title": "压铸件", "outcome": "rejected", "reason": "信息不全"})): ("信息不全", "not approved"),
        ("posting_reviewed", json.dumps({"posting_title": "压铸件", "outcome": "approved", "reason": None})): ("通过审核", "approved"),
        ("posting_reviewed", json.dumps({"posting_title": "压铸件", "outcome": "unpublished", "reason": "违规"})): ("下线", "unpublished"),
        ("interest", json.dumps({"name": None, "role": "lead", "posting_title": "压铸能力", "posting_kind": "capability"})): ("某链主企业", "An anonymous lead enterprise is interested in your capability"),
        ("declined", json.dumps({"name": "华晟", "role": "lead", "posting_title": "压铸能力", "reason": "price", "note": "太贵"})): ("价格", "Price"),
        ("match", json.dumps({"name": "华晟", "role": "lead", "posting_title": "压铸能力"})): ("对接成功", "It's a match"),
        ("message", json.dumps({"name": "华晟", "role": "lead"})): ("新留言", "New message from 华晟"),
        ("stage", json.dumps({"name": "华晟", "role": "lead", "posting_title": "压铸能力", "stage": "contract"})): ("已签约", "Contract signed"),
    }
    for (kind, params), (zh, en) in cases.items():
        with app.test_request_context(), force_locale("zh"):
            assert zh in describe(kind, json.loads(params)), kind
        with app.test_request_context(), force_locale("en"):
            assert en in describe(kind, json.loads(params)), kind


def test_centre_unread_count_open_and_mark_all(client, auth):
    w = make_world()
    for title in ("甲", "乙", "丙"):
        notify_enterprise(w.sme.id, "posting_expired", {"posting_title": title}, "/suggestions")
    notify_enterprise(w.lead.id, "posting_expired", {"posting_title": "丁"}, None)
    db.session.commit()
    auth.login(w.sme_user.email)
    html = client.get("/suggestions").get_data(as_text=True)
    assert 'data-testid="unread-count">3<' in html
    centre = client.get("/notifications").get_data(as_text=True)
    assert "您的发布“甲”已过期。" in centre and "丁" not in centre
    first = notes(w.sme_user)[0]
    r = client.get(f"/notifications/{first.id}")
    assert r.status_code == 302 and r.headers["Location"].endswith("/suggestions")
    assert 'data-testid="unread-count">2<' in client.get("/notifications").get_data(as_text=True)
    assert "乙" in client.get("/notifications?unread=1").get_data(as_text=True)
    assert "甲" not in client.get("/notifications?unread=1").get_data(as_text=True)
    r = client.post("/notifications/read")
    assert r.status_code == 302
    assert 'data-testid="unread-count"' not in client.get("/notifications").get_data(as_text=True)
    # the lead's notice is untouched
    assert notes(w.lead_user)[0].read_at is None


def test_no_outbox_without_mail_server(app):
    w = make_world()
    notify_enterprise(w.sme.id, "posting_expired", {"posting_title": "甲"}, "/suggestions")
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 0
    report = send_outbox()
    assert report.skipped and report.sent == 0


def test_outbox_rows_are_written_with_the_change_and_sent_over_smtp(app_factory):
    with SMTPServer() as smtp:
        app = app_factory(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, MAIL_SENDER="noreply@matchmaker.test",
                          BASE_URL="https://matchmaker.example")
        with app.test_request_context():
            w = make_world()
            en_user = make_user(w.sme, email="english@example.cn", locale="en")
            from matchmaker.suggestions import services

            services.accept(w.suggestion.id, w.lead_user)  # the SME's two users are told
            rows = db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()
            assert sorted(r.to_address for r in rows) == sorted([w.sme_user.email, en_user.email])
            zh_row = next(r for r in rows if r.to_address == w.sme_user.email)
            en_row = next(r for r in rows if r.to_address == en_user.email)
            assert "华晟汽车集团有限公司 对您的能力" in zh_row.body
            assert "is interested in your capability" in en_row.body
            assert f"https://matchmaker.example/suggestions/{w.suggestion.id}" in en_row.body

            # the server is down for a while: nothing is lost, the error is kept
            smtp.refuse = True
            report = send_outbox()
            assert (report.sent, report.failed) == (0, 2)
            db.session.expire_all()
            assert all(r.sent_at is None and r.attempts == 1 and "451" in r.last_error
                       for r in db.session.scalars(select(OutboxEmail)))
            smtp.refuse = False
            result = app.test_cli_runner().invoke(args=["mail", "send"])
            assert result.exit_code == 0 and "Sent 2" in result.output
            db.session.expire_all()
            assert all(r.sent_at is not None and r.attempts == 2 and r.last_error is None
                       for r in db.session.scalars(select(OutboxEmail)))
            assert len(smtp.received) == 2
            sender, recipients, message = next(m for m in smtp.received if m[1] == [en_user.email])
            assert sender == "noreply@matchmaker.test"
            assert "is interested" in message["Subject"] and "is interested" in message.get_content()
            # sent rows are not sent again
            assert send_outbox().sent == 0 and len(smtp.received) == 2


def test_unreachable_mail_server_keeps_the_rows(app_factory):
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens on this port now
    app = app_factory(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    with app.test_request_context():
        w = make_world()
        notify_enterprise(w.sme.id, "posting_expired", {"posting_title": "甲"}, None)
        db.session.commit()
        result = app.test_cli_runner().invoke(args=["mail", "send"])
        assert result.exit_code == 1 and "failed 1" in result.output
        row = db.session.scalars(select(OutboxEmail)).one()
        assert row.sent_at is None and row.attempts == 1 and row.last_error


def test_mail_command_without_server(runner):
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0 and "nothing was sent" in result.output
