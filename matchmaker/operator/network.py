"""The 融通 network: lead firms and SMEs as nodes, matches (and, on request, open suggestions) as
edges, in one NetworkX graph. The layout is computed here (spring layout with a fixed seed, cached
per graph) and the map is drawn as SVG by the server."""

from __future__ import annotations

import hashlib
import math
import re
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

import networkx as nx
from markupsafe import Markup, escape
from sqlalchemy import select

from ..extensions import db
from ..models import Enterprise, Match, Suggestion
from ..vocabulary import CHAINS, ROLES, TIERS, label
from .charts import CHAIN_COLOURS
from .stats import province_code

OPEN_SUGGESTION_STATUSES = ("open", "interest")
WIDTH, HEIGHT, MARGIN = 1000, 700, 40
LEAD_COLOUR, SME_COLOUR, SME_STROKE = "#0b3d91", "#ced4da", "#495057"
MAX_LABELLED_SMES = 12


@dataclass
class NetworkFilters:
    industry: str = ""   # GB/T 4754 section letter or division code of the lead firm
    region: str = ""     # province code (6 digits) of either party
    tier: str = ""       # the SME's tier
    chain: str = ""      # the edge's chain
    suggestions: bool = False  # also draw open suggestions

    @classmethod
    def from_args(cls, args) -> "NetworkFilters":
        industry = (args.get("industry") or "").strip().upper()[:3]
        if not re.fullmatch(r"[A-T](\d\d)?", industry):
            industry = ""
        region = (args.get("region") or "").strip()
        if not re.fullmatch(r"\d\d0000", region):
            region = ""
        tier = args.get("tier") or ""
        chain = args.get("chain") or ""
        return cls(industry=industry, region=region, tier=tier if tier in TIERS else "",
                   chain=chain if chain in CHAINS else "", suggestions=args.get("suggestions") in ("1", "on", "true"))

    def active(self) -> bool:
        return bool(self.industry or self.region or self.tier or self.chain)


def build_graph(*, suggestions: bool = False) -> nx.Graph:
    """Every lead firm (not rejected) and every SME with a match (or open suggestion) as nodes;
    one edge per lead–SME pair with per-chain counts of matches and open suggestions."""
    graph = nx.Graph()
    pairs: list[tuple[int, int, str, str]] = [
        (lead, sme, chain, "match") for lead, sme, chain in db.session.execute(
            select(Match.lead_enterprise_id, Match.sme_enterprise_id, Match.chain))]
    if suggestions:
        pairs += [(lead, sme, chain, "suggestion") for lead, sme, chain in db.session.execute(
            select(Suggestion.lead_enterprise_id, Suggestion.sme_enterprise_id, Suggestion.chain)
            .where(Suggestion.status.in_(OPEN_SUGGESTION_STATUSES)))]
    wanted = {lead for lead, *_ in pairs} | {sme for _, sme, *_ in pairs}
    rows = db.session.execute(
        select(Enterprise.id, Enterprise.name, Enterprise.role, Enterprise.tier, Enterprise.industry,
               Enterprise.region, Enterprise.status)
        .where((Enterprise.role == "lead") & (Enterprise.status != "rejected") | Enterprise.id.in_(wanted or [-1])))
    for eid, name, role, tier, industry, region, status in rows:
        graph.add_node(eid, name=name, role=role, tier=tier, industry=industry or "", region=region or "",
                       province=province_code(region), status=status)
    for lead, sme, chain, kind in pairs:
        if lead not in graph or sme not in graph:
            continue
        if not graph.has_edge(lead, sme):
            graph.add_edge(lead, sme, matches=Counter(), suggestions=Counter())
        graph.edges[lead, sme]["matches" if kind == "match" else "suggestions"][chain] += 1
    return graph


def _lead_and_sme(graph: nx.Graph, u: int, v: int) -> tuple[int, int]:
    return (u, v) if graph.nodes[u]["role"] == "lead" else (v, u)


