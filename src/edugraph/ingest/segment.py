"""Find the genre's structure: parts, headings, numbered items, 一是/二是 lists.

The reports share a skeleton (基本情况 / 工作成效 / 主要做法 / 存在问题 / 改进措施) but not its
wording or numbering, so parts are classified by cue words from reference data
(`data/reference/part-kinds.toml`), where the numbering forms are listed too; every form is
accepted in half- or full-width, in traditional script and as OCR misreads it. Patterns run
on the text's matching copy (`Normalised.match`); labels and spans quote the text itself.
Element numbers (the IRI segment) run on through the report, while `notation` keeps the number
as printed, duplicates and gaps included.

Nothing is dropped: text no rule places (a part's opening paragraph, a paragraph after a list,
the report's closing, a part of unknown kind) becomes an element of its own, so that every
character belongs to the outline and its figures and bodies reach the graph.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import cn2an

from edugraph.ingest.quantities import find_quantities
from edugraph.ingest.text import Normalised
from edugraph.records import Element, Part, Span
from edugraph.resources import resource

NUMERALS = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# Item numbering from the highest level down: in a part, the highest present numbers its items
# and any lower one is the text of its item (（1） under 1., ① under （1）).
ITEM_LEVELS = ("item", "sub-item", "bracket-item", "circled-item", "minor-item")
# Under 第一部分 parts every numbering stands a level lower than it does under 一、 parts.
LEVELS = ("division", "part", "heading", *ITEM_LEVELS)
NUMERAL_KINDS = ("chinese", "arabic", "none")
NOTATIONS = ("numeral", "printed", "number", "none")
ORDINAL = re.compile(
    rf"(?:(?<=^)|(?<=[。；：;:\n]))\s*(?:([{NUMERALS}]+)是|第([{NUMERALS}]+)[，,、])"
)
FIRST_SENTENCE = re.compile(r"^(.*?)(?:[。；！？]|$)", re.S)
TITLE_END = re.compile(r"[。；：！？]|(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])")
PLAN_TRANSITION = re.compile(r"下一步|改进措施|整改措施|工作打算|努力方向")
TITLE_STOPS = "。；：！？ \u3000"
TITLE_LIMIT = 40  # a part title is a phrase, not a sentence
HEADING_SENTENCE = 16  # a paragraph's first sentence this short is its heading
LEADING_STOPS = " \n\u3000。；，、！？"  # a passage that opens with a stop: its label skips it
TABLE_HEADER = 8  # a column's name in a table's header is a short phrase
# What a row of a table gives for a column that names a part kind (存在问题, 整改措施)
COLUMN_KINDS = {
    "area": "measure",
    "achievement": "achievement",
    "problem": "problem",
    "plan": "plan",
}
KINDS_FILE = resource("reference", "part-kinds.toml")
SEGMENTS = ("practices", "achievements", "problems", "plans", "sections")


@dataclass(frozen=True, slots=True)
class PartKind:
    id: str
    zh: str
    en: str
    segment: str  # how its parts are cut into elements (SEGMENTS)
    cues: tuple[str, ...]
    openers: tuple[str, ...] = ()  # words that open a measure of its own in unnumbered text
    headings_decide: bool = False  # a part of this kind is of the kind its headings name
    content: tuple[str, ...] = ()  # words in the part's text that suggest the kind
    governs: tuple[str, ...] = ()  # cues whose kind the rest of the title takes (下一步…)


@dataclass(frozen=True, slots=True)
class Numbering:
    """A form of paragraph numbering (part-kinds.toml, [[numbering]])."""

    level: str  # LEVELS
    pattern: re.Pattern[str]  # groups n (the number), body (the text after it), title (optional)
    numeral: str  # NUMERAL_KINDS
    notation: str  # NOTATIONS


@dataclass(frozen=True, slots=True)
class PartKinds:
    """The part kinds of the reference data, with how a title is read against them."""

    kinds: tuple[PartKind, ...]
    duty: tuple[str, ...] = ()  # cues of a title that names a duty of the evaluation
    duty_kinds: tuple[str, ...] = ()  # what such a part holds
    closing: tuple[str, ...] = ()  # words that open the report's closing (特此报告)
    numbering: tuple[Numbering, ...] = ()  # how paragraphs are numbered, tried in order

    def classify(self, title: str) -> tuple[str, ...]:
        """Kinds whose cues the title holds (longest cue first, each using up its characters);
        a duty's title when nothing else matched."""
        for kind in self.kinds:
            at = [title.find(c) for c in kind.governs if c in title]
            if at:
                title = title[: min(at)] + kind.governs[0]  # 下一步工作举措: all of it plans
        found = _consume(title, [(c, k.id) for k in self.kinds for c in k.cues])
        if not found and any(c in title for c in self.duty):
            found = set(self.duty_kinds)
        return tuple(k.id for k in self.kinds if k.id in found)

    def by_content(self, text: str, *, figures: int) -> tuple[str, ...]:
        """A kind for a part whose title says nothing: one whose content cues dominate a text
        that states figures (成效 with figures → achievements); otherwise none."""
        scores = {k.id: sum(text.count(c) for c in k.content) for k in self.kinds if k.content}
        best = max(scores, key=lambda k: scores[k], default=None)
        if best is None or scores[best] < 2 or figures < 2:
            return ()
        return (best,)

    def headings_decide(self, kinds: tuple[str, ...]) -> bool:
        return bool(kinds) and all(k.headings_decide for k in self.kinds if k.id in kinds)

    def segment(self, kinds: tuple[str, ...]) -> str:
        """How a part holding `kinds` is cut: practices over achievements (主要做法和成效:
        headings group measures), problems with plans together, else the first kind's way."""
        ways = [k.segment for k in self.kinds if k.id in kinds]
        for way in ("practices", "achievements"):
            if way in ways:
                return way
        if "problems" in ways and "plans" in ways:
            return "problems-and-plans"
        return ways[0] if ways else "sections"


