"""The demo world: counts, validity against the reference data, determinism, designed pairs."""

import datetime as dt
import json
from collections import Counter

import pytest

from matchmaker import reference, uscc
from matchmaker.demo import world
from matchmaker.demo.world import (
    CHAINS, DESIGNED_PAIRS, DISTRACTOR_PAIRS, LEAD_SECTORS, POSTING_KINDS, TIERS, build_world, iter_records,
)

TODAY = dt.date(2026, 11, 23)
ENTERPRISE_KEYS = {"type", "ref", "name", "uscc", "role", "tier", "industry", "region", "description",
                   "contact_name", "contact_email", "contact_phone"}
ENTERPRISE_OPTIONAL = {"size", "website"}
POSTING_KEYS = {"type", "ref", "enterprise", "kind", "category", "title", "description", "tags", "chains",
                "region", "deadline", "anonymous"}
POSTING_OPTIONAL = {"industry", "wants_specialized", "details"}


@pytest.fixture(scope="module")
def records():
    return build_world()


@pytest.fixture(scope="module")
def enterprises(records):
    return {r["ref"]: r for r in records if r["type"] == "enterprise"}


@pytest.fixture(scope="module")
def postings(records):
    return {r["ref"]: r for r in records if r["type"] == "posting"}


def test_record_keys_and_json(records):
    for record in records:
        json.dumps(record, ensure_ascii=False)
        if record["type"] == "enterprise":
            assert ENTERPRISE_KEYS <= record.keys() <= ENTERPRISE_KEYS | ENTERPRISE_OPTIONAL
        else:
            assert record["type"] == "posting"
            assert POSTING_KEYS <= record.keys() <= POSTING_KEYS | POSTING_OPTIONAL
    refs = [r["ref"] for r in records]
    assert len(refs) == len(set(refs))
    # enterprises come before the postings that refer to them
    first_posting = next(i for i, r in enumerate(records) if r["type"] == "posting")
    assert all(r["type"] == "enterprise" for r in records[:first_posting])


def test_counts(enterprises, postings):
    leads = [e for e in enterprises.values() if e["role"] == "lead"]
    smes = [e for e in enterprises.values() if e["role"] == "sme"]
    assert len(leads) >= 20
    assert len(smes) >= 200
    assert len(postings) >= 400
    assert len(set(LEAD_SECTORS.values())) >= 6
    assert set(LEAD_SECTORS) == {e["ref"] for e in leads}
    assert len({e["industry"][:3] for e in leads}) >= 6  # distinct divisions
    assert {e["tier"] for e in smes} == set(TIERS)
    assert all(e["tier"] is None and e["size"] == "large" for e in leads)
    assert len({e["region"][:2] for e in enterprises.values()}) >= 15
    assert len({e["region"] for e in smes}) >= 40


def test_every_kind_category_and_chain(enterprises, postings):
    seen = Counter()
    for p in postings.values():
        side = enterprises[p["enterprise"]]["role"]
        assert p["category"] in POSTING_KINDS[(side, p["kind"])]
        seen[(side, p["kind"], p["category"])] += 1
        assert p["chains"] and set(p["chains"]) <= set(CHAINS)
    for (side, kind), categories in POSTING_KINDS.items():
        for category in categories:
            assert seen[(side, kind, category)] >= 1, (side, kind, category)
    assert {c for p in postings.values() for c in p["chains"]} == set(CHAINS)


def test_uscc_valid_unique_and_matching_region(enterprises):
    codes = [e["uscc"] for e in enterprises.values()]
    assert len(codes) == len(set(codes))
    for e in enterprises.values():
        assert uscc.validate(e["uscc"]) == e["uscc"]
        assert e["uscc"][2:8] == e["region"]


def test_contacts_unique(enterprises):
    emails = [e["contact_email"] for e in enterprises.values()]
    assert len(emails) == len(set(emails))
    assert all("@" in m and m.isascii() for m in emails)
    assert all(e["contact_name"] and e["contact_phone"] for e in enterprises.values())


def test_codes_exist_in_reference_data(enterprises, postings):
    for e in enterprises.values():
        assert reference.is_industry(e["industry"]), e["industry"]
        assert reference.is_region(e["region"], level="city"), e["region"]
    for p in postings.values():
        assert reference.is_region(p["region"], level="city"), p["region"]
        if "industry" in p:
            assert reference.is_industry(p["industry"])
        delivery = p.get("details", {}).get("delivery_region")
        if delivery:
            assert reference.is_region(delivery, level="city")


def test_deadlines_in_2027(postings):
    for p in postings.values():
        deadline = dt.date.fromisoformat(p["deadline"])
        assert deadline > TODAY
        assert dt.date(2027, 1, 1) <= deadline <= dt.date(2027, 12, 31)


