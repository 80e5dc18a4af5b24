"""Push the built dataset to a remote SPARQL store, named graph by named graph, through the
SPARQL 1.1 Graph Store HTTP Protocol or SPARQL 1.1 Update.

Pushing is idempotent. Without `replace` each graph's triples are added to what the store
holds (RDF graphs are sets, so a second push changes nothing); a graph with blank nodes is
replaced instead, since a store cannot recognise a blank node it already holds. With
`replace` each graph is replaced: by PUT, or by one update request (DROP and INSERT DATA)
when it fits in one chunk, else staged chunk by chunk in a scratch graph and MOVEd in with
one request, so the graph is never left half-replaced. Only a chunked PUT (the Graph Store
Protocol has no MOVE) can fail with a graph half-replaced, and the error then says so.

Chunks keep every blank node's triples together (a blank node is scoped to one request).
After each graph the store's triple count is checked. The manifest graph (`MANIFEST`: the
graphs and the dataset's version) is removed first and written last, so remote engines
trust it only after a complete push.
"""

from __future__ import annotations

import base64
import http.client
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox

from edugraph.errors import InputError, PushError, StoreError, StoreTimeout
from edugraph.query.engines import dataset_version
from edugraph.stores.remote import (
    HAS_PART,
    MANIFEST,
    VERSION_INFO,
    Endpoint,
    SparqlClient,
    transport_error,
)

STAGING = "urn:edugraph:staging:"  # + the graph's IRI: where a chunked replacement is built
TURTLE = "text/turtle; charset=utf-8"  # N-Triples is Turtle, and every store takes Turtle
SHOWN = 5  # graphs named in a failure message before "… and N more"
GRAPH_STORE_CHUNK = 10_000  # triples per PUT/POST
UPDATE_CHUNK = 500  # triples per INSERT: Virtuoso refuses an update that compiles to >10k lines


@dataclass(frozen=True, slots=True)
class GraphData:
    iri: str
    chunks: tuple[str, ...]  # N-Triples, one request each
    triples: int
    blank: bool  # has blank nodes


@dataclass(slots=True)
class PushResult:
    protocol: str
    graphs: list[GraphData] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs)


@dataclass(frozen=True, slots=True)
class Step:
    """One request, and what the graph is left as if it fails."""

    run: Callable[[], None]
    if_failed: str
    chunk: int = 0  # 1-based chunk number for progress; 0 for a request that sends none


def read_dataset(path: Path, *, chunk: int) -> list[GraphData]:
    """The dataset's named graphs in IRI order, each cut into chunks of about `chunk` triples."""
    if not path.is_file():
        raise InputError("no built dataset here; run `edugraph build` first", source=str(path))
    formats = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}
    if path.suffix not in formats:
        raise InputError("the dataset must be TriG (.trig) or N-Quads (.nq)", source=str(path))
    graphs: dict[str, dict[str, ox.Triple]] = {}
    try:
        for quad in ox.parse(path=str(path), format=formats[path.suffix]):
            if not isinstance(quad.graph_name, ox.NamedNode):
                raise InputError(
                    "a triple outside any named graph cannot be pushed", source=str(path)
                )
            graphs.setdefault(quad.graph_name.value, {})[str(quad.triple)] = quad.triple
    except (SyntaxError, OSError) as exc:
        raise InputError(f"cannot read the dataset: {exc}", source=str(path)) from None
    return [_graph(iri, list(graphs[iri].values()), chunk) for iri in sorted(graphs)]


def _graph(iri: str, triples: list[ox.Triple], chunk: int) -> GraphData:
    chunks: list[str] = []
    current: list[str] = []
    for group in _groups(triples):
        if current and len(current) + len(group) > chunk:
            chunks.append("".join(current))
            current = []
        current.extend(group)
    if current:
        chunks.append("".join(current))
    blank = any(_blanks(t) for t in triples)
    return GraphData(iri, tuple(chunks), len(triples), blank)


def _blanks(t: ox.Triple) -> list[str]:
    return [n.value for n in (t.subject, t.object) if isinstance(n, ox.BlankNode)]


