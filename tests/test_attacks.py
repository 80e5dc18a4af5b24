"""Attacks a hostile client tried on the real server, kept as regression tests.

A listener on a loopback port stands for the network behind the server: every query that
tries to reach it must be refused (400) or fail, and the listener must see no connection. The
query workers are also sandboxed, so a SERVICE that gets past the check still cannot connect.
"""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edugraph.errors import EdugraphError
from edugraph.query.engines import OxigraphEngine
from edugraph.query.sandbox import deny_network
from edugraph.query.workers import QueryPool, Task
from edugraph.web import close, create_app
from tests.test_web_server import HOST, get, start_server

REPORT_GRAPH = "https://w3id.org/edugraph/graph/report/chongqing-2020"
# Characters that Python's \s takes for white space but SPARQL does not: the regex scanner
# that once judged queries let an IRI holding one hide the rest of its line.
UNICODE_SPACES = [
    "\u00a0",
    "\u1680",
    *(chr(c) for c in range(0x2000, 0x200B)),
    "\u2028",
    "\u2029",
    "\u202f",
    "\u205f",
    "\u3000",
]


class Listener:
    """A TCP server on loopback that counts the connections it is offered."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind((HOST, 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port: int = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/sparql"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


@pytest.fixture(scope="module")
def server(
    graph_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    log = tmp_path_factory.mktemp("attacks") / "stderr.log"
    port, process = start_server(graph_file, log, {"query_workers": "2"})
    yield port, process
    process.kill()
    process.wait()


def outbound(url: str) -> list[str]:
    """Queries that would make the server call `url`, hidden in every way found so far."""
    service = f"SERVICE <{url}> {{ ?a ?b ?c }}"
    hidden = [f"SELECT * WHERE {{ BIND(<x:{c}#> AS ?z) {service} }}" for c in UNICODE_SPACES]
    return [
        *hidden,
        f"SELECT * WHERE {{ {service} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?a ?b ?c }} }}",
        f'SELECT * WHERE {{ BIND("a\\u005c" AS ?x) {service} BIND("b" AS ?y) }}',
        f"SELECT * WHERE {{ # a comment ended by a carriage return\r {service} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ {service} }} }}",
        f"PREFIX r: <{url.rsplit('/', 1)[0]}/> SELECT * WHERE {{ SERVICE r:sparql {{ ?a ?b ?c }} }}",
        f"SELECT * FROM<{url}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED<{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"PREFIX e: <{url.rsplit('/', 1)[0]}/> SELECT * FROM e:sparql WHERE {{ ?s ?p ?o }}",
    ]


def send(port: int, method: str, query: str, accept: str = "application/json") -> int:
    """One request by GET, form POST or a sparql-query body; the status."""
    import http.client

    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        headers = {"Accept": accept}
        if method == "GET":
            conn.request("GET", "/sparql?" + urlencode({"query": query}), headers=headers)
        elif method == "FORM":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request("POST", "/sparql", body=urlencode({"query": query}), headers=headers)
        else:
            headers["Content-Type"] = "application/sparql-query"
            conn.request("POST", "/sparql", body=query.encode("utf-8"), headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


@pytest.mark.parametrize("method", ["GET", "FORM", "BODY", "PAGE"])
def test_no_query_reaches_the_network(
    server: tuple[int, subprocess.Popen[bytes]], listener: Listener, method: str
) -> None:
    port, _ = server
    before = listener.connections
    for query in outbound(listener.url):
        if method == "PAGE":  # the SPARQL page, as a browser submits it
            status = send(port, "GET", query, accept="text/html")
        else:
            status = send(port, method, query)
        assert status == 400, (method, query)
    time.sleep(0.3)
    assert listener.connections == before


@pytest.mark.parametrize(
    "query",
    [
        "# SELECT and CONSTRUCT in a comment\nASK { ?s ?p ?o }",
        "PREFIX ask: <https://example.org/> SELECT * WHERE { ?s ask:p ?o } LIMIT 1",
        "PREFIX construct: <https://example.org/> SELECT ?s WHERE { ?s ?p ?o } LIMIT 1",
        f"SELECT (COUNT(*) AS ?n) FROM<{REPORT_GRAPH}> WHERE {{ ?s ?p ?o }}",
    ],
)
def test_look_alikes_are_answered(server: tuple[int, subprocess.Popen[bytes]], query: str) -> None:
    port, _ = server
    assert send(port, "GET", query) == 200


def test_the_server_keeps_answering(server: tuple[int, subprocess.Popen[bytes]]) -> None:
    port, process = server
    assert process.poll() is None
    assert get(port, "/api/ping")[0] == 200


def test_a_service_past_the_check_cannot_connect(graph_file: Path, listener: Listener) -> None:
    """The sandbox alone: a worker handed a SERVICE query (bypassing the check) fails, and the
    listener sees no connection."""
    pool = QueryPool(OxigraphEngine(graph_file), size=1)
    try:
        before = listener.connections
        query = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?a ?b ?c }} }}"
        with pytest.raises(EdugraphError):
            pool.run(Task(query), timeout=20)
        time.sleep(0.3)
        assert listener.connections == before
    finally:
        pool.close()


def test_the_sandbox_refuses_inet_sockets_but_not_unix_ones() -> None:
    import os

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through the pipe
        code = b"?"
        try:
            applied = deny_network()
            socket.socketpair()[0].close()
            try:
                socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
                code = b"open"
            except PermissionError:
                code = b"refused" if applied else b"?"
        finally:
            os.write(write, code)
            os._exit(0)
    os.close(write)
    code = os.read(read, 16)
    os.waitpid(pid, 0)
    assert code == b"refused"


# --- generated: SERVICE and FROM hidden by white space, comments, escapes and prefixes -------

HIDERS = st.sampled_from(
    [
        "BIND(<x:{c}#> AS ?z)",
        "# {c}\r",
        '"{c}\\u005c"',
        'BIND("\\u0022{c}" AS ?q)',
        "<x:\\u003e{c}>",
        "'''{c}'''",
        "#{c}\\u000a",
        "",
    ]
)
SPACES = st.sampled_from([*UNICODE_SPACES, " ", "\t", "\n", "\r", "\u000b", "\ufeff", ""])


@st.composite
def hidden_queries(draw: st.DrawFn, url: str) -> str:
    base = url.rsplit("/", 1)[0] + "/"
    hider = draw(HIDERS).format(c=draw(SPACES))
    gap = draw(SPACES)
    target = draw(st.sampled_from([f"<{url}>", "p:sparql", f"<{url}>{gap}"]))
    keyword = draw(st.sampled_from(["SERVICE", "service", "SERVICE SILENT", "SeRvIcE"]))
    body = draw(
        st.sampled_from(
            [
                f"SELECT * WHERE {{ {hider} {keyword}{gap or ' '}{target} {{ ?a ?b ?c }} }}",
                f"SELECT * FROM{gap}{target} WHERE {{ {hider} ?s ?p ?o }}",
                f"SELECT * FROM NAMED{gap}{target} WHERE {{ {hider} ?s ?p ?o }}",
                f"SELECT * WHERE {{ {hider} OPTIONAL {{ {keyword} {target} {{ ?a ?b ?c }} }} }}",
            ]
        )
    )
    return f"PREFIX p: <{base}>\n{body}"


@pytest.fixture(scope="module")
def app(graph_file: Path) -> Iterator[Flask]:
    app = create_app({"graph": str(graph_file), "query_workers": 2})
    yield app
    close(app)


def test_generated_hiding_places_never_reach_a_listener(app: Flask, listener: Listener) -> None:
    client = app.test_client()
    before = listener.connections

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(query=hidden_queries(listener.url))
    def attack(query: str) -> None:
        response = client.get("/sparql", query_string={"query": query})
        assert response.status_code in (200, 400), response.get_data(as_text=True)

    attack()
    time.sleep(0.3)
    assert listener.connections == before
