"""Find the figures in the Chinese of education-duty self-evaluation reports.

The reports argue with figures set in prose ("同比增长7.58%", "从2018年的24个增加到40个"),
and the graph needs each as a value, a unit and its role. The numbers as written are
numbers.py's (one scan over a normalised copy of the text); this module reads the few
constructions the genre repeats around them (lists, from-to, comparisons, 截至 dates).
Offsets are those of the caller's string.

Decisions, each pinned by a test:

* A ratio ``a︰b`` is stored as ``b / a`` -- "one to how many", the way the genre states
  staffing norms: ``1︰217`` -> 217; written the other way round, ``200:1`` -> 200.
  ``1︰1比例`` (matching funds) is kept, as 1.
* A bare decimal is a ``coefficient`` only inside a list, a from-to construction or right
  after 系数; a bare integer is never a figure (years, item numbers, ``1+X``, 十三五 codes).
  A multiplier without a unit word (``2.3万``) is a ``count``.
* ``余``/``多`` between number and unit (or before 万/亿: 160余万人次) lie inside the figure's
  span (they cannot be cut out of it) and make it "more-than"; prefix words (超过, 近, 不低于
  ...) and ``以上`` after the unit lie outside it. ``以上``/``以下`` include the figure
  (at-least / at-most), as Chinese usage has it.
* Units are data (data/reference/units.toml). Traditional script is read character for
  character as simplified (`edugraph.ingest.text.simplified`), so offsets hold.
* A range is one figure when its lower end is bare (3至7人: value 7, low 3); when both ends
  are written with their unit (300元至800元) each is a figure, both qualified "range".
* ``N人以上`` before 大班额/超大班额 is a class-size threshold, a number after 前 a rank
  cut-off (排名前1%), after 第 an ordinal: none of them is a figure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import count, pairwise

from edugraph.ingest import counts
from edugraph.ingest.numbers import RANGE_JOIN, Atom, for_matching, scan
from edugraph.ingest.units import PER_WORDS, Unit
from edugraph.ingest.units import UNITS as UNITS  # the unit table, where the figures are


@dataclass(frozen=True, slots=True)
class Mention:
    """One figure in a text, with what the surrounding construction says about it."""

    start: int
    end: int
    raw: str
    value: Decimal
    unit: Unit
    qualifier: str | None
    kind: str
    direction: int
    period_hint: str | None
    comparison: str | None
    group: int | None
    index: int
    low: Decimal | None = None  # a range's lower end; `value` is its upper end
    per: str | None = None  # unit code of what an amount is per (生均650元: person)


# 41.2人/班、; 4.6%、-1.2%: a list goes on past a minus
_LIST_SEP = re.compile(r"(?:\s*/\s*[班校所生人])?\s*(?:、|和|及|与|以及|或)\s*[-－−]?")
_YEAR = r"(?:([0-9]{4})年(?:(底|末)|度|([0-9]{1,2})月份?)?的?)?"  # 2017年底: December
_FROM = re.compile(rf"[从由](?:{_YEAR}|(?:年初|上年|去年|上年度)的?)[ \t\u3000]*$")  # 由年初的148家
_TO = re.compile(  # spaces around the digits in PDF text: 由上年的 41 个降至 9 个
    r"[ \t\u3000]*(?:分别)?(?:(?:增加|增长|提高|提升|上升|扩大|减少|下降|降低|缩小|压减|压缩|降|增)"
    rf"(?:到|至|为)|到|至){_YEAR}[ \t\u3000]*"
)
# 差异系数为0.41; 差异系数小学为0.29、初中为0.24: each stage's coefficient
_COEFFICIENT_BEFORE = re.compile(r"系数(?:[^，,。；;]{1,12}?)?(?:为|是|达到|达)$|系数$")
_CLAUSE_END = "，,。；;:！!？?\n"
_SENTENCE_END = re.compile(r"[。；;！!？?]")
_AS_OF = re.compile(r"截[至止]到?([0-9]{4})年(?:([0-9]{1,2})月|(底|末))?(?:([0-9]{1,2})日)?")

_PREFIX_QUALIFIER = re.compile(
    r"(?P<q>不低于|不少于|至少|不超过|不高于|不多于|至多|最多|超过|高于|多于|逾|将近|接近"
    r"|(?<![最附临邻])近|大约|(?<![节制])约|低于|少于|(?<![的之])不足|预计(?:完成|达到|为)?)"
    r"(?:(?<=约|近)(?:有|为)|(?<=至少)有)?"  # 约有9所学校, 比例约为6%, 至少有1所
    r"(?:(?<=至少|少于)(?:配备|安排|开设|建设|建成|培训|新增|招聘|补充|达到)"  # 至少配备1名
    r"|(?<=至少)(?:召开|举办|开展|组织|研究|听取|走访|与|同|和))?"  # 至少召开2次, 至少与3家
    r"(?:(?<=低于|少于|高于|超过)[^，,；;。:：\d]{1,8}?(?:总额|总量|总数|总和)的?)?"
    r"(?:每(?:生|人|校|所|班|个)(?:每(?:年|月|学期|天|周))?)?$"
)  # 不低于每生每年1000元, 不低于公用经费总额5%: the bound reaches past the frame
_QUALIFIERS = {
    **dict.fromkeys(("超过", "高于", "多于", "逾"), "more-than"),
    **dict.fromkeys(("近", "将近", "接近"), "nearly"),
    **dict.fromkeys(("约", "大约", "预计", "预计完成", "预计达到", "预计为"), "about"),
    **dict.fromkeys(("不低于", "不少于", "至少"), "at-least"),
    **dict.fromkeys(("不超过", "不高于", "不多于", "至多", "最多"), "at-most"),
    **dict.fromkeys(("低于", "少于", "不足"), "at-most"),  # 不足35%: below it, at most
}
_SUFFIX_QUALIFIER = re.compile(r"[ \t\u3000]?(?:及?以(上|下|内)|左右|上下(?![级游]))")  # 97% 以上
_VERB = re.compile(
    r"(?:(?P<up>增长|增加|提高|提升|上升|增多|扩大|高出|超出|多出|超额完成|超额|(?<!新)增"
    r"|(?<![较至最许很更])多|(?<=[^最较提偏])高)"  # 比全国平均水平低近9个百分点: a gap
    r"|(?P<down>减少|下降|降低|缩小|缩减|回落|消除|化解|减|降|(?<![至最很更较缺])少"
    r"|(?<=[^最较降偏])低))了?$"
)
# 消除56人以上大班额94个: the verb governs its object, and the figure after it counts what went.
# 化解信访积案37件 counts the cases settled, not a fall (化解大班额142个 is one).
_REMOVED = re.compile(r"(?P<down>消除|化解(?![^，,；;。]*(?:积案|信访|矛盾|纠纷)))[^，,；;。]*$")
# A comparative some way before the figure, with no 的 between (不超过 is no comparative).
_COMPARATIVE = re.compile(
    r"(?:(?P<up>(?<!不)(?:超过|高于|高出|超出|多于))|(?P<down>(?<!不)(?:低于|少于)))(?P<what>[^的]*)$"
)
# 高于当地公务员年平均工资收入9.96万元: the figure is the value of what is compared with
_COMPARED_VALUE = re.compile(r"(?:收入|工资|水平|标准|平均)$")
_NAMED_LEVEL = re.compile(r"[^\d]{2,}(?:数|率|比例|面积)(?:为|达到|是)$")
_BASE_YEAR = re.compile(r"[较比]([0-9]{4})年")
_MULTIPLE_OF = re.compile(r"(?:是|为|相当于)([0-9]{4})年的$")
_LAST_YEARS = re.compile(r"[较比](?:上年|去年)(?:同期)?的$")  # the baseline before a change
_YEAR_ON_YEAR = re.compile(r"同比|[较比][上去]年|与上年相比")
_OTHER = re.compile(
    r"高于|低于|高出|超过|超出|多于|少于|超额|(?<![占同生师])比(?![例重率])|较(?![多少大小好快为])"
)


@dataclass(frozen=True, slots=True)
class _Reading:
    """What the words before a figure say about it."""

    kind: str = "value"
    direction: int = 0
    comparison: str | None = None
    period_hint: str | None = None
    qualifier: str | None = None


@dataclass(slots=True)
class _Chain:
    """Figures written one after another with only 、/和 between: one construction."""

    atoms: list[Atom]
    reading: _Reading | None = None  # set for from-to halves
    partner: _Chain | None = None  # the other half of a from-to

    @property
    def unit(self) -> str | None:
        return self.atoms[-1].unit


def _chains(norm: str, atoms: Iterable[Atom]) -> list[_Chain]:
    chains: list[_Chain] = []
    for atom in atoms:
        if chains and _LIST_SEP.fullmatch(norm, chains[-1].atoms[-1].end, atom.start):
            chains[-1].atoms.append(atom)
        else:
            chains.append(_Chain([atom]))
    return chains


def _pair_from_to(norm: str, chains: list[_Chain]) -> None:
    """Mark 从[YYYY年的]A…到[YYYY年的]B as a baseline chain and a value chain."""
    for before, after in pairwise(chains):
        start = before.atoms[0].start
        opening = _FROM.search(norm, max(0, start - 12), start)
        closing = _TO.fullmatch(norm, before.atoms[-1].end, after.atoms[0].start)
        if opening is None or closing is None or before.reading is not None:
            continue
        before.reading = _Reading("baseline", comparison="from-to", period_hint=_dated(opening))
        after.reading = _Reading("value", comparison="from-to", period_hint=_dated(closing))
        before.partner, after.partner = after, before


def _dated(m: re.Match[str]) -> str | None:
    """从2017年底的186个: the year, as its December when 底 or 末 follows it (由2021年7月的:
    July)."""
    if m[1] and (m[2] or m[3]):
        return f"{m[1]}-{int(m[3] or 12):02d}"
    return m[1]


_POINTS_AFTER = re.compile(r"(?:\s*[、和及与]\s*[0-9][0-9.]*\s*个)+\s*百分点")


def _resolve_units(norm: str, chain: _Chain, left: str) -> list[tuple[Atom, str]]:
    """Give bare members the list's unit, the unit of the noun they count (人口4622万: persons),
    a coefficient's, or drop them."""
    shared = chain.unit or (chain.partner.unit if chain.partner else None)
    members = chain.atoms + (chain.partner.atoms if chain.partner else [])
    start = chain.atoms[0].start
    coefficient = any(a.decimal for a in members) and (
        len(members) > 1 or _COEFFICIENT_BEFORE.search(norm, max(0, start - 20), start) is not None
    )
    resolved = []
    for atom in chain.atoms:
        unit = atom.unit or shared or (counts.noun_before(left) if atom.scaled else None)
        if unit == "count" and atom.unit is None and not shared:
            unit = counts.noun_after(norm, atom.end)
        unit = unit or ("coefficient" if coefficient else None) or _cut_off(norm, atom, left)
        if unit == "item" and _POINTS_AFTER.match(norm, atom.end):
            unit = "percentage-point"  # 分别提高1.2个和3.4个百分点: the last names both
        if unit == "item" and norm.startswith("个", atom.end - 1):
            before = left.rstrip()
            if chain.partner:  # 大班额由上年的48个降至9个: the noun before the first counts both
                clause = _clause_begin(norm, atom.start)
                before = norm[clause : atom.start].rstrip()
            unit = counts.counted_before(before) or counts.counted_after(norm, atom.end) or unit
        if unit == "institution" and counts.facility(left, norm, atom.end):
            unit = "item"  # 学校食堂1376所: canteens, not schools
        if unit is not None:
            resolved.append((atom, unit))
    return resolved