def apply_filters(graph: nx.Graph, filters: NetworkFilters) -> nx.Graph:
    """The part of the graph the filters select: the edges that pass (restricted to the chosen
    chain), their ends, and the lead firms that pass the industry and region filters."""
    result = nx.Graph()
    for u, v, data in graph.edges(data=True):
        lead, sme = _lead_and_sme(graph, u, v)
        ln, sn = graph.nodes[lead], graph.nodes[sme]
        if filters.industry and not ln["industry"].startswith(filters.industry):
            continue
        if filters.tier and sn["tier"] != filters.tier:
            continue
        if filters.region and filters.region not in (ln["province"], sn["province"]):
            continue
        matches, suggestions = Counter(data["matches"]), Counter(data["suggestions"])
        if filters.chain:
            matches = Counter({c: n for c, n in matches.items() if c == filters.chain})
            suggestions = Counter({c: n for c, n in suggestions.items() if c == filters.chain})
        if not filters.suggestions:
            suggestions = Counter()
        if not matches and not suggestions:
            continue
        result.add_node(lead, **ln)
        result.add_node(sme, **sn)
        result.add_edge(lead, sme, matches=matches, suggestions=suggestions)
    if not (filters.tier or filters.chain):
        for node, data in graph.nodes(data=True):
            if data["role"] == "lead" and node not in result:
                if filters.industry and not data["industry"].startswith(filters.industry):
                    continue
                if filters.region and data["province"] != filters.region:
                    continue
                result.add_node(node, **data)
    return result


def neighbourhood(graph: nx.Graph, lead_id: int) -> nx.Graph:
    """The lead firm, its SMEs and the other lead firms those SMEs work with (radius 2)."""
    if lead_id not in graph:
        return nx.Graph()
    return nx.ego_graph(graph, lead_id, radius=2).copy()


# --- layout -----------------------------------------------------------------------------------

_layout_cache: OrderedDict[str, dict] = OrderedDict()
_layout_lock = threading.Lock()
LAYOUT_CACHE_SIZE = 32


def _signature(graph: nx.Graph, centre: int | None) -> str:
    digest = hashlib.sha1(repr(centre).encode())
    digest.update(repr(sorted(graph.nodes)).encode())
    digest.update(repr(sorted(tuple(sorted(e)) for e in graph.edges)).encode())
    return digest.hexdigest()


def layout(graph: nx.Graph, centre: int | None = None) -> dict[int, tuple[float, float]]:
    """Node → (x, y) in SVG units. Spring layout with a fixed seed (the same graph always gets
    the same picture), cached per graph; a neighbourhood keeps its lead firm in the middle."""
    if graph.number_of_nodes() == 0:
        return {}
    key = _signature(graph, centre)
    with _layout_lock:
        if key in _layout_cache:
            _layout_cache.move_to_end(key)
            return _layout_cache[key]
    n = graph.number_of_nodes()
    if n == 1:
        raw = {next(iter(graph.nodes)): (0.0, 0.0)}
    elif centre is not None and centre in graph:
        raw = nx.spring_layout(_weighted(graph), k=2.2 / math.sqrt(n), seed=7, iterations=80,
                               pos={centre: (0.0, 0.0)}, fixed=[centre], center=(0, 0), weight="weight")
    else:
        raw = _two_step_layout(graph)
    positions = _fit(raw)
    with _layout_lock:
        _layout_cache[key] = positions
        while len(_layout_cache) > LAYOUT_CACHE_SIZE:
            _layout_cache.popitem(last=False)
    return positions


def _weighted(graph: nx.Graph) -> nx.Graph:
    """A copy whose edge weights pull matched pairs together harder than open suggestions."""
    weighted = nx.Graph()
    weighted.add_nodes_from(graph.nodes)
    for u, v, d in graph.edges(data=True):
        weighted.add_edge(u, v, weight=sum(d["matches"].values()) + 0.3 * sum(d["suggestions"].values()))
    return weighted


