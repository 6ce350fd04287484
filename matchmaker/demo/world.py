"""The demo world: a deterministic set of lead enterprises, SMEs and postings.

:func:`build_world` returns records in the platform's JSON Lines import format (one dict per
line).  The structure of the world — which enterprises and postings exist and their refs — does
not depend on the seed; the seed only varies surface details (cities, names, contacts, tiers of
non-designed SMEs, numbers, deadlines).  Hence :data:`DESIGNED_PAIRS` and
:data:`DISTRACTOR_PAIRS` hold for every seed.

Designed pairings (lead posting ref, SME posting ref, chain):

* supply — a lead's component/material/process/software need and an SME capability that makes it;
* innovation — a lead's challenge and an SME technology capability; also a lead's open test site,
  instrument or pilot line (创新链: 开放仪器设备、试验场地) and an SME's testing/equipment/R&D need;
* capital — a lead's supply-chain finance or fund resource and an SME's financing need;
* data — a lead's 小快轻准 / platform resource and an SME's digitalisation need, and a lead's data
  need and an SME's data capability;
* service, industry, talent — service needs, supplier access/brand, and training programmes.

Distractors (:data:`DISTRACTOR_PAIRS`) look similar on the surface but must not be suggested.
"""

from __future__ import annotations

import datetime as _dt
import random
from collections.abc import Iterator

from matchmaker.reference import region as _region
from matchmaker.uscc import ALPHABET, make_org_code, make_uscc

from ..matching.model import CHAINS, POSTING_KINDS  # the platform's stable codes
from .leads import LEADS, SECTORS
from .people import BRAND_FIRST, BRAND_SECOND, GIVEN_NAMES, SURNAMES
from .smes import ARCHETYPES, CLUSTERS, NEED_POOL, THERMAL_CAP2

__all__ = [
    "DEFAULT_SEED",
    "TODAY",
    "DEADLINE_FIRST",
    "DEADLINE_LAST",
    "DEMO_LEAD_REF",
    "DEMO_SME_REF",
    "CHAINS",
    "TIERS",
    "POSTING_KINDS",
    "SECTORS",
    "LEAD_SECTORS",
    "DESIGNED_PAIRS",
    "DISTRACTOR_PAIRS",
    "build_world",
    "iter_records",
]

DEFAULT_SEED = 2026
TODAY = _dt.date(2026, 11, 23)
DEADLINE_FIRST = _dt.date(2027, 1, 1)
DEADLINE_LAST = _dt.date(2027, 12, 31)
DEMO_LEAD_REF = "demo-lead"
DEMO_SME_REF = "demo-sme"

TIERS = (None, "innovative", "specialized", "little_giant", "champion")

#: lead enterprise ref → industry chain (sector) code, see :data:`SECTORS`
LEAD_SECTORS: dict[str, str] = {lead["ref"]: lead["sector"] for lead in LEADS}

# Short product phrases used in generic SME need postings.
_PRODUCTS = {
    "thermal": "液冷板", "harness": "高压线束", "diecast": "压铸件", "lamination": "电机铁芯",
    "radar": "毫米波雷达", "seals": "橡胶密封件", "fastener": "高强度紧固件", "bms": "BMS软件",
    "plastics": "改性塑料", "heat_treat": "热处理", "data_label": "数据标注服务", "logistics": "物流服务",
    "semi_parts": "半导体零部件", "wet_chem": "湿电子化学品", "ceramics": "精密陶瓷件", "ic_design": "电源管理芯片",
    "pcb": "PCB", "emc_filter": "EMC滤波器", "sensor_iot": "无线传感器", "connector": "连接器",
    "tim": "导热材料", "vision": "视觉检测系统", "ems": "电子组装", "test_equipment": "试验箱",
    "mes_vendor": "工业软件", "machining": "精密机加工件", "machine_dealer": "机床设备", "hydraulic": "液压阀",
    "casting": "铸件", "weld_robot": "焊接工作站", "gear": "精密减速机", "iiot": "物联网平台",
    "structural": "结构件", "power_sensor": "在线监测装置", "spring": "弹簧", "magnet": "钕铁硼磁钢",
    "mat_lab": "检测服务", "printing3d": "金属3D打印件", "composite": "碳纤维制件", "copper_foil": "锂电铜箔",
    "battery_case": "电池箱体", "probe": "超声探头", "sterile": "灭菌服务", "med_mold": "医用耗材",
    "med_ai": "医学影像AI软件", "api": "医药中间体", "cro": "研发服务", "ivd": "诊断试剂",
    "device_cdmo": "医疗器械", "pcs": "储能变流器", "cable": "电缆附件", "drone": "巡检服务",
    "energy_svc": "能源数据服务", "blade": "叶片维修服务", "recycle": "电池回收", "pv_mount": "光伏支架",
    "testlab": "检测服务", "design": "设计服务", "foreign_parts": "precision parts", "foreign_sensor": "sensors",
}

