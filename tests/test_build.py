"""The built dataset: IRIs per DESIGN.md, provenance spans, links, curation, determinism."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from edugraph.errors import InputError
from edugraph.publish.build import BuildResult, Paths, build
from edugraph.publish.write import serialize_trig
from edugraph.vocab import EDU, NIF, PROV, Iris
from tests.conftest import ROOT, copy_sources

IRIS = Iris()
REPORT = "chongqing-2020"
EXPECTED = {"achievement": 6, "area": 12, "measure": 31, "problem": 5, "plan": 5}


def report_graph(built: BuildResult) -> Graph:
    return built.dataset.graph(IRIS.graph(f"report/{REPORT}"))


def union(built: BuildResult) -> Graph:
    g = Graph()
    for quad in built.dataset.quads((None, None, None, None)):
        g.add(quad[:3])
    return g


def test_one_report_node(built: BuildResult) -> None:
    g = report_graph(built)
    assert list(g.subjects(RDF.type, EDU.SelfEvaluationReport)) == [IRIS.report(REPORT)]


@pytest.mark.parametrize(("kind", "count"), EXPECTED.items())
def test_elements_have_design_iris_text_and_provenance(
    built: BuildResult, kind: str, count: int
) -> None:
    g = report_graph(built)
    text = str(g.value(IRIS.text(REPORT), NIF.isString))
    for n in range(1, count + 1):
        node = IRIS.report(REPORT, kind, n)
        assert (node, RDF.type, None) in g, node
        assert g.value(node, EDU.text).language == "zh-Hans"
        span = g.value(node, PROV.wasDerivedFrom)
        begin, end = int(g.value(span, NIF.beginIndex)), int(g.value(span, NIF.endIndex))
        anchor = str(g.value(span, NIF.anchorOf))
        assert anchor == text[begin:end] == str(g.value(node, EDU.text))
    assert (IRIS.report(REPORT, kind, count + 1), None, None) not in g


def test_every_span_anchor_matches_the_text(built: BuildResult) -> None:
    g = report_graph(built)
    text = str(g.value(IRIS.text(REPORT), NIF.isString))
    spans = list(g.subjects(RDF.type, NIF.String))
    assert len(spans) > 100
    for span in spans:
        begin, end = int(g.value(span, NIF.beginIndex)), int(g.value(span, NIF.endIndex))
        assert str(g.value(span, NIF.anchorOf)) == text[begin:end]
        assert str(span).endswith(f"#char={begin},{end}")


def test_plans_address_their_problems_as_stated(built: BuildResult) -> None:
    g = report_graph(built)
    for k in range(1, 6):
        plan, problem = IRIS.report(REPORT, "plan", k), IRIS.report(REPORT, "problem", k)
        assert (plan, EDU.addresses, problem) in g
        response = IRIS.report(REPORT, "response", f"plan-{k}-problem-{k}")
        assert (plan, EDU.qualifiedAddresses, response) in g
        assert g.value(response, EDU.basis) == EDU.Stated
        assert g.value(response, EDU.problem) == problem
        assert {r.language for r in g.objects(response, EDU.reason)} == {"zh-Hans", "en"}


def test_measures_have_typed_labelled_bodies_with_roles(built: BuildResult) -> None:
    g = union(built)
    bodies = set()
    for k in range(1, 32):
        measure = IRIS.report(REPORT, "measure", k)
        associations = list(g.objects(measure, PROV.qualifiedAssociation))
        assert associations, measure
        for association in associations:
            assert g.value(association, PROV.hadRole) is not None
            body = g.value(association, PROV.agent)
            bodies.add(body)
            assert g.value(body, EDU.bodyType) is not None
            assert {label.language for label in g.objects(body, RDFS.label)} == {"zh-Hans", "en"}
    assert len(bodies) >= 20
    parent = g.value(
        IRIS.body("chongqing-party-standing-committee"),
        URIRef("http://www.w3.org/ns/org#subOrganizationOf"),
    )
    assert parent == IRIS.body("chongqing-party-committee")


def test_curation_replaces_the_extracted_link(built: BuildResult) -> None:
    extracted = report_graph(built)
    curated = built.dataset.graph(IRIS.graph(f"curation/{REPORT}"))
    response = IRIS.report(REPORT, "response", "measure-26-problem-3")
    assert (response, None, None) not in extracted
    assert curated.value(response, EDU.basis) == EDU.Curated


@pytest.mark.slow
def test_the_build_is_deterministic(built: BuildResult) -> None:
    again = build(Paths())
    assert again.quads.trig() == built.quads.trig()
    assert serialize_trig(again.dataset) == serialize_trig(built.dataset)


def test_literals_in_chinese_are_tagged(built: BuildResult) -> None:
    g = report_graph(built)
    label = g.value(IRIS.report(REPORT, "problem", 1), RDFS.label)
    assert label == Literal("学前教育仍有差距", lang="zh-Hans")


@pytest.mark.slow
def test_builds_every_report_in_the_folder(tmp_path: Path) -> None:
    sources = copy_sources(tmp_path, "jiangbei-2020", "linjiang-county-2021")
    result = build(Paths(sources=sources, curation=tmp_path / "none"))
    slugs = [r.meta.slug for r in result.reports]
    assert slugs == ["jiangbei-2020", "linjiang-county-2021"]
    graphs = {str(g.identifier) for g in result.dataset.graphs() if len(g)}
    assert {str(IRIS.graph(f"report/{s}")) for s in slugs} <= graphs
    g = union(result)
    assert (IRIS.body("linjiang-county-education-department"), RDF.type, None) in g


def test_curation_naming_a_missing_node_is_an_error(tmp_path: Path) -> None:
    sources = copy_sources(tmp_path, "jiangbei-2020")
    curation = tmp_path / "curation"
    curation.mkdir()
    (curation / "jiangbei-2020.ttl").write_text(
        "<https://w3id.org/edugraph/id/report/jiangbei-2020/measure/99> "
        "<https://w3id.org/edugraph/ontology#addresses> "
        "<https://w3id.org/edugraph/id/report/jiangbei-2020/problem/1> .\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="measure/99") as info:
        build(Paths(sources=sources, curation=curation))
    assert "jiangbei-2020.ttl" in str(info.value)


def test_the_default_paths_are_the_repository(built: BuildResult) -> None:
    assert Paths().sources == ROOT / "data" / "sources"
    assert [r.meta.slug for r in built.reports] == [REPORT]


SDMX_MEASURE = URIRef("http://purl.org/linked-data/sdmx/2009/measure#obsValue")
SDMX_PERIOD = URIRef("http://purl.org/linked-data/sdmx/2009/dimension#refPeriod")
SDMX_UNIT = URIRef("http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure")


def test_observations_are_typed_data_cube_figures(built: BuildResult) -> None:
    g = report_graph(built)
    report = built.reports[0]
    for o in report.observations:
        node = IRIS.report(REPORT, "observation", o.n)
        value = g.value(node, SDMX_MEASURE)
        assert value.datatype == URIRef("http://www.w3.org/2001/XMLSchema#decimal")
        assert value.toPython() == o.value
        assert g.value(node, SDMX_UNIT) is not None
        assert g.value(node, SDMX_PERIOD) is not None
        assert g.value(node, EDU.indicator) is not None
        figure = g.value(node, PROV.wasDerivedFrom)
        sentence = g.value(figure, NIF.sentence)
        assert str(g.value(figure, NIF.anchorOf)) in str(g.value(sentence, NIF.anchorOf))
    first = IRIS.report(REPORT, "observation", 1)
    assert g.value(first, SDMX_PERIOD) == Literal(
        "2019", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear")
    )
    assert (IRIS.report(REPORT, "observation", len(report.observations) + 1), None, None) not in g


def test_targets_relations_and_standards_in_the_graph(built: BuildResult) -> None:
    g = union(built)
    standard = IRIS.id("standard/counsellor-student-ratio")
    assert g.value(standard, EDU.comparator) == EDU.LessOrEqual
    assert str(g.value(standard, EDU.targetValue)) == "200"
    actual = g.value(standard, EDU.actualObservation)
    assert str(g.value(actual, SDMX_MEASURE)) == "217"
    targets = list(g.subjects(RDF.type, EDU.Target))
    assert len(targets) >= 15
    shares = list(g.subjects(RDF.type, EDU.ShareRelation))
    assert len(shares) == 1
    assert {
        str(g.value(g.value(shares[0], p), SDMX_MEASURE)) for p in (EDU.part, EDU.whole, EDU.share)
    } == {"2227", "5792", "38.4"}


@pytest.mark.slow
def test_local_indicators_are_flagged_for_curation(tmp_path: Path) -> None:
    sources = copy_sources(tmp_path, "jiangbei-2020")
    g = union(build(Paths(sources=sources, curation=tmp_path / "none")))
    local = set(g.subjects(EDU.needsCuration, Literal(True)))
    assert IRIS.report("jiangbei-2020", "indicator", "tou-ru-zi-jin") in local


def test_published_trig_keeps_every_named_graph(built: BuildResult, graph_file: Path) -> None:
    from edugraph.publish.write import load_dataset

    again = load_dataset(graph_file)
    names = {str(g.identifier): len(g) for g in again.graphs() if len(g)}
    expected = {str(g.identifier): len(g) for g in built.dataset.graphs() if len(g)}
    assert names == expected
    assert str(IRIS.graph("ontology")) in names and str(IRIS.graph("shapes")) in names
