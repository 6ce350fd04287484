"""Reference data shipped with the package: industries and administrative regions.

* ``industries.json`` — GB/T 4754-2017 国民经济行业分类: all 20 sections (门类 A–T), all 97
  divisions (大类), every group (中类) and class (小类) of sections C, I and M, and selected
  classes of other sections.  Codes are strings of a section letter followed by the digits of
  the standard: ``"C"``, ``"C36"``, ``"C367"``, ``"C3670"``.
* ``regions.json`` — GB/T 2260 行政区划代码: the 34 province-level units (31 mainland units plus
  Taiwan 710000, Hong Kong 810000 and Macao 820000) and every mainland prefecture-level unit
  (地级市, 地区, 自治州, 盟).  Municipalities and the three units without prefectures in this
  table are accepted as their own city-level choice.

Everything is loaded once, lazily, and cached.  Pure Python: no web framework, no database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

__all__ = [
    "INDUSTRY_LEVELS",
    "REGION_LEVELS",
    "MUNICIPALITIES",
    "Industry",
    "Region",
    "normalize_industry_code",
    "industry",
    "industries",
    "industry_children",
    "industry_choices",
    "industry_path",
    "industry_label",
    "is_industry",
    "region",
    "regions",
    "provinces",
    "cities",
    "region_choices",
    "region_path",
    "region_label",
    "province_of",
    "city_of",
    "is_region",
    "is_city_level",
]

Lang = Literal["zh", "en"]

INDUSTRY_LEVELS: tuple[str, ...] = ("section", "division", "group", "class")
REGION_LEVELS: tuple[str, ...] = ("province", "city")
#: 直辖市: accepted directly wherever a city-level region is expected.
MUNICIPALITIES: frozenset[str] = frozenset({"110000", "120000", "310000", "500000"})
#: Province-level units with no prefecture-level entries in this table (Taiwan, Hong Kong, Macao).
_UNDIVIDED: frozenset[str] = frozenset({"710000", "810000", "820000"})


def _check_lang(lang: str) -> str:
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    return lang


@dataclass(frozen=True, slots=True)
class Industry:
    """One entry of GB/T 4754-2017."""

    code: str
    name_zh: str
    name_en: str
    level: str  # "section" | "division" | "group" | "class"
    parent: str | None

    def name(self, lang: Lang = "zh") -> str:
        return self.name_en if _check_lang(lang) == "en" else self.name_zh

    def label(self, lang: Lang = "zh") -> str:
        """``"C3670 汽车零部件及配件制造"`` (code and name)."""
        return f"{self.code} {self.name(lang)}"


@dataclass(frozen=True, slots=True)
class Region:
    """One entry of GB/T 2260 (province or prefecture level)."""

    code: str
    name_zh: str
    name_en: str
    level: str  # "province" | "city"
    parent: str | None

    def name(self, lang: Lang = "zh") -> str:
        return self.name_en if _check_lang(lang) == "en" else self.name_zh

    @property
    def is_municipality(self) -> bool:
        return self.code in MUNICIPALITIES


# --------------------------------------------------------------------------- loading


def _load_json(name: str) -> dict:
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _industry_index() -> dict[str, Industry]:
    data = _load_json("industries.json")
    return {item["code"]: Industry(**item) for item in data["items"]}


@lru_cache(maxsize=1)
def _industry_children_index() -> dict[str | None, tuple[Industry, ...]]:
    children: dict[str | None, list[Industry]] = {}
    for item in _industry_index().values():
        children.setdefault(item.parent, []).append(item)
    return {key: tuple(value) for key, value in children.items()}


@lru_cache(maxsize=1)
def _region_index() -> dict[str, Region]:
    data = _load_json("regions.json")
    return {item["code"]: Region(**item) for item in data["items"]}


@lru_cache(maxsize=1)
def _region_children_index() -> dict[str | None, tuple[Region, ...]]:
    children: dict[str | None, list[Region]] = {}
    for item in _region_index().values():
        children.setdefault(item.parent, []).append(item)
    return {key: tuple(value) for key, value in children.items()}


# --------------------------------------------------------------------------- industries

_SECTION_RANGES: tuple[tuple[str, int, int], ...] = (
    ("A", 1, 5), ("B", 6, 12), ("C", 13, 43), ("D", 44, 46), ("E", 47, 50),
    ("F", 51, 52), ("G", 53, 60), ("H", 61, 62), ("I", 63, 65), ("J", 66, 69),
    ("K", 70, 70), ("L", 71, 72), ("M", 73, 75), ("N", 76, 79), ("O", 80, 82),
    ("P", 83, 83), ("Q", 84, 85), ("R", 86, 90), ("S", 91, 96), ("T", 97, 97),
)


def normalize_industry_code(code: object) -> str | None:
    """Canonical form of an industry code, or None if it cannot be one.

    Accepts ``"c3670"``, ``" C3670 "`` and the bare digits ``"3670"`` (the section letter is
    implied by the division).  Does not check that the code exists: see :func:`is_industry`.
    """
    if not isinstance(code, str):
        return None
    text = code.strip().upper()
    if not text:
        return None
    if text.isdigit():
        if len(text) not in (2, 3, 4):
            return None
        division = int(text[:2])
        for letter, low, high in _SECTION_RANGES:
            if low <= division <= high:
                return letter + text
        return None
    letter, digits = text[0], text[1:]
    if not ("A" <= letter <= "T") or (digits and not digits.isdigit()) or len(digits) not in (0, 2, 3, 4):
        return None
    return text


def industry(code: object) -> Industry | None:
    """The industry with this code (see :func:`normalize_industry_code`), or None."""
    key = normalize_industry_code(code)
    return _industry_index().get(key) if key else None


def is_industry(code: object, level: str | None = None) -> bool:
    """True if the code exists (optionally: at exactly this level)."""
    item = industry(code)
    if item is None:
        return False
    if level is not None:
        if level not in INDUSTRY_LEVELS:
            raise ValueError(f"unknown industry level {level!r}")
        return item.level == level
    return True


def industries(level: str | None = None) -> tuple[Industry, ...]:
    """All industries in code order, optionally only one level."""
    if level is not None and level not in INDUSTRY_LEVELS:
        raise ValueError(f"unknown industry level {level!r}")
    items = tuple(_industry_index().values())
    return items if level is None else tuple(i for i in items if i.level == level)


def industry_children(code: str | None) -> tuple[Industry, ...]:
    """Direct children of an industry code; ``None`` gives the 20 sections."""
    key = None if code is None else normalize_industry_code(code)
    return _industry_children_index().get(key, ())


def industry_path(code: object) -> list[Industry]:
    """Section → division → group → class down to the given code; [] if unknown."""
    item = industry(code)
    path: list[Industry] = []
    while item is not None:
        path.append(item)
        item = _industry_index().get(item.parent) if item.parent else None
    path.reverse()
    return path


def industry_label(code: object, lang: Lang = "zh", *, with_code: bool = True) -> str:
    """Display label, e.g. ``"C3670 汽车零部件及配件制造"``; the raw input if unknown."""
    item = industry(code)
    if item is None:
        return "" if code is None else str(code)
    return item.label(lang) if with_code else item.name(lang)


def industry_choices(
    level: str | None = None,
    parent: str | None = None,
    lang: Lang = "zh",
    *,
    with_code: bool = True,
) -> list[tuple[str, str]]:
    """``(code, label)`` pairs for select boxes.

    ``level`` restricts to one level; ``parent`` restricts to the descendants of one code
    (e.g. ``industry_choices("class", parent="C36")``).
    """
    _check_lang(lang)
    items = industries(level)
    if parent is not None:
        root = normalize_industry_code(parent)
        items = tuple(i for i in items if i.code != root and i.code.startswith(root or "\0"))
    return [(i.code, i.label(lang) if with_code else i.name(lang)) for i in items]


# --------------------------------------------------------------------------- regions


def _normalize_region_code(code: object) -> str | None:
    if isinstance(code, int) and not isinstance(code, bool):
        code = str(code)
    if not isinstance(code, str):
        return None
    text = code.strip()
    return text if len(text) == 6 and text.isdigit() else None


def region(code: object) -> Region | None:
    """The province or prefecture-level region with this 6-digit code, or None."""
    key = _normalize_region_code(code)
    return _region_index().get(key) if key else None


def regions(level: str | None = None) -> tuple[Region, ...]:
    if level is not None and level not in REGION_LEVELS:
        raise ValueError(f"unknown region level {level!r}")
    items = tuple(_region_index().values())
    return items if level is None else tuple(r for r in items if r.level == level)


def provinces() -> list[Region]:
    """The 34 province-level units in code order."""
    return list(regions("province"))


def is_city_level(code: object) -> bool:
    """True for prefecture-level units, municipalities and undivided units (HK, MO, TW)."""
    item = region(code)
    if item is None:
        return False
    return item.level == "city" or item.code in MUNICIPALITIES or item.code in _UNDIVIDED


def cities(province_code: object) -> list[Region]:
    """City-level choices of a province.

    A municipality (or Hong Kong, Macao, Taiwan) gives itself as its only choice; an unknown
    code gives [].
    """
    item = region(province_code)
    if item is None or item.level != "province":
        return []
    if item.code in MUNICIPALITIES or item.code in _UNDIVIDED:
        return [item]
    return list(_region_children_index().get(item.code, ()))


def is_region(code: object, level: str | None = None) -> bool:
    """True if the code exists; ``level="city"`` also accepts municipalities (see
    :func:`is_city_level`)."""
    if level is None:
        return region(code) is not None
    if level == "city":
        return is_city_level(code)
    if level == "province":
        item = region(code)
        return item is not None and item.level == "province"
    raise ValueError(f"unknown region level {level!r}")


def region_path(code: object) -> list[Region]:
    """[province] or [province, city]; [] if unknown."""
    item = region(code)
    path: list[Region] = []
    while item is not None:
        path.append(item)
        item = _region_index().get(item.parent) if item.parent else None
    path.reverse()
    return path


def region_label(code: object, lang: Lang = "zh") -> str:
    """``"湖北省 武汉市"`` / ``"Wuhan, Hubei"``; ``"北京市"`` / ``"Beijing"``; raw input if unknown."""
    path = region_path(code)
    if not path:
        return "" if code is None else str(code)
    if _check_lang(lang) == "en":
        return ", ".join(r.name_en for r in reversed(path))
    return " ".join(r.name_zh for r in path)


def province_of(code: object) -> Region | None:
    """Province of any 6-digit division code, including county-level codes such as 420102."""
    key = _normalize_region_code(code)
    return region(key[:2] + "0000") if key else None


def city_of(code: object) -> Region | None:
    """City-level unit of any 6-digit division code (420102 → 武汉市, 110105 → 北京市)."""
    key = _normalize_region_code(code)
    if key is None:
        return None
    province = province_of(key)
    if province is None:
        return None
    if province.code in MUNICIPALITIES or province.code in _UNDIVIDED:
        return province
    return region(key[:4] + "00")


def region_choices(
    level: str = "province",
    province: str | None = None,
    lang: Lang = "zh",
) -> list[tuple[str, str]]:
    """``(code, name)`` pairs: provinces, or the city-level choices of one province (or of all
    provinces, municipalities included, when ``province`` is None)."""
    _check_lang(lang)
    if level == "province":
        return [(r.code, r.name(lang)) for r in provinces()]
    if level != "city":
        raise ValueError(f"unknown region level {level!r}")
    if province is not None:
        return [(r.code, r.name(lang)) for r in cities(province)]
    out: list[tuple[str, str]] = []
    for prov in provinces():
        out.extend((r.code, r.name(lang)) for r in cities(prov.code))
    return out
