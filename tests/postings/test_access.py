"""Who may do what with a posting: every route, every kind of visitor; anonymous owners stay hidden."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Posting
from tests import factories

from .factories import login_operator, make_match, make_posting

CHANGE_ROUTES = ("publish", "close", "reopen", "delete")


@pytest.fixture
def owned(app):
    lead = factories.make_enterprise("lead", name="神秘链主集团有限公司")
    factories.make_user(lead)
    return {
        "draft": make_posting(lead, status="draft", title="草稿中的需求"),
        "published": make_posting(lead, title="已发布的需求"),
    }


def test_anonymous_visitor_is_sent_to_login_for_every_private_page(client, owned):
    for path in ("/postings/new", "/postings/mine", f"/postings/{owned['published'].id}/edit"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    for action in CHANGE_ROUTES:
        response = client.post(f"/postings/{owned['published'].id}/{action}")
        assert response.status_code == 403, action  # the platform answers POSTs without a session so
    assert client.get(f"/postings/{owned['draft'].id}").status_code == 404
    assert client.get(f"/postings/{owned['published'].id}").status_code == 200
    assert db.session.get(Posting, owned["published"].id).status == "published"


def test_another_enterprise_gets_404_for_private_and_403_for_visible_postings(client, auth, owned):
    auth.as_role("lead")
    draft, published = owned["draft"], owned["published"]
    assert client.get(f"/postings/{draft.id}").status_code == 404
    assert client.get(f"/postings/{draft.id}/edit").status_code == 404
    assert client.get(f"/postings/{published.id}").status_code == 200
    assert client.get(f"/postings/{published.id}/edit").status_code == 403
    assert client.post(f"/postings/{published.id}/edit", data={"title": "改掉"}).status_code == 403
    for action in CHANGE_ROUTES:
        assert client.post(f"/postings/{draft.id}/{action}").status_code == 404, action
        assert client.post(f"/postings/{published.id}/{action}").status_code == 403, action
    db.session.expire_all()
    assert db.session.get(Posting, published.id).status == "published"
    assert db.session.get(Posting, published.id).title == "已发布的需求"
    assert db.session.get(Posting, draft.id) is not None
    mine = client.get("/postings/mine").get_data(as_text=True)
    assert "已发布的需求" not in mine and "草稿中的需求" not in mine
    assert client.get("/postings/999999").status_code == 404
    assert client.post("/postings/999999/close").status_code == 404


def test_operator_reads_but_changes_nothing(client, auth, owned):
    login_operator(auth)
    published = owned["published"]
    assert client.get(f"/postings/{published.id}").status_code == 200
    assert client.get("/postings").status_code == 200
    assert client.get("/postings/new").status_code == 403
    assert client.get("/postings/mine").status_code == 403
    assert client.get(f"/postings/{published.id}/edit").status_code == 403
    for action in CHANGE_ROUTES:
        assert client.post(f"/postings/{published.id}/{action}").status_code == 403, action
    assert db.session.get(Posting, published.id).status == "published"


def test_lead_cannot_create_sme_kinds(client, auth):
    auth.as_role("lead")
    assert client.get("/postings/new?kind=capability&category=product").status_code == 404
    assert client.post("/postings/new?kind=capability&category=product", data={"title": "x"}).status_code == 404
    assert db.session.scalar(select(Posting.id)) is None


def test_anonymous_lead_posting_hides_its_owner_until_a_match(client, auth):
    lead = factories.make_enterprise("lead", name="神秘链主集团有限公司", contact_phone="027-12345678")
    factories.make_user(lead)
    secret = make_posting(lead, title="保密的电池需求", anonymous=True, tags=["电池"])
    viewer = auth.as_role("sme")
    pages = [client.get(f"/postings/{secret.id}"), client.get("/postings"), client.get("/postings?q=电池"),
             client.get(f"/postings?q={lead.name}"), client.get(f"/postings/{secret.id}", headers={"Accept": "application/json"})]
    for response in pages:
        text = response.get_data(as_text=True)
        if response is not pages[3]:  # that page repeats the words the viewer typed
            assert "神秘链主集团" not in text
        assert f"/enterprises/{lead.id}" not in text
        assert "027-12345678" not in text
    detail = pages[0].get_data(as_text=True)
    assert "某链主企业" in detail and 'data-testid="anonymous-note"' in detail
    assert "保密的电池需求" in pages[1].get_data(as_text=True)
    assert "保密的电池需求" not in pages[3].get_data(as_text=True)  # the owner's name finds nothing
    assert "保密的电池需求" not in client.get(f"/enterprises/{lead.id}").get_data(as_text=True)

    # once they have a match, the SME sees who it is
    make_match(secret, make_posting(viewer.enterprise))
    detail = client.get(f"/postings/{secret.id}").get_data(as_text=True)
    assert "神秘链主集团有限公司" in detail and f"/enterprises/{lead.id}" in detail


def test_anonymous_posting_owner_and_operator_see_the_name(client, auth):
    user = auth.as_role("lead", name="神秘链主集团有限公司")
    secret = make_posting(user.enterprise, title="保密的电池需求", anonymous=True)
    assert "神秘链主集团有限公司" in client.get(f"/postings/{secret.id}").get_data(as_text=True)
    auth.logout()
    login_operator(auth)
    assert "神秘链主集团有限公司" in client.get(f"/postings/{secret.id}").get_data(as_text=True)
    assert "神秘链主集团有限公司" in client.get("/postings").get_data(as_text=True)


def test_anonymous_owner_is_not_in_the_export(app, runner, tmp_path):
    """The export is the operator's full data (it must round-trip), so it names the owner but keeps
    the anonymous flag: what leaves the platform says the posting is anonymous."""
    lead = factories.make_enterprise("lead")
    make_posting(lead, anonymous=True)
    target = tmp_path / "out.jsonl"
    assert runner.invoke(args=["export-data", str(target)]).exit_code == 0
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [r["anonymous"] for r in records if r["type"] == "posting"] == [True]


def test_csrf_is_enforced(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        lead = factories.make_enterprise("lead")
        user = factories.make_user(lead)
        posting = make_posting(lead)
        client = app.test_client()
        login_page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
        assert client.post("/login", data={"email": user.email, "password": factories.PASSWORD,
                                           "csrf_token": token}).status_code == 302
        assert client.post(f"/postings/{posting.id}/close").status_code == 400
        assert client.post("/postings/new?kind=need&category=component", data={"title": "x"}).status_code == 400
        db.session.expire_all()
        assert db.session.get(Posting, posting.id).status == "published"
        page = client.get(f"/postings/{posting.id}").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        assert client.post(f"/postings/{posting.id}/close", data={"csrf_token": token}).status_code == 302
        db.session.expire_all()
        assert db.session.get(Posting, posting.id).status == "closed"
