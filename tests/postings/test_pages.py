"""The posting pages as people use them: creating every kind, the lifecycle buttons, the lists."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import AuditEntry, Posting
from matchmaker.vocabulary import POSTING_KINDS

from .factories import make_posting

FUTURE = (date.today() + timedelta(days=30)).isoformat()

DETAILS = {
    "need": {"specification": "IATF16949，耐候≥1000h", "quantity": "每年20万米", "delivery_region": "420100"},
    "challenge": {"problem": "电池包液冷板焊接泄漏", "indicators": "泄漏率<0.1%", "budget_min": "50", "budget_max": "200"},
    "capability": {"capacity": "年产50万件", "certifications": "ISO 9001", "references": "东风、上汽"},
    "resource": {},
}


def form_data(kind: str, **overrides) -> dict:
    data = {
        "title": "新能源汽车电池包液冷板", "description": "铝合金钎焊液冷板，用于动力电池包热管理。",
        "tags": "液冷板, 钎焊", "industry": "C367", "region": "420100", "chains": ["supply", "innovation"],
        "valid_from": date.today().isoformat(), "deadline": FUTURE, "action": "publish",
        **DETAILS[kind],
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("side,kind,category", [(s, k, c) for (s, k), cats in POSTING_KINDS.items() for c in cats])
def test_every_kind_and_category_can_be_created_and_published(client, auth, side, kind, category):
    user = auth.as_role(side)
    form = client.get(f"/postings/new?kind={kind}&category={category}")
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    for name in DETAILS[kind]:
        assert f'name="{name}"' in page
    response = client.post(f"/postings/new?kind={kind}&category={category}", data=form_data(kind))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    posting = db.session.scalar(select(Posting).where(Posting.enterprise_id == user.enterprise_id))
    assert (posting.kind, posting.category, posting.status) == (kind, category, "published")
    assert posting.chains == ["innovation", "supply"]
    assert posting.tags == ["液冷板", "钎焊"]
    assert posting.tokens and "液冷板" in posting.tokens
    assert "液冷板" in posting.search_text
    if kind == "challenge":
        assert posting.details["budget_min"] == 50 and posting.details["budget_max"] == 200
    elif DETAILS[kind]:
        assert set(posting.details) == set(DETAILS[kind])
    shown = client.get(f"/postings/{posting.id}").get_data(as_text=True)
    assert "新能源汽车电池包液冷板" in shown


def test_chooser_lists_only_the_users_side(client, auth):
    auth.as_role("sme")
    page = client.get("/postings/new").get_data(as_text=True)
    assert 'data-testid="kind-capability"' in page and 'data-testid="kind-need"' in page
    assert 'data-testid="kind-resource"' not in page
    assert client.get("/postings/new?kind=resource&category=brand").status_code == 404
    assert client.get("/postings/new?kind=need&category=component").status_code == 404  # a lead category


def test_new_form_proposes_chains_and_enterprise_defaults(client, auth):
    auth.as_role("lead", region="440300", industry="C39")
    page = client.get("/postings/new?kind=resource&category=fund").get_data(as_text=True)
    assert '<input checked class="form-check-input" id="chains-3" name="chains" type="checkbox" value="capital">' in page
    assert 'value="supply">' in page and 'checked class="form-check-input" id="chains-1"' not in page
    assert '<option selected value="440300">' in page


@pytest.mark.parametrize("overrides,field,message", [
    ({"title": ""}, "title", ""),
    ({"title": "长" * 121}, "title", "120"),
    ({"description": "x" * 5001}, "description", "5000"),
    ({"deadline": (date.today() - timedelta(days=1)).isoformat()}, "deadline", ""),
    ({"tags": ", ".join(f"t{i}" for i in range(11))}, "tags", "10"),
    ({"tags": "一个非常非常非常非常非常非常长的标签名称超过二十"}, "tags", "20"),
    ({"chains": ["nonsense"]}, "chains", ""),
    ({"chains": []}, "chains", ""),
    ({"industry": "Z999"}, "industry", ""),
    ({"region": "999999"}, "region", ""),
    ({"budget_min": "300", "budget_max": "100"}, "budget_max", ""),
    ({"budget_min": "abc"}, "budget_min", ""),
])
def test_bad_input_is_refused_next_to_the_field_and_nothing_is_saved(client, auth, overrides, field, message):
    auth.as_role("lead")
    response = client.post("/postings/new?kind=challenge&category=technology", data=form_data("challenge", **overrides))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page or 'data-testid="form-errors"' in page
    assert message in page
    assert db.session.scalar(select(Posting.id)) is None


def test_lead_need_requires_a_deadline(client, auth):
    auth.as_role("lead")
    response = client.post("/postings/new?kind=need&category=component", data=form_data("need", deadline=""))
    assert response.status_code == 400
    assert 'id="deadline-error"' in response.get_data(as_text=True)


def test_script_in_text_is_shown_escaped(client, auth):
    auth.as_role("sme")
    response = client.post("/postings/new?kind=capability&category=product",
                           data=form_data("capability", title="<script>alert(1)</script>精密冲压",
                                          description="<img src=x onerror=alert(1)>"))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;精密冲压" in page


def test_lifecycle_through_the_buttons(client, auth):
    user = auth.as_role("lead")
    response = client.post("/postings/new?kind=need&category=component", data=form_data("need", action="draft"))
    posting = db.session.scalar(select(Posting))
    assert posting.status == "draft"
    assert "草稿" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get("/postings?q=液冷板").get_data(as_text=True).count('data-testid="posting-card"') == 0

    client.post(f"/postings/{posting.id}/publish")
    db.session.refresh(posting)
    assert posting.status == "published" and posting.published_at is not None
    assert client.get("/postings?q=液冷板").get_data(as_text=True).count('data-testid="posting-card"') == 1

    edit = client.post(f"/postings/{posting.id}/edit", data=form_data("need", title="液冷板（修订）", version=str(posting.version)))
    assert edit.status_code == 302
    db.session.refresh(posting)
    assert posting.title == "液冷板（修订）" and posting.status == "published" and posting.version == 2

    stale = client.post(f"/postings/{posting.id}/edit", data=form_data("need", title="旧版本", version="1"))
    assert stale.status_code == 409
    db.session.refresh(posting)
    assert posting.title == "液冷板（修订）"

    client.post(f"/postings/{posting.id}/close")
    db.session.refresh(posting)
    assert posting.status == "closed" and posting.closed_at is not None
    assert client.get("/postings?q=液冷板").get_data(as_text=True).count('data-testid="posting-card"') == 0

    client.post(f"/postings/{posting.id}/reopen")
    db.session.refresh(posting)
    assert posting.status == "published"

    deleted = client.post(f"/postings/{posting.id}/delete")
    assert deleted.status_code == 302
    db.session.expire_all()
    assert db.session.get(Posting, posting.id) is None
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"posting.create", "posting.publish", "posting.update", "posting.close", "posting.reopen", "posting.delete"} <= actions


def test_my_postings_has_status_tabs(client, auth):
    user = auth.as_role("sme")
    make_posting(user.enterprise, title="已发布的能力", status="published")
    make_posting(user.enterprise, title="还在写的草稿", status="draft")
    page = client.get("/postings/mine").get_data(as_text=True)
    assert "已发布的能力" in page and "还在写的草稿" in page
    drafts = client.get("/postings/mine?status=draft").get_data(as_text=True)
    assert "还在写的草稿" in drafts and "已发布的能力" not in drafts
    empty = client.get("/postings/mine?status=closed").get_data(as_text=True)
    assert 'data-testid="empty-state"' in empty


def test_dashboard_and_enterprise_page_sections(client, auth):
    user = auth.as_role("lead")
    make_posting(user.enterprise, title="公开的试验场", kind="resource", category="test_site")
    make_posting(user.enterprise, title="匿名的配套需求", anonymous=True)
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert 'data-testid="dashboard-postings"' in dashboard
    own = client.get(f"/enterprises/{user.enterprise_id}").get_data(as_text=True)
    assert "公开的试验场" in own and "匿名的配套需求" in own  # the owner sees its anonymous posting
    auth.logout()
    auth.as_role("sme")
    other = client.get(f"/enterprises/{user.enterprise_id}").get_data(as_text=True)
    assert "公开的试验场" in other
    assert "匿名的配套需求" not in other  # listing it here would name its owner


def test_english_pages(client, auth):
    auth.as_role("lead")
    client.get("/lang/en")
    page = client.get("/postings/new").get_data(as_text=True)
    assert "Open resource" in page and "Technical challenge" in page
    browse = client.get("/postings").get_data(as_text=True)
    assert "Browse postings" in browse and "No postings have been published yet." in browse
