"""The dataset while it is built: N-Triples lines per named graph.

Indexing every triple in rdflib's in-memory store costs tens of microseconds a triple, twice
over (once in the worker that builds a report, once when the dataset gathers it); lines cost
almost nothing to make, to send between processes and to sort, and Oxigraph parses them at
memory speed. rdflib graphs are made only where rdflib is needed (pySHACL, tests), from the
graphs that are needed.
"""

from __future__ import annotations

import hashlib
import heapq
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from edugraph.errors import InputError
from edugraph.formats import NQUADS, NTRIPLES, TRIG, dataset_format
from edugraph.rdf import bcp47_tags, load_lines, nt_line, parse_lines, read_quads

Triple = tuple[Node, Node, Node]
BNODE = re.compile(r"(?:(?<=^)|(?<= ))_:([A-Za-z0-9]+)(?= )")


def nt_lines(triples: Iterable[Triple]) -> list[str]:
    """N-Triples lines (with their newline) for rdflib triples."""
    return [nt_line(t) for t in triples]


class Lines:
    """A sink for `ReportGraph` that keeps each triple only as its N-Triples line: a report's
    statements are never held as rdflib terms (a set of them took about twice the memory of
    the lines, and was thrown away once converted)."""

    __slots__ = ("lines",)

    def __init__(self) -> None:
        self.lines: set[str] = set()

    def add(self, triple: Triple, /) -> None:
        self.lines.add(nt_line(triple))

    def subjects(self) -> set[URIRef]:
        """The IRI subjects of the lines (what a curation file may speak of)."""
        return {URIRef(line[1 : line.index(">")]) for line in self.lines if line[0] == "<"}


def graph_lines(graph: Graph) -> list[str]:
    """A graph's lines; blank nodes get canonical labels so that the same graph gives the same
    lines (only the ontology, the shapes and curation files have blank nodes)."""
    if any(isinstance(t, BNode) for triple in graph for t in triple):
        graph = to_canonical_graph(graph)
    return nt_lines(graph)


class Quads:
    """Named graphs as N-Triples lines; each graph's lines are kept unique and sorted on output."""

    def __init__(self, prefixes: Mapping[str, str] | None = None):
        self.graphs: dict[str, set[str]] = {}
        self.prefixes = dict(prefixes or {})

    def add_lines(self, name: URIRef | str, lines: Iterable[str]) -> None:
        self.graphs.setdefault(str(name), set()).update(lines)
        self.__dict__.pop("dataset", None)

    def add_graph(self, name: URIRef | str, graph: Graph) -> None:
        """Add a graph; its blank node labels are made its own, so that two graphs' blank
        nodes never merge when the dataset is read back as one N-Quads document."""
        tag = hashlib.sha1(str(name).encode("utf-8")).hexdigest()[:8]
        lines = [BNODE.sub(rf"_:g{tag}\1", line) for line in graph_lines(graph)]
        self.add_lines(name, lines)

    def names(self) -> list[str]:
        return sorted(n for n, lines in self.graphs.items() if lines)

    def __len__(self) -> int:
        return sum(len(lines) for lines in self.graphs.values())

    def text(self, names: Iterable[str]) -> bytes:
        """N-Triples of the union of some graphs."""
        return "".join(line for n in names for line in self.graphs.get(n, ())).encode("utf-8")

    def nquads(self) -> bytes:
        """Every statement as N-Quads, sorted: the same bytes for the same dataset. Each graph's
        lines are sorted, then merged as they are encoded: the dataset is held once more, as
        the bytes returned, and not also as a list of lines and a joined text."""
        out = io.BytesIO()
        out.writelines(heapq.merge(*(self._sorted(name) for name in self.names())))
        return out.getvalue()  # the buffer itself, not a copy

    def _sorted(self, name: str) -> Iterator[bytes]:
        """A graph's N-Quads lines in order: as its N-Triples lines sort (what follows a
        statement's object is always " ."), encoded as UTF-8, which sorts as code points do."""
        suffix = f" <{name}> .\n" if name else " .\n"
        for line in sorted(self.graphs[name]):
            yield (line[:-3] + suffix).encode("utf-8")

    def trig(self) -> bytes:
        quads = parse_lines(self.nquads(), NQUADS.parser)
        prefixes = dict(sorted(self.prefixes.items()))
        data = ox.serialize(quads, format=TRIG.parser, prefixes=prefixes)
        return bcp47_tags(data or b"")

    def graph(self, names: Iterable[str]) -> Graph:
        """An rdflib graph of the union of some named graphs (for pySHACL and lookups)."""
        graph = Graph()
        data = self.text(names)
        if data:
            graph.parse(data=data.decode("utf-8"), format=NTRIPLES.rdflib)
        return graph

    def store(self, names: Iterable[str] | None = None) -> ox.Store:
        """An Oxigraph store of some graphs (all by default), each graph under its name."""
        store = ox.Store()
        for name in self.names() if names is None else names:
            data = self.text([name])
            if data:
                load_lines(store, data, NTRIPLES.parser, ox.NamedNode(name))
        return store

    @cached_property
    def dataset(self) -> Dataset:
        """The whole dataset in rdflib, made once when asked for."""
        dataset = Dataset()
        for prefix, namespace in self.prefixes.items():
            dataset.bind(prefix, namespace, override=True)
        dataset.parse(data=self.nquads().decode("utf-8"), format=NQUADS.rdflib)
        return dataset

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> Quads:
        prefixes = {prefix: str(ns) for prefix, ns in dataset.namespace_manager.namespaces()}
        quads = cls(prefixes)
        for graph in dataset.graphs():
            if len(graph) and isinstance(graph.identifier, URIRef):
                quads.add_graph(graph.identifier, graph)
        return quads

    @classmethod
    def load(cls, path: Path, prefixes: Mapping[str, str] | None = None) -> Quads:
        """Read a published dataset (TriG or N-Quads) with Oxigraph; errors name the file."""
        if not path.is_file():
            raise InputError("no built dataset here; run `edugraph build` first", source=str(path))
        fmt = (dataset_format(path) or TRIG).parser
        quads = cls(prefixes)
        grouped: dict[str, list[str]] = {}
        try:
            for q in read_quads(path, fmt):
                name = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
                triple = (q.subject, q.predicate, q.object)  # no triple terms: RDF 1.1
                grouped.setdefault(name, []).append(nt_line(triple))  # type: ignore[arg-type]
        except (SyntaxError, OSError) as exc:
            raise InputError(f"cannot parse the dataset: {exc}", source=str(path)) from None
        for name, lines in grouped.items():
            quads.add_lines(name, lines)
        return quads