_THOUSANDS = re.compile(r"(?<=[0-9]),(?=[0-9]{3})")


def _clause_begin(norm: str, at: int) -> int:
    """Where the clause holding `at` begins; 1,346 is one number, not two clauses."""
    plain = _THOUSANDS.sub("0", norm[:at])
    return max(plain.rfind(mark) for mark in _CLAUSE_END) + 1


def _cut_off(norm: str, atom: Atom, left: str) -> str | None:
    """新增公办学位2880 where a truncated copy ends: the noun right before it gives the unit."""
    rest = norm[atom.end :]
    if rest.strip() and not rest.startswith("\n"):
        return None
    unit = counts.noun_before(left)
    nouns = [n for u in UNITS.values() for n in u.nouns]
    return unit if unit != "count" and left.endswith(tuple(nouns)) else None


def _read_context(left: str, unit: str, *, small: bool = False) -> _Reading:
    """Classify a figure by the words of its clause that precede it; `small`: the sentence
    stated a level of the same unit at least five times as large before it, so a figure
    after 高于…工资 is the margin, not the value compared with (8.34万元，高于…工资0.15万元)."""
    qualifier, left = _strip_qualifier(left, unit)
    if unit == "times" and (base := _MULTIPLE_OF.search(left)):  # 是2012年的2.3倍
        return _Reading("change", 1, "base-year", base[1], qualifier)
    verb = _VERB.search(left) or _REMOVED.search(left)
    comparative = _COMPARATIVE.search(left)
    if comparative and _COMPARED_VALUE.search(comparative["what"]) and unit == "yuan":
        comparative = comparative if small else None
    if comparative and unit != "percentage-point" and _NAMED_LEVEL.search(comparative["what"]):
        comparative = None  # 拥有高于规定学历教师数为5.3人: the comparative is part of a name
    if verb:
        direction = 1 if verb.groupdict().get("up") else -1
    elif comparative:
        direction = 1 if comparative["up"] else -1
    elif unit == "percentage-point":
        direction = 0  # a difference by nature, whose sign the text does not give
    else:
        return _Reading(qualifier=qualifier)
    if base := _BASE_YEAR.search(left):
        return _Reading("change", direction, "base-year", base[1], qualifier)
    comparison = "year-on-year" if _YEAR_ON_YEAR.search(left) else None
    if comparison is None and _OTHER.search(left):
        comparison = "other"
    return _Reading("change", direction, comparison, None, qualifier)


