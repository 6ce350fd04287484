"""Small factories for tests: enterprises, users and valid codes, with sensible defaults."""

from __future__ import annotations

import itertools

from matchmaker.extensions import db
from matchmaker.models import Enterprise, User
from matchmaker.security import hash_password
from matchmaker.uscc import make_uscc

PASSWORD = "correct horse 电池 staple"
_counter = itertools.count(1)


def next_uscc(region: str = "420100") -> str:
    return make_uscc(authority="9", category="1", region=region, org_code9=f"{next(_counter):09d}")


def make_enterprise(role: str = "sme", *, status: str = "verified", **fields) -> Enterprise:
    n = next(_counter)
    values = dict(
        name=f"测试企业{n}有限公司", uscc=next_uscc(), role=role,
        tier="specialized" if role == "sme" else None, industry="C36", region="420100",
        description="汽车零部件研发与制造", contact_name="张三", contact_phone="027-88886666",
        contact_email=f"contact{n}@example.cn", status=status,
    )
    values.update(fields)
    enterprise = Enterprise(**values)
    db.session.add(enterprise)
    db.session.commit()
    return enterprise


def make_user(enterprise: Enterprise | None = None, *, email: str | None = None, password: str = PASSWORD,
              operator: bool = False, **fields) -> User:
    user = User(
        email=email or f"user{next(_counter)}@example.cn", password_hash=hash_password(password),
        display_name=fields.pop("display_name", "测试用户"), enterprise=enterprise, is_operator=operator, **fields,
    )
    db.session.add(user)
    db.session.commit()
    return user
