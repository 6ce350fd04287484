"""GB/T 2260 region reference data and its loader (no Flask, no database)."""

import pytest

from matchmaker import reference as ref


def test_provinces():
    provinces = ref.provinces()
    assert len(provinces) == 34
    codes = {p.code for p in provinces}
    assert {"110000", "120000", "310000", "500000", "710000", "810000", "820000"} <= codes
    assert ref.region("420000").name_zh == "湖北省"
    assert ref.region("610000").name_en == "Shaanxi" and ref.region("140000").name_en == "Shanxi"
    assert ref.region("810000").name_zh == "香港特别行政区"


def test_prefecture_level_units():
    cities = ref.regions("city")
    assert len(cities) == 333  # 293 地级市 + 7 地区 + 30 自治州 + 3 盟
    assert sum(c.name_zh.endswith("自治州") for c in cities) == 30
    assert sum(c.name_zh.endswith("地区") for c in cities) == 7
    assert sum(c.name_zh.endswith("盟") for c in cities) == 3
    for city in cities:
        assert city.parent == city.code[:2] + "0000"
        assert ref.region(city.parent).level == "province"
        assert city.name_en and city.code.endswith("00")


@pytest.mark.parametrize("code, zh, en", [
    ("420100", "武汉市", "Wuhan"),
    ("440300", "深圳市", "Shenzhen"),
    ("430100", "长沙市", "Changsha"),
    ("420600", "襄阳市", "Xiangyang"),
    ("150200", "包头市", "Baotou"),
    ("350900", "宁德市", "Ningde"),
    ("650100", "乌鲁木齐市", "Ürümqi"),
    ("422800", "恩施土家族苗族自治州", "Enshi Tujia and Miao Autonomous Prefecture"),
    ("152500", "锡林郭勒盟", "Xilingol League"),
    ("542500", "阿里地区", "Ngari Prefecture"),
    ("460400", "儋州市", "Danzhou"),
])
def test_known_cities(code, zh, en):
    item = ref.region(code)
    assert (item.name_zh, item.name_en, item.level) == (zh, en, "city")


def test_municipalities_are_their_own_city_level_choice():
    for code in ("110000", "120000", "310000", "500000"):
        assert ref.cities(code) == [ref.region(code)]
        assert ref.is_region(code, level="city")
        assert ref.is_city_level(code)
    assert not ref.is_region("420000", level="city")
    assert ref.is_region("420000", level="province")


def test_cities_of_a_province_and_paths():
    hubei = ref.cities("420000")
    assert [c.code for c in hubei][:3] == ["420100", "420200", "420300"]
    assert len(hubei) == 13
    assert [r.code for r in ref.region_path("420100")] == ["420000", "420100"]
    assert ref.region_label("420100") == "湖北省 武汉市"
    assert ref.region_label("420100", "en") == "Wuhan, Hubei"
    assert ref.region_label("310000", "en") == "Shanghai"
    assert ref.cities("999999") == [] and ref.cities("420100") == []


def test_lookup_helpers():
    assert ref.region(420100).code == "420100"
    assert ref.region("4201") is None and ref.region(None) is None
    assert not ref.is_region("420102")  # county level is not in the table
    assert ref.province_of("420102").code == "420000"
    assert ref.city_of("420102").code == "420100"
    assert ref.city_of("110105").code == "110000"
    assert ref.city_of("999999") is None
    choices = ref.region_choices("city")
    assert ("110000", "北京市") in choices and ("420100", "武汉市") in choices
    assert ref.region_choices("city", province="420000", lang="en")[0] == ("420100", "Wuhan")
