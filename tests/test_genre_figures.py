"""Figures across the genre: the development corpus scored against its careful reading.

Two levels. The figure extractor run over each fixture's whole text, paragraph by paragraph
(what the figure parser finds when structure hides nothing), and the figures of the published
graph, as `edugraph query observations` lists them once the fixture is built. Each prints
recall, precision, the share of found figures right in value, unit, period and qualifier, and
the share also right in indicator and value type; the floors are set just under what was
measured, so a regression fails.

A gold figure is found by an extracted one whose sentence holds the gold's context and whose
figure as written overlaps that context. An indicator is right when the label is the
gold's noun phrase, holds it, is held by it, or shares most of it (see `sensible`).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from rdflib.namespace import SH

from edugraph.errors import InputError
from edugraph.ingest import phrases
from edugraph.ingest.figures import FigureExtractor
from edugraph.ingest.labels import UNNAMED
from edugraph.ingest.metadata import read_metadata
from edugraph.ingest.text import normalise, read_source, simplified
from edugraph.ingest.units import UNITS
from edugraph.publish.build import Paths, build
from edugraph.query.engines import OxigraphEngine
from edugraph.query.queries import get_query, load_queries
from edugraph.records import Element, Span
from edugraph.reference import Reference, load_reference
from tests.genre import GenreFixture, genre_fixtures

ROOT = Path(__file__).resolve().parents[1]
EDU = "https://w3id.org/edugraph/ontology#"
UNIT_CODES = {u.qudt: u.code for u in UNITS.values()}
ALT_LABELS = {i.zh: i.alt for i in load_reference().indicators}
QUALIFIERS = {"MoreThan": "more-than", "Nearly": "about", "About": "about", "AtLeast": "at-least"}
QUALIFIERS |= {"AtMost": "at-most", "Range": "range"}
PLAN_HEADING = re.compile(r"^[一二三四五六七八九十]+、.*(?:下一步|打算|改进|努力方向|整改措施)")
HEADING = re.compile(r"^[一二三四五六七八九十]+、")
SPACE = re.compile(r"\s+")  # a context may end at a line break the figure follows
BRACKETS = re.compile(r"[（(][^）)]*[）)]")
# what a label may drop and still name the same thing: brackets' notes, quotation marks, particles
NOISE = re.compile(r"[（(][^）)]*[）)]|[的之数量全省市县区我，、。“”‘’\"'「」\s]")

# Floors, just under what was measured when they were set (the README gives the numbers). The
# published graph's are those of the whole texts, which cover every fixture: more fixtures
# build as the outline of the genre is recognised, and they must hold then too.
# The indicator floors are the measured values rounded down (0.881 and 0.891 since set 5 was
# folded in; 0.878 and 0.888 before): the fourth set
# (`v-`) labels many figures with report-local phrases no rule gives yet (县（市、区）数 after
# 另有23个…完成), which took the corpus below the 0.89 and 0.90 set before it was folded in.
WHOLE_TEXT = {"recall": 0.99, "precision": 0.99, "right": 0.96, "indicator": 0.88}
PUBLISHED = {"recall": 0.99, "precision": 0.99, "right": 0.97, "indicator": 0.89}
# A set folded in below the corpus's floors keeps its own, just under what it measured when it
# was folded in; the corpus's floors above hold over the other sets, and bind the new set too
# once it reaches them (then it leaves this table). Set 5 (`w-`) misses figures no rule reads
# yet: zeros of events stated without a digit (未发生…事故, 辍学…动态清零), which the other sets'
# gold does not list (fractions in words, 不足三成, and bare counts, 12县市, are read now).
# Set 6 (`x-`) was folded in after general fixes only: its indicators (report-local labels of
# 分别 lists and comparisons), periods carried over a paragraph, and the published graph's
# periods of a 其中 sentence after 截至… (2019 where the corpus reads 2019-10) wait for rules.
# Raised after the general fixes of issue 12 (zeros and shares in words, bare counts of regions,
# 分别 lists of changes, periods by the report's year): w- found 97.6%, x- right 93.7% and 93.8%,
# with indicator 83.0% and 82.8% (whole texts, published graph).
NEW_SETS = {
    "w-": (
        {"recall": 0.97, "precision": 0.98, "right": 0.98, "indicator": 0.85},
        {"recall": 0.97, "precision": 0.98, "right": 0.98, "indicator": 0.85},
    ),
    "x-": (
        {"recall": 0.97, "precision": 0.98, "right": 0.93, "indicator": 0.82},
        {"recall": 0.97, "precision": 0.98, "right": 0.92, "indicator": 0.81},
    ),
    # Set 7 (`y-`), folded in after general fixes: right 97.6% and 97.7%, with indicator 87.9%
    # and 87.4% (whole texts, published graph); report-local labels wait for rules.
    "y-": (
        {"recall": 0.99, "precision": 0.99, "right": 0.97, "indicator": 0.87},
        {"recall": 0.99, "precision": 0.99, "right": 0.97, "indicator": 0.87},
    ),
    # Set 8 (`z-`), folded in after general fixes: right 98.4% and 98.7%, with indicator 90.3%
    # and 90.9% (whole texts, published graph; gold read again); report-local labels wait.
    "z-": (
        {"recall": 0.98, "precision": 0.99, "right": 0.97, "indicator": 0.89},
        {"recall": 0.99, "precision": 0.99, "right": 0.98, "indicator": 0.90},
    ),
    # Set 9 (`n-`), folded in after general fixes: right 97.3% and 98.5%, with indicator 87.3%
    # and 85.4% (whole texts, published graph; gold read again). The whole texts read the PDF's
    # spaced dates as written (截至 2019 年 11 月), which only the published graph closes up; the
    # published graph reads a report after a table of contents as plans (n-b-yanhe: 41%).
    "n-": (
        {"recall": 0.99, "precision": 0.99, "right": 0.97, "indicator": 0.87},
        {"recall": 0.99, "precision": 0.99, "right": 0.98, "indicator": 0.85},
    ),
    # Set 10 (`o-`), folded in after general fixes: right 98.0% and 99.1%, with indicator 88.9%
    # and 90.1% (whole texts, published graph; gold read again). It reaches the corpus's floors;
    # its own hold it where it was measured. Report-local labels of shares (X占Y的N%), new
    # places by stage (新增学位), and 本项分值 in whole texts wait for rules.
    "o-": (
        {"recall": 0.99, "precision": 0.99, "right": 0.98, "indicator": 0.88},
        {"recall": 0.99, "precision": 0.99, "right": 0.99, "indicator": 0.90},
    ),
}


def assert_floors(scores: list[tuple[str, Score]], floors: dict[str, float], level: int) -> None:
    """The corpus's floors over the sets that reached them, each new set's over itself."""
    for prefix in (None, *NEW_SETS):
        total = Score(misses=None)
        for slug, s in scores:
            new = slug[:2] in NEW_SETS
            if (prefix is None and not new) or slug.startswith(prefix or "\0"):
                total.add(s)
        bound = floors if prefix is None else NEW_SETS[prefix][level]
        if total.gold:
            rates = total.rates()
            for key, floor in bound.items():
                assert rates[key] >= floor, (prefix or "corpus", key, rates[key])


@dataclass(frozen=True, slots=True)
class Row:
    """One extracted figure, as either level reports it."""

    figure: str
    sentence: str
    value: Decimal
    low: Decimal | None
    unit: str
    period: str
    value_type: str
    qualifier: str
    indicator: str


@dataclass(slots=True)
class Score:
    gold: int = 0
    extracted: int = 0
    found: int = 0
    right: int = 0
    indicator: int = 0
    misses: list[str] | None = None

    def add(self, other: Score) -> None:
        self.gold += other.gold
        self.extracted += other.extracted
        self.found += other.found
        self.right += other.right
        self.indicator += other.indicator

    def rates(self) -> dict[str, float]:
        return {
            "recall": self.found / self.gold if self.gold else 1.0,
            "precision": self.found / self.extracted if self.extracted else 1.0,
            "right": self.right / self.found if self.found else 1.0,
            "indicator": self.indicator / self.found if self.found else 1.0,
        }

    def line(self, name: str) -> str:
        r = self.rates()
        return (
            f"{name:36} gold {self.gold:3}  found {self.found:3} ({r['recall']:.0%})  "
            f"spurious {self.extracted - self.found:2} (precision {r['precision']:.0%})  "
            f"right {r['right']:.0%}  +indicator/type {r['indicator']:.0%}"
        )


# --- comparing -------------------------------------------------------------------------------


def years(period: str) -> str:
    """2019-01-01/2019-12-31 → 2019; 2018-01-01/2020-12-31 → 2018/2020; 2020-08 stays."""
    if "/" not in period:
        return period
    start, end = (p[:4] for p in period.split("/"))
    return start if start == end else f"{start}/{end}"


def sensible(label: str, gold: str) -> bool:
    """The label (or, for an indicator of the scheme, any of its labels) names what the gold
    names: one holds the other, or they share most of it."""
    return any(_names(name, gold) for name in (label, *ALT_LABELS.get(label, ())))


def _names(label: str, gold: str) -> bool:
    gold = simplified(gold)  # a gold in traditional script names what its simplified label does
    plain = BRACKETS.sub("", simplified(label))
    if len(plain) >= 2 and plain in BRACKETS.sub("", gold):  # 辖县 in 辖县数, before the noise goes
        return True
    a, b = NOISE.sub("", simplified(label)), NOISE.sub("", gold)
    if len(a) < 2 or not b:
        return False
    if a in b or b in a:
        return True
    return common(a, b) >= max(2, (2 * min(len(a), len(b)) + 2) // 3)


def common(a: str, b: str) -> int:
    """Length of the longest common substring."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def matches(row: Row, gold: dict[str, Any]) -> bool:
    """The gold's context is in the row's sentence and overlaps the figure as written there."""
    context, figure, sentence = (
        SPACE.sub("", t) for t in (gold["context"], row.figure, row.sentence)
    )
    at = sentence.find(context)
    if at < 0 or not figure:
        return False
    starts = [m.start() for m in re.finditer(re.escape(figure), sentence)]
    return any(s < at + len(context) and at < s + len(figure) for s in starts)


