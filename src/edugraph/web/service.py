"""What every route shares: the worker pool, the saved queries and the limits. Every query
that leaves here has passed the read-only check and runs in a worker under the timeout."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app, g, has_request_context, request
from rdflib.term import Identifier

from edugraph.errors import QueryError
from edugraph.query.admission import Admission
from edugraph.query.engines import Engine, Graphs
from edugraph.query.queries import SavedQuery
from edugraph.query.safety import check
from edugraph.query.workers import Answer, QueryPool, Task
from edugraph.web.published import Published

GRAPH_NAMES = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"


@dataclass(frozen=True, slots=True)
class Service:
    engine: Engine  # in this process: for its version only, never queried here
    pool: QueryPool
    admission: Admission  # who may wait for a worker, and for how long
    queries: Mapping[str, SavedQuery]
    graphs: frozenset[str]
    base_iri: str
    timeout: float
    max_rows: int
    max_bytes: int
    published: Published  # dumps, VoID and docs, made from the dataset file

    def form(self, query: str) -> str:
        """The query's kind of result, "select" (SELECT), "ask" (ASK) or "graph" (CONSTRUCT,
        DESCRIBE), once it is known to be read-only: an update is refused as such, not as
        "not a query"."""
        return checked(query, self.graphs, None)[1]

    def run(
        self,
        query: str,
        *,
        bindings: Mapping[str, Identifier] | None = None,
        fmt: str = "json",
        base: str | None = None,
        dataset: Graphs | None = None,
    ) -> Answer:
        """Check the query is read-only and local, then run it in a worker. `base` resolves
        its relative IRIs; `dataset` replaces its FROM clauses."""
        text, kind = checked(query, self.graphs, base)
        form = "graph" if kind == "graph" else "select"
        task = Task(text, form, dict(bindings or {}), fmt, self.max_rows, dataset, self.max_bytes)
        with self.admission.enter(client()):
            return self.pool.run(task, timeout=self.timeout)

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


KINDS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


@functools.lru_cache(maxsize=512)
def checked(query: str, graphs: frozenset[str], base: str | None) -> tuple[str, str]:
    """The text to run (as the check parsed it) and its kind, "select", "ask" or "graph";
    remembered, as saved queries come again and again."""
    found = check(query, graphs=graphs, base=base)
    return found.text, KINDS[found.form]


def graph_names(engine: Engine) -> frozenset[str]:
    """The dataset's named graphs: the only ones a query may name in FROM."""
    known = getattr(engine, "graphs", None)  # a remote engine has read them already
    if isinstance(known, tuple):
        return frozenset(str(g) for g in known)
    results = engine.select(GRAPH_NAMES)
    return frozenset(row["g"]["value"] for row in results["results"]["bindings"] if "g" in row)


def client() -> str:
    """Who asks: the request's address (behind a proxy, set waitress's trusted_proxy)."""
    return (request.remote_addr or "") if has_request_context() else ""


def service() -> Service:
    """The service this request answers from: one version of the dataset for the whole
    request, even if a new one is swapped in meanwhile (`edugraph.web.live`)."""
    if "edugraph_service" not in g:
        g.edugraph_service = current_app.extensions["edugraph"].current()
    found: Service = g.edugraph_service
    return found
