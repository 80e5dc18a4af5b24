"""The public routes under attack: read-only everywhere, no outbound request, a timeout that
kills the work, a memory cap, a row cap, a request-size limit, errors that never show a
stack trace, ETags with 304, and security headers."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from edugraph.query.engines import OxigraphEngine
from edugraph.web import api, close, create_app, current
from edugraph.web.service import Service

EDU = "https://w3id.org/edugraph/ontology#"
PROBLEM_1 = "https://w3id.org/edugraph/id/report/chongqing-2020/problem/1"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 8k³ rows
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
UPDATES = [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "DELETE DATA { <urn:a> <urn:b> <urn:c> }",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "CLEAR ALL",
    "DROP GRAPH <https://w3id.org/edugraph/graph/ontology>",
    "CREATE GRAPH <urn:g>",
    "prefix x: <urn:> insert { ?s x:p ?o } where { ?s ?p ?o }",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
]


def make(graph_file: Path, **settings: Any) -> Flask:
    return create_app({"graph": str(graph_file), "query_workers": 2, **settings})


@pytest.fixture(scope="module")
def app(graph_file: Path) -> Iterator[Flask]:
    app = make(graph_file, max_request_bytes=20_000)
    yield app
    close(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def triples(client: FlaskClient) -> int:
    rows = client.get("/sparql", query_string={"query": COUNT}).get_json()
    return int(rows["results"]["bindings"][0]["n"]["value"])


def json_error(response: TestResponse, status: int | tuple[int, ...]) -> str:
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, response.get_data(as_text=True)
    assert response.is_json
    body = response.get_json()
    assert body["status"] == response.status_code and body["error"]
    assert "Traceback" not in response.get_data(as_text=True)
    message: str = body["error"]
    return message


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused_on_every_route_and_encoding(client: FlaskClient, update: str) -> None:
    before = triples(client)
    attempts = [
        client.get("/sparql", query_string={"query": update}),
        client.get("/sparql", query_string={"update": update}),
        client.post("/sparql", data={"query": update}),
        client.post("/sparql", data={"update": update}),
        client.post("/sparql", data=update.encode(), content_type="application/sparql-query"),
        client.post("/sparql", data=update.encode(), content_type="application/sparql-update"),
        client.get(
            "/query", query_string={"query": update}, headers={"Accept": "application/json"}
        ),
        client.post("/api/queries/problems", data={"update": update}),
    ]
    for response in attempts:
        message = json_error(response, 400)
        assert "read-only" in message or "unknown parameter" in message
    page = client.get("/query", query_string={"query": update})
    assert page.status_code == 400 and "read-only service" in page.get_data(as_text=True)
    assert triples(client) == before


def test_other_methods_are_not_allowed(client: FlaskClient) -> None:
    for method in ("PUT", "DELETE", "PATCH"):
        response = client.open("/sparql", method=method, data="CLEAR ALL")
        assert "GET" in response.headers["Allow"]
        json_error(response, 405)
    json_error(client.post("/", data={"query": "CLEAR ALL"}), 405)


@pytest.fixture
def listener() -> Iterator[tuple[str, list[object]]]:
    """A loopback port that records every connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.1)
    seen: list[object] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            seen.append(conn)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", seen
    stop.set()
    thread.join()
    server.close()


def test_no_query_can_make_the_server_reach_the_network(
    client: FlaskClient, listener: tuple[str, list[object]]
) -> None:
    url, seen = listener
    queries = [
        f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{url}/g.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}",
        f"LOAD <{url}/data.ttl>",
    ]
    for query in queries:
        for response in (
            client.get("/sparql", query_string={"query": query}),
            client.post("/sparql", data={"query": query}),
            client.post("/sparql", data=query.encode(), content_type="application/sparql-query"),
        ):
            message = json_error(response, 400)
            assert any(w in message for w in ("SERVICE", "FROM", "LOAD")), message
    for field in ("default-graph-uri", "named-graph-uri"):
        fields = {"query": COUNT, field: f"{url}/g.ttl"}
        assert "not a graph of this dataset" in json_error(
            client.get("/sparql", query_string=fields), 400
        )
        assert "not a graph of this dataset" in json_error(client.post("/sparql", data=fields), 400)
    time.sleep(0.3)
    assert seen == []


