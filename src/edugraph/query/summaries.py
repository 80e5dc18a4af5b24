"""Listings answered from summaries written at publish time (`edugraph.publish.summaries`).

A listing saved query asked without parameters lists the whole dataset, and Oxigraph
evaluates and sorts every solution before it can cut a page: the first page costs as much as
the last, and the count as much again. The dataset changes only at publish, so there each
such listing runs once, in its total order (`paging.ordered_text`), and its rows are written
in that order; a page is then a slice and the count a number. A summary is used only when its
key, the hash of the exact ordered text, is the one the running saved query gives: a query
edited since the build is answered live, never from rows of another text.

Every listing sorts by its report first, so the listing of one report (its only parameter
bound) is a contiguous run of the whole's rows: the summary records each report's run, and
such a page is a slice of that run, its count the run's length."""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib.term import Identifier, URIRef

from edugraph.publish import summaries
from edugraph.publish.store import store_beside
from edugraph.query import postings, rowpages
from edugraph.query.paging import Page, pages
from edugraph.query.queries import SavedQuery
from edugraph.query.tasks import Answer
from edugraph.rdf import sparql_json

Summary = summaries.Summary
SECONDS = 300.0  # the most one listing's summary may take at publish
BY = "report"  # the parameter whose value picks a run of a summary's rows


def key(query: SavedQuery) -> str:
    """What a summary of the query is found by: the hash of the text it runs (its ordered
    text, with the columns its parameters pick rows by: `postings.summary_text`)."""
    text = postings.summary_text(query)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def summarised(queries: Mapping[str, SavedQuery]) -> list[SavedQuery]:
    """The listings worth a summary: those that page and list without any parameter, or
    whose required parameters each pick rows of the whole (`postings.answerable`)."""
    return [q for q in queries.values() if pages(q.text) and (_alone(q) or postings.answerable(q))]


def _alone(query: SavedQuery) -> bool:
    """Whether the query runs with no parameter bound at all (none required, no default)."""
    return not any(p.required or p.default is not None for p in query.params)


def valid(found: Mapping[str, Summary], queries: Mapping[str, SavedQuery]) -> dict[str, Summary]:
    """The summaries that are of these queries' texts as they are now."""
    return {n: s for n, s in found.items() if n in queries and s.key == key(queries[n])}


def write_all(
    dataset: Path, queries: Mapping[str, SavedQuery], *, seconds: float = SECONDS
) -> dict[str, int]:
    """Summarise every listing of `queries` on the store beside `dataset` (in its version
    directory, before it is published); returns each listing's number of rows. Each runs in
    its own process for at most `seconds`: a listing the engine cannot finish in time is
    left unsummarised (answered live), and the build goes on."""
    folder = store_beside(dataset)
    if folder is None:
        return {}
    out = dataset.parent / summaries.SUMMARIES
    for query in summarised(queries):
        bounded(query.name, write_one, (folder, out, query), seconds=seconds)
    return {name: found.total for name, found in summaries.read(dataset.parent).items()}


def bounded(
    name: str, target: Callable[..., None], args: tuple[Any, ...], *, seconds: float
) -> None:
    """Write one listing's summary in a process of its own, stopped after `seconds`: a listing
    not done in time is left unsummarised (answered live) and the build goes on."""
    worker = multiprocessing.get_context("fork").Process(target=target, args=args, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        worker.kill()
        worker.join()
        logging.getLogger(__name__).warning(
            "listing %r not summarised: not done in %.0f s", name, seconds
        )


def write_one(folder: Path, out: Path, query: SavedQuery) -> None:
    """One listing's summary and postings, from the whole store."""
    store = ox.Store.read_only(str(folder))
    names, rows = _solutions(store, postings.summary_text(query))
    recorder = postings.Recorder(query, lambda text: _solutions(store, text)[1])
    kept = recorder.names(query, names)
    by = sliced_by(query)
    summaries.write(out, query.name, key=key(query), names=kept, rows=recorder.rows(rows), by=by)
    recorder.write(out, query.name, key=key(query))


def sliced_by(query: SavedQuery) -> str | None:
    """The column whose runs a summary of the query records: the variable its `report`
    parameter binds, if the query has one and returns it (None: no slices)."""
    found = next((p for p in query.params if p.name == BY), None)
    variable = (found.variable or found.name) if found is not None else None
    return variable if variable in query.variables else None


def rows_for(summary: Summary, bound: Mapping[str, Identifier]) -> tuple[int, int] | None:
    """Which of a summary's rows answer the query with these bindings, as (first, how many):
    all of them when nothing is bound, a report's run when only its report is (none of them
    for an IRI no row has); None when the query must run live."""
    if not bound:
        return 0, summary.total
    if summary.slices is None or summary.by is None or set(bound) != {summary.by}:
        return None
    term = bound[summary.by]
    if not isinstance(term, URIRef):
        return None
    return summary.slices.get(str(term), (0, 0))


def _solutions(store: ox.Store, text: str) -> tuple[list[str], Iterator[dict[str, dict[str, str]]]]:
    """The query's variables and its rows as SPARQL JSON, streamed (as the engine gives them)."""
    found = store.query(text, use_default_graph_as_union=True)
    assert isinstance(found, ox.QuerySolutions)
    names = [v.value for v in found.variables]
    rows = ({n: sparql_json(s[n]) for n in names if s[n] is not None} for s in found)
    return names, rows


def page_of(
    summary: Summary, page: Page, *, within: tuple[int, int], max_rows: int, max_bytes: int
) -> Answer:
    """A page of the run `within` (first row, how many) read from a summary, cut at the row
    and byte limits as a worker cuts it."""
    first, count = within
    wanted = max(0, min(page.size, max_rows, count - page.offset))
    rows = summary.page(first + page.offset, wanted) if wanted else []
    return rowpages.answer_of(summary, rows, max_bytes=max_bytes)
