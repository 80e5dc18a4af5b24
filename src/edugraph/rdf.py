"""Small RDF helpers shared by the build modules: parsing Turtle with a clear error, and
literals in the forms the graph uses."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from edugraph.errors import InputError

ZH = "zh-Hans"


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
