"""End to end: `edugraph serve` (waitress) on a free loopback port, queried over HTTP with
SPARQLWrapper and the standard library, as a client would."""

from __future__ import annotations

import http.client
import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from http.client import HTTPMessage
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from rdflib import Graph, URIRef
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from edugraph.query.engines import with_values
from edugraph.query.queries import parse_query
from tests.conftest import ROOT

REPORT = "https://w3id.org/edugraph/id/report/chongqing-2020/"
PROBLEM_1 = f"{REPORT}problem/1"
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def get(port: int, path: str, accept: str = "*/*") -> tuple[int, HTTPMessage, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers={"Accept": accept})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def start_server(
    graph_file: Path, log: Path, settings: dict[str, str]
) -> tuple[int, subprocess.Popen[bytes]]:
    """`edugraph serve` as a real process on a free loopback port, once it answers."""
    port = free_port()
    command = [sys.executable, "-m", "edugraph", "serve", "--host", HOST, "--port", str(port)]
    command += ["--graph", str(graph_file)]
    for name, value in settings.items():
        command += ["-s", name, value]
    with log.open("wb") as stderr:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
    deadline = time.monotonic() + 60
    while True:
        try:
            if get(port, "/api/ping")[0] == 200:
                return port, process
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the server did not start:\n{log.read_text()}")
        time.sleep(0.1)


def descendants(pid: int) -> set[int]:
    """Every process under `pid` (Linux /proc), for checking that none outlives the server."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


@pytest.fixture(scope="module")
def server(
    graph_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    log = tmp_path_factory.mktemp("server") / "stderr.log"
    settings = {"query_workers": "2", "query_memory": "64"}
    port, process = start_server(graph_file, log, settings)
    yield port, process
    if process.poll() is None:
        process.kill()
        process.wait()


def test_measures_for_a_problem_with_sparqlwrapper(
    server: tuple[int, subprocess.Popen[bytes]],
) -> None:
    port, _ = server
    saved = parse_query(ROOT / "queries" / "measures-for-problem.rq")
    sparql = SPARQLWrapper(f"http://{HOST}:{port}/sparql")
    sparql.setQuery(with_values(saved.text, {"problem": URIRef(PROBLEM_1)}))
    sparql.setReturnFormat(JSON)
    results = sparql.queryAndConvert()
    assert isinstance(results, dict)
    rows = results["results"]["bindings"]
    assert {r["measure"]["value"].removeprefix(REPORT) for r in rows} == {
        "plan/1",
        "measure/16",
        "measure/17",
    }
    assert "加强主城区幼儿园规划用地建设管理" in {r["measureLabel"]["value"] for r in rows}


def test_construct_and_ask_with_sparqlwrapper(server: tuple[int, subprocess.Popen[bytes]]) -> None:
    port, _ = server
    sparql = SPARQLWrapper(f"http://{HOST}:{port}/sparql")
    sparql.setQuery(f"CONSTRUCT {{ <{PROBLEM_1}> ?p ?o }} WHERE {{ <{PROBLEM_1}> ?p ?o }}")
    sparql.setReturnFormat(TURTLE)
    data = sparql.queryAndConvert()
    graph = Graph().parse(data=data, format="turtle")
    assert "学前教育仍有差距" in {str(o) for o in graph.objects(URIRef(PROBLEM_1))}
    sparql.setQuery(f"ASK {{ <{PROBLEM_1}> ?p ?o }}")
    sparql.setReturnFormat(JSON)
    answer = sparql.queryAndConvert()
    assert isinstance(answer, dict) and answer["boolean"] is True


def test_updates_are_refused_over_http(server: tuple[int, subprocess.Popen[bytes]]) -> None:
    port, _ = server
    sparql = SPARQLWrapper(
        f"http://{HOST}:{port}/sparql", updateEndpoint=f"http://{HOST}:{port}/sparql"
    )
    sparql.setMethod("POST")
    sparql.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(QueryBadFormed, match="read-only"):
        sparql.query()


def test_api_and_pages_over_http(server: tuple[int, subprocess.Popen[bytes]]) -> None:
    port, _ = server
    status, headers, body = get(
        port, f"/api/queries/measures-for-problem?problem={quote(PROBLEM_1)}"
    )
    assert status == 200 and headers["Server"] == "edugraph"
    assert headers["Content-Type"] == "application/sparql-results+json" and headers["ETag"]
    assert len(json.loads(body)["results"]["bindings"]) == 3
    status, headers, body = get(port, "/", accept="text/html")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "加强主城区幼儿园规划用地建设管理" in body.decode("utf-8")
    status, headers, body = get(port, "/queries/problems.csv")
    assert status == 200 and body.startswith(b"\xef\xbb\xbf") and "学前教育" in body.decode()


def test_too_large_a_body_is_413_json(server: tuple[int, subprocess.Popen[bytes]]) -> None:
    port, _ = server
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    body = urlencode({"query": "SELECT * WHERE { ?s ?p ?o } #" + "x" * 1_500_000})
    conn.request(
        "POST", "/sparql", body=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    response = conn.getresponse()
    assert response.status == 413
    assert json.loads(response.read())["status"] == 413
    conn.close()
    assert get(port, "/api/ping")[0] == 200


def test_a_query_that_would_fill_memory_fails_alone(
    server: tuple[int, subprocess.Popen[bytes]],
) -> None:
    port, _ = server
    # 8k² rows that must all be held to be sorted (without ORDER BY, the row cap stops it early)
    huge = quote("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f")
    started = time.monotonic()
    status, headers, body = get(port, f"/sparql?query={huge}")
    assert status == 503 and "more memory" in json.loads(body)["error"]
    assert headers["Retry-After"] and time.monotonic() - started < 10
    status, _, body = get(port, f"/api/queries/measures-for-problem?problem={quote(PROBLEM_1)}")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 3


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_stopping_the_server_stops_its_workers(server: tuple[int, subprocess.Popen[bytes]]) -> None:
    _, process = server
    children = descendants(process.pid)
    assert len(children) >= 3  # the spawner and two workers
    process.send_signal(signal.SIGTERM)  # no clean-up runs: the children notice on their own
    process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while any(running(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(running(pid) for pid in children)


def running(pid: int) -> bool:
    """Alive and not a zombie (a zombie has exited; only its exit status is left)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
