"""Results as HTML table cells: an IRI is shown by its label when it has one (else by its
path or prefixed name) and, if this dataset answers for it, links to its /id/… page; a
figure is shown as people write it (14.76亿元) with the exact value as its title; a body
assumed to lead, because the text names none, reads 默认（文中未写明）. The same
labels replace IRIs in a CSV download, where a spreadsheet has no title to hover."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import url_for

from edugraph.query.engines import Results
from edugraph.query.results import ASSUMED, ASSUMED_COLUMNS, FIXED_LABELS, compact, rows, variables
from edugraph.vocab import PREFIXES
from edugraph.web.numbers import VALUE_COLUMNS, human

NAMESPACES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
NO_LABELS: Mapping[str, str] = {}


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


def cell(
    term: Mapping[str, str] | None,
    base_iri: str,
    *,
    labels: Mapping[str, str] = NO_LABELS,
    unit: Mapping[str, str] | None = None,
) -> Cell:
    """A term as a cell; `unit`, the row's unit, for a figure's value."""
    if term is None:
        return Cell("")
    value = term["value"]
    if term["type"] == "uri":
        label = labels.get(value) or FIXED_LABELS.get(value)
        path = local_path(value, base_iri)
        link = url_for("linked.resource", path=path) if path is not None else None
        return Cell(label or path or compact(value, NAMESPACES), link, value)
    if term["type"] == "bnode":
        return Cell(f"_:{value}")
    if unit is not None:
        shown = human(value, unit["value"], labels.get(unit["value"]))
        return Cell(shown, None, value if shown != value else term.get("datatype"))
    return Cell(value, None, term.get("xml:lang") or term.get("datatype"))


def table(results: Results, base_iri: str, *, labels: Mapping[str, str] = NO_LABELS) -> Table:
    if "boolean" in results:
        return Table([], [], bool(results["boolean"]))
    names = variables(results)
    return Table(names, [_row(row, names, base_iri, labels) for row in rows(results)])


def _row(
    row: Mapping[str, Mapping[str, str]], names: list[str], base_iri: str, labels: Mapping[str, str]
) -> list[Cell]:
    unit = row.get("unit") if row.get("unit", {}).get("type") == "uri" else None
    return [
        _assumed(row.get(n))
        if n in ASSUMED_COLUMNS
        else cell(row.get(n), base_iri, labels=labels, unit=unit if n in VALUE_COLUMNS else None)
        for n in names
    ]


def _assumed(term: Mapping[str, str] | None) -> Cell:
    """Whether a body's role is the default one, in words (a reader has no use for `true`)."""
    if term is None:
        return Cell("")
    return Cell(ASSUMED.get(term["value"], term["value"]), None, term["value"])


def iris_in(results: Results) -> set[str]:
    return {t["value"] for row in rows(results) for t in row.values() if t["type"] == "uri"}


def labelled(results: Results, labels: Mapping[str, str]) -> Results:
    """The results with each labelled IRI replaced by its label, for a CSV people read."""
    if "boolean" in results:
        return results
    out: list[dict[str, Any]] = []
    for row in rows(results):
        out.append(
            {
                name: {"type": "literal", "value": ASSUMED.get(t["value"], t["value"])}
                if name in ASSUMED_COLUMNS
                else _labelled(t, labels)
                for name, t in row.items()
            }
        )
    return {**results, "results": {"bindings": out}}


def _labelled(term: Mapping[str, str], labels: Mapping[str, str]) -> Mapping[str, str]:
    if term["type"] != "uri":
        return term
    label = labels.get(term["value"]) or FIXED_LABELS.get(term["value"])
    return {"type": "literal", "value": label} if label else term