def _strip_qualifier(left: str, unit: str) -> tuple[str | None, str]:
    match = _PREFIX_QUALIFIER.search(left)
    if match is None:
        return None, left
    qualifier = _QUALIFIERS[match["q"]]
    if unit == "percentage-point" and match[0] in ("超过", "高于", "低于", "少于", "不足"):
        return None, left  # 超过/高于 N个百分点 is a comparison, not a bound
    return qualifier, left[: match.start()]


def _left_context(norm: str, chain: _Chain, previous_end: int) -> str:
    left = norm[previous_end : chain.atoms[0].start]
    cut = max(left.rfind(mark) for mark in _CLAUSE_END)
    return left[cut + 1 :].rstrip(" \t\u3000")  # 增长 5.85 %


def _as_of_hints(norm: str) -> list[tuple[int, int, str]]:
    """截至YYYY年M月(D日) dates everything up to the end of its sentence, to the month (periods
    are years, months or intervals)."""
    hints = []
    for match in _AS_OF.finditer(norm):
        end = _SENTENCE_END.search(norm, match.end())
        month = "12" if match[3] else match[2]  # 截至2022年底: December
        hint = f"{match[1]}-{int(month):02d}" if month else match[1]  # a day dates its month
        hints.append((match.end(), end.start() if end else len(norm), hint))
    return hints


