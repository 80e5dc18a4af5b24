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

import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from edugraph.errors import InputError, PushError, StoreError, StoreTimeout
from edugraph.query.engines import dataset_version
from edugraph.stores.chunks import GraphData, read_dataset
from edugraph.stores.remote import HAS_PART, MANIFEST, VERSION_INFO, SparqlClient
from edugraph.stores.writers import STAGING, GraphStore, Update, Writer

SHOWN = 5  # graphs named in a failure message before "… and N more"
GRAPH_STORE_CHUNK = 10_000  # triples per PUT/POST
UPDATE_CHUNK = 500  # triples per INSERT: Virtuoso refuses an update that compiles to >10k lines


@dataclass(slots=True)
class PushResult:
    protocol: str
    graphs: list[GraphData] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs)


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
