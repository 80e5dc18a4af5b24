"""From figures in sentences to observations, targets and the relations the text states.

The quantity parser says what a number is (3.6万人 → 36000 persons, a change, a baseline);
this module says what it measures and when: the indicator whose cue stands nearest the figure
(before it, else after it) in the figure's own unit, the period the sentence or its paragraph
states, and whether the figure is a target. A figure whose indicator the scheme lacks gets a
report-local indicator, flagged for curation, never dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal

import cn2an

from edugraph.ingest import phrases, tables
from edugraph.ingest.quantities import UNITS, Mention, find_quantities, per_capita
from edugraph.ingest.text import simplified
from edugraph.records import (
    Element,
    Metadata,
    Observation,
    Relation,
    Span,
    TargetRecord,
)
from edugraph.reference import Indicator, Reference, local_id
from edugraph.vocab import pinyin_slug

LineOf = Callable[[int], int]
SENTENCE = re.compile(r"[^。；！？]+[。；！？]?")
# Periods a sentence states: 2018年至2020年, 截至2020年8月, 2020年8月, 2020届, 2019、2020年度,
# 2019年; and the relative 今年/当年 (the report's year), 上年/去年 (the year before) and
# 近三年 (the last three years, the report's year the last; the numeral read by cn2an).
PERIOD = re.compile(
    r"(?<![到至较比从])(?P<from>\d{4})\s*年?\s*(?:至|到|—|-|~)\s*(?P<to>\d{4})\s*年(?!底前)"
    r"|(?<![到至较比从])(?:截至|截止)?(?P<years>\d{4}(?:、\d{4})*)年"
    r"(?:度|(?P<end>底|末)(?!前))?(?:(?P<month>\d{1,2})月)?(?!的|以来|底前)"
    r"|(?P<class>\d{4})届"
    r"|(?<![到至较比从])(?P<relative>今年|本年|当年|上年|去年)(?!同期|的)"
    r"|(?:近|最近)(?P<recent>[两二三四五六七八九十]|[2-9])年(?:来)?"
)
# 全县2019年已通过…认定: a year that dates what was already done then governs nothing after
DONE_THEN = re.compile(r"[^，,。；;\d]{0,2}(?:就|便)?已(?:经)?")
WHOLE_YEAR = re.compile(r"全年|年内|每年|年度")
# 组织…7个县…自查，梳理38项; 区直21个部门…对照评价细则逐项自查: when the self-check was done
SELF_CHECK = re.compile(r"(?:组织|部门|单位|对照|参与).*?(?:自查|自评)")
# 开展2021年度对…履行教育职责评价工作: a year that names the evaluation dates nothing after it
EVALUATION_YEAR = re.compile(r"(?:度)?(?:对[^，,。；;]{0,16}?)?(?:履行|督导评价|评价)")
PREVIOUS_YEAR_BASE = re.compile(r"[比较由从](?:上年|去年)(?:同期)?的\s*$")
DEADLINE = re.compile(r"(?<![加降少高升长])(?:到|至)(\d{4})年")  # not 下降到2019年
CLAUSE_BREAK = re.compile(r"[，,；;：:]")
ELIMINATE = re.compile(
    r"(到\d{4}年(?:底前?)?|年底前)?(?:(?:基本|全面)?消除(?:义务教育)?(\d+人以上(?:超)?大班额)"
    r"|(?<![未尚难没])(?:基本|全面)消除[^，,。；;、\d]{0,8}?((?:超)?大班额))(?![\d０-９]|比例|占比|率|数|问题)"
)  # 全面消除城区学校大班额: none left, whatever their size
CONTINUATION = re.compile(
    r"^[，、,和及至到~\-—\s]*(?:其中)?(?:实际|超额|距离)?(?:[比较](?:上年|去年)(?:同期)?|与上年相比)?"
    r"(?:完成|达到|为|同比|增长|减少|下降|提高|增加|共)*了?[，、\s]*$"
)  # …96.8亿元，比上年增长6.2%: the change of the figure before
ASCII_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
RATE_UNITS = {"percent", "percentage-point"}
NOT_COUNTS = RATE_UNITS | {"yuan", "ratio", "coefficient", "times", "point", "square-metre"}
NOT_COUNTS |= {"square-kilometre", "year"}
QUOTA = re.compile(r"(?<!重点)(?<!主要)任务")  # 扩招任务3.6万人; 重点任务24项 counts tasks
BELOW = re.compile(r"(?:(?<!不)低于|(?<!不)少于|不足)(?:每[^，,；;\d]{0,4})?$")
BOUND_AFTER = re.compile(r"\s*及?以[上下内]")
ALL_OF = re.compile(r"[均都](?:已|已经)?(?:达到|达|为|是|超过|保持在|实现)?\s*$")
LIST_MEMBER = re.compile(r"、|和|及")
UNNAMED = "未命名指标"  # a figure whose clause names nothing: it says so, for curation
NOUN_UNITS = {"township", "class", "device", "set", "room", "lesson"}
UNIT_WORD = re.compile(r"^[0-9０-９.．,，\s]+(?:万|亿|余|多)*")
ADDITIVE_UNITS = {"yuan", "person", "person-time", "institution", "item", "event", "organisation"}
ADDITIVE_UNITS |= {"square-metre", "count"}


@dataclass(slots=True)
class Found:
    """A mention placed in its sentence, with what this module decided about it."""

    mention: Mention
    sentence: Span
    subject: str = ""
    indicator: Indicator | None = None
    local_label: str = ""
    value_type: str = "actual"
    period: str = ""
    period_inferred: bool = False
    deadline: str | None = None
    n: int = 0
    cue_end: int = 0  # where in the sentence the cue it took ends (0: none taken ahead of it)
    exact: bool = False  # stated without digits (基本消除: zero)
    anchor: int | None = None  # where its span starts when not at the number (a 均 list)


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

    def run(
        self, elements: list[Element]
    ) -> tuple[list[Observation], list[TargetRecord], list[Relation]]:
        for element in elements:  # the caller passes the elements whose text no other holds
            self._element(element)
        found = [item for _, placed in self.sentences for item in placed]
        for n, item in enumerate(found, start=1):
            item.n = n
        self._careful_periods(found)
        targets = self._targets(found)
        for target in targets:
            deadline = target.deadline
            for n in target.observations if deadline else ():
                item = found[n - 1]  # numbered from 1 in order
                if item.deadline is None and deadline:
                    item.deadline = item.period = deadline
                    item.period_inferred = True
        observations = [self._observation(item) for item in found]
        relations = [r for _, placed in self.sentences for r in _sentence_relations(placed)]
        relations += self._national_differences(found) + self._standard_comparisons(found)
        numbered = [_renumber(r, k) for k, r in enumerate(relations, start=1)]
        return observations, targets, numbered

    def _element(self, element: Element) -> None:
        """Periods by scope: a sentence's own date, else the year (or years: 2019、2020年度)
        that governs its paragraph; a date inside a parenthesis, or a span of years that a
        分别 list takes year by year, governs nothing after it."""
        governing: str | None = None
        year = self._year()
        for sentence in self._sentences(element):
            if isinstance(sentence, _Row):
                self._row(element, sentence)
                continue
            text = sentence.text
            explicit = [(m.start(), m.end(), _period(m, year)) for m in PERIOD.finditer(text)]
            placed = self._place(element, sentence)
            sizes = Counter(item.mention.group for item in placed)
            for item in placed:
                self._period(item, explicit, governing, size=sizes[item.mention.group])
            self.sentences.append((element, placed))
            # 2018年至2020年 and 近三年 date their own sentence's figures only
            spans = {m.end() for m in PERIOD.finditer(text) if m["from"] or m["recent"]}
            free = [
                p
                for _, end, p in explicit
                if not _in_parenthesis(text, end, len(text))
                and end not in spans
                and not DONE_THEN.match(text, end)
            ]
            if free:
                governing = _year_only(free[-1])
                self.recent = free[-1]

    def _year(self) -> str:
        return report_year(self.meta) or self.meta.period_end[:4]

    def _sentences(self, element: Element) -> Iterator[Span | _Row]:
        """The element's sentences, and the rows of a table rendered as lines (tables.py)
        whose header is in this element or just before it."""
        text, base = element.span.text, element.span.begin
        segment = 0
        at = 0
        for line in text.split("\n"):
            begin, end = base + at, base + at + len(line)
            columns = tables.header(simplified(line))
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
                qualifier=None,
                kind="change" if cell.direction else "value",
                direction=cell.direction,
                period_hint=None,
                comparison="year-on-year" if cell.direction else None,
                group=None,
                index=0,
            )
            mention = per_capita(mention, cell.label)  # 生均公用经费（元）
            item = Found(mention, sentence, subject=element.local_id)
            fitting = [i for i in self.reference.indicators if _fits(i, mention, None)]
            named = [i for i in fitting if cell.label in (i.zh, *i.alt)]
            item.indicator = named[0] if named else None
            item.local_label = "" if named else cell.label
            planned = element.kind == "plan"
            item.value_type = "target" if planned else "change" if cell.direction else "actual"
            item.period = cell.year or table.period or ""
            item.period_inferred = not item.period
            placed.append(item)
        self.sentences.append((element, placed))

    def _place(self, element: Element, sentence: Span) -> list[Found]:
        stated = _eliminations(sentence.text)
        mentions = sorted(find_quantities(sentence.text) + stated, key=lambda m: m.start)
        placed: list[Found] = []
        for k, mention in enumerate(mentions):
            subject = element.local_id
            item = Found(mention, sentence, subject=subject, exact=mention in stated)
            self._indicator(item, mentions, k, placed, element)
            item.value_type = _value_type(mention, sentence.text, planned=element.kind == "plan")
            placed.extend(self._each_member(item, element))
        return placed

    def _each_member(self, item: Found, element: Element) -> list[Found]:
        """A、B、C均达到100%: one figure a member, each its own indicator; the span of each but
        the last runs from its member to the number."""
        m, text = item.mention, simplified(item.sentence.text)
        start = phrases.clause_start(text, m.start)
        shared = ALL_OF.search(text, start, m.start)
        if m.group is not None or not shared:
            return [item]
        members: list[tuple[int, str]] = []
        at, pending = start, start
        parts = LIST_MEMBER.split(text[start : shared.start()])
        for k, part in enumerate(parts):
            at += len(part) + 1
            # a member ends as the last one does (…配备率、…达标率和…安装率); 中小学、幼儿园…率
            # is one member whose scope is a list
            if part.endswith(parts[-1][-1:]) or k == len(parts) - 1:
                members.append((pending, text[pending : at - 1]))
                pending = at
        if len(members) < 2 or not all(2 <= len(p) <= 24 for _, p in members):
            return [item]
        candidates = [i for i in self.reference.indicators if _fits(i, m, None)]
        out = []
        for k, (at, part) in enumerate(members):
            member = item if k == len(members) - 1 else replace(item, anchor=at)
            name = phrases.subject(part) if k == 0 else part
            named = [i for i in candidates if name in (i.zh, *i.alt)]
            member.indicator = named[0] if named else None
            member.local_label = "" if named else name
            out.append(member)
        return out

    def _indicator(
        self, item: Found, mentions: list[Mention], k: int, placed: list[Found], element: Element
    ) -> None:
        """A 分别 list gives each figure its member, in order; otherwise cue search in the
        figure itself, its clause, the rest of its clause after it, then back to the previous
        figure (a cue already taken by the previous figure is not taken again); else a
        report-local indicator named by the noun phrase the figure measures."""
        m, text = item.mention, simplified(item.sentence.text)
        first = _group_first(mentions, k)
        start = max(mentions[first - 1].end, placed[first - 1].cue_end) if first else 0
        head = mentions[first].start
        previous = placed[first - 1].indicator if first else None
        candidates = [
            i
            for i in self.reference.indicators
            if _fits(i, m, previous) and (not i.requires or any(w in text for w in i.requires))
        ]
        stages = set(element.stages)
        size = sum(1 for x in mentions if x.group == m.group) if m.group is not None else 1
        listed = phrases.members(text, head, size, floor=start)
        member = listed[m.index] if listed else None
        exact = [i for i in candidates if member in (i.zh, *i.alt)] if member else []
        if exact:  # a member is the scheme's indicator only when it names it as it is
            item.indicator = exact[0]
            return
        breaks = [b.end() for b in CLAUSE_BREAK.finditer(text, start, head)]
        clause = text[breaks[-1] if breaks else start : head]
        ahead_end = mentions[k + 1].start if k + 1 < len(mentions) else len(text)
        listed_next = text.find("、", m.end, ahead_end)  # 特殊教育学校1所、幼儿园40所
        ahead_end = listed_next if listed_next >= 0 else ahead_end
        ahead = text[m.end : min(ahead_end, phrases.clause_end(text, m.end))]
        for window, backward in ((m.raw, True), (clause, True), (ahead, False)):
            found = _nearest(candidates, window, backward=backward, stages=stages)
            if found:
                item.indicator, cue = found
                if window is ahead:
                    item.cue_end = m.end + ahead.find(cue) + len(cue)
                return
        back = text[start:head]
        if first and CONTINUATION.match(back):
            item.indicator = placed[first - 1].indicator
            item.local_label = _next_member(placed[first - 1], item, text)
            return
        label = member or self._local_label(item, head, start, placed)
        if item.indicator:
            return
        own = phrases.names_it(phrases.label(text, m.start, m.end, floor=start))
        found = None if member or own else _nearest(candidates, back, backward=True, stages=stages)
        if found:
            item.indicator = found[0]
        else:
            item.local_label = label

    def _local_label(self, item: Found, head: int, start: int, placed: list[Found]) -> str:
        """The noun phrase of the figure's clause; for a figure whose clause names only a
        comparison (…17.2亿元，比上年增长8.2%), what the previous figure measures."""
        m, text = item.mention, simplified(item.sentence.text)
        floor = placed[-1].mention.end if placed else 0
        count = m.unit.code not in NOT_COUNTS
        written = UNIT_WORD.sub("", m.raw)  # 辖6镇: the unit word is the noun
        if head < m.start:  # 辖9个镇、4个乡: the list's verb, this member's noun
            after = phrases.counted(text[m.end : phrases.clause_end(text, m.end)])
            verb = phrases.label(text, head, head, floor=start)
            noun = after or (written if m.unit.code in NOUN_UNITS else "")
            governing = next((v for v in phrases.GOVERNING if verb.endswith(v)), "")
            if governing and noun and len(noun) < 2:  # 某县辖8镇4乡: 辖镇, 辖乡
                verb = governing
            label = verb + noun if len(verb) <= 2 else (noun if len(noun) >= 2 else verb)
        else:
            label = phrases.label(text, m.start, m.end, floor=floor, count=count, per=bool(m.per))
            governing = next((v for v in phrases.GOVERNING if text.endswith(v, 0, m.start)), "")
            if m.unit.code in NOUN_UNITS and governing:  # 某县辖8镇: 辖镇
                label = governing + written
            elif len(label) < 2 and m.unit.code in NOUN_UNITS:
                label += written
            elif label.endswith(phrases.GRAMMAR.actions) and re.fullmatch("个..+", written):
                label = written[1:]  # 对照6个方面: a verb names nothing, 方面 does
        if m.unit.code == "yuan" and m.per:
            label = phrases.amount_of(label, text, m.start) or label
        if len(label) >= 2:
            return label
        listed = _listed_before(item, placed)
        if listed:
            return listed
        before = placed[-1] if placed else None
        if before and before.indicator:  # a clause of a comparison only: the figure before
            item.indicator = before.indicator
            return ""
        if before and before.local_label not in ("", UNNAMED):
            return _next_member(before, item, text)
        clause = phrases.NUMBERING.sub("", text[phrases.clause_start(text, m.start) : m.start])
        clause = phrases.subject(phrases.GRAMMAR.comparison.split(clause)[0])
        after = phrases.counted(text[m.end : phrases.clause_end(text, m.end)])
        return next((w for w in (clause, after, label) if w), UNNAMED)

    def _period(
        self,
        item: Found,
        explicit: list[tuple[int, int, str]],
        governing: str | None,
        *,
        size: int,
    ) -> None:
        m, text = item.mention, item.sentence.text
        deadlines = [d for d in DEADLINE.finditer(text) if d.end() <= m.start]
        item.deadline = _deadline(deadlines[-1]) if deadlines else None
        before = [
            (end, p)
            for _, end, p in explicit
            if end <= m.start
            and not _in_parenthesis(text, end, m.start)
            and "\n" not in text[end : m.start]  # a row's date (整改时限) dates its own line
        ]
        simple = simplified(text)
        check = SELF_CHECK.search(simple)
        dated = [(e, p) for e, p in before if not EVALUATION_YEAR.match(simple, e)]
        if m.period_hint and m.comparison != "base-year":
            item.period = m.period_hint
        elif check and m.unit.code != "point" and not dated:
            item.period = self.meta.issued[:4]
        elif item.value_type == "target" and item.deadline:
            item.period = item.deadline
        elif PREVIOUS_YEAR_BASE.search(text, 0, m.start):
            item.value_type = "baseline"  # 比上年的10587.12元: last year's value
            year = before[-1][1][:4] if before else self._year()
            item.period = str(int(year) - 1)
        elif before:
            end, period = before[-1]
            # a month dates its sentence, but not what was done 全年 (the whole year)
            item.period = _year_only(period) if WHOLE_YEAR.search(text, end, m.start) else period
            years = period.split("/")
            if (
                len(years) == 2
                and m.group is not None
                and size == int(years[1]) - int(years[0]) + 1
            ):
                item.period = str(int(years[0]) + m.index)  # 2018年至2020年…分别为x、y、z
        else:  # settled in _careful_periods once every figure of the report is known
            item.period = governing or ""
            item.period_inferred = True
        if item.value_type == "target" and item.deadline is None and "任务" in item.sentence.text:
            item.deadline = item.period  # a quota is due in the year it is set for

    def _careful_periods(self, found: list[Found]) -> None:
        """An undated figure takes the period of the same figure stated with a date elsewhere
        (巩固率达到95% in a measure is the 2019 rate of the achievements), the period of the
        figure it is a margin of, or else the year the report evaluates (the next one for what
        a plan sets out), or the period the whole report covers (2019年以来)."""
        dated = {
            (f.indicator.id, f.mention.value): f.period
            for f in found
            if f.indicator and f.period and not f.period_inferred
        }
        latest = _latest_actuals(found)
        for item in found:
            if item.period:
                continue
            key = (item.indicator.id, item.mention.value) if item.indicator else None
            base = item.indicator.difference_of if item.indicator else None
            actual = latest.get(base) if base else None
            year = report_year(self.meta)
            if key in dated:
                item.period = dated[key]
            elif actual and actual.period:
                item.period = actual.period
            elif year and item.value_type == "target" and item.subject.startswith("plan/"):
                item.period = str(int(year) + 1)  # what a plan sets out is for the next year
            elif year:
                item.period = year
            else:
                item.period = f"{self.meta.period_start}/{self.meta.period_end}"
            _update_latest(latest, item)  # its period is now known: it may be the latest

    def _observation(self, item: Found) -> Observation:
        m, indicator = item.mention, item.indicator
        start = m.start if item.anchor is None else item.anchor
        begin = item.sentence.begin + start
        written = item.sentence.text[start : m.end]
        return Observation(
            n=item.n,
            subject=item.subject,
            indicator=indicator.id if indicator else local_slug(item.local_label),
            local=indicator is None,
            indicator_label=indicator.zh if indicator else item.local_label,
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
                key = (_indicator_key(item), item.mention.value, item.mention.unit.code)
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

    def _setter(self, item: Found) -> str:
        text = item.sentence.text[: item.mention.start]
        return self.set_by(text) or local_id(self.meta, "government")

    def _national_differences(self, found: list[Found]) -> list[Relation]:
        """超过国家目标任务1.6个百分点: the actual figure minus the national standard."""
        out = []
        latest = _latest_actuals(found)
        for item in found:
            base = item.indicator.difference_of if item.indicator else None
            standard = next((s for s in self.reference.standards if s.indicator == base), None)
            actual = latest.get(base) if base else None
            if base and standard and actual:
                members = (
                    ("minuend", f"observation/{actual.n}"),
                    ("subtrahend", f"standard/{standard.id}"),
                    ("difference", f"observation/{item.n}"),
                )
                out.append(Relation(0, "difference", members, item.sentence))
        return out

    def _standard_comparisons(self, found: list[Found]) -> list[Relation]:
        """A standard that compares two indicators (teachers' pay against civil servants')."""
        out = []
        latest = _latest_actuals(found)
        for standard in self.reference.standards:
            if not standard.reference_indicator:
                continue
            left = latest.get(standard.indicator)
            right = latest.get(standard.reference_indicator)
            if left and right and left.period == right.period:
                members = (
                    ("minuend", f"observation/{left.n}"),
                    ("subtrahend", f"observation/{right.n}"),
                    ("standard", f"standard/{standard.id}"),
                )
                out.append(
                    Relation(
                        0, "comparison", members, left.sentence, comparator=standard.comparator
                    )
                )
        return out


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


def _period(m: re.Match[str], year: str) -> str:
    """The period a match states; `year` is the one 今年 means."""
    if m["from"]:
        return f"{m['from']}/{m['to']}".translate(ASCII_DIGITS)
    if m["class"]:
        return m["class"].translate(ASCII_DIGITS)
    if m["relative"]:
        return year if m["relative"] in ("今年", "本年", "当年") else str(int(year) - 1)
    if m["recent"]:  # 近三年 of a 2018 report: 2016/2018
        span = int(cn2an.cn2an(m["recent"], "smart"))
        return f"{int(year) - span + 1}/{year}"
    years = m["years"].translate(ASCII_DIGITS).split("、")
    if len(years) > 1:
        return f"{years[0]}/{years[-1]}"  # 2019、2020年度
    month = "12" if m["end"] else m["month"]  # 2022年底: December
    return f"{years[0]}-{int(month):02d}" if month else years[0]


# 2020年度…报告, and a year that qualifies the duties (2023年履行教育职责…); not 2019年某省…
EVALUATED_YEAR = re.compile(r"(\d{4})年(?:度|(?=(?:党政领导干部)?履行))")


def report_year(meta: Metadata) -> str | None:
    """The one year a report evaluates (2020年度…报告, else the year its period opens); None
    for a report over the years since a date (2019年以来)."""
    if "以来" in meta.title:
        return None
    title = simplified(meta.title)
    stated = {str(y) for y in re.findall(EVALUATED_YEAR, title)}
    if len(stated) == 1:
        return next(iter(stated))
    return meta.period_start[:4]


def _in_parenthesis(text: str, end: int, at: int) -> bool:
    """A period that closes inside a parenthesis or a title (《…2022年…方案》) before `at`
    says nothing about what follows."""
    for opening, closing in (("（(", "）)"), ("《", "》")):
        opened = max(text.rfind(o, 0, end) for o in opening)
        if opened < 0 or any(0 <= text.find(c, opened) < end for c in closing):
            continue
        closed = min((c for c in (text.find(c, end) for c in closing) if c >= 0), default=-1)
        if 0 <= closed < at and not PERIOD.fullmatch(text[opened + 1 : closed].strip()):
            return True  # …（2019年秋投入使用）dates nothing after it; 近三年（2018年至2020年）does
    return False


def _deadline(m: re.Match[str]) -> str:
    """到2021年 and 到2021年底 → 2021: a deadline is the year it falls in."""
    return m.group(1).translate(ASCII_DIGITS)


def _year_of_list(period: str, m: Mention, size: int) -> str:
    """2018年至2020年…分别为x、y、z: one year for each member of a list as long as the span."""
    years = period.split("/")
    if len(years) == 2 and m.group is not None and size == int(years[1]) - int(years[0]) + 1:
        return str(int(years[0]) + m.index)
    return period


def _year_only(period: str) -> str:
    """2018年10月 in another clause dates an event, not the figures after it: its year does."""
    return period if "/" in period else period[:4]


def _group_first(mentions: list[Mention], k: int) -> int:
    group = mentions[k].group
    if group is None:
        return k
    return next(j for j, m in enumerate(mentions) if m.group == group)


def _fits(indicator: Indicator, m: Mention, previous: Indicator | None) -> bool:
    if indicator.after and (previous is None or previous.id != indicator.after):
        return False
    if indicator.list_index is not None and indicator.list_index != m.index:
        return False
    if m.kind == "change" and m.unit.code in RATE_UNITS and indicator.unit not in RATE_UNITS:
        return True  # 同比减少29% of a count
    return indicator.unit == m.unit.code


def _nearest(
    candidates: list[Indicator], window: str, *, backward: bool, stages: set[str]
) -> tuple[Indicator, str] | None:
    """The indicator whose cue stands nearest the figure; then the longest cue; then stage."""
    best: tuple[int, int, int] | None = None
    chosen = None
    for indicator in candidates:
        for cue in indicator.cues:
            at = window.rfind(cue) if backward else window.find(cue)
            if at < 0:
                continue
            near = at + len(cue) if backward else -at
            score = (near, len(cue), 1 if indicator.stage in stages else 0)
            if best is None or score > best:
                best, chosen = score, (indicator, cue)
    return chosen


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
    if after.startswith(("的目标", "的要求")) or clause.endswith("距离") or QUOTA.search(clause):
        return "target"
    if DEADLINE.search(clause):
        return "target"
    return "actual"


def _next_member(previous: Found, item: Found, text: str) -> str:
    """辖11个镇、3个乡: a count after another that counts another noun keeps the other's verb
    with its own noun (辖镇, then 辖乡); otherwise it measures what the other does."""
    label, p, m = previous.local_label, previous.mention, item.mention
    if m.unit.code in NOT_COUNTS or p.unit.code in NOT_COUNTS or not label:
        return label
    own, theirs = _noun(m, text), _noun(p, text)
    adjacent = p.unit.code in NOUN_UNITS or text.startswith(theirs, p.end)
    if own and not theirs and len(own) >= 2 and UNIT_WORD.sub("", m.raw) != _written(p):
        return own  # 6个方面22项评价指标: the second counts the noun after it
    if own and theirs and own != theirs and adjacent and label.endswith(theirs):
        label = label[: len(label) - len(theirs)] + own
        governing = next((v for v in phrases.GOVERNING if text.endswith(v, 0, p.start)), "")
        return governing + own if len(label) < 2 else label  # 辖7个街道、2个镇: 辖镇
    return label


def _written(m: Mention) -> str:
    """The unit word as written: 个方面, 项, 所."""
    return UNIT_WORD.sub("", m.raw)


def _noun(m: Mention, text: str) -> str:
    """The noun a count counts: its unit word (8镇), else the noun after it (11个镇)."""
    if m.unit.code in NOUN_UNITS:
        return UNIT_WORD.sub("", m.raw)
    return phrases.counted(text[m.end : phrases.clause_end(text, m.end)])


def _listed_before(item: Found, placed: list[Found]) -> str:
    """分别为x、y，分别较上年增长a、b: a 分别 list whose members were named in an earlier
    clause takes the members of the last list as long, each with what changed."""
    m = item.mention
    if m.group is None or "分别" not in item.sentence.text[: m.start]:
        return ""
    groups = [p for p in placed if p.mention.group is not None and p.mention.group != m.group]
    same = [p for p in groups if p.mention.index == m.index]
    if not same:
        return ""
    base = same[-1].indicator.zh if same[-1].indicator else same[-1].local_label
    if m.kind == "change" and m.unit.code in RATE_UNITS and same[-1].mention.unit != m.unit:
        return base + ("下降率" if m.direction < 0 else "增长率")
    return base


def local_slug(label: str) -> str:
    return pinyin_slug(label, limit=60)


def _indicator_key(item: Found) -> str:
    return item.indicator.id if item.indicator else local_slug(item.local_label)


def _comparator(m: Mention) -> str:
    if m.qualifier == "at-most" or (m.qualifier == "at-least" and m.unit.code == "ratio"):
        return "<="  # 不低于1:350 is at most 350 students per teacher
    return ">="


def _eliminations(text: str) -> list[Mention]:
    """到2021年基本消除66人以上超大班额 states a target of zero without a figure; 全面消除
    66人以上超大班额 states that there are none left."""
    return [
        Mention(
            start=m.start(2 if m.group(2) else 3),
            end=m.end(2 if m.group(2) else 3),
            raw=m.group(2) or m.group(3),
            value=Decimal(0),
            unit=UNITS["item"],
            qualifier="at-most" if m.group(1) and m.group(1).startswith("到") else None,
            kind="value",
            direction=0,
            period_hint=None,
            comparison=None,
            group=None,
            index=0,
        )
        for m in ELIMINATE.finditer(text)
    ]


def _latest_actuals(found: list[Found]) -> dict[str, Found]:
    """The latest actual figure of each indicator (the first stated of a period), in one pass."""
    latest: dict[str, Found] = {}
    for item in found:
        _update_latest(latest, item)
    return latest


def _update_latest(latest: dict[str, Found], item: Found) -> None:
    if not item.indicator or item.value_type != "actual":
        return
    best = latest.get(item.indicator.id)
    if best is None or (item.period, -item.n) > (best.period, -best.n):
        latest[item.indicator.id] = item


def _ref(item: Found) -> str:
    return f"observation/{item.n}"


def _sentence_relations(placed: list[Found]) -> list[Relation]:
    return _parts(placed) + _shares(placed) + _differences(placed) + _growths(placed)


def _parts(placed: list[Found]) -> list[Relation]:
    """Figures after 其中 are parts of the last same-unit figure before it (sums, not rates)."""
    if not placed:
        return []
    cut = placed[0].sentence.text.find("其中")
    if cut < 0:
        return []
    out = []
    for item in placed:
        unit = item.mention.unit.code
        if item.mention.start < cut or unit not in ADDITIVE_UNITS or item.value_type != "actual":
            continue
        wholes = [
            w
            for w in placed
            if w.mention.end <= cut and w.mention.unit.code == unit and w.value_type == "actual"
        ]
        if wholes:
            members = (("part", _ref(item)), ("whole", _ref(wholes[-1])))
            out.append(Relation(0, "part-of", members, item.sentence))
    return out


def _shares(placed: list[Found]) -> list[Relation]:
    """完成率38.4% after 5792所 … 2227所: the rate of the count before it, of the one before."""
    out = []
    for k, item in enumerate(placed):
        indicator = item.indicator
        if not indicator or not indicator.after or item.mention.unit.code != "percent" or k < 2:
            continue
        part, earlier = placed[k - 1], placed[: k - 1]
        wholes = [w for w in earlier if w.mention.unit.code == part.mention.unit.code]
        if part.indicator and part.indicator.id == indicator.after and wholes:
            members = (("part", _ref(part)), ("whole", _ref(wholes[-1])), ("share", _ref(item)))
            out.append(Relation(0, "share", members, item.sentence))
    return out


def _differences(placed: list[Found]) -> list[Relation]:
    """任务3.6万人，实际完成5.7万人，超额完成2.1万人: actual minus target."""
    out = []
    for item in placed:
        m = item.mention
        if m.kind != "change" or m.unit.code not in ADDITIVE_UNITS or item.indicator is None:
            continue
        same = [p for p in placed if p.indicator == item.indicator and p is not item]
        target = next((p for p in same if p.value_type == "target"), None)
        actual = next((p for p in same if p.value_type == "actual"), None)
        if target and actual:
            members = (
                ("minuend", _ref(actual)),
                ("subtrahend", _ref(target)),
                ("difference", _ref(item)),
            )
            out.append(Relation(0, "difference", members, item.sentence))
    return out


GROWTH_UP = re.compile(r"增加到|提高到|上升到|增长到|提升到|增至")
GROWTH_DOWN = re.compile(r"下降到|降低到|减少到|降至|减至")


def _growths(placed: list[Found]) -> list[Relation]:
    """从2018年的24个增加到40个: base and current, paired by position in the list."""
    out = []
    groups: dict[int, list[Found]] = {}
    for item in placed:
        if item.mention.comparison == "from-to" and item.mention.group is not None:
            groups.setdefault(item.mention.group, []).append(item)
    for items in groups.values():
        text = items[0].sentence.text
        direction = 1 if GROWTH_UP.search(text) else -1 if GROWTH_DOWN.search(text) else 0
        bases = [i for i in items if i.value_type == "baseline"]
        currents = [i for i in items if i.value_type != "baseline"]
        for base, current in zip(bases, currents, strict=False):
            members = (("base", _ref(base)), ("current", _ref(current)))
            out.append(Relation(0, "growth", members, base.sentence, direction=direction))
    return out


def _renumber(relation: Relation, n: int) -> Relation:
    return replace(relation, n=n)
