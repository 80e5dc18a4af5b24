"""From figures in sentences to observations, targets and the relations the text states.

The quantity parser says what a number is (3.6万人 → 36000 persons, a change, a baseline);
this module says what it measures and when: the indicator whose cue stands nearest the figure
(before it, else after it) in the figure's own unit, the period the sentence or its paragraph
states, and whether the figure is a target. A figure whose indicator the scheme lacks gets a
report-local indicator, flagged for curation, never dropped. The deciding is done by
indicators.py (what), periods.py (when) and relations.py (parts, shares, differences); this
module reads the sentences and tables, runs them and makes the records.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from edugraph.ingest import phrases, tables
from edugraph.ingest.extract import concepts_in
from edugraph.ingest.indicators import choose, each_member, fits
from edugraph.ingest.periods import (
    DEADLINE,
    PART_OF,
    PERIOD,
    as_of_going_on,
    carries,
    checks_on,
    current_year,
    date,
    evaluated_year,
    governing_years,
    settle,
    stated_period,
    stock_month,
    year_only,
)
from edugraph.ingest.placed import Found
from edugraph.ingest.quantities import Mention, find_quantities, per_capita
from edugraph.ingest.relations import (
    national_differences,
    renumber,
    sentence_relations,
    standard_comparisons,
)
from edugraph.ingest.text import simplified
from edugraph.ingest.units import Unit
from edugraph.ingest.zeros import zeros
from edugraph.records import (
    Element,
    Metadata,
    Observation,
    Relation,
    Span,
    TargetRecord,
)
from edugraph.reference import Reference, local_id
from edugraph.vocab import pinyin_slug

LineOf = Callable[[int], int]
CHRONICLE = 3  # a sentence with this many years of its own tells a history
# A sentence, with the bracketed note after its end ((分值5分，得分4.5分)): the note is about it.
SENTENCE = re.compile(r"[^。；！？]+(?:[。；！？](?:[（(][^（()）。；！？\n]*[）)])?)?")
QUOTA = re.compile(r"(?<!重点)(?<!主要)任务")  # 扩招任务3.6万人; 重点任务24项 counts tasks
BELOW = re.compile(r"(?:(?<!不)低于|(?<!不)少于|不足)(?:每[^，,；;\d]{0,4})?$")
BOUND_AFTER = re.compile(r"\s*及?以[上下内]")
# 秋季学期计划招聘教师380名, 届时可新增学位5400个: what is planned, not a programme (提升计划投入)
PLANNED = re.compile(
    r"(?:^|(?<=[年季期月，,、区县市省旗州将还并共已]))计划(?:于[^，,；;]*)?(?=[招投新建完补安开实])"
    r"|届时"
)


@dataclass(slots=True)
class _Table:
    """A table rendered as lines, as far as its rows have been read."""

    columns: list[tables.Column]
    begin: int
    end: int
    text: str
    period: str | None


@dataclass(frozen=True, slots=True)
class _Row:
    table: _Table
    cells: list[tables.Cell]
    offset: int  # where the row's line starts in the table's text


@dataclass(slots=True)
class FigureExtractor:
    """Figures of one report; `set_by` names the body that set a target in a sentence."""

    reference: Reference
    meta: Metadata
    line_of: LineOf
    set_by: Callable[[str], str | None]
    sentences: list[tuple[Element, list[Found]]] = field(default_factory=list)
    table: _Table | None = None  # the table whose rows may follow
    recent: str | None = None  # the last period a sentence stated (dates a table after it)
    signed: str | None = None  # the month under the signature (截至目前)
    stated: tuple[int, tuple[Unit, Decimal]] | None = None  # 单位：% and where its line ends
    slugs: dict[str, str] = field(default_factory=dict)  # a report-local label → its IRI slug
    taken: set[str] = field(default_factory=set)  # the slugs given so far

    def run(
        self, elements: list[Element]
    ) -> tuple[list[Observation], list[TargetRecord], list[Relation]]:
        for element in elements:  # the caller passes the elements whose text no other holds
            self._element(element)
        found = [item for _, placed in self.sentences for item in placed]
        for n, item in enumerate(found, start=1):
            item.n = n
        settle(found, self.meta)
        targets = self._targets(found)
        for target in targets:
            deadline = target.deadline
            for n in target.observations if deadline else ():
                item = found[n - 1]  # numbered from 1 in order
                if item.deadline is None and deadline:
                    item.deadline = item.period = deadline
                    item.period_inferred = True
        observations = [self._observation(item) for item in found]
        relations = [r for _, placed in self.sentences for r in sentence_relations(placed)]
        relations += national_differences(found, self.reference.standards)
        relations += standard_comparisons(found, self.reference.standards)
        numbered = [renumber(r, k) for k, r in enumerate(relations, start=1)]
        return observations, targets, numbered

    def _element(self, element: Element) -> None:
        """Periods by scope: a sentence's own date, else the year (or years: 2019、2020年度)
        that governs its paragraph; a date inside a parenthesis, or a span of years that a
        分别 list takes year by year, governs nothing after it."""
        governing: str | None = None
        as_of: str | None = None  # 截至2022年底，…；…: dates the sentence on to its 。
        checking = False  # 经自查，…；…: what the self-check found, on to the 。
        stock: str | None = None
        year = current_year(self.meta)
        for sentence in self._sentences(element):
            if isinstance(sentence, _Row):
                self._row(element, sentence)
                continue
            text = sentence.text
            if PART_OF.match(text) and stock:
                as_of = stock  # 截至2023年底，全区共有…。其中，普通高等学校38所…
            explicit = [
                (m.start(), m.end(), period)
                for m in PERIOD.finditer(text)
                if (period := stated_period(m, year, self.signed))
            ]
            placed = self._place(element, sentence)
            sizes = Counter(item.mention.group for item in placed)
            for item in placed:
                dated_by = governing if explicit else as_of or governing  # …；2022年…: its own
                size = sizes[item.mention.group]
                date(item, explicit, dated_by, size=size, meta=self.meta, checking=checking)
            checking = checks_on(text, checking)
            self.sentences.append((element, placed))
            free = governing_years(text, explicit)
            if len({year_only(p) for p in free}) >= CHRONICLE:
                governing = None  # 1998年…2006年…2018年: the dates of a history date its events
            elif free:
                governing = year_only(free[-1]) if carries(free[-1], self.meta) else None
            if recent := governing_years(text, explicit, evaluation=True):
                self.recent = recent[-1]  # 对2020年度…评价的得分如下：dates the table
            stock = stock_month(text, free, as_of)
            as_of = as_of_going_on(text, free, as_of)

    def _sentences(self, element: Element) -> Iterator[Span | _Row]:
        """The element's sentences, and the rows of a table rendered as lines (tables.py)
        whose header is in this element or just before it."""
        text, base = element.span.text, element.span.begin
        segment = 0
        at = 0
        # 单位：% on the line before a table that is an element of its own
        unit = self.stated[1] if self.stated and self.stated[0] + 1 == base else None
        for line in text.split("\n"):
            begin, end = base + at, base + at + len(line)
            if self.table and begin == self.table.end + 1 and tables.SEPARATOR.match(line):
                self.table.text += "\n" + line  # | --- |: the rule under a header of pipes
                self.table.end = end
                segment = at = at + len(line) + 1
                continue
            columns = tables.header(simplified(line), unit=unit)
            unit = tables.stated_unit(simplified(line))
            self.stated = (end, unit) if unit else self.stated
            cells = None
            if self.table and begin == self.table.end + 1:
                cells = tables.row(simplified(line), self.table.columns)
            if columns or cells:
                yield from self._split(text, base, segment, at)
                segment = at + len(line) + 1
            if columns:
                self.table = _Table(columns, begin, end, line, self.recent)
            elif cells and self.table:
                self.table.text += "\n" + line
                self.table.end = end
                yield _Row(self.table, cells, len(self.table.text) - len(line))
            elif line.strip():
                self.table = None
            at += len(line) + 1
        yield from self._split(text, base, segment, len(text))

    def _split(self, text: str, base: int, begin: int, end: int) -> Iterator[Span]:
        for m in SENTENCE.finditer(text, begin, end):
            at = base + m.start()
            yield Span(at, at + len(m.group(0)), m.group(0), self.line_of(at))

    def _row(self, element: Element, row: _Row) -> None:
        """Each cell of a table's row, a figure: the row's label with the column's name."""
        table = row.table
        sentence = Span(table.begin, table.end, table.text, self.line_of(table.begin))
        placed = []
        for cell in row.cells:
            mention = Mention(
                start=row.offset + cell.start,
                end=row.offset + cell.end,
                raw=cell.raw,
                value=cell.value,
                unit=cell.unit,
                qualifier=cell.qualifier,
                kind="change" if cell.direction else "value",
                direction=cell.direction,
                period_hint=None,
                comparison="year-on-year" if cell.direction else None,
                group=None,
                index=0,
            )
            mention = per_capita(mention, cell.label)  # 生均公用经费（元）
            item = Found(mention, sentence, subject=element.local_id)
            fitting = [i for i in self.reference.indicators if fits(i, mention, None)]
            named = [i for i in fitting if cell.label in (i.zh, *i.alt)]
            item.indicator = named[0] if named else None
            item.local_label = "" if named else cell.label
            planned = element.kind == "plan" and not _done(cell, evaluated_year(self.meta))
            planned = planned or cell.goal
            item.value_type = "target" if planned else "change" if cell.direction else "actual"
            item.period = cell.year or table.period or ""
            item.period_inferred = not item.period
            placed.append(item)
        self.sentences.append((element, placed))

    def _place(self, element: Element, sentence: Span) -> list[Found]:
        stated = zeros(sentence.text)
        mentions = sorted(find_quantities(sentence.text) + stated, key=lambda m: m.start)
        placed: list[Found] = []
        aligned: list[Found] = []  # one a mention, as choose() reads them: A、B各1所 is one
        named = concepts_in(simplified(sentence.text), self.reference.stages)
        for k, mention in enumerate(mentions):
            subject = element.local_id
            item = Found(mention, sentence, subject=subject, exact=mention in stated)
            choose(
                item, mentions, k, aligned, element, self.reference.indicators, named_stages=named
            )
            item.value_type = _value_type(mention, sentence.text, planned=element.kind == "plan")
            placed.extend(each_member(item, self.reference.indicators))
            aligned.append(item)
        return placed

    def _observation(self, item: Found) -> Observation:
        m, indicator = item.mention, item.indicator
        start = m.start if item.anchor is None else item.anchor
        begin = item.sentence.begin + start
        written = item.sentence.text[start : m.end]
        return Observation(
            n=item.n,
            subject=item.subject,
            indicator=self._indicator_key(item),
            local=indicator is None,
            indicator_label=indicator.zh if indicator else _spoken(item.local_label),
            value=-m.value if m.direction < 0 else m.value,
            unit=m.unit.code,
            value_type=item.value_type,
            qualifier=m.qualifier,
            period=item.period,
            period_inferred=item.period_inferred,
            span=Span(begin, begin + len(written), written, self.line_of(begin)),
            sentence=item.sentence,
            base_period=m.period_hint if m.comparison == "base-year" else None,
            comparison=m.comparison,
            precision=Decimal(0) if item.exact else precision(m.raw),
            low=m.low,
            per=m.per,
        )

    def _targets(self, found: list[Found]) -> list[TargetRecord]:
        """One target per indicator and value, however often the report states it."""
        groups: dict[tuple[str, Decimal, str], list[Found]] = {}
        for item in found:
            if item.value_type == "target":
                key = (self._indicator_key(item), item.mention.value, item.mention.unit.code)
                groups.setdefault(key, []).append(item)
        targets = []
        for n, ((indicator, value, unit), items) in enumerate(groups.items(), start=1):
            first = items[0]
            targets.append(
                TargetRecord(
                    n=n,
                    subject=first.subject,
                    indicator=indicator,
                    local=first.indicator is None,
                    comparator=_comparator(first.mention),
                    value=value,
                    unit=unit,
                    deadline=next((i.deadline for i in items if i.deadline), None),
                    set_by=self._setter(first),
                    observations=tuple(i.n for i in items),
                    sentence=first.sentence,
                )
            )
        return targets

    def _indicator_key(self, item: Found) -> str:
        return item.indicator.id if item.indicator else self._local_slug(_spoken(item.local_label))

    def _local_slug(self, label: str) -> str:
        """One slug per label: 初中生 and 初中/生, or 教师 and 教室, spell alike in pinyin."""
        if label not in self.slugs:
            slug = local_slug(label)
            if slug in self.taken:
                slug = f"{slug}-{hashlib.sha256(label.encode()).hexdigest()[:6]}"
            self.slugs[label] = slug
            self.taken.add(slug)
        return self.slugs[label]

    def _setter(self, item: Found) -> str:
        text = item.sentence.text[: item.mention.start]
        return self.set_by(text) or local_id(self.meta, "government")