_TIER_PATTERN = (None, "innovative", "specialized", None, "innovative", "little_giant", "specialized",
                 "innovative", None, "specialized", "innovative", None, "little_giant", "innovative",
                 "specialized", None, "innovative", "champion", "specialized", "innovative")
_POOL_NEED_ORDER = ("testing", "digital", "financing", "market", "equipment", "rnd", "talent")

_FOREIGN_CONTACTS = {
    "foreign_parts": ("Markus Weber", "markus.weber"),
    "foreign_sensor": ("Lena Nyström", "lena.nystrom"),
}

_DEMO_SME = dict(name="襄阳楚源热管理科技股份有限公司", brand_py="chuyuan", region="420600",
                 tier="little_giant", size="medium", contact_name="刘海涛", email="sme-contact@demo.cn",
                 phone="0710-3356800",
                 description="楚源热管理是国家级专精特新“小巨人”企业，专注新能源汽车电池液冷板和热泵热管理模块，"
                             "拥有钎焊炉线6条和焓差实验室，为多家整车厂和动力电池企业批量供货。")

# ----------------------------------------------------------------------------- generic lead resources

_GENERIC_RESOURCES: dict[str, list[dict]] = {
    "fund": [
        dict(title="{short}链上企业应收账款融资服务",
             description="{short}通过合作银行为链上中小供应商提供应收账款确权融资，集团在线确认应付账款，供应商凭确权凭证"
                         "向银行申请融资，利率参照集团授信水平，单户额度最高3000万元。",
             tags=["应收账款融资", "供应链金融", "融资"], chains=["capital"]),
        dict(title="{short}产业投资基金：围绕{sector}补链强链",
             description="集团设立产业投资基金，重点投资{sector}领域“卡脖子”环节和专精特新中小企业，可提供股权投资、"
                         "投贷联动和上市辅导。",
             tags=["产业基金", "股权融资", "上市辅导"], chains=["capital", "industry"]),
    ],
    "data": [
        dict(title="{short}供应链协同平台开放：订单、交付、对账在线化",
             description="向配套中小企业免费开放供应链协同平台，订单下达、交付计划、来料质量和对账结算全部在线完成，"
                         "提供标准接口对接供应商ERP。",
             tags=["供应链协同", "erp", "数字化转型", "工业互联网平台"], chains=["data", "supply"]),
        dict(title="{short}“小快轻准”数字化改造服务包",
             description="面向{sector}配套企业推出设备联网、能耗监测、质量追溯三类低成本改造服务包，单个场景投入5万～20万元，"
                         "一个月内上线，集团数字化团队提供驻场实施。",
             tags=["小快轻准", "设备联网", "质量追溯", "数字化转型"], chains=["data"]),
    ],
    "rnd": [
        dict(title="{short}联合实验室向中小企业开放研发合作",
             description="集团技术中心围绕{sector}关键共性技术设立联合实验室，可与中小企业联合申报科研项目、共享专利和设计仿真能力。",
             tags=["联合研发", "研发", "仿真分析", "标准制定"], chains=["innovation"]),
        dict(title="{short}工程师培训营与技能等级认定",
             description="集团培训学院每季度开设工艺、质量和数字化工程师培训营，向链上中小企业开放名额，可组织职业技能等级认定。",
             tags=["技能培训", "工程师", "人才"], chains=["talent"]),
    ],
    "equipment": [
        dict(title="{short}大型仪器设备共享目录",
             description="开放工业CT、扫描电镜、三坐标测量机、振动台等80余台（套）仪器设备，中小企业可线上预约机时，按成本价收费。",
             tags=["仪器设备", "共享设备", "无损检测", "尺寸检测"], chains=["innovation", "service"]),
        dict(title="{short}闲置产能与生产设备共享",
             description="在{city}基地开放部分加工中心、注塑机和检测设备的闲置产能，适合中小企业样件试制和小批量生产。",
             tags=["生产设备", "共享设备", "中试"], chains=["innovation", "supply"]),
    ],
    "brand": [
        dict(title="{short}供应商准入与“百场万企”供需对接会",
             description="集团每季度举办供需对接会，发布年度采购目录，专精特新企业可走供应商准入绿色通道。",
             tags=["采购平台", "供应商准入", "市场拓展", "专精特新"], chains=["industry", "supply"]),
        dict(title="{short}品牌联合与首台套应用场景开放",
             description="对通过验证的中小企业新产品开放集团示范项目和首台套应用场景，并允许在市场推广中使用联合品牌。",
             tags=["品牌", "应用场景", "首台套", "市场拓展"], chains=["industry", "innovation"]),
    ],
    "test_site": [
        dict(title="{short}可靠性与环境试验中心开放",
             description="开放高低温、湿热、盐雾、振动和IP防护试验能力，CNAS认可，可为中小企业产品验证出具报告。",
             tags=["可靠性测试", "环境试验", "盐雾试验", "振动试验", "cnas"], chains=["innovation", "service"]),
        dict(title="{short}中试验证基地开放",
             description="面向{sector}中小企业开放中试验证基地和应用验证场景，提供工艺放大、小批量试产和第三方测试对接。",
             tags=["中试", "试验场地", "应用场景"], chains=["innovation"]),
    ],
}
_GENERIC_CYCLE = ("fund", "data", "rnd", "equipment", "brand", "test_site")

