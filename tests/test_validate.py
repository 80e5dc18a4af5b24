"""Validation of real builds: no Violations, the arithmetic checked on the real figures, a
changed figure caught, per-report equal to union, bulk equal to pySHACL, and the surfaces."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from edugraph.cli import cli
from edugraph.publish.build import BuildResult, Paths, build
from edugraph.publish.write import load_dataset
from edugraph.validate.findings import Finding
from edugraph.validate.shacl_core import to_store
from edugraph.validate.shapes import load_shapes, validate
from edugraph.validate.sparql_rules import _span_solutions, _target_pattern, texts_in
from edugraph.vocab import EDU, SH, Iris
from tests.conftest import CHONGQING, FIXTURES

IRIS = Iris()
EDS = "https://w3id.org/edugraph/shapes#"


def keys(findings: list[Finding]) -> set[tuple[object, ...]]:
    return {
        (f.severity, f.shape, f.focus, tuple(sorted(text for _, text in f.messages)))
        for f in findings
    }


def test_chongqing_conforms_and_its_arithmetic_holds(built: BuildResult) -> None:
    outcome = built.outcome
    assert outcome is not None and outcome.conforms
    rules = outcome.rules
    assert rules["eds:ShareArithmeticShape"] == (1, 1)  # 2227 / 5792 = 38.4%
    assert rules["eds:DifferenceArithmeticShape"] == (2, 2)  # 5.7万 − 3.6万; 81.6% − 80%
    assert rules["eds:PartWithinWholeShape"] == (3, 3)
    assert rules["eds:GrowthDirectionShape"] == (3, 3)
    assert rules["eds:ComparisonHoldsShape"] == (1, 1)
    assert rules["eds:SpanShape"][0] == rules["eds:SpanShape"][1] > 200


def test_findings_name_the_missed_standard_and_the_admitted_shortfall(built: BuildResult) -> None:
    outcome = built.outcome
    assert outcome is not None
    warnings = [f for f in outcome.all() if f.severity == SH.Warning]
    assert [str(f.focus) for f in warnings] == [str(IRIS.id("standard/counsellor-student-ratio"))]
    assert "1︰217" in warnings[0].message("zh-Hans") and "1:200" in warnings[0].message("en")
    notes = {str(f.focus): f for f in outcome.all() if f.severity == SH.Info}
    share = notes[str(IRIS.id("standard/public-kindergarten-share-2020"))]
    assert "41%" in share.message("zh-Hans") and "学前教育仍有差距" in share.message("zh-Hans")
    assert "not yet due" in share.message("en")


def test_findings_are_a_graph_linked_to_the_figures(built: BuildResult) -> None:
    graph = built.dataset.graph(IRIS.graph("findings/chongqing-2020"))
    findings = set(graph.subjects(predicate=None, object=EDU.Finding))
    assert len(findings) == 10
    standard = IRIS.id("standard/counsellor-student-ratio")
    finding = next(f for f in findings if (f, SH.focusNode, standard) in graph)
    assert (finding, SH.resultSeverity, SH.Warning) in graph
    assert {m.language for m in graph.objects(finding, SH.resultMessage)} == {"zh-Hans", "en"}
    figure = IRIS.report("chongqing-2020", "observation", 30)  # 1︰217
    assert (finding, EDU.concerns, figure) in graph


def sources_with(
    tmp_path: Path, change: tuple[str, str] | None = None, fixtures: bool = False
) -> Path:
    sources = tmp_path / "sources"
    sources.mkdir()
    text = CHONGQING.read_text("utf-8")
    if change:
        assert change[0] in text
        text = text.replace(*change)
    (sources / "chongqing-2020.txt").write_text(text, encoding="utf-8")
    shutil.copy(CHONGQING.with_suffix(".toml"), sources / "chongqing-2020.toml")
    for name in ("jiangbei-2020", "linjiang-county-2021") if fixtures else ():
        for suffix in (".txt", ".toml"):
            shutil.copy(FIXTURES / "reports" / f"{name}{suffix}", sources / f"{name}{suffix}")
    return sources


def test_a_changed_figure_is_caught_with_both_figures_named(tmp_path: Path) -> None:
    sources = sources_with(tmp_path, ("超额完成2.1万人", "超额完成2.5万人"))
    outcome = build(Paths(sources=sources)).outcome
    assert outcome is not None
    caught = [f for f in outcome.all() if f.shape == URIRef(f"{EDS}DifferenceArithmeticShape")]
    assert len(caught) == 1 and caught[0].severity == SH.Warning
    for figure in ("5.7万人", "3.6万人", "2.5万人"):
        assert figure in caught[0].message("zh-Hans") and figure in caught[0].message("en")
    assert outcome.rules["eds:DifferenceArithmeticShape"] == (2, 1)


@pytest.mark.slow
def test_per_report_validation_equals_the_union(tmp_path: Path) -> None:
    result = build(Paths(sources=sources_with(tmp_path, fixtures=True)), validate=False)
    shapes = load_shapes()
    per_report = validate(result.quads, shapes)
    union = validate(result.quads, shapes, per_report=False)
    assert keys(per_report.all()) == keys(union.all())
    # rule counts agree too, except that a shared node (a national standard) is examined once
    # per report that measures it rather than once in the union
    shared = "eds:TargetMissedUnacknowledgedShape"
    assert {k: v for k, v in per_report.rules.items() if k != shared} == {
        k: v for k, v in union.rules.items() if k != shared
    }
    assert set(per_report.findings) == {"chongqing-2020", "jiangbei-2020", "linjiang-county-2021"}


@pytest.mark.slow
def test_bulk_sparql_equals_pyshacl(built: BuildResult) -> None:
    shapes = load_shapes()
    bulk = validate(built.quads, shapes)
    reference = validate(built.quads, shapes, engine="pyshacl")
    assert keys(bulk.all()) == keys(reference.all())


def test_validate_command_exit_codes(graph_file: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(
        cli, ["validate", "--graph", str(graph_file), "--report", str(tmp_path / "r.ttl")]
    )
    assert ok.exit_code == 0, ok.output
    assert "0 violation(s), 1 warning(s)" in ok.stdout and "eds:ShareArithmeticShape" in ok.stdout
    assert "sh:conforms true" in (tmp_path / "r.ttl").read_text("utf-8")
    broken = tmp_path / "broken.trig"
    dataset = load_dataset(graph_file)
    measure = IRIS.report("chongqing-2020", "measure", 1)
    dataset.graph(IRIS.graph("report/chongqing-2020")).add((measure, EDU.order, Literal("first")))
    broken.write_text(dataset.serialize(format="trig"), encoding="utf-8")
    bad = runner.invoke(cli, ["validate", "--graph", str(broken)])
    assert bad.exit_code == 1
    assert "Violation: eds:Order" in bad.stdout and "measure/1" in bad.stdout
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("this is not turtle", encoding="utf-8")
    error = runner.invoke(cli, ["validate", "--graph", str(graph_file), "--shapes", str(shapes)])
    assert error.exit_code == 2 and str(shapes) in error.stderr


@pytest.mark.slow
def test_build_refuses_to_publish_a_graph_with_violations(tmp_path: Path) -> None:
    sources = sources_with(tmp_path)
    curation = tmp_path / "curation"
    curation.mkdir()
    measure = IRIS.report("chongqing-2020", "measure", 3)
    (curation / "chongqing-2020.ttl").write_text(
        f"<{measure}> <https://w3id.org/edugraph/ontology#status> <https://example.org/unknown> .\n",
        encoding="utf-8",
    )
    out = tmp_path / "g.trig"
    out.write_text("# previous\n", encoding="utf-8")
    args = ["build", "--sources", str(sources), "--curation", str(curation), "--out", str(out)]
    refused = CliRunner().invoke(cli, args)
    assert refused.exit_code == 1
    assert "not published" in refused.stderr and "eds:MeasureShape" in refused.stderr
    assert out.read_text("utf-8") == "# previous\n"
    forced = CliRunner().invoke(cli, [*args, "--allow-invalid"])
    assert forced.exit_code == 0
    assert "WARNING: publishing a graph with Violations" in forced.stderr
    assert out.read_text("utf-8").startswith("@prefix")


SPAN_DATA = """
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix : <https://example.org/span#> .
:text a nif:Context ; nif:isString "一是学前教育仍有差距。" .
:good a nif:String ; nif:referenceContext :text ; nif:anchorOf "学前教育" ;
    nif:beginIndex "2"^^xsd:nonNegativeInteger ; nif:endIndex "6"^^xsd:nonNegativeInteger .
