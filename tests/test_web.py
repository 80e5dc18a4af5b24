"""The web app in process, through Flask's test client: every route and every format."""

from __future__ import annotations

import csv
import io
import json
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import VOID

from edugraph.errors import ConfigError
from edugraph.graph.quads import Quads
from edugraph.publish.build import BuildResult
from edugraph.publish.site import publish
from edugraph.web import close, create_app
from edugraph.web.internal import internal_queries
from edugraph.web.tables import cell

ID = "https://w3id.org/edugraph/id/"
REPORT = f"{ID}report/chongqing-2020/"
PROBLEM_1 = f"{REPORT}problem/1"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
SELECT = "SELECT ?problem ?label WHERE { ?problem a <https://w3id.org/edugraph/ontology#Problem> ; <https://w3id.org/edugraph/ontology#inReport> <https://w3id.org/edugraph/id/report/chongqing-2020> ; <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?problem"
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
def app(site_file: Path) -> Iterator[Flask]:
    app = create_app({"graph": str(site_file), "query_workers": 2})
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
    response = client.get("/", query_string={"min": "0"}, headers=BROWSER)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="zh-Hans">' in page and '<meta charset="utf-8">' in page
    assert "<script" not in page
    assert [page.index(p) for p in PROBLEMS] == sorted(page.index(p) for p in PROBLEMS)
    preschool = page[page.index(PROBLEMS[0]) : page.index(PROBLEMS[1])]
    assert "推进学前教育普惠发展" in preschool  # plan (一), stated
    assert "加强主城区幼儿园规划用地建设管理" in preschool  # measure 17, inferred
    assert "重庆市人民政府</a>（牵头，默认（文中未写明））" in preschool  # a default lead says so
    assert (
        "报告明示" in preschool and "推断" in preschool and "0.7" in preschool
    )  # basis, confidence
    assert "通过新建、改建、回收、回购等途径增加公办幼儿园供给" in preschool  # source sentence
    assert 'href="/id/report/chongqing-2020/measure/17"' in preschool
    higher = page[page.index(PROBLEMS[3]) : page.index(PROBLEMS[4])]
    assert "加强“双一流”建设" in higher and "推进学前教育普惠发展" not in higher


NANLING = f"{ID}report/p-nanling-province-2021"


def test_reports_page_lists_every_report_with_its_counts(client: FlaskClient) -> None:
    page = client.get("/reports", headers=BROWSER).get_data(as_text=True)
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]
    assert len(rows) == 2
    assert "重庆市人民政府" in rows[0] and "南岭省人民政府" in rows[1]
    cells = [c.split(">", 1)[1].split("<", 1)[0].strip() for c in rows[1].split("<td")[1:]]
    assert cells[2:9] == ["南岭省", "省级", "2021", "12", "3", "36", "8"]  # region … findings
    assert 'href="/id/report/p-nanling-province-2021"' in rows[1]
    assert ">报告 Reports</a>" in page  # in the nav


def test_home_shows_one_report_or_all_grouped_by_report(client: FlaskClient) -> None:
    every = client.get("/", headers=BROWSER).get_data(as_text=True)
    assert every.count('<section class="report">') == 2
    titles = every.split('<h2 class="report-title">')
    assert "重庆市人民政府 · " in titles[1] and PROBLEMS[0] in titles[1]
    assert "南岭省人民政府 · " in titles[2] and PROBLEMS[0] not in titles[2]
    for chosen in (NANLING, "p-nanling-province-2021"):  # an IRI or a slug
        one = client.get("/", query_string={"report": chosen}).get_data(as_text=True)
        assert one.count('<section class="report">') == 1
        assert "公办学前教育资源总量不足" in one and PROBLEMS[0] not in one
        assert f'<option value="{NANLING}" selected>' in one


def test_home_says_what_the_findings_say_first(client: FlaskClient) -> None:
    every = client.get("/", headers=BROWSER).get_data(as_text=True)
    chongqing, nanling = every.split('<h2 class="report-title">')[1:3]
    checks = chongqing.split('<p class="checks', 1)[1].split("</p>", 1)[0]
    assert "0 项数据不符" in checks
    assert "未达标且报告未承认 standards missed without admission: 高校专职辅导员师生比" in checks
    assert "公办幼儿园在园幼儿占比" in nanling.split('<p class="checks', 1)[1].split("</p>")[0]


