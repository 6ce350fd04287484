"""Direction of need and offer, not shared words; exactly one of the seven chains per suggestion."""

import pytest

from matchmaker.matching import CHAINS, MatchIndex, match_all, propose_chains, suggest_for
from matchmaker.matching.model import POSTING_KINDS


def _ranked(index, posting):
    return [p.sme_posting_id for p in index.candidates(posting)]


def test_machining_need_prefers_machining_shop_over_machine_tool_dealer(make, now):
    lead = make("lead", "need", "process", "精密零件外协加工", "寻找机加工外协厂，加工铝合金壳体")
    shop = make("sme", "capability", "process", "CNC加工", "承接CNC精密加工，加工中心30台")
    dealer = make("sme", "capability", "product", "数控机床销售", "代理销售数控机床、加工中心")
    ranked = _ranked(MatchIndex([lead, shop, dealer], now=now), lead)
    assert ranked[0] == shop.id
    assert dealer.id not in ranked[:1]


def test_emc_filter_need_goes_to_filter_maker_not_to_sme_needing_emc_tests(make, now):
    lead = make("lead", "need", "component", "EMC滤波器采购", "车载电源项目采购EMC滤波器")
    maker = make("sme", "capability", "product", "EMC滤波器", "生产电源EMC滤波器")
    needs_test = make("sme", "need", "testing", "需要EMC测试", "产品需要做EMC测试，滤波器整改")
    ranked = _ranked(MatchIndex([lead, maker, needs_test], now=now), lead)
    assert ranked == [maker.id]


def test_open_lab_goes_to_sme_needing_tests_not_to_test_equipment_maker(make, now):
    lead = make("lead", "resource", "test_site", "开放EMC实验室", "开放电磁兼容实验室，提供EMC测试")
    needs_test = make("sme", "need", "testing", "需要EMC测试", "车载控制器需要做EMC测试")
    equipment_maker = make("sme", "capability", "product", "EMC测试设备", "研发生产EMC测试设备与电磁兼容测试系统")
    filter_maker = make("sme", "capability", "product", "EMC滤波器", "生产EMC滤波器")
    ranked = _ranked(MatchIndex([lead, needs_test, equipment_maker, filter_maker], now=now), lead)
    assert ranked == [needs_test.id]


def test_need_never_meets_need_and_offer_never_meets_capability(make, now):
    lead_need = make("lead", "need", "component", "液冷板采购", "采购液冷板")
    lead_offer = make("lead", "resource", "fund", "供应链金融", "提供应收账款融资")
    sme_need = make("sme", "need", "financing", "液冷板厂需要融资", "液冷板扩产需要应收账款融资")
    sme_cap = make("sme", "capability", "product", "液冷板", "生产液冷板，也提供融资咨询")
    index = MatchIndex([lead_need, lead_offer, sme_need, sme_cap], now=now)
    assert _ranked(index, lead_need) == [sme_cap.id]
    assert _ranked(index, lead_offer) == [sme_need.id]


def test_sme_side_query_finds_the_lead_posting_it_answers(make, now):
    lead = make("lead", "need", "component", "挖掘机液压油缸", "为挖掘机配套液压油缸")
    other = make("lead", "resource", "test_site", "开放试验场", "开放整车试验场")
    sme = make("sme", "capability", "product", "液压缸", "生产工程机械液压缸")
    index = MatchIndex([lead, other, sme], now=now)
    got = suggest_for(sme, index)
    assert [s.lead_posting_id for s in got] == [lead.id]


@pytest.mark.parametrize("lead_kind, lead_cat, lead_text, sme_kind, sme_cat, sme_text, chain", [
    ("need", "component", "采购液压油缸", "capability", "product", "生产液压油缸", "supply"),
    ("challenge", "technology", "揭榜挂帅：液压油缸密封技术攻关", "capability", "technology", "液压油缸密封技术", "innovation"),
    ("resource", "test_site", "开放盐雾试验室", "need", "testing", "需要盐雾试验", "innovation"),
    ("resource", "fund", "供应链金融 应收账款融资", "need", "financing", "需要应收账款融资", "capital"),
    ("resource", "data", "工业互联网平台 MES 小快轻准", "need", "digital", "需要MES系统", "data"),
    ("need", "data", "需要质量追溯数据对接", "capability", "data", "质量追溯系统", "data"),
    ("resource", "rnd", "开放实训基地 技能培训", "need", "talent", "需要技能培训", "talent"),
    ("resource", "brand", "开放海外渠道 共同出海", "need", "market", "希望拓展海外市场 出口", "industry"),
])
def test_chain_labels(make, now, lead_kind, lead_cat, lead_text, sme_kind, sme_cat, sme_text, chain):
    lead = make("lead", lead_kind, lead_cat, lead_text, lead_text)
    sme = make("sme", sme_kind, sme_cat, sme_text, sme_text)
    got = match_all([lead, sme], now=now)
    assert [(s.lead_posting_id, s.sme_posting_id, s.chain) for s in got] == [(lead.id, sme.id, chain)]


def test_declared_chain_is_preferred_among_the_fitting_ones(make, now):
    lead = make("lead", "need", "service", "检测服务外包", "需要第三方检测服务", chains=("service",))
    sme = make("sme", "capability", "service", "第三方检测", "提供第三方检测服务")
    assert match_all([lead, sme], now=now)[0].chain == "service"
    undeclared = make("lead", "need", "service", "检测服务外包", "需要第三方检测服务", id=99)
    assert match_all([undeclared, sme], now=now)[0].chain == "supply"


def test_a_declared_chain_that_does_not_fit_is_not_used(make, now):
    lead = make("lead", "resource", "fund", "应收账款融资", "应收账款融资", chains=("talent",))
    sme = make("sme", "need", "financing", "需要融资", "需要应收账款融资")
    assert match_all([lead, sme], now=now)[0].chain == "capital"


def test_propose_chains():
    assert propose_chains("lead", "resource", "fund") == ("capital",)
    assert propose_chains("lead", "resource", "data") == ("data",)
    assert propose_chains("lead", "need", "component") == ("supply",)
    assert propose_chains("lead", "challenge", "technology") == ("innovation",)
    assert propose_chains("sme", "need", "talent") == ("talent",)
    assert propose_chains("sme", "need", "testing") == ("innovation",)
    assert propose_chains("lead", "resource", "nonsense") == ()
    assert propose_chains("sme", "resource", "fund") == ()
    for (side, kind), categories in POSTING_KINDS.items():
        for category in categories:
            chains = propose_chains(side, kind, category)
            assert chains, (side, kind, category)
            assert list(chains) == sorted(chains, key=CHAINS.index)
