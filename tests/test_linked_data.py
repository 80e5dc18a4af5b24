"""Linked data through the test client: every IRI dereferences (a page, or its concise bounded
description by Accept or ?format=), the ontology and shapes, the JSON-LD context, the dumps
(byte for byte what `edugraph export` writes) and the VoID description, whose links work."""

from __future__ import annotations

import base64
import hashlib
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, OWL, RDF, RDFS, SKOS, VOID, XSD
from rdflib.term import Node

from edugraph import formats
from edugraph.graph.quads import Quads
from edugraph.publish import export, void
from edugraph.publish.build import BuildResult
from edugraph.publish.site import publish
from edugraph.query.engines import dataset_version
from edugraph.web import close, create_app
from edugraph.web import published as published_module

BASE = "https://w3id.org/edugraph/"
ID = f"{BASE}id/"
REPORT = f"{ID}report/chongqing-2020"
MEASURE_17 = f"{REPORT}/measure/17"
PROBLEM_1 = f"{REPORT}/problem/1"
TEXT = f"{REPORT}/text"
SPAN = f"{TEXT}#char=2914,3000"
EDU = Namespace("https://w3id.org/edugraph/ontology#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
RDF_FORMATS = {  # ?format= → (media type, rdflib parser)
    "ttl": ("text/turtle", "turtle"),
    "nt": ("application/n-triples", "nt"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdfxml": ("application/rdf+xml", "xml"),
}
Key = tuple[str, str, tuple[str, str, str]]
INTEGER_TYPES = {
    str(XSD[name])
    for name in (
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}


@pytest.fixture(scope="module")
def app(graph_file: Path) -> Iterator[Flask]:
    app = create_app({"graph": str(graph_file), "query_workers": 2})
    yield app
    close(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="module")
def union(graph_file: Path) -> Graph:
    """The dataset as one graph: the oracle the descriptions are checked against."""
    dataset = Dataset(default_union=True)
    dataset.parse(graph_file, format="trig")
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def key(triple: tuple[Node, Node, Node]) -> Key:
    """A triple compared as RDF compares it (language tags without case). Oxigraph's store
    keeps integers of a derived type (nif:beginIndex's xsd:nonNegativeInteger) as
    xsd:integer, so what the store answers says xsd:integer for them."""
    s, p, o = triple
    if isinstance(o, Literal):
        datatype = str(o.datatype or "")
        datatype = str(XSD.integer) if datatype in INTEGER_TYPES else datatype
        value = (str(o), (o.language or "").lower(), datatype)
    else:
        value = (str(o), "", "")
    return (str(s), str(p), value)


def bounded(union: Graph, iri: str) -> set[Key]:
    """The concise bounded description, computed directly: outgoing and incoming triples, the
    labels of the resources they name, and the spans whose hash IRIs resolve through it."""
    this = URIRef(iri)
    out = set(union.triples((this, None, None))) | set(union.triples((None, None, this)))
    named = {o for _, _, o in union.triples((this, None, None))}
    named |= {s for s, _, _ in union.triples((None, None, this))}
    for node in named:
        for label in (RDFS.label, SKOS.prefLabel):
            out |= set(union.triples((node, label, None)))
    for span in union.subjects(NIF.referenceContext, this):
        out |= set(union.triples((span, None, None)))
    return {key(t) for t in out}


def parsed(body: bytes, parser: str) -> set[Key]:
    return {key(t) for t in Graph().parse(data=body, format=parser)}


def path_of(iri: str) -> str:
    return "/id/" + iri.removeprefix(ID).replace("#", "%23")


# --- dereferencing ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_an_iri_dereferences_by_accept_and_by_format(
    client: FlaskClient, union: Graph, fmt: str
) -> None:
    mime, parser = RDF_FORMATS[fmt]
    path = path_of(MEASURE_17)
    by_accept = client.get(path, headers={"Accept": mime})
    by_format = client.get(f"{path}?format={fmt}", headers=BROWSER)
    for response in (by_accept, by_format):
        assert response.status_code == 200  # 200 at the IRI itself, no redirect
        assert response.mimetype == mime
        assert "Accept" in response.headers["Vary"]
        assert response.headers["Content-Location"] == f"{path}?format={fmt}"
        assert (
            f'<{path}?format=ttl>; rel="alternate"; type="text/turtle"' in response.headers["Link"]
        )
        assert parsed(response.get_data(), parser) == bounded(union, MEASURE_17)
    assert by_accept.get_data() == by_format.get_data()


def test_a_browser_gets_the_page_and_a_program_gets_turtle(client: FlaskClient) -> None:
    page = client.get(path_of(MEASURE_17), headers=BROWSER)
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "Accept" in page.headers["Vary"]
    assert f'<{path_of(MEASURE_17)}?format=html>; rel="alternate"' in page.headers["Link"]
    for accept in ("*/*", "text/turtle;q=0.9, text/html;q=0.5", ""):
        response = client.get(path_of(MEASURE_17), headers={"Accept": accept})
        assert response.mimetype == "text/turtle", accept
    forced = client.get(f"{path_of(MEASURE_17)}?format=html", headers={"Accept": "text/turtle"})
    assert forced.mimetype == "text/html"


@pytest.mark.parametrize(
    "iri",
    [PROBLEM_1, f"{ID}body/chongqing-government", f"{ID}stage/preschool", REPORT, TEXT, SPAN],
)
def test_the_description_is_the_concise_bounded_description(
    client: FlaskClient, union: Graph, iri: str
) -> None:
    response = client.get(path_of(iri), headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert parsed(response.get_data(), "nt") == bounded(union, iri)


def test_the_description_is_bounded(client: FlaskClient) -> None:
    data = client.get(path_of(PROBLEM_1), headers={"Accept": "text/turtle"}).get_data()
    graph = Graph().parse(data=data, format="turtle")
    measure, problem = URIRef(MEASURE_17), URIRef(PROBLEM_1)
    assert (measure, EDU.addresses, problem) in graph  # incoming
    assert "加强主城区幼儿园规划用地建设管理" in {
        str(o) for o in graph.objects(measure, RDFS.label)
    }
    assert not list(graph.objects(measure, EDU.text))  # but not the rest of the measure


def test_span_iris_resolve_through_the_text(client: FlaskClient) -> None:
    """A browser asks for text#char=2914,3000 as /id/…/text and keeps the fragment: the
    text's RDF describes the span, and its page has the span's anchor at its words."""
    data = client.get(path_of(TEXT), headers={"Accept": "text/turtle"}).get_data()
    graph = Graph().parse(data=data, format="turtle")
    span = URIRef(SPAN)
    assert graph.value(span, NIF.beginIndex) == Literal(2914)
    assert str(graph.value(span, NIF.anchorOf)).startswith("17.加强主城区幼儿园规划用地建设管理")
    page = client.get(path_of(TEXT), headers=BROWSER).get_data(as_text=True)
    assert '<span id="char=2914,3000"></span>17.加强主城区幼儿园规划用地建设管理' in page
    assert "<h1>重庆市人民政府2019年以来履行教育职责情况自查自评报告 · 全文 Text</h1>" in page


def test_unknown_iris_are_404(client: FlaskClient) -> None:
    for path in ("/id/report/chongqing-2020/measure/999", "/id/no/such/thing", "/id/a%20b"):
        for accept in ("text/turtle", "application/json"):
            response = client.get(path, headers={"Accept": accept})
            assert response.status_code == 404 and response.is_json
            assert "no resource" in response.get_json()["error"]
        page = client.get(path, headers=BROWSER)
        assert page.status_code == 404 and page.mimetype == "text/html"
    assert client.get("/id/report/chongqing-2020/measure/17?format=csv").status_code == 400


# --- pages --------------------------------------------------------------------------------


def page_of(client: FlaskClient, iri: str) -> str:
    response = client.get(path_of(iri), headers=BROWSER)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert '<meta charset="utf-8">' in text and "<script" not in text
    return text


def between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def test_a_measure_page_shows_its_source_sentence_bodies_and_values(client: FlaskClient) -> None:
    page = page_of(client, MEASURE_17)
    assert "<h1>加强主城区幼儿园规划用地建设管理</h1>" in page
    assert "<mark>17.加强主城区幼儿园规划用地建设管理，通过新建、改建" in page  # the sentence
    assert 'href="/id/report/chongqing-2020/text#char=2914,3000"' in page  # in the full text
    bodies = between(page, "责任主体 Responsible bodies", "</section>")
    assert 'href="/id/body/chongqing-government"' in bodies and "牵头" in bodies
    assert 'href="/id/report/chongqing-2020/problem/1"' in page  # IRIs link to their pages
    assert '<small class="lang">@zh-Hans</small>' in page  # literals show their language
    assert 'href="/ontology#addresses"' in page  # vocabulary terms link to their docs


def test_a_figure_page_highlights_it_in_its_paragraph_with_its_findings(
    client: FlaskClient,
) -> None:
    page = page_of(client, f"{REPORT}/observation/9")
    assert "公办幼儿园在园幼儿占比达到<mark>41%</mark>，学前教育普惠率达到81.6%" in page
    findings = between(page, "校验发现 Findings", "</section>")
    assert "信息 Info" in findings
    assert (
        "公办幼儿园在园幼儿占比为 41%，对照“公办园在园幼儿占比原则上达到50%”：尚未达到" in findings
    )


def test_the_report_page_is_a_navigable_outline(client: FlaskClient) -> None:
    page = page_of(client, REPORT)
    assert '<p class="label-en" lang="en">Chongqing Municipal People&#39;s Government' in page
    outline = between(page, "报告结构 Outline", "</section>")
    parts = [outline.index(f'href="/id/report/chongqing-2020/part/{n}"') for n in (1, 2, 3)]
    assert parts == sorted(parts)
    practice = outline[parts[1] : parts[2]]  # part 二 → heading (五) → item 17
    area = practice.index('href="/id/report/chongqing-2020/area/5"')
    assert area < practice.index('href="/id/report/chongqing-2020/measure/17"')
    assert practice.count('<ol class="outline">') == 1 + 12  # the part's list, one per heading
    problems = outline[parts[2] :]
    first = between(problems, "/problem/1", "/problem/2")
    assert 'href="/id/report/chongqing-2020/plan/1"' in first and "改进措施 Plan" in first
    assert problems.count('href="/id/report/chongqing-2020/plan/1"') == 1  # nested, not beside


def test_an_indicator_page_gathers_its_figures_targets_and_standards(
    client: FlaskClient,
) -> None:
    page = page_of(client, f"{ID}indicator/public-kindergarten-share")
    table = between(page, "数据、目标与标准 Figures, targets and standards", "</table>")
    rows = table.split("<tr>")[2:]
    kinds = [row.split("</td>")[0].removeprefix("<td>") for row in rows]
    assert kinds[0] == "数据 Figure" and kinds[-1] == "国家标准 Standard" and "目标 Target" in kinds
    observed = next(row for row in rows if "/observation/9" in row)
    assert '<td class="number" title="41">41%</td>' in observed  # as written, exact on hover
    assert "百分比" in observed and "2019" in observed
    assert "公办园在园幼儿占比原则上达到50%" in rows[-1]


def test_a_body_page_lists_its_measures_by_role(client: FlaskClient) -> None:
    page = page_of(client, f"{ID}body/chongqing-government")
    roles = between(page, "承担的措施 Measures by role", "</section>")
    assert roles.index("牵头") < roles.index('href="/id/report/chongqing-2020/measure/17"')
    # its executive meeting's measures are its own, through the meeting
    five = roles[roles.index('href="/id/report/chongqing-2020/measure/5"') :].split("</li>")[0]
    assert 'href="/id/body/chongqing-government-executive-meeting"' in five
    # and each measure shows whom it is for
    assert "乡村小规模学校" in roles[roles.index('href="/id/report/chongqing-2020/measure/23"') :]


def test_a_target_group_page_gathers_its_measures(client: FlaskClient) -> None:
    page = page_of(client, f"{ID}target-group/small-rural-schools")
    measures = between(page, "已实施的措施 Measures", "</ul>")
    assert 'href="/id/report/chongqing-2020/measure/23"' in measures


def test_a_stage_page_gathers_its_problems_and_measures(client: FlaskClient) -> None:
    page = page_of(client, f"{ID}stage/preschool")
    assert 'href="/id/report/chongqing-2020/problem/1"' in between(page, "问题 Problems", "</ul>")
    measures = between(page, "已实施的措施 Measures", "</ul>")
    assert 'href="/id/report/chongqing-2020/measure/17"' in measures
    assert 'href="/id/report/chongqing-2020/plan/1"' in between(page, "改进措施 Plans", "</ul>")


def test_a_problem_page_lists_the_measures_that_address_it(client: FlaskClient) -> None:
    page = page_of(client, PROBLEM_1)
    table = between(page, "回应此问题的措施", "</table>")
    assert table.index("/plan/1") < table.index("/measure/17")  # stated (1) before inferred
    assert "报告明示" in table and "推断" in table and "0.7" in table


# --- ontology, shapes, context -------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "graph", "anchor"),
    [
        ("/ontology", "ontology", "Measure"),
        ("/shapes", "shapes", "TargetStatusShape"),
    ],
)
def test_vocabularies_are_documented_and_served_as_turtle(
    client: FlaskClient, graph_file: Path, path: str, graph: str, anchor: str
) -> None:
    page = client.get(path, headers=BROWSER)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert f'id="{anchor}"' in html and '<meta charset="utf-8">' in html
    style = re.search(r"<style>(.*?)</style>", html, re.S)
    assert style is not None  # the inline stylesheet is allowed by its hash, and only it
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    policy = page.headers["Content-Security-Policy"]
    assert f"style-src 'self' 'sha256-{digest}'" in policy and "script-src" not in policy
    turtle = client.get(path, headers={"Accept": "text/turtle"})
    assert turtle.mimetype == "text/turtle"
    assert turtle.get_data() == export.dump(graph_file, fmt="ttl", graph=graph)
    if graph == "ontology":
        g = Graph().parse(data=turtle.get_data(), format="turtle")
        assert (EDU.Measure, RDF.type, OWL.Class) in g


def test_the_json_ld_context_is_served(client: FlaskClient) -> None:
    response = client.get("/context.jsonld")
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    assert response.get_data() == export.CONTEXT_FILE.read_bytes()
    assert response.headers["Access-Control-Allow-Origin"] == "*"


# --- dumps ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_every_dump_is_what_export_writes(
    client: FlaskClient, graph_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = export.load(graph_file)
    names = []
    for graph in export.downloads(dataset).values():
        for fmt in export.FORMATS:
            name = export.filename(fmt=fmt, graph=graph)
            response = client.get(f"/download/{name}")
            assert response.status_code == 200, name
            assert response.mimetype == formats.get(fmt).media_type
            disposition = export.content_disposition(fmt=fmt, graph=graph)
            assert response.headers["Content-Disposition"] == disposition
            assert response.get_data() == export.dump(graph_file, fmt=fmt, graph=graph), name
            names.append(name)
    assert {"edugraph.ttl", "chongqing-2020.nq", "ontology.rdf"} <= set(names)

    def no_dump(*args: Any, **kwargs: Any) -> bytes:
        raise AssertionError("a dump was made by the server")

    monkeypatch.setattr(export, "dump", no_dump)
    again = client.get("/download/edugraph.jsonld")  # read from the build's files
    assert again.status_code == 200 and again.get_data().startswith(b"{")
    assert again.headers["Last-Modified"]
    cached = client.get("/download/edugraph.ttl", headers={"If-None-Match": again.headers["ETag"]})
    assert cached.status_code == 200  # another file, another tag
    tag = client.get("/download/edugraph.ttl").headers["ETag"]
    assert client.get("/download/edugraph.ttl", headers={"If-None-Match": tag}).status_code == 304


def test_unknown_downloads_are_404(client: FlaskClient) -> None:
    for name in ("nothing.ttl", "edugraph.csv", "edugraph", "chongqing-2020.exe"):
        response = client.get(f"/download/{name}")
        assert response.status_code == 404 and "no such download" in response.get_json()["error"]


@pytest.mark.slow
def test_a_rebuilt_file_is_swapped_in_whole(built: BuildResult, tmp_path: Path) -> None:
    """Publish a new version under the app: every answer is from the old version, a 503, or
    from the new one, in that order, and soon every route answers from the new one."""
    copy = tmp_path / "edugraph.trig"
    publish(built.quads, copy, base=BASE)
    ask = {"query": 'ASK { <urn:x:a> <urn:x:b> "new" }'}
    app = create_app({"graph": str(copy), "query_workers": 1, "query_timeout": 2})
    client = app.test_client()
    states: list[str] = []

    def observe() -> None:
        query = client.get("/sparql", query_string=ask)
        dump = client.get("/download/edugraph.nq")
        ping = client.get("/api/ping").get_json()
        for response, new in (
            (query, query.is_json and query.get_json().get("boolean") is True),
            (dump, b"urn:x:a" in dump.get_data()),
        ):
            states.append("refused" if response.status_code == 503 else "new" if new else "old")
        states.append("refused" if ping["reloading"] else "version:" + ping["version"])

    try:
        observe()
        before = states[-1]
        following = Quads.load(copy)
        following.add_lines(f"{BASE}graph/extra", ['<urn:x:a> <urn:x:b> "new" .\n'])
        publish(following, copy, base=BASE)  # a new version directory, then the pointer swap
        deadline = time.monotonic() + 30
        while states[-3:-1] != ["new", "new"] and time.monotonic() < deadline:
            observe()
            time.sleep(0.05)
    finally:
        close(app)
    assert states[:2] == ["old", "old"] and states[-3:-1] == ["new", "new"], states
    answers = [s for s in states if s in ("old", "new")]
    assert answers == sorted(answers, key=["old", "new"].index), states  # never old after new
    assert states[-1] != before and states[-1].startswith("version:")
    remote = published_module.Published(None, "a-store-version")  # a server on a remote store
    with pytest.raises(published_module.Unavailable, match="remote SPARQL store"):
        remote.dump("edugraph.ttl")


# --- the dataset's description ---------------------------------------------------------------


def void_graph(client: FlaskClient, **kwargs: Any) -> Graph:
    response = client.get("/.well-known/void", headers={"Accept": "*/*"}, **kwargs)
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    return Graph().parse(data=response.get_data(), format="turtle")


def resolve(client: FlaskClient, url: str) -> int:
    """GET a URL of the description with the test client: this server's URLs by their path,
    the dataset's IRIs by their /id/ page."""
    if url.startswith(ID):
        return client.get(path_of(url), headers={"Accept": "text/turtle"}).status_code
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("http", "localhost"), url
    return client.get(parts.path).status_code


def test_every_url_in_the_void_description_works(client: FlaskClient) -> None:
    g = void_graph(client)
    dataset = URIRef("http://localhost/.well-known/void#dataset")
    assert (dataset, RDF.type, VOID.Dataset) in g
    downloads = set(g.objects(None, DCAT.downloadURL)) | set(g.objects(None, VOID.dataDump))
    examples = set(g.objects(None, VOID.exampleResource))
    endpoints = set(g.objects(None, VOID.sparqlEndpoint))
    subsets = set(g.objects(dataset, VOID.subset))
    assert len(downloads) == len(export.FORMATS) * (1 + len(subsets))
    assert URIRef(REPORT) in examples
    assert endpoints == {URIRef("http://localhost/sparql")}
    for url in sorted(downloads | examples):
        assert resolve(client, str(url)) == 200, url
    ask = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert ask.status_code == 200 and ask.get_json()["boolean"] is True


def test_the_void_description_uses_the_servers_own_base(client: FlaskClient) -> None:
    g = void_graph(client, base_url="http://data.example.org:8080/")
    urls = {str(u) for u in g.objects(None, DCAT.downloadURL)}
    assert "http://data.example.org:8080/download/edugraph.ttl" in urls
    assert all(u.startswith("http://data.example.org:8080/download/") for u in urls)


def test_the_dataset_page_is_the_description_for_people(client: FlaskClient) -> None:
    for path in ("/dataset", "/.well-known/void"):
        response = client.get(path, headers=BROWSER)
        assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "<h1>政府履行教育职责自查自评报告知识图谱</h1>" in page
    assert 'href="/download/edugraph.ttl"' in page and 'href="/download/chongqing-2020.nq"' in page
    assert 'id="graph-chongqing-2020"' in page and "报告抽取结果" in page
    assert 'href="/id/report/chongqing-2020"' in page  # where to start
    assert client.get("/dataset", headers={"Accept": "text/turtle"}).mimetype == "text/turtle"


def test_a_graph_iri_redirects_to_its_dump_or_its_entry(client: FlaskClient) -> None:
    turtle = client.get("/graph/report/chongqing-2020", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 303
    assert turtle.headers["Location"] == "/download/chongqing-2020.ttl"
    quads = client.get("/graph/report/chongqing-2020", headers={"Accept": "application/n-quads"})
    assert quads.headers["Location"] == "/download/chongqing-2020.nq"
    page = client.get("/graph/ontology", headers=BROWSER)
    assert page.status_code == 303 and page.headers["Location"] == "/dataset#graph-ontology"
    assert client.get("/graph/nothing").status_code == 404


def test_any_host_name_gets_the_built_description_rebased(
    graph_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The base comes from the Host header, which any client sets: the server moves only the
    description's own URLs to it, in the bytes written at build, and describes nothing."""

    def describe(*args: object, **kwargs: object) -> Graph:
        raise AssertionError("the server described the dataset")

    monkeypatch.setattr(void, "describe", describe)
    published = published_module.Published(graph_file, dataset_version(graph_file))
    for fmt in export.FORMATS:
        built = published.description_data(BASE, fmt)
        served = published.description_data("http://host-1.example/", fmt)
        assert b"http://host-1.example/download/edugraph.ttl" in served
        assert b"https://w3id.org/edugraph/download/" not in served
        assert served.replace(b"http://host-1.example/", BASE.encode()) == built  # only that
        assert b"http://host-1.example/id/" not in served and ID.encode() in served
        assert b"http://host-1.example/graph/" not in served  # the data's IRIs stay
