"""A synthetic world of lead firms and SMEs, built deterministically from a seed, for benchmarks.

Why: the matcher must be measured at national scale (10^4 lead firms with 10^5 postings, 10^6
SMEs) long before such data exists. Postings are written from templates around concepts of one
industry domain each (a domain = an anchor product and what the knowledge graph puts upstream of
it), with a random surface form per concept (synonyms, sometimes English), category-appropriate
wording, filler words and per-company tokens, so that text, concept and graph signals, posting
list lengths and vocabulary growth behave like real postings rather than like a toy.
"""

from __future__ import annotations

import random
import sys
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from .knowledge import KnowledgeGraph, load_knowledge
from .model import PostingProfile
from .text import tokenize

ANCHORS = {
    "新能源汽车": ("C3670", "C3610", "C3841"),
    "工程机械": ("C3510", "C3444", "C3451"),
    "消费电子": ("C3922", "C3982", "C3971"),
    "芯片": ("C3973", "C3972", "C2664"),
    "光伏组件": ("C3825", "C2922", "C3041"),
    "风电机组": ("C3415", "C3451", "C3831"),
    "医疗器械": ("C3581", "C3586", "C2770"),
    "储能系统": ("C3841", "C3825", "C3824"),
    "服务器": ("C3911", "C3824", "C3981"),
    "工业机器人": ("C3491", "C3453", "C3401"),
}
CITIES = ("110100", "120100", "310100", "320100", "320200", "320500", "330100", "330200", "340100", "350200",
          "370100", "370200", "410100", "420100", "430100", "440100", "440300", "440600", "441900", "500100",
          "510100", "610100", "210100", "220100")
TESTING = ("emc测试", "可靠性测试", "环境试验", "盐雾试验", "振动试验", "材料检测", "无损检测", "尺寸检测", "电池测试",
           "芯片测试", "认证", "计量校准")
FINANCE = ("贷款", "应收账款融资", "订单融资", "仓单融资", "票据融资", "股权融资", "融资租赁", "供应链金融", "产业基金")
DIGITAL = ("mes", "erp", "工业互联网平台", "小快轻准", "设备联网", "数据采集", "工业大数据", "质量追溯", "供应链协同",
           "云服务", "数字孪生", "预测性维护", "人工智能")
EQUIPMENT = ("三坐标测量机", "五轴加工中心", "测试设备", "emc测试设备", "工业机器人", "数控机床", "洁净车间")
RND = ("工业设计", "仿真分析", "样机", "知识产权", "研发", "中试")
TALENT = ("技能培训", "工程师", "产业工人")
MARKET = ("市场拓展", "出海", "采购平台", "品牌")
FILLER = ("质量稳定", "交期快", "批量供货", "小批量", "定制化", "经验丰富", "响应及时", "价格优势", "长期合作", "技术团队",
          "年产能", "通过认证", "本地配套", "售后服务", "样品", "图纸", "规格", "工期", "精度", "一致性")
TIER_WEIGHTS = ((None, 0.70), ("innovative", 0.20), ("specialized", 0.08), ("little_giant", 0.019), ("champion", 0.001))


def _domain_pool(kg: KnowledgeGraph, anchor: str) -> list[str]:
    """The anchor and the concepts the graph puts upstream of it or below it (two hops)."""
    pool, frontier = {anchor}, [anchor]
    for _ in range(2):
        nxt = []
        for cid in frontier:
            for u, _, d in kg.graph.in_edges("c:" + cid, data=True):
                if u.startswith("c:") and d["rel"] in ("part_of", "input_to", "produces", "is_a"):
                    if u[2:] not in pool:
                        pool.add(u[2:])
                        nxt.append(u[2:])
        frontier = nxt
    return sorted(pool)


@lru_cache(maxsize=200_000)
def _piece_tokens(piece: str) -> tuple[str, ...]:
    return tokenize(piece)


