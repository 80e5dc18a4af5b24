"""Tables that PDF text renders as lines: a header naming its columns, then one row a line.

A header names each column with its unit in brackets (学校数（所） 在校生（人）) or with a year
(2019年 2020年 2021年); each row is a label and one number a column, apart by spaces
(幼儿园 36 6215 402; 一般公共预算教育支出（亿元） 10.82 11.47 12.35). A cell is a figure: its
indicator is the row's label with the column's name, its unit the column's (or, in a table of
years, the row's), its period the column's year (or the row's, in a table of years down its
rows: 年度 支出（亿元） 增长率（%）). A column of scores (分值, 自评得分) is in points; a column
named 单位 gives each row its unit (指标 单位 2022年 2023年; 学前三年毛入园率 % 90.6 92.1), and a
column named with a year in brackets (全国平均（2023年）) is that year's value of what it names. A
table written with pipes (| 指标 | 单位 | 2020年 |, then | --- |) reads the same. Lines that are
not so shaped are no table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from edugraph.ingest import counts
from edugraph.ingest.numbers import tidy
from edugraph.ingest.quantities import find_quantities
from edugraph.ingest.units import UNITS, Unit

CELL = re.compile(r"[^\s|]+")  # | 指标 | 单位 |: a table written with pipes has the same cells
# | --- | :---: |: the line under a header written with pipes
SEPARATOR = re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*(?::?-{3,}:?\s*)?$")
UNIT_COLUMN = re.compile(r"^(?:计量)?单位$")
NUMBER = re.compile(r"(?:[≥≤＞＜><]=?)?[-+]?[0-9][0-9,]*(?:\.[0-9]+)?%?")
# A bound before a standard's value (≥90, ≤0.50): what the standard asks
BOUND = {
    "≥": "at-least",
    "≤": "at-most",
    ">": "more-than",
    "＞": "more-than",
    "<": "at-most",
    "＜": "at-most",
}
YEAR = re.compile(r"([0-9]{4})年?度?")
BRACKETED = re.compile(r"^(.*?)[（(]([^（）()]{1,6})[)）]$")
# 比上年增长（%）: a column of the change of the column before it, from the year before
CHANGE = re.compile(
    r"^(?P<base>比上年|较上年|同比)?(?:(?P<up>增长|增加|提高|增幅)|(?P<down>下降|减少|降低|降幅))"
    r"(?:率|幅度)?$"
)
# 指标 2021年 2022年 增减: after columns of years, a signed change from the year before (+5.74)
SIGNED = re.compile(r"^(?:比上年|较上年|同比)?(?:增减|增[（(]减[)）]|变化|变动)(?:值|量|情况)?$")
# 单位：万元 on the line above a header: the unit of every column that names none
UNIT_LINE = re.compile(r"^\s*[（(]?单位\s*[:：]\s*(?P<unit>[^\s)）]{1,6})[)）]?\s*$")
PART = re.compile(r"^其中[:：]?")
ROW_YEAR = re.compile(r"((?:19|20)[0-9]{2})年?度?")
# 指标 目标值 完成值: a column of the goals set and one of what was reached; the row names both
GOAL = re.compile(
    r"^(?:目标值?|预期值|计划值|规划值|目标任务|(?:评价|评估|达标|国家|省定)?标准值?|标准要求|评价要求)$"
)
# 序号 before the rows' names: each row opens with its number, which is no value
INDEX = re.compile(r"^(?:序号|编号|序)$")
ROW_NUMBER = re.compile(r"^[0-9]{1,3}[.、]?$")
# 达成情况 after the values: a verdict in words (达标, 未达标), no value
VERDICT = re.compile(r"^(?:达成情况|达标情况|是否达标|达标与否|评价结果|评估结果|结论)$")
VERDICT_CELL = re.compile(
    r"^(?:已?达标|未达标|基本达标|已?达到|未达到|已?完成|未完成|是|否|[√×✓✗])$"
)
REACHED = re.compile(r"^(?:完成值|实际值|实现值|完成情况|实际完成|达成值|现状值?)$")
TOTAL = re.compile(r"^(?:合计|总计|小计|全[省市县区州盟旗]|总数)$")


@dataclass(frozen=True, slots=True)
class Column:
    """A column of values: its name, its unit and multiplier (亿元), or its year."""

    name: str
    unit: Unit | None
    scale: Decimal
    year: str | None
    signed: bool = False  # a signed change on the year column before it
    units: bool = False  # 单位: the unit of each row, no value
    verdict: bool = False  # 达成情况: a word for each row, no value
    index: bool = False  # 序号: each row's number, before its name


@dataclass(frozen=True, slots=True)
class Cell:
    """One value of a row: where it stands in the line, what it is."""

    start: int
    end: int
    raw: str
    value: Decimal
    unit: Unit
    label: str
    year: str | None
    direction: int = 0  # +1 or -1 for a change on the year before, 0 for a value
    goal: bool = False  # in a column of goals (目标值): a target
    qualifier: str | None = None  # a standard's bound (≥90: at-least)


def unit_of(words: str) -> tuple[Unit, Decimal] | None:
    """The unit (and multiplier) a bracket names: 所, 人, %, 亿元, 万元."""
    words = words.strip()
    if words in ("%", "％"):
        return UNITS["percent"], Decimal(1)
    found = find_quantities("1" + words)
    if len(found) != 1 or found[0].end != len(words) + 1:
        return None
    return found[0].unit, found[0].value


def _named(cell: str) -> tuple[str, Unit | None, Decimal]:
    m = BRACKETED.match(cell)
    read = unit_of(m.group(2)) if m else None
    if m and read:
        return m.group(1), read[0], read[1]
    implied = next((u for u in UNITS.values() if u.columns and cell.endswith(u.columns)), None)
    return cell, implied, Decimal(1)  # 自评得分: points, with no bracket to say so


def stated_unit(line: str) -> tuple[Unit, Decimal] | None:
    """The unit a line of its own states for the table below it (单位：万元)."""
    m = UNIT_LINE.match(line)
    return unit_of(m["unit"]) if m else None


def header(line: str, *, unit: tuple[Unit, Decimal] | None = None) -> list[Column] | None:
    """The value columns a header line names, or None when the line is no header: after a
    first cell naming the rows, two or more cells each with a unit in brackets or a year (or,
    under a line stating the table's `unit`, any name)."""
    cells = CELL.findall(line)
    indexed = bool(cells) and bool(INDEX.match(cells[0]))
    cells = cells[1:] if indexed else cells
    if len(cells) < 3:
        return None
    columns: list[Column] = []
    for k, cell in enumerate(cells[1:], start=2):
        year = YEAR.fullmatch(cell)
        name, unit_named, scale = _named(cell)
        dated = BRACKETED.match(cell)
        of_year = YEAR.fullmatch(dated.group(2)) if dated and unit_named is None else None
        if unit_named is None and unit is not None and not year:
            unit_named, scale = unit
        valued = [c for c in columns if not c.units]
        if k == len(cells) and SIGNED.match(cell) and valued and all(c.year for c in valued):
            last = valued[-1]
            columns.append(Column(cell, last.unit, last.scale, last.year, signed=True))
        elif UNIT_COLUMN.match(cell) and not columns:
            columns.append(Column(cell, None, Decimal(1), None, units=True))
        elif k == len(cells) and VERDICT.match(cell) and columns:
            columns.append(Column(cell, None, Decimal(1), None, verdict=True))
        elif GOAL.match(cell) and unit_named is None:  # 评价标准: each row's own unit
            columns.append(Column(cell, None, Decimal(1), None))
        elif year:  # under 单位：% a year's column is in that unit, unless a row names its own
            stated, stated_scale = unit if unit is not None else (None, Decimal(1))
            columns.append(Column(cell, stated, stated_scale, year.group(1)))
        elif of_year and dated:  # 全国平均（2023年）: that year's value of what it names
            columns.append(Column(dated.group(1), None, Decimal(1), of_year.group(1)))
        elif unit_named is not None:  # 其中：林区本级 is a part of the column before
            columns.append(Column(PART.sub("", name), unit_named, scale, None))
        else:
            return None
    valued = [c for c in columns if not (c.units or c.verdict or GOAL.match(c.name))]
    if valued and all(c.year for c in valued) == any(c.year for c in valued):
        return (
            [Column("序号", None, Decimal(1), None, index=True), *columns] if indexed else columns
        )
    return None


def row(line: str, columns: list[Column]) -> list[Cell] | None:
    """The cells of a row under `columns`, or None when the line is not such a row."""
    cells = list(CELL.finditer(line))
    if columns and columns[0].index:  # under 序号: the row's number
        if not cells or not ROW_NUMBER.match(cells[0].group(0)):
            return None
        cells, columns = cells[1:], columns[1:]
    first = cells[0].group(0) if cells else ""
    # a table of years down its rows (年度 支出（亿元） 增长率（%）; 2020 38.6 4.1)
    row_year = ROW_YEAR.fullmatch(first) if not any(c.year for c in columns) else None
    if len(cells) != len(columns) + 1 or (NUMBER.fullmatch(first) and not row_year):
        return None
    label, row_unit, row_scale = ("", None, Decimal(1)) if row_year else _named(first)
    pairs = list(zip(columns, cells[1:], strict=True))
    for cell in (c for column, c in pairs if column.units):  # 单位: this row's unit
        stated = unit_of(cell.group(0))
        if stated is None:
            return None
        row_unit, row_scale = _counted(stated[0], label), stated[1]
    if not all(VERDICT_CELL.match(c.group(0)) for column, c in pairs if column.verdict):
        return None
    pairs = [p for p in pairs if not (p[0].units or p[0].verdict)]
    if not all(NUMBER.fullmatch(c.group(0)) for _, c in pairs):
        return None
    out = []
    previous: Column | None = None
    for column, cell in pairs:
        own = row_unit is not None and column.year is not None  # 经费（亿元） beside 单位：万元
        unit: Unit | None = row_unit if own or not column.unit else column.unit
        scale = row_scale if own or not column.unit else column.scale
        raw = cell.group(0)
        bound = BOUND.get(raw[0])
        start = cell.start() + len(raw) - len(raw.lstrip("≥≤＞＜><="))
        raw = raw.lstrip("≥≤＞＜><=")
        if raw.endswith("%"):
            unit, scale = UNITS["percent"], Decimal(1)
        if unit is None:
            return None
        if column.signed:
            out.append(_signed(cell, unit, scale, label + column.name, column.year))
            continue
        change = CHANGE.match(column.name) if previous and not previous.year else None
        named = previous if change and previous else column
        goal = bool(GOAL.match(column.name))
        if column.year and not YEAR.fullmatch(column.name):
            name = column.name + label  # 全国平均（2023年）: the average's value, not the row's
        elif column.year or goal or REACHED.match(column.name):
            name = label  # 普惠性幼儿园覆盖率 under 目标值 and 完成值: the row's indicator
        elif TOTAL.match(label):
            name = named.name
        else:
            name = label + named.name
        value = tidy(Decimal(raw.rstrip("%").replace(",", "")) * scale)
        direction = (1 if change["up"] else -1) if change else 0
        year = column.year or (row_year.group(1) if row_year else None)
        goal = goal or bound is not None
        out.append(Cell(start, cell.end(), raw, value, unit, name, year, direction, goal, bound))
        previous = column
    return out


def _counted(unit: Unit, label: str) -> Unit:
    """56人以上大班额 个: a row in 个 takes the unit of the noun it counts."""
    if unit.code != "item":
        return unit
    code = counts.counted_before(label)
    return UNITS[code] if code else unit


def _signed(cell: re.Match[str], unit: Unit, scale: Decimal, name: str, year: str | None) -> Cell:
    """A signed change (+1.8, -175): its size, and its sign as the direction; a change of a
    percentage is in percentage points."""
    raw = cell.group(0)
    if unit.code == "percent":
        unit = UNITS["percentage-point"]
    value = tidy(abs(Decimal(raw.lstrip("+").rstrip("%").replace(",", ""))) * scale)
    direction = -1 if raw.startswith("-") else 1
    return Cell(cell.start(), cell.end(), raw, value, unit, name, year, direction)