def test_low_confidence_inferred_links_are_hidden_and_counted(client: FlaskClient) -> None:
    shown = client.get("/", query_string={"min": "0"}).get_data(as_text=True)
    default = client.get("/").get_data(as_text=True)
    strict = client.get("/", query_string={"min": "0.95"}).get_data(as_text=True)

    def measures(page: str) -> int:
        return page.count("<li>\n      <h4>")

    assert measures(strict) <= measures(default) <= measures(shown)
    assert measures(strict) < measures(shown)
    hidden = int(strict.split("已隐藏 ", 1)[1].split(" ", 1)[0])
    assert hidden > 0 and "已隐藏" not in shown
    stated = client.get("/", query_string={"basis": "stated", "min": "0"}).get_data(as_text=True)
    assert "推断</dd>" not in stated and "报告明示</dd>" in stated
    bad = client.get("/", query_string={"min": "high"}, headers=BROWSER)
    assert bad.status_code == 400 and "from 0 to 1" in bad.get_data(as_text=True)


def test_findings_page_lists_warnings_first_by_report(client: FlaskClient) -> None:
    page = client.get("/findings", headers=BROWSER).get_data(as_text=True)
    chongqing = page.split('<section class="report">')[1]
    first_row = chongqing.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert "警告 Warning" in first_row and "辅导员" in first_row
    assert chongqing.index("警告 Warning") < chongqing.index("信息 Info")
    assert "南岭省人民政府" in page.split('<section class="report">')[2]
    one = client.get("/findings", query_string={"report": "chongqing-2020"}).get_data(as_text=True)
    assert one.count('<section class="report">') == 1


def test_problem_page_lists_bodies_with_roles_and_says_when_a_lead_is_assumed(
    client: FlaskClient,
) -> None:
    page = client.get("/id/report/chongqing-2020/problem/1", headers=BROWSER)
    table = page.get_data(as_text=True).split("回应此问题的措施", 1)[1].split("</table>", 1)[0]
    assert "<th>责任主体 Bodies</th>" in table and "置信度 Confidence (0–1)" in table
    assert "默认（文中未写明）" in table and "牵头" in table
    rows = table.split("<tr>")[2:]
    assert all("</a>（" in row for row in rows)  # every measure has a body with its role


def test_warning_badges_on_report_indicator_and_measure_pages(client: FlaskClient) -> None:
    def badge(path: str) -> str:
        h1 = client.get(path, headers=BROWSER).get_data(as_text=True).split("<h1>", 1)[1]
        h1 = h1.split("</h1>", 1)[0]
        return (
            h1.split('class="badge warning"', 1)[1].split(">", 1)[1].split("<", 1)[0]
            if ("badge" in h1)
            else ""
        )

    assert badge("/id/report/chongqing-2020") == "1 警告 Warning"
    assert badge("/id/indicator/counsellor-student-ratio") == "1 警告 Warning"
    assert badge("/id/report/p-nanling-province-2021/measure/1") == "1 警告 Warning"
    assert badge("/id/report/chongqing-2020/measure/17") == ""


def test_a_saved_query_takes_a_report_by_slug(client: FlaskClient) -> None:
    page = client.get(
        "/queries/problems", query_string={"report": "p-nanling-province-2021"}, headers=BROWSER
    ).get_data(as_text=True)
    assert "公办学前教育资源总量不足" in page and PROBLEMS[0] not in page
    every = client.get("/queries/problems.csv").get_data(as_text=True)
    assert PROBLEMS[0] in every and "公办学前教育资源总量不足" in every


def test_the_api_takes_a_report_by_slug_as_the_pages_do(client: FlaskClient) -> None:
    by_slug = client.get("/api/queries/problems?report=p-nanling-province-2021")
    by_iri = client.get("/api/queries/problems", query_string={"report": NANLING})
    assert by_slug.status_code == 200 and by_slug.get_data() == by_iri.get_data()
    reports = {r["report"]["value"] for r in by_slug.get_json()["results"]["bindings"]}
    assert reports == {NANLING}


