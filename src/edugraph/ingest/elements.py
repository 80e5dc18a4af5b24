"""Cut a part of a report into its elements: areas and measures, achievements, problems, plans.

segment.py finds the parts and what kind each is; the kind says how its paragraphs are cut
(part-kinds.toml's `segment`): numbered headings and items, 一是/二是 lists, paragraphs that open
with a heading sentence, a table rendered as lines, or problems then plans after a 下一步
transition. Element numbers run on through the report; `notation` keeps the number as printed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from edugraph.ingest import tables
from edugraph.ingest.partkinds import CIRCLED, NUMERALS, PartKinds, cn_number, load_part_kinds
from edugraph.ingest.text import Normalised
from edugraph.records import Element, Part, Span

ORDINAL = re.compile(
    rf"(?:(?<=^)|(?<=[。；：;:\n，,])|(?<=[我本][省市县区州旗盟]将))\s*(?:([{NUMERALS}]+)是|第([{NUMERALS}]+)[，,、])"
)
BRACKETED = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
# A practice's items numbered inside its paragraph, after a stop (…教育工作。② 州委组织部…)
INLINE = re.compile(rf"(?<=[。；;！？])\s*([{CIRCLED}{BRACKETED}])")
FIRST_SENTENCE = re.compile(r"^(.*?)(?:[。；！？]|$)", re.S)
TITLE_END = re.compile(r"[。；：！？]|(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])")
PLAN_TRANSITION = re.compile(r"下一步|改进措施|整改措施|工作打算|努力方向")
LABELLED_PROBLEM = re.compile(r"[ \u3000]*(?:存在的?)?问题[ \u3000]*[：:][ \u3000]*\S")
# An item that pairs a problem with its remedy: (一)问题：… 措施：… (the label on its own line too)
PAIRED_PLAN = re.compile(
    r"(?:(?<=^)|(?<=[。；;！？\n]))[ \u3000]*"
    r"(?:(?:改进|整改|解决)?措施|下一步(?:打算|计划)?|整改方向)[ \u3000]*[：:]"
)
TITLE_LIMIT = 40  # a part title is a phrase, not a sentence
HEADING_SENTENCE = 16  # a paragraph's first sentence this short is its heading
LEADING_STOPS = " \n\u3000。；，、！？"  # a passage that opens with a stop: its label skips it
TABLE_HEADER = 8  # a column's name in a table's header is a short phrase
# What a row of a table gives for a column that names a part kind (存在问题, 整改措施)
COLUMN_KINDS = dict(area="measure", achievement="achievement", problem="problem", plan="plan")
FIGURE = re.compile(r"[+-]?[0-9０-９][0-9０-９.,]*[%％]?")  # a row's cell, never a header's


@dataclass(frozen=True, slots=True)
class Paragraph:
    begin: int
    end: int
    text: str  # as written
    marker: str  # part | heading | item | sub-item | ""
    number: int
    notation: str
    body: str  # text after the marker, as written
    body_begin: int
    match: str = ""  # `body` in the matching copy
    title: str = ""  # a bracketed title that labels it (【加强党的领导】)


class Cutter:
    """The elements of one report as they are cut, numbered on through it."""

    def __init__(self, norm: Normalised, *, kinds: PartKinds | None = None):
        self.norm = norm
        self.kinds = kinds or load_part_kinds()
        self.counters: dict[str, int] = {}
        self.elements: list[Element] = []
        self.placed: list[Span] = []  # part titles: in the outline, though not elements
        self.tables: list[int] = []  # where a table's lines begin, each its own element

    def span(self, begin: int, end: int) -> Span:
        while end > begin and self.norm.text[end - 1] in " \n\u3000":
            end -= 1
        while begin < end and self.norm.text[begin] in " \n\u3000":
            begin += 1
        return Span(begin, end, self.norm.text[begin:end], self.norm.line_of(begin))

    def _new(
        self,
        kind: str,
        notation: str,
        label: str,
        span: Span,
        part: Part,
        parent: str | None = None,
    ) -> Element:
        n = self.counters.get(kind, 0) + 1
        self.counters[kind] = n
        label = label or span.text[:TITLE_LIMIT]  # every element has a label
        element = Element(kind, n, notation, label, span, parent=parent, part=part.n)
        self.elements.append(element)
        return element

    def _label(self, p: Paragraph) -> str:
        return p.title or first_sentence(p.body, p.match)

    def _segment_part(self, part: Part, members: list[Paragraph]) -> None:
        rows = self._table(part, members)
        if rows:  # the table's rows are its elements; numbered text beside it goes on
            self.tables += [p.begin for p in members if id(p) in rows]
            members = [p for p in members if id(p) not in rows]
            if not any(p.marker in ("heading", "item") for p in members):
                return
        way = self.kinds.segment(part.kinds)
        if way == "practices":
            self._practices(part, members)
        elif way == "achievements":
            self._listed(part, members, "achievement")
        elif way == "problems-and-plans":
            self._problems_and_plans(part, members)
        elif way == "problems":
            self._listed(part, members, "problem")
        elif way == "plans":
            self._listed(part, members, "plan")
        else:
            self._sections(part, members)

    def _table(self, part: Part, members: list[Paragraph]) -> set[int]:
        """A table rendered as lines whose header names kinds (序号 存在问题 整改措施 责任单位
        完成时限): each row that has as many cells gives an element for each named column, from
        its cell to the next named one (the row's number goes with the first, the responsible
        bodies and the deadline with the last). Returns the header's and rows' ids. Cells are
        cut at the text's spaces (the matching copy moves those after a number)."""
        for i, head in enumerate(members):
            cells = _cells(head)
            if head.marker or not _header([head.match[b:e] for b, e in cells]):
                continue
            if tables.header(head.match) is not None:  # 序号 指标 2022年 2023年: of figures
                continue
            columns = [
                (j, COLUMN_KINDS[kinds[0]])
                for j, (b, e) in enumerate(cells)
                if (kinds := self.kinds.classify(head.match[b:e])) and kinds[0] in COLUMN_KINDS
            ]
            rows = []
            for p in members[i + 1 :]:
                if p.marker or len(_cells(p)) != len(cells):
                    break
                rows.append(p)
            if not columns or not rows:
                continue
            for row in rows:
                starts = [row.begin + b for b, _ in _cells(row)]
                first = row.text[: _cells(row)[0][1]]
                notation = first if first.isdigit() else ""
                bounds = [row.begin, *(starts[j] for j, _ in columns[1:]), row.end]
                for (j, kind), (b, e) in zip(columns, itertools.pairwise(bounds), strict=True):
                    label = self.norm.text[starts[j] : row.begin + _cells(row)[j][1]]
                    self._new(kind, notation, label, self.span(b, e), part)
            return {id(p) for p in [head, *rows]}
        return set()

    def _blocks(self, members: list[Paragraph], marker: str) -> Iterator[tuple[Paragraph, int]]:
        """Each paragraph with `marker`, and the end of the text it governs."""
        for i, p in enumerate(members):
            if p.marker != marker:
                continue
            end = p.end
            for q in members[i + 1 :]:
                if q.marker in ("heading", "item") or (marker == "item" and q.marker == "part"):
                    break
                end = q.end
            table = [b for b in self.tables if p.end <= b < end]  # a table inside ends its text
            yield p, min([end, *table])

    def _headed(self, part: Part, members: list[Paragraph], kind: str) -> None:
        marker = "heading" if any(p.marker == "heading" for p in members) else "item"
        for p, end in self._heading_blocks(members, marker):
            self._new(kind, p.notation, self._label(p), self.span(p.begin, end), part)

    def _heading_blocks(
        self, members: list[Paragraph], marker: str
    ) -> Iterator[tuple[Paragraph, int]]:
        """Like _blocks, but a heading governs the items under it too."""
        if marker != "heading":
            yield from self._blocks(members, marker)
            return
        heads = [i for i, p in enumerate(members) if p.marker == "heading"]
        for k, i in enumerate(heads):
            stop = heads[k + 1] if k + 1 < len(heads) else len(members)
            yield members[i], members[stop - 1].end

    def _practices(self, part: Part, members: list[Paragraph]) -> None:
        if not any(p.marker in ("heading", "item") for p in members):
            self._unnumbered_practices(part, members)
            return
        items = [q.begin for q in members if q.marker == "item"]
        for p, end in self._blocks(members, "heading"):
            heads = [q.begin for q in members if q.begin > p.begin and q.marker == "heading"]
            block = min([*heads, members[-1].end])  # with the items under it; with none, the
            if any(p.begin < b < block for b in items):  # heading's text is one measure
                self._new("area", p.notation, self._label(p), self.span(p.begin, end), part)
                continue
            area = self._new("area", p.notation, self._label(p), self.span(p.begin, p.end), part)
            # no numbered items: the heading's own text, then the text under it, where a
            # paragraph that opens with a short sentence (加强学校党建工作。…) is a measure of
            # its own and any other goes on the one before
            under = [q for q in members if p.end < q.begin and q.end <= end]
            own = len(title_phrase(p.match)) < len(p.match.rstrip("。 "))
            groups: list[list[Paragraph]] = [[p]] if own or not under else []
            for q in under:
                if groups and not _opens_with_heading(q.match):
                    groups[-1].append(q)
                else:
                    groups.append([q])
            for group in groups:
                head, last = group[0], group[-1]
                label = area.label if head is p else self._label(head)
                notation = p.notation if head is p else ""
                found = (head.begin, notation, label)
                for b, e, n, x in self._inline(found, last.end, 1):
                    self._new("measure", n, x, self.span(b, e), part, parent=area.local_id)
        for p, end in self._blocks(members, "item"):
            parent = self._area_before(p.begin)
            first = (p.begin, p.notation, self._label(p))
            for b, e, n, x in self._inline(first, end, p.number + 1 if p.number else 0):
                self._new("measure", n, x, self.span(b, e), part, parent=parent)

    def _inline(
        self, first: tuple[int, str, str], end: int, number: int
    ) -> list[tuple[int, int, str, str]]:
        """A measure's text cut where its items go on numbered inside it (① …。② …, or a
        heading's 一是…二是… when `number` is 1): (begin, end, notation, label) of each."""
        begin, match, text = first[0], self.norm.match, self.norm.text
        marks = [(m.start(1), m.group(1), m.end()) for m in INLINE.finditer(match, begin, end)]
        if number == 1 and not marks:
            marks = [
                (m.start(), m.group(1) or m.group(2), m.end())
                for m in ORDINAL.finditer(match, begin, end)
            ]
        found: list[tuple[int, str, str]] = []
        for at, numeral, body in marks:
            if number and _value(numeral) == number + len(found):
                at, body = self._snap(at, match[at:body].strip())
                label = first_sentence(text[body:end], match[body:end])
                found.append((at, text[at:body].strip().rstrip("，,、"), label))
        if number == 1:  # the text before the list's first item goes with it
            found = found[1:] if len(found) >= 2 else []
        bounds = [b for b, _, _ in found] + [end]
        return [(b, e, n, x) for (b, n, x), e in zip([first, *found], bounds, strict=True)]

    def _snap(self, at: int, mark: str) -> tuple[int, int]:
        """Where a marker found in the matching copy stands in the text (the copy moves the
        spaces a PDF puts around numbers, so a marker after 1,000 名； may sit a space off)."""
        near = [i for i in range(max(0, at - 8), at + 9) if self.norm.text.startswith(mark, i)]
        at = min(near, key=lambda i: abs(i - at)) if mark and near else at
        return at, at + len(mark)

    def _unnumbered_practices(self, part: Part, members: list[Paragraph]) -> None:
        """Practices with no numbering at all: a 一是…二是… list is a list of measures; else
        sentences that open with a measure's opener (针对…问题，…) are one each; else each
        paragraph opens with its heading sentence (加强…。…) and is an area and its measure."""
        if not members:
            return
        if self._ordinals(part, members[0].begin, members[-1].end, "measure"):
            return
        openers = [o for k in self.kinds.kinds if k.id in part.kinds for o in k.openers]
        starts = (
            [
                m.start()
                for m in re.finditer(
                    rf"(?:^|(?<=[。；\n]))(?:{'|'.join(map(re.escape, openers))})",
                    self.norm.match[members[0].begin : members[-1].end],
                )
            ]
            if openers
            else []
        )
        if len(starts) >= 2:
            base = members[0].begin
            bounds = [base + s for s in starts] + [members[-1].end]
            for b, e in itertools.pairwise(bounds):
                label = first_sentence(self.norm.text[b:e], self.norm.match[b:e])
                self._new("measure", "", label, self.span(b, e), part)
            return
        for p in members:
            area = self._new("area", "", self._label(p), self.span(p.begin, p.end), part)
            self._new("measure", "", area.label, area.span, part, parent=area.local_id)

    def _area_before(self, offset: int) -> str | None:
        areas = [e for e in self.elements if e.kind == "area" and e.span.begin < offset]
        return areas[-1].local_id if areas else None

    def _sections(self, part: Part, members: list[Paragraph]) -> None:
        """A part of context, process or unknown kind: its headings and items as sections."""
        heading: Element | None = None
        for p in members:
            if p.marker not in ("heading", "item"):
                continue
            end = next(
                (q.begin for q in members if q.begin > p.begin and q.marker in ("heading", "item")),
                members[-1].end,
            )
            parent = heading.local_id if heading and p.marker == "item" else None
            element = self._new(
                "section", p.notation, self._label(p), self.span(p.begin, end), part, parent
            )
            if p.marker == "heading":
                heading = element

    def _listed(self, part: Part, members: list[Paragraph], kind: str) -> None:
        if any(p.marker in ("heading", "item") for p in members):
            self._headed(part, members, kind)
            return
        begin = members[0].begin if members else part.span.end
        end = members[-1].end if members else part.span.end
        if not self._ordinals(part, begin, end, kind):
            for p in members:
                self._new(
                    kind, "", first_sentence(p.text, p.match), self.span(p.begin, p.end), part
                )

    def _problems_and_plans(self, part: Part, members: list[Paragraph]) -> None:
        sub = [
            p
            for p in members
            # (under 第一部分 parts a （一） sub-part is read a level lower, as an item)
            if p.marker in ("heading", "item")
            and len(p.match) <= 12
            and not LABELLED_PROBLEM.match(p.match)  # (一)问题：学位紧张。 is an item
            and self.kinds.classify(p.match)
        ]
        if sub:  # （一）存在问题 （二）改进措施 as sub-parts
            at = {id(p): i for i, p in enumerate(members)}
            for k, head in enumerate(sub):
                stop = at[id(sub[k + 1])] if k + 1 < len(sub) else len(members)
                inner = members[at[id(head)] + 1 : stop]
                label = self._label(head)  # the sub-part's heading: a section of its own
                self._new("section", head.notation, label, self.span(head.begin, head.end), part)
                kinds = self.kinds.classify(head.match)
                self._listed(part, inner, "problem" if "problem" in kinds else "plan")
            return
        first_heading = next(
            (i for i, p in enumerate(members) if p.marker == "heading"), len(members)
        )
        turn = next(
            (i for i, p in enumerate(members) if not p.marker and PLAN_TRANSITION.search(p.match)),
            None,
        )
        before = members[: first_heading if turn is None else min(first_heading, turn)]
        if before and self._ordinals(part, before[0].begin, before[-1].end, "problem"):
            if first_heading == len(members) and turn is not None:  # 下一步…：一是…, unnumbered
                self._listed(part, members[turn:], "plan")
            else:
                self._headed(part, members[first_heading:], "plan")
            return
        if turn is None:
            self._paired(part, members)
            return
        self._headed(part, members[:turn], "problem")
        self._listed(part, members[turn:], "plan")  # 下一步，我县将一是…二是…: a list

    def _paired(self, part: Part, members: list[Paragraph]) -> None:
        """Problems, each item cut where its remedy is labelled (问题：… 措施：…): the text from
        the label on is the item's plan, numbered as the problem is."""
        marker = "heading" if any(p.marker == "heading" for p in members) else "item"
        for p, end in self._heading_blocks(members, marker):
            turn = PAIRED_PLAN.search(self.norm.match, p.body_begin, end)
            stop = turn.start() if turn else end
            self._new("problem", p.notation, self._label(p), self.span(p.begin, stop), part)
            if turn:
                body = self.span(turn.end(), end)
                label = first_sentence(body.text, self.norm.match[body.begin : body.end])
                self._new("plan", p.notation, label, self.span(turn.start(), end), part)

    def _ordinals(self, part: Part, begin: int, end: int, kind: str) -> bool:
        """Split 一是…二是… (or 第一，第二，) into elements; False when there is no such list."""
        match = self.norm.match
        found: list[re.Match[str]] = []
        for m in ORDINAL.finditer(match, begin, end):
            if cn_number(m.group(1) or m.group(2)) == len(found) + 1:
                found.append(m)
        if len(found) < 2:
            return False
        marks = [self._snap(m.start(), m.group(0).strip()) for m in found]
        for k, (start, body) in enumerate(marks):
            stop = marks[k + 1][0] if k + 1 < len(marks) else _list_end(match, body, end)
            notation = self.norm.text[start:body].rstrip("，,、")
            label = first_sentence(self.norm.text[body:stop], match[body:stop])
            self._new(kind, notation, label, self.span(start, stop), part)
        return True


