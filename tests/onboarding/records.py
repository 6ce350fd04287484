"""Import lines for tests: valid enterprises and postings, easy to spoil one field at a time."""

from __future__ import annotations

import json
from datetime import date, timedelta

from tests import factories

FUTURE = (date.today() + timedelta(days=90)).isoformat()


def enterprise(ref: str, role: str = "sme", **fields) -> dict:
    record = {"type": "enterprise", "ref": ref, "name": f"{ref}有限公司", "uscc": factories.next_uscc(), "role": role,
              "tier": "specialized" if role == "sme" else None, "industry": "C3670", "region": "420100",
              "description": "汽车零部件", "contact_name": "张三", "contact_email": f"{ref}@example.cn",
              "contact_phone": "027-88886666"}
    record.update(fields)
    return record


def posting(ref: str, owner: str, kind: str = "capability", category: str = "product", **fields) -> dict:
    record = {"type": "posting", "ref": ref, "enterprise": owner, "kind": kind, "category": category,
              "title": f"{ref} 汽车密封条", "description": "三元乙丙橡胶密封条，年产能50万米。", "tags": ["密封条"],
              "deadline": FUTURE, "anonymous": False}
    record.update(fields)
    return record


def write(path, records) -> str:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)
