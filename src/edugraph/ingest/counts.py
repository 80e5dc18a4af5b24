"""The noun a count counts, and so its unit: 订单班9个 (classes), 辖9个镇 (townships).

A count in 个 says nothing of what it counts; the noun written before it (大班额由上年的48个降至9个)
or after it (87个中小学党支部, up to a negated verb) does, by the units' `counted` nouns
(data/reference/units.toml). A bare 万/亿 amount takes the unit of the noun before it.
"""

from __future__ import annotations

import re

from edugraph.ingest import phrases
from edugraph.ingest.units import UNITS

CLAUSE_END = "，,。；;:！!？?\n"
# 大班额数量较2018年减少1295个, 大班额由上年的48个降至9个, 大班额仍有214个: 大班额 is counted
# 大班额分别由2016年的132个、87个减少到19个、6个; …由2020年的318个下降到2022年的11个: the
# members of a list and the year of the end are no noun
_COUNTED_TAIL = re.compile(
    r"(?:数量|数)?(?:分别)?"
    r"(?:(?:由|从|较|比)(?:[0-9]{4}年|上年|去年)?(?:底|末)?的?(?:[0-9.,]+个(?:[、和][0-9.,]+个)*)?)?"
    r"(?:同比)?(?:减少|增加|下降|增长|新增|降|减|压减)?(?:至|到)?"
    r"(?:[0-9]{4}年(?:底|末)?的)?(?:[0-9.]+个[、和])*"
    r"(?:仍有|还有|尚有|共有|有)?$"
)


def counted_before(left: str) -> str | None:
    """订单班9个: the unit of the noun a figure in 个 directly follows, if it counts one."""
    left = re.sub(r"[ \t\u3000“”\"]", "", left)  # PDF text: 大班额由上年的 41 个降至 9 个
    left = _COUNTED_TAIL.sub("", left)  # 大班额数量较2018年减少1295个: 大班额 is counted
    left = _ALTERNATIVE_END.sub("", left)  # 乡镇（街道）1486个: the first noun counts
    return next((u.code for u in UNITS.values() if left.endswith(u.counted) and u.counted), None)


_NEGATED = re.compile("没有|尚未|仍未|未能")  # a negated verb ends the counted noun
_HAS = re.compile("[均都已]?(?:建有|设有|拥有|有)")
# 乡镇（街道）, 9个镇（街道）: a noun with its alternative in brackets counts as the first
_ALTERNATIVE_END = re.compile(r"[（(][^（）()]{1,6}[）)]$")
_ALTERNATIVE_OPENING = re.compile(r"([^（）()]{1,4})[（(][^（）()]{1,6}[）)]")


def counted_after(norm: str, end: int) -> str | None:
    """辖9个镇, 87个中小学党支部: the unit of the noun a figure in 个 counts, written after it."""
    stop = next((i for i in range(end, len(norm)) if norm[i] in CLAUSE_END), len(norm))
    words = norm[end:stop]
    if verb := _NEGATED.search(words):  # 126个乡镇没有公办中心幼儿园: the 乡镇 are counted
        words = words[: verb.start()]
    noun = phrases.counted(words).removesuffix("中")  # 全县73个校点中，…
    noun = noun.removesuffix("人民政府").removesuffix("政府")  # 2个镇人民政府: the towns
    head = re.split("[的、和及]", words)[0]
    if _HAS.search(head, len(noun)):  # 5个街道均建有幼儿园: what they have is not counted
        head = noun
    for unit in UNITS.values():  # 87个中小学党支部; 58个基层党组织的指导
        if unit.counted and (noun.endswith(unit.counted) or head.endswith(unit.counted)):
            return unit.code
    first = _ALTERNATIVE_OPENING.match(words)
    if first and (code := next((u.code for u in UNITS.values() if first[1] in u.counted), None)):
        return code
    for unit in UNITS.values():  # 与14个乡镇签订责任书: a noun of two characters opening the words
        if words.startswith(tuple(n for n in unit.counted if len(n) >= 2)):
            return unit.code
    return None


def noun_before(left: str) -> str:
    """The unit of the noun nearest before a bare 万/亿 figure in its clause; else a count."""
    best, unit = -1, "count"
    for u in UNITS.values():
        for noun in u.nouns:
            at = left.rfind(noun)
            if at >= 0 and at + len(noun) > best:
                best, unit = at + len(noun), u.code
    return unit


def noun_after(norm: str, end: int) -> str:
    """The unit of a noun written right after a bare 万/亿 figure (320多万师生 → persons),
    for a clause that names no noun before it; else a count."""
    rest = norm[end : end + 8].lstrip(" \t\u3000")
    found = [(len(n), u.code) for u in UNITS.values() for n in u.nouns if rest.startswith(n)]
    return max(found)[1] if found else "count"


FACILITIES = ("食堂", "宿舍", "厕所", "运动场", "操场", "图书馆", "实验室")
# 129所中小学、幼儿园食堂全部…, 21所学校食堂开展…: the noun phrase ends in the building;
# …食堂改造 works on it
_FACILITY = re.compile(
    rf"[\u4e00-\u9fff、和及]{{0,12}}?(?:{'|'.join(FACILITIES)})"
    r"(?=[，,。；;全均都已达实]|开展|进行|接受|$)(?![^，,。；;]*?(?:改造|建设|维修))"
)


def facility(left: str, norm: str, end: int) -> bool:
    """学校食堂4所, 1376所学校食堂: a count in 所 of a school's buildings, not of schools (but
    4所学校宿舍和食堂改造 counts the schools whose buildings a list names)."""
    stop = next((i for i in range(end, len(norm)) if norm[i] in CLAUSE_END), len(norm))
    words = norm[end:stop].lstrip(" \t\u3000")
    named = _FACILITY.match(words)
    return re.sub(r"[ \t\u3000]", "", left).endswith(FACILITIES) or named is not None