WRITTEN = re.compile(r"([0-9０-９]+)(?:[.．]([0-9０-９]+))?\s*(万亿|千万|万|亿)?")
MULTIPLIER = {
    "万亿": Decimal(10) ** 12,
    "千万": Decimal(10) ** 7,
    "万": Decimal(10) ** 4,
    "亿": Decimal(10) ** 8,
}


def precision(raw: str) -> Decimal:
    """The unit of the last digit a figure is written to, in base units: 5.7万人 → 1000,
    81.6% → 0.1, 2227所 → 1. Arithmetic checks allow half of it as rounding. A figure written
    without digits (基本消除…大班额: zero) is exact."""
    numbers = list(WRITTEN.finditer(raw))
    if not numbers:
        return Decimal(0)
    last = numbers[-1]  # a ratio 1︰217 is stored as its second number
    decimals = len(last.group(2) or "")
    return Decimal(1).scaleb(-decimals) * MULTIPLIER.get(last.group(3) or "", Decimal(1))


def _done(cell: tables.Cell, year: str) -> bool:
    """A table under the plans that scores the self-check (分值, 自评得分) or gives a year
    already evaluated (指标 2021年 2022年) states what was done, not what is planned."""
    return cell.unit.code == "point" or bool(cell.year and cell.year <= year)