def test_from_a_graph_of_the_dataset_is_allowed(app: Flask, client: FlaskClient) -> None:
    service: Service = current(app)
    graph = sorted(service.graphs)[0]
    query = f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}"
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 200
    assert int(response.get_json()["results"]["bindings"][0]["n"]["value"]) > 0


def test_malformed_sparql_is_400_with_the_parsers_message(client: FlaskClient) -> None:
    message = json_error(
        client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"}), 400
    )
    assert "SPARQL syntax error at line 1, column 18" in message
    assert "not a SELECT" in json_error(client.get("/sparql?query=hello"), 400)
    assert "no query" in json_error(client.get("/sparql"), 400)
    bad_utf8 = client.post("/sparql", data=b"SELECT \xff", content_type="application/sparql-query")
    assert "UTF-8" in json_error(bad_utf8, 400)


def test_unknown_saved_query_is_404_as_json_or_html(client: FlaskClient) -> None:
    assert "no saved query" in json_error(client.get("/api/queries/drop-all"), 404)
    page = client.get("/queries/drop-all", headers=BROWSER)
    assert page.status_code == 404 and page.content_type.startswith("text/html")
    assert "no saved query" in page.get_data(as_text=True)
    json_error(client.get("/no/such/page"), 404)
    html = client.get("/no/such/page", headers=BROWSER)
    assert html.status_code == 404 and '<html lang="zh-Hans">' in html.get_data(as_text=True)


def test_request_size_is_limited(client: FlaskClient) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 30_000
    message = json_error(client.post("/sparql", data={"query": big}), 413)
    assert message == "the request is larger than 20000 bytes (max_request_bytes)"
    direct = client.post("/sparql", data=big.encode(), content_type="application/sparql-query")
    json_error(direct, 413)
    assert triples(client) > 0  # and the server goes on answering


def test_overlong_query_in_the_url_is_refused(client: FlaskClient) -> None:
    long = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 25_000
    assert "longer than" in json_error(client.get("/sparql", query_string={"query": long}), 400)


