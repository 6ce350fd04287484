"""The lifecycle in the services: review, signals, moderation, expiry, the enterprise's status."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from matchmaker import signals
from matchmaker.enterprises.services import set_status
from matchmaker.errors import Conflict, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import AuditEntry, Notification, Posting, Suggestion
from matchmaker.postings import services
from matchmaker.settings import set_setting
from tests import factories

from .factories import make_match, make_posting


@contextmanager
def captured(signal):
    seen = []

    def receiver(sender, posting, **kw):
        # sent after the commit: a fresh session read sees the same status
        seen.append((posting.id, posting.status))

    signal.connect(receiver)
    try:
        yield seen
    finally:
        signal.disconnect(receiver)


def new_input(**fields):
    values = dict(kind="need", category="component", title="汽车密封条", description="三元乙丙密封条采购",
                  tags=["密封条"], deadline=date.today() + timedelta(days=30))
    values.update(fields)
    return services.PostingInput(**values)


def test_publishing_sends_posting_changed_after_commit(app):
    lead = factories.make_enterprise("lead")
    user = factories.make_user(lead)
    with captured(signals.posting_changed) as changed:
        posting = services.create_posting(lead, new_input(), actor=user, publish=True)
    assert posting.status == "published"
    assert changed == [(posting.id, "published")]
    with captured(signals.posting_changed) as changed:
        services.update_posting(posting, new_input(title="汽车密封条（新）"), actor=user)
    assert changed == [(posting.id, "published")]
    with captured(signals.posting_withdrawn) as withdrawn:
        services.close_posting(posting, actor=user)
    assert withdrawn == [(posting.id, "closed")]


def test_unverified_enterprise_waits_for_review_then_is_published_on_verification(app):
    lead = factories.make_enterprise("lead", status="pending")
    user = factories.make_user(lead)
    operator = factories.make_user(operator=True)
    with captured(signals.posting_changed) as changed:
        posting = services.create_posting(lead, new_input(), actor=user, publish=True)
    assert posting.status == "pending" and changed == []
    with captured(signals.posting_changed) as changed:
        set_status(lead, "verified", actor=operator)
    db.session.refresh(posting)
    assert posting.status == "published" and posting.published_at is not None
    assert changed == [(posting.id, "published")]


def test_suspension_withdraws_published_postings_and_reinstatement_brings_them_back(app):
    lead = factories.make_enterprise("lead")
    operator = factories.make_user(operator=True)
    posting = make_posting(lead)
    with captured(signals.posting_withdrawn) as withdrawn:
        set_status(lead, "suspended", actor=operator, reason="资质过期")
    db.session.refresh(posting)
    assert posting.status == "pending" and withdrawn == [(posting.id, "pending")]
    set_status(lead, "verified", actor=operator)
    db.session.refresh(posting)
    assert posting.status == "published"


def test_review_postings_setting_sends_every_posting_to_review(app):
    operator = factories.make_user(operator=True)
    set_setting("review_postings", True, actor=operator)
    sme = factories.make_enterprise("sme")
    user = factories.make_user(sme)
    posting = services.create_posting(sme, new_input(kind="capability", category="product"), actor=user, publish=True)
    assert posting.status == "pending"
    with captured(signals.posting_changed) as changed:
        services.approve_posting(posting, operator, ip="10.0.0.1")
    assert posting.status == "published" and changed == [(posting.id, "published")]
    note = db.session.scalar(select(Notification).where(Notification.user_id == user.id))
    assert note.kind == "posting_reviewed" and note.params["outcome"] == "approved"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "posting.approve"))
    assert entry.actor_id == operator.id and entry.ip == "10.0.0.1"


def test_reject_and_unpublish_need_a_reason_that_the_owner_sees(app, client, auth):
    user = auth.as_role("sme")
    operator = factories.make_user(operator=True)
    pending = make_posting(user.enterprise, status="pending", title="待审核的能力")
    with pytest.raises(ValidationFailed):
        services.reject_posting(pending, operator, "  ")
    services.reject_posting(pending, operator, "描述过于简单")
    assert pending.status == "rejected"
    page = client.get(f"/postings/{pending.id}").get_data(as_text=True)
    assert "描述过于简单" in page

    published = make_posting(user.enterprise, title="已发布的能力")
    with captured(signals.posting_withdrawn) as withdrawn:
        services.unpublish_posting(published, operator, "含联系方式")
    assert published.status == "unpublished" and withdrawn == [(published.id, "unpublished")]
    assert "含联系方式" in client.get(f"/postings/{published.id}").get_data(as_text=True)
    outcomes = [n.params["outcome"] for n in db.session.scalars(select(Notification).order_by(Notification.id))]
    assert outcomes == ["rejected", "unpublished"]
    with pytest.raises(Conflict):
        services.approve_posting(published, operator)
    # the owner fixes it and publishes again
    client.post(f"/postings/{published.id}/publish")
    db.session.refresh(published)
    assert published.status == "published" and published.status_reason is None


def test_a_posting_with_a_match_is_closed_not_deleted(app):
    lead = factories.make_enterprise("lead")
    sme = factories.make_enterprise("sme")
    lead_posting = make_posting(lead)
    sme_posting = make_posting(sme)
    make_match(lead_posting, sme_posting)
    user = factories.make_user(lead)
    assert services.delete_posting(lead_posting, actor=user) is False
    assert db.session.get(Posting, lead_posting.id).status == "closed"


def test_deleting_removes_open_suggestions_and_says_so_first(app):
    lead = factories.make_enterprise("lead")
    sme = factories.make_enterprise("sme")
    lead_posting, sme_posting = make_posting(lead), make_posting(sme)
    db.session.add(Suggestion(lead_posting_id=lead_posting.id, sme_posting_id=sme_posting.id,
                              lead_enterprise_id=lead.id, sme_enterprise_id=sme.id, chain="supply", score=0.5))
    db.session.commit()
    with captured(signals.posting_withdrawn) as withdrawn:
        assert services.delete_posting(sme_posting, actor=factories.make_user(sme)) is True
    assert withdrawn == [(sme_posting.id, "published")]
    assert db.session.scalar(select(Suggestion.id)) is None


def test_expiry_marks_past_deadlines_and_warns_once(app):
    lead = factories.make_enterprise("lead")
    user = factories.make_user(lead)
    day = date.today()
    soon = make_posting(lead, title="下周截止", deadline=day + timedelta(days=5))
    later = make_posting(lead, title="下月截止", deadline=day + timedelta(days=40))
    assert services.warn_expiring(day) == 1
    assert services.warn_expiring(day) == 0  # once
    notes = list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))
    assert [(n.kind, n.params["posting_title"]) for n in notes] == [("posting_expiring", "下周截止")]
    assert notes[0].params["deadline"] == soon.deadline.isoformat()

    with captured(signals.posting_withdrawn) as withdrawn:
        assert services.expire_postings(day + timedelta(days=6)) == 1
    db.session.refresh(soon)
    db.session.refresh(later)
    assert soon.status == "expired" and later.status == "published"
    assert withdrawn == [(soon.id, "expired")]
    assert db.session.scalar(select(Notification).where(Notification.kind == "posting_expired")) is not None
    # re-opening a posting whose deadline has passed needs a new deadline first
    soon.deadline = day - timedelta(days=1)
    db.session.commit()
    with pytest.raises(ValidationFailed):
        services.reopen_posting(soon, actor=user)
    assert soon.status == "expired"


def test_browse_hides_a_posting_past_its_deadline_before_the_command_runs(app, client, auth):
    lead = factories.make_enterprise("lead")
    posting = make_posting(lead, title="昨天截止的需求")
    posting.deadline = date.today() - timedelta(days=1)
    db.session.commit()
    auth.as_role("sme")
    assert "昨天截止的需求" not in client.get("/postings").get_data(as_text=True)
    assert client.get(f"/postings/{posting.id}").status_code == 404


def test_expire_command(app, runner):
    lead = factories.make_enterprise("lead")
    factories.make_user(lead)
    posting = make_posting(lead)
    posting.deadline = date.today() - timedelta(days=2)
    db.session.commit()
    result = runner.invoke(args=["postings", "expire"])
    assert result.exit_code == 0, result.output
    assert "1 posting(s) expired" in result.output
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).status == "expired"


def test_sme_cannot_post_anonymously_or_a_lead_kind(app):
    sme = factories.make_enterprise("sme")
    user = factories.make_user(sme)
    with pytest.raises(ValidationFailed) as info:
        services.create_posting(sme, new_input(kind="capability", category="product", anonymous=True), actor=user)
    assert "anonymous" in info.value.errors
    with pytest.raises(ValidationFailed) as info:
        services.create_posting(sme, new_input(kind="resource", category="fund"), actor=user)
    assert "kind" in info.value.errors
    assert db.session.scalar(select(Posting.id)) is None


def test_chains_are_proposed_when_none_are_given(app):
    lead = factories.make_enterprise("lead")
    posting = services.create_posting(lead, new_input(kind="resource", category="fund", chains=[]),
                                      actor=factories.make_user(lead))
    assert posting.chains == ["capital"]
