"""Listings with parameters answered from their summaries: postings of a parameter's values.

A listing's summary holds its rows in page order. A parameter that only narrows the listing —
binding it keeps exactly the rows whose value for it is the one bound — is answered from the
same rows: the summary records, per value, the positions of its rows (a postings list, in
page order), so a page is a seek into that list and the count its length. These narrow:

- a *column*: the parameter's variable is bound in every solution (`certainly_bound`), so a
  VALUES binding is a filter on it; a column the query does not return is added to the
  summary's projection and kept out of its rows (never in a query that groups);
- an *exists* filter `FILTER(!BOUND(?v) || EXISTS { ?a p ?v } || …)` on returned columns: a
  row's values are the objects of `p` of its `?a`, read from the store when the summary is
  written.

A search text is the third kind (`edugraph.query.textsearch`); any other parameter is
answered live. The test walks every page of each such listing for several values against the
live query."""

from __future__ import annotations

import json
import re
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Identifier, Literal, URIRef, Variable

from edugraph.publish.summaries import Summary
from edugraph.query.engines import blank
from edugraph.query.paging import ordered_text, parts
from edugraph.query.queries import SavedQuery, parsed
from edugraph.query.textsearch import TEXTS, Contains, Search, Texts, contains, summary_query

KEYS = ".keys"  # {"key": summary key, "columns": {variable: {IRI: [first, count]}}}
POSITIONS = ".positions"  # uint32 row numbers, each value's run at its [first, count]
Row = dict[str, dict[str, str]]
Lookup = Callable[[str], Iterable[Row]]  # query text -> its rows (SPARQL JSON)
EXISTS_FILTER = re.compile(
    r"FILTER\s*\(\s*!\s*BOUND\s*\(\s*\?(\w+)\s*\)((?:\s*\|\|\s*EXISTS\s*\{[^{}]*\})+)\s*\)", re.I
)
EXISTS_BRANCH = re.compile(r"EXISTS\s*\{\s*\?(\w+)\s+([^\s{}?]+)\s+\?(\w+)\s*\.?\s*\}", re.I)


@dataclass(frozen=True, slots=True)
class Exists:
    """A parameter read by `FILTER(!BOUND(?v) || EXISTS { ?column predicate ?v } || …)`."""

    branches: tuple[tuple[str, str], ...]  # (column, predicate as written)


@dataclass(frozen=True, slots=True)
class Plan:
    """How a listing's summary answers its parameters."""

    columns: tuple[str, ...]  # variables whose value picks rows
    extra: tuple[str, ...]  # of those, the ones added to the summary's projection
    exists: Mapping[str, Exists] = field(default_factory=dict)
    contains: Contains | None = None  # a search text (`edugraph.query.textsearch`)


@lru_cache(maxsize=64)
def plan(query: SavedQuery) -> Plan:
    """Which of the query's parameters narrow its summary, and how."""
    algebra = parsed(query.text)
    bound = certainly_bound(_pattern(algebra["p"]))
    groups = _has(algebra, "Group")
    columns, extra = [], []
    exists = _exists(query)
    for p in query.params:
        variable = p.variable or p.name
        if p.type != "iri" or variable in exists or variable not in bound:
            continue
        if variable in query.variables or not groups:
            columns.append(variable)
            extra += [] if variable in query.variables else [variable]
    found = parts(query.text)
    search = contains(query, ordered=found.order) if found is not None and not extra else None
    return Plan(tuple(columns), tuple(extra), exists, search)


def answerable(query: SavedQuery) -> bool:
    """Whether every parameter the query must have bound narrows its summary."""
    found = plan(query)
    needed = [p.variable or p.name for p in query.params if p.required or p.default is not None]
    text = found.contains.param if found.contains is not None else None
    return all(v in found.columns or v in found.exists or v == text for v in needed)


def summary_text(query: SavedQuery) -> str:
    """The text a summary of the query runs: its total order, with the columns it does not
    return added to its projection (as the last ties: a value's rows keep the query's order)."""
    found_plan = plan(query)
    extra = found_plan.extra
    if found_plan.contains is not None:
        return ordered_text(*summary_query(query, found_plan.contains))
    if not extra:
        return ordered_text(query.text, query.variables)
    found = parts(query.text)
    assert found is not None  # a summarised query pages
    masked = blank(found.body)
    where = re.search(r"\bWHERE\b|\{", masked, re.I)
    at = where.start() if where else len(found.body)
    names = " ".join(f"?{v}" for v in extra)
    body = f"{found.body[:at].rstrip()} {names}\n{found.body[at:]}"
    text = f"{found.prologue}{body}\n{found.order}\n"
    return ordered_text(text, (*query.variables, *extra))


