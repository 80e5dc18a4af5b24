"""Small RDF helpers shared by the build modules: parsing Turtle with a clear error, and
literals in the forms the graph uses."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import XSD

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
