"""统一社会信用代码 (Unified Social Credit Code, GB 32100-2015) validation.

Layout of the 18 characters::

    position 1      registration authority code   (登记管理部门代码: 1–9, A, N, Y)
    position 2      organisation category code    (机构类别代码, valid set depends on position 1)
    positions 3–8   administrative division code  (登记管理机关行政区划码, 6 digits)
    positions 9–17  organisation code             (主体标识码, alphabet below)
    position 18     check character               (校验码)

The alphabet is ``0123456789ABCDEFGHJKLMNPQRTUWXY`` (no I, O, S, V, Z).  The check character
is computed by :func:`stdnum.cn.uscc.calc_check_digit`; python-stdnum's own ``validate`` is not
used because it rejects the legal authority codes A, N and Y.

Because the weights 3**i mod 31 are all non-zero modulo the prime 31, the check character
detects every single-character substitution.
"""

from __future__ import annotations

from stdnum.cn.uscc import calc_check_digit as _stdnum_check_digit

__all__ = [
    "ALPHABET",
    "CATEGORIES",
    "ERROR_CODES",
    "MESSAGES",
    "InvalidUSCC",
    "normalize",
    "validate",
    "is_valid",
    "check_char",
    "make_uscc",
    "org_code_check_char",
    "make_org_code",
    "describe",
    "message",
]

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