def right(row: Row, gold: dict[str, Any]) -> bool:
    value_ok = row.value == Decimal(gold["value"])
    if "min" in gold:
        value_ok = value_ok and row.low == Decimal(gold["min"])
    return (
        value_ok
        and row.unit == gold["unit"]
        and years(row.period) == years(gold["period"])
        and row.qualifier == gold.get("qualifier", "")
    )


def score(golds: list[dict[str, Any]], rows: list[Row]) -> Score:
    s = Score(gold=len(golds), extracted=len(rows), misses=[])
    free = list(rows)
    for gold in golds:
        candidates = [r for r in free if matches(r, gold)]
        if not candidates:
            assert s.misses is not None
            s.misses.append(f"missed {gold['context']} = {gold['value']} {gold['unit']}")
            continue
        row = next((r for r in candidates if right(r, gold)), candidates[0])
        free.remove(row)
        s.found += 1
        if right(row, gold):
            s.right += 1
            if row.value_type == gold["type"] and sensible(row.indicator, gold["indicator"]):
                s.indicator += 1
            elif s.misses is not None:
                s.misses.append(
                    f"label {row.indicator!r}/{row.value_type} for {gold['indicator']!r}"
                    f"/{gold['type']} ({gold['context']})"
                )
        elif s.misses is not None:
            s.misses.append(
                f"wrong {gold['context']}: {row.value} {row.unit} {row.period} {row.qualifier!r}"
                f" (gold {gold['value']} {gold['unit']} {gold['period']}"
                f" {gold.get('qualifier', '')!r})"
            )
    if s.misses is not None:
        s.misses += [f"spurious {r.figure} in {r.sentence[:40]}" for r in free]
    return s