def certainly_bound(node: object) -> set[str]:
    """The variables every solution of an algebra node binds (SPARQL's "certainly bound")."""
    if not isinstance(node, CompValue):
        return set()
    name = node.name
    if name == "BGP":
        return {str(t) for triple in node["triples"] for t in triple if isinstance(t, Variable)}
    if name == "Join":
        return certainly_bound(node["p1"]) | certainly_bound(node["p2"])
    if name in ("LeftJoin", "Minus"):
        return certainly_bound(node["p1"])
    if name == "Union":
        return certainly_bound(node["p1"]) & certainly_bound(node["p2"])
    if name == "Graph":
        term = node["term"]
        return certainly_bound(node["p"]) | ({str(term)} if isinstance(term, Variable) else set())
    if name in ("Filter", "Extend", "OrderBy", "Distinct", "Reduced", "Slice", "ToMultiSet"):
        return certainly_bound(node["p"])
    if name == "Project":
        return certainly_bound(node["p"]) & {str(v) for v in node["PV"]}
    return set()  # VALUES, groups, subqueries: not looked into


def _pattern(node: CompValue) -> CompValue:
    """The query's pattern under its solution modifiers and projection."""
    while node.name in ("Distinct", "Reduced", "Slice", "OrderBy", "Project"):
        node = node["p"]
    return node


def _has(node: object, name: str) -> bool:
    if isinstance(node, CompValue):
        return node.name == name or any(_has(v, name) for k, v in node.items() if k != "_vars")
    if isinstance(node, list):
        return any(_has(v, name) for v in node)
    return False


def _exists(query: SavedQuery) -> dict[str, Exists]:
    """The parameters read only by an exists filter on columns the query returns."""
    masked = blank(query.text)
    found: dict[str, Exists] = {}
    for m in EXISTS_FILTER.finditer(masked):
        variable = m.group(1)
        text = query.text[m.start(2) : m.end(2)]
        branches = EXISTS_BRANCH.findall(text)
        if len(branches) != text.upper().count("EXISTS") or any(
            o != variable or s not in query.variables for s, _, o in branches
        ):
            continue
        if len(re.findall(rf"\?{variable}\b", masked)) != 1 + len(branches):
            continue  # the variable is read elsewhere too
        found[variable] = Exists(tuple((s, p) for s, p, _ in branches))
    names = {p.variable or p.name for p in query.params if p.type == "iri"}
    return {v: e for v, e in found.items() if v in names}


