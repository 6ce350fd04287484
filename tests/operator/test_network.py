"""The network map: the graph, its filters, the JSON and the SVG for the small world."""

from __future__ import annotations

import re

from matchmaker.operator import network


def edges_of(data) -> set[tuple[int, int]]:
    return {(e["lead"], e["sme"]) for e in data["edges"]}


def test_matches_are_edges_and_suggestions_are_switchable(client, login_operator, world):
    login_operator()
    a, b, s = world.lead_a.id, world.lead_b.id, world.smes
    data = client.get("/operator/network.json").get_json()
    assert edges_of(data) == {(a, s[1].id), (b, s[3].id), (a, s[2].id)}
    ids = {n["id"] for n in data["nodes"]}
    assert ids == {a, b, s[1].id, s[2].id, s[3].id}  # the rejected lead firm is not drawn
    chains = {(e["lead"], e["sme"]): e["chain"] for e in data["edges"]}
    assert chains[(a, s[1].id)] == "supply" and chains[(b, s[3].id)] == "innovation"
    degree = {n["id"]: n["degree"] for n in data["nodes"]}
    assert degree[a] == 2 and degree[s[3].id] == 1
    assert all(0 <= n["x"] <= 1000 and 0 <= n["y"] <= 700 for n in data["nodes"])

    with_suggestions = client.get("/operator/network.json?suggestions=1").get_json()
    assert edges_of(with_suggestions) == {(a, s[1].id), (b, s[3].id), (a, s[2].id), (a, s[3].id), (b, s[1].id)}
    open_edge = next(e for e in with_suggestions["edges"] if (e["lead"], e["sme"]) == (b, s[1].id))
    assert open_edge["matches"] == {} and open_edge["suggestions"] == {"supply": 1}
    both = next(e for e in with_suggestions["edges"] if (e["lead"], e["sme"]) == (a, s[1].id))
    assert both["matches"] == {"supply": 1} and both["suggestions"] == {"innovation": 1}


def test_filters(client, login_operator, world):
    login_operator()
    a, b, s = world.lead_a.id, world.lead_b.id, world.smes
    hunan = client.get("/operator/network.json?region=430000").get_json()
    assert edges_of(hunan) == {(b, s[3].id), (a, s[2].id)}
    giant = client.get("/operator/network.json?tier=little_giant").get_json()
    assert edges_of(giant) == {(a, s[2].id)}
    supply = client.get("/operator/network.json?chain=supply").get_json()
    assert edges_of(supply) == {(a, s[1].id)}
    general = client.get("/operator/network.json?industry=C34").get_json()
    assert edges_of(general) == {(b, s[3].id)}
    assert {n["id"] for n in general["nodes"]} == {b, s[3].id}
    manufacturing = client.get("/operator/network.json?industry=C").get_json()
    assert len(manufacturing["edges"]) == 3
    assert client.get("/operator/network.json?industry=<script>&region=x&tier=y&chain=z").status_code == 200


def test_lead_neighbourhood(client, login_operator, world):
    login_operator()
    a, b, s = world.lead_a.id, world.lead_b.id, world.smes
    data = client.get(f"/operator/network.json?lead={b}").get_json()
    assert data["lead"] == b and edges_of(data) == {(b, s[3].id)}
    wider = client.get(f"/operator/network.json?lead={b}&suggestions=1").get_json()
    assert {n["id"] for n in wider["nodes"]} == {b, s[1].id, s[3].id, a}  # sme2 is three steps away
    assert client.get(f"/operator/network?lead={s[1].id}").status_code == 404  # an SME has no lead page
    assert client.get("/operator/network?lead=999999").status_code == 404
    assert client.get("/operator/network?lead=abc").status_code == 404
    page = client.get(f"/operator/network?lead={b}").get_data(as_text=True)
    assert "湘江重工" in page and 'class="node lead centre"' in page
    detail = client.get(f"/operator/enterprises/{b}").get_data(as_text=True)
    assert f"/operator/network?lead={b}" in detail


def test_svg_draws_nodes_edges_labels_and_legend(client, login_operator, world):
    login_operator()
    html = client.get("/operator/network").get_data(as_text=True)
    svg = html.split('data-testid="network-svg"')[1].split("</svg>")[0]
    nodes = dict(re.findall(r'data-node-id="(\d+)" data-role="(\w+)"', svg))
    assert nodes == {str(world.lead_a.id): "lead", str(world.lead_b.id): "lead", str(world.smes[1].id): "sme",
                     str(world.smes[2].id): "sme", str(world.smes[3].id): "sme"}
    assert len(re.findall(r'<line [^>]*class="edge match"', svg)) == 3
    assert 'stroke="#0d6efd"' in svg and 'stroke="#6f42c1"' in svg  # supply blue, innovation purple
    assert ">华中汽车<" in svg and ">湘江重工<" in svg  # lead firms are labelled
    assert "<title>华中汽车集团有限公司 — 武汉热管理科技有限公司" in svg
    assert f'href="/operator/enterprises/{world.lead_a.id}"' in svg
    legend = html.split('data-testid="network-legend"')[1].split("</ul>")[0]
    assert "chain-supply" in legend and "chain-talent" in legend
    assert "style=" not in html


def test_empty_network(client, login_operator, app):
    login_operator()
    html = client.get("/operator/network").get_data(as_text=True)
    assert 'data-testid="network-empty"' in html


def test_layout_is_cached_and_stable(app, world):
    graph = network.apply_filters(network.build_graph(suggestions=True), network.NetworkFilters(suggestions=True))
    first = network.layout(graph)
    assert network.layout(graph) is first
    network._layout_cache.clear()
    assert network.layout(graph) == first  # the same seed gives the same picture


def test_short_names():
    assert network.short_name("华中汽车集团有限公司") == "华中汽车"
    assert network.short_name("湘江重工股份有限公司") == "湘江重工"
    assert network.short_name("一个名字非常非常长的科技有限公司") == "一个名字非常非…"
