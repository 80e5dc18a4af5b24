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
from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from edugraph.errors import InputError
from edugraph.rdf import from_oxigraph
from edugraph.validate.findings import Finding
from edugraph.validate.shacl_compiler import SUBTYPES, WRITTEN_AS, Check, Compiler
from edugraph.validate.shacl_components import COMPONENTS

_SUBTYPED = re.compile(
    rb"^(.*\^\^<http://www\.w3\.org/2001/XMLSchema#(" + "|".join(SUBTYPES).encode() + rb")>)"
    rb" \.[ \t]*\r?$",
    re.M,
)


def core_findings(store: ox.Store, shapes: Graph) -> list[Finding]:
    """The results of every core constraint of `shapes` on a store made by `to_store` (the
    sh:sparql constraints are `validate.sparql_findings`' part)."""
    return [finding for check in compile_shapes(shapes) for finding in run(check, store)]


def to_store(data: Graph | bytes | Iterable[bytes]) -> ox.Store:
    """The data (an rdflib graph, N-Triples, or N-Triples in pieces of whole lines) in a new
    store's default graph, and the triples written with a subtype of xsd:integer in
    `WRITTEN_AS` graphs. Blank node labels are kept, so that a finding about a blank node
    names the node rdflib has, and one label in two pieces is one node."""
    if isinstance(data, Graph):
        data = data.serialize(format="nt", encoding="utf-8")
    store = ox.Store()
    for piece in [data] if isinstance(data, bytes) else data:
        piece = _without_long_lines(piece, store)
        store.extend(ox.parse(piece, format=ox.RdfFormat.N_TRIPLES))
        filed = b"".join(
            m[1] + b" <" + WRITTEN_AS.encode() + m[2] + b"> .\n" for m in _SUBTYPED.finditer(piece)
        )
        if filed:
            store.extend(ox.parse(filed, format=ox.RdfFormat.N_QUADS))
    return store


LONG_LINE = 8 * 1024 * 1024  # Oxigraph's parser refuses a token over 16 MiB: a long report's text


def _without_long_lines(piece: bytes, store: ox.Store) -> bytes:
    """The piece without its lines too long for Oxigraph's parser: each is a literal as long
    as a report (its whole text), read here and added as a term."""
    if len(piece) < LONG_LINE or all(len(line) < LONG_LINE for line in piece.split(b"\n")):
        return piece
    kept = []
    for line in piece.split(b"\n"):
        if len(line) < LONG_LINE:
            kept.append(line)
            continue
        found = _LONG.fullmatch(line.decode("utf-8").rstrip())
        if found is None:
            raise InputError("an N-Triples line over 8 MiB that is not an IRI and a literal")
        subject, predicate, text, language, datatype = found.groups()
        value = _ESCAPE.sub(_unescape, text)
        if language:
            literal = ox.Literal(value, language=language)
        else:
            literal = ox.Literal(value, datatype=ox.NamedNode(datatype or str(XSD.string)))
        store.add(ox.Quad(ox.NamedNode(subject), ox.NamedNode(predicate), literal))
    return b"\n".join(kept)


_LONG = re.compile(r'<([^>]*)> <([^>]*)> "((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)? \.')
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(m: re.Match[str]) -> str:
    code = m.group(1)
    return chr(int(code[1:], 16)) if code[0] in "uU" and len(code) > 1 else _ESCAPES[code]


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as Oxigraph's (the inverse of `from_oxigraph`)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal) and term.language:
        return ox.Literal(str(term), language=term.language)
    if isinstance(term, Literal):
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
    raise TypeError(f"not an RDF term: {term!r}")


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
