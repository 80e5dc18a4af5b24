"""Results as a table for people at a terminal. The table fits the terminal's width: wide
columns are narrowed first, and when the columns cannot all fit at a readable width, each row
is shown as a record, one line per column. An IRI is shown by its label when the results hold
none for it, else by the short form a parameter accepts back (`chongqing-2020/problem/2`), and
an IRI too long for its column loses its start, not the end that tells rows apart."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import URIRef

from edugraph.query.engines import Results
from edugraph.query.results import ASSUMED, ASSUMED_COLUMNS, compact, rows, variables
from edugraph.query.shortforms import short
from edugraph.rdf import sparql_term

Term = Mapping[str, str]
MIN_COLUMN = 10  # narrower than this, a table becomes records
MAX_LABELLED = 500  # IRIs whose labels are looked up for one table
LABEL_BATCH = 50  # IRIs per label query
LANGUAGES = ("zh-hans", "zh", "en", "")  # label preferred first
LABELS = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?x ?label WHERE {{ VALUES ?x {{ {iris} }} ?x rdfs:label|skos:prefLabel ?label }}"""


@dataclass(frozen=True, slots=True)
class Display:
    """How terms are shown: the base of instance IRIs, prefixes, and labels by IRI."""

    base: str
    prefixes: Mapping[str, str]
    labels: Mapping[str, str] = field(default_factory=dict)

    def show(self, term: Term | None, *, labelled: bool) -> tuple[str, bool]:
        """The text of a cell and whether it is an IRI (cut from the left). `labelled`: the
        row holds the IRI's label in another column."""
        if term is None:
            return "", False
        value = term["value"]
        if term["type"] == "uri":
            label = None if labelled else self.labels.get(value)
            if label:
                return " ".join(label.split()), False
            shown = short(value, self.base)
            return (compact(value, self.prefixes) if shown == value else shown), True
        if term["type"] == "bnode":
            return f"_:{value}", False
        return " ".join(value.split()), False


def unlabelled(results: Results) -> list[str]:
    """The IRIs shown in columns that have no companion `<name>Label` column."""
    names = variables(results)
    found: dict[str, None] = {}
    for row in rows(results):
        for name in names:
            term = row.get(name)
            if term and term["type"] == "uri" and f"{name}Label" not in names:
                found[term["value"]] = None
    return list(found)[:MAX_LABELLED]


def label_queries(iris: list[str]) -> list[str]:
    """Queries for the labels of these IRIs (each written by the engines' term writer), in
    batches that stay well under the longest query the read-only check takes."""
    batches = [iris[i : i + LABEL_BATCH] for i in range(0, len(iris), LABEL_BATCH)]
    return [LABELS.format(iris=" ".join(sparql_term(URIRef(i)) for i in b)) for b in batches]


def best_labels(answers: Iterable[Results]) -> dict[str, str]:
    """One label per IRI: zh-Hans first, then zh, en, any."""
    ranked: dict[str, tuple[int, str]] = {}
    for row in (row for results in answers for row in rows(results)):
        iri, label = row["x"]["value"], row["label"]
        lang = label.get("xml:lang", "").lower()
        rank = LANGUAGES.index(lang) if lang in LANGUAGES else len(LANGUAGES)
        if iri not in ranked or (rank, label["value"]) < ranked[iri]:
            ranked[iri] = (rank, label["value"])
    return {iri: label for iri, (_, label) in ranked.items()}


def table(results: Results, display: Display, *, columns: int) -> str:
    """Aligned columns within `columns` characters, or records when they cannot fit."""
    if "boolean" in results:
        return ("true" if results["boolean"] else "false") + "\n"
    names = variables(results)
    cells = [[_shown(display, n, row.get(n), names) for n in names] for row in rows(results)]
    natural = [max([width(n)] + [width(r[i][0]) for r in cells]) for i, n in enumerate(names)]
    widths = _fit(natural, columns)
    body = _records(names, cells, columns) if widths is None else _columns(names, cells, widths)
    count = len(cells)
    return body + f"({count} row{'s' if count != 1 else ''})\n"


def _shown(display: Display, name: str, term: Term | None, names: list[str]) -> tuple[str, bool]:
    if name in ASSUMED_COLUMNS and term is not None and term["value"] in ASSUMED:
        return ASSUMED[term["value"]], False
    return display.show(term, labelled=f"{name}Label" in names)


def _fit(natural: list[int], columns: int) -> list[int] | None:
    """Column widths within `columns`: the widest narrowed first; None if some column would
    fall below MIN_COLUMN (or its natural width, if less)."""
    room = columns - 2 * (len(natural) - 1)
    if sum(natural) <= room:
        return natural
    cap = max(natural)
    while cap > MIN_COLUMN and sum(min(w, cap) for w in natural) > room:
        cap -= 1
    widths = [min(w, cap) for w in natural]
    return widths if sum(widths) <= room else None


def _columns(names: list[str], cells: list[list[tuple[str, bool]]], widths: list[int]) -> str:
    def line(texts: Iterable[tuple[str, bool]]) -> str:
        parts = (_pad(cut(t, w, left=iri), w) for (t, iri), w in zip(texts, widths, strict=True))
        return "  ".join(parts).rstrip()

    lines = [line((n, False) for n in names), "  ".join("-" * w for w in widths)]
    lines += [line(r) for r in cells]
    return "\n".join(lines) + "\n"


def _records(names: list[str], cells: list[list[tuple[str, bool]]], columns: int) -> str:
    key = max(width(n) for n in names)
    room = max(MIN_COLUMN, columns - key - 2)
    lines = []
    for i, row in enumerate(cells, 1):
        lines.append(f"-[ {i} ]".ljust(min(columns, 40), "-"))
        for name, (text, iri) in zip(names, row, strict=True):
            lines.append(f"{_pad(name, key)}  {cut(text, room, left=iri)}".rstrip())
    return "\n".join(lines) + "\n"


def width(text: str) -> int:
    """Columns the text takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def cut(text: str, limit: int, *, left: bool) -> str:
    """The text within `limit` columns; what is cut is marked with "…" (at the start when
    `left`)."""
    if width(text) <= limit:
        return text
    chars = reversed(text) if left else iter(text)
    kept: list[str] = []
    used = 1
    for c in chars:
        used += width(c)
        if used > limit:
            break
        kept.append(c)
    return "…" + "".join(reversed(kept)) if left else "".join(kept) + "…"


def _pad(text: str, w: int) -> str:
    return text + " " * (w - width(text))