def _two_step_layout(graph: nx.Graph) -> dict:
    """Lead firms first, spread out by how many SMEs they share; then the SMEs, pulled towards the
    lead firms they work with while the lead firms stay put. Hundreds of SMEs linked to many lead
    firms would otherwise pile every lead firm up in the middle."""
    weighted = _weighted(graph)
    leads = [node for node, d in graph.nodes(data=True) if d["role"] == "lead"]
    smes = [node for node, d in graph.nodes(data=True) if d["role"] != "lead"]
    if len(leads) < 2 or not smes:
        return nx.spring_layout(weighted, k=2.2 / math.sqrt(graph.number_of_nodes()), seed=7, iterations=80,
                                weight="weight")
    projection = nx.Graph()
    projection.add_nodes_from(leads)
    for sme in smes:
        partners = sorted(weighted.neighbors(sme))
        for i, a in enumerate(partners):
            for b in partners[i + 1:]:
                w = min(weighted.edges[sme, a]["weight"], weighted.edges[sme, b]["weight"])
                old = projection.edges[a, b]["weight"] if projection.has_edge(a, b) else 0.0
                projection.add_edge(a, b, weight=old + w)
    for a, b, d in projection.edges(data=True):  # sharing SMEs pulls lead firms closer, gently
        d["weight"] = 0.3 * min(d["weight"], 3.0)
    lead_pos = nx.spring_layout(projection, k=4.0 / math.sqrt(len(leads)), seed=7, iterations=150,
                                weight="weight", scale=1.0)
    rng = __import__("random").Random(7)
    start = dict(lead_pos)
    for sme in smes:
        near = [lead_pos[lead] for lead in weighted.neighbors(sme) if lead in lead_pos]
        if near:
            x = sum(p[0] for p in near) / len(near)
            y = sum(p[1] for p in near) / len(near)
        else:
            x, y = rng.uniform(-1, 1), rng.uniform(-1, 1)
        start[sme] = (x + rng.uniform(-0.08, 0.08), y + rng.uniform(-0.08, 0.08))
    n = graph.number_of_nodes()
    return nx.spring_layout(weighted, k=1.2 / math.sqrt(n), pos=start, fixed=leads, seed=7,
                            iterations=50, weight="weight")


def _fit(raw: dict) -> dict[int, tuple[float, float]]:
    xs = [float(p[0]) for p in raw.values()]
    ys = [float(p[1]) for p in raw.values()]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    sx = (WIDTH - 2 * MARGIN) / (x1 - x0) if x1 > x0 else 0
    sy = (HEIGHT - 2 * MARGIN) / (y1 - y0) if y1 > y0 else 0
    return {node: (MARGIN + (float(p[0]) - x0) * sx if sx else WIDTH / 2,
                   MARGIN + (float(p[1]) - y0) * sy if sy else HEIGHT / 2) for node, p in raw.items()}


# --- drawing ----------------------------------------------------------------------------------

_SUFFIXES = re.compile(r"(股份有限公司|有限责任公司|有限公司|集团|股份|公司)$")


def short_name(name: str, limit: int = 8) -> str:
    stem = name
    for _ in range(2):
        stem = _SUFFIXES.sub("", stem) or stem
    return stem if len(stem) <= limit else stem[: limit - 1] + "…"


def _radius(data: dict, degree: int, biggest: int = 0) -> float:
    """Node size grows with the number of partners, relative to the best connected of its kind."""
    share = math.sqrt(degree / biggest) if biggest else 0.0
    return 6.0 + 8.0 * share if data["role"] == "lead" else 3.0 + 5.0 * share


def _edge_chain(data: dict) -> str:
    counts = data["matches"] or data["suggestions"]
    order = list(CHAINS)
    return max(order, key=lambda c: (counts.get(c, 0), -order.index(c)))


def _text_width(text: str, size: float = 12) -> float:
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in text)