def _groups(triples: list[ox.Triple]) -> list[list[str]]:
    """N-Triples lines grouped so that the triples of one blank node stay together."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for t in triples:
        nodes = _blanks(t)
        for node in nodes[1:]:
            parent[find(node)] = find(nodes[0])
    plain: list[list[str]] = []
    linked: dict[str, list[str]] = {}
    for t in triples:
        nodes = _blanks(t)
        line = f"{t} .\n"
        if nodes:
            linked.setdefault(find(nodes[0]), []).append(line)
        else:
            plain.append([line])
    return plain + list(linked.values())


class Progress:
    """Chunks sent so far: a bar on a terminal, plain lines otherwise (logs, CI)."""

    def __init__(self, stream: TextIO | None = None, *, bar: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.bar = self.stream.isatty() if bar is None else bar
        self.total = self.done = 0

    def start(self, total: int) -> None:
        self.total, self.done = total, 0

    def advance(self, graph: GraphData, chunk: int) -> None:
        self.done += 1
        n = len(graph.chunks)
        if not self.bar:
            print(f"[{self.done}/{self.total}] {graph.iri} chunk {chunk}/{n}", file=self.stream)
            return
        width = 30
        filled = width * self.done // max(self.total, 1)
        label = graph.iri[-40:]
        line = f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {label}"
        self.stream.write(f"{line:<90}")
        self.stream.flush()

    def finish(self) -> None:
        if self.bar and self.total:
            self.stream.write("\n")
            self.stream.flush()


class Http:
    """Plain HTTP writes with the endpoint's credentials. Authentication is pre-emptive (a
    bodiless probe fetches the challenge once, Basic or Digest): a store that answers a large
    unauthenticated body with 401 and closes the connection (Virtuoso) never sees one."""

    def __init__(self, url: str, *, timeout: float) -> None:
        self.endpoint = Endpoint.parse(url)
        self.timeout = timeout
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(
            None, self.endpoint.url, self.endpoint.user or "", self.endpoint.password or ""
        )
        self.digest = urllib.request.HTTPDigestAuthHandler(passwords)
        self.opener = urllib.request.build_opener()
        self.challenge: dict[str, str] | None = None  # Digest parameters, once probed
        self.basic = False

    def send(self, method: str, url: str, body: bytes | None, media: str | None) -> int:
        """The HTTP status of a 2xx answer or a 404; any other answer is a StoreError."""
        if self.endpoint.user is not None and not (self.challenge or self.basic):
            self._probe(url)
        code, said = self._send(method, url, body, media)
        if code == 401 and (self.challenge or self.basic):  # newly challenged, or a stale nonce
            code, said = self._send(method, url, body, media)
        if code == 401:
            raise self.error("refused the credentials (HTTP 401)")
        if code >= 300 and code != 404:
            raise self.error(f"answered HTTP {code}" + (f": {said}" if said else ""))
        return code

    def _send(
        self, method: str, url: str, body: bytes | None, media: str | None
    ) -> tuple[int, str]:
        request = urllib.request.Request(url, data=body, method=method)
        if media:
            request.add_header("Content-Type", media)
        self._authorize(request)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                response.read()
                return int(response.status), ""
        except urllib.error.HTTPError as exc:
            self._challenged(exc)
            return exc.code, _first_line(exc.read().decode("utf-8", "replace"))
        except (OSError, ValueError, http.client.HTTPException) as exc:
            raise transport_error(self.endpoint.url, exc, self.timeout) from None

    def _probe(self, url: str) -> None:
        self.challenge, self.basic = None, False
        self._send("HEAD", url, None, None)

    def _challenged(self, exc: urllib.error.HTTPError) -> None:
        header = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
        scheme, _, rest = header.partition(" ")
        if scheme.lower() == "digest":
            items = urllib.request.parse_http_list(rest)
            self.challenge = urllib.request.parse_keqv_list([i for i in items if i])
        elif scheme.lower() == "basic":
            self.basic = True

    def _authorize(self, request: urllib.request.Request) -> None:
        user, password = self.endpoint.user, self.endpoint.password or ""
        if user is None:
            return
        if self.challenge is not None:
            value = self.digest.get_authorization(request, self.challenge)
            if value:
                request.add_unredirected_header("Authorization", f"Digest {value}")
        elif self.basic:
            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            request.add_unredirected_header("Authorization", f"Basic {token}")

    def error(self, message: str) -> StoreError:
        return StoreError(message, source=f"store {self.endpoint.url}")


class GraphStore:
    """Writes through the SPARQL 1.1 Graph Store HTTP Protocol (`?graph=<iri>`)."""

    protocol = "graph store protocol"

    def __init__(self, url: str, *, timeout: float) -> None:
        self.http = Http(url, timeout=timeout)

    def _url(self, graph: str) -> str:
        base = self.http.endpoint.url
        sep = "&" if "?" in base else "?"
        return f"{base}{sep}{urllib.parse.urlencode({'graph': graph})}"

    def drop(self, graph: str) -> None:
        self.http.send("DELETE", self._url(graph), None, None)

    def _write(self, method: str, graph: str, data: str) -> None:
        code = self.http.send(method, self._url(graph), data.encode("utf-8"), TURTLE)
        if code == 404:
            raise self.http.error(f"answered HTTP 404 to {method} of graph <{graph}>")

    def steps(self, graph: GraphData, *, replace: bool) -> list[Step]:
        n = len(graph.chunks)
        out = []
        for i, data in enumerate(graph.chunks, 1):
            put = replace and i == 1
            if put:
                state = "not replaced (its old content is kept)"
            elif replace:
                state = (
                    f"HALF-REPLACED: its old content is gone and {i - 1} of {n} chunks of "
                    "the new content are in; push again with --replace"
                )
            else:
                state = f"partly added ({i - 1} of {n} chunks); push again to complete it"
            method = "PUT" if put else "POST"
            out.append(Step(_bind(self._write, method, graph.iri, data), state, i))
        return out

    def cleanup(self, graph: GraphData) -> None:
        """Nothing to clean: a PUT or POST leaves no scratch graph."""

    def write_manifest(self, data: str) -> None:
        self._write("PUT", MANIFEST, data)


class Update:
    """Writes through SPARQL 1.1 Update (INSERT DATA in chunks, MOVE for replacements)."""

    protocol = "SPARQL Update"

    def __init__(self, url: str, *, timeout: float) -> None:
        self.http = Http(url, timeout=timeout)

    def run(self, update: str) -> None:
        body = urllib.parse.urlencode({"update": update}).encode("ascii")
        code = self.http.send(
            "POST", self.http.endpoint.url, body, "application/x-www-form-urlencoded"
        )
        if code == 404:
            raise self.http.error("has no SPARQL Update endpoint at this URL (HTTP 404)")

    def drop(self, graph: str) -> None:
        self.run(f"DROP SILENT GRAPH <{graph}>")

    def steps(self, graph: GraphData, *, replace: bool) -> list[Step]:
        n, g = len(graph.chunks), graph.iri
        if not replace:
            return [
                Step(
                    _bind(self.run, _insert(g, data)),
                    f"partly added ({i - 1} of {n} chunks); push again to complete it",
                    i,
                )
                for i, data in enumerate(graph.chunks, 1)
            ]
        kept = "not replaced (its old content is kept"
        if n == 1:
            update = f"DROP SILENT GRAPH <{g}> ;\n{_insert(g, graph.chunks[0])}"
            return [Step(_bind(self.run, update), f"{kept})", 1)]
        staging = STAGING + g
        return [
            Step(_bind(self.drop, staging), f"{kept})"),
            *(
                Step(
                    _bind(self.run, _insert(staging, data)),
                    f"{kept}; its new content was being staged, {i - 1} of {n} chunks in)",
                    i,
                )
                for i, data in enumerate(graph.chunks, 1)
            ),
            Step(
                _bind(self.run, f"MOVE SILENT <{staging}> TO <{g}>"),
                f"{kept}; moving the staged new content in failed)",
            ),
        ]

    def cleanup(self, graph: GraphData) -> None:
        if len(graph.chunks) > 1:
            self.drop(STAGING + graph.iri)

    def write_manifest(self, data: str) -> None:
        self.run(f"DROP SILENT GRAPH <{MANIFEST}> ;\n{_insert(MANIFEST, data)}")


def _insert(graph: str, data: str) -> str:
    """INSERT DATA; with blank nodes, the equivalent INSERT … WHERE {}, since Virtuoso refuses
    blank nodes in INSERT DATA (a template's blank nodes are fresh per request, as there)."""
    if "_:" in data:
        return f"INSERT {{ GRAPH <{graph}> {{\n{data}}} }} WHERE {{}}"
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{data}}} }}"


