"""A small world with known figures, shared by the operator console's tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from .factories import NOW, make_enterprise, make_match, make_posting, make_suggestion


@dataclass
class World:
    lead_a: object
    lead_b: object
    lead_x: object
    smes: dict
    postings: dict
    suggestions: dict
    matches: dict


@pytest.fixture
def world(app) -> World:
    """Two lead firms (Wuhan, Changsha) and a rejected one; eight SMEs, of which five never get a
    suggestion, each for a different reason; seven suggestions and three matches on two chains."""
    lead_a = make_enterprise("lead", name="华中汽车集团有限公司", industry="C3612", region="420100")
    lead_b = make_enterprise("lead", name="湘江重工股份有限公司", industry="C3431", region="430100")
    lead_x = make_enterprise("lead", name="已驳回集团有限公司", industry="C3612", region="420100", status="rejected")
    smes = {
        1: make_enterprise("sme", name="武汉热管理科技有限公司", tier="specialized", industry="C3670", region="420100"),
        2: make_enterprise("sme", name="长沙精密机械有限公司", tier="little_giant", industry="C3484", region="430100"),
        3: make_enterprise("sme", name="深圳检测技术有限公司", tier="innovative", industry="M7452", region="440300"),
        4: make_enterprise("sme", name="待审核零部件有限公司", tier="specialized", industry="C3670", region="420100",
                           status="pending"),
        5: make_enterprise("sme", name="未发布信息有限公司", tier="innovative", industry="C3670", region="420100",
                           created_at=NOW - timedelta(weeks=3)),
        6: make_enterprise("sme", name="信息过简有限公司", tier="specialized", industry="C3670", region="420100"),
        7: make_enterprise("sme", name="融资需求有限公司", tier=None, industry="C3670", region="420100"),
        8: make_enterprise("sme", name="轴承制造有限公司", tier="specialized", industry="C3451", region="330200"),
    }
    p = {}
    p["A1"] = make_posting(lead_a, "need", "component", tags=["液冷板"], chains=["supply"], region="420100",
                           title="电池包液冷板批量采购")
    p["A2"] = make_posting(lead_a, "challenge", "technology", tags=["热泵空调"], chains=["innovation"],
                           title="低温热泵空调技术攻关", created_at=NOW - timedelta(weeks=1))
    p["A3"] = make_posting(lead_a, "need", "material", status="closed", tags=["铝合金"], chains=["supply"])
    p["B1"] = make_posting(lead_b, "need", "component", tags=["液压件"], chains=["supply"], region="430100",
                           title="起重机液压件配套需求", description="为轻小型起重设备采购液压油缸、液压阀等液压件，年需求约两万套。")
    p["B2"] = make_posting(lead_b, "resource", "test_site", tags=["检测"], chains=["innovation"], title="开放试验场地")
    p["B3"] = make_posting(lead_b, "need", "process", status="draft", tags=["焊接"], chains=["supply"])
    p["B4"] = make_posting(lead_b, "need", "component", tags=["液冷板"], chains=["supply"], region="430100",
                           title="储能柜液冷板采购")
    p["S1"] = make_posting(smes[1], "capability", "product", tags=["液冷板"], chains=["supply", "innovation"])
    p["S2"] = make_posting(smes[2], "capability", "process", tags=["机加工"], chains=["supply"])
    p["S3c"] = make_posting(smes[3], "capability", "product", tags=["传感器"], chains=["supply", "data"])
    p["S3n"] = make_posting(smes[3], "need", "testing", tags=["检测"], chains=["innovation"])
    p["S6"] = make_posting(smes[6], "capability", "product", tags=["零件"], description="做零件")
    p["S7"] = make_posting(smes[7], "need", "financing", tags=["融资"], chains=["capital"],
                           description="企业处于扩产阶段，希望获得设备融资租赁或供应链金融支持，金额约五百万元。")
    p["S8"] = make_posting(smes[8], "capability", "product", tags=["轴承"], chains=["supply"],
                           description="专业生产汽车轮毂轴承、圆锥滚子轴承，年产能三百万套，通过IATF 16949认证。")
    s = {}
    s[1] = make_suggestion(p["A1"], p["S1"], chain="supply", score=0.82)
    s[2] = make_suggestion(p["A1"], p["S3c"], chain="supply", score=0.5, status="interest", lead_decision="accepted")
    s[3] = make_suggestion(p["A2"], p["S1"], chain="innovation", score=0.3)
    s[4] = make_suggestion(p["B2"], p["S3n"], chain="innovation", score=0.7)
    s[5] = make_suggestion(p["A1"], p["S2"], chain="supply", score=0.6, status="declined", sme_decision="declined",
                           created_at=NOW - timedelta(weeks=2))
    s[7] = make_suggestion(p["A2"], p["S2"], chain="innovation", score=0.25)
    s[8] = make_suggestion(p["B4"], p["S1"], chain="supply", score=0.7)
    m = {}
    m[1] = make_match(s[1], stage="contract", history=("talks", "nda", "sample", "contract"))
    m[2] = make_match(s[4], stage="closed", history=("talks", "nda", "closed"), closed_reason="价格未谈拢")
    m[3] = make_match(s[7], stage="supplier", history=("talks", "contract", "supplier"))
    return World(lead_a, lead_b, lead_x, smes, p, s, m)


@pytest.fixture
def login_operator(client, auth):
    """Log the test client in as an operator. (auth.as_role("operator") builds the e-mail address
    from a USCC's last characters, whose check letter is upper case; the login lower-cases the
    address, so it fails for some counters.)"""
    import itertools

    from tests.factories import make_user

    counter = itertools.count(1)

    def login():
        user = make_user(operator=True, email=f"operator{next(counter)}-{id(client)}@example.cn",
                         display_name="平台运营")
        response = auth.login(user.email)
        assert response.status_code == 302
        return user

    return login
