"""The web app in process, through Flask's test client: every route and every format."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph

from edugraph.errors import ConfigError
from edugraph.web import close, create_app
from edugraph.web.tables import cell

ID = "https://w3id.org/edugraph/id/"
REPORT = f"{ID}report/chongqing-2020/"
PROBLEM_1 = f"{REPORT}problem/1"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
SELECT = "SELECT ?problem ?label WHERE { ?problem a <https://w3id.org/edugraph/ontology#Problem> ; <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?problem"
CONSTRUCT = (
    "CONSTRUCT { ?p ?q ?o } WHERE { ?p a <https://w3id.org/edugraph/ontology#Problem> ; ?q ?o }"
)
SR = "{http://www.w3.org/2005/sparql-results#}"
SELECT_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}
GRAPH_FORMATS = {
    "ttl": ("text/turtle; charset=utf-8", "turtle"),
    "nt": ("application/n-triples", "nt"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdfxml": ("application/rdf+xml", "xml"),
}


@pytest.fixture(scope="module")
def app(graph_file: Path) -> Iterator[Flask]:
    app = create_app({"graph": str(graph_file), "query_workers": 2})
    yield app
    close(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def labels(fmt: str, body: str) -> list[str]:
    """The ?label column of SELECT above, read back from each result format."""
    if fmt == "json":
        return [b["label"]["value"] for b in json.loads(body)["results"]["bindings"]]
    if fmt == "xml":
        root = ET.fromstring(body)
        return [e.text or "" for e in root.iter(f"{SR}literal")]
    if fmt == "csv":
        return [row["label"] for row in csv.DictReader(io.StringIO(body))]
    lines = body.splitlines()
    assert lines[0] == "?problem\t?label"
    return [line.split("\t")[1].split('"')[1] for line in lines[1:]]


PROBLEMS = [
    "学前教育仍有差距",
    "义务教育仍有差距",
    "高中教育仍有差距",
    "高等教育仍有差距",
    "职业教育仍有差距",
]


def test_home_lists_problems_with_their_measures_bodies_basis_and_sources(
    client: FlaskClient,
) -> None:
    response = client.get("/", headers=BROWSER)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="zh-Hans">' in page and '<meta charset="utf-8">' in page
    assert "<script" not in page
    assert [page.index(p) for p in PROBLEMS] == sorted(page.index(p) for p in PROBLEMS)
    preschool = page[page.index(PROBLEMS[0]) : page.index(PROBLEMS[1])]
    assert "推进学前教育普惠发展" in preschool  # plan (一), stated
    assert "加强主城区幼儿园规划用地建设管理" in preschool  # measure 17, inferred
    assert "重庆市人民政府</a>（牵头）" in preschool  # body and role
    assert (
        "报告明示" in preschool and "推断" in preschool and "0.7" in preschool
    )  # basis, confidence
    assert "通过新建、改建、回收、回购等途径增加公办幼儿园供给" in preschool  # source sentence
    assert 'href="/id/report/chongqing-2020/measure/17"' in preschool
    higher = page[page.index(PROBLEMS[3]) : page.index(PROBLEMS[4])]
    assert "加强“双一流”建设" in higher and "推进学前教育普惠发展" not in higher


@pytest.mark.parametrize("fmt", SELECT_FORMATS)
def test_sparql_select_in_every_format_by_parameter_and_by_accept(
    client: FlaskClient, fmt: str
) -> None:
    by_parameter = client.get("/sparql", query_string={"query": SELECT, "format": fmt})
    mime = SELECT_FORMATS[fmt]
    accept = {"Accept": mime.split(";")[0]}
    by_accept = client.get("/sparql", query_string={"query": SELECT}, headers=accept)
    for response in (by_parameter, by_accept):
        assert response.status_code == 200
        assert response.headers["Content-Type"] == mime
        assert labels(fmt, response.get_data(as_text=True)) == PROBLEMS
    assert not by_parameter.get_data().startswith(b"\xef\xbb\xbf")  # the API's CSV has no BOM


def test_sparql_post_form_and_direct_body(client: FlaskClient) -> None:
    form = client.post("/sparql", data={"query": SELECT})
    direct = client.post("/sparql", data=SELECT.encode(), content_type="application/sparql-query")
    for response in (form, direct):
        assert response.status_code == 200
        assert labels("json", response.get_data(as_text=True)) == PROBLEMS
    other = client.post("/sparql", data=SELECT, content_type="text/plain")
    assert other.status_code == 415 and other.is_json


def test_ask_in_json_and_xml_and_not_in_csv_or_tsv(client: FlaskClient) -> None:
    ask = "ASK { ?p a <https://w3id.org/edugraph/ontology#Problem> }"
    assert client.get("/sparql", query_string={"query": ask}).get_json()["boolean"] is True
    xml = client.get("/sparql", query_string={"query": ask, "format": "xml"})
    assert ET.fromstring(xml.get_data()).find(f"{SR}boolean").text == "true"  # type: ignore[union-attr]
    for fmt, mime in (("csv", "text/csv"), ("tsv", "text/tab-separated-values")):
        by_format = client.get("/sparql", query_string={"query": ask, "format": fmt})
        by_accept = client.get("/sparql", query_string={"query": ask}, headers={"Accept": mime})
        for response in (by_format, by_accept):
            assert response.status_code == 406 and "ASK" in response.get_json()["error"]
    anything = client.get(
        "/sparql", query_string={"query": ask}, headers={"Accept": "text/csv, */*;q=0.1"}
    )
    assert anything.status_code == 200 and anything.get_json()["boolean"] is True


@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
def test_sparql_construct_in_every_format(client: FlaskClient, fmt: str) -> None:
    mime, parser = GRAPH_FORMATS[fmt]
    by_parameter = client.get("/sparql", query_string={"query": CONSTRUCT, "format": fmt})
    by_accept = client.get(
        "/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": mime.split(";")[0]}
    )
    for response in (by_parameter, by_accept):
        assert response.status_code == 200 and response.headers["Content-Type"] == mime
        graph = Graph().parse(data=response.get_data(as_text=True), format=parser)
        labels = {str(o) for o in graph.objects(predicate=None) if str(o) in PROBLEMS}
        assert labels == set(PROBLEMS)


def test_construct_defaults_to_turtle_and_select_to_json(client: FlaskClient) -> None:
    construct = client.get("/sparql", query_string={"query": CONSTRUCT})
    select = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "*/*"})
    assert construct.headers["Content-Type"].startswith("text/turtle")
    assert select.headers["Content-Type"] == "application/sparql-results+json"


def test_a_format_of_the_wrong_kind_is_a_clear_error(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": CONSTRUCT, "format": "csv"})
    assert response.status_code == 400
    assert "ttl, nt, jsonld, rdfxml" in response.get_json()["error"]


def test_api_lists_queries_with_their_params(client: FlaskClient) -> None:
    listed = {q["name"]: q for q in client.get("/api/queries").get_json()}
    assert {"measures-for-problem", "problem-responses", "search"} <= set(listed)
    problem = listed["measures-for-problem"]["params"][0]
    assert (problem["name"], problem["type"], problem["required"]) == ("problem", "iri", True)
    assert listed["measures-for-problem"]["api"] == "/api/queries/measures-for-problem"


def test_measures_for_a_problem_are_one_request_away(client: FlaskClient) -> None:
    response = client.get(f"/api/queries/measures-for-problem?problem={PROBLEM_1}")
    assert response.status_code == 200
    rows = response.get_json()["results"]["bindings"]
    assert {r["measure"]["value"].removeprefix(REPORT) for r in rows} == {
        "plan/1",
        "measure/16",
        "measure/17",
    }


@pytest.mark.parametrize("fmt", SELECT_FORMATS)
def test_saved_query_api_in_every_format(client: FlaskClient, fmt: str) -> None:
    url = f"/api/queries/measures-for-problem?problem={PROBLEM_1}&format={fmt}"
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == SELECT_FORMATS[fmt]
    assert "加强主城区幼儿园规划用地建设管理" in response.get_data(as_text=True)
    posted = client.post(
        "/api/queries/measures-for-problem", data={"problem": PROBLEM_1, "format": fmt}
    )
    assert posted.get_data() == response.get_data()


def test_saved_query_errors_name_the_problem(client: FlaskClient) -> None:
    missing = client.get("/api/queries/measures-for-problem")
    assert missing.status_code == 400
    assert "missing required parameter 'problem'" in missing.get_json()["error"]
    unknown = client.get(f"/api/queries/measures-for-problem?problem={PROBLEM_1}&colour=red")
    assert unknown.status_code == 400 and "colour" in unknown.get_json()["error"]
    bad = client.get("/api/queries/measures-for-problem?problem=not%20an%20iri")
    assert bad.status_code == 400 and "not a valid iri" in bad.get_json()["error"]
    nothing = client.get("/api/queries/no-such-query")
    assert (
        nothing.status_code == 404
        and "no saved query 'no-such-query'" in nothing.get_json()["error"]
    )


def test_openapi_is_generated_from_the_query_headers(client: FlaskClient) -> None:
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    listed = {q["name"] for q in client.get("/api/queries").get_json()}
    assert {
        p.removeprefix("/api/queries/") for p in doc["paths"] if p.startswith("/api/queries/")
    } == listed
    get = doc["paths"]["/api/queries/measures-for-problem"]["get"]
    assert get["summary"] == "Measures that address a problem"
    assert get["tags"] == ["problems", "measures"]
    assert "implemented 做法" in get["description"]
    params = {p["name"]: p for p in get["parameters"]}
    assert params["problem"]["required"] is True
    assert params["problem"]["schema"] == {"type": "string", "format": "uri", "minLength": 1}
    assert params["problem"]["description"] == "IRI of the problem"
    assert params["format"]["schema"]["enum"] == ["json", "xml", "csv", "tsv"]
    assert "text/csv" in get["responses"]["200"]["content"]
    search = doc["paths"]["/api/queries/search"]["get"]
    assert {p["name"]: p["required"] for p in search["parameters"]} == {
        "q": True,
        "format": False,
        "page": False,
        "per_page": False,
    }
    assert "post" in doc["paths"]["/sparql"]


def test_openapi_types_enums_and_defaults(tmp_path: Path, graph_file: Path) -> None:
    (tmp_path / "typed.rq").write_text(
        "#+ summary: Typed\n#+ params:\n"
        "#+   year: {type: integer, default: 2019, enum: [2019, 2020]}\n"
        "#+   flag: {type: boolean}\n#+   day: {type: date, required: true}\n"
        "SELECT ?x WHERE { ?x ?p ?o } LIMIT 1\n",
        encoding="utf-8",
    )
    app = create_app({"graph": str(graph_file), "queries": str(tmp_path), "query_workers": 1})
    try:
        doc = app.test_client().get("/api/openapi.json").get_json()
    finally:
        close(app)
    params = {p["name"]: p for p in doc["paths"]["/api/queries/typed"]["get"]["parameters"]}
    assert params["year"]["schema"] == {"type": "integer", "enum": [2019, 2020], "default": 2019}
    assert params["flag"]["schema"] == {"type": "boolean"}
    assert (params["day"]["schema"], params["day"]["required"]) == (
        {"type": "string", "format": "date", "minLength": 1},
        True,
    )


def test_saved_query_page_has_a_form_results_and_downloads(client: FlaskClient) -> None:
    blank = client.get("/queries/measures-for-problem", headers=BROWSER).get_data(as_text=True)
    assert '<select id="param-problem" name="problem" required>' in blank
    assert "学前教育仍有差距 — report/chongqing-2020/problem/1" in blank  # options, labelled
    assert "<table>" not in blank  # the required parameter is not given yet
    page = client.get(
        f"/queries/measures-for-problem?problem={quote(PROBLEM_1)}", headers=BROWSER
    ).get_data(as_text=True)
    assert f'<option value="{PROBLEM_1}" selected>' in page
    assert "<table>" in page and "加强主城区幼儿园规划用地建设管理" in page
    assert '<a href="/id/report/chongqing-2020/measure/17">' in page  # local IRIs link
    assert "edu:Implemented" in page and 'href="https://w3id.org/edugraph/ontology' not in page
    assert f'href="/queries/measures-for-problem.csv?problem={PROBLEM_1}"' in page
    assert f'href="/queries/measures-for-problem.json?problem={PROBLEM_1}"' in page


def test_csv_download_opens_in_a_spreadsheet_with_the_chinese_intact(client: FlaskClient) -> None:
    response = client.get(f"/queries/measures-for-problem.csv?problem={PROBLEM_1}")
    assert response.status_code == 200
    assert (
        response.headers["Content-Disposition"] == 'attachment; filename="measures-for-problem.csv"'
    )
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert "加强主城区幼儿园规划用地建设管理" in {r["measureLabel"] for r in rows}
    json_download = client.get(f"/queries/measures-for-problem.json?problem={PROBLEM_1}")
    assert json_download.headers["Content-Disposition"].startswith("attachment;")
    assert len(json_download.get_json()["results"]["bindings"]) == len(rows)


def test_saved_query_page_shows_a_bad_value_in_the_form(client: FlaskClient) -> None:
    response = client.get("/queries/search?q=" + "x" * 2001, headers=BROWSER)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "longer than 2000 characters" in page and "<form" in page
    program = client.get("/queries/search?q=" + "x" * 2001)
    assert program.status_code == 400 and "longer than" in program.get_json()["error"]


def test_queries_page_lists_every_saved_query(client: FlaskClient) -> None:
    page = client.get("/queries", headers=BROWSER).get_data(as_text=True)
    for name in ("measures-for-problem", "problem-responses", "targets"):
        assert f'href="/queries/{name}"' in page


def test_sparql_page_edits_runs_and_lists_examples(client: FlaskClient) -> None:
    editor = client.get("/query").get_data(as_text=True)
    assert '<textarea name="query"' in editor and "<script" not in editor
    assert 'href="/query?example=measures-for-problem"' in editor
    example = client.get("/query?example=measures-for-problem").get_data(as_text=True)
    assert "edu:qualifiedAddresses" in example and "<table>" not in example
    ran = client.get("/query?" + urlencode({"query": SELECT})).get_data(as_text=True)
    assert "<table>" in ran and all(p in ran for p in PROBLEMS)
    assert 'href="/id/report/chongqing-2020/problem/1"' in ran
    assert "/sparql?query=" in ran and "format=csv" in ran
    browser = client.get("/sparql?" + urlencode({"query": SELECT}), headers=BROWSER)
    assert browser.content_type.startswith("text/html") and "<table>" in browser.get_data(
        as_text=True
    )
    empty = client.get("/sparql", headers=BROWSER)
    assert empty.status_code == 200 and "<textarea" in empty.get_data(as_text=True)


def test_sparql_page_shows_errors_beside_the_query(client: FlaskClient) -> None:
    url = "/query?" + urlencode({"query": "SELECT * WHERE { ?s ?p }"})
    assert client.get(url).is_json  # a program gets the error alone
    response = client.get(url, headers=BROWSER)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "SPARQL syntax error" in page and "<textarea" in page


def test_construct_on_the_sparql_page_is_a_table_of_triples(client: FlaskClient) -> None:
    page = client.get("/query?" + urlencode({"query": CONSTRUCT})).get_data(as_text=True)
    assert "<th>s</th><th>p</th><th>o</th>" in page and "学前教育仍有差距" in page


def test_resource_pages_and_rdf(client: FlaskClient) -> None:
    page = client.get("/id/report/chongqing-2020/measure/17", headers=BROWSER)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "<h1>加强主城区幼儿园规划用地建设管理</h1>" in text
    assert 'href="/id/report/chongqing-2020/problem/1"' in text
    span = "/id/report/chongqing-2020/text%23char=2914,3000"  # a hash IRI, reached encoded
    assert span in text and client.get(span, headers=BROWSER).status_code == 200
    turtle = client.get("/id/report/chongqing-2020/measure/17", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=turtle.get_data(as_text=True), format="turtle")
    assert len(graph) > 10
    missing = client.get("/id/report/chongqing-2020/measure/999")
    assert missing.status_code == 404 and missing.is_json


def test_ping_reports_the_worker_pool(client: FlaskClient) -> None:
    ping = client.get("/api/ping")
    body = ping.get_json()
    assert len(body.pop("version")) == 16
    assert body == {
        "ok": True,
        "workers": {"size": 2, "alive": 2, "busy": 0, "idle": 2},
        "queued": 0,
        "spawner": True,
        "reloading": False,
    }
    assert "ETag" not in ping.headers and ping.headers["Cache-Control"] == "no-store"


def test_unknown_setting_is_refused(graph_file: Path) -> None:
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        create_app({"graph": str(graph_file), "colour": "blue"})


def test_only_iris_under_the_configured_base_link_to_id_pages(app: Flask) -> None:
    iri = {"type": "uri", "value": f"{REPORT}measure/17"}
    with app.test_request_context():
        local = cell(iri, "https://w3id.org/edugraph/")
        other = cell(iri, "https://example.org/edugraph/")
        vocabulary = cell(
            {"type": "uri", "value": "https://w3id.org/edugraph/ontology#Planned"},
            "https://w3id.org/edugraph/",
        )
    assert (local.text, local.href) == (
        "report/chongqing-2020/measure/17",
        "/id/report/chongqing-2020/measure/17",
    )
    assert (other.text, other.href) == (f"{REPORT}measure/17", None)
    assert (vocabulary.text, vocabulary.href) == ("edu:Planned", None)
