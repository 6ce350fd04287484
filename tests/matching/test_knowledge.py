"""The shipped knowledge graph: loads, covers the required domains, carries chain directions."""

import networkx as nx
import pytest

from matchmaker.matching import load_knowledge
from matchmaker.matching.knowledge import KnowledgeGraph


@pytest.fixture(scope="module")
def kg():
    return load_knowledge()


def _supply_path(kg, upstream, downstream):
    """A path following only upstream → downstream edges (part_of, input_to, produces)."""
    g = nx.DiGraph((u, v) for u, v, d in kg.graph.edges(data=True)
                   if d["rel"] in ("part_of", "input_to", "produces", "is_a"))
    return nx.has_path(g, "c:" + upstream, "c:" + downstream)


@pytest.mark.parametrize("upstream, downstream", [
    ("合成橡胶", "轮胎"), ("轮胎", "整车"), ("合成橡胶", "整车"), ("光刻胶", "晶圆制造"), ("光刻胶", "芯片"),
    ("液压油缸", "挖掘机"), ("液冷板", "动力电池"), ("液冷板", "电池热管理系统"), ("硅片", "光伏组件"),
    ("风电叶片", "风电机组"), ("原料药", "生物医药"), ("医用高分子材料", "医用耗材"), ("变压器", "智能电网"),
])
def test_chain_relations(kg, upstream, downstream):
    assert _supply_path(kg, upstream, downstream)
    assert not _supply_path(kg, downstream, upstream)


@pytest.mark.parametrize("concept", [
    "新能源汽车", "芯片", "工程机械", "碳纤维", "医疗器械", "光伏组件", "储能系统", "风电机组", "智能电网",
    "检测", "emc测试", "供应链金融", "应收账款融资", "工业互联网平台", "小快轻准", "技能培训",
])
def test_domains_and_services_are_covered(kg, concept):
    assert concept in kg.concepts


def test_synonyms(kg):
    assert kg.lexicon["cnc加工"] == kg.lexicon["机加工"] == kg.lexicon["cncmachining"] == "数控加工"
    assert kg.lexicon["测试"] == kg.lexicon["试验"] == "检测"
    assert kg.lexicon["授信"] == "贷款"
    assert kg.lexicon["emctesting"] == "emc测试"


def test_supply_links_follow_direction(kg):
    links = kg.links("动力电池", "supply")
    assert "液冷板" in links            # a part of a part: upstream, reachable
    assert links["液冷板"].path == ("动力电池", "电池热管理系统", "液冷板")
    assert "整车" not in links          # downstream: a car maker does not supply batteries
    machining = kg.links("数控加工", "supply")
    assert "数控机床" not in machining  # the machine used for a process is not the process


def test_offer_links_reach_instruments_for_tests(kg):
    assert "三坐标测量机" in kg.links("尺寸检测", "offer")
    assert "emc测试" in kg.links("检测", "offer")


def test_industry_and_region_hierarchies(kg):
    assert KnowledgeGraph.industry_chain("C3670") == ("C", "C36", "C367", "C3670")
    assert KnowledgeGraph.industry_chain("C36") == ("C", "C36")
    assert KnowledgeGraph.industry_chain("") == ()
    assert KnowledgeGraph.region_chain("420106") == ("42", "4201", "420106")
    assert KnowledgeGraph.region_chain("420000") == ("42",)
    assert kg.graph.has_edge("i:C36", "i:C")
    assert kg.region_label("420100")[0] == "武汉市"