def _value(numeral: str) -> int:
    """The number an item marker stands for: ③, ⑶ or the 三 of 三是."""
    for series in (CIRCLED, BRACKETED):
        if numeral in series:
            return series.index(numeral) + 1
    return cn_number(numeral)


def _cells(p: Paragraph) -> list[tuple[int, int]]:
    """Where each space-separated cell of a paragraph begins and ends, within it."""
    return [m.span() for m in re.finditer(r"\S+", p.text)]


def _header(names: list[str]) -> bool:
    """A table's header names three or more columns, each by a short phrase, none a figure."""
    return len(names) >= 3 and not any(n[TABLE_HEADER:] or FIGURE.fullmatch(n) for n in names)


def _opens_with_heading(match: str) -> bool:
    """Whether a paragraph opens with a short sentence of its own, as a heading does."""
    stop = TITLE_END.search(match)
    return stop is not None and stop.group(0) == "。" and stop.start() <= HEADING_SENTENCE


def title_phrase(match: str) -> str:
    """A part title: the paragraph up to its first full stop or colon, or a space between
    Chinese words (一、自查工作 我区… in a web copy)."""
    m = TITLE_END.search(match)
    return (match[: m.start()] if m else match).strip()


def _list_end(text: str, start: int, end: int) -> int:
    """The last item of a 一是 list ends with its paragraph."""
    newline = text.find("\n", start, end)
    return end if newline < 0 else newline


def first_sentence(text: str, match: str | None = None) -> str:
    """The first sentence of `text`, cut where its matching copy ends one."""
    match = text if match is None else match
    lead = len(match) - len(match.lstrip(LEADING_STOPS))
    m = FIRST_SENTENCE.match(match[lead:].rstrip())
    end = lead + (m.end(1) if m else len(match))
    return text[lead:end].strip()