# --- the two levels --------------------------------------------------------------------------


def whole_text_rows(fixture: GenreFixture, reference: Reference) -> list[Row]:
    """The figure extractor over every paragraph, as if each were an achievement (a plan after
    a 下一步 heading), with no segmentation in between."""
    meta = read_metadata(fixture.source)
    norm = normalise(read_source(fixture.source))
    elements, kind = [], "achievement"
    for n, (begin, end) in enumerate(norm.paragraphs, start=1):
        text = norm.text[begin:end]
        if HEADING.match(text.strip()):
            kind = "plan" if PLAN_HEADING.match(text.strip()) else "achievement"
        span = Span(begin, end, text, norm.line_of(begin))
        elements.append(Element(kind=kind, n=n, notation=str(n), label="", span=span))
    extractor = FigureExtractor(reference, meta, norm.line_of, set_by=lambda _: None)
    observations, _, _ = extractor.run(elements)
    return [
        Row(
            figure=o.span.text,
            sentence=o.sentence.text,
            value=o.value,
            low=o.low,
            unit=o.unit,
            period=o.period,
            value_type=o.value_type,
            qualifier="about" if o.qualifier == "nearly" else o.qualifier or "",
            indicator=o.indicator_label,
        )
        for o in observations
    ]


def published_rows(fixture: GenreFixture, tmp: Path) -> list[Row] | str:
    """Build the fixture alone, publish it, and list its figures with the saved query; or say
    why it does not build yet."""
    sources = tmp / "sources"
    sources.mkdir()
    for suffix in (".txt", ".toml"):
        shutil.copy(fixture.source.with_suffix(suffix), sources / f"{fixture.slug}{suffix}")
    try:
        result = build(Paths(sources=sources), workers=1)
    except InputError as exc:  # the outline of the genre is another issue's; say so, loudly
        return f"{fixture.slug} does not build yet: {exc.message}"
    assert result.outcome is not None
    violations = [f for f in result.outcome.all() if f.severity == SH.Violation]
    # scored as `--allow-invalid` publishes it; no Violation may be about a figure
    assert not [f for f in violations if "/observation/" in str(f.focus)], violations
    out = tmp / "edugraph.trig"
    out.write_bytes(result.quads.trig())
    saved = get_query(load_queries(ROOT / "queries"), "observations")
    results = OxigraphEngine(out).select(saved.text, {})
    return [published_row(b) for b in results["results"]["bindings"]]


