"""GB/T 4754-2017 industry reference data and its loader (no Flask, no database)."""

import json
from importlib import resources

import pytest

from matchmaker import reference as ref

SECTION_DIVISIONS = {
    "A": range(1, 6), "B": range(6, 13), "C": range(13, 44), "D": range(44, 47), "E": range(47, 51),
    "F": range(51, 53), "G": range(53, 61), "H": range(61, 63), "I": range(63, 66), "J": range(66, 70),
    "K": range(70, 71), "L": range(71, 73), "M": range(73, 76), "N": range(76, 80), "O": range(80, 83),
    "P": range(83, 84), "Q": range(84, 86), "R": range(86, 91), "S": range(91, 97), "T": range(97, 98),
}


def test_all_sections_and_divisions():
    sections = ref.industries("section")
    assert [s.code for s in sections] == list("ABCDEFGHIJKLMNOPQRST")
    divisions = ref.industries("division")
    assert len(divisions) == 97
    assert sorted(int(d.code[1:]) for d in divisions) == list(range(1, 98))
    for letter, numbers in SECTION_DIVISIONS.items():
        assert [d.code for d in ref.industry_children(letter)] == [f"{letter}{n:02d}" for n in numbers]


def test_manufacturing_information_and_research_are_complete():
    # GB/T 4754-2017 has 31 divisions, 179 groups and 609 classes in section C
    def count(section, level):
        return sum(1 for i in ref.industries(level) if i.code.startswith(section))
    assert (count("C", "division"), count("C", "group"), count("C", "class")) == (31, 179, 609)
    assert (count("I", "group"), count("I", "class")) == (17, 34)
    assert (count("M", "group"), count("M", "class")) == (19, 48)


@pytest.mark.parametrize("code, name", [
    ("C", "制造业"),
    ("C36", "汽车制造业"),
    ("C367", "汽车零部件及配件制造"),
    ("C3670", "汽车零部件及配件制造"),
    ("C3612", "新能源车整车制造"),
    ("C3982", "电子电路制造"),
    ("C2927", "日用塑料制品制造"),
    ("C3562", "半导体器件专用设备制造"),
    ("C3841", "锂离子电池制造"),
    ("I6520", "集成电路设计"),
    ("I6531", "信息系统集成服务"),
    ("M7452", "检测服务"),
    ("D4420", "电力供应"),
    ("T97", "国际组织"),
    ("S91", "中国共产党机关"),
])
def test_known_codes(code, name):
    item = ref.industry(code)
    assert item is not None and item.name_zh == name
    assert item.name_en
    assert ref.is_industry(code)


def test_every_item_has_names_and_a_valid_parent():
    for item in ref.industries():
        assert item.name_zh.strip() == item.name_zh and item.name_zh
        assert item.name_en.strip() == item.name_en and item.name_en.isascii()
        if item.level == "section":
            assert item.parent is None and len(item.code) == 1
        else:
            parent = ref.industry(item.parent)
            assert parent is not None
            assert item.code.startswith(parent.code if parent.level != "section" else item.code[0])
            assert ref.INDUSTRY_LEVELS.index(parent.level) == ref.INDUSTRY_LEVELS.index(item.level) - 1


def test_path_and_levels():
    path = ref.industry_path("C3670")
    assert [i.code for i in path] == ["C", "C36", "C367", "C3670"]
    assert [i.level for i in path] == ["section", "division", "group", "class"]
    assert ref.industry_path("Z99") == []
    assert ref.is_industry("C367", level="group") and not ref.is_industry("C367", level="class")


def test_normalization():
    assert ref.industry("c3670").code == "C3670"
    assert ref.industry(" 3670 ").code == "C3670"
    assert ref.industry("6520").code == "I6520"
    for bad in (None, "", "C36701", "X36", "36A", 3670, "C-36"):
        assert ref.industry(bad) is None
        assert not ref.is_industry(bad)


def test_choices_and_labels():
    choices = ref.industry_choices("class", parent="C36")
    assert ("C3670", "C3670 汽车零部件及配件制造") in choices
    assert all(code.startswith("C36") for code, _ in choices)
    sections_en = ref.industry_choices("section", lang="en", with_code=False)
    assert ("C", "Manufacturing") in sections_en
    assert ref.industry_label("C3670", "en") == "C3670 Automotive parts and accessories"
    assert ref.industry("C3670").name("en") == "Automotive parts and accessories"
    with pytest.raises(ValueError):
        ref.industry_choices("class", lang="fr")
    with pytest.raises(ValueError):
        ref.industries("subclass")


def test_loaded_once_and_cached():
    assert ref.industry("C36") is ref.industry("C36")
    data = json.loads(resources.files("matchmaker.reference").joinpath("industries.json").read_text("utf-8"))
    assert data["standard"] == "GB/T 4754-2017"
    assert len(data["items"]) == len(ref.industries())
