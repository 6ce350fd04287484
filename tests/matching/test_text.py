"""Tokenisation of Chinese without spaces and English, concept spotting, query expansion."""

from matchmaker.matching import expand_query, tokenize
from matchmaker.matching.text import MAX_TOKENS, char_bigrams, spot_concepts


def test_field_terms_stay_whole():
    tokens = tokenize("寻求动力电池包液冷板供应商，要求数控加工能力")
    assert "液冷板" in tokens
    assert "数控加工" in tokens
    assert "，" not in tokens


def test_english_is_lower_cased_and_multiword_terms_are_spotted():
    concepts, _ = spot_concepts(tokenize("We need CNC machining of hydraulic cylinders and EMC testing"))
    assert {"数控加工", "液压油缸", "emc测试"} <= set(concepts)


def test_mixed_chinese_english_term():
    concepts, _ = spot_concepts(tokenize("承接CNC加工和SMT贴片"))
    assert {"数控加工", "smt贴片"} <= set(concepts)


def test_synonyms_map_to_one_concept():
    for text in ("机加工外协", "CNC加工外协", "精密机械加工", "precision machining"):
        concepts, _ = spot_concepts(tokenize(text))
        assert "数控加工" in concepts, text


def test_full_width_and_case_are_normalised():
    assert tokenize("ＥＭＣ测试") == tokenize("emc测试")


def test_empty_and_whitespace_text():
    assert tokenize("") == ()
    assert tokenize(None) == ()
    assert tokenize("   \n ") == ()


def test_huge_text_is_capped():
    tokens = tokenize("液冷板供应商" * 50000)
    assert 0 < len(tokens) <= MAX_TOKENS


def test_stop_words_are_not_left_as_words():
    _, rest = spot_concepts(tokenize("我们需要寻找相关合作伙伴"))
    assert "我们" not in rest and "需要" not in rest


def test_char_bigrams_cover_chinese_runs_and_keep_english_words():
    grams = char_bigrams(("液冷板", "emc", "测试"))
    assert "液冷" in grams and "冷板" in grams and "emc" in grams and "测试" in grams


def test_expand_query_machining_synonyms():
    terms = expand_query("数控加工")
    assert {"cnc加工", "机加工", "cnc machining"} <= terms


def test_expand_query_testing_and_financing():
    assert {"测试", "试验", "检测"} <= expand_query("检测")
    assert {"贷款", "授信"} <= expand_query("融资")


def test_expand_query_keeps_unknown_words():
    assert "钎焊" in expand_query("钎焊")
    assert expand_query("") == set()
