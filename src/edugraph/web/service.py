"""What every route shares: one version of the dataset with its query service
(`edugraph.query.service`, the one query path) and its published files. A route runs queries
only through `Service.run`, which names the client so that admission can share the workers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app, g, has_request_context, request
from rdflib.term import Identifier

from edugraph.query.admission import Admission
from edugraph.query.engines import Engine, Graphs
from edugraph.query.paging import Page
from edugraph.query.queries import SavedQuery
from edugraph.query.service import Query, QueryService
from edugraph.query.tasks import Answer
from edugraph.query.workers import QueryPool
from edugraph.web.published import Published


@dataclass(frozen=True, slots=True)
class Service:
    runner: QueryService  # engine, workers, saved queries, limits
    base_iri: str
    published: Published  # dumps, VoID and docs, made from the dataset file

    @property
    def engine(self) -> Engine:
        """In this process for its version only, never queried here."""
        return self.runner.engine

    @property
    def pool(self) -> QueryPool:
        return self.runner.pool

    @property
    def admission(self) -> Admission:
        assert self.runner.admission is not None  # the server's service always has one
        return self.runner.admission

    @property
    def queries(self) -> Mapping[str, SavedQuery]:
        return self.runner.queries

    @property
    def graphs(self) -> frozenset[str]:
        return self.runner.graphs

    def form(self, query: Query) -> str:
        """ "select", "ask" or "graph", once the query is known to be read-only."""
        return self.runner.form(query)

    def run(
        self,
        query: Query,
        params: Mapping[str, str] | None = None,
        *,
        bindings: Mapping[str, Identifier] | None = None,
        fmt: str = "json",
        base: str | None = None,
        dataset: Graphs | None = None,
        page: Page | None = None,
    ) -> Answer:
        """`QueryService.run` on behalf of this request's client."""
        return self.runner.run(
            query,
            params,
            bindings=bindings,
            fmt=fmt,
            base=base,
            dataset=dataset,
            client=client(),
            page=page,
        )

    def page(
        self, query: SavedQuery, *, page: str | None = None, per_page: str | None = None
    ) -> Page | None:
        """The page a request asks for (`QueryService.page`)."""
        return self.runner.page(query, page=page, per_page=per_page)

    def dataset(self, default: list[str], named: list[str]) -> Graphs | None:
        """The dataset a request names (None: the query's own), of this dataset's graphs only."""
        return self.runner.dataset(default, named)


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
