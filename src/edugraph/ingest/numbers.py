"""Numbers as the genre writes them, before any construction around them is read.

One scan over a copy of the text normalised code point for code point (full-width digits,
traditional script), so offsets are the caller's: Arabic figures with 万/亿, 余/多 and their
unit word, ranges (3至7人), ratios (1︰217), and Chinese numerals before the units that allow
them (辖三乡二镇, read by cn2an). Ranks, ordinals, dates, item numbers and thresholds are
dropped here; what a figure is a figure *of* is quantities.py's business.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Context, Decimal

import cn2an

from edugraph.ingest.text import simplified
from edugraph.ingest.units import UNITS, Unit, unit_pattern, unit_words

# --- lexical layer ----------------------------------------------------------------------

# Every mapping is one code point to one, so offsets in the normalised copy are the caller's.
_NORMALISE = str.maketrans(
    "０１２３４５６７８９．％﹪︰∶：‥＋～－",
    "0123456789.%%::::+~-",
)
_CTX = Context(prec=80)  # exact for every number we accept (at most _MAX_DIGITS digits)
_MAX_DIGITS = 30
_ONE = Decimal(1)

_NUM = (
    r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]{1,3}(?: [0-9]{3})+(?![0-9])(?:\.[0-9]+)?"
    r"|[0-9]+(?:\.[0-9]+)?"
)
_MULTIPLIERS = {
    "万亿": Decimal(10) ** 12,
    "千万": Decimal(10) ** 7,
    "亿": Decimal(10) ** 8,
    "万": Decimal(10) ** 4,
}


_UNIT_WORDS = unit_words(UNITS)
_UNIT = unit_pattern(UNITS)
_CHINESE_ATOM = re.compile(
    r"(?<![一二两三四五六七八九十百千万零〇第每])"  # 二百零六个: 零 inside, never first
    r"(?P<cn>[一二两三四五六七八九十百千万][一二两三四五六七八九十百千万零〇]{0,7})"
    r"(?P<approx>余|多)?"
    rf"(?P<unit>{unit_pattern({c: u for c, u in UNITS.items() if u.chinese_numerals})})"
    r"(?!一)"  # 一乡一品, 一镇一特 name a programme
)
# 三成, 三分之一, 一半: shares in words; not 一成不变, 成员, 成绩 (成 starts a word there)
_FRACTION = re.compile(
    r"(?<![一二两三四五六七八九十百千万第])(?:(?P<tenths>[一二两三四五六七八九])成"
    r"(?![绩员功为立果本效长就熟型年人不全了])"
    r"|(?P<den>[二三四五六七八九十])分之(?P<num>[一二三四五六七八九])|(?P<half>一半)|(?P<over>过半))"
)
_NAMED_BY = ("规定", "禁令", "要求", "行动", "工程", "计划", "机制", "制度")  # 八项规定, 五项管理
_NOT_CHINESE = {word for u in UNITS.values() for word in u.chinese_not}
# 五项管理 names a policy; 三项指标分别提高… refers back to the figures just stated
_NAMED_AFTER = re.compile(r"管理|指标(?:均|都|分别)")
_CLAUSE_END = re.compile(r"[，。；、）)：\n]|$")
_SPACE = r"[ \t\u3000]?"  # PDF text and web copies put a space between figure and unit
_RANGE_SEP = r"(?:至|到|~|-|—)"
RANGE_JOIN = re.compile(rf"{_SPACE}{_RANGE_SEP}{_SPACE}")
_ATOM = re.compile(
    rf"(?<![0-9.A-Za-z])(?:(?P<one>{_NUM}):(?P<per>{_NUM})"
    rf"|(?:(?P<low>{_NUM})(?P<lowmult>万亿|千万|亿|万)?{_SPACE}{_RANGE_SEP}{_SPACE}"
    rf"(?={_NUM}(?:万亿|千万|亿|万)?{_SPACE}(?:{_UNIT})))?"
    rf"(?P<num>{_NUM}){_SPACE}(?P<prefix>余|多)?{_SPACE}(?P<mult>万亿|千万|亿|万)?(?P<infix>余|多)?"
    rf"{_SPACE}(?P<unit>{_UNIT})?)"
)
_NUMBER = re.compile(rf"(?P<num>{_NUM})(?P<mult>万亿|千万|亿|万)?")

# What a bare number before these is: a date, an age, a duration, a multiple -- no figure.
_TIME_AFTER = re.compile(r"年|月|日|天|岁|届|级|周|批|号|小时|分钟")
_THRESHOLD = re.compile(r"(?:人口)?及?以[上下]的")
# 100人以下学校有19所, 2000人以上大规模学校: a school's size that picks schools out
_SIZE = re.compile(
    r"及?以[上下]的?(?:义务教育|普通|中小学|乡村|农村|乡镇|村级)?(?:[大小]?规模)?"
    r"(?:学校|教学点|班级|幼儿园)"  # 海拔3500米以上乡村学校 too
)
_CLASS_SIZE = re.compile(r"(?:及)?(?:以上)?的?(?:超?大?班额|班级)")  # 46人以上班级23个
_RANK_BEFORE = re.compile(r"(?:第|(?<![目当此以之提眼空史底])前)[ \t\u3000]*$")  # 第 24 次 too
_ITEM_AFTER = (".", "、", ")", "）")


@dataclass(frozen=True, slots=True)
class Atom:
    """A number as written, before any construction is read."""

    start: int
    end: int
    value: Decimal
    unit: str | None  # unit code; None for a bare number
    scaled: bool  # written with 万/亿
    decimal: bool  # written with a decimal point
    approx: bool  # 余/多 between number and unit
    low: Decimal | None = None  # the lower end of a range (3至7人)


def for_matching(text: str) -> str:
    return simplified(text).translate(_NORMALISE)


def _decimal(digits: str) -> Decimal | None:
    plain = digits.replace(",", "").replace(" ", "")
    if len(plain) > _MAX_DIGITS:
        return None
    return Decimal(plain)


def tidy(value: Decimal) -> Decimal:
    """36000.0 -> 36000, 89.50 -> 89.5: equal values, readable reprs."""
    if value == value.to_integral_value(context=_CTX):
        return value.quantize(_ONE, context=_CTX)
    return value.normalize(_CTX)


def _scaled(digits: str, mult: str | None) -> Decimal | None:
    base = _decimal(digits)
    if base is None:
        return None
    return tidy(_CTX.multiply(base, _MULTIPLIERS[mult]) if mult else base)


_CLOCK = re.compile(r"(?:[01]?\d|2[0-3])[:：︰][0-5]\d")
_DATED = re.compile(r"(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d{1,2}日|时间)\s*$")


def _clock_time(match: re.Match[str]) -> bool:
    """17:05 after a date (a web page's 发布时间: 2019-08-22 17:05) is a time, not a ratio."""
    text = match.string
    return bool(_CLOCK.fullmatch(text, *match.span())) and bool(
        _DATED.search(text[max(0, match.start() - 16) : match.start()])
    )


def _atom(match: re.Match[str]) -> Atom | None:
    start, end = match.span()
    if match["one"] is not None:
        one, per = _decimal(match["one"]), _decimal(match["per"])
        if one is None or per is None or one == 0 or _clock_time(match):
            return None
        # 1:217 and 217:1 (生师比200:1) both say 217 to one (2:35 is 17.5); shares of a whole
        # (普职比5.4:4.6, 职普比3.6:6.4) are the first to the second, to four places
        if one + per in (10, 100) and 1 not in (one, per):
            ratio = tidy(_CTX.divide(one, per).quantize(Decimal("0.0001")))
        else:
            ratio = tidy(one if per == 1 and one > 1 else _CTX.divide(per, one))
        return Atom(start, end, ratio, "ratio", scaled=False, decimal=True, approx=False)
    value = _scaled(match["num"], match["mult"])
    if value is None:
        return None
    unit = _UNIT_WORDS[match["unit"]] if match["unit"] else None
    scaled = match["mult"] is not None
    approx = match["infix"] is not None or match["prefix"] is not None
    low = None
    if match["low"] is not None:  # 3至7人, 1.5-2万元: the lower end takes the upper's multiplier
        low = _scaled(match["low"], match["lowmult"] or match["mult"])
    return Atom(start, end, value, unit, scaled, "." in match["num"], approx, low)


def scan(norm: str) -> Iterator[Atom]:
    atoms = [a for a in map(_atom, _ATOM.finditer(norm)) if a is not None]
    taken = {i for a in atoms for i in range(a.start, a.end)}
    atoms += [a for a in _chinese(norm) if a.start not in taken]
    atoms += [a for a in _fractions(norm) if a.start not in taken]
    for atom in sorted(atoms, key=lambda a: a.start):
        if not _excluded(norm, atom):
            yield atom


def _fractions(norm: str) -> Iterator[Atom]:
    """不足三成, 超过三分之一, 减少一半, 过半: a share in words, read as percent (三成 → 30)."""
    for match in _FRACTION.finditer(norm):
        if match["tenths"]:
            value = Decimal(int(cn2an.cn2an(match["tenths"], "smart")) * 10)
        elif match["den"]:
            share = Decimal(int(cn2an.cn2an(match["num"], "smart"))) * 100
            value = (share / int(cn2an.cn2an(match["den"], "smart"))).quantize(Decimal("0.1"))
        else:
            value = Decimal(50)
        over = match["over"] is not None  # 学校过半: more than half
        yield Atom(match.start(), match.end(), tidy(value), "percent", False, False, over)


def _chinese(norm: str) -> Iterator[Atom]:
    """辖三乡二镇: a Chinese numeral before a unit that allows it, read by cn2an."""
    for match in _CHINESE_ATOM.finditer(norm):
        try:
            value = Decimal(int(cn2an.cn2an(match["cn"], "smart")))
        except (ValueError, KeyError):
            continue  # 万 alone, 千百: no numeral
        unit = _UNIT_WORDS[match["unit"]]
        if unit != "township" and _names_something(norm, match, value):
            continue
        approx = match["approx"] is not None
        yield Atom(match.start(), match.end(), value, unit, False, False, approx)


def _names_something(norm: str, match: re.Match[str], value: Decimal) -> bool:
    """两个只增不减, “三个课堂”, 一次性: a Chinese numeral in a name or slogan, not a count. One
    or two count only at a clause's end (执法检查一次，); none counts inside quotes."""
    if norm.count("“", 0, match.start()) > norm.count("”", 0, match.start()):
        return True
    if match["unit"] in _NOT_CHINESE or norm.startswith(_NAMED_BY, match.end()):
        return True
    if match["unit"] == "项" and _NAMED_AFTER.match(norm, match.end()):
        return True
    return value <= 2 and not _CLAUSE_END.match(norm, match.end())


_COLLECTION = re.compile(r"范文|文档|[精热]选|(?:履行教育职责|自查|自评)\S*?(?:报告|汇报)")
_CLAUSE_START = re.compile(r"[，,。；;\n][^，,。；;\n]*$")


def _collection_size(norm: str, atom: Atom) -> bool:
    """自评报告（七篇）, 情况汇报精选6篇: a web copy's count of the reports it collects."""
    if norm[atom.end - 1 : atom.end] != "篇":
        return False
    head = norm[max(0, atom.start - 60) : atom.start]
    clause = _CLAUSE_START.search(head)
    return _COLLECTION.search(head[clause.start() + 1 :] if clause else head) is not None


def _in_title(norm: str, at: int) -> bool:
    """《…十项工作任务〉的工作方案》: a number in a document's title is part of its name."""
    line = norm.rfind("\n", 0, at) + 1
    return norm.count("《", line, at) > norm.count("》", line, at)


def _excluded(norm: str, atom: Atom) -> bool:
    """Numbers that look like figures but are ranks, ordinals, codes, dates or thresholds."""
    if _collection_size(norm, atom) or _in_title(norm, atom.start):
        return True
    after = norm[atom.end : atom.end + 8]
    if _RANK_BEFORE.search(norm, max(0, atom.start - 6), atom.start) or after.startswith("+"):
        return True
    if norm[atom.start - 1 : atom.start] == "+":
        return True
    if _THRESHOLD.match(after) or (
        norm[atom.start - 2 : atom.start] == "不足" and after[:1] == "的"
    ):
        return True  # 30万人口以上的县, 不足100人的学校: a threshold that picks things out
    size = norm[atom.end : atom.end + 16]
    if atom.unit == "person" and norm[atom.end - 1 : atom.end] == "人" and _SIZE.match(size):
        return True
    if atom.unit is None:
        return _TIME_AFTER.match(after) is not None or _is_item_number(norm, atom)
    height = norm[max(0, atom.start - 4) : atom.start].rstrip(" \t\u3000").endswith("海拔")
    if height and re.match(r"[ \t\u3000]*以[上下][\u4e00-\u9fff]", after):
        return True  # 海拔4,500米以上学校: a height that picks schools out
    return atom.unit == "person" and _CLASS_SIZE.match(after) is not None


def _is_item_number(norm: str, atom: Atom) -> bool:
    line_start = norm.rfind("\n", 0, atom.start) + 1
    opening = norm[line_start : atom.start].strip(" \t\u3000([（")
    return not atom.decimal and opening == "" and norm[atom.end : atom.end + 1] in _ITEM_AFTER


def parse_number(text: str) -> Decimal | None:
    """Value of a written number with an optional 万/亿 multiplier ("3.6万" -> 36000)."""
    match = _NUMBER.fullmatch(for_matching(text).strip())
    return _scaled(match["num"], match["mult"]) if match else None


def render(value: Decimal, unit: Unit) -> str:
    """Write a value back in the genre's notation: 36000 person -> "3.6万人"."""
    if unit.code == "ratio":
        return f"1︰{_plain(value)}"
    if unit.code in ("percent", "percentage-point"):
        return _plain(value) + ("%" if unit.code == "percent" else "个百分点")
    suffix = "" if unit.code in ("count", "coefficient") else unit.zh
    return (_plain(value) if unit.code == "coefficient" else _with_multiplier(value)) + suffix


def _plain(value: Decimal) -> str:
    return format(tidy(value), "f")


def _with_multiplier(value: Decimal) -> str:
    """Use 亿 or 万 when the scaled number needs at most two decimals, as the reports do."""
    for name in ("亿", "万"):
        factor = _MULTIPLIERS[name]
        scaled = _CTX.divide(value, factor)
        if abs(value) >= factor and scaled == scaled.quantize(Decimal("0.01"), context=_CTX):
            return _plain(scaled) + name
    return _plain(value)