@pytest.mark.parametrize("value", ["-", "a b", "report/-", "x/y/z"])
def test_a_report_neither_iri_nor_slug_is_a_400_naming_it(client: FlaskClient, value: str) -> None:
    response = client.get("/api/queries/problems", query_string={"report": value})
    assert response.status_code == 400 and "report" in response.get_data(as_text=True)


def test_the_openapi_document_says_report_takes_a_slug(client: FlaskClient) -> None:
    doc = client.get("/api/openapi.json").get_json()
    params = doc["paths"]["/api/queries/problems"]["get"]["parameters"]
    schema = next(p["schema"] for p in params if p["name"] == "report")
    patterns = [s.get("pattern") for s in schema["anyOf"] if "pattern" in s]
    assert patterns and re.fullmatch(patterns[0].strip("^$"), "report/p-nanling-province-2021")


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


def test_the_pages_own_queries_are_files_the_api_does_not_list(client: FlaskClient) -> None:
    own = internal_queries()
    assert {"resource-outgoing", "report-outline", "labels", "class-options"} <= set(own)
    listed = {q["name"] for q in client.get("/api/queries").get_json()}
    assert listed and not listed & set(own)
    assert client.get("/api/queries/resource-outgoing").status_code == 404
    assert all(q.params[0].type == "iri" for q in own.values() if q.params)
    source = (Path(__file__).parents[1] / "src/edugraph/web/describe.py").read_text()
    assert "SELECT" not in source and "CONSTRUCT" not in source  # SPARQL lives in .rq files


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
    assert get["summary"] == "Measures that address a problem · 回应某一问题的措施"
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
        "report": False,
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
    implemented = '<td title="https://w3id.org/edugraph/ontology#Implemented">'  # by its label
    assert implemented in page and "edu:Implemented" not in page
    assert 'href="https://w3id.org/edugraph/ontology' not in page
    assert "<td>默认（文中未写明）</td>" not in page  # its cells say so, titled with the value
    assert '<td title="true">默认（文中未写明）</td>' in page
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
    assert {r["default"] for r in rows} == {"默认（文中未写明）"}  # the issuer, assumed
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


def test_saved_queries_are_described_in_zh_beside_en(client: FlaskClient) -> None:
    for name in sorted(q["name"] for q in client.get("/api/queries").get_json()):
        page = client.get(f"/queries/{name}", headers=BROWSER).get_data(as_text=True)
        assert " · " in page.split("<h1>", 1)[1].split("</h1>", 1)[0], name  # en · zh title
        assert '<p class="lead" lang="en">' in page, name
        assert '<p class="lead" lang="zh-Hans">' in page, name
    index = client.get("/queries", headers=BROWSER).get_data(as_text=True)
    assert '<small lang="zh-Hans">回应某一问题的措施' in index


def test_findings_say_what_they_found_in_zh_and_en(client: FlaskClient) -> None:
    page = client.get("/findings", headers=BROWSER).get_data(as_text=True)
    first = page.split('<section class="report">')[1].split("<tbody>", 1)[1].split("</tr>")[0]
    assert "高校专职辅导员师生比为 1︰217，未达到" in first  # zh
    assert '<small lang="en">高校专职辅导员师生比 is 1︰217, short of' in first


def test_compare_offers_only_what_two_reports_give(client: FlaskClient) -> None:
    page = client.get("/compare", headers=BROWSER).get_data(as_text=True)
    indicators = page.split('<select id="indicator"', 1)[1].split("</select>", 1)[0]
    assert "公办幼儿园在园幼儿占比（2 份报告 reports）" in indicators
    assert "辅导员" not in indicators  # Chongqing's alone
    assert "（1 份报告" not in page
    concepts = page.split('<select id="concept"', 1)[1].split("</select>", 1)[0]
    assert "学段：学前教育（2 份报告 reports）" in concepts
    assert "主题：大班额（2 份报告 reports）" in concepts
    assert "高等教育" not in concepts  # only Chongqing admits a problem of higher education


def side_row(table: str, name: str) -> list[str]:
    """The cells, one per report, of a row of the side-by-side table."""
    found = table.split(f'<tr class="{name}">', 1)[1].split("</tr>", 1)[0]
    return found.split("<td>")[1:]