def _value_type(m: Mention, text: str, *, planned: bool) -> str:
    """A figure in an improvement measure is planned, so a target; so are 任务, …的目标,
    到2020年…, 距离…, and bounds such as 不低于 (but not a level reached, 95%以上)."""
    if m.kind in ("baseline", "change"):
        return m.kind
    if planned:
        return "target"
    before, after = text[: m.start], text[m.end :]
    clause = re.split(r"[，,；;]", before)[-1]
    bound = m.qualifier in ("at-least", "at-most") and not BOUND_AFTER.match(after)
    bound = bound and not BELOW.search(simplified(clause))  # 不足35%, 低于3平方米: a state
    bound = bound and not (m.per and m.unit.code == "yuan")  # 每人每月不低于300元: a rate paid
    if bound and not any(verb in clause for verb in phrases.GRAMMAR.done):
        return "target"  # 不低于1︰350 sets a bound; 保持在95%以上, 研究…不少于4次 report what was
    if (
        after.startswith(("的目标", "的要求", "目标"))
        or clause.endswith("距离")
        or QUOTA.search(clause)
    ):
        return "target"
    if DEADLINE.search(clause) or PLANNED.search(simplified(clause)):
        return "target"
    return "actual"


def local_slug(label: str) -> str:
    return pinyin_slug(label, limit=60)


def _comparator(m: Mention) -> str:
    if m.qualifier == "at-most" or (m.qualifier == "at-least" and m.unit.code == "ratio"):
        return "<="  # 不低于1:350 is at most 350 students per teacher
    return ">="


_BROKEN = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


def _spoken(label: str) -> str:
    """A label as one says it: a line broken inside a word (县委教 育工作) leaves a space there."""
    return _BROKEN.sub("", label)