def _labels(graph: nx.Graph, positions: dict, degrees: dict, labelled: set, biggest: dict) -> list[str]:
    """Labels of the lead firms and the best-connected SMEs, placed above, below, right or left
    of their node where they do not cover a label already placed (lead firms first, biggest
    first); an SME label that fits nowhere is left out (its node keeps its tooltip)."""
    placed: list[tuple[float, float, float, float]] = []
    out = []
    wanted = [n for n, d in graph.nodes(data=True) if d["role"] == "lead" or n in labelled]
    wanted.sort(key=lambda n: (graph.nodes[n]["role"] != "lead", -degrees[n], n))
    for node in wanted:
        data = graph.nodes[node]
        text = short_name(data["name"])
        x, y = positions[node]
        r = _radius(data, degrees[node], biggest[data["role"]])
        w, h = _text_width(text), 13.0
        options = [(x, y - r - 4, "middle"), (x, y + r + 13, "middle"), (x + r + 3, y + 4, "start"),
                   (x - r - 3, y + 4, "end")]
        chosen = None
        for tx, ty, anchor in options:
            left = tx - w / 2 if anchor == "middle" else (tx if anchor == "start" else tx - w)
            box = (left - 1, ty - h + 2, left + w + 1, ty + 3)
            if box[0] < 0 or box[2] > WIDTH or box[1] < 0 or box[3] > HEIGHT:
                continue
            if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
                chosen = (tx, ty, anchor, box)
                break
        if chosen is None:
            if data["role"] != "lead":
                continue
            tx, ty, anchor = options[0]
            chosen = (tx, ty, anchor, (tx - w / 2, ty - h + 2, tx + w / 2, ty + 3))
        tx, ty, anchor, box = chosen
        placed.append(box)
        weight = "600" if data["role"] == "lead" else "400"
        out.append(f'<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="{anchor}" font-size="12" font-weight="{weight}" '
                   f'fill="#212529" stroke="#fff" stroke-width="3" paint-order="stroke" '
                   f'class="node-label">{escape(text)}</text>')
    return out


@dataclass
class NetworkPicture:
    svg: Markup
    nodes: int
    edges: int
    leads: int
    smes: int
    chains: Counter = field(default_factory=Counter)


def to_json(graph: nx.Graph, positions: dict) -> dict:
    nodes = [{"id": n, "name": d["name"], "role": d["role"], "tier": d["tier"], "industry": d["industry"],
              "region": d["region"], "degree": graph.degree(n),
              "x": round(positions[n][0], 1), "y": round(positions[n][1], 1)} for n, d in graph.nodes(data=True)]
    edges = []
    for u, v, d in graph.edges(data=True):
        lead, sme = _lead_and_sme(graph, u, v)
        edges.append({"lead": lead, "sme": sme, "chain": _edge_chain(d), "matches": dict(d["matches"]),
                      "suggestions": dict(d["suggestions"])})
    return {"nodes": sorted(nodes, key=lambda n: n["id"]), "edges": sorted(edges, key=lambda e: (e["lead"], e["sme"]))}


