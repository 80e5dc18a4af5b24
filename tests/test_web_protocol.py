"""The SPARQL 1.1 Protocol where the W3C's protocol tests probe it: one query per request, a
base IRI for relative IRIs, and a dataset named by default-graph-uri / named-graph-uri."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from edugraph.web import close, create_app

REPORT_GRAPH = "https://w3id.org/edugraph/graph/report/chongqing-2020"
ONTOLOGY_GRAPH = "https://w3id.org/edugraph/graph/ontology"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def app(graph_file: Path) -> Iterator[Flask]:
    app = create_app({"graph": str(graph_file), "query_workers": 1})
    yield app
    close(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def count(client: FlaskClient, query: str = COUNT, **fields: str | list[str]) -> int:
    response = client.get("/sparql", query_string={"query": query, **fields})
    assert response.status_code == 200, response.get_data(as_text=True)
    return int(response.get_json()["results"]["bindings"][0]["n"]["value"])


def error(response: object, status: int) -> str:
    assert getattr(response, "status_code", None) == status
    message: str = response.get_json()["error"]  # type: ignore[attr-defined]
    return message


def test_more_than_one_query_is_400(client: FlaskClient) -> None:
    twice = client.get("/sparql", query_string=[("query", COUNT), ("query", "ASK {}")])
    assert "more than one query" in error(twice, 400)
    url_and_form = client.post("/sparql?query=ASK%20%7B%7D", data={"query": COUNT})
    assert "more than one query" in error(url_and_form, 400)
    url_and_body = client.post(
        "/sparql?query=ASK%20%7B%7D", data=COUNT, content_type="application/sparql-query"
    )
    assert "more than one query" in error(url_and_body, 400)
    form_twice = client.post("/sparql", data={"query": [COUNT, COUNT]})
    assert "more than one query" in error(form_twice, 400)


def test_relative_iris_resolve_against_the_endpoint(client: FlaskClient) -> None:
    query = "SELECT ?a ?b WHERE { BIND(<x/y> AS ?a) BIND(<../z?q#f> AS ?b) }"
    for response in (
        client.get("/sparql", query_string={"query": query}),
        client.post("/sparql", data={"query": query}),
        client.post("/sparql", data=query, content_type="application/sparql-query"),
    ):
        assert response.status_code == 200, response.get_data(as_text=True)
        (row,) = response.get_json()["results"]["bindings"]
        assert row["a"]["value"] == "http://localhost/x/y"
        assert row["b"]["value"] == "http://localhost/z?q#f"
    own = "BASE <https://example.org/a/> SELECT ?a WHERE { BIND(<b> AS ?a) }"
    (row,) = client.get("/sparql", query_string={"query": own}).get_json()["results"]["bindings"]
    assert row["a"]["value"] == "https://example.org/a/b"


def test_a_relative_base_is_refused_and_errors_keep_their_line(client: FlaskClient) -> None:
    relative = "BASE <sub/> SELECT ?a WHERE { BIND(<b> AS ?a) }"
    response = client.get("/sparql", query_string={"query": relative})
    assert "not an absolute IRI" in error(response, 400)
    broken = "SELECT *\nWHERE { ?s ?p }"
    response = client.get("/sparql", query_string={"query": broken})
    assert "at line 2, column" in error(response, 400)


def test_default_graph_uri_names_the_default_graph(client: FlaskClient) -> None:
    whole = count(client)
    report = count(client, **{"default-graph-uri": REPORT_GRAPH})
    assert 0 < report < whole
    assert report == count(
        client, f"SELECT (COUNT(*) AS ?n) FROM <{REPORT_GRAPH}> WHERE {{ ?s ?p ?o }}"
    )
    both = count(client, **{"default-graph-uri": [REPORT_GRAPH, ONTOLOGY_GRAPH]})
    assert both == report + count(client, **{"default-graph-uri": ONTOLOGY_GRAPH})
    # the protocol's dataset replaces the query's own FROM
    overridden = f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY_GRAPH}> WHERE {{ ?s ?p ?o }}"
    assert count(client, overridden, **{"default-graph-uri": REPORT_GRAPH}) == report


def test_named_graph_uri_names_the_named_graphs(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": GRAPHS, "named-graph-uri": REPORT_GRAPH}
    )
    rows = response.get_json()["results"]["bindings"]
    assert [r["g"]["value"] for r in rows] == [REPORT_GRAPH]
    assert count(client, **{"named-graph-uri": REPORT_GRAPH}) == 0  # no default graph named
    posted = client.post("/sparql", data={"query": GRAPHS, "named-graph-uri": ONTOLOGY_GRAPH})
    assert [r["g"]["value"] for r in posted.get_json()["results"]["bindings"]] == [ONTOLOGY_GRAPH]


def test_graphs_the_dataset_does_not_hold_are_400(client: FlaskClient) -> None:
    for field in ("default-graph-uri", "named-graph-uri"):
        response = client.get(
            "/sparql", query_string={"query": COUNT, field: "https://example.org/elsewhere"}
        )
        assert "not a graph of this dataset" in error(response, 400)


def test_the_api_takes_each_parameter_once_and_not_empty(client: FlaskClient) -> None:
    assert "'q' is empty" in error(client.get("/api/queries/search?q="), 400)
    assert "given 2 times" in error(client.get("/api/queries/search?q=a&q=b"), 400)
    assert "'format' is empty" in error(client.get("/api/queries/problems?format="), 400)
    assert "format ''" in error(
        client.get("/sparql", query_string={"query": COUNT, "format": ""}), 400
    )
    posted = client.post("/api/queries/search", data={"q": "大班额"})
    assert posted.status_code == 200 and posted.get_json()["results"]["bindings"]
    page = client.get("/queries/search?q=", headers={"Accept": "text/html"})
    assert page.status_code == 200  # a form left empty is not an error on the page


FORMULAS = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-1+cmd", "\tx"]
NUMBERS = ["-2", "+3.5", "-1e3", "42"]


def test_the_spreadsheet_csv_neutralises_formulas_and_the_sparql_csv_does_not(
    graph_file: Path, tmp_path: Path
) -> None:
    values = " ".join(
        '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'
        for v in FORMULAS + NUMBERS
    )
    (tmp_path / "cells.rq").write_text(
        f"#+ summary: Cells\nSELECT ?v WHERE {{ VALUES ?v {{ {values} }} }}\n", encoding="utf-8"
    )
    app = create_app({"graph": str(graph_file), "queries": str(tmp_path), "query_workers": 1})
    try:
        client = app.test_client()
        sheet = client.get("/queries/cells.csv").get_data(as_text=True)
        api = client.get("/api/queries/cells?format=csv").get_data(as_text=True)
        query = f"SELECT ?v WHERE {{ VALUES ?v {{ {values} }} }}"
        sparql = client.get("/sparql", query_string={"query": query, "format": "csv"})
    finally:
        close(app)
    cells = list(csv.reader(io.StringIO(sheet.removeprefix("\ufeff"))))[1:]
    assert [c for (c,) in cells] == ["'" + v for v in FORMULAS] + NUMBERS
    for plain in (api, sparql.get_data(as_text=True)):  # SPARQL 1.1 CSV: values as they are
        # (the API pages, so in a total order: sorted on ?v when the query gives none)
        found = [c for (c,) in list(csv.reader(io.StringIO(plain)))[1:]]
        assert sorted(found) == sorted(FORMULAS + NUMBERS)


def test_xml_refuses_characters_xml_cannot_carry(client: FlaskClient) -> None:
    query = 'SELECT ?v WHERE { BIND("a\\u0001b" AS ?v) }'
    xml = client.get("/sparql", query_string={"query": query, "format": "xml"})
    assert "U+0001" in error(xml, 406)
    as_json = client.get("/sparql", query_string={"query": query})
    assert as_json.get_json()["results"]["bindings"][0]["v"]["value"] == "a\x01b"
    construct = 'CONSTRUCT { <urn:a> <urn:b> ?v } WHERE { BIND("\\u0008" AS ?v) }'
    rdfxml = client.get("/sparql", query_string={"query": construct, "format": "rdfxml"})
    assert "XML cannot carry" in error(rdfxml, 406)
    fine = client.get(
        "/sparql",
        query_string={"query": 'SELECT ?v WHERE { BIND("a\\tb" AS ?v) }', "format": "xml"},
    )
    ET.fromstring(fine.get_data())  # tab, line feed and carriage return are allowed


def test_the_sparql_page_predeclares_common_prefixes_and_the_endpoint_does_not(
    client: FlaskClient,
) -> None:
    query = "SELECT ?p WHERE { ?p a edu:Problem }"
    page = client.get("/query", query_string={"query": query}, headers={"Accept": "text/html"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "chongqing-2020/problem/1" in html
    assert "PREFIX+edu" in html or "PREFIX%20edu" in html  # the downloads carry the prefix
    endpoint = client.get("/sparql", query_string={"query": query})
    assert endpoint.status_code == 400  # a protocol request is standard SPARQL
