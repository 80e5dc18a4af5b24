"""What every route shares: the worker pool, the saved queries and the limits. Every query
that leaves here has passed the read-only check and runs in a worker under the timeout."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app
from rdflib.term import Identifier

from edugraph.query.engines import Engine
from edugraph.query.queries import SavedQuery
from edugraph.query.safety import check
from edugraph.query.workers import Answer, QueryPool, Task
from edugraph.web.published import Published

GRAPH_NAMES = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"


@dataclass(frozen=True, slots=True)
class Service:
    engine: Engine  # in this process: for its version only, never queried here
    pool: QueryPool
    queries: Mapping[str, SavedQuery]
    graphs: frozenset[str]
    base_iri: str
    timeout: float
    max_rows: int
    published: Published  # dumps, VoID and docs, made from the dataset file

    def form(self, query: str) -> str:
        """The query's form, "select" (SELECT, ASK) or "graph" (CONSTRUCT, DESCRIBE), once it
        is known to be read-only: an update is refused as such, not as "not a query"."""
        return checked(query, self.graphs)[1]

    def run(
        self,
        query: str,
        *,
        bindings: Mapping[str, Identifier] | None = None,
        fmt: str = "json",
    ) -> Answer:
        """Check the query is read-only and local, then run it in a worker."""
        text, form = checked(query, self.graphs)
        task = Task(text, form, dict(bindings or {}), fmt, self.max_rows)
        return self.pool.run(task, timeout=self.timeout)


@functools.lru_cache(maxsize=512)
def checked(query: str, graphs: frozenset[str]) -> tuple[str, str]:
    """The text to run (as the check parsed it) and its form, "select" or "graph";
    remembered, as saved queries come again and again."""
    found = check(query, graphs=graphs)
    return found.text, "graph" if found.form in ("CONSTRUCT", "DESCRIBE") else "select"


def graph_names(engine: Engine) -> frozenset[str]:
    """The dataset's named graphs: the only ones a query may name in FROM."""
    known = getattr(engine, "graphs", None)  # a remote engine has read them already
    if isinstance(known, tuple):
        return frozenset(str(g) for g in known)
    results = engine.select(GRAPH_NAMES)
    return frozenset(row["g"]["value"] for row in results["results"]["bindings"] if "g" in row)


def service() -> Service:
    found: Service = current_app.extensions["edugraph"]
    return found