def test_texts_and_details(enterprises, postings):
    for e in enterprises.values():
        assert 10 <= len(e["description"]) <= 400
        assert "{" not in e["description"]
    for p in postings.values():
        assert p["title"] and p["description"] and "{" not in p["title"] + p["description"]
        assert p["tags"] and all(isinstance(t, str) and t for t in p["tags"])
        details = p.get("details")
        if p["kind"] == "need" and enterprises[p["enterprise"]]["role"] == "lead":
            assert set(details) == {"specification", "quantity", "delivery_region"}
        elif p["kind"] == "challenge":
            assert set(details) == {"problem", "indicators", "budget_min", "budget_max"}
            assert 0 < details["budget_min"] <= details["budget_max"]
        elif p["kind"] == "capability":
            assert set(details) == {"capacity", "certifications", "references"}
        else:
            assert details is None
    titles = [p["title"] for p in postings.values()]
    assert len(set(titles)) >= 0.7 * len(titles)  # varied, not one template
    assert any(p["anonymous"] for p in postings.values())
    assert all(enterprises[p["enterprise"]]["role"] == "lead" for p in postings.values() if p["anonymous"])
    assert any(p.get("wants_specialized") for p in postings.values())


def test_some_postings_are_english_only(postings):
    english = [p for p in postings.values() if p["title"].isascii() and p["description"].isascii()]
    assert 2 <= len(english) <= 10


def test_fixed_demo_refs(enterprises, postings):
    lead, sme = enterprises["demo-lead"], enterprises["demo-sme"]
    assert lead["role"] == "lead" and lead["region"] == "420100" and lead["industry"].startswith("C36")
    assert lead["contact_email"] == "lead-contact@demo.cn"
    assert sme["role"] == "sme" and sme["tier"] == "little_giant"
    assert sme["contact_email"] == "sme-contact@demo.cn"
    first = DESIGNED_PAIRS[0]
    assert postings[first[0]]["enterprise"] == "demo-lead"
    assert postings[first[1]]["enterprise"] == "demo-sme"
    assert first[2] == "supply"


def test_determinism():
    assert build_world(2026) == build_world(2026)
    assert build_world() == list(iter_records())
    assert build_world(7) == build_world(7)
    assert build_world(7) != build_world(2026)


@pytest.mark.parametrize("seed", [2026, 1, 99])
def test_designed_pairs(seed):
    records = build_world(seed)
    enterprises = {r["ref"]: r for r in records if r["type"] == "enterprise"}
    postings = {r["ref"]: r for r in records if r["type"] == "posting"}
    assert len(DESIGNED_PAIRS) >= 40
    assert len(set(DESIGNED_PAIRS)) == len(DESIGNED_PAIRS)
    complementary = {("need", "capability"), ("challenge", "capability"), ("resource", "need")}
    chains = Counter()
    for lead_ref, sme_ref, chain in DESIGNED_PAIRS:
        lead_posting, sme_posting = postings[lead_ref], postings[sme_ref]
        assert enterprises[lead_posting["enterprise"]]["role"] == "lead"
        assert enterprises[sme_posting["enterprise"]]["role"] == "sme"
        assert (lead_posting["kind"], sme_posting["kind"]) in complementary
        assert chain in CHAINS
        assert chain in lead_posting["chains"] and chain in sme_posting["chains"]
        chains[chain] += 1
    assert {"innovation", "supply", "data", "capital"} <= set(chains)
    # the kinds of pairing the brief asks for
    kinds = {(postings[a]["kind"], postings[a]["category"], postings[b]["kind"], postings[b]["category"], c)
             for a, b, c in DESIGNED_PAIRS}
    assert any(k[0] == "need" and k[2] == "capability" and k[4] == "supply" for k in kinds)
    assert any(k[0] == "challenge" and k[2] == "capability" and k[4] == "innovation" for k in kinds)
    assert any(k[1] in ("test_site", "equipment") and k[3] in ("testing", "equipment") for k in kinds)
    assert ("resource", "fund", "need", "financing", "capital") in kinds
    assert ("resource", "data", "need", "digital", "data") in kinds
    assert ("need", "data", "capability", "data", "data") in kinds
    for lead_ref, sme_ref, _why in DISTRACTOR_PAIRS:
        assert postings[lead_ref]["enterprise"] in enterprises
        assert enterprises[postings[sme_ref]["enterprise"]]["role"] == "sme"
        assert (lead_ref, sme_ref) not in {(a, b) for a, b, _ in DESIGNED_PAIRS}


def test_distractors_cover_the_named_cases(postings):
    names = " ".join(why for _, _, why in DISTRACTOR_PAIRS)
    assert "test equipment" in names and "machine-tool dealer" in names and "EMC filter" in names
    # the EMC filter maker has a supply pairing instead, and the EMC lab pairs with SMEs that need testing
    emc_lab = next(a for a, _, why in DISTRACTOR_PAIRS if "EMC filter" in why)
    partners = [postings[b] for a, b, _ in DESIGNED_PAIRS if a == emc_lab]
    assert partners and all(p["kind"] == "need" and p["category"] == "testing" for p in partners)


def test_structure_does_not_depend_on_seed():
    a, b = build_world(2026), build_world(12345)
    assert [r["ref"] for r in a] == [r["ref"] for r in b]
    assert [(r.get("kind"), r.get("category")) for r in a] == [(r.get("kind"), r.get("category")) for r in b]
    assert world.DEMO_LEAD_REF == "demo-lead" and world.DEMO_SME_REF == "demo-sme"