def _member_qualifier(norm: str, atom: Atom, reading: _Reading) -> str | None:
    if atom.low is not None:
        return "range"
    if atom.approx:
        return "more-than"
    suffix = _SUFFIX_QUALIFIER.match(norm, atom.end)
    if suffix and suffix[1] is None:
        return "about"  # 70%左右, 200名上下
    if suffix:
        return "at-least" if suffix[1] == "上" else "at-most"  # 以上/以下 include the figure
    return reading.qualifier


def find_quantities(text: str) -> list[Mention]:
    """All figures in a sentence or paragraph, in text order."""
    norm = for_matching(text)
    chains = _chains(norm, scan(norm))
    _pair_from_to(norm, chains)
    hints = _as_of_hints(norm)
    mentions: list[Mention] = []
    groups: dict[int, int] = {}  # id(chain) -> group, for the value half of a from-to
    numbers = count()
    previous_end, prior = 0, ""
    for chain in chains:
        left = _left_context(norm, chain, previous_end)
        members = _resolve_units(norm, chain, left)
        if members:
            group = _group_of(chain, len(members), groups, numbers)
            for index, (atom, unit) in enumerate(members):
                small = any(m.unit.code == unit and m.value >= 5 * atom.value for m in mentions)
                reading = chain.reading or _read_context(left.rstrip("-－−"), unit, small=small)
                if (
                    reading.kind == "change"
                    and not reading.comparison
                    and _LAST_YEARS.search(prior)
                ):
                    reading = replace(reading, comparison="year-on-year")  # 比上年的X元增长Y%
                mention = _mention(text, norm, atom, unit, reading, group, index, hints)
                mentions.append(per_capita(mention, left))
        previous_end, prior = chain.atoms[-1].end, left
    return _staffing(norm, _ranges(norm, mentions))


