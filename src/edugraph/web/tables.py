"""Results as HTML table cells: an IRI of this dataset links to its /id/… page, any other
IRI is shown (shortened by prefix) as text, a literal as its value."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import url_for

from edugraph.query.engines import Results
from edugraph.query.results import compact, rows, variables
from edugraph.vocab import PREFIXES

NAMESPACES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    href: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Table:
    columns: list[str]
    rows: list[list[Cell]]
    boolean: bool | None = None


def local_path(iri: str, base_iri: str) -> str | None:
    """The part after `<base>id/` of an IRI this server answers for, else None."""
    prefix = f"{base_iri}id/"
    return iri[len(prefix) :] if iri.startswith(prefix) and len(iri) > len(prefix) else None


def cell(term: Mapping[str, str] | None, base_iri: str) -> Cell:
    if term is None:
        return Cell("")
    value = term["value"]
    if term["type"] == "uri":
        path = local_path(value, base_iri)
        if path is not None:
            return Cell(path, url_for("linked.resource", path=path), value)
        return Cell(compact(value, NAMESPACES), None, value)
    if term["type"] == "bnode":
        return Cell(f"_:{value}")
    return Cell(value, None, term.get("xml:lang") or term.get("datatype"))


def table(results: Results, base_iri: str) -> Table:
    if "boolean" in results:
        return Table([], [], bool(results["boolean"]))
    names = variables(results)
    return Table(names, [[cell(row.get(n), base_iri) for n in names] for row in rows(results)])
