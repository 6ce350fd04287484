"""Every operator page: 403 for lead and SME users, a login redirect for anonymous visitors."""

from __future__ import annotations

import pytest

from .factories import make_enterprise, make_posting

GET_ROUTES = [
    "/operator/", "/operator/review", "/operator/settings", "/operator/network", "/operator/network.json",
    "/operator/network?lead={lead}", "/operator/gaps", "/operator/exports", "/operator/exports/matches.csv",
    "/operator/exports/funnel.csv", "/operator/exports/report.xlsx", "/operator/runs/{run}",
    "/operator/enterprises", "/operator/enterprises/{lead}", "/operator/postings/{posting}", "/operator/audit",
]
POST_ROUTES = [
    "/operator/settings", "/operator/review/enterprises/{lead}", "/operator/postings/{posting}/decision",
    "/operator/runs", "/operator/enterprises/{lead}/status",
]


@pytest.fixture
def targets(app):
    from matchmaker.extensions import db
    from matchmaker.models import MatchRun

    lead = make_enterprise("lead", status="pending")
    posting = make_posting(lead, "need", "component", status="pending")
    run = MatchRun(status="done", phase="done")
    db.session.add(run)
    db.session.commit()
    return {"lead": lead.id, "posting": posting.id, "run": run.id}


@pytest.mark.parametrize("role", ["lead", "sme"])
@pytest.mark.parametrize("route", GET_ROUTES)
def test_enterprise_users_get_403(client, auth, targets, role, route):
    auth.as_role(role)
    assert client.get(route.format(**targets)).status_code == 403


@pytest.mark.parametrize("role", ["lead", "sme"])
@pytest.mark.parametrize("route", POST_ROUTES)
def test_enterprise_users_cannot_post(client, auth, targets, role, route):
    from matchmaker.extensions import db
    from matchmaker.models import Enterprise, Posting

    auth.as_role(role)
    data = {"decision": "approve", "status": "verified", "review_postings": "y", "reason": "x"}
    assert client.post(route.format(**targets), data=data).status_code == 403
    db.session.expire_all()
    assert db.session.get(Enterprise, targets["lead"]).status == "pending"
    assert db.session.get(Posting, targets["posting"]).status == "pending"


@pytest.mark.parametrize("route", GET_ROUTES)
def test_anonymous_visitors_are_sent_to_login(client, targets, route):
    response = client.get(route.format(**targets))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("route", GET_ROUTES)
def test_operator_sees_every_page(client, login_operator, targets, route):
    login_operator()
    assert client.get(route.format(**targets)).status_code == 200


def test_operator_posts_need_a_csrf_token(app_factory):
    from matchmaker.extensions import db
    from matchmaker.models import Enterprise
    from tests.conftest import AuthActions

    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        client = app.test_client()
        lead = make_enterprise("lead", status="pending")
        from tests.factories import make_user
        user = make_user(operator=True, email="csrf-op@example.cn")
        page = client.get("/login")
        token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        assert AuthActions(client).login(user.email, csrf_token=token).status_code == 302
        for route in ("/operator/settings", f"/operator/review/enterprises/{lead.id}", "/operator/runs",
                      f"/operator/enterprises/{lead.id}/status"):
            response = client.post(route, data={"decision": "approve", "status": "verified",
                                                "review_postings": "y"})
            assert response.status_code == 400, route
        db.session.expire_all()
        assert db.session.get(Enterprise, lead.id).status == "pending"
