"""The dataset while it is built: N-Triples lines per named graph.

Indexing every triple in rdflib's in-memory store costs tens of microseconds a triple, twice
over (once in the worker that builds a report, once when the dataset gathers it); lines cost
almost nothing to make, to send between processes and to sort, and Oxigraph parses them at
memory speed. rdflib graphs are made only where rdflib is needed (pySHACL, tests), from the
graphs that are needed.

A graph's lines are held as one block: sorted, unique, UTF-8, compressed with zlib (level 1).
A set of `str` cost about 300 bytes a line (the string, its set slot); the block costs about
15 (R = 100: 424,418 lines, 129 MB as sets, 80 MB as bytes, 6.7 MB compressed; 0.4 s of CPU to
compress them all, 0.6 s to read them all back as lines). A forked worker reads a block without
writing to its pages (but its header's), where iterating a set wrote every string's reference
count. Lines added to a graph that has a block wait in a set (`shared` grows report by
report) and are merged into it when the graph is next read.
"""

from __future__ import annotations

import hashlib
import heapq
import io
import re
import zlib
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
    """Named graphs as N-Triples lines, each graph's kept unique and sorted (see the module)."""

    def __init__(self, prefixes: Mapping[str, str] | None = None):
        self._blocks: dict[str, tuple[int, bytes]] = {}  # name -> line count, packed lines
        self._open: dict[str, set[str]] = {}  # lines added to a graph since its block was made
        self.prefixes = dict(prefixes or {})

    def add_lines(self, name: URIRef | str, lines: Iterable[str]) -> None:
        """Add lines (each with its newline) to a graph: a new graph's become its block at
        once; a graph that has one keeps them aside until it is read."""
        key = str(name)
        self._open.setdefault(key, set()).update(lines)
        if key not in self._blocks:
            self._seal(key)
        self.__dict__.pop("dataset", None)

    def replace_lines(self, name: URIRef | str, lines: Iterable[str]) -> None:
        """A graph's lines replaced by `lines`."""
        self._blocks.pop(str(name), None)
        self._open.pop(str(name), None)
        self.add_lines(name, lines)

    def add_graph(self, name: URIRef | str, graph: Graph) -> None:
        """Add a graph; its blank node labels are made its own, so that two graphs' blank
        nodes never merge when the dataset is read back as one N-Quads document."""
        tag = hashlib.sha1(str(name).encode("utf-8")).hexdigest()[:8]
        lines = [BNODE.sub(rf"_:g{tag}\1", line) for line in graph_lines(graph)]
        self.add_lines(name, lines)

    def names(self) -> list[str]:
        return sorted(self._blocks.keys() | {n for n, lines in self._open.items() if lines})

    def __len__(self) -> int:
        return sum(self._block(name)[0] for name in self.names())

    def lines(self, name: str) -> Iterator[str]:
        """A graph's lines (with their newlines), sorted; none for a graph it does not have."""
        for chunk in self._chunks(name):
            yield from _split(chunk)

    def text(self, names: Iterable[str]) -> bytes:
        """N-Triples of the union of some graphs (each graph's lines sorted)."""
        return b"".join(_unpack(self._block(n)[1]) for n in names)

    def nquads(self) -> bytes:
        """Every statement as N-Quads, sorted: the same bytes for the same dataset. Each graph's
        lines are sorted, then merged as they are encoded: the dataset is held once more, as
        the bytes returned, and not also as a list of lines and a joined text."""
        out = io.BytesIO()
        out.writelines(heapq.merge(*(self._sorted(name) for name in self.names())))
        return out.getvalue()  # the buffer itself, not a copy

    def _sorted(self, name: str) -> Iterator[bytes]:
        """A graph's N-Quads lines in order: as its N-Triples lines sort (what follows a
        statement's object is always " ."), as UTF-8 bytes, which sort as code points do."""
        suffix = (f" <{name}> .\n" if name else " .\n").encode("utf-8")
        for chunk in self._chunks(name):
            for line in io.BytesIO(chunk):  # lines end at "\n" only
                yield line[:-3] + suffix

    def _chunks(self, name: str, size: int = 1 << 18) -> Iterator[bytes]:
        """A graph's block unpacked a piece at a time, each piece whole lines."""
        data = memoryview(self._block(name)[1])
        unpack, rest = zlib.decompressobj(), b""
        for start in range(0, len(data), size):
            piece = rest + unpack.decompress(data[start : start + size])
            cut = piece.rfind(b"\n") + 1
            rest = piece[cut:]
            if cut:
                yield piece[:cut]
        rest += unpack.flush()
        if rest:
            yield rest

    def _block(self, name: str) -> tuple[int, bytes]:
        if self._open.get(name):
            self._seal(name)
        return self._blocks.get(name, (0, b""))

    def _seal(self, name: str) -> None:
        """The graph's waiting lines merged into its block."""
        lines = self._open.pop(name, set())
        if name in self._blocks:
            lines.update(_split(_unpack(self._blocks[name][1])))
        if lines:
            self._blocks[name] = (len(lines), _pack(lines))

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


def _pack(lines: set[str]) -> bytes:
    return zlib.compress("".join(sorted(lines)).encode("utf-8"), 1)


def _unpack(block: bytes) -> bytes:
    return zlib.decompress(block) if block else b""


def _split(data: bytes) -> list[str]:
    """Lines that end at "\\n" only (a literal may hold U+2028, which `splitlines` cuts at)."""
    return list(io.StringIO(data.decode("utf-8"), newline="\n"))
