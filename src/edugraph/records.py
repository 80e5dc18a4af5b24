"""Plain records that ingestion produces and the build turns into RDF.

They carry no rdflib objects so that ingestion can run in worker processes, be tested
without a graph, and be serialised for inspection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the normalised text, with the original line it starts on."""

    begin: int
    end: int
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Metadata:
    slug: str
    title: str
    issuer: str
    issuer_en: str
    region: str
    region_zh: str
    region_en: str
    level: str
    period_start: str
    period_end: str
    issued: str
    title_en: str = ""
    source_url: str = ""
    note: str = ""

    @property
    def admin_suffix(self) -> str:
        """The character 市 / 省 / 县 / 区 that relative names such as 市委 are built on."""
        return self.region_zh[-1]


@dataclass(frozen=True, slots=True)
class BodyMention:
    body: str  # body slug (id/body/<slug>)
    role: str  # lead | participant | partner | beneficiary | mentioned
    span: Span | None  # None when the body is assumed (default lead)
    default: bool = False


@dataclass(frozen=True, slots=True)
class FoundBody:
    """A body named in the text that the gazetteer lacks, recognised by the form of its name.

    It is published flagged for curation, typed by its organ (局 → department, 会议 → meeting).
    """

    id: str
    zh: str
    en: str
    type: str
    parent: str | None
    span: Span  # where it is first named


@dataclass(frozen=True, slots=True)
class PersonMention:
    name: str
    post: str  # e.g. 市委书记
    body: str  # body slug of the post
    span: Span


@dataclass(frozen=True, slots=True)
class DocumentMention:
    title: str
    span: Span


SINGLE_KINDS = ("preamble", "closing")  # one a report: their IRIs have no number


@dataclass(slots=True)
class Element:
    """An element of the report's outline: achievement, area, measure, problem or plan; a
    section of a part of another kind; a part's introduction; the preamble and the closing."""

    kind: str  # achievement | area | measure | problem | plan | section | introduction | …
    n: int
    notation: str
    label: str
    span: Span
    parent: str | None = None  # local id of the containing element, e.g. "area/3"
    part: int = 0
    stages: list[str] = field(default_factory=list)
    duty_areas: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    bodies: list[BodyMention] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)  # target-group concept ids
    documents: list[DocumentMention] = field(default_factory=list)
    persons: list[PersonMention] = field(default_factory=list)

    @property
    def local_id(self) -> str:
        return self.kind if self.kind in SINGLE_KINDS else f"{self.kind}/{self.n}"


@dataclass(frozen=True, slots=True)
class Part:
    """A top-level part (一、…) of the report."""

    n: int
    notation: str
    title: str
    kinds: tuple[str, ...]  # part kinds (data/reference/part-kinds.toml), "other" if none
    span: Span
    implicit: bool = False  # no 一、 title: the report (or fragment) starts at its headings
    inferred: bool = False  # kinds read from the part's content, not its title
    heading: Span | None = None  # the part's number and title as printed


@dataclass(frozen=True, slots=True)
class ProblemLink:
    source: str  # local id, "measure/8" or "plan/2"
    problem: int
    basis: str  # stated | inferred | curated
    confidence: float
    shared_stages: tuple[str, ...] = ()
    shared_topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Observation:
    """One figure: what it measures, its value in base units, when, and where it is said."""

    n: int
    subject: str  # local id of the element (or part) it belongs to; "" for the preamble
    indicator: str  # indicator id; for a report-local indicator, its slug
    local: bool  # True when the indicator is not in the reference scheme
    indicator_label: str
    value: Decimal
    unit: str  # unit code (edugraph.ingest.quantities.UNITS)
    value_type: str  # actual | target | baseline | change
    qualifier: str | None
    period: str  # YYYY or YYYY-MM
    period_inferred: bool  # taken from the context, not from the figure's own sentence
    span: Span  # the figure as written
    sentence: Span
    base_period: str | None = None
    comparison: str | None = None
    precision: Decimal = Decimal(1)  # the unit of the last digit written, in base units
    low: Decimal | None = None  # a range's lower end (3至7人: 3); `value` is its upper end
    per: str | None = None  # unit code of what an amount is per (生均650元: person)


@dataclass(frozen=True, slots=True)
class TargetRecord:
    """A goal the report states (到2020年…达到50%的目标), linked to the figures that state it."""

    n: int
    subject: str
    indicator: str
    local: bool
    comparator: str  # >= | <= | =
    value: Decimal
    unit: str
    deadline: str | None
    set_by: str  # body id
    observations: tuple[int, ...]
    sentence: Span


@dataclass(frozen=True, slots=True)
class Relation:
    """A relation between figures that the text states, for arithmetic checks.

    Members are (role, reference) pairs; a reference is "observation/<n>" or
    "standard/<id>". Roles: part/whole, part/whole/share, minuend/subtrahend/difference,
    base/current (growth), and the two sides of a comparison (minuend/subtrahend).
    """

    n: int
    kind: str  # part-of | share | difference | comparison | growth
    members: tuple[tuple[str, str], ...]
    sentence: Span | None = None
    direction: int = 0
    comparator: str | None = None


@dataclass(slots=True)
class Report:
    meta: Metadata
    source_path: str
    text: str  # normalised text; every Span indexes into it
    preamble: Span | None
    parts: list[Part] = field(default_factory=list)
    elements: list[Element] = field(default_factory=list)
    links: list[ProblemLink] = field(default_factory=list)
    persons: list[PersonMention] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    targets: list[TargetRecord] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    match: str = ""  # its matching copy, as long (edugraph.ingest.text.Normalised.match)
    coverage: float = 1.0  # share of the text's characters in the outline
    unplaced: list[Span] = field(default_factory=list)  # text in no element (should be none)
    found_bodies: list[FoundBody] = field(default_factory=list)
    _by_id: dict[str, Element] = field(default_factory=dict, repr=False, compare=False)

    def of_kind(self, kind: str) -> list[Element]:
        return [e for e in self.elements if e.kind == kind]

    def element(self, local_id: str) -> Element:
        """By local id, through an index: a scan per lookup made a long report quadratic."""
        found = self._by_id.get(local_id)
        if found is None or found.local_id != local_id or len(self._by_id) > len(self.elements):
            self._by_id.clear()
            for e in reversed(self.elements):  # the first of a local id wins, as a scan's
                self._by_id[e.local_id] = e
            found = self._by_id.get(local_id)
        if found is None:
            raise KeyError(local_id)
        return found
