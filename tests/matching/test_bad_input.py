"""Bad input never crashes: empty, one-word, English-only, huge, duplicate, unknown postings."""

from dataclasses import replace

from matchmaker.matching import MatchIndex, explain_no_suggestions, match_all, suggest_for


def test_empty_world():
    assert match_all([]) == []
    index = MatchIndex([])
    assert len(index) == 0


def test_empty_and_one_word_postings(make, now):
    empty = make("lead", "need", "component", "", "")
    one_word = make("lead", "need", "component", "采购")
    sme = make("sme", "capability", "product", "液压油缸", "生产液压油缸")
    index = MatchIndex([empty, one_word, sme], now=now)
    assert suggest_for(empty, index) == []
    assert suggest_for(one_word, index) == []
    assert match_all([empty, one_word, sme], now=now) == []
    assert explain_no_suggestions(empty, index).code == "no_text"


def test_english_only_posting_matches_chinese_counterpart(make, now):
    lead = make("lead", "need", "component", "Hydraulic cylinders", "We need hydraulic cylinders for excavators")
    sme = make("sme", "capability", "product", "液压油缸", "生产挖掘机液压油缸")
    got = match_all([lead, sme], now=now)
    assert [(s.lead_posting_id, s.sme_posting_id) for s in got] == [(lead.id, sme.id)]


def test_english_only_on_both_sides(make, now):
    lead = make("lead", "resource", "fund", "Supply chain finance", "Reverse factoring for suppliers")
    sme = make("sme", "need", "financing", "Factoring", "We need receivables financing")
    assert match_all([lead, sme], now=now)[0].chain == "capital"


def test_huge_description_is_capped_and_still_matches(make, now):
    lead = make("lead", "need", "component", "液冷板采购", "采购液冷板。" + "无关的文字。" * 200_000)
    sme = make("sme", "capability", "product", "液冷板", "生产液冷板")
    got = match_all([lead, sme], now=now)
    assert got and got[0].sme_posting_id == sme.id


def test_duplicate_ids_keep_the_last_version(make, now):
    first = make("sme", "capability", "product", "轮胎", "生产轮胎", id=7)
    second = replace(first, title="液压油缸", description="生产液压油缸")
    lead = make("lead", "need", "component", "液压油缸采购", "采购液压油缸")
    got = match_all([lead, first, second], now=now)
    assert [s.sme_posting_id for s in got] == [7]
    assert len(MatchIndex([lead, first, second], now=now)) == 2


def test_identical_postings_of_one_sme_give_one_suggestion_per_lead(make, now):
    a = make("sme", "capability", "product", "液压油缸", "生产液压油缸", enterprise_id=5)
    b = make("sme", "capability", "product", "液压油缸", "生产液压油缸", enterprise_id=5)
    lead = make("lead", "need", "component", "液压油缸采购", "采购液压油缸")
    assert len(match_all([lead, a, b], now=now)) == 1
    assert len(suggest_for(lead, MatchIndex([lead, a, b], now=now))) == 1


def test_unknown_kind_or_category_is_ignored(make, now):
    odd = make("lead", "resource", "spaceship", "液压油缸", "液压油缸")
    wrong_side = make("sme", "resource", "fund", "融资", "应收账款融资")
    sme = make("sme", "capability", "product", "液压油缸", "生产液压油缸")
    index = MatchIndex([odd, wrong_side, sme], now=now)
    assert suggest_for(odd, index) == []
    assert match_all([odd, wrong_side, sme], now=now) == []
    assert explain_no_suggestions(odd, index).code == "no_category"
    assert odd.id in index and index.remove(odd.id) and odd.id not in index


def test_enterprise_without_postings_and_unknown_held_entries(make, now):
    lead = make("lead", "need", "component", "液压油缸采购", "采购液压油缸")
    sme = make("sme", "capability", "product", "液压油缸", "生产液压油缸")
    got = match_all([lead, sme], held={999_999: 50}, excluded_pairs={(12345, 67890)}, now=now)
    assert len(got) == 1
    index = MatchIndex([lead, sme], now=now)
    assert index.posting_ids(424242) == frozenset()


def test_naive_and_missing_dates(make, now):
    from datetime import datetime
    lead = make("lead", "need", "component", "液压油缸采购", "采购液压油缸", published_at=None)
    sme = make("sme", "capability", "product", "液压油缸", "生产液压油缸", published_at=datetime(2030, 1, 1))
    assert len(match_all([lead, sme], now=now)) == 1


def test_explain_no_suggestions_names_the_missing_concept(make, now):
    lead = make("lead", "need", "component", "液压件采购", "采购液压件")
    sme = make("sme", "capability", "product", "轮胎", "生产轮胎")
    reason = explain_no_suggestions(lead, MatchIndex([lead, sme], now=now))
    assert reason.code == "no_concept_match"
    assert "液压件" in reason.zh and "hydraulic components" in reason.en


def test_explain_no_suggestions_other_codes(make, now):
    lead = make("lead", "need", "component", "液压油缸采购", "采购液压油缸")
    assert explain_no_suggestions(lead, MatchIndex([lead], now=now)).code == "no_counterparts"
    sme = make("sme", "capability", "product", "液压油缸", "生产液压油缸")
    index = MatchIndex([lead, sme], now=now)
    assert explain_no_suggestions(lead, index).code == "has_suggestions"
    assert explain_no_suggestions(lead, index, excluded_pairs={(lead.id, sme.id)}).code == "all_taken"
    assert explain_no_suggestions(lead, index, held={sme.enterprise_id: 20}).code == "all_taken"
    gibberish = make("lead", "need", "component", "xyzzy plugh", "xyzzy plugh")
    assert explain_no_suggestions(gibberish, index).code == "no_keyword_match"
    sme_side = make("sme", "need", "financing", "需要贷款", "需要贷款")
    reason = explain_no_suggestions(sme_side, MatchIndex([sme_side], now=now))
    assert reason.code == "no_counterparts" and reason.zh and reason.en
