"""Real SPARQL stores for the remote tests: an Oxigraph server started once per test session
(on a free loopback port, stopped at exit), and a Virtuoso when EDUGRAPH_VIRTUOSO_URL points at
one (scripts/virtuoso/run-tests.sh starts one). Also small loopback servers that misbehave."""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

VIRTUOSO_URL = "EDUGRAPH_VIRTUOSO_URL"  # e.g. http://127.0.0.1:8890 (the HTTP server's root)
VIRTUOSO_AUTH = "EDUGRAPH_VIRTUOSO_AUTH"  # user:password for its update endpoints; dba:dba


@dataclass(frozen=True, slots=True)
class Store:
    name: str
    query: str  # SPARQL query endpoint
    update: str  # SPARQL Update endpoint, credentials in the URL where needed
    graph_store: str  # Graph Store HTTP Protocol endpoint


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


_oxigraph: Store | None = None


def oxigraph() -> Store:
    """The session's Oxigraph server (its default graph is NOT the union of its graphs)."""
    global _oxigraph
    if _oxigraph is None:
        binary = shutil.which(
            "oxigraph", path=f"{Path(sys.executable).parent}:{os.environ['PATH']}"
        )
        if binary is None:
            pytest.skip("the oxigraph server is not installed: pip install -e '.[test]'")
        location = tempfile.mkdtemp(prefix="edugraph-oxigraph-")
        port = free_port()
        process = subprocess.Popen(
            [binary, "serve", "--location", location, "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        atexit.register(_stop, process, location)
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/query?query=ASK%7B%7D")
        _oxigraph = Store("oxigraph", f"{base}/query", f"{base}/update", f"{base}/store")
    return _oxigraph


def _stop(process: subprocess.Popen[bytes], location: str) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    shutil.rmtree(location, ignore_errors=True)


def virtuoso() -> Store:
    """The Virtuoso EDUGRAPH_VIRTUOSO_URL names; the test is skipped without one."""
    root = os.environ.get(VIRTUOSO_URL, "").rstrip("/")
    if not root:
        pytest.skip(f"{VIRTUOSO_URL} is not set: scripts/virtuoso/run-tests.sh runs these")
    auth = os.environ.get(VIRTUOSO_AUTH, "dba:dba")
    scheme, _, host = root.partition("://")
    private = f"{scheme}://{auth}@{host}"
    return Store(
        "virtuoso", f"{root}/sparql", f"{private}/sparql-auth", f"{private}/sparql-graph-crud-auth"
    )


def store(name: str) -> Store:
    return oxigraph() if name == "oxigraph" else virtuoso()


STORES = [
    pytest.param("oxigraph", id="oxigraph"),
    pytest.param("virtuoso", id="virtuoso", marks=pytest.mark.virtuoso),
]


@contextmanager
def answering(status: int, media: str, body: bytes) -> Iterator[str]:
    """A loopback HTTP server that answers every request the same way: a store that isn't."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _answer

        def log_message(self, *args: object) -> None:
            pass

    with _serving(Handler) as url:
        yield url


@contextmanager
def failing_proxy(target: str, *, fail_at: int) -> Iterator[str]:
    """A loopback proxy to `target` that answers its `fail_at`-th write (PUT, POST, DELETE)
    with HTTP 500 and forwards everything else: a store that breaks in the middle of a push."""
    writes = 0
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def _forward(self) -> None:
            nonlocal writes
            length = int(self.headers.get("Content-Length") or 0)
            data = self.rfile.read(length) if length else None
            with lock:
                writes += self.command != "HEAD"
                fail = writes == fail_at
            if fail:
                self._send(500, b"injected failure")
                return
            request = urllib.request.Request(target + self.path, data=data, method=self.command)
            if self.headers.get("Content-Type"):
                request.add_header("Content-Type", self.headers["Content-Type"])
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    self._send(response.status, response.read())
            except urllib.error.HTTPError as exc:
                self._send(exc.code, exc.read())

        def _send(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_PUT = do_DELETE = do_GET = do_HEAD = _forward

        def log_message(self, *args: object) -> None:
            pass

    with _serving(Handler) as url:
        yield url


@contextmanager
def _serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def silent() -> Iterator[str]:
    """A loopback port that accepts connections and never answers: a store that hangs."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"


def dead() -> str:
    """A loopback URL nothing listens on: a store that is down."""
    return f"http://127.0.0.1:{free_port()}/sparql"


def update(store: Store, update: str) -> None:
    """Run a SPARQL update on the store (a test's own change to its content)."""
    from edugraph.stores.push import Update

    Update(store.update, timeout=30).run(update)