def _consume(title: str, cues: list[tuple[str, str]]) -> set[str]:
    """Kinds of the cues read from left to right, the longest cue at each place first."""
    by_cue: dict[str, set[str]] = {}
    for cue, kind in cues:
        if cue:
            by_cue.setdefault(cue, set()).add(kind)
    longest = sorted(by_cue, key=len, reverse=True)
    found: set[str] = set()
    i = 0
    while i < len(title):
        at = [c for c in longest if title.startswith(c, i)]
        if at:
            found |= by_cue[at[0]]
        i += len(at[0]) if at else 1
    return found


@cache
def load_part_kinds(path: Path = KINDS_FILE) -> PartKinds:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    kinds = []
    for entry in data.get("kind", []):
        if entry["segment"] not in SEGMENTS:
            raise ValueError(f"{path}: kind {entry['id']}: unknown segment {entry['segment']!r}")
        kinds.append(
            PartKind(
                str(entry["id"]),
                str(entry["zh"]),
                str(entry["en"]),
                str(entry["segment"]),
                tuple(entry.get("cues", ())),
                tuple(entry.get("openers", ())),
                bool(entry.get("headings_decide", False)),
                tuple(entry.get("content", ())),
                tuple(entry.get("governs", ())),
            )
        )
    duty = data.get("duty", {})
    return PartKinds(
        tuple(kinds),
        tuple(duty.get("cues", ())),
        tuple(duty.get("kinds", ())),
        tuple(data.get("closing", {}).get("cues", ())),
        tuple(_numbering(path, entry) for entry in data.get("numbering", [])),
    )


def _numbering(path: Path, entry: dict[str, str]) -> Numbering:
    form = Numbering(
        entry["level"], re.compile(entry["pattern"], re.S), entry["numeral"], entry["notation"]
    )
    groups = form.pattern.groupindex
    if (
        form.level not in LEVELS
        or form.numeral not in NUMERAL_KINDS
        or form.notation not in NOTATIONS
        or "body" not in groups
        or ("n" in groups) == (form.numeral == "none")
    ):
        raise ValueError(f"{path}: numbering {entry['pattern']!r}: unknown level, numeral or form")
    return form


def cn_number(text: str) -> int:
    """Value of a Chinese numeral (一, 十, 十二, 二十三); 0 when it is not one."""
    try:
        return int(cn2an.cn2an(text, "strict"))
    except (ValueError, KeyError, TypeError):
        return 0


def arabic(text: str) -> int:
    if text in CIRCLED:
        return CIRCLED.index(text) + 1
    return int(text.translate(str.maketrans("０１２３４５６７８９", "0123456789")))


def part_kinds(title: str) -> tuple[str, ...]:
    return load_part_kinds().classify(title)


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


