"""What the dataset's description (`publish.void`) says of the data, gathered graph by graph
while the dumps are written: VoID statistics of each graph and of the union, and the few
statements of each report's graph the description copies (its report node, place, period and
build activity; whether its first measure and problem exist). Nothing here holds the dataset.

Distinct subjects and objects of the union are counted by their hashes (64 bits: a collision
among the ~10⁸ terms of a national corpus is a one-in-a-billion chance, and it would make a
count one too small, nothing else)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF
from rdflib.term import Node

from edugraph.rdf import from_oxigraph
from edugraph.vocab import EDU

RDF_TYPE = f"<{RDF.type}>".encode()
REPORT_CLASS = ox.NamedNode(str(EDU.SelfEvaluationReport))
FOLLOWED = {ox.NamedNode(str(p)) for p in (PROV.wasGeneratedBy,)} | {
    ox.NamedNode("http://purl.org/dc/terms/spatial"),
    ox.NamedNode("http://purl.org/dc/terms/temporal"),
}


@dataclass(slots=True)
class Stats:
    """VoID statistics of a set of triples."""

    triples: int = 0
    entities: int = 0
    subjects: int = 0
    objects: int = 0
    classes: Counter[URIRef] = field(default_factory=Counter)
    properties: Counter[URIRef] = field(default_factory=Counter)


def statistics(triples: Iterable[tuple[Node, Node, Node]], *, uri_space: str) -> Stats:
    """Counts of distinct triples: the caller's iterable may repeat a triple."""
    unique = set(triples)
    subjects = {s for s, _, _ in unique}
    typed = {(s, o) for s, p, o in unique if p == RDF.type and isinstance(o, URIRef)}
    return Stats(
        triples=len(unique),
        entities=sum(1 for s in subjects if isinstance(s, URIRef) and s.startswith(uri_space)),
        subjects=len(subjects),
        objects=len({o for _, _, o in unique}),
        classes=Counter(URIRef(str(o)) for _, o in typed),
        properties=Counter(URIRef(str(p)) for _, p, _ in unique),
    )


class Counting:
    """Statistics of distinct triples given one at a time as N-Triples lines (UTF-8): counted
    as bytes, and properties and classes named once each at the end."""

    def __init__(self, uri_space: str):
        self.prefix = f"<{uri_space}".encode()
        self.stats = Stats()
        self.subjects: set[int] = set()
        self.entities: set[int] = set()  # the subjects in the URI space
        self.objects: set[int] = set()
        self.properties: Counter[bytes] = Counter()
        self.classes: Counter[bytes] = Counter()

    def add_line(self, line: bytes) -> None:
        """An N-Triples line (`<s> <p> <o> .`, the final dot optional); subjects and
        predicates hold no space, so the object is the rest."""
        self.add_lines([line])

    def add_lines(self, lines: list[bytes]) -> None:
        """Many lines at once: each step over all of them, in C where it can be."""
        split = [line.rstrip(b"\n").removesuffix(b" .").split(b" ", 2) for line in lines]
        self.stats.triples += len(split)
        self.subjects.update([hash(s) for s, _, _ in split])
        self.entities.update([hash(s) for s, _, _ in split if s.startswith(self.prefix)])
        self.objects.update([hash(o) for _, _, o in split])
        self.properties.update([p for _, p, _ in split])
        self.classes.update([o for _, p, o in split if p == RDF_TYPE and o.startswith(b"<")])

    def result(self) -> Stats:
        stats = self.stats
        stats.subjects, stats.objects = len(self.subjects), len(self.objects)
        stats.entities = len(self.entities)
        stats.properties = Counter({_iri(p): n for p, n in self.properties.items()})
        stats.classes = Counter({_iri(c): n for c, n in self.classes.items()})
        return stats


def _iri(term: bytes) -> URIRef:
    return URIRef(term[1:-1].decode("utf-8"))


@dataclass(slots=True)
class Summary:
    """The description's view of a dataset: per named graph (in IRI order) its statistics and
    the statements copied from it; the union's statistics."""

    uri_space: str
    graphs: list[tuple[URIRef, Stats, Graph]] = field(default_factory=list)
    union: Stats = field(default_factory=Stats)

    def visit(self, name: str, statements: list[ox.Quad]) -> None:
        """A named graph's statements (each once)."""
        lines = [f"{q.triple} .\n".encode() for q in statements]
        self.graphs.append((URIRef(name), *describe_lines(lines, statements, self.uri_space)))


def describe_lines(
    lines: list[bytes], statements: list[ox.Triple] | list[ox.Quad], uri_space: str | None
) -> tuple[Stats, Graph] | tuple[None, None]:
    """A graph's statistics (from its distinct N-Triples lines) and the statements the
    description copies from it; nothing when no description is wanted."""
    if uri_space is None:
        return None, None
    counting = Counting(uri_space)
    counting.add_lines(lines)
    return counting.result(), _copied(statements)


def _copied(statements: list[ox.Triple] | list[ox.Quad]) -> Graph:
    """The statements about the graph's reports, the nodes they name by place, period and
    activity, and the first measure's and problem's types."""
    reports = {q.subject for q in statements if q.object == REPORT_CLASS}
    wanted = set(reports) | {
        q.object for q in statements if q.subject in reports and q.predicate in FOLLOWED
    }
    firsts = {
        f"{r.value}/{kind}/1"
        for r in reports
        if isinstance(r, ox.NamedNode)
        for kind in ("measure", "problem")
    }
    graph = Graph()
    for q in statements:
        subject = q.subject
        first = isinstance(subject, ox.NamedNode) and subject.value in firsts
        if subject in wanted or (first and q.predicate.value == str(RDF.type)):
            graph.add((from_oxigraph(subject), from_oxigraph(q.predicate), from_oxigraph(q.object)))
    return graph
