"""Only the two parties see a suggestion, its reasons, the match, its messages and the contacts.
A user of a third enterprise gets 404 everywhere; an anonymous visitor is sent to the login page
(GET) or refused (POST); operators read but never act for a party (403)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import Match, Message, MatchEvent, Notification, Suggestion
from tests.factories import make_user

from .factories import make_world

SECRETS = ("楚天精密压铸有限公司", "华晟汽车集团有限公司", "供需概念吻合", "0710-3345678", "027-84001234", "秘密报价")


@pytest.fixture
def matched_world(app):
    """A world with a match and a message in it, plus a second, still open suggestion."""
    from matchmaker.matches import services as match_services
    from matchmaker.suggestions import services

    w = make_world()
    with app.test_request_context():
        services.accept(w.suggestion.id, w.lead_user)
        outcome = services.accept(w.suggestion.id, w.sme_user)
        match_services.post_message(outcome.match.id, w.lead_user, "秘密报价：每件 38 元")
    from .factories import make_posting, make_suggestion

    open_one = make_suggestion(make_posting(w.lead, title="另一项需求"), make_posting(w.sme, title="另一项能力"))
    return w, outcome.match, open_one


def routes(match_id, suggestion_id, open_id, posting_id):
    return {
        "get": [f"/suggestions/{suggestion_id}", f"/suggestions/{open_id}", f"/suggestions?posting={posting_id}",
                f"/matches/{match_id}"],
        "post": [(f"/suggestions/{open_id}/accept", {}), (f"/suggestions/{open_id}/decline", {"reason": "price"}),
                 (f"/suggestions/{suggestion_id}/accept", {}),
                 (f"/matches/{match_id}/stage", {"stage": "nda", "occurred_on": date.today().isoformat()}),
                 (f"/matches/{match_id}/messages", {"body": "你好"})],
    }


def _state():
    return (
        db.session.scalar(select(func.count()).select_from(Message)),
        db.session.scalar(select(func.count()).select_from(MatchEvent)),
        tuple(db.session.execute(select(Suggestion.id, Suggestion.status, Suggestion.lead_decision,
                                        Suggestion.sme_decision).order_by(Suggestion.id)).all()),
        tuple(db.session.scalars(select(Match.stage))),
    )


def test_third_enterprise_gets_404_everywhere(client, auth, matched_world):
    w, match, open_one = matched_world
    before = _state()
    auth.login(w.third_user.email)
    r = routes(match.id, w.suggestion.id, open_one.id, w.lead_posting.id)
    for url in r["get"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert not any(s in response.get_data(as_text=True) for s in SECRETS), url
    for url, data in r["post"]:
        response = client.post(url, data=data)
        assert response.status_code == 404, url
        response = client.post(url, data=data, headers={"Accept": "application/json"})
        assert response.status_code == 404, url
    # its own lists do not show the others' suggestions or matches
    for url in ("/suggestions", "/matches", "/notifications"):
        response = client.get(url)
        assert response.status_code == 200
        assert not any(s in response.get_data(as_text=True) for s in SECRETS), url
    db.session.expire_all()
    assert _state() == before


def test_anonymous_visitor_is_sent_to_login_or_refused(client, matched_world):
    w, match, open_one = matched_world
    before = _state()
    r = routes(match.id, w.suggestion.id, open_one.id, w.lead_posting.id)
    for url in r["get"] + ["/suggestions", "/matches", "/notifications"]:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    for url, data in r["post"] + [("/notifications/read", {})]:
        response = client.post(url, data=data)
        assert response.status_code in (401, 403), url
        assert not any(s in response.get_data(as_text=True) for s in SECRETS), url
    db.session.expire_all()
    assert _state() == before


def test_operator_reads_but_does_not_act(client, auth, matched_world):
    w, match, open_one = matched_world
    before = _state()
    # (auth.as_role("operator") derives the e-mail from a USCC, whose check character may be an
    # upper-case letter that the login lowercases; a plain address avoids that flake)
    operator = make_user(operator=True, email=f"operator{w.lead.id}@example.cn")
    assert auth.login(operator.email).status_code == 302
    html = client.get(f"/suggestions/{open_one.id}").get_data(as_text=True)
    assert "供需概念吻合" in html and 'data-testid="accept"' not in html
    html = client.get(f"/matches/{match.id}").get_data(as_text=True)
    assert "秘密报价" in html and 'data-testid="message-form"' not in html and 'data-testid="stage-form"' not in html
    assert "另一项需求" in client.get("/suggestions").get_data(as_text=True)
    r = routes(match.id, w.suggestion.id, open_one.id, w.lead_posting.id)
    for url, data in r["post"]:
        assert client.post(url, data=data).status_code == 403, url
    db.session.expire_all()
    assert _state() == before


def test_a_party_cannot_read_another_enterprises_posting_suggestions(client, auth, matched_world):
    w, match, open_one = matched_world
    auth.login(w.sme_user.email)
    assert client.get(f"/suggestions?posting={w.lead_posting.id}").status_code == 404
    assert client.get(f"/suggestions?posting={w.sme_posting.id}").status_code == 200


def test_notifications_belong_to_their_reader(client, auth, matched_world):
    w, match, open_one = matched_world
    theirs = db.session.scalars(select(Notification).where(Notification.user_id == w.sme_user.id)).first()
    auth.login(w.third_user.email)
    assert client.get(f"/notifications/{theirs.id}").status_code == 404
    client.post("/notifications/read")
    db.session.expire_all()
    assert db.session.get(Notification, theirs.id).read_at is None


def test_forms_need_the_csrf_token(app_factory, matched_world):
    w, match, open_one = matched_world
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()

    with app.app_context():
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
            r'name="csrf_token" value="([^"]+)"', page)
        client.post("/login", data={"email": w.lead_user.email, "password": "correct horse 电池 staple",
                                    "csrf_token": token.group(1)})
        before = _state()
        assert client.post(f"/suggestions/{open_one.id}/accept").status_code == 400
        assert client.post(f"/suggestions/{open_one.id}/decline", data={"reason": "price"}).status_code == 400
        assert client.post(f"/matches/{match.id}/messages", data={"body": "x"}).status_code == 400
        db.session.expire_all()
        assert _state() == before
        detail = client.get(f"/suggestions/{open_one.id}").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', detail).group(1)
        assert client.post(f"/suggestions/{open_one.id}/accept", data={"csrf_token": token}).status_code == 303