#: 登记管理部门代码 → {机构类别代码: 说明} (GB 32100-2015, 附录A).
CATEGORIES: dict[str, dict[str, str]] = {
    "1": {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},
    "2": {"1": "外国常驻新闻机构", "9": "其他"},
    "3": {"1": "律师执业机构", "2": "公证处", "3": "基层法律服务所", "4": "司法鉴定机构",
          "5": "仲裁委员会", "9": "其他"},
    "4": {"1": "外国在华文化中心", "9": "其他"},
    "5": {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"},
    "6": {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他"},
    "7": {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"},
    "8": {"1": "基层工会", "9": "其他"},
    "9": {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"},
    "A": {"1": "军队事业单位", "9": "其他"},
    "N": {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"},
    "Y": {"1": "其他"},
}

AUTHORITIES: dict[str, str] = {
    "1": "机构编制", "2": "外交", "3": "司法行政", "4": "文化", "5": "民政", "6": "旅游",
    "7": "宗教", "8": "工会", "9": "工商（市场监管）", "A": "中央军委改革和编制办公室",
    "N": "农业", "Y": "其他",
}

# Stable error codes (used by the web layer for messages and by the import report).
E_LENGTH = "uscc_length"
E_CHARSET = "uscc_charset"
E_AUTHORITY = "uscc_authority"
E_CATEGORY = "uscc_category"
E_REGION = "uscc_region"
E_CHECKSUM = "uscc_checksum"
ERROR_CODES: tuple[str, ...] = (E_LENGTH, E_CHARSET, E_AUTHORITY, E_CATEGORY, E_REGION, E_CHECKSUM)

MESSAGES: dict[str, dict[str, str]] = {
    E_LENGTH: {"zh": "统一社会信用代码应为18位。",
               "en": "A unified social credit code has 18 characters."},
    E_CHARSET: {"zh": "统一社会信用代码只能包含数字和大写字母（不含 I、O、S、V、Z）。",
                "en": "Only digits and the letters A–Y except I, O, S, V and Z are allowed."},
    E_AUTHORITY: {"zh": "第1位登记管理部门代码无效（应为1–9、A、N或Y）。",
                  "en": "The first character (registration authority) must be 1–9, A, N or Y."},
    E_CATEGORY: {"zh": "第2位机构类别代码与登记管理部门不符。",
                 "en": "The second character (organisation category) is not valid for this authority."},
    E_REGION: {"zh": "第3–8位行政区划码应为6位数字。",
               "en": "Characters 3–8 must be a 6-digit administrative division code."},
    E_CHECKSUM: {"zh": "校验码不正确，请核对是否有输错的字符。",
                 "en": "The check character does not match; please look for a mistyped character."},
}


class InvalidUSCC(ValueError):
    """Raised by :func:`validate`; ``code`` is one of :data:`ERROR_CODES`."""

    def __init__(self, code: str, detail: str | None = None):
        self.code = code
        self.detail = detail
        text = MESSAGES.get(code, {}).get("en", code)
        super().__init__(f"{code}: {text}" + (f" ({detail})" if detail else ""))


def message(code: str, lang: str = "zh") -> str:
    """Human-readable message for an error code."""
    return MESSAGES[code]["en" if lang == "en" else "zh"]


def normalize(raw: object) -> str:
    """Strip whitespace (including full-width spaces) and hyphens, upper-case."""
    if raw is None:
        return ""
    text = str(raw)
    for ch in (" ", "\t", "\n", "\r", "\u3000", "\u00a0", "-", "\u2010", "\u2011", "\u2012",
               "\u2013", "\u2014", "\uff0d"):
        text = text.replace(ch, "")
    return text.upper()


def check_char(first17: str) -> str:
    """Check character for the first 17 characters (already valid alphabet characters)."""
    return _stdnum_check_digit(first17)


def validate(raw: object) -> str:
    """Return the normalised code or raise :class:`InvalidUSCC`.

    Checks, in this order: length, alphabet, authority, category, division code, check
    character.
    """
    code = normalize(raw)
    if len(code) != 18:
        raise InvalidUSCC(E_LENGTH, f"{len(code)} characters")
    bad = [c for c in code if c not in ALPHABET]
    if bad:
        raise InvalidUSCC(E_CHARSET, "".join(dict.fromkeys(bad)))
    authority, category = code[0], code[1]
    if authority not in CATEGORIES:
        raise InvalidUSCC(E_AUTHORITY, authority)
    if category not in CATEGORIES[authority]:
        raise InvalidUSCC(E_CATEGORY, authority + category)
    if not code[2:8].isdigit():
        raise InvalidUSCC(E_REGION, code[2:8])
    expected = check_char(code[:17])
    if code[17] != expected:
        raise InvalidUSCC(E_CHECKSUM)
    return code


def is_valid(raw: object) -> bool:
    try:
        validate(raw)
    except InvalidUSCC:
        return False
    return True


def describe(raw: object) -> dict[str, str]:
    """Parts of a valid code: authority, category (with Chinese descriptions), region, org code."""
    code = validate(raw)
    return {
        "code": code,
        "authority": code[0],
        "authority_zh": AUTHORITIES[code[0]],
        "category": code[1],
        "category_zh": CATEGORIES[code[0]][code[1]],
        "region": code[2:8],
        "org_code": code[8:17],
        "check": code[17],
    }


# GB 11714 organisation code check character (used only to make realistic demo codes; the
# USCC standard does not require validators to check it).
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_code_check_char(body8: str) -> str:
    """GB 11714 check character for an 8-character organisation-code body."""
    body8 = body8.upper()
    if len(body8) != 8 or any(c not in ALPHABET for c in body8):
        raise ValueError("organisation code body must be 8 USCC alphabet characters")
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, _ORG_WEIGHTS))
    value = 11 - total % 11
    return "0" if value == 11 else "X" if value == 10 else str(value)


def make_org_code(body8: str) -> str:
    """9-character organisation code: the body plus its GB 11714 check character."""
    return body8.upper() + org_code_check_char(body8)


def make_uscc(
    authority: str = "9",
    category: str = "1",
    region: str = "420100",
    org_code9: str | None = None,
) -> str:
    """Build a valid code from its parts, appending the check character.

    ``org_code9`` (required) is the 9-character organisation code (positions 9–17).
    Raises :class:`InvalidUSCC` if a part is not valid, ``TypeError`` if ``org_code9`` is missing.
    """
    if org_code9 is None:
        raise TypeError("make_uscc() needs org_code9 (9 characters)")
    authority, category = normalize(authority), normalize(category)
    region, org = normalize(region), normalize(org_code9)
    if len(authority) != 1 or len(category) != 1 or len(region) != 6 or len(org) != 9:
        raise InvalidUSCC(E_LENGTH, "parts must have 1, 1, 6 and 9 characters")
    first17 = authority + category + region + org
    if any(c not in ALPHABET for c in first17):
        raise InvalidUSCC(E_CHARSET)
    return validate(first17 + check_char(first17))