def draw(graph: nx.Graph, positions: dict, *, lang: str, link, centre: int | None = None,
         region_name=None) -> NetworkPicture:
    """The SVG map. `link(enterprise_id)` gives a node's address; `region_name(code)` its region."""
    degrees = dict(graph.degree())
    smes_by_degree = sorted((n for n, d in graph.nodes(data=True) if d["role"] == "sme"),
                            key=lambda n: (-degrees[n], n))
    labelled = {n for n in smes_by_degree[:MAX_LABELLED_SMES] if degrees[n] >= 2}
    biggest = {"lead": 0, "sme": 0}
    for node, data in graph.nodes(data=True):
        role = "lead" if data["role"] == "lead" else "sme"
        biggest[role] = max(biggest[role], degrees[node])
    title = "融通网络" if lang == "zh" else "Network of lead firms and SMEs"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="network-map" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'data-testid="network-svg" aria-label="{escape(title)}"><title>{escape(title)}</title>',
             '<g class="edges">']
    chain_counts: Counter = Counter()
    matched_word, suggested_word = ("撮合", "条建议") if lang == "zh" else (" matches", " open suggestions")
    for u, v, data in sorted(graph.edges(data=True), key=lambda e: (bool(e[2]["matches"]), e[0], e[1])):
        lead, sme = _lead_and_sme(graph, u, v)
        chain = _edge_chain(data)
        (x1, y1), (x2, y2) = positions[lead], positions[sme]
        n_match, n_sugg = sum(data["matches"].values()), sum(data["suggestions"].values())
        for c, n in (data["matches"] + data["suggestions"]).items():
            chain_counts[c] += n
        chain_names = "、".join(label(CHAINS, c) for c in CHAINS if c in data["matches"] or c in data["suggestions"])
        tip = f"{graph.nodes[lead]['name']} — {graph.nodes[sme]['name']}: {chain_names}"
        tip += f" · {n_match}{matched_word}" if n_match else ""
        tip += f" · {n_sugg}{suggested_word}" if n_sugg else ""
        dash = "" if n_match else ' stroke-dasharray="4 3" stroke-opacity="0.45"'
        width = 1.2 + 0.8 * min(n_match, 4) if n_match else 1
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{CHAIN_COLOURS.get(chain, "#999")}" '
                     f'stroke-width="{width:.1f}"{dash} class="edge {"match" if n_match else "suggestion"}" '
                     f'data-lead="{lead}" data-sme="{sme}" data-chain="{chain}"><title>{escape(tip)}</title></line>')
    parts.append('</g><g class="nodes">')
    order = sorted(graph.nodes(data=True), key=lambda nd: (nd[1]["role"] == "lead", degrees[nd[0]]))
    for node, data in order:
        x, y = positions[node]
        r = _radius(data, degrees[node], biggest[data["role"]])
        bits = [data["name"], label(ROLES, data["role"])]
        if data["tier"]:
            bits.append(label(TIERS, data["tier"]))
        if region_name and data["region"]:
            bits.append(region_name(data["region"]))
        bits.append(("伙伴数" if lang == "zh" else "partners") + f" {degrees[node]}")
        tip = escape(" · ".join(str(b) for b in bits))
        classes = f"node {data['role']}" + (" centre" if node == centre else "")
        if data["role"] == "lead":
            shape = (f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" rx="2" '
                     f'fill="{LEAD_COLOUR}" stroke="#fff" stroke-width="1.5"></rect>')
        else:
            shape = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{SME_COLOUR}" stroke="{SME_STROKE}" '
                     f'stroke-width="1"></circle>')
        parts.append(f'<a href="{escape(link(node))}" class="{classes}" data-node-id="{node}" data-role="{data["role"]}" '
                     f'data-degree="{degrees[node]}"><title>{tip}</title>{shape}</a>')
    parts.append("</g><g class=\"labels\">")
    parts.extend(_labels(graph, positions, degrees, labelled, biggest))
    parts.append("</g></svg>")
    leads = sum(1 for _, d in graph.nodes(data=True) if d["role"] == "lead")
    return NetworkPicture(Markup("".join(parts)), graph.number_of_nodes(), graph.number_of_edges(), leads,
                          graph.number_of_nodes() - leads, chain_counts)


def industry_options(lang: str) -> list[tuple[str, str]]:
    """The sections (门类) and divisions (大类) of the lead firms, for the industry-chain filter."""
    from .. import reference

    codes = {code for (code,) in db.session.execute(
        select(Enterprise.industry).where(Enterprise.role == "lead", Enterprise.status != "rejected")) if code}
    options = set()
    for code in codes:
        options.add(code[:1])
        if len(code) >= 3:
            options.add(code[:3])
    result = []
    for code in sorted(options):
        name = reference.industry_label(code, lang, with_code=False)
        result.append((code, f"{code} {name}" if len(code) == 1 else f"　{code} {name}"))
    return result


def province_options(lang: str) -> list[tuple[str, str]]:
    from .. import reference

    codes = {province_code(r) for (r,) in db.session.execute(
        select(Enterprise.region).where(Enterprise.status != "rejected")) if r}
    return sorted(((c, reference.region_label(c, lang)) for c in codes), key=lambda item: item[0])
