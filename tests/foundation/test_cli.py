"""Commands for the people who run the platform."""

from __future__ import annotations

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import AuditEntry, User


def test_create_operator_then_log_in_and_see_the_console(runner, client):
    result = runner.invoke(args=["create-operator", "--email", "Ops@Park.example.cn", "--name", "园区运营",
                                 "--password", "运营平台的长密码 2026"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "ops@park.example.cn"))
    assert user.is_operator and user.enterprise_id is None
    assert db.session.scalar(select(AuditEntry.action)) == "operator.create"
    response = client.post("/login", data={"email": "ops@park.example.cn", "password": "运营平台的长密码 2026"})
    assert response.status_code == 302 and response.headers["Location"] == "/operator/"
    assert client.get("/operator/").status_code == 200


def test_create_operator_refuses_a_weak_password(runner):
    result = runner.invoke(args=["create-operator", "--email", "ops@park.example.cn", "--name", "x", "--password", "short"])
    assert result.exit_code != 0 and "12" in result.output
    assert db.session.scalar(select(User)) is None


def test_create_operator_prompts_for_the_password(runner):
    result = runner.invoke(args=["create-operator", "--email", "ops@park.example.cn", "--name", "运营"],
                           input="运营平台的长密码 2026\n运营平台的长密码 2026\n")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.is_operator))