class Recorder:
    """Records, as a summary's rows go by, the positions of each value of each column, and
    drops the columns added to the projection from the rows."""

    def __init__(self, query: SavedQuery, lookup: Lookup) -> None:
        self.plan = plan(query)
        self.found: dict[str, dict[str, list[int]]] = {v: {} for v in self.plan.columns}
        self.objects = {v: self._objects(query, e, lookup) for v, e in self.plan.exists.items()}
        self.found.update({v: {} for v in self.plan.exists})
        self.texts = Texts(self.plan.contains) if self.plan.contains is not None else None

    def names(self, query: SavedQuery, names: Sequence[str]) -> list[str]:
        """The summary's columns: the query's, as the solutions give them."""
        if self.texts is not None:
            return list(query.variables)
        return [n for n in names if n not in self.plan.extra]

    @staticmethod
    def _objects(query: SavedQuery, exists: Exists, lookup: Lookup) -> list[dict[str, set[str]]]:
        """Per branch, each subject's objects of its predicate (None: any subject)."""
        found = parts(query.text)
        prologue = found.prologue if found is not None else ""
        out = []
        for _, predicate in exists.branches:
            text = f"{prologue}SELECT ?s ?o WHERE {{ ?s {predicate} ?o }}"
            objects: dict[str, set[str]] = {}
            for row in lookup(text):
                if row.get("o", {}).get("type") == "uri" and "s" in row:
                    objects.setdefault(row["s"]["value"], set()).add(row["o"]["value"])
                    objects.setdefault("", set()).add(row["o"]["value"])
            out.append(objects)
        return out

    def rows(self, rows: Iterable[Row]) -> Iterator[Row]:
        extra = self.plan.extra
        for number, row in enumerate(rows):
            for variable in self.plan.columns:
                term = row.get(variable)
                if term is not None and term.get("type") == "uri":
                    self.found[variable].setdefault(term["value"], []).append(number)
            for variable, exists in self.plan.exists.items():
                for value in self._values(row, exists, self.objects[variable]):
                    self.found[variable].setdefault(value, []).append(number)
            if self.texts is not None:
                row = self.texts.add(row, number)
            yield {k: v for k, v in row.items() if k not in extra} if extra else row

    @staticmethod
    def _values(row: Row, exists: Exists, objects: list[dict[str, set[str]]]) -> set[str]:
        """The values of an exists parameter that keep the row: an unbound column matches any
        subject, as EXISTS does; a literal none."""
        out: set[str] = set()
        for (column, _), found in zip(exists.branches, objects, strict=True):
            term = row.get(column)
            if term is None:
                out |= found.get("", set())
            elif term.get("type") != "literal":
                out |= found.get(term["value"], set())
        return out

    def write(self, folder: Path, name: str, *, key: str) -> None:
        """The positions file and its index, beside the summary's rows."""
        positions = array("I")
        columns: dict[str, dict[str, list[int]]] = {}
        for variable, values in self.found.items():
            columns[variable] = {}
            for value in sorted(values):
                columns[variable][value] = [len(positions), len(values[value])]
                positions.extend(values[value])
        (folder / f"{name}{POSITIONS}").write_bytes(positions.tobytes())
        index: dict[str, Any] = {"key": key, "columns": columns}
        if self.texts is not None:
            index["contains"] = self.texts.write(folder, name)
        (folder / f"{name}{KEYS}").write_text(json.dumps(index), encoding="utf-8")


@dataclass(frozen=True, slots=True)
class Keys:
    """A summary's postings as written: per column, each value's run of positions."""

    path: Path  # the positions file
    columns: Mapping[str, Mapping[str, Sequence[int]]]
    search: Search | None = None  # a search text's, when the listing has one

    def rows(self, column: str, value: str) -> Sequence[int]:
        """The positions of the rows whose `column` is `value`, in page order."""
        first, count = self.columns[column].get(value, (0, 0))
        found = array("I")
        if count:
            with self.path.open("rb") as f:
                f.seek(first * found.itemsize)
                found.frombytes(f.read(count * found.itemsize))
        return found


def read_keys(summary: Summary) -> Keys | None:
    """The postings beside a summary, if they were written with it (None: none, or stale)."""
    path = summary.path.with_suffix(KEYS)
    try:
        found: Any = json.loads(path.read_text(encoding="utf-8"))
        if found["key"] != summary.key:
            return None
        texts = found.get("contains")
        search = Search(summary.path.with_suffix(TEXTS), texts) if texts else None
        return Keys(summary.path.with_suffix(POSITIONS), dict(found["columns"]), search)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def select(
    summary: Summary, keys: Keys | None, bound: Mapping[str, Identifier]
) -> Sequence[int] | None:
    """The positions of the summary's rows that answer these bindings, in page order; None
    when a bound parameter does not narrow it (the query runs live)."""
    chosen: Sequence[int] = range(summary.total)
    search = keys.search if keys is not None else None
    for variable, term in bound.items():
        if search is not None and variable == search.param and isinstance(term, Literal):
            found: Sequence[int] = search.matches(str(term))
        elif not isinstance(term, URIRef):
            return None
        elif variable == summary.by and summary.slices is not None:
            first, count = summary.slices.get(str(term), (0, 0))
            found = range(first, first + count)
        elif keys is not None and variable in keys.columns:
            found = keys.rows(variable, str(term))
        else:
            return None
        chosen = _both(chosen, found)
    return chosen


def _both(a: Sequence[int], b: Sequence[int]) -> Sequence[int]:
    """The positions in both (each sorted)."""
    if isinstance(a, range) and isinstance(b, range):
        return range(max(a.start, b.start), max(min(a.stop, b.stop), max(a.start, b.start)))
    if isinstance(b, range):
        a, b = b, a
    if isinstance(a, range):
        return b[bisect_left(b, a.start) : bisect_left(b, a.stop)]
    kept = set(b)
    return array("I", (p for p in a if p in kept))