def test_compare_sets_reports_side_by_side_on_a_stage(client: FlaskClient) -> None:
    for concept in ("stage/preschool", f"{ID}stage/preschool"):
        html = client.get("/compare", query_string={"concept": concept}, headers=BROWSER).get_data(
            as_text=True
        )
        table = html.split('<table class="side-by-side">', 1)[1].split("</table>", 1)[0]
        heads = table.split("<thead>", 1)[1].split("</thead>", 1)[0]
        assert heads.index("重庆市") < heads.index("南岭省")

        chongqing, nanling = side_row(table, "figures")
        assert "公办幼儿园在园幼儿占比 41%" in chongqing and "45.2%" in nanling
        chongqing, nanling = side_row(table, "targets")
        assert "公办园在园幼儿占比原则上达到50%" in chongqing  # the national standard
        assert '<small title="45.2">实际 actual 公办幼儿园在园幼儿占比 45.2%（2020）' in nanling
        chongqing, nanling = side_row(table, "problems")
        assert "学前教育仍有差距" in chongqing and "推进学前教育普惠发展" in chongqing
        assert "报告明示" in chongqing
        assert "公办学前教育资源总量不足" in nanling and "持续扩大公办学前教育资源" in nanling
        assert "学前教育仍有差距" not in nanling
    csv_link = html.split('CSV: <a href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    rows = list(csv.DictReader(io.StringIO(client.get(csv_link).get_data().decode("utf-8-sig"))))
    assert {r["kind"] for r in rows} == {"figure", "target", "problem", "measure"}
    assert {r["regionLabel"] for r in rows} == {"重庆市", "南岭省"}


def test_compare_by_topic_counts_the_low_confidence_links_it_hides(client: FlaskClient) -> None:
    html = client.get(
        "/compare", query_string={"concept": "topic/class-size"}, headers=BROWSER
    ).get_data(as_text=True)
    chongqing = html.split('<tr class="problems">', 1)[1].split("<td>")[1]
    assert "义务教育仍有差距" in chongqing and "促进义务教育优质均衡" in chongqing
    assert "推断 0.5" not in chongqing and "另有 1 项低置信度推断措施未列出" in chongqing


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


def served_counts(client: FlaskClient) -> tuple[int, int, int] | None:
    """The whole dataset's triples as the dump, the VoID description and /dataset give them;
    None while a new version is being loaded (503)."""
    responses = [
        client.get("/download/edugraph.nt"),
        client.get("/.well-known/void"),
        client.get("/dataset", headers=BROWSER),
    ]
    if any(r.status_code == 503 for r in responses):
        return None
    dump, void, page = responses
    description = Graph().parse(data=void.get_data())
    triples = description.value(URIRef("http://localhost/.well-known/void#dataset"), VOID.triples)
    assert isinstance(triples, Literal)
    html = page.get_data(as_text=True)
    shown = html.split("<tbody>", 1)[1].split('<td class="number">', 1)[1].split("<", 1)[0]
    return len(dump.get_data().splitlines()), int(triples), int(shown.replace(",", ""))


def test_dataset_page_and_void_agree_with_the_dumps_after_a_rebuild(
    built: BuildResult, tmp_path: Path
) -> None:
    """A rebuild under a running server: the description and the dumps change together."""
    out = tmp_path / "edugraph.trig"
    publish(built.quads, out, base="https://w3id.org/edugraph/")
    app = create_app({"graph": str(out), "query_workers": 1, "query_timeout": 2})
    client = app.test_client()
    try:
        before = served_counts(client)
        assert before is not None and len(set(before)) == 1, before
        following = Quads.load(out)
        following.add_lines(
            "https://w3id.org/edugraph/graph/extra", ['<urn:x:a> <urn:x:b> "c" .\n']
        )
        publish(following, out, base="https://w3id.org/edugraph/")  # under the running server
        seen, deadline = [before], time.monotonic() + 30
        while seen[-1] in (before, None) and time.monotonic() < deadline:
            time.sleep(0.1)
            seen.append(served_counts(client))
    finally:
        close(app)
    assert seen[-1] == (before[0] + 1,) * 3, seen
    assert all(s is None or len(set(s)) == 1 for s in seen), seen  # never mixed
