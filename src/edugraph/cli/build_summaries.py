"""The listing summaries of a build, each report's rows kept between builds.

A listing sorts by its report first, and a report's rows read its own graphs and the shared
nodes it reaches (no report links to another): the same input validation is keyed by
(`Outcome.keys`). So a report's run of rows is kept under that key with the listing's, and a
rebuild computes only the runs of the reports whose key changed, on a store of their graphs
and the shared ones; the listing is the runs joined in report order, as one query over the
whole would give them. A listing not sliced by report, a row without a report or with a
blank node (named differently in another store) makes the listing computed whole, as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeGuard

import pyoxigraph as ox
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from edugraph.graph.quads import Quads
from edugraph.publish import summaries
from edugraph.publish.build import BuildResult
from edugraph.publish.cache import ReportCache
from edugraph.publish.store import store_beside
from edugraph.query import postings
from edugraph.query.queries import SavedQuery, parsed
from edugraph.query.summaries import (
    SECONDS,
    bounded,
    key,
    sliced_by,
    summarised,
    write_all,
    write_one,
)
from edugraph.rdf import sparql_json
from edugraph.validate.findings import SHARED
from edugraph.vocab import Iris

ROWS = ".rows"  # a report's run of one listing, in the cache's summaries/ folder
Row = dict[str, dict[str, str]]


@dataclass(frozen=True, slots=True)
class Runs:
    """What a listing's runs are made from: the dataset's lines, each report's key by its
    IRI, the graphs every report's rows may read, and where the runs are kept."""

    quads: Quads
    keys: Mapping[str, str]  # report IRI -> its input's key (validation's)
    graphs: Mapping[str, tuple[str, ...]]  # report IRI -> its own graphs' names
    common: tuple[str, ...]  # the graphs no report owns (shared, reference, ontology …)
    cache: Path


def runs_of(quads: Quads, keys: Mapping[str, str], iris: Iris, cache: Path) -> Runs:
    """The listing runs' inputs: `keys` by report slug, as validation keyed its results."""
    own = ("report/{}", "findings/{}", "curation/{}")
    names = set(quads.names())
    graphs = {
        str(iris.report(slug)): tuple(
            n for n in (str(iris.graph(o.format(slug))) for o in own) if n in names
        )
        for slug in keys
    }
    owned = {n for found in graphs.values() for n in found}
    by_iri = {str(iris.report(slug)): k for slug, k in keys.items()}
    return Runs(quads, by_iri, graphs, tuple(sorted(names - owned)), cache)


def write_summaries(
    dataset: Path,
    queries: Mapping[str, SavedQuery],
    *,
    runs: Runs | None,
    seconds: float = SECONDS,
) -> dict[str, int]:
    """`query.summaries.write_all`, with each report's rows of a sliced listing read from
    the cache when its key is unchanged; each listing in its own process for at most
    `seconds` (one not done is left unsummarised, answered live)."""
    folder = store_beside(dataset)
    if runs is None or folder is None:
        return write_all(dataset, queries, seconds=seconds)
    out = dataset.parent / summaries.SUMMARIES
    for query in summarised(queries):
        bounded(query.name, _write_one, (folder, out, query, runs), seconds=seconds)
    _keep(runs, summarised(queries))
    return {name: found.total for name, found in summaries.read(dataset.parent).items()}


def _write_one(folder: Path, out: Path, query: SavedQuery, runs: Runs) -> None:
    """A sliced listing's rows joined from its reports' runs, its postings recorded over them
    as over the whole listing's; any other listing from the whole store."""
    by, text, listing = sliced_by(query), postings.summary_text(query), key(query)
    sliceable = by is not None and postings.plan(query).contains is None
    sliceable = sliceable and _report_major(text, by or "")
    found = _runs(folder, text, by, listing, runs) if by is not None and sliceable else None
    if found is None:
        write_one(folder, out, query)
        return
    names, by_report = found
    merged = (row for iri in sorted(by_report) for row in by_report[iri])
    store = ox.Store.read_only(str(folder))
    recorder = postings.Recorder(query, lambda text: _solutions(store, text)[1])
    kept = recorder.names(query, names)
    summaries.write(out, query.name, key=listing, names=kept, rows=recorder.rows(merged), by=by)
    recorder.write(out, query.name, key=listing)