_LEAD_GENERIC_EXTRA: dict[str, dict] = {
    # a service challenge (every kind/category combination appears in the world)
    "lead-019": dict(key="energy_trust", kind="challenge", category="service",
                     title="中小工业企业综合能源托管服务模式创新",
                     description="面向园区中小工业企业征集“能效诊断+改造+运维+融资”一体化托管服务方案，降低企业用能成本。",
                     tags=["综合能源服务", "能耗管理", "虚拟电厂"], chains=["service", "data"],
                     details={"problem": "中小企业缺乏专业能源管理能力，节能改造意愿低、融资难",
                              "indicators": ["综合用能成本下降≥10%", "托管企业≥200家", "可参与需求响应"],
                              "budget_min": 50, "budget_max": 150}),
}


def _city_short(code: str) -> str:
    item = _region(code)
    name = item.name_zh if item else ""
    for suffix in ("市", "地区", "盟"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _deadline(rng: random.Random) -> str:
    span = (DEADLINE_LAST - DEADLINE_FIRST).days
    return (DEADLINE_FIRST + _dt.timedelta(days=rng.randint(0, span))).isoformat()


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}"


def _pick(value, index: int):
    """A list-valued text field gives alternatives: pick by instance index."""
    if isinstance(value, list):
        return value[index % len(value)]
    return value


def _org_code(rng: random.Random, used: set[str]) -> str:
    while True:
        body = "MA" + "".join(rng.choice(ALPHABET) for _ in range(6))
        code = make_org_code(body)
        if code not in used and all(c in ALPHABET for c in code):
            used.add(code)
            return code


