"""Find the genre's structure: parts, headings, numbered items, 一是/二是 lists.

The reports share a skeleton (基本情况 / 工作成效 / 主要做法 / 存在问题 / 改进措施) but not its
wording or numbering, so parts are classified by cue words from reference data
(`data/reference/part-kinds.toml`), where the numbering forms are listed too; every form is
accepted in half- or full-width, in traditional script and as OCR misreads it. Patterns run
on the text's matching copy (`Normalised.match`); labels and spans quote the text itself.
Element numbers (the IRI segment) run on through the report, while `notation` keeps the number
as printed, duplicates and gaps included. This module finds the parts and their kinds
(partkinds.py has the kinds as loaded); elements.py cuts each part into its elements.

Nothing is dropped: text no rule places (a part's opening paragraph, a paragraph after a list,
the report's closing, a part of unknown kind) becomes an element of its own, so that every
character belongs to the outline and its figures and bodies reach the graph.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

from edugraph.ingest.elements import TITLE_LIMIT, Cutter, Paragraph, first_sentence, title_phrase
from edugraph.ingest.partkinds import ITEM_LEVELS, LEVELS, PartKinds, arabic, cn_number, strong
from edugraph.ingest.partkinds import load_part_kinds as load_part_kinds  # graph/ reads it here
from edugraph.ingest.quantities import find_quantities
from edugraph.ingest.text import Normalised
from edugraph.records import Element, Part, Span

# A contents entry over the text (一、基本情况　1, （二）落实教育优先发展……3): a heading's
# title, a gap or leader dots, and its page; not the heading itself, which comes later.
CONTENTS_ENTRY = re.compile(r"^[^，。；]{2,40}?(?:[ \u3000]+|[.…·．]{2,}\s*)[0-9]{1,3}$")
TITLE_STOPS = "。；：！？ \u3000"
SENTENCE_END = re.compile(r"[。；！？]")


class Segmenter(Cutter):
    """Turn normalised text into parts and elements (without extraction)."""

    def __init__(self, norm: Normalised, *, source: str, kinds: PartKinds | None = None):
        super().__init__(norm, kinds=kinds)
        self.source = source
        self.practices = True  # whether a part's title names practices (主要做法, 履职情况)

    def run(self) -> tuple[Span | None, list[Part], list[Element]]:
        paragraphs = _shift([self._paragraph(b, e) for b, e in self.norm.paragraphs])
        paragraphs = paragraphs[: self._closing(paragraphs)]  # the closing is placed last
        starts = self._part_starts(paragraphs)
        heading_parts = not starts
        starts = starts or self._heading_parts(paragraphs)
        parts: list[Part] = []
        if starts:
            first = starts[0]
        else:  # no 一、 parts: the report is one part, from its first numbered paragraph
            marked = [i for i, p in enumerate(paragraphs) if p.marker]
            first = marked[0] if marked else _title_lines(paragraphs)
        preamble = self.span(paragraphs[0].begin, paragraphs[first - 1].end) if first else None
        if starts:
            self.practices = any(self._names_practices(paragraphs[s]) for s in starts)
            for k, start in enumerate(starts):
                stop = starts[k + 1] if k + 1 < len(starts) else len(paragraphs)
                head, members = paragraphs[start], paragraphs[start + 1 : stop]
                parts.append(self._part(len(parts) + 1, head, members, heading=heading_parts))
        elif first < len(paragraphs):
            parts.append(self._implicit_part(paragraphs[first:]))
        self._place_the_rest(preamble, parts)
        if preamble is not None:
            label = first_sentence(preamble.text, self.norm.match[preamble.begin : preamble.end])
            self.elements.append(Element("preamble", 1, "", label, preamble))
        self.elements.sort(key=lambda e: (e.span.begin, -e.span.end))
        return preamble, parts, self.elements

    def coverage(self, preamble: Span | None) -> tuple[float, list[Span]]:
        """Share of the text's characters (blanks aside) in the outline, and what is not."""
        covered = self._covered(preamble)
        text = self.norm.text
        total = sum(1 for c in text if not c.isspace())
        inside = sum(1 for i, c in enumerate(text) if covered[i] and not c.isspace())
        return (inside / total if total else 1.0), [
            self.span(b, e) for b, e in _runs(covered, text)
        ]

    def _covered(self, preamble: Span | None) -> list[bool]:
        covered = [False] * len(self.norm.text)
        spans = [*self.placed, *(e.span for e in self.elements)]
        for s in [preamble, *spans] if preamble else spans:
            covered[s.begin : s.end] = [True] * (s.end - s.begin)
        return covered

    def _paragraph(self, begin: int, end: int) -> Paragraph:
        text = self.norm.text[begin:end]
        match = self.norm.match[begin:end]
        for form in () if CONTENTS_ENTRY.match(match) else self.kinds.numbering:
            m = form.pattern.match(match)
            if not m:
                continue
            numeral = m.group("n") if form.numeral != "none" else ""
            number = {"chinese": cn_number, "arabic": arabic}.get(form.numeral, len)(numeral)
            if form.numeral != "none" and not number:
                continue
            body = m.start("body")
            notation = {
                "numeral": numeral,
                "printed": text[:body].strip().rstrip("，,、：:"),
                "number": str(number),
            }.get(form.notation, "")
            title = m.group("title") if "title" in form.pattern.groupindex else ""
            return Paragraph(
                begin,
                end,
                text,
                form.level,
                number,
                notation,
                text[body:],
                begin + body,
                m.group("body"),
                title.strip(),
            )
        return Paragraph(begin, end, text, "", 0, "", text, begin, match)

    def _closing(self, paragraphs: list[Paragraph]) -> int:
        """Index of the paragraph that opens the closing (特此报告。), or the end."""
        for i in range(len(paragraphs) - 1, 0, -1):
            if paragraphs[i].match.startswith(self.kinds.closing):
                return i
        return len(paragraphs)

    def _part_starts(self, paragraphs: list[Paragraph]) -> list[int]:
        """Indexes of part headings: a short title numbered on from the last one (a number
        repeated or one skipped is the report's own numbering, kept in the notation)."""
        starts: list[int] = []
        last = 0
        for i, p in enumerate(paragraphs):
            if p.marker != "part" or len(title_phrase(p.match)) > TITLE_LIMIT:
                continue
            if p.number == 1 and starts and _contents(paragraphs[starts[0] : i], starts, p):
                starts, last = [], 0  # the titles before were a table of contents
            if (not starts and p.number <= 3) or (starts and last <= p.number <= last + 2):
                starts.append(i)
                last = p.number
        return starts

    def _names_practices(self, head: Paragraph) -> bool:
        return "area" in self.kinds.classify(title_phrase(head.match))

    def _results_as_practices(self, kinds: tuple[str, ...], members: list[Paragraph]) -> bool:
        """A part of results (履职主要成效) over （一） headings, where no part's title names
        practices, is the report's account of what was done: its headings are areas."""
        heads = any(p.marker == "heading" for p in members)
        return kinds in (("achievement",), ("process",)) and heads and not self.practices

    def _heading_parts(self, paragraphs: list[Paragraph]) -> list[int]:
        """With no 一、 parts, （一） headings act as parts when one of them names a part kind
        (（六）存在的不足): the report's outline starts a level down."""
        heads = [i for i, p in enumerate(paragraphs) if p.marker == "heading"]
        titles = [title_phrase(paragraphs[i].match) for i in heads]
        named = any(len(t) <= 16 and strong(self.kinds, t) for t in titles)
        return heads if named and all(len(t) <= TITLE_LIMIT for t in titles) else []

    def _heading_kinds(self, members: list[Paragraph]) -> tuple[str, ...]:
        """The kind most of a part's headings (or, with none, its items) name, when it has
        several."""
        votes: Counter[str] = Counter()
        heads = [p for p in members if p.marker == "heading"]
        heads = heads or [p for p in members if p.marker in ITEM_LEVELS]
        for p in heads:
            votes.update(self.kinds.classify(title_phrase(p.match)))
        if len(heads) < 2 or not votes:
            return ()
        top = max(votes.values())
        return tuple(k.id for k in self.kinds.kinds if votes[k.id] == top)

    def _part(
        self, n: int, head: Paragraph, members: list[Paragraph], *, heading: bool = False
    ) -> Part:
        title_match = title_phrase(head.match)
        title = head.body[: len(title_match)].strip()
        end = members[-1].end if members else head.end
        kinds = self.kinds.classify(title_match) or (self.kinds.duty_kinds if heading else ())
        inferred = False
        if self.kinds.headings_decide(kinds):
            named = self._heading_kinds(members)
            kinds, inferred = (named, True) if named else (kinds, False)
        if self._results_as_practices(kinds, members):
            kinds, inferred = ("area", "achievement"), True
        if not kinds:
            text = self.norm.match[head.end : end]
            kinds = self.kinds.by_content(text, figures=len(find_quantities(text)))
            inferred = bool(kinds)
        title_end = head.body_begin + len(title_match)
        while title_end < head.end and self.norm.match[title_end] in TITLE_STOPS:
            title_end += 1  # the stop after the title is the title's
        heading_span = self.span(head.begin, title_end)
        self.placed.append(heading_span)
        part = Part(
            n,
            head.notation,
            title,
            kinds or ("other",),
            self.span(head.begin, end),
            inferred=inferred,
            heading=heading_span,
        )
        if heading and self.kinds.segment(part.kinds) == "practices":
            members = [head, *members]  # a heading as a part is also its practice area
        elif rest := self._rest(head, title_end):
            members = [rest, *members]  # 一、基本情况。全县… : the text goes on after the title
        self._segment_part(part, _levels(members))
        return part

    def _rest(self, head: Paragraph, title_end: int) -> Paragraph | None:
        """What follows a part's title in its own paragraph, as a paragraph of its own."""
        begin = title_end
        if begin >= head.end:
            return None
        text = self.norm.text[begin : head.end]
        return Paragraph(
            begin, head.end, text, "", 0, "", text, begin, self.norm.match[begin : head.end]
        )

    def _implicit_part(self, members: list[Paragraph]) -> Part:
        """A report (or fragment) without 一、 parts: one part, of the kinds its headings name."""
        votes: Counter[str] = Counter()
        for p in members:
            if p.marker == "heading":
                votes.update(self.kinds.classify(title_phrase(p.match)))
        text = self.norm.match[members[0].begin : members[-1].end]
        kinds: tuple[str, ...] = (votes.most_common(1)[0][0],) if votes else ()
        kinds = kinds or self.kinds.by_content(text, figures=len(find_quantities(text)))
        part = Part(
            1,
            "",
            "",
            kinds or ("other",),
            self.span(members[0].begin, members[-1].end),
            implicit=True,
            inferred=True,
        )
        self._segment_part(part, _levels(members))
        return part

    def _place_the_rest(self, preamble: Span | None, parts: list[Part]) -> None:
        """Every stretch of text no rule placed becomes an element: the opening of a part
        before its first element (introduction), what follows the last element of the report
        (closing), anything else (a section of its part)."""
        covered = self._covered(preamble)
        last_end = max((e.span.end for e in self.elements), default=0)
        for begin, end in _runs(covered, self.norm.text):
            part = next((p for p in parts if p.span.begin <= begin < p.span.end + 1), None)
            if part is None and parts and begin >= parts[-1].span.end:
                part = parts[-1]  # the closing (特此报告, the issuer, the date)
            if part is None:
                continue  # before the first part: the preamble holds it
            span = self.span(begin, end)
            label = first_sentence(span.text, self.norm.match[span.begin : span.end]) or span.text
            inside = [e for e in self.elements if e.part == part.n and e.kind != "introduction"]
            if not inside or begin < min(e.span.begin for e in inside):
                kind = "introduction"
            elif (part is parts[-1] and begin >= last_end) or begin >= part.span.end:
                kind = "closing"
            else:
                kind = "section"
            self._new(kind, "", label, span, part)