@cache
def published_score(slug: str) -> Score | str:
    fixture = next(f for f in FIXTURES if f.slug == slug)
    with tempfile.TemporaryDirectory() as tmp:
        rows = published_rows(fixture, Path(tmp))
    return rows if isinstance(rows, str) else score(fixture.figures, rows)


def published_row(binding: dict[str, dict[str, str]]) -> Row:
    def get(name: str) -> str:
        return binding[name]["value"] if name in binding else ""

    low = get("minValue")
    return Row(
        figure=get("figure"),
        sentence=get("source"),
        value=Decimal(get("value")),
        low=Decimal(low) if low else None,
        unit=UNIT_CODES.get(get("unit"), get("unit")),
        period=get("period"),
        value_type=get("valueType").removeprefix(EDU).removesuffix("Value").lower(),
        qualifier=QUALIFIERS.get(get("qualifier").removeprefix(EDU), ""),
        indicator=get("indicatorLabel"),
    )


# --- tests -----------------------------------------------------------------------------------

FIXTURES = genre_fixtures()


def report(title: str, scores: Iterable[tuple[str, Score]]) -> Score:
    total = Score(misses=None)
    print(f"\n{title}")
    for name, s in scores:
        print(s.line(name))
        for miss in s.misses or []:
            print(f"    {miss}")
        total.add(s)
    print(total.line("overall"))
    return total