:bad a nif:String ; nif:referenceContext :text ; nif:anchorOf "义务教育" ;
    nif:beginIndex "2"^^xsd:nonNegativeInteger ; nif:endIndex "6"^^xsd:nonNegativeInteger .
:reversed a nif:String ; nif:referenceContext :text ; nif:anchorOf "" ;
    nif:beginIndex "6"^^xsd:nonNegativeInteger ; nif:endIndex "2"^^xsd:nonNegativeInteger .
:past a nif:String ; nif:referenceContext :text ; nif:anchorOf "" ;
    nif:beginIndex "40"^^xsd:nonNegativeInteger ; nif:endIndex "41"^^xsd:nonNegativeInteger .
"""


def test_the_span_rule_read_once_gives_the_query_s_solutions() -> None:
    shapes = load_shapes()
    shape = URIRef(EDS + "SpanShape")
    store = to_store(Graph().parse(data=SPAN_DATA, format="turtle"))
    targets = _target_pattern(shapes, shape)
    solved = _span_solutions(store, targets, texts_in(store))
    assert solved is not None
    nif = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
    query = (
        f"PREFIX nif: <{nif}> SELECT DISTINCT ?this ?anchor WHERE {{ "
        f"{{ SELECT DISTINCT ?this WHERE {{ {targets} }} }} "
        "?this nif:beginIndex ?b ; nif:endIndex ?e ; nif:anchorOf ?anchor ; "
        "nif:referenceContext/nif:isString ?text . "
        "FILTER(?e < ?b || SUBSTR(?text, ?b + 1, ?e - ?b) != STR(?anchor)) }"
    )
    rows = store.query(query)
    expected = {(row["this"].value, row["anchor"].value) for row in rows}  # type: ignore[union-attr]
    assert {(s["this"].value, s["anchor"].value) for s in solved} == expected  # type: ignore[attr-defined]
    assert {s.split("#")[1] for s, _ in expected} == {"bad", "reversed"}
    # an offset not written as a non-negative integer: only the query says what it means
    odd = SPAN_DATA.replace('"40"^^xsd:nonNegativeInteger', '"4.0"^^xsd:decimal')
    odd_store = to_store(Graph().parse(data=odd, format="turtle"))
    assert _span_solutions(odd_store, targets, texts_in(odd_store)) is None