def _report_major(text: str, by: str) -> bool:
    """Whether the listing's total order puts a report's rows together (ORDER BY ?report …,
    or unbound reports last first): only then is it its reports' runs joined
    (measures-for-problem orders by status first). Read from the parsed algebra."""
    node = parsed(text)
    while isinstance(node, CompValue) and node.name != "OrderBy" and "p" in node:
        node = node["p"]
    if not _named(node, "OrderBy"):
        return False
    keys = [c["expr"] if _named(c, "OrderCondition") else c for c in node["expr"]]
    if keys and _unbound_first(keys[0], by):
        keys = keys[1:]
    return bool(keys) and keys[0] == Variable(by)


def _unbound_first(key: object, by: str) -> bool:
    """`(!BOUND(?by))`: the rows without a report set apart, ahead of the report's order."""
    if not _named(key, "UnaryNot"):
        return False
    inner = key["expr"]
    return _named(inner, "Builtin_BOUND") and inner["arg"] == Variable(by)


def _named(node: object, name: str) -> TypeGuard[CompValue]:
    return isinstance(node, CompValue) and node.name == name


def _runs(
    folder: Path, text: str, by: str, listing: str, runs: Runs
) -> tuple[list[str], dict[str, list[Row]]] | None:
    """Every report's run of rows, from the cache or computed (on the whole store when most
    reports changed, else on a store of the changed ones); None when they cannot be split."""
    cache = ReportCache(runs.cache, suffix=ROWS)
    keys = {iri: _key(listing, k) for iri, k in runs.keys.items()}
    found: dict[str, list[Row]] = {}
    names: list[str] | None = None
    for iri, k in keys.items():
        entry = cache.get(k)
        if isinstance(entry, tuple) and len(entry) == 2:
            names, found[iri] = entry
    missing = [iri for iri in keys if iri not in found]
    if missing:
        whole = 2 * len(missing) > len(keys)
        store = ox.Store.read_only(str(folder)) if whole else _store(runs, missing)
        names, rows = _solutions(store, text)
        made = _split(rows, by, set(missing), known=set(keys))
        if made is None:
            return None
        for iri in missing:
            found[iri] = made.get(iri, [])
            cache.put(keys[iri], (names, found[iri]))
    return (names, found) if names is not None else None


def _split(
    rows: Iterator[Row], by: str, wanted: set[str], *, known: set[str]
) -> dict[str, list[Row]] | None:
    """The rows of the `wanted` reports by report; None for a row without a `known` report's
    IRI in `by` or with a blank node."""
    out: dict[str, list[Row]] = {}
    for row in rows:
        term = row.get(by)
        if term is None or term.get("type") != "uri" or term["value"] not in known:
            return None
        if any(value.get("type") == "bnode" for value in row.values()):
            return None
        if term["value"] in wanted:
            out.setdefault(term["value"], []).append(row)
    return out


def _store(runs: Runs, reports: list[str]) -> ox.Store:
    """A store of some reports' own graphs and every graph no report owns."""
    names = [*runs.common, *(n for iri in reports for n in runs.graphs.get(iri, ()))]
    return runs.quads.store(names)


def _solutions(store: ox.Store, text: str) -> tuple[list[str], Iterator[Row]]:
    found = store.query(text, use_default_graph_as_union=True)
    assert isinstance(found, ox.QuerySolutions)
    names = [v.value for v in found.variables]
    rows = ({n: sparql_json(s[n]) for n in names if s[n] is not None} for s in found)
    return names, rows


def _key(listing: str, report: str) -> str:
    return hashlib.sha256(f"{listing}\n{report}".encode()).hexdigest()


def _keep(runs: Runs, queries: list[SavedQuery]) -> None:
    """Remove the runs no listing of this build used."""
    sliced = [key(q) for q in queries if sliced_by(q) is not None]
    ReportCache(runs.cache, suffix=ROWS).keep(
        _key(listing, k) for listing in sliced for k in runs.keys.values()
    )


def build_runs(result: BuildResult, iris: Iris, cache: Path) -> Runs | None:
    """The runs' inputs of a build that validated with its cache (None: computed whole)."""
    outcome = result.outcome
    keys = {slug: k for slug, k in outcome.keys.items() if slug != SHARED} if outcome else {}
    return runs_of(result.quads, keys, iris, cache) if keys else None
