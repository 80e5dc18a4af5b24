"""The one query path. The command line, every HTTP route and the resource pages run a saved
or ad-hoc query through `QueryService.run`, so on every surface a query is checked read-only
on its parse tree, its parameters are bound as terms, and it runs in a worker process under
the same limits: time, rows, bytes and memory."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib.term import Identifier

from edugraph.errors import QueryError
from edugraph.publish import summaries
from edugraph.query import postings, rowpages, shortforms
from edugraph.query.admission import Admission
from edugraph.query.cache import ResultCache
from edugraph.query.engines import Engine, Graphs, Results
from edugraph.query.paging import Page, Paged, count_text, page_text, pages, parse_page
from edugraph.query.queries import SavedQuery, get_query
from edugraph.query.safety import check
from edugraph.query.summaries import Summary, valid
from edugraph.query.tasks import Answer, Task
from edugraph.query.workers import QueryPool

GRAPH_NAMES = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"
Query = SavedQuery | str  # a saved query, or SPARQL text
COUNTS_BYTES = 1_000_000  # about 1,500 counts of listing queries
KINDS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


@dataclass(frozen=True, slots=True)
class Limits:
    """What one query may take, whichever surface sent it."""

    timeout: float = 10.0  # seconds; the worker is killed after it
    max_rows: int = 10_000  # more rows (or triples) are cut, and the answer says so
    max_bytes: int = 20_000_000  # about the most the result may take in any format
    memory_mb: int = 1024  # beyond the loaded dataset, per worker (0: no cap)

    @classmethod
    def from_settings(cls, config: Mapping[str, Any]) -> Limits:
        return cls(
            timeout=float(config["query_timeout"]),
            max_rows=int(config["max_rows"]),
            max_bytes=int(config["max_response_bytes"]),
            memory_mb=int(config["query_memory"]),
        )


class QueryService:
    """An engine with its worker processes, the saved queries and the limits. `admission`
    (the server's) decides who may wait for a worker; the command line has one client."""

    def __init__(
        self,
        engine: Engine,
        *,
        queries: Mapping[str, SavedQuery],
        limits: Limits,
        workers: int = 1,
        admission: Admission | None = None,
        page_size: int = 100,
        cache_bytes: int = 0,
    ) -> None:
        self.engine = engine
        self.queries = queries
        self.limits = limits
        self.admission = admission
        self.page_size = page_size  # for listing queries without a `pagination` header
        self.cache = ResultCache(max_bytes=cache_bytes)
        self.counts = ResultCache(max_bytes=COUNTS_BYTES)  # always: a page's count is asked again
        self.graphs = graph_names(engine)  # before the workers exist: the store is idle
        self.summaries = listing_summaries(engine, queries)
        # each summary's postings, read before the workers fork (R = 300: 8 ms for all)
        self.keys = {name: postings.read_keys(found) for name, found in self.summaries.items()}
        self.pool = QueryPool(engine, size=workers, memory_mb=limits.memory_mb)

    def saved(self, name: str) -> SavedQuery:
        """The saved query of this name; NotFound suggests the nearest names."""
        return get_query(self.queries, name)

    def form(self, query: Query) -> str:
        """The query's kind of result, "select", "ask" or "graph" (CONSTRUCT, DESCRIBE), once
        it is known to be read-only: an update is refused as such, not as "not a query"."""
        if isinstance(query, SavedQuery):
            found = self.summaries.get(query.name)
            if found is not None and valid({"q": found}, {"q": query}):
                return "select"  # this text ran as a SELECT at publish: known without a parse
        text = query.text if isinstance(query, SavedQuery) else query
        return checked(text, self.graphs, None)[1]

    def page(
        self, query: SavedQuery, *, page: str | None = None, per_page: str | None = None
    ) -> Page | None:
        """The page a request asks for (strings from a URL or a command line), by default the
        first; None for a query that does not list (not a SELECT, or its own LIMIT)."""
        if not pages(query.text):
            if page is not None or per_page is not None:
                raise QueryError(f"parameter 'page': query {query.name!r} does not page")
            return None
        size = min(query.pagination or self.page_size, self.limits.max_rows)
        return parse_page(page, per_page, default_size=size, max_size=self.limits.max_rows)

    def run(
        self,
        query: Query,
        params: Mapping[str, str] | None = None,
        *,
        bindings: Mapping[str, Identifier] | None = None,
        fmt: str = "json",
        base: str | None = None,
        dataset: Graphs | None = None,
        client: str = "",
        page: Page | None = None,
    ) -> Answer:
        """Run a saved query with `params` (strings, bound by its typed parameters), or query
        text with `bindings` (terms); `base` resolves relative IRIs, `dataset` replaces the
        query's FROM clauses, `page` (a saved query's) cuts the solutions to one page and
        counts them all. Answers are cut at the row and byte limits."""
        text, bound = self._bound(query, params, bindings)
        if page is None:
            return self._execute(text, bound, fmt=fmt, base=base, dataset=dataset, client=client)
        if not isinstance(query, SavedQuery):
            raise QueryError("only a saved query pages; write LIMIT and OFFSET instead")
        summary = self.summaries.get(query.name) if dataset is None else None
        chosen = self._chosen(query.name, summary, bound) if summary is not None else None
        if summary is not None and chosen is not None:
            return self._summarised(query.name, summary, page, chosen, bound)
        paged = page_text(text, query.variables, page)
        answer = self._execute(paged, bound, fmt=fmt, base=base, dataset=dataset, client=client)
        total = self._total(text, bound, page, answer, client=client)
        rows = len(answer.results["results"]["bindings"]) if answer.results else 0
        return dataclasses.replace(answer, paged=Paged(page, rows, total))

    def _chosen(
        self, name: str, summary: Summary, bound: Mapping[str, Identifier]
    ) -> Sequence[int] | None:
        """The summary's rows that answer the bindings (None: run live)."""
        return postings.select(summary, self.keys.get(name), bound)

    def _summarised(
        self,
        name: str,
        summary: Summary,
        page: Page,
        rows: Sequence[int],
        bound: Mapping[str, Identifier],
    ) -> Answer:
        """A page of a listing, or of the part of it some parameters pick, read from its
        summary: no worker, no evaluation of the listing."""
        limits, keys = self.limits, self.keys.get(name)
        answer = rowpages.page_at(
            summary,
            page,
            rows,
            max_rows=limits.max_rows,
            max_bytes=limits.max_bytes,
            search=keys.search if keys is not None else None,
            bound=bound,
        )
        found = len(answer.results["results"]["bindings"]) if answer.results else 0
        return dataclasses.replace(answer, paged=Paged(page, found, len(rows)))

    def _total(
        self, text: str, bound: Mapping[str, Identifier], page: Page, answer: Answer, *, client: str
    ) -> int:
        """All the solutions' number: known from a short page, else counted."""
        rows = len(answer.results["results"]["bindings"]) if answer.results else 0
        if not answer.truncated and rows < page.size and (rows or page.number == 1):
            return page.offset + rows
        counted = self._execute(
            count_text(text, bound), {}, fmt="json", client=client, cache=self.counts
        )
        found = counted.results["results"]["bindings"] if counted.results else []
        return int(found[0]["total"]["value"]) if found and "total" in found[0] else 0

    def _execute(
        self,
        text: str,
        bound: Mapping[str, Identifier],
        *,
        fmt: str,
        client: str,
        base: str | None = None,
        dataset: Graphs | None = None,
        cache: ResultCache | None = None,
    ) -> Answer:
        text, kind = checked(text, self.graphs, base)
        cache = self.cache if cache is None else cache  # (an empty cache is falsy)
        limits = self.limits
        form = "graph" if kind == "graph" else "select"
        task = Task(text, form, dict(bound), fmt, limits.max_rows, dataset, limits.max_bytes)
        version, key = self.engine.version, cache_key(task)
        found = cache.get(version, key) if cache.max_bytes else None
        if found is not None:
            return found
        with self._admitted(client):
            answer = self.pool.run(task, timeout=limits.timeout)
        if cache.max_bytes:
            cache.put(version, key, answer)
        return answer

    def _bound(
        self,
        query: Query,
        params: Mapping[str, str] | None,
        bindings: Mapping[str, Identifier] | None,
    ) -> tuple[str, dict[str, Identifier]]:
        if not isinstance(query, SavedQuery):
            if params:
                raise QueryError("parameters are for saved queries; bind terms instead")
            return query, dict(bindings or {})
        return query.text, {**query.bind(dict(params or {})), **(bindings or {})}

    @contextlib.contextmanager
    def _admitted(self, client: str) -> Iterator[None]:
        if self.admission is None:
            yield
            return
        with self.admission.enter(client):
            yield

    def results(self, text: str, bindings: Mapping[str, Identifier] | None = None) -> Results:
        """The SELECT or ASK results of query text (run like any other, under the limits)."""
        answer = self.run(text, bindings=bindings)
        if answer.results is None:
            raise QueryError("expected a SELECT or ASK query")
        return answer.results

    def expand(self, query: SavedQuery, values: Mapping[str, str], *, base: str) -> dict[str, str]:
        """The values with short forms, prefixed names and labels of IRI parameters replaced
        by full IRIs (`edugraph.query.shortforms`)."""
        return shortforms.expand(query, values, base=base, lookup=self.results)

    def dataset(self, default: list[str], named: list[str]) -> Graphs | None:
        """The dataset a request names (None: the query's own), of this dataset's graphs only."""
        if not default and not named:
            return None
        for iri in (*default, *named):
            if iri not in self.graphs:
                raise QueryError(
                    f"<{iri}> is not a graph of this dataset: default-graph-uri and "
                    "named-graph-uri name the dataset's own graphs (none is fetched from elsewhere)"
                )
        return Graphs(tuple(default), tuple(named))

    def close(self) -> None:
        """Stop the worker processes."""
        self.pool.close()

    def __enter__(self) -> QueryService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def cache_key(task: Task) -> Hashable:
    """What an answer depends on beside the dataset: the text that runs, its terms, the
    limits, and the format only for a graph (results are written out after the cache)."""
    terms = tuple(sorted((name, term.n3()) for name, term in task.bindings.items()))
    fmt = task.fmt if task.form == "graph" else ""
    return (task.query, task.form, terms, fmt, task.max_rows, task.max_bytes, task.dataset)


@functools.lru_cache(maxsize=512)
def checked(query: str, graphs: frozenset[str], base: str | None) -> tuple[str, str]:
    """The text to run (as the check parsed it) and its kind, "select", "ask" or "graph";
    remembered, as saved queries come again and again."""
    found = check(query, graphs=graphs, base=base)
    return found.text, KINDS[found.form]


def listing_summaries(engine: Engine, queries: Mapping[str, SavedQuery]) -> dict[str, Summary]:
    """The summaries published beside the engine's on-disk store that match these queries
    (none for an engine without one: it answers every page live)."""
    folder = getattr(engine, "folder", None)
    if not isinstance(folder, Path):
        return {}
    return valid(summaries.read(folder.parent), queries)


def graph_names(engine: Engine) -> frozenset[str]:
    """The dataset's named graphs: the only ones a query may name in FROM."""
    known = getattr(engine, "graphs", None)  # a remote engine has read them already
    if isinstance(known, tuple):
        return frozenset(str(g) for g in known)
    results = engine.select(GRAPH_NAMES)
    return frozenset(row["g"]["value"] for row in results["results"]["bindings"] if "g" in row)
