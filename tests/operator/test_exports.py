"""Exports parse back (csv module, openpyxl) with the right numbers."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

from openpyxl import load_workbook

from matchmaker.extensions import db


def parse_csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode("utf-8"))  # a BOM, so that Excel reads UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_funnel_csv(client, login_operator, world):
    login_operator()
    response = client.get("/operator/exports/funnel.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    table = parse_csv(response)
    header, rows = table[0], {row[0]: row for row in table[1:]}
    assert header[:3] == ["链条代码", "链条", "已推荐"]
    assert set(rows) == {"innovation", "supply", "data", "capital", "industry", "service", "talent", "all"}
    assert rows["supply"][1] == "供应链"
    assert [int(v) for v in rows["supply"][2:10]] == [4, 2, 1, 1, 1, 1, 0, 1]
    assert [int(v) for v in rows["all"][2:10]] == [7, 4, 3, 3, 2, 2, 1, 2]
    assert float(rows["supply"][10]) == 50.0  # interest / suggested
    assert float(rows["all"][-1]) == round(2 / 7 * 100, 1)
    assert rows["data"][10] == ""  # no suggestion: no rate


def test_matches_csv_and_period(client, login_operator, world):
    login_operator()
    table = parse_csv(client.get("/operator/exports/matches.csv"))
    rows = table[1:]
    assert len(rows) == 3
    by_id = {int(r[0]): r for r in rows}
    first = by_id[world.matches[1].id]
    assert first[2] == "supply" and first[6] == "华中汽车集团有限公司" and first[8] == "武汉热管理科技有限公司"
    assert first[5] == "是"  # contract signed: a deal
    assert by_id[world.matches[2].id][5] == "否" and by_id[world.matches[2].id][13] == "价格未谈拢"
    today = datetime.now(timezone.utc).date()
    past = (today - timedelta(days=30)).isoformat(), (today - timedelta(days=10)).isoformat()
    assert len(parse_csv(client.get(f"/operator/exports/matches.csv?from={past[0]}&to={past[1]}"))) == 1
    assert client.get(f"/operator/exports/matches.csv?from={past[1]}&to={past[0]}").status_code == 400
    assert client.get("/operator/exports/funnel.csv?from=yesterday").status_code == 400


def test_english_headers(client, login_operator, world):
    login_operator()
    client.get("/lang/en")
    table = parse_csv(client.get("/operator/exports/funnel.csv"))
    assert table[0][:3] == ["Chain code", "Chain", "Suggested"]
    assert {r[0]: r[1] for r in table[1:]}["supply"] == "Supply chain"


def test_workbook(client, login_operator, world):
    login_operator()
    today = datetime.now(timezone.utc).date()
    response = client.get(f"/operator/exports/report.xlsx?from={(today - timedelta(days=5)).isoformat()}"
                          f"&to={today.isoformat()}")
    assert response.status_code == 200
    assert f"report_{(today - timedelta(days=5)).isoformat()}_{today.isoformat()}.xlsx" in \
        response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.get_data()))
    assert book.sheetnames == ["各链条转化漏斗", "对接清单"]
    funnel = {row[0]: row for row in book["各链条转化漏斗"].iter_rows(min_row=2, values_only=True)}
    # in the last five days: s5 (two weeks old) is left out
    assert list(funnel["supply"][2:10]) == [3, 2, 1, 1, 1, 1, 0, 1]
    assert list(funnel["innovation"][2:10]) == [3, 2, 2, 2, 1, 1, 1, 1]
    matches = list(book["对接清单"].iter_rows(min_row=2, values_only=True))
    assert sorted(r[0] for r in matches) == sorted(m.id for m in world.matches.values())


def test_exports_page(client, login_operator, world):
    login_operator()
    html = client.get("/operator/exports?from=2026-01-01&to=2026-02-01").get_data(as_text=True)
    assert "/operator/exports/matches.csv?from=2026-01-01&amp;to=2026-02-01" in html
    assert client.get("/operator/exports?from=2026-02-01&to=2026-01-01").status_code == 400
    db.session.rollback()
