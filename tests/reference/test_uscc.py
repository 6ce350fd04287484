"""USCC (GB 32100-2015) validation, including property-based tests."""

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from matchmaker import uscc
from matchmaker.uscc import ALPHABET, CATEGORIES, InvalidUSCC

authority_category = st.sampled_from(sorted((a, c) for a, cats in CATEGORIES.items() for c in cats))
region_code = st.text(alphabet=string.digits, min_size=6, max_size=6)
org_code = st.text(alphabet=ALPHABET, min_size=9, max_size=9)


@st.composite
def valid_codes(draw):
    authority, category = draw(authority_category)
    return uscc.make_uscc(authority, category, draw(region_code), draw(org_code))


def error_code(raw):
    with pytest.raises(InvalidUSCC) as info:
        uscc.validate(raw)
    return info.value.code


@pytest.mark.parametrize("code", [
    "91110000600037341L",  # python-stdnum's documented example
    "91420100MA4KXY128J",
    "N2420100MA4K123453",
])
def test_known_valid_codes(code):
    assert uscc.validate(code) == code
    assert uscc.is_valid(code)


def test_error_codes_are_distinct_and_stable():
    assert uscc.ERROR_CODES == ("uscc_length", "uscc_charset", "uscc_authority", "uscc_category",
                                "uscc_region", "uscc_checksum")
    assert error_code("9111000060003734") == "uscc_length"
    assert error_code("") == "uscc_length"
    assert error_code(None) == "uscc_length"
    assert error_code("91110000600O37341L") == "uscc_charset"  # letter O
    assert error_code("Z1110000600037341L") == "uscc_charset"
    assert error_code("B1110000600037341L") == "uscc_authority"
    assert error_code("0111000060003734 1L") == "uscc_authority"
    assert error_code("94110000600037341L") == "uscc_category"
    assert error_code("A2110000600037341L") == "uscc_category"
    assert error_code("Y9110000600037341L") == "uscc_category"
    assert error_code("9111A000600037341L") == "uscc_region"
    assert error_code("91110000600037341M") == "uscc_checksum"
    for code in uscc.ERROR_CODES:
        assert uscc.message(code, "zh") and uscc.message(code, "en")


def test_leading_letters_a_n_y_are_accepted():
    for authority, category in (("A", "1"), ("A", "9"), ("N", "1"), ("N", "3"), ("N", "9"), ("Y", "1")):
        code = uscc.make_uscc(authority, category, "110000", "600037341")
        assert uscc.validate(code) == code
        assert not stdnum_uscc.is_valid(code)  # python-stdnum alone would reject it


def test_normalisation():
    assert uscc.normalize(" 9111-0000 6000 3734 1l ") == "91110000600037341L"
    assert uscc.validate("91110000600037341l") == "91110000600037341L"
    assert uscc.validate("9111\u30000000-600037341L") == "91110000600037341L"


def test_make_uscc():
    code = uscc.make_uscc(org_code9="600037341", region="110000")
    assert code == "91110000600037341L"
    assert uscc.make_uscc("9", "1", "110000", "600037341") == code
    with pytest.raises(TypeError):
        uscc.make_uscc()
    with pytest.raises(InvalidUSCC):
        uscc.make_uscc("9", "1", "1100", "600037341")
    with pytest.raises(InvalidUSCC):
        uscc.make_uscc("9", "5", "110000", "600037341")
    assert uscc.describe(code)["category_zh"] == "企业"


def test_org_code_check_char():
    # GB 11714 example-style check: weights 3,7,9,10,5,8,4,2 modulo 11
    assert uscc.org_code_check_char("60003734") == "1"
    assert uscc.make_org_code("ma4kxy12") == "MA4KXY128"


def test_weights_detect_every_single_substitution():
    # the check character reuses python-stdnum; its weights are 3**i mod 31, all non-zero modulo the
    # prime 31, so changing one character by any non-zero amount changes the weighted sum mod 31
    weights = [pow(3, i, 31) for i in range(17)]
    assert all(w % 31 for w in weights)
    probe = "0" * 17
    for i, w in enumerate(weights):
        changed = probe[:i] + "1" + probe[i + 1:]
        base, moved = ALPHABET.index(uscc.check_char(probe)), ALPHABET.index(uscc.check_char(changed))
        assert (base - moved) % 31 == w % 31


@given(valid_codes())
@settings(max_examples=300)
def test_generated_codes_validate(code):
    assert uscc.validate(code) == code
    assert uscc.validate(code.lower()) == code
    assert uscc.validate(f"  {code[:8]} {code[8:]}  ") == code


@given(valid_codes(), st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=30))
@settings(max_examples=500)
def test_any_single_substitution_is_rejected(code, position, shift):
    replacement = ALPHABET[(ALPHABET.index(code[position]) + shift) % 31]
    changed = code[:position] + replacement + code[position + 1:]
    assert changed != code
    assert not uscc.is_valid(changed)
    if position < 17:
        # even ignoring the structural checks, the check character catches it
        assert uscc.check_char(changed[:17]) != changed[17]


def test_exhaustive_substitutions_for_known_code():
    code = "91110000600037341L"
    for position in range(18):
        for replacement in ALPHABET:
            if replacement != code[position]:
                assert not uscc.is_valid(code[:position] + replacement + code[position + 1:])