def piecewise_tokens(text: str) -> tuple[str, ...]:
    """Tokens of a generated text, cutting it at its template seams and caching the pieces.

    The pieces are what the templates join (surface forms, fillers, punctuation-delimited
    phrases), so the result is the tokenisation of the text up to the seams; used to build
    million-posting worlds without spending the benchmark's time in jieba (whose own throughput
    the benchmark measures on a sample).
    """
    out: list[str] = []
    for piece in text.replace("。", "，").replace("：", "，").replace("\n", "，").split("，"):
        if piece.startswith("型号XK"):
            out.extend(("型号", sys.intern(piece[2:].lower())))
        elif piece:
            out.extend(_piece_tokens(piece))
    return tuple(out)


class World:
    """Generator of lead and SME postings; ``World(seed).leads(n)`` / ``.smes(n)`` are deterministic.

    With ``with_tokens=True`` postings come with :func:`piecewise_tokens` already filled in.
    """

    def __init__(self, seed: int = 0, kg: KnowledgeGraph | None = None,
                 now: datetime = datetime(2025, 1, 1, tzinfo=timezone.utc), with_tokens: bool = False):
        self.seed = seed
        self.with_tokens = with_tokens
        self.kg = kg or load_knowledge()
        self.now = now
        self.pools = {a: _domain_pool(self.kg, a) for a in ANCHORS}
        self.anchors = tuple(ANCHORS)

    def _surface(self, rng: random.Random, cid: str, english: bool = False) -> str:
        concept = self.kg.concepts[cid]
        if english:
            latin = [a for a in (concept.en, *concept.aliases) if a.isascii()]
            return rng.choice(latin) if latin else concept.en
        options = [cid] + [a for a in concept.aliases if not a.isascii()]
        return rng.choice(options[:4]).upper() if cid.isascii() else rng.choice(options[:4])

    def _when(self, rng: random.Random) -> datetime:
        return self.now - timedelta(days=rng.random() * 365)

    def _filler(self, rng: random.Random, company: int) -> str:
        words = rng.sample(FILLER, 3)
        return "，".join(words) + f"，型号XK{company % 9973}"

    def leads(self, n_firms: int, *, postings_per_firm: int = 10, first_id: int = 1):
        """``n_firms`` lead firms with ``postings_per_firm`` postings each (ids from ``first_id``)."""
        rng = random.Random(f"lead-{self.seed}")
        pid = first_id
        for firm in range(n_firms):
            ent = 1_000_000_000 + firm
            anchor = rng.choice(self.anchors)
            pool = self.pools[anchor]
            industry = rng.choice(ANCHORS[anchor])
            region = rng.choice(CITIES)
            for _ in range(postings_per_firm):
                yield self._tokens(self._lead_posting(rng, pid, ent, anchor, pool, industry, region))
                pid += 1

    def _lead_posting(self, rng, pid, ent, anchor, pool, industry, region) -> PostingProfile:
        english = rng.random() < 0.03
        a = self._surface(rng, anchor, english)
        roll = rng.random()
        if roll < 0.45:
            kind, category = "need", rng.choice(("component", "component", "material", "process", "software", "service"))
            items = [self._surface(rng, c, english) for c in rng.sample(pool, min(2, len(pool)))]
            title = f"{items[0]}配套需求" if not english else f"Sourcing {items[0]}"
            desc = (f"为{a}项目寻找{'、'.join(items)}供应商，{self._filler(rng, ent)}。" if not english else
                    f"We are looking for suppliers of {' and '.join(items)} for our {a} line.")
        elif roll < 0.55:
            kind, category = "challenge", rng.choice(("technology", "component", "material", "process"))
            items = [self._surface(rng, c, english) for c in rng.sample(pool, min(2, len(pool)))]
            title = f"揭榜挂帅：{items[0]}攻关" if not english else f"Challenge: {items[0]}"
            desc = (f"面向{a}，联合攻关{'、'.join(items)}关键技术，国产替代。" if not english else
                    f"Joint R&D on {' and '.join(items)} for {a}, import substitution.")
        else:
            kind = "resource"
            category = rng.choice(("test_site", "equipment", "rnd", "data", "fund", "brand"))
            vocab = {"test_site": TESTING, "equipment": EQUIPMENT, "rnd": RND, "data": DIGITAL, "fund": FINANCE,
                     "brand": MARKET}[category]
            items = [self._surface(rng, c, english) for c in rng.sample(vocab, 2)]
            title = f"开放{items[0]}" if not english else f"Open {items[0]}"
            desc = (f"向{a}产业链中小企业开放{'、'.join(items)}，{self._filler(rng, ent)}。" if not english else
                    f"We open {' and '.join(items)} to SMEs in the {a} chain.")
        return PostingProfile(id=pid, enterprise_id=ent, side="lead", kind=kind, category=category, title=title,
                              description=desc, industry=industry, region=region,
                              wants_specialized=kind != "resource" and rng.random() < 0.2,
                              published_at=self._when(rng))

    def smes(self, n_firms: int, *, first_id: int = 100_000_000):
        """``n_firms`` SMEs with 1–3 postings each (ids from ``first_id``)."""
        rng = random.Random(f"sme-{self.seed}")
        pid = first_id
        tiers = [t for t, _ in TIER_WEIGHTS]
        weights = [w for _, w in TIER_WEIGHTS]
        for firm in range(n_firms):
            ent = firm + 1
            anchor = rng.choice(self.anchors)
            pool = self.pools[anchor]
            industry = rng.choice(ANCHORS[anchor])
            region = rng.choice(CITIES)[:4] + f"{rng.randint(1, 12):02d}"
            tier = rng.choices(tiers, weights)[0]
            for _ in range(rng.choice((1, 1, 2, 2, 3))):
                yield self._tokens(self._sme_posting(rng, pid, ent, anchor, pool, industry, region, tier))
                pid += 1

    def _tokens(self, posting: PostingProfile) -> PostingProfile:
        if not self.with_tokens:
            return posting
        return replace(posting, tokens=piecewise_tokens(posting.title + "，" + posting.description))

    def _sme_posting(self, rng, pid, ent, anchor, pool, industry, region, tier) -> PostingProfile:
        english = rng.random() < 0.03
        a = self._surface(rng, anchor, english)
        if rng.random() < 0.6:
            kind = "capability"
            category = rng.choice(("product", "product", "process", "technology", "service", "data"))
            source = DIGITAL if category == "data" else pool
            items = [self._surface(rng, c, english) for c in rng.sample(source, min(2, len(source)))]
            title = f"{items[0]}" if not english else items[0]
            desc = (f"专业从事{'、'.join(items)}，可为{a}配套，{self._filler(rng, ent)}。" if not english else
                    f"We make {' and '.join(items)} for {a} customers.")
        else:
            kind = "need"
            category = rng.choice(("testing", "testing", "financing", "financing", "digital", "equipment", "rnd",
                                   "market", "talent"))
            vocab = {"testing": TESTING, "financing": FINANCE, "digital": DIGITAL, "equipment": EQUIPMENT, "rnd": RND,
                     "market": MARKET, "talent": TALENT}[category]
            items = [self._surface(rng, c, english) for c in rng.sample(vocab, 2)]
            product = self._surface(rng, rng.choice(pool), english)
            title = f"需要{items[0]}" if not english else f"Need {items[0]}"
            desc = (f"我们生产{product}，需要{'、'.join(items)}支持，{self._filler(rng, ent)}。" if not english else
                    f"We make {product} and need {' and '.join(items)}.")
        return PostingProfile(id=pid, enterprise_id=ent, side="sme", kind=kind, category=category, title=title,
                              description=desc, industry=industry, region=region, tier=tier,
                              published_at=self._when(rng))
