"""Small RDF helpers shared by the build modules: parsing Turtle with a clear error, and
literals in the forms the graph uses."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from edugraph.errors import InputError

ZH = "zh-Hans"

# RFC 3987: a scheme, then characters an IRI may hold (no controls C0, DEL or C1, no space or
# <>"{}|\\^`, no surrogates or non-characters), % only as a %XX escape, at most one #.
IRI = re.compile(
    r"[A-Za-z][A-Za-z0-9+.-]*:"
    r"(?:[^\x00-\x20<>\"{}|\\^`\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff%#]|%[0-9A-Fa-f]{2})*"
    r"(?:#(?:[^\x00-\x20<>\"{}|\\^`\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff%#]|%[0-9A-Fa-f]{2})*)?"
)


def is_iri(value: str) -> bool:
    """The whole value is an absolute IRI (fullmatch: a final newline is not let through)."""
    return IRI.fullmatch(value) is not None and not any(
        (ord(c) & 0xFFFE) == 0xFFFE for c in value if ord(c) > 0xFFFF
    )


def parse_into(graph: Graph, path: Path) -> None:
    try:
        graph.parse(path, format="turtle")
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(f"cannot parse Turtle: {exc}", source=str(path)) from None


def date_literal(value: str) -> Literal:
    """YYYY → xsd:gYear, YYYY-MM → xsd:gYearMonth, YYYY-MM-DD → xsd:date."""
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(value), XSD.date)
    return Literal(value, datatype=datatype)


def from_oxigraph(term: object) -> Node:
    """An Oxigraph term as rdflib parses the same RDF: a plain string has no datatype."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(
            term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype)
        )
    raise TypeError(f"not an RDF term: {term!r}")