# 每60名寄宿生配备1名生活老师: one to so many, a ratio as 1:60 is
_STAFFING = re.compile(r"[ \t\u3000]*[^，,。；;\d]{1,10}?配(?:备|置|足)?[ \t\u3000]*")


def _staffing(norm: str, mentions: list[Mention]) -> list[Mention]:
    """每N名X配备1名Y: the two counts are one ratio of N to one."""
    out = list(mentions)
    for many, one in pairwise(mentions):
        if (
            many.unit.code == one.unit.code == "person"
            and one.value == 1
            and norm[: many.start].rstrip(" \t\u3000").endswith("每")
            and _STAFFING.fullmatch(norm, many.end, one.start)
        ):
            ratio = replace(many, end=one.end, raw=norm[many.start : one.end], unit=UNITS["ratio"])
            out[out.index(many)] = ratio
            out.remove(one)
    return out


def _ranges(norm: str, mentions: list[Mention]) -> list[Mention]:
    """300元至800元: two figures of one unit joined by 至 are the ends of a range."""
    out = list(mentions)
    for k, (low, high) in enumerate(pairwise(mentions)):
        joined = RANGE_JOIN.fullmatch(norm, low.end, high.start)
        if joined and low.unit == high.unit and low.comparison is None:
            out[k] = replace(out[k], qualifier="range")
            out[k + 1] = replace(high, qualifier="range", low=low.value, per=low.per or high.per)
    return out


def _group_of(
    chain: _Chain, size: int, groups: dict[int, int], numbers: Iterator[int]
) -> int | None:
    """A from-to pair or a list of two or more shares a group; a lone figure has none."""
    if chain.partner is not None and id(chain.partner) in groups:
        return groups[id(chain.partner)]
    if chain.partner is None and size < 2:
        return None
    groups[id(chain)] = next(numbers)
    return groups[id(chain)]


def _mention(
    text: str,
    norm: str,
    atom: Atom,
    unit: str,
    reading: _Reading,
    group: int | None,
    index: int,
    hints: list[tuple[int, int, str]],
) -> Mention:
    hint = reading.period_hint or next(
        (h for start, end, h in hints if start <= atom.start < end), None
    )
    return Mention(
        start=atom.start,
        end=atom.end,
        raw=text[atom.start : atom.end],
        value=atom.value,
        unit=UNITS[unit],
        qualifier=_member_qualifier(norm, atom, reading),
        kind=reading.kind,
        direction=_signed(norm, atom, reading),
        period_hint=hint,
        comparison=reading.comparison,
        group=group,
        index=index,
        low=atom.low,
    )


def per_capita(mention: Mention, left: str) -> Mention:
    """生均公用经费650元, 每生每年850元: an amount per student (its clause says so)."""
    if mention.unit.code == "yuan" and any(word in left for word in PER_WORDS):
        return replace(mention, per="person")
    return mention


def _signed(norm: str, atom: Atom, reading: _Reading) -> int:
    """增长-3.4%, 分别增长4.6%、-1.2%: a minus before a change's number turns it round (not the
    dash of a range, 3-7, nor a hyphen inside a word)."""
    before = norm[max(0, atom.start - 2) : atom.start]
    if reading.kind != "change" or not before.endswith(("-", "－", "−")):
        return reading.direction
    if len(before) == 2 and (before[0].isdigit() or (before[0].isascii() and before[0].isalpha())):
        return reading.direction
    return -(reading.direction or 1)
