"""Find the genre's structure: parts, headings, numbered items, 一是/二是 lists.

The reports share a skeleton (工作成效 / 主要做法 / 存在问题 / 改进措施) but not its exact
wording or numbering, so parts are classified by keywords and every numbering form is
accepted in half- or full-width. Element numbers (the IRI segment) run on through the
report, while `notation` keeps the number as printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from edugraph.errors import InputError
from edugraph.ingest.text import Normalised
from edugraph.records import Element, Part, Span

NUMERALS = "一二三四五六七八九十"
PART = re.compile(rf"^([{NUMERALS}]+)、\s*(.*)$", re.S)
HEADING = re.compile(rf"^[（(]([{NUMERALS}]+)[)）]\s*(.*)$", re.S)
# An item number may be followed by a year (3.2020年…) but not by decimals (13.06亿元).
ITEM = re.compile(r"^([0-9０-９]{1,3})[.．、](?![0-9０-９](?![0-9０-９]{3}年))\s*(.*)$", re.S)
ORDINAL = re.compile(
    rf"(?:(?<=^)|(?<=[。；：;:\n]))\s*(?:([{NUMERALS}]+)是|第([{NUMERALS}]+)[，,、])"
)
FIRST_SENTENCE = re.compile(r"^(.*?)(?:[。；！？]|$)", re.S)

# Keywords that say what a part holds; a part may hold several kinds.
PART_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("area", ("做法", "举措", "主要工作", "履职情况", "工作情况", "措施和成效")),
    ("achievement", ("成效", "成绩", "成果")),
    ("problem", ("问题", "不足", "差距", "短板")),
    ("plan", ("改进", "下一步", "打算", "努力方向", "整改", "工作思路")),
)
PLAN_TRANSITION = re.compile(r"下一步|改进措施|整改措施|工作打算|努力方向")


def cn_number(text: str) -> int:
    """Value of a Chinese numeral up to 99 (一, 十, 十二, 二十三)."""
    digits = {c: i + 1 for i, c in enumerate(NUMERALS[:9])}
    if "十" not in text:
        return digits.get(text, 0) if len(text) == 1 else 0
    tens, _, units = text.partition("十")
    return (digits.get(tens, 0) if tens else 1) * 10 + (digits.get(units, 0) if units else 0)


def arabic(text: str) -> int:
    return int(text.translate(str.maketrans("０１２３４５６７８９", "0123456789")))


def part_kinds(title: str) -> tuple[str, ...]:
    kinds = tuple(kind for kind, words in PART_KINDS if any(w in title for w in words))
    if "area" in kinds and "achievement" in kinds:
        return ("area",)  # 主要做法和成效: headings group measures; results stay in their text
    return kinds


@dataclass(frozen=True, slots=True)
class Paragraph:
    begin: int
    end: int
    text: str
    marker: str  # part | heading | item | ""
    number: int
    notation: str
    body: str  # text after the marker
    body_begin: int


class Segmenter:
    """Turn normalised text into parts and elements (without extraction)."""

    def __init__(self, norm: Normalised, *, source: str):
        self.norm = norm
        self.source = source
        self.counters: dict[str, int] = {}
        self.elements: list[Element] = []

    def span(self, begin: int, end: int) -> Span:
        while end > begin and self.norm.text[end - 1] in " \n":
            end -= 1
        return Span(begin, end, self.norm.text[begin:end], self.norm.line_of(begin))

    def run(self) -> tuple[Span | None, list[Part], list[Element]]:
        paragraphs = [self._paragraph(b, e) for b, e in self.norm.paragraphs]
        starts = self._part_starts(paragraphs)
        if not starts:
            raise InputError(
                "no recognisable structure: no numbered parts such as 一、工作成效 or 二、主要做法",
                source=self.source,
            )
        preamble = (
            self.span(paragraphs[0].begin, paragraphs[starts[0] - 1].end) if starts[0] else None
        )
        parts: list[Part] = []
        for k, start in enumerate(starts):
            stop = starts[k + 1] if k + 1 < len(starts) else len(paragraphs)
            head, members = paragraphs[start], paragraphs[start + 1 : stop]
            title = head.body.strip().rstrip("。：:")
            end = members[-1].end if members else head.end
            part = Part(
                len(parts) + 1, head.notation, title, part_kinds(title), self.span(head.begin, end)
            )
            parts.append(part)
            self._segment_part(part, members)
        if not any(e.kind in ("area", "measure", "achievement") for e in self.elements):
            raise InputError(
                "no recognisable structure: no achievements, practice headings or measures",
                source=self.source,
            )
        return preamble, parts, self.elements

    def _paragraph(self, begin: int, end: int) -> Paragraph:
        text = self.norm.text[begin:end]
        for marker, pattern in (("part", PART), ("heading", HEADING), ("item", ITEM)):
            m = pattern.match(text)
            if m:
                number = arabic(m.group(1)) if marker == "item" else cn_number(m.group(1))
                notation = _notation(marker, m.group(1), text[: m.start(2)].strip(), number)
                return Paragraph(
                    begin, end, text, marker, number, notation, m.group(2), begin + m.start(2)
                )
        return Paragraph(begin, end, text, "", 0, "", text, begin)

    @staticmethod
    def _part_starts(paragraphs: list[Paragraph]) -> list[int]:
        """Indexes of part headings, accepted only in sequence (一、 二、 三、 …)."""
        starts: list[int] = []
        for i, p in enumerate(paragraphs):
            if p.marker == "part" and p.number == len(starts) + 1 and len(p.text) <= 40:
                starts.append(i)
        return starts

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
        element = Element(kind, n, notation, label, span, parent=parent, part=part.n)
        self.elements.append(element)
        return element

    def _segment_part(self, part: Part, members: list[Paragraph]) -> None:
        kinds = set(part.kinds)
        if "area" in kinds:
            self._practices(part, members)
        elif kinds == {"achievement"}:
            self._headed(part, members, "achievement")
        elif "problem" in kinds and "plan" in kinds:
            self._problems_and_plans(part, members)
        elif "problem" in kinds:
            self._listed(part, members, "problem")
        elif "plan" in kinds:
            self._listed(part, members, "plan")

    def _blocks(self, members: list[Paragraph], marker: str) -> Iterator[tuple[Paragraph, int]]:
        """Each paragraph with `marker`, and the end of the text it governs."""
        for i, p in enumerate(members):
            if p.marker != marker:
                continue
            end = p.end
            for q in members[i + 1 :]:
                if q.marker in ("heading", "item") or (marker == "item" and q.marker):
                    break
                end = q.end
            yield p, end

    def _headed(self, part: Part, members: list[Paragraph], kind: str) -> None:
        marker = "heading" if any(p.marker == "heading" for p in members) else "item"
        for p, end in self._blocks(members, marker):
            self._new(kind, p.notation, first_sentence(p.body), self.span(p.begin, end), part)

    def _practices(self, part: Part, members: list[Paragraph]) -> None:
        area: Element | None = None
        has_items = any(p.marker == "item" for p in members)
        for p in members:
            if p.marker == "heading":
                area = self._new(
                    "area", p.notation, first_sentence(p.body), self.span(p.begin, p.end), part
                )
                if not has_items:  # a heading with its own text and no numbered items
                    self._new(
                        "measure", p.notation, area.label, area.span, part, parent=area.local_id
                    )
        for p, end in self._blocks(members, "item"):
            parent = self._area_before(p.begin)
            self._new(
                "measure",
                p.notation,
                first_sentence(p.body),
                self.span(p.begin, end),
                part,
                parent=parent,
            )
        _ = area

    def _area_before(self, offset: int) -> str | None:
        areas = [e for e in self.elements if e.kind == "area" and e.span.begin < offset]
        return areas[-1].local_id if areas else None

    def _listed(self, part: Part, members: list[Paragraph], kind: str) -> None:
        if any(p.marker in ("heading", "item") for p in members):
            self._headed(part, members, kind)
            return
        begin = members[0].begin if members else part.span.end
        end = members[-1].end if members else part.span.end
        if not self._ordinals(part, begin, end, kind):
            for p in members:
                self._new(kind, "", first_sentence(p.text), self.span(p.begin, p.end), part)

    def _problems_and_plans(self, part: Part, members: list[Paragraph]) -> None:
        sub = [
            p for p in members if p.marker == "heading" and part_kinds(p.body) and len(p.body) <= 12
        ]
        if sub:  # （一）存在问题 （二）改进措施 as sub-parts
            for k, head in enumerate(sub):
                stop = members.index(sub[k + 1]) if k + 1 < len(sub) else len(members)
                inner = members[members.index(head) + 1 : stop]
                kinds = part_kinds(head.body)
                self._listed(part, inner, "problem" if "problem" in kinds else "plan")
            return
        first_heading = next(
            (i for i, p in enumerate(members) if p.marker == "heading"), len(members)
        )
        before = members[:first_heading]
        if before and self._ordinals(part, before[0].begin, before[-1].end, "problem"):
            self._headed(part, members[first_heading:], "plan")
            return
        turn = next(
            (i for i, p in enumerate(members) if not p.marker and PLAN_TRANSITION.search(p.text)),
            None,
        )
        if turn is None:
            self._headed(part, members, "problem")
            return
        self._headed(part, members[:turn], "problem")
        self._headed(part, members[turn:], "plan")

    def _ordinals(self, part: Part, begin: int, end: int, kind: str) -> bool:
        """Split 一是…二是… (or 第一，第二，) into elements; False when there is no such list."""
        text = self.norm.text
        found: list[re.Match[str]] = []
        for m in ORDINAL.finditer(text, begin, end):
            if cn_number(m.group(1) or m.group(2)) == len(found) + 1:
                found.append(m)
        if len(found) < 2:
            return False
        for k, m in enumerate(found):
            stop = found[k + 1].start() if k + 1 < len(found) else _list_end(text, m.end(), end)
            start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
            notation = m.group(0).strip().rstrip("，,、")
            self._new(
                kind, notation, first_sentence(text[m.end() : stop]), self.span(start, stop), part
            )
        return True


def _notation(marker: str, numeral: str, printed: str, number: int) -> str:
    """As DESIGN.md shows them: parts "二", headings "(七)" as printed, items "21"."""
    return {"part": numeral, "item": str(number)}.get(marker, printed)


def _list_end(text: str, start: int, end: int) -> int:
    """The last item of a 一是 list ends with its paragraph."""
    newline = text.find("\n", start, end)
    return end if newline < 0 else newline


def first_sentence(text: str) -> str:
    m = FIRST_SENTENCE.match(text.strip())
    return (m.group(1) if m else text).strip()