def _brand_pool(rng: random.Random) -> list[tuple[str, str]]:
    combos = []
    for zh1, py1 in BRAND_FIRST:
        for zh2, py2 in BRAND_SECOND:
            if zh1 != zh2 and py1 != py2:
                combos.append((zh1 + zh2, py1 + py2))
    rng.shuffle(combos)
    seen: set[str] = set()
    pool = []
    for zh, py in combos:
        if py not in seen and py not in ("chuyuan", "keller", "nordtech"):
            seen.add(py)
            pool.append((zh, py))
    return pool


def _posting(ref, enterprise, spec, region, industry, rng, fill=None):
    fill = fill or {}
    record = {
        "type": "posting",
        "ref": ref,
        "enterprise": enterprise,
        "kind": spec["kind"],
        "category": spec["category"],
        "title": spec["title"].format(**fill) if fill else spec["title"],
        "description": spec["description"].format(**fill) if fill else spec["description"],
        "tags": list(spec["tags"]),
        "chains": list(spec["chains"]),
        "region": region,
        "deadline": _deadline(rng),
        "anonymous": bool(spec.get("anonymous", False)),
        "industry": spec.get("industry", industry),
    }
    if spec.get("wants_specialized"):
        record["wants_specialized"] = True
    if spec.get("details"):
        record["details"] = {k: (list(v) if isinstance(v, list) else v) for k, v in spec["details"].items()}
    return record


