"""Review: the settings, the queues, approving and rejecting enterprises and postings with a
reason the enterprise sees, unpublishing, and the audit log of it all."""

from __future__ import annotations

from sqlalchemy import select

from matchmaker import settings
from matchmaker.extensions import db
from matchmaker.models import AuditEntry, Enterprise, Posting

from .factories import make_enterprise, make_posting, make_user


def audit_actions(target_type: str, target_id: int) -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.target_type == target_type, AuditEntry.target_id == target_id).order_by(AuditEntry.id)))


def test_settings_page_toggles_review_and_audits(client, login_operator):
    op = login_operator()
    page = client.get("/operator/settings").get_data(as_text=True)
    assert 'name="review_enterprises"' in page and 'name="review_postings"' in page
    assert settings.get_setting("review_enterprises") is True and settings.get_setting("review_postings") is False
    response = client.post("/operator/settings", data={"review_postings": "y"})  # enterprises off, postings on
    assert response.status_code == 302
    assert settings.get_setting("review_enterprises") is False and settings.get_setting("review_postings") is True
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "setting.change")).all()
    assert {(e.detail["key"], e.detail["value"], e.actor_id) for e in entries} == {
        ("review_enterprises", False, op.id), ("review_postings", True, op.id)}
    client.post("/operator/settings", data={"review_postings": "y"})  # no change, no new entry
    assert db.session.query(AuditEntry).filter_by(action="setting.change").count() == 2
    page = client.get("/operator/review").get_data(as_text=True)
    assert 'data-testid="review-settings"' in page


def test_queues_list_pending_enterprises_and_postings(client, login_operator):
    login_operator()
    waiting = make_enterprise("sme", name="排队企业有限公司", status="pending")
    verified = make_enterprise("lead", name="已认证集团有限公司")
    posting = make_posting(verified, "need", "component", status="pending", title="待审核的液冷板需求")
    make_posting(verified, "need", "component", status="published", title="已公开的需求")
    html = client.get("/operator/review").get_data(as_text=True)
    enterprises = html.split('data-testid="pending-enterprises"')[1].split('id="postings"')[0]
    assert "排队企业有限公司" in enterprises and "已认证集团有限公司" not in enterprises
    postings = html.split('data-testid="pending-postings"')[1]
    assert "待审核的液冷板需求" in postings and "已公开的需求" not in postings
    assert f'data-posting-id="{posting.id}"' in postings
    dashboard = client.get("/operator/").get_data(as_text=True)
    assert "1 家企业等待审核" in dashboard and "1 条发布等待审核" in dashboard


def test_approve_and_reject_enterprises(client, auth, login_operator):
    op = login_operator()
    good = make_enterprise("sme", status="pending")
    bad = make_enterprise("sme", status="pending")
    bad_user = make_user(bad, email="bad@example.cn")
    assert client.post(f"/operator/review/enterprises/{good.id}", data={"decision": "approve"}).status_code == 302
    # a rejection needs a reason: refused with the message next to the field, nothing saved
    response = client.post(f"/operator/review/enterprises/{bad.id}", data={"decision": "reject", "reason": "  "})
    assert response.status_code == 400 and "请填写原因" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Enterprise, bad.id).status == "pending"
    response = client.post(f"/operator/review/enterprises/{bad.id}",
                           data={"decision": "reject", "reason": "营业执照信息与统一社会信用代码不符"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Enterprise, good.id).status == "verified"
    rejected = db.session.get(Enterprise, bad.id)
    assert rejected.status == "rejected" and rejected.status_reason == "营业执照信息与统一社会信用代码不符"
    assert audit_actions("enterprise", good.id) == ["enterprise.verified"]
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.target_id == bad.id,
                                                        AuditEntry.target_type == "enterprise")).one()
    assert entry.action == "enterprise.rejected" and entry.actor_id == op.id and entry.detail["reason"]
    # the rejected enterprise cannot log in, and the page it sees says why
    auth.logout()
    response = auth.login(bad_user.email)
    assert response.status_code != 302
    assert "营业执照信息与统一社会信用代码不符" in response.get_data(as_text=True)