def _bind(function: Callable[..., None], *args: str) -> Callable[[], None]:
    return lambda: function(*args)


Writer = GraphStore | Update


def push(
    path: Path,
    *,
    store: str,
    update_url: str | None = None,
    graph_store: str | None = None,
    replace: bool = False,
    chunk: int | None = None,
    timeout: float = 60.0,
    progress: Progress | None = None,
) -> PushResult:
    """Push every named graph of the dataset at `path`; `store` is the query endpoint used
    to check each graph, writes go to `graph_store` (Graph Store Protocol) or `update_url`
    (SPARQL Update; by default the `store` URL itself). `chunk` is the triples per request:
    by default GRAPH_STORE_CHUNK or UPDATE_CHUNK."""
    if update_url and graph_store:
        raise InputError("give an update endpoint or a graph store endpoint, not both")
    chunk = chunk or (GRAPH_STORE_CHUNK if graph_store else UPDATE_CHUNK)
    if chunk < 1:
        raise InputError("chunks must hold at least one triple")
    graphs = read_dataset(path, chunk=chunk)
    writer: Writer = (
        GraphStore(graph_store, timeout=timeout)
        if graph_store
        else Update(update_url or store, timeout=timeout)
    )
    run = Run(writer, SparqlClient(store, timeout=timeout), graphs, replace, progress)
    return run.all(dataset_version(path))


