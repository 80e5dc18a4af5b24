"""Curation files: human corrections and links, kept apart from extraction."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from edugraph.errors import InputError
from edugraph.rdf import parse_into
from edugraph.records import Report
from edugraph.vocab import EDU, Iris


def load_curation(path: Path, iris: Iris) -> Graph | None:
    """Read `data/curation/<slug>.ttl`: human corrections and links, kept apart from extraction."""
    if not path.exists():
        return None
    graph = Graph(base=iris.base)
    parse_into(graph, path)
    return graph


def curated_pairs(curated: Graph | None) -> set[tuple[URIRef, URIRef]]:
    """(measure, problem) pairs a curator decided on; extraction's own link is then dropped."""
    if curated is None:
        return set()
    pairs = set()
    for node in curated.subjects(RDF.type, EDU.ProblemResponse):
        problem = curated.value(node, EDU.problem)
        for source in curated.subjects(EDU.qualifiedAddresses, node):
            if isinstance(source, URIRef) and isinstance(problem, URIRef):
                pairs.add((source, problem))
    return pairs


def check_curation(
    curated: Graph,
    extracted: Collection[Node],
    report: Report,
    iris: Iris,
    path: Path,
) -> None:
    """A curation file may only speak of nodes that extraction made (the subjects of the
    report's triples, `extracted`) or that it defines."""
    prefix = str(iris.report(report.meta.slug)) + "/"
    defined = set(curated.subjects(RDF.type, None))
    for term in set(curated.subjects()) | set(curated.objects()):
        ours = isinstance(term, URIRef) and str(term).startswith(prefix)
        if ours and term not in defined and term not in extracted:
            raise InputError(
                f"refers to {term}, which the report's graph does not have",
                source=f"data/curation/{report.meta.slug}.ttl",
            )
