"""Query engines behind one interface. Results are normalised to SPARQL 1.1 Query Results
JSON (as Python dicts), so every surface and every test compares the same shape whichever
engine answered.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox
import rdflib.plugins.sparql as rdflib_sparql
from rdflib import Dataset, Graph
from rdflib.term import Identifier

from edugraph.errors import InputError, QueryError
from edugraph.formats import dataset_format_of
from edugraph.publish.store import published_version, store_beside
from edugraph.query.safety import check
from edugraph.rdf import bulk_load, from_oxigraph, sparql_json, sparql_term

IRI_AT = re.compile(r"<[^\x00-\x20<>\"{}|\\^`]*>")
WHERE_BRACE = re.compile(r"\bWHERE\s*\{", re.I)
VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

Binding = dict[str, dict[str, str]]
Results = dict[
    str, Any
]  # {"head": {"vars": [...]}, "results": {"bindings": [...]}} or {"boolean": b}


@dataclass(frozen=True, slots=True)
class Graphs:
    """A dataset the request names (the SPARQL Protocol's `default-graph-uri` and
    `named-graph-uri`): it replaces the query's own FROM and FROM NAMED."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()


class Engine(Protocol):
    name: str
    version: str  # content hash of the loaded dataset: the ETag of every response

    def select(
        self,
        query: str,
        bindings: Mapping[str, Identifier] | None = None,
        *,
        limit: int | None = None,
        max_bytes: int | None = None,
    ) -> Results:
        """SELECT/ASK results; with `limit`, no more rows than that are read and converted,
        and with `max_bytes`, none after the row that takes them past that size."""
        ...

    def graph(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> Graph: ...


def dataset_version(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:16]


_INHERITED: list[ox.Store] = []  # stores a forked process got from its parent, never dropped


def _read_only(folder: Path) -> ox.Store:
    try:
        return ox.Store.read_only(str(folder))
    except OSError as exc:
        raise InputError(f"cannot open the store: {exc}", source=str(folder)) from None


def _require(path: Path) -> None:
    if not path.is_file():
        raise InputError("no built dataset here; run `edugraph build` first", source=str(path))


class OxigraphEngine:
    """The default: Oxigraph, on the on-disk store the build wrote beside the dataset file
    (opened read-only: no parse at start, memory is the page cache), else loaded into memory
    from the dataset file. With `disk` false, always in memory."""

    name = "oxigraph"

    def __init__(self, path: Path, *, disk: bool = True):
        _require(path)
        self.folder = store_beside(path) if disk else None
        self._pid = os.getpid()
        if self.folder is not None:
            self.store = _read_only(self.folder)
            self.version = published_version(path) or dataset_version(path)
            return
        self.store = ox.Store()
        try:
            bulk_load(self.store, path, dataset_format_of(path).parser)
        except (SyntaxError, OSError) as exc:
            raise InputError(f"cannot load the dataset: {exc}", source=str(path)) from None
        self.version = dataset_version(path)

    def after_fork(self) -> None:
        """In a forked process, open the on-disk store again: a RocksDB handle is not to be
        shared across a fork. The inherited one is kept, never closed here (its owner is the
        parent process)."""
        if self.folder is None or self._pid == os.getpid():
            return
        _INHERITED.append(self.store)
        self.store = _read_only(self.folder)
        self._pid = os.getpid()

    def _run(
        self,
        query: str,
        bindings: Mapping[str, Identifier] | None,
        dataset: Graphs | None = None,
    ) -> object:
        text = with_values(query, bindings or {})
        self.after_fork()
        try:
            if dataset is not None:
                return self.store.query(
                    text,
                    default_graph=[ox.NamedNode(g) for g in dataset.default],
                    named_graphs=[ox.NamedNode(g) for g in dataset.named],
                )
            return self.store.query(
                text,
                # the default graph is the union of the named graphs, unless FROM says otherwise
                use_default_graph_as_union=not names_its_dataset(query),
            )
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        except (OSError, RuntimeError) as exc:
            raise QueryError(f"query failed: {exc}") from None

    def graph(
        self,
        query: str,
        bindings: Mapping[str, Identifier] | None = None,
        *,
        dataset: Graphs | None = None,
    ) -> Graph:
        result = self._run(query, bindings, dataset)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("expected a CONSTRUCT or DESCRIBE query")
        triples = _Released(iter(result))
        del result
        graph = Graph()
        try:
            for triple in triples:
                graph.add(
                    (
                        from_oxigraph(triple.subject),
                        from_oxigraph(triple.predicate),
                        from_oxigraph(triple.object),
                    )
                )
        finally:
            triples.release()
        return graph

    def select(
        self,
        query: str,
        bindings: Mapping[str, Identifier] | None = None,
        *,
        limit: int | None = None,
        max_bytes: int | None = None,
        dataset: Graphs | None = None,
    ) -> Results:
        result = self._run(query, bindings, dataset)
        if isinstance(result, ox.QueryBoolean):
            return {"head": {}, "boolean": bool(result)}
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT or ASK query")
        names = [v.value for v in result.variables]
        solutions = _Released(islice(result, limit))
        del result
        try:
            rows = ([(n, s[n]) for n in names] for s in solutions)
            return _results(names, rows, sparql_json, max_bytes)
        finally:
            solutions.release()


class _Released:
    """An iterator over an Oxigraph result that lets go of it on `release`.

    Oxigraph's results may be freed only on the thread that made them. A traceback or a
    reference cycle that still held one would leave it to the garbage collector, which runs
    on whatever thread allocates next: Oxigraph then refuses the drop and the result leaks.
    """

    def __init__(self, items: Iterator[Any]) -> None:
        self._items: Iterator[Any] | None = items

    def __iter__(self) -> _Released:
        return self

    def __next__(self) -> Any:
        if self._items is None:
            raise StopIteration
        return next(self._items)

    def release(self) -> None:
        self._items = None


class RdflibEngine:
    """The reference engine: slower, used in tests as the oracle for the others."""

    name = "rdflib"

    def __init__(self, path: Path):
        _require(path)
        rdflib_sparql.SPARQL_LOAD_GRAPHS = False  # FROM never fetches from the web
        self.dataset = Dataset(default_union=True)
        try:
            self.dataset.parse(path, format=dataset_format_of(path).rdflib)
        except Exception as exc:  # rdflib raises many parser-specific types
            raise InputError(f"cannot load the dataset: {exc}", source=str(path)) from None
        self.version = dataset_version(path)

    def _run(self, query: str, bindings: Mapping[str, Identifier] | None) -> Any:
        try:
            return self.dataset.query(query, initBindings=dict(bindings or {}))
        except Exception as exc:  # pyparsing and rdflib evaluation errors
            raise QueryError(f"SPARQL error: {exc}") from None

    def graph(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> Graph:
        result = self._run(query, bindings)
        if result.type not in ("CONSTRUCT", "DESCRIBE") or result.graph is None:
            raise QueryError("expected a CONSTRUCT or DESCRIBE query")
        graph = Graph()
        for triple in result.graph:
            graph.add(triple)
        return graph

    def select(
        self,
        query: str,
        bindings: Mapping[str, Identifier] | None = None,
        *,
        limit: int | None = None,
        max_bytes: int | None = None,
    ) -> Results:
        result = self._run(query, bindings)
        if result.type not in ("SELECT", "ASK"):
            raise QueryError("expected a SELECT or ASK query")
        if result.type == "ASK":
            return {"head": {}, "boolean": bool(result.askAnswer)}
        names = [str(v) for v in result.vars or []]
        rows = (zip(names, solution, strict=True) for solution in islice(result, limit))
        return _results(names, rows, sparql_json, max_bytes)


def _results(
    names: list[str],
    rows: Iterable[Iterable[tuple[str, object]]],
    convert: Callable[[object], dict[str, str]],
    max_bytes: int | None = None,
) -> Results:
    """SPARQL JSON results from (variable, term) pairs per solution; unbound terms are left out.
    Reading stops after the row that takes the results past `max_bytes` (`binding_bytes`)."""
    bindings: list[Binding] = []
    size = 0
    for row in rows:
        binding = {name: convert(term) for name, term in row if term is not None}
        bindings.append(binding)
        if max_bytes is not None:
            size += binding_bytes(binding)
            if size > max_bytes:
                break
    return {"head": {"vars": names}, "results": {"bindings": bindings}}


def binding_bytes(binding: Binding) -> int:
    """About what one row costs in any result format: its names and values in UTF-8, and
    the markup around each (as much as SPARQL JSON or XML adds)."""
    return sum(
        16
        + len(name)
        + sum(8 + len(k) + len(v.encode("utf-8", "replace")) for k, v in term.items())
        for name, term in binding.items()
    )


def with_values(query: str, bindings: Mapping[str, Identifier]) -> str:
    """Bind variables with a VALUES block that opens the query's outermost group, so filters
    and EXISTS see the values (SPARQL's own binding mechanism, with escaped terms)."""
    if not bindings:
        return query
    for name in bindings:
        if not VARIABLE.match(name):
            raise QueryError(f"not a variable name: {name!r}")
    names = " ".join(f"?{n}" for n in bindings)
    values = " ".join(sparql_term(t) for t in bindings.values())
    at = _outer_brace(query)
    return f"{query[: at + 1]} VALUES ({names}) {{ ({values}) }} {query[at + 1 :]}"


def names_its_dataset(query: str) -> bool:
    """FROM / FROM NAMED in the query, from its parse (remembered: saved queries repeat)."""
    return check(query, graphs=None).dataset


def blank(query: str) -> str:
    """The query with comments, strings and IRIs blanked out (same length), so that keywords
    and braces can be found without being fooled by text."""
    out = list(query)
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        start = i
        if c == "#":
            i = query.find("\n", i)
            i = n if i < 0 else i
        elif c in "\"'":
            i = _string_end(query, i)
        elif c == "<" and IRI_AT.match(query, i):
            i = query.index(">", i)
        else:
            i += 1
            continue
        out[start + 1 : i] = " " * (len(out[start + 1 : i]))
        i += 1
    return "".join(out)


@lru_cache(maxsize=512)
def _outer_brace(query: str) -> int:
    """Offset of the brace that opens the query pattern: after WHERE where there is one (so
    not a CONSTRUCT template), else the first brace."""
    text = blank(query)
    m = WHERE_BRACE.search(text)
    at = m.end() - 1 if m else text.find("{")
    if at < 0:
        raise QueryError("the query has no group pattern to bind parameters in")
    return at


def _string_end(query: str, start: int) -> int:
    quote = query[start]
    i = start + 1
    while i < len(query) and query[i] != quote:
        i += 2 if query[i] == "\\" else 1
    return i


ENGINES: dict[str, type[OxigraphEngine] | type[RdflibEngine]] = {
    "oxigraph": OxigraphEngine,
    "rdflib": RdflibEngine,
}


def open_engine(name: str, path: Path | str, *, disk: bool = True) -> Engine:
    """The named engine on a dataset file (a store URL: `edugraph.stores.open_engine`);
    `disk`: Oxigraph serves from the on-disk store beside the file when there is one."""
    path = Path(path)
    if name not in ENGINES:
        raise InputError(f"unknown engine {name!r} (known: {', '.join(ENGINES)})")
    if name == "oxigraph":
        return OxigraphEngine(path, disk=disk)
    return ENGINES[name](path)