def _build(seed: int) -> tuple[list[dict], list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    rng = random.Random(seed)
    enterprises: list[dict] = []
    postings: list[dict] = []
    used_orgs: set[str] = set()
    brands = _brand_pool(rng)

    # SME posting refs by (archetype, instance, which) for resolving designed pairs
    sme_refs: dict[tuple[str, int, str], str] = {}
    lead_pair_specs: list[tuple[str, tuple]] = []  # (lead posting ref, pair spec)
    lead_refs: dict[tuple[str, str], str] = {}  # (lead ref, posting key) → posting ref

    # tiers forced on SMEs that wants_specialized needs are designed to match
    forced_tiers: dict[tuple[str, int], str] = {}
    for lead in LEADS:
        for spec in lead["postings"]:
            if spec.get("wants_specialized"):
                for n, (arch, inst, _which, _chain) in enumerate(spec.get("pairs", [])):
                    forced_tiers[(arch, inst)] = "little_giant" if n % 2 == 0 else "specialized"

    # ------------------------------------------------------------------ lead enterprises
    for index, lead in enumerate(LEADS):
        surname, surname_py, given, given_py = lead["contact"]
        enterprises.append({
            "type": "enterprise",
            "ref": lead["ref"],
            "name": lead["name"],
            "uscc": make_uscc("9", "1", lead["region"], _org_code(rng, used_orgs)),
            "role": "lead",
            "tier": None,
            "industry": lead["industry"],
            "region": lead["region"],
            "description": lead["description"],
            "contact_name": surname + given,
            "contact_email": lead["email"],
            "contact_phone": lead["phone"],
            "size": "large",
            "website": lead["website"],
        })
        short = lead["name"].replace("集团股份有限公司", "").replace("股份有限公司", "") \
                            .replace("集团有限公司", "").replace("有限公司", "")
        fill = {"short": short, "sector": SECTORS[lead["sector"]], "city": _city_short(lead["region"])}
        specs = list(lead["postings"])
        if lead["ref"] in _LEAD_GENERIC_EXTRA:
            specs.append(_LEAD_GENERIC_EXTRA[lead["ref"]])
        own_resource_categories = {s["category"] for s in specs if s["kind"] == "resource"}
        generic_categories: list[str] = []
        step = 0
        while len(generic_categories) < 2 + index % 2 and step < 12:
            category = _GENERIC_CYCLE[(index + 2 * step) % len(_GENERIC_CYCLE)]
            if category not in own_resource_categories and category not in generic_categories:
                generic_categories.append(category)
            step += 1
        for n, category in enumerate(generic_categories):
            template = _GENERIC_RESOURCES[category][(index + n) % 2]
            specs.append(dict(template, kind="resource", category=category, key=f"generic_{category}",
                              title=template["title"].format(**fill),
                              description=template["description"].format(**fill)))
        for number, spec in enumerate(specs, start=1):
            ref = f"p-{lead['ref']}-{number:02d}"
            details = spec.get("details") or {}
            region = details.get("delivery_region") or lead["region"]
            postings.append(_posting(ref, lead["ref"], spec, region, lead["industry"], rng))
            lead_refs[(lead["ref"], spec["key"])] = ref
            for pair in spec.get("pairs", []):
                lead_pair_specs.append((ref, pair))

    # ------------------------------------------------------------------ SMEs
    sme_number = 0
    global_index = 0
    for arch in ARCHETYPES:
        for inst in range(arch["count"]):
            is_demo = arch["key"] == "thermal" and inst == 0
            english = arch.get("english", False)
            if is_demo:
                ref = DEMO_SME_REF
            else:
                sme_number += 1
                ref = f"sme-{sme_number:04d}"
            # where and who
            if is_demo:
                region, name, brand_py = _DEMO_SME["region"], _DEMO_SME["name"], _DEMO_SME["brand_py"]
            elif english:
                region, name, brand_py = arch["region"], arch["zh_name"], arch["brand"][1]
            else:
                region = rng.choice(CLUSTERS[arch["sector"]])
                brand_zh, brand_py = brands.pop()
                form = "股份有限公司" if rng.random() < 0.2 else "有限公司"
                name = f"{_city_short(region)}{brand_zh}{arch['stem']}{form}"
            tier = _DEMO_SME["tier"] if is_demo else forced_tiers.get(
                (arch["key"], inst), _TIER_PATTERN[(global_index * 7) % len(_TIER_PATTERN)])
            if tier in ("little_giant", "champion"):
                size = "medium"
            elif tier == "specialized":
                size = rng.choice(("medium", "small"))
            elif tier == "innovative":
                size = rng.choice(("small", "small", "micro"))
            else:
                size = rng.choice(("small", "micro", "micro"))
            year = rng.randint(2004, 2021)
            staff = {"medium": rng.randint(300, 950), "small": rng.randint(40, 290),
                     "micro": rng.randint(8, 19)}[size]
            slot = {"year": year, "staff": staff, "city": _city_short(region)}
            if is_demo:
                description = _DEMO_SME["description"]
                contact_name, email, phone = _DEMO_SME["contact_name"], _DEMO_SME["email"], _DEMO_SME["phone"]
            else:
                description = _pick(arch["description"], inst + global_index).format(**slot)
                if english:
                    contact_name, local = _FOREIGN_CONTACTS[arch["key"]]
                else:
                    s_zh, s_py = rng.choice(SURNAMES)
                    g_zh, g_py = rng.choice(GIVEN_NAMES)
                    contact_name, local = s_zh + g_zh, f"{g_py}.{s_py}"
                email = f"{local}@{brand_py}.demo.cn"
                phone = _mobile(rng)
            enterprises.append({
                "type": "enterprise",
                "ref": ref,
                "name": name,
                "uscc": make_uscc("9", "1", region, _org_code(rng, used_orgs)),
                "role": "sme",
                "tier": tier,
                "industry": arch["industry"],
                "region": region,
                "description": description,
                "contact_name": contact_name,
                "contact_email": email,
                "contact_phone": phone,
                "size": size,
                "website": f"https://www.{brand_py}.demo.cn",
            })
            # postings: capability (always), a second capability for the demo SME, at most one need
            cap_spec = arch["cap_variants"].get(inst, arch["cap"])
            cap_spec = dict(cap_spec, title=_pick(cap_spec["title"], inst),
                            details={"capacity": _pick(cap_spec["details"]["capacity"], rng.randrange(7)),
                                     "certifications": list(cap_spec["details"]["certifications"]),
                                     "references": _pick(cap_spec["details"]["references"], inst)})
            own: list[tuple[str, dict, dict | None]] = [("cap", cap_spec, None)]
            if is_demo:
                own.append(("cap2", THERMAL_CAP2, None))
            if inst in arch["needs"]:
                own.append(("need", arch["needs"][inst], None))
            elif not english and global_index % 5 in (0, 2, 3):
                category = _POOL_NEED_ORDER[global_index % len(_POOL_NEED_ORDER)]
                template = NEED_POOL[category][(global_index // 7) % len(NEED_POOL[category])]
                own.append(("need", template, {"product": _PRODUCTS[arch["key"]]}))
            for number, (which, spec, fill) in enumerate(own, start=1):
                posting_ref = f"p-{ref}-{number:02d}"
                postings.append(_posting(posting_ref, ref, spec, region, arch["industry"], rng, fill))
                sme_refs[(arch["key"], inst, which)] = posting_ref
            global_index += 1

    designed = []
    for lead_posting, (arch, inst, which, chain) in lead_pair_specs:
        designed.append((lead_posting, sme_refs[(arch, inst, which)], chain))
    # the demo pair first
    demo_need = lead_refs[(DEMO_LEAD_REF, "liquid_plate")]
    designed.sort(key=lambda pair: 0 if pair[0] == demo_need and pair[1].startswith(f"p-{DEMO_SME_REF}-") else 1)

    distractors = [
        (lead_refs[("lead-005", "emc_lab")], sme_refs[("test_equipment", 0, "cap")],
         "an SME that manufactures EMC/environmental test equipment does not need the open EMC chamber"),
        (lead_refs[("lead-005", "emc_lab")], sme_refs[("emc_filter", 0, "cap")],
         "an EMC filter maker sells filters; it is not an SME that needs EMC testing"),
        (lead_refs[(DEMO_LEAD_REF, "climate_lab")], sme_refs[("test_equipment", 1, "cap")],
         "a climate-chamber manufacturer is a supplier of test equipment, not a user of the test site"),
        (lead_refs[("lead-021", "battery_lab")], sme_refs[("test_equipment", 0, "cap")],
         "test-equipment maker vs open battery safety lab"),
        (lead_refs[("lead-009", "precision_machining")], sme_refs[("machine_dealer", 0, "cap")],
         "a machine-tool dealer sells machines; the need is for a machining shop"),
        (lead_refs[("lead-014", "ti_machining")], sme_refs[("machine_dealer", 1, "cap")],
         "a machine-tool dealer cannot take over machining of titanium implants"),
        (lead_refs[("lead-008", "cmm_share")], sme_refs[("machine_dealer", 0, "cap")],
         "a machine-tool dealer's sales offer does not answer a shared-equipment resource"),
    ]
    records = enterprises + postings
    return records, designed, distractors


def build_world(seed: int = DEFAULT_SEED) -> list[dict]:
    """All records of the demo world (enterprises first, then postings), deterministic per seed."""
    return _build(seed)[0]


def iter_records(seed: int = DEFAULT_SEED) -> Iterator[dict]:
    """The records of :func:`build_world`, one at a time (one JSON Lines line each)."""
    yield from build_world(seed)


_records, DESIGNED_PAIRS, DISTRACTOR_PAIRS = _build(DEFAULT_SEED)
del _records
DESIGNED_PAIRS: list[tuple[str, str, str]]
"""(lead posting ref, SME posting ref, expected chain); the demo-lead/demo-sme pair comes first.
The same for every seed."""
DISTRACTOR_PAIRS: list[tuple[str, str, str]]
"""(lead posting ref, SME posting ref, why they must not be paired)."""
