"""A long report validated in pieces gives the findings and rule counts of one whole run, and
what decides which queries may run in pieces (`validate.reads`)."""

from __future__ import annotations

import re

import pytest

from edugraph.graph.quads import Quads
from edugraph.publish.build import BuildResult
from edugraph.validate import pieces
from edugraph.validate.findings import Outcome
from edugraph.validate.reads import reads
from edugraph.validate.shapes import load_shapes, validate
from edugraph.vocab import SH, Iris

IRIS = Iris()
REPORT = str(IRIS.graph("report/chongqing-2020"))
XSD = "http://www.w3.org/2001/XMLSchema#"
# Each edit breaks the report where a different kind of query looks: a value read through a
# nested shape (measure 1 without a lead body), a datatype written as a subtype and a count
# (the orders of measures 2 and 3), a rule that reads beyond its focus node (a negative
# figure, read with its span's text), an inverse path and a report-wide rule (a response
# without its problem), the span rule (an anchor). Each applies to every line it matches.
EDITS = (
    (
        r"(<[^>]*/measure/1/association/\d+> <[^>]*hadRole> <[^>]*)#LeadRole>",
        r"\1#ParticipantRole>",
    ),
    (r'(<[^>]*/measure/2> <[^>]*#order> )"(\d+)"\^\^<[^>]*#integer>', rf'\1"\2"^^<{XSD}int>'),
    (r'(<[^>]*/observation/12> <[^>]*#obsValue> )"(\d+)"', r'\1"-\2"'),
    (r"(<[^>]*/response/measure-10-problem-2> <[^>]*#problem> )<([^>]*)>", r"\1<\2-elsewhere>"),
    (r'(<[^>]*/text#char=0,140> <[^>]*#anchorOf> )"', r'\1"改'),
)
SECOND_ORDER = r'(<[^>]*/measure/3> <[^>]*#order> )"\d+"'  # a copy with another value


def broken(quads: Quads) -> Quads:
    """The build's dataset with the edits made to the report's lines."""
    out = Quads()
    for name in quads.names():
        out.add_lines(name, quads.lines(name))
    lines = set(out.lines(REPORT))
    for pattern, replacement in EDITS:
        matched = {line for line in lines if re.match(pattern, line)}
        assert matched, pattern
        lines = (lines - matched) | {re.sub(pattern, replacement, line) for line in matched}
    order = next(line for line in lines if re.match(SECOND_ORDER, line))
    out.replace_lines(REPORT, lines | {re.sub(SECOND_ORDER, r'\1"99"', order)})
    return out


def outcome(quads: Quads, monkeypatch: pytest.MonkeyPatch, lines: int) -> Outcome:
    monkeypatch.setattr(pieces, "PIECE_LINES", lines)
    monkeypatch.setattr("os.cpu_count", lambda: 1)  # in this process, where the spy sees it
    return validate(quads, load_shapes(), iris=IRIS)


def test_a_report_in_pieces_gives_the_findings_of_one_run(
    built: BuildResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    quads = broken(built.quads)
    whole = outcome(quads, monkeypatch, 10**9)
    made: list[int] = []
    piece = pieces._piece

    def spy(*args: object, **kwargs: object) -> tuple[set[str], list[str]]:
        made.append(1)
        return piece(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pieces, "_piece", spy)
    cut = outcome(quads, monkeypatch, 400)
    assert len(made) > 10
    assert cut.findings == whole.findings  # the same findings, spelled alike, in one order
    assert cut.rules == whole.rules
    found = {(str(f.shape).split("#")[1], str(f.component).split("#")[1]) for f in whole.all()}
    assert {
        ("MeasureShape", "QualifiedMinCountConstraintComponent"),
        ("Order", "DatatypeConstraintComponent"),
        ("Order", "MaxCountConstraintComponent"),
        ("ObservationRangeShape", "SPARQLConstraintComponent"),
        ("AddressesShape", "SPARQLConstraintComponent"),
        ("ProblemResponseShape", "ClassConstraintComponent"),
        ("SpanShape", "SPARQLConstraintComponent"),
    } <= found
    assert whole.count(SH.Violation) >= 6


def test_a_short_report_is_validated_in_one_run(built: BuildResult) -> None:
    context = ["ontology", "reference", "shared"]
    names = [str(IRIS.graph(n)) for n in context]

    def lines(among: list[str]) -> list[str]:
        return [line for name in among for line in built.quads.lines(name)]

    assert (
        pieces.validate_in_pieces(lambda: lines(names), lambda: lines([REPORT]), load_shapes())
        is None
    )


FOCUS = "SELECT ?this WHERE { { SELECT DISTINCT ?this WHERE { ?this a <http://x/C> } } "


@pytest.mark.parametrize(
    ("where", "forward"),
    [
        ("?this <http://x/p> ?v . ?v <http://x/q>/<http://x/r>* ?w }", True),
        ("FILTER(NOT EXISTS { FILTER NOT EXISTS { ?this <http://x/p> ?v } }) }", True),
        ("?this ^<http://x/p> ?v }", False),
        ("?other <http://x/p> ?this }", False),
        (
            "FILTER NOT EXISTS { ?p a <http://x/P> ; <http://x/in> ?r } ?this <http://x/in> ?r }",
            False,
        ),
        (
            "OPTIONAL { SELECT ?r (MIN(?t) AS ?m) WHERE { ?r <http://x/t> ?t } GROUP BY ?r } }",
            False,
        ),
        ("MINUS { ?this <http://x/p> ?v } }", False),
    ],
)
def test_what_reads_forward_from_its_focus_node(where: str, forward: bool) -> None:
    assert reads(FOCUS + where).forward is forward


def test_the_predicates_read_on_the_focus_node_and_beyond() -> None:
    nested = reads(FOCUS + "FILTER(NOT EXISTS { FILTER NOT EXISTS { ?this <http://x/p> ?v . "
                   "?v <http://x/q> <http://x/L> } }) }")  # fmt: skip
    assert nested.predicates is not None and {"http://x/p", "http://x/q"} <= nested.predicates
    assert nested.beyond is not None and "http://x/q" in nested.beyond
    assert "http://x/p" not in nested.beyond
    assert reads(FOCUS + "?this !<http://x/p> ?v }").predicates is None