class Segmenter:
    """Turn normalised text into parts and elements (without extraction)."""

    def __init__(self, norm: Normalised, *, source: str, kinds: PartKinds | None = None):
        self.norm = norm
        self.source = source
        self.kinds = kinds or load_part_kinds()
        self.counters: dict[str, int] = {}
        self.elements: list[Element] = []
        self.placed: list[Span] = []  # part titles: in the outline, though not elements

    def span(self, begin: int, end: int) -> Span:
        while end > begin and self.norm.text[end - 1] in " \n\u3000":
            end -= 1
        while begin < end and self.norm.text[begin] in " \n\u3000":
            begin += 1
        return Span(begin, end, self.norm.text[begin:end], self.norm.line_of(begin))

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
        for form in self.kinds.numbering:
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
            if p.marker != "part" or len(_title(p.match)) > TITLE_LIMIT:
                continue
            if (not starts and p.number <= 3) or (starts and last <= p.number <= last + 2):
                starts.append(i)
                last = p.number
        return starts

    def _heading_parts(self, paragraphs: list[Paragraph]) -> list[int]:
        """With no 一、 parts, （一） headings act as parts when one of them names a part kind
        (（六）存在的不足): the report's outline starts a level down."""
        heads = [i for i, p in enumerate(paragraphs) if p.marker == "heading"]
        titles = [_title(paragraphs[i].match) for i in heads]
        named = any(len(t) <= 16 and _strong(self.kinds, t) for t in titles)
        return heads if named and all(len(t) <= TITLE_LIMIT for t in titles) else []

    def _heading_kinds(self, members: list[Paragraph]) -> tuple[str, ...]:
        """The kind most of a part's headings (or, with none, its items) name, when it has
        several."""
        votes: Counter[str] = Counter()
        heads = [p for p in members if p.marker == "heading"]
        heads = heads or [p for p in members if p.marker in ITEM_LEVELS]
        for p in heads:
            votes.update(self.kinds.classify(_title(p.match)))
        if len(heads) < 2 or not votes:
            return ()
        top = max(votes.values())
        return tuple(k.id for k in self.kinds.kinds if votes[k.id] == top)

    def _part(
        self, n: int, head: Paragraph, members: list[Paragraph], *, heading: bool = False
    ) -> Part:
        title_match = _title(head.match)
        title = head.body[: len(title_match)].strip()
        end = members[-1].end if members else head.end
        kinds = self.kinds.classify(title_match) or (self.kinds.duty_kinds if heading else ())
        inferred = False
        if self.kinds.headings_decide(kinds):
            named = self._heading_kinds(members)
            kinds, inferred = (named, True) if named else (kinds, False)
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
                votes.update(self.kinds.classify(_title(p.match)))
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
            if head.marker or len(cells) < 3 or any(e - b > TABLE_HEADER for b, e in cells):
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
            yield p, end

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
        has_items = any(p.marker == "item" for p in members)
        for p, end in self._blocks(members, "heading"):
            if has_items:
                self._new("area", p.notation, self._label(p), self.span(p.begin, end), part)
                continue
            area = self._new("area", p.notation, self._label(p), self.span(p.begin, p.end), part)
            # no numbered items: the heading's own text, then the text under it, where a
            # paragraph that opens with a short sentence (加强学校党建工作。…) is a measure of
            # its own and any other goes on the one before
            under = [q for q in members if p.end < q.begin and q.end <= end]
            own = len(_title(p.match)) < len(p.match.rstrip("。 "))
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
                span = self.span(head.begin, last.end)
                self._new("measure", notation, label, span, part, parent=area.local_id)
        for p, end in self._blocks(members, "item"):
            parent = self._area_before(p.begin)
            self._new(
                "measure", p.notation, self._label(p), self.span(p.begin, end), part, parent=parent
            )

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
            if p.marker == "heading" and len(p.match) <= 12 and self.kinds.classify(p.match)
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
        before = members[:first_heading]
        if before and self._ordinals(part, before[0].begin, before[-1].end, "problem"):
            self._headed(part, members[first_heading:], "plan")
            return
        turn = next(
            (i for i, p in enumerate(members) if not p.marker and PLAN_TRANSITION.search(p.match)),
            None,
        )
        if turn is None:
            self._headed(part, members, "problem")
            return
        self._headed(part, members[:turn], "problem")
        self._headed(part, members[turn:], "plan")

    def _ordinals(self, part: Part, begin: int, end: int, kind: str) -> bool:
        """Split 一是…二是… (or 第一，第二，) into elements; False when there is no such list."""
        match = self.norm.match
        found: list[re.Match[str]] = []
        for m in ORDINAL.finditer(match, begin, end):
            if cn_number(m.group(1) or m.group(2)) == len(found) + 1:
                found.append(m)
        if len(found) < 2:
            return False
        for k, m in enumerate(found):
            stop = found[k + 1].start() if k + 1 < len(found) else _list_end(match, m.end(), end)
            start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
            notation = self.norm.text[start : m.end()].rstrip("，,、")
            label = first_sentence(self.norm.text[m.end() : stop], match[m.end() : stop])
            self._new(kind, notation, label, self.span(start, stop), part)
        return True

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


def _cells(p: Paragraph) -> list[tuple[int, int]]:
    """Where each space-separated cell of a paragraph begins and ends, within it."""
    return [m.span() for m in re.finditer(r"\S+", p.text)]


def _levels(members: list[Paragraph]) -> list[Paragraph]:
    """The highest item numbering present in a part numbers its items (（1） where a part has no
    1., ① or 1) where it has neither); a lower one is the text of its item."""
    present = [m for m in ITEM_LEVELS if any(p.marker == m for p in members)]
    top = present[0] if present else "item"
    return [
        (replace(p, marker="item" if p.marker == top else "") if p.marker in ITEM_LEVELS else p)
        for p in members
    ]


def _opens_with_heading(match: str) -> bool:
    """Whether a paragraph opens with a short sentence of its own, as a heading does."""
    stop = TITLE_END.search(match)
    return stop is not None and stop.group(0) == "。" and stop.start() <= HEADING_SENTENCE


def _title(match: str) -> str:
    """A part title: the paragraph up to its first full stop or colon, or a space between
    Chinese words (一、自查工作 我区… in a web copy)."""
    m = TITLE_END.search(match)
    return (match[: m.start()] if m else match).strip()


def _strong(kinds: PartKinds, title: str) -> bool:
    return bool(_consume(title, [(c, k.id) for k in kinds.kinds for c in k.cues]))


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