@pytest.mark.skipif(not FIXTURES, reason="no fixture of the genre has its gold yet")
def test_figure_extractor_over_whole_texts() -> None:
    reference = load_reference()
    scores = [(f.slug, score(f.figures, whole_text_rows(f, reference))) for f in FIXTURES]
    report("figure extractor over whole texts", scores)
    assert_floors(scores, WHOLE_TEXT, 0)


@pytest.mark.parametrize("slug", [f.slug for f in FIXTURES])
@pytest.mark.slow
def test_published_figures(slug: str) -> None:
    s = published_score(slug)
    if isinstance(s, str):
        pytest.skip(s)
    report("published graph", [(slug, s)])


@pytest.mark.skipif(not FIXTURES, reason="no fixture of the genre has its gold yet")
@pytest.mark.slow  # builds, publishes and queries every fixture (minutes); the whole-text scorer
def test_published_figures_overall() -> None:  # above keeps the fast suite's guard on figures
    results = [(f.slug, published_score(f.slug)) for f in FIXTURES]
    built = [(slug, s) for slug, s in results if isinstance(s, Score)]
    for reason in (s for _, s in results if isinstance(s, str)):
        print(f"not scored: {reason}")
    if not built:
        pytest.skip("no fixture of the genre builds yet")
    report(f"published graph, {len(built)} of {len(results)} fixtures", built)
    assert_floors(built, PUBLISHED, 1)


def test_every_unit_of_the_scheme_has_its_description() -> None:
    """A count unit of edugraph's own is defined in the ontology; a QUDT one is QUDT's."""
    ontology = (ROOT / "ontology" / "edugraph.ttl").read_text("utf-8")
    for unit in UNITS.values():
        if unit.qudt.startswith(EDU):
            assert f"\nedu:{unit.qudt.removeprefix(EDU)}\n    a qudt:Unit" in ontology, unit
        else:
            assert unit.qudt.startswith(("http://qudt.org/vocab/unit/", "http://qudt.org/")), unit


def test_gold_units_are_units_of_the_scheme() -> None:
    """Every unit code a gold file uses is one the extractor can produce."""
    used = {g["unit"] for f in FIXTURES for g in f.figures}
    assert used <= set(UNITS), used - set(UNITS)


@pytest.mark.skipif(not FIXTURES, reason="no fixture of the genre has its gold yet")
def test_every_report_local_label_is_words_of_its_sentence() -> None:
    """A report-local indicator is named by the noun phrase of its figure's clause: words of
    its sentence, never a comparison (比上年) or a phrase that ends in a predicate (达到)."""
    reference, grammar = load_reference(), phrases.GRAMMAR
    labels = []
    for fixture in FIXTURES:
        meta = read_metadata(fixture.source)
        norm = normalise(read_source(fixture.source))
        elements = [
            Element("achievement", n, str(n), "", Span(b, e, norm.text[b:e], 1))
            for n, (b, e) in enumerate(norm.paragraphs, start=1)
        ]
        extractor = FigureExtractor(reference, meta, norm.line_of, set_by=lambda _: None)
        observations = extractor.run(elements)[0]
        labels += [
            (o.indicator_label, simplified(o.sentence.text)) for o in observations if o.local
        ]
    unnamed = [s for label, s in labels if label == UNNAMED]
    named = [(label, s) for label, s in labels if label != UNNAMED]
    assert len(unnamed) <= len(labels) // 100, unnamed
    assert not [x for x in named if not all(c in x[1] for c in x[0])]
    assert not [x for x in named if grammar.comparison.search(x[0])]
    # …的 makes a noun of a predicate (明显不足的有2个: 明显不足)
    assert not [x for x in named if x[0].endswith(grammar.predicates) and x[0] + "的" not in x[1]]
