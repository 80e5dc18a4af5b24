"""SHACL Core in Oxigraph: the core constraints of a shapes graph compiled to SPARQL SELECT
queries, each run once over all the focus nodes of its shape.

pySHACL checks every focus node and value node in Python on rdflib, about half a second per
report; as queries the same constraints take milliseconds. Only the constraint components that
ontology/shapes.ttl uses are compiled, and a shape that uses anything else raises
`UnsupportedShape`: a constraint is never skipped without a word.

The findings are those pySHACL gives (the tests run both): the same focus node, path, severity
and source shape (a blank property shape named by the node shape that holds it, as
`validate._finding` names pySHACL's), one result per value node where pySHACL gives one per
value node; a result's messages are its shape's sh:message or else an English one of ours.
pySHACL is followed where it reads the specification its own way, because its results are the
reference (`shacl_components` says where), and in sh:severity, which a property shape does not
inherit from the node shape that holds it. Each result names its constraint component
(sh:sourceConstraintComponent) and its path as written, a path node for any path other than a
predicate; the compiler is `shacl_compiler`, each component's pattern `shacl_components`.

Oxigraph stores every subtype of xsd:integer as xsd:integer ("3"^^xsd:nonNegativeInteger reads
back as "3"^^xsd:integer). So that sh:datatype can still tell them apart, `to_store` also files
each triple written with a subtype in a named graph for that subtype (`WRITTEN_AS`), which the
queries consult; the data itself stays in the default graph. What Oxigraph merges stays merged:
two spellings of one value on one subject and predicate ("1.5" and "1.50", or 3 written as
xsd:integer and as xsd:nonNegativeInteger) are one value here and two in rdflib. A result's
value is still the data's spelling: `validate.spellings` looks it up in the source.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

import pyoxigraph as ox
from rdflib import Graph

from edugraph.formats import NQUADS, NTRIPLES
from edugraph.rdf import from_oxigraph, has_long_line, parse_lines
from edugraph.validate.findings import Finding
from edugraph.validate.shacl_compiler import SUBTYPES, WRITTEN_AS, Check, Compiler
from edugraph.validate.shacl_components import COMPONENTS

_SUBTYPED = re.compile(  # found from the datatype, then back to its line's start
    rb"(\^\^<http://www\.w3\.org/2001/XMLSchema#(" + "|".join(SUBTYPES).encode() + rb")>)"
    rb" \.[ \t]*\r?$",
    re.M,
)


def core_findings(
    store: ox.Store, shapes: Graph, *, only: Callable[[str], bool] | None = None
) -> list[Finding]:
    """The results of every core constraint of `shapes` (those whose query `only` accepts) on
    a store made by `to_store` (the sh:sparql constraints are `validate.sparql_findings`')."""
    checks = [c for c in compile_shapes(shapes) if only is None or only(c.query)]
    return [finding for check in checks for finding in run(check, store)]


def to_store(data: Graph | bytes | Iterable[bytes]) -> ox.Store:
    """The data (an rdflib graph, N-Triples, or N-Triples in pieces of whole lines) in a new
    store's default graph, and the triples written with a subtype of xsd:integer in
    `WRITTEN_AS` graphs. Blank node labels are kept, so that a finding about a blank node
    names the node rdflib has, and one label in two pieces is one node."""
    if isinstance(data, Graph):
        data = data.serialize(format=NTRIPLES.rdflib, encoding="utf-8")
    store = ox.Store()
    for piece in [data] if isinstance(data, bytes) else data:
        if b"_:" in piece or has_long_line(piece):  # labels kept; a line too long to parse
            store.extend(parse_lines(piece, NTRIPLES.parser))
        else:  # Oxigraph parses and inserts at once, no Python term in between
            store.load(piece, format=NTRIPLES.parser)
        if filed := _filed(piece):
            store.extend(parse_lines(filed, NQUADS.parser))
    return store


def _filed(piece: bytes) -> bytes:
    """The piece's triples written with a subtype of xsd:integer, as N-Quads in the subtype's
    `WRITTEN_AS` graph."""
    out = []
    for m in _SUBTYPED.finditer(piece):
        start = piece.rfind(b"\n", 0, m.start()) + 1
        out.append(piece[start : m.end(1)] + b" <" + WRITTEN_AS.encode() + m[2] + b"> .\n")
    return b"".join(out)


def run(check: Check, store: ox.Store) -> Iterator[Finding]:
    """A finding per solution of the check's query."""
    for row in store.query(check.query):  # type: ignore[union-attr]
        value = row["value"] if check.has_value else None
        yield Finding(
            severity=check.severity,
            shape=check.shape,
            focus=term(row["this"]),
            path=check.path,
            value=None if value is None else term(value),
            messages=check.messages,
            component=check.component,
        )


term = from_oxigraph  # an Oxigraph term as rdflib parses it


_COMPILED: list[tuple[Graph, int, list[Check]]] = []  # a few recent shapes graphs


def compile_shapes(shapes: Graph) -> list[Check]:
    """The checks of a shapes graph, compiled once per graph: a process validates many reports
    against the same shapes."""
    for graph, size, checks in _COMPILED:
        if graph is shapes and size == len(shapes):
            return checks
    checks = Compiler(shapes, components=COMPONENTS).checks()
    _COMPILED[:] = [*_COMPILED[-3:], (shapes, len(shapes), checks)]
    return checks