def test_approve_reject_and_unpublish_postings(client, login_operator):
    op = login_operator()
    lead = make_enterprise("lead")
    ok = make_posting(lead, "need", "component", status="pending", published_at=None)
    no = make_posting(lead, "need", "component", status="pending", published_at=None)
    live = make_posting(lead, "need", "component", status="published")
    assert client.post(f"/operator/postings/{ok.id}/decision", data={"decision": "approve", "next": "review"}
                       ).headers["Location"].endswith("/operator/review")
    response = client.post(f"/operator/postings/{no.id}/decision", data={"decision": "reject", "reason": ""})
    assert response.status_code == 400
    assert client.post(f"/operator/postings/{no.id}/decision",
                       data={"decision": "reject", "reason": "需求描述含有联系方式"}).status_code == 302
    assert client.post(f"/operator/postings/{live.id}/decision",
                       data={"decision": "unpublish", "reason": "与平台规则不符"}).status_code == 302
    # approving a posting that is not pending is refused
    assert client.post(f"/operator/postings/{live.id}/decision", data={"decision": "approve"}).status_code == 400
    db.session.expire_all()
    assert db.session.get(Posting, ok.id).status == "published"
    assert db.session.get(Posting, ok.id).published_at is not None
    assert (db.session.get(Posting, no.id).status, db.session.get(Posting, no.id).status_reason) == (
        "rejected", "需求描述含有联系方式")
    assert (db.session.get(Posting, live.id).status, db.session.get(Posting, live.id).status_reason) == (
        "unpublished", "与平台规则不符")
    for posting, action in ((ok, "approve"), (no, "reject"), (live, "unpublish")):
        entries = db.session.scalars(select(AuditEntry).where(
            AuditEntry.target_type == "posting", AuditEntry.target_id == posting.id)).all()
        assert [e.action for e in entries] == [f"posting.{action}"] and entries[0].actor_id == op.id
    page = client.get(f"/operator/postings/{no.id}").get_data(as_text=True)
    assert "需求描述含有联系方式" in page and "posting.reject" in page


def test_unknown_decisions_and_objects(client, login_operator):
    login_operator()
    lead = make_enterprise("lead", status="pending")
    assert client.post(f"/operator/review/enterprises/{lead.id}", data={"decision": "explode"}).status_code == 400
    assert client.post(f"/operator/review/enterprises/{lead.id}", data={"decision": "unpublish"}).status_code == 400
    assert client.post("/operator/review/enterprises/999999", data={"decision": "approve"}).status_code == 404
    assert client.post("/operator/postings/999999/decision", data={"decision": "approve"}).status_code == 404
    assert client.get("/operator/postings/999999").status_code == 404
    db.session.expire_all()
    assert db.session.get(Enterprise, lead.id).status == "pending"


def test_existing_verify_and_suspend_still_work(client, auth, login_operator):
    login_operator()
    sme = make_enterprise("sme", status="pending")
    user = make_user(sme, email="keep@example.cn")
    assert client.post(f"/operator/enterprises/{sme.id}/status", data={"status": "verified"}).status_code == 302
    assert client.post(f"/operator/enterprises/{sme.id}/status", data={"status": "suspended"}).status_code == 400
    assert client.post(f"/operator/enterprises/{sme.id}/status",
                       data={"status": "suspended", "reason": "违规发布"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Enterprise, sme.id).status == "suspended"
    audit = client.get("/operator/audit").get_data(as_text=True)
    assert "enterprise.suspended" in audit and "enterprise.verified" in audit
    auth.logout()
    response = auth.login(user.email)
    assert response.status_code != 302 and "违规发布" in response.get_data(as_text=True)
