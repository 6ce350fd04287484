"""The whole path with the test client: suggestion → interest → match → messages → stages."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from matchmaker.enterprises.policy import can_see_contacts
from matchmaker.extensions import db
from matchmaker.models import Match, MatchEvent, Message, Notification, Suggestion

from .factories import make_posting, make_suggestion, make_world


TODAY = (date.today() - timedelta(days=1)).isoformat()


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_lead_sees_suggestions_of_its_posting_with_reasons(client, auth):
    w = make_world()
    auth.login(w.lead_user.email)
    page = client.get(f"/suggestions?posting={w.lead_posting.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "楚天精密压铸有限公司" in html and "高真空铝合金压铸能力" in html
    assert "chain-supply" in html and "0.82" in html
    assert "供需概念吻合：压铸件" in html  # reasons in Chinese by default
    detail = client.get(f"/suggestions/{w.suggestion.id}").get_data(as_text=True)
    assert "同在湖北省武汉市" in detail and 'data-testid="accept"' in detail


def test_reasons_follow_the_readers_language(client, auth):
    w = make_world()
    auth.login(w.lead_user.email)
    client.get("/lang/en")
    html = client.get(f"/suggestions/{w.suggestion.id}").get_data(as_text=True)
    assert "Matching concept: die castings" in html and "供需概念吻合" not in html


def test_full_flow_to_contract(client, auth, app):
    w = make_world()
    auth.login(w.lead_user.email)
    # contacts are hidden before the match
    assert "sales" not in client.get(f"/suggestions/{w.suggestion.id}").get_data(as_text=True)
    r = client.post(f"/suggestions/{w.suggestion.id}/accept")
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/suggestions/{w.suggestion.id}")
    db.session.expire_all()
    assert db.session.get(Suggestion, w.suggestion.id).status == "interest"
    # the SME is told, by name
    note = db.session.scalars(select(Notification).where(Notification.user_id == w.sme_user.id)).one()
    assert note.kind == "interest" and note.params["name"] == "华晟汽车集团有限公司"
    auth.logout()

    auth.login(w.sme_user.email)
    centre = client.get("/notifications").get_data(as_text=True)
    assert "华晟汽车集团有限公司 is interested" not in centre  # Chinese UI
    assert "华晟汽车集团有限公司" in centre
    r = client.post(f"/suggestions/{w.suggestion.id}/accept")
    assert r.status_code == 303
    match = db.session.scalars(select(Match)).one()
    assert r.headers["Location"].endswith(f"/matches/{match.id}")
    assert match.stage == "talks" and match.chain == "supply"
    assert [e.stage for e in match.events] == ["talks"]
    page = client.get(f"/matches/{match.id}").get_data(as_text=True)
    assert w.lead.contact_email in page and w.lead.contact_phone in page and w.sme.contact_email in page

    r = client.post(f"/matches/{match.id}/messages", data={"body": "您好，<b>欢迎</b>来厂考察"})
    assert r.status_code == 303
    auth.logout()

    auth.login(w.lead_user.email)
    page = client.get(f"/matches/{match.id}").get_data(as_text=True)
    assert "&lt;b&gt;欢迎&lt;/b&gt;" in page and "<b>欢迎</b>" not in page
    assert w.sme.contact_email in page
    assert can_see_contacts(w.lead_user, w.sme) and can_see_contacts(w.sme_user, w.lead)
    assert not can_see_contacts(w.third_user, w.sme)
    r = client.post(f"/matches/{match.id}/stage", data={"stage": "contract", "occurred_on": TODAY, "note": "框架协议"})
    assert r.status_code == 303, r.get_data(as_text=True)[:2000]
    db.session.expire_all()
    assert db.session.get(Match, match.id).stage == "contract"
    page = client.get(f"/matches/{match.id}").get_data(as_text=True)
    assert "已签约" in page and "框架协议" in page
    # the SME got: match notice and a stage notice
    kinds = set(db.session.scalars(select(Notification.kind).where(Notification.user_id == w.sme_user.id)))
    assert {"interest", "match", "stage"} <= kinds
    lists = client.get("/matches").get_data(as_text=True)
    assert "楚天精密压铸有限公司" in lists and "已签约" in lists


def test_decline_with_reason_reaches_the_other_side_without_the_person(client, auth):
    w = make_world()
    auth.login(w.sme_user.email)
    r = client.post(f"/suggestions/{w.suggestion.id}/decline", data={"reason": "capacity", "note": "今年产能已满"})
    assert r.status_code == 303
    auth.logout()
    auth.login(w.lead_user.email)
    html = client.get(f"/suggestions/{w.suggestion.id}").get_data(as_text=True)
    assert "产能" in html and "今年产能已满" in html
    assert "李晓梅" not in html  # the person who declined is not named
    assert 'data-testid="accept"' not in html  # closed for the lead
    centre = client.get("/notifications").get_data(as_text=True)
    assert "今年产能已满" in centre and "李晓梅" not in centre
    # and the lead can no longer accept it
    r = client.post(f"/suggestions/{w.suggestion.id}/accept", headers={"Accept": "application/json"})
    assert r.status_code == 409
    assert count(Match) == 0


def test_decline_needs_a_known_reason_and_a_short_note(client, auth):
    w = make_world()
    auth.login(w.lead_user.email)
    r = client.post(f"/suggestions/{w.suggestion.id}/decline", data={"reason": "bogus"})
    assert r.status_code == 400
    r = client.post(f"/suggestions/{w.suggestion.id}/decline", data={"reason": "price", "note": "x" * 501})
    assert r.status_code == 400 and "500" in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Suggestion, w.suggestion.id).status == "open"


def test_a_decision_can_change_until_the_other_side_answers(client, auth):
    w = make_world()
    auth.login(w.lead_user.email)
    client.post(f"/suggestions/{w.suggestion.id}/accept")
    r = client.post(f"/suggestions/{w.suggestion.id}/decline", data={"reason": "price"})
    assert r.status_code == 303
    db.session.expire_all()
    s = db.session.get(Suggestion, w.suggestion.id)
    assert (s.status, s.lead_decision, s.lead_decline_reason) == ("declined", "declined", "price")
    r = client.post(f"/suggestions/{w.suggestion.id}/accept", headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.json["status"] == "interest"
    # repeating it changes nothing and notifies nobody again
    before = count(Notification)
    r = client.post(f"/suggestions/{w.suggestion.id}/accept", headers={"Accept": "application/json"})
    assert r.json == {**r.json, "changed": False, "status": "interest"}
    assert count(Notification) == before
    auth.logout()
    auth.login(w.sme_user.email)
    client.post(f"/suggestions/{w.suggestion.id}/decline", data={"reason": "region"})
    auth.logout()
    auth.login(w.lead_user.email)
    r = client.post(f"/suggestions/{w.suggestion.id}/decline", data={"reason": "other"},
                    headers={"Accept": "application/json"})
    assert r.status_code == 409  # the SME has answered: the lead's yes stays
    db.session.expire_all()
    s = db.session.get(Suggestion, w.suggestion.id)
    assert (s.lead_decision, s.sme_decision, s.sme_decline_reason) == ("accepted", "declined", "region")


def test_anonymous_lead_stays_anonymous_until_matched(client, auth):
    w = make_world(anonymous_lead=True)
    auth.login(w.sme_user.email)
    html = client.get("/suggestions").get_data(as_text=True)
    assert "某链主企业" in html and "华晟汽车" not in html
    html = client.get(f"/suggestions/{w.suggestion.id}").get_data(as_text=True)
    assert "某链主企业" in html and "华晟汽车" not in html and w.lead.contact_email not in html
    auth.logout()
    auth.login(w.lead_user.email)
    client.post(f"/suggestions/{w.suggestion.id}/accept")
    auth.logout()
    auth.login(w.sme_user.email)
    centre = client.get("/notifications").get_data(as_text=True)
    assert "某链主企业" in centre and "华晟汽车" not in centre
    client.post(f"/suggestions/{w.suggestion.id}/accept")
    match = db.session.scalars(select(Match)).one()
    html = client.get(f"/matches/{match.id}").get_data(as_text=True)
    assert "华晟汽车集团有限公司" in html and w.lead.contact_email in html


def test_list_filters_and_sorting(client, auth):
    w = make_world()
    other_sme = make_posting(w.third, title="工业互联网平台")
    make_suggestion(w.lead_posting, other_sme, chain="data", score=0.95, rank=1)
    withdrawn_sme = make_posting(w.third, title="已撤回的能力")
    make_suggestion(w.lead_posting, withdrawn_sme, chain="supply", score=0.5, status="withdrawn")
    auth.login(w.lead_user.email)
    html = client.get("/suggestions").get_data(as_text=True)
    assert html.index("工业互联网平台") < html.index("高真空铝合金压铸能力")  # by score
    assert "已撤回的能力" not in html
    html = client.get("/suggestions?chain=supply").get_data(as_text=True)
    assert "工业互联网平台" not in html and "高真空铝合金压铸能力" in html
    html = client.get("/suggestions?status=matched").get_data(as_text=True)
    assert "高真空铝合金压铸能力" not in html
    html = client.get("/suggestions?sort=date").get_data(as_text=True)
    assert "工业互联网平台" in html


def test_dashboard_partials(app):
    """The sections the enterprise dashboard includes (rendered alone: other features add theirs)."""
    from flask import render_template
    from flask_login import login_user

    w = make_world()
    make_suggestion(w.lead_posting, make_posting(w.third, title="工业互联网平台"), chain="data", score=0.9)
    with app.test_request_context("/dashboard"):
        login_user(w.lead_user)
        html = render_template("suggestions/_dashboard.html", enterprise=w.lead)
        assert "2 条待您答复" in html and "工业互联网平台" in html and "chain-data" in html
        html = render_template("matches/_dashboard.html", enterprise=w.lead)
        assert "暂无对接" in html


def test_withdrawn_suggestion_detail_says_so(client, auth):
    w = make_world()
    w.suggestion.status = "withdrawn"
    db.session.commit()
    auth.login(w.sme_user.email)
    html = client.get(f"/suggestions/{w.suggestion.id}").get_data(as_text=True)
    assert 'data-testid="withdrawn"' in html and 'data-testid="accept"' not in html
    r = client.post(f"/suggestions/{w.suggestion.id}/accept", headers={"Accept": "application/json"})
    assert r.status_code == 409


def test_message_limits(app_factory, auth, client):
    w = make_world()
    auth.login(w.lead_user.email)
    client.post(f"/suggestions/{w.suggestion.id}/accept")
    auth.logout()
    auth.login(w.sme_user.email)
    client.post(f"/suggestions/{w.suggestion.id}/accept")
    match = db.session.scalars(select(Match)).one()
    r = client.post(f"/matches/{match.id}/messages", data={"body": "x" * 2001})
    assert r.status_code == 400
    r = client.post(f"/matches/{match.id}/messages", data={"body": "   "})
    assert r.status_code == 400
    for i in range(10):
        assert client.post(f"/matches/{match.id}/messages", data={"body": f"第{i}条"}).status_code == 303
    r = client.post(f"/matches/{match.id}/messages", data={"body": "太多了"})
    assert r.status_code == 429 and "10" in r.get_data(as_text=True)
    assert count(Message) == 10
    # one unread "message" notice for the lead, not ten
    assert count(Notification, Notification.user_id == w.lead_user.id, Notification.kind == "message") == 1


def test_stage_rules(client, auth):
    w = make_world()
    auth.login(w.lead_user.email)
    client.post(f"/suggestions/{w.suggestion.id}/accept")
    auth.logout()
    auth.login(w.sme_user.email)
    client.post(f"/suggestions/{w.suggestion.id}/accept")
    match = db.session.scalars(select(Match)).one()
    r = client.post(f"/matches/{match.id}/stage", data={"stage": "closed", "occurred_on": TODAY})
    assert r.status_code == 400  # closing needs a reason
    r = client.post(f"/matches/{match.id}/stage", data={"stage": "nda", "occurred_on": "2999-01-01"})
    assert r.status_code == 400  # not in the future
    r = client.post(f"/matches/{match.id}/stage", data={"stage": "nda", "occurred_on": ""})
    assert r.status_code == 400
    r = client.post(f"/matches/{match.id}/stage", data={"stage": "nda", "occurred_on": "2001-01-01"})
    assert r.status_code == 400  # long before the match
    r = client.post(f"/matches/{match.id}/stage", data={"stage": "talks", "occurred_on": TODAY})
    assert r.status_code == 400  # already there
    assert client.post(f"/matches/{match.id}/stage", data={"stage": "nda", "occurred_on": TODAY}).status_code == 303
    r = client.post(f"/matches/{match.id}/stage", data={"stage": "closed", "occurred_on": TODAY, "note": "价格谈不拢"})
    assert r.status_code == 303
    db.session.expire_all()
    m = db.session.get(Match, match.id)
    assert m.stage == "closed" and m.closed_reason == "价格谈不拢"
    assert [e.stage for e in db.session.scalars(select(MatchEvent).where(MatchEvent.match_id == m.id).order_by(MatchEvent.id))] == ["talks", "nda", "closed"]