class Run:
    """One push: the graphs in order, and what has become of each so far."""

    def __init__(
        self,
        writer: Writer,
        client: SparqlClient,
        graphs: list[GraphData],
        replace: bool,
        progress: Progress | None,
    ) -> None:
        self.writer, self.client, self.graphs, self.replace = writer, client, graphs, replace
        self.progress = progress
        self.result = PushResult(writer.protocol)

    def all(self, version: str) -> PushResult:
        started = time.monotonic()
        if self.progress:
            self.progress.start(sum(len(g.chunks) for g in self.graphs))
        self._guard(lambda: self.writer.drop(MANIFEST), None, "nothing was written")
        try:
            for graph in self.graphs:
                self._graph(graph)
        finally:
            if self.progress:
                self.progress.finish()
        self._guard(
            lambda: self.writer.write_manifest(_manifest(self.graphs, version)),
            None,
            "the manifest was not written (remote engines then find the graphs by name)",
        )
        self.result.seconds = time.monotonic() - started
        return self.result

    def _graph(self, graph: GraphData) -> None:
        replace = self.replace or graph.blank
        for step in self.writer.steps(graph, replace=replace):
            self._guard(step.run, graph, step.if_failed)
            if step.chunk and self.progress:
                self.progress.advance(graph, step.chunk)
        self._guard(
            lambda: self._check(graph, exact=replace),
            graph,
            "written, but the store does not hold it as sent",
        )
        self.result.graphs.append(graph)

    def _check(self, graph: GraphData, *, exact: bool) -> None:
        held = self.client.count(graph.iri)
        if held < graph.triples or (exact and held != graph.triples):
            raise self.client.error(f"holds {held} triples where {graph.triples} were sent")

    def _guard(self, action: Callable[[], None], graph: GraphData | None, state: str) -> None:
        """Run one request; on failure, raise a PushError that tells the whole state."""
        try:
            action()
        except (StoreError, KeyboardInterrupt) as exc:
            if graph is not None:
                state = self._cleanup(graph, state)
            raise PushError(self._story(exc, graph, state)) from None

    def _cleanup(self, graph: GraphData, state: str) -> str:
        try:
            self.writer.cleanup(graph)
        except StoreError:
            return f"{state}; scratch graph <{STAGING}{graph.iri}> may be left over"
        return state

    def _story(self, exc: BaseException, graph: GraphData | None, state: str) -> str:
        cause = "interrupted" if isinstance(exc, KeyboardInterrupt) else str(exc)
        if isinstance(exc, StoreTimeout):
            state += " (the request timed out: the store may still apply it)"
        done = [g.iri for g in self.result.graphs]
        if graph is None:
            return f"push failed: {cause}; {state}; pushed: {_names(done)}"
        rest = [g.iri for g in self.graphs[self.graphs.index(graph) + 1 :]]
        return (
            f"push failed at graph <{graph.iri}>: {cause}; that graph is {state}; "
            f"fully pushed: {_names(done)}; untouched: {_names(rest)}"
        )


def _names(iris: list[str]) -> str:
    if not iris:
        return "none"
    shown = ", ".join(f"<{i}>" for i in iris[:SHOWN])
    more = f" and {len(iris) - SHOWN} more" if len(iris) > SHOWN else ""
    return f"{len(iris)} ({shown}{more})"


def _manifest(graphs: Iterable[GraphData], version: str) -> str:
    lines = [f"<{MANIFEST}> <{HAS_PART}> <{g.iri}> .\n" for g in graphs]
    lines.append(f'<{MANIFEST}> <{VERSION_INFO}> "{version}" .\n')
    return "".join(lines)


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0][:200] if lines else ""