def _shift(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """With 第一部分 parts (two or more, numbered on from 第一), every numbering goes a level down:
    第一部分 marks the parts, 一、 the headings, （一） the items."""
    numbers = [p.number for p in paragraphs if p.marker == "division"]
    if len(numbers) < 2 or numbers[:2] != [1, 2]:
        return [replace(p, marker="") if p.marker == "division" else p for p in paragraphs]
    below = dict(itertools.pairwise(LEVELS))
    return [replace(p, marker=below[p.marker]) if p.marker else p for p in paragraphs]


def _levels(members: list[Paragraph]) -> list[Paragraph]:
    """The highest item numbering present in a part numbers its items (（1） where a part has no
    1., ① or 1) where it has neither); a lower one is the text of its item."""
    present = [m for m in ITEM_LEVELS if any(p.marker == m for p in members)]
    top = present[0] if present else "item"
    return [
        (replace(p, marker="item" if p.marker == top else "") if p.marker in ITEM_LEVELS else p)
        for p in members
    ]


def _contents(between: list[Paragraph], starts: list[int], again: Paragraph) -> bool:
    """Whether the part titles before `again` (a part numbered 1 again) were a table of
    contents: two or more, with no sentence among them (title lines and headings may be), and
    either nothing but title lines up to `again` or the first title repeated there (a report's
    preamble may come between its contents and its first part)."""
    listed = between[: starts[-1] - starts[0] + 1]
    if len(starts) < 2 or any(SENTENCE_END.search(p.match) for p in listed):
        return False
    first = title_phrase(between[0].match)
    return first == title_phrase(again.match) or not any(
        SENTENCE_END.search(p.match) for p in between
    )


def _title_lines(paragraphs: list[Paragraph]) -> int:
    """How many opening paragraphs are title lines (short, no full stop): the preamble of a
    report that has no numbered structure at all."""
    n = 0
    while (
        n < len(paragraphs) - 1
        and len(paragraphs[n].text) <= TITLE_LIMIT
        and "。" not in paragraphs[n].match
    ):
        n += 1
    return n


def _runs(covered: list[bool], text: str) -> Iterator[tuple[int, int]]:
    """Maximal stretches of text with something other than blanks that nothing covers."""
    i = 0
    while i < len(text):
        if covered[i] or text[i].isspace():
            i += 1
            continue
        j = i
        while j < len(text) and not covered[j]:
            j += 1
        yield i, j
        i = j
