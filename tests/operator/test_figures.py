"""The dashboard's figures agree with the database: each is recomputed here from plain SQL rows,
independently of matchmaker.operator.stats, on the small world of conftest.py."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta, timezone

from sqlalchemy import text

from matchmaker.extensions import db
from matchmaker.operator import stats

STAGES = ["talks", "nda", "sample", "contract", "supplier"]


def rows(sql: str, **params):
    return db.session.execute(text(sql), params).all()


def expected_funnel() -> dict[str, dict[str, int]]:
    result: dict[str, Counter] = {}
    for chain, lead_decision, sme_decision in rows("SELECT chain, lead_decision, sme_decision FROM suggestion"):
        c = result.setdefault(chain, Counter())
        c["suggested"] += 1
        c["interest"] += int(lead_decision == "accepted" or sme_decision == "accepted")
    events: dict[int, set] = {}
    for match_id, stage in rows("SELECT match_id, stage FROM match_event"):
        events.setdefault(match_id, set()).add(stage)
    for match_id, chain, stage in rows("SELECT id, chain, stage FROM match"):
        c = result.setdefault(chain, Counter())
        c["matched"] += 1
        seen = events.get(match_id, set()) | {stage}
        furthest = max(STAGES.index(s) for s in seen if s in STAGES)
        for i, s in enumerate(STAGES[1:], start=1):
            c[s] += int(furthest >= i)
        c["deal"] += int(furthest >= STAGES.index("contract"))
    return {chain: dict(c) for chain, c in result.items()}


def test_funnel_per_chain_matches_an_independent_count(world):
    expected = expected_funnel()
    got = {row.chain: row for row in stats.funnel()}
    for chain, counts in expected.items():
        for step in stats.FUNNEL_STEPS:
            assert got[chain].counts[step] == counts.get(step, 0), (chain, step)
    # and by hand, for the world as designed
    assert [got["supply"].counts[s] for s in stats.FUNNEL_STEPS] == [4, 2, 1, 1, 1, 1, 0, 1]
    assert [got["innovation"].counts[s] for s in stats.FUNNEL_STEPS] == [3, 2, 2, 2, 1, 1, 1, 1]
    assert [got["all"].counts[s] for s in stats.FUNNEL_STEPS] == [7, 4, 3, 3, 2, 2, 1, 2]
    assert got["data"].counts["suggested"] == 0
    assert got["innovation"].rate("matched") == 1.0
    assert got["supply"].rate("interest") == 0.5
    assert got["all"].overall("deal") == 2 / 7


def test_funnel_of_a_period_counts_the_suggestions_created_in_it(world):
    today = datetime.now(timezone.utc).date()
    recent = {row.chain: row for row in stats.funnel(today - timedelta(days=3), today)}
    assert recent["supply"].counts["suggested"] == 3  # s5 was made two weeks ago
    assert recent["all"].counts["suggested"] == 6
    old = {row.chain: row for row in stats.funnel(today - timedelta(days=20), today - timedelta(days=10))}
    assert old["all"].counts["suggested"] == 1 and old["all"].counts["matched"] == 0


def test_enterprise_and_posting_breakdowns(world):
    got = stats.enterprise_breakdown()
    live = rows("SELECT role, tier, region, industry FROM enterprise WHERE status <> 'rejected'")
    assert got["role"] == Counter(r[0] for r in live) == Counter({"lead": 2, "sme": 8})
    assert got["tier"] == Counter((r[1] or "none") for r in live if r[0] == "sme")
    assert got["tier"]["specialized"] == 4 and got["tier"]["none"] == 1
    assert got["province"] == Counter(r[2][:2] + "0000" for r in live)
    assert got["province"]["420000"] == 6
    assert got["section"] == Counter(r[3][0] for r in live) and got["section"]["M"] == 1

    posts = stats.posting_breakdown()
    published = rows("SELECT kind, chains FROM posting WHERE status = 'published'")
    assert posts["kind"] == Counter(r[0] for r in published)
    assert posts["kind"] == Counter({"capability": 5, "need": 5, "challenge": 1, "resource": 1})
    chains = Counter()
    for _kind, value in published:
        for chain in set(value if isinstance(value, list) else __import__("json").loads(value)):
            chains[chain] += 1
    assert posts["chain"] == chains
    assert posts["chain"]["supply"] == 8 and posts["chain"]["capital"] == 1


def test_activity_per_week(world):
    starts, series = stats.activity(weeks=4)
    assert len(starts) == 4 and starts[-1].weekday() == 0
    def week_of(value):
        day = value.date()
        return day - timedelta(days=day.weekday())
    for name, sql in (("registrations", "SELECT created_at FROM enterprise"),
                      ("postings", "SELECT published_at FROM posting WHERE published_at IS NOT NULL"),
                      ("suggestions", "SELECT created_at FROM suggestion"),
                      ("matches", "SELECT created_at FROM match")):
        counts = Counter()
        for (value,) in rows(sql):
            if isinstance(value, str):
                value = datetime.fromisoformat(value)
            counts[week_of(value)] += 1
        assert series[name] == [counts.get(s, 0) for s in starts], name
    assert sum(series["matches"]) == 3
    assert series["registrations"][-4] + series["registrations"][-3] + series["registrations"][-2] + \
        series["registrations"][-1] == 11


def test_dashboard_shows_the_figures(client, login_operator, world):
    login_operator()
    html = client.get("/operator/").get_data(as_text=True)
    # totals
    assert re.search(r'data-testid="total-matches">3<', html)
    assert re.search(r'data-testid="total-suggestions">7<', html)
    assert re.search(r'data-testid="total-enterprises">10<', html)
    # funnel table: every cell of the supply row
    row = html.split('<tr data-chain="supply"')[1].split("</tr>")[0]
    cells = dict(re.findall(r'data-step="(\w+)" data-value="(\d+)"', row))
    assert cells == {"suggested": "4", "interest": "2", "matched": "1", "nda": "1", "sample": "1",
                     "contract": "1", "supplier": "0", "deal": "1"}
    assert "(50.0%)" in row
    # the funnel drawn as SVG for the chains that have suggestions, and the charts
    assert 'id="funnel-supply"' in html and 'id="funnel-innovation"' in html and 'id="funnel-data"' not in html
    funnel = html.split(' id="funnel-innovation"')[1].split("</svg>")[0]
    assert re.findall(r'data-value="(\d+)"', funnel) == ["3", "2", "2", "2", "1", "1", "1", "1"]
    role_chart = html.split(' id="chart-role"')[1].split("</svg>")[0]
    assert re.findall(r'data-value="(\d+)"', role_chart) == ["2", "8"]
    assert 'id="chart-activity"' in html and 'id="chart-province"' in html and 'id="chart-section"' in html
    assert 'id="chart-kind"' in html and 'id="chart-chain"' in html
    assert "style=" not in html and "<script>" not in html
