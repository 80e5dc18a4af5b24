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
    settings = {
        "query_workers": "2",
        "client_queries": "1",
        "query_timeout": "3",
        "read_timeout": "2",
    }
    port, process = start_server(graph_file, log, settings)
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


# --- one client must not stall the others --------------------------------------------------

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"


def timed_get(port: int, path: str, source: str = HOST) -> tuple[int, float, dict[str, str]]:
    import http.client

    conn = http.client.HTTPConnection(HOST, port, timeout=30, source_address=(source, 0))
    started = time.monotonic()
    try:
        conn.request("GET", path, headers={"Accept": "application/json"})
        response = conn.getresponse()
        response.read()
        return response.status, time.monotonic() - started, dict(response.getheaders())
    finally:
        conn.close()


@pytest.mark.slow
def test_heavy_clients_do_not_stall_cheap_requests(
    server: tuple[int, subprocess.Popen[bytes]],
) -> None:
    """8 clients at another address resend a heavy query for 3 s: /api/ping and a cheap saved
    query from this address stay quick, and the heavy client is told 429 with Retry-After."""
    port, _ = server
    heavy_path = "/sparql?" + urlencode({"query": HEAVY})
    deadline = time.monotonic() + 3
    statuses: list[int] = []
    retry_after: list[str] = []

    def flood() -> None:
        while time.monotonic() < deadline:
            status, _, headers = timed_get(port, heavy_path, source="127.0.0.2")
            statuses.append(status)
            if status == 429:
                retry_after.append(headers.get("Retry-After", ""))

    threads = [threading.Thread(target=flood) for _ in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    pings, cheap = [], []
    while time.monotonic() < deadline:
        pings.append(timed_get(port, "/api/ping"))
        cheap.append(timed_get(port, "/api/queries/problems"))
    for thread in threads:
        thread.join()
    assert pings and all(status == 200 for status, _, _ in pings + cheap)
    assert max(seconds for _, seconds, _ in pings) < 1.0
    assert max(seconds for _, seconds, _ in cheap) < 2.0
    assert 429 in statuses and set(retry_after) == {"1"}
    assert set(statuses) <= {200, 429, 503, 504}


@pytest.mark.slow
def test_slow_sockets_do_not_lock_anyone_out(server: tuple[int, subprocess.Popen[bytes]]) -> None:
    """200 sockets that send half a request line (from 20 addresses), and 40 more from one
    address: others are still served, one address holds at most client_connections, and every
    slow socket is closed once read_timeout (2 s here) has passed."""
    port, _ = server
    slow: list[socket.socket] = []
    try:
        for i in range(240):
            source = f"127.0.0.{10 + i % 20}" if i < 200 else "127.0.0.99"
            s = socket.create_connection((HOST, port), timeout=5, source_address=(source, 0))
            s.sendall(b"GET /api/ping HTTP/1.1\r\nHost: x\r\n")
            slow.append(s)
        status, seconds, _ = timed_get(port, "/api/ping")
        assert status == 200 and seconds < 1.0
        time.sleep(0.5)
        one_address = slow[200:]
        assert sum(not closed(s) for s in one_address) <= 16  # client_connections
        time.sleep(3.5)  # read_timeout, and the check that runs every second
        assert sum(closed(s) for s in slow) == len(slow)
    finally:
        for s in slow:
            s.close()


def closed(s: socket.socket) -> bool:
    """The server closed its end (a read returns end of file or a reset)."""
    s.settimeout(0.01)
    try:
        return s.recv(1024) == b""
    except TimeoutError:
        return False
    except OSError:
        return True


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_dead_spawner_is_restarted_and_ping_tells_the_truth(
    graph_file: Path, tmp_path: Path
) -> None:
    import json
    import os
    import signal

    port, process = start_server(graph_file, tmp_path / "log", {"query_workers": "2"})
    try:
        (spawner,) = children(process.pid)
        workers = children(spawner)
        assert len(workers) == 2
        for pid in [spawner, *workers]:
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            status, body = get(port, "/api/ping")[0], json.loads(get(port, "/api/ping")[2])
            if status == 503:
                break
            time.sleep(0.1)
        assert status == 503 and body["ok"] is False
        assert body["spawner"] is False and body["workers"]["alive"] == 0
        for _ in range(3):  # each query finds its worker dead: the spawner is started again
            assert get(port, "/api/queries/problems")[0] == 200
        status, _, raw = get(port, "/api/ping")
        body = json.loads(raw)
        assert status == 200 and body["ok"] and body["spawner"]
        assert body["workers"]["alive"] >= 1
    finally:
        process.kill()
        process.wait()


# --- serve: bad start-ups are one line and exit 2 ---------------------------------------------


def serve(graph: Path, port: int) -> subprocess.CompletedProcess[str]:
    import sys

    command = [sys.executable, "-m", "edugraph", "serve", "--graph", str(graph)]
    command += ["--port", str(port), "-s", "query_workers", "1"]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.slow
def test_serve_refuses_a_bad_port_or_an_empty_dataset_in_one_line(
    graph_file: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.trig"
    empty.write_text("")
    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        runs = {
            "in use": serve(graph_file, taken.getsockname()[1]),
            "between 1 and 65535": serve(graph_file, 70000),
            "no named graph": serve(empty, 1),
        }
    for words, run in runs.items():
        assert run.returncode == 2, run.stderr
        assert run.stderr.count("\n") == 1 and words in run.stderr, run.stderr
        assert "serving" not in run.stderr and "Traceback" not in run.stderr


# --- bytes are bounded, not only rows ---------------------------------------------------------

WIDE = (
    "SELECT ?t ?x WHERE { "
    "?s <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString> ?t . "
    "?x ?p ?o }"
)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_a_small_request_cannot_ask_for_a_huge_answer(
    server: tuple[int, subprocess.Popen[bytes]],
) -> None:
    """10,000 rows of the report's whole text (160 MB) are cut at max_response_bytes (20 MB
    by default) and flagged; the server's own memory stays bounded."""
    port, process = server
    before = rss_mb(process.pid)
    status, headers, body = get(port, "/sparql?" + urlencode({"query": WIDE}), "application/json")
    assert status == 200 and headers["X-Edugraph-Truncated"] == "true"
    assert 15_000_000 < len(body) < 21_000_000
    assert rss_mb(process.pid) - before < 250


# --- the protocol, as the W3C protocol tests probe it --------------------------------------


def request(
    port: int, method: str, path: str, body: bytes = b"", **headers: str
) -> tuple[int, bytes]:
    import http.client

    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(
            method, path, body=body or None, headers={"Accept": "application/json", **headers}
        )
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_protocol_violations_are_400_or_406_not_200(
    server: tuple[int, subprocess.Popen[bytes]],
) -> None:
    port, _ = server
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    two = "/sparql?" + urlencode([("query", count), ("query", count)])
    assert request(port, "GET", two)[0] == 400
    in_url = "/sparql?" + urlencode({"query": count})
    form = urlencode({"query": count}).encode()
    assert (
        request(
            port, "POST", in_url, form, **{"Content-Type": "application/x-www-form-urlencoded"}
        )[0]
        == 400
    )
    body = count.encode()
    assert (
        request(port, "POST", in_url, body, **{"Content-Type": "application/sparql-query"})[0]
        == 400
    )
    ask = "/sparql?" + urlencode({"query": "ASK { ?s ?p ?o }", "format": "csv"})
    assert request(port, "GET", ask)[0] == 406
    control = "/sparql?" + urlencode(
        {"query": 'SELECT ?v WHERE { BIND("\\u0007" AS ?v) }', "format": "xml"}
    )
    assert request(port, "GET", control)[0] == 406
    own = "/sparql?" + urlencode({"query": count, "default-graph-uri": REPORT_GRAPH})
    status, answer = request(port, "GET", own)
    assert status == 200 and b'"n"' in answer
    foreign = "/sparql?" + urlencode({"query": count, "named-graph-uri": "http://127.0.0.1:9/g"})
    assert request(port, "GET", foreign)[0] == 400
