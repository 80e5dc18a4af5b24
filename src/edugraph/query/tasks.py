"""What a query worker does with one query: run it on the engine and cut its result at the row
and byte caps, answering with plain data (SPARQL JSON, or a graph serialized) that crosses
the process boundary (`edugraph.query.workers`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph
from rdflib.term import Identifier, Node

from edugraph import formats
from edugraph.errors import NotAcceptable, QueryError
from edugraph.query.engines import Engine, Graphs, OxigraphEngine, Results, binding_bytes
from edugraph.query.paging import Paged
from edugraph.query.results import XML_FORBIDDEN
from edugraph.rdf import sparql_json
from edugraph.vocab import PREFIXES


@dataclass(frozen=True, slots=True)
class Task:
    """One query for a worker. `form` is "select" (SELECT, ASK) or "graph" (CONSTRUCT,
    DESCRIBE); a graph comes back serialized in `fmt` (ttl, nt, jsonld, rdfxml) or, with
    "table", as SELECT results with the variables s, p, o."""

    query: str
    form: str = "select"
    bindings: dict[str, Identifier] = field(default_factory=dict)
    fmt: str = "json"
    max_rows: int = 10_000
    dataset: Graphs | None = None  # named by the request, not by the query
    max_bytes: int = 20_000_000  # about the most a result may take in any format


@dataclass(frozen=True, slots=True)
class Answer:
    results: Results | None = None
    data: bytes = b""
    truncated: bool = False
    paged: Paged | None = None  # where the rows sit among all, when a page was asked for


def execute(engine: Engine, task: Task) -> Answer:
    """Run one task and cut its result at the row and byte caps (what a worker does)."""
    if task.form == "graph":
        return _graph(engine, task)
    if task.dataset is not None:
        results = _oxigraph(engine).select(
            task.query,
            task.bindings,
            limit=task.max_rows + 1,
            max_bytes=task.max_bytes,
            dataset=task.dataset,
        )
    else:
        results = engine.select(
            task.query, task.bindings, limit=task.max_rows + 1, max_bytes=task.max_bytes
        )
    rows = results.get("results", {}).get("bindings")
    if rows is None:
        return Answer(results=results)
    kept = _within(rows, task.max_rows, task.max_bytes)
    if kept == len(rows):
        return Answer(results=results)
    cut = {"head": results["head"], "results": {"bindings": rows[:kept]}}
    return Answer(results=cut, truncated=True)


def _within(rows: list[dict[str, dict[str, str]]], max_rows: int, max_bytes: int) -> int:
    """How many of the rows fit both caps."""
    size = 0
    for i, row in enumerate(rows[: max_rows + 1]):
        size += binding_bytes(row)
        if i >= max_rows or size > max_bytes:
            return i
    return len(rows)


def _oxigraph(engine: Engine) -> OxigraphEngine:
    """The engine that takes a dataset from the request (the others read it from the query)."""
    if not isinstance(engine, OxigraphEngine):
        raise QueryError("default-graph-uri and named-graph-uri need the oxigraph engine")
    return engine


def _graph(engine: Engine, task: Task) -> Answer:
    if task.dataset is not None:
        graph = _oxigraph(engine).graph(task.query, task.bindings, dataset=task.dataset)
    else:
        graph = engine.graph(task.query, task.bindings)
    triples, truncated = _cut_graph(graph, task.max_rows, task.max_bytes)
    if task.fmt == "table":
        names = ("s", "p", "o")
        rows = [
            {n: sparql_json(t) for n, t in zip(names, triple, strict=True)}
            for triple in sorted(triples)
        ]
        return Answer(
            {"head": {"vars": list(names)}, "results": {"bindings": rows}}, b"", truncated
        )
    out = Graph()
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace)
    for triple in triples:
        out.add(triple)
    if task.fmt == "rdfxml" and any(
        XML_FORBIDDEN.search(str(t)) for triple in triples for t in triple
    ):
        raise NotAcceptable(
            "the graph holds a character XML cannot carry: ask for Turtle or N-Triples"
        )
    fmt = formats.BY_KEY[task.fmt]  # negotiated before the task: an unknown key is a bug
    data = out.serialize(format=fmt.rdflib, encoding="utf-8")
    return Answer(data=data, truncated=truncated)


def _cut_graph(graph: Graph, max_rows: int, max_bytes: int) -> tuple[list[Any], bool]:
    """The triples within both caps (the first in sorted order when some must go), and
    whether some went."""
    triples = list(graph)
    sizes = [_triple_bytes(t) for t in triples]
    if len(triples) <= max_rows and sum(sizes) <= max_bytes:
        return triples, False
    triples = sorted(triples)[:max_rows]
    size = 0
    for i, triple in enumerate(triples):
        size += _triple_bytes(triple)
        if size > max_bytes:
            return triples[:i], True
    return triples, True


def _triple_bytes(triple: tuple[Node, Node, Node]) -> int:
    """About what a triple costs in any graph format: its N-Triples line."""
    return 4 + sum(len(t.n3().encode("utf-8", "replace")) for t in triple)
