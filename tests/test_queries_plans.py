"""Saved queries written for the engine's plan give the rows of their plain formulation.

`problem-responses` puts the body's label before the OPTIONAL of the association's flag
(`edu:isDefault`), which Oxigraph evaluates in seconds rather than minutes; the order of the
patterns must not change a row or the order of the rows."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from edugraph.query.engines import OxigraphEngine
from edugraph.query.paging import ordered_text
from edugraph.query.queries import SavedQuery, load_queries
from edugraph.resources import resource

EDU = "https://w3id.org/edugraph/ontology#"
PROV = "http://www.w3.org/ns/prov#"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
FLAG = "      OPTIONAL { ?association edu:isDefault ?default }\n"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
BODY_LABEL = "      ?body rdfs:label ?bodyLabel .\n"


@pytest.fixture(scope="module")
def query() -> SavedQuery:
    return load_queries(Path(resource("queries")))["problem-responses"]


def plain(text: str) -> str:
    """The query as first written: the flag's OPTIONAL before the body's label."""
    assert text.count(FLAG) == 1 and text.count(BODY_LABEL) == 1
    moved = text.replace(FLAG, "")
    return moved.replace(BODY_LABEL, FLAG + BODY_LABEL)


@pytest.fixture(scope="module")
def engine(site_file: Path) -> OxigraphEngine:
    """The site's two reports, plus the cases the OPTIONALs are for: an association without
    its flag, one whose body has no Chinese label (the measure is listed without it), and a
    problem no measure addresses."""
    found = OxigraphEngine(site_file, disk=False)
    rows = found.select(
        f"SELECT ?m ?g ?report WHERE {{ GRAPH ?g {{ ?m <{EDU}qualifiedAddresses> ?r ; "
        f"<{EDU}inReport> ?report }} }} ORDER BY ?m"
    )["results"]["bindings"]
    first, second = rows[0], rows[-1]
    graph = ox.NamedNode(first["g"]["value"])
    for measure, body, label in (
        (first, "https://example.org/unflagged", ox.Literal("未标注主体", language="zh-Hans")),
        (second, "https://example.org/english", ox.Literal("A body", language="en")),
    ):
        association = ox.NamedNode(body + "/association")
        for s, p, o in (
            (ox.NamedNode(measure["m"]["value"]), f"{PROV}qualifiedAssociation", association),
            (association, f"{PROV}agent", ox.NamedNode(body)),
            (association, f"{PROV}hadRole", ox.NamedNode(f"{EDU}ParticipantRole")),
            (ox.NamedNode(body), LABEL, label),
        ):
            found.store.add(ox.Quad(s, ox.NamedNode(p), o, graph))
    problem = ox.NamedNode("https://example.org/unaddressed")
    for p, o in (
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ox.NamedNode(f"{EDU}Problem")),
        (LABEL, ox.Literal("无人回应的问题", language="zh-Hans")),
        (f"{EDU}order", ox.Literal("99", datatype=ox.NamedNode(XSD_INTEGER))),
        (f"{EDU}inReport", ox.NamedNode(first["report"]["value"])),
    ):
        found.store.add(ox.Quad(problem, ox.NamedNode(p), o, graph))
    return found


def test_problem_responses_rows_and_order_are_the_plain_querys(
    query: SavedQuery, engine: OxigraphEngine
) -> None:
    text = ordered_text(query.text, query.variables)
    rows = engine.select(text)["results"]["bindings"]
    assert rows == engine.select(plain(text))["results"]["bindings"]
    bodies = {row.get("body", {}).get("value") for row in rows}
    assert "https://example.org/unflagged" in bodies  # listed, without its flag
    assert "https://example.org/english" not in bodies  # no Chinese label: not listed
    assert any("default" in row for row in rows) and any("measure" not in row for row in rows)


def test_problem_responses_rows_for_one_report_are_the_plain_querys(
    query: SavedQuery, engine: OxigraphEngine
) -> None:
    text = ordered_text(query.text, query.variables)
    reports = {r["report"]["value"] for r in engine.select(text)["results"]["bindings"]}
    assert len(reports) == 2
    for report in sorted(reports):
        bound = {"report": URIRef(report)}
        mine = engine.select(text, bound)["results"]["bindings"]
        assert mine and mine == engine.select(plain(text), bound)["results"]["bindings"]