def test_unexpected_errors_are_logged_and_answered_without_a_trace(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(api, "describe", broken)
    with caplog.at_level(logging.ERROR):
        response = client.get("/api/queries")
    message = json_error(response, 500)
    assert "secret" not in message and "internal error" in message
    assert "secret internals" in caplog.text  # the trace goes to the log
    page = client.get("/api/queries", headers=BROWSER).get_data(as_text=True)
    assert "internal error" in page and "secret" not in page and "Traceback" not in page


def test_errors_are_html_for_browsers_and_json_for_programs(client: FlaskClient) -> None:
    query = {"query": "SELECT * WHERE { ?s ?p }"}
    for accept in ("application/json", "application/sparql-results+json", "*/*", "text/csv"):
        json_error(client.get("/sparql/nope", headers={"Accept": accept}), 404)
        json_error(client.get("/api/queries/search", headers={"Accept": accept}), 400)
    page = client.get("/api/queries/search", headers=BROWSER)
    assert page.status_code == 400 and page.content_type == "text/html; charset=utf-8"
    assert "missing required parameter" in page.get_data(as_text=True)
    assert "SPARQL syntax error" in client.get("/query", query_string=query).get_data(as_text=True)


def test_security_headers_on_every_response(client: FlaskClient) -> None:
    for response in (
        client.get("/", headers=BROWSER),
        client.get("/api/ping"),
        client.get("/sparql", query_string={"query": "CLEAR ALL"}),
        client.get("/nothing-here", headers=BROWSER),
    ):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy  # no script at all
        assert "frame-ancestors 'none'" in policy
    assert client.get("/api/ping").headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get("/").headers


def test_etag_from_graph_and_request_and_304(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"/api/queries/measures-for-problem?problem={PROBLEM_1}"
    first, again = client.get(url), client.get(url)
    tag = first.headers["ETag"]
    assert tag and again.headers["ETag"] == tag and "Accept" in first.headers["Vary"]
    others = {
        client.get(f"/api/queries/measures-for-problem?problem={PROBLEM_1[:-1]}2").headers["ETag"],
        client.get(url + "&format=csv").headers["ETag"],
        client.get(url, headers={"Accept": "text/csv"}).headers["ETag"],
        client.get("/sparql", query_string={"query": COUNT}).headers["ETag"],
    }
    assert tag not in others and len(others) == 4
    runs: list[str] = []
    real_run = Service.run

    def counted(self: Service, query: str, **kwargs: Any) -> Any:
        runs.append(query)
        return real_run(self, query, **kwargs)

    monkeypatch.setattr(Service, "run", counted)
    for header in (tag, f"W/{tag}", f'"other", {tag}'):
        cached = client.get(url, headers={"If-None-Match": header})
        assert cached.status_code == 304 and cached.get_data() == b""
        assert cached.headers["ETag"] == tag
    assert runs == []  # a 304 costs no query
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.post(url, headers={"If-None-Match": tag}).status_code == 200  # not cached
    assert len(runs) == 2


def test_etag_follows_the_graph_version(graph_file: Path, client: FlaskClient) -> None:
    engine = OxigraphEngine(graph_file)
    engine.version = "another-build"
    other = create_app({"graph": str(graph_file), "query_workers": 1}, engine=engine)
    try:
        tag = other.test_client().get("/api/queries/problems").headers["ETag"]
    finally:
        close(other)
    assert tag != client.get("/api/queries/problems").headers["ETag"]


@pytest.fixture(scope="module")
def capped(graph_file: Path) -> Iterator[FlaskClient]:
    app = make(graph_file, max_rows=3)
    yield app.test_client()
    close(app)


def test_row_cap_cuts_and_flags(capped: FlaskClient) -> None:
    select = capped.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert select.headers["X-Edugraph-Truncated"] == "true"
    assert len(select.get_json()["results"]["bindings"]) == 3
    construct = capped.get(
        "/sparql", query_string={"query": "CONSTRUCT WHERE { ?s a ?o }", "format": "nt"}
    )
    assert construct.headers["X-Edugraph-Truncated"] == "true"
    assert len(construct.get_data(as_text=True).strip().splitlines()) == 3
    saved = capped.get("/api/queries/observations?format=csv")  # pages of max_rows at most
    assert "X-Edugraph-Truncated" not in saved.headers and 'rel="next"' in saved.headers["Link"]
    assert len(saved.get_data(as_text=True).strip().splitlines()) == 1 + 3
    page = capped.get("/query?" + urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}))
    assert "结果已截断" in page.get_data(as_text=True)
    small = capped.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"})
    assert "X-Edugraph-Truncated" not in small.headers


def test_timeout_kills_the_query_and_the_server_goes_on(graph_file: Path) -> None:
    app = make(graph_file, query_timeout=1, query_workers=1)
    try:
        client = app.test_client()
        service: Service = current(app)
        (before,) = service.pool.pids()
        started = time.monotonic()
        response = client.get("/sparql", query_string={"query": SLOW})
        elapsed = time.monotonic() - started
        assert "stopped after 1 s" in json_error(response, 504)
        assert elapsed < 3
        (after,) = service.pool.pids()
        assert after != before
        with pytest.raises(ProcessLookupError):
            os.kill(before, 0)  # killed and reaped: the work has really stopped
        assert triples(client) > 0
        page = client.get("/query", query_string={"query": SLOW}, headers=BROWSER)
        assert page.status_code == 504 and "stopped after 1 s" in page.get_data(as_text=True)
        assert "<textarea" in page.get_data(as_text=True)  # shown beside the query
    finally:
        close(app)
