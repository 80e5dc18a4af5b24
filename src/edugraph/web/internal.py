"""The queries the site's own pages run (a resource's page, a form's choices): SPARQL kept as
`.rq` files in `queries/internal/`, beside the saved queries but not among them, so the API
and the query index do not list them. They are loaded and checked as saved queries are, and
their parameters bound as RDF terms the same way.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

from rdflib import URIRef

from edugraph.errors import QueryError
from edugraph.query.queries import SavedQuery, get_query, load_queries
from edugraph.query.results import rows
from edugraph.rdf import sparql_term
from edugraph.resources import resource
from edugraph.web.service import Service

Row = dict[str, dict[str, str]]
EMPTY_VALUES = "VALUES ?x { }"  # the block `labels.rq` leaves for the page to fill


@functools.cache
def internal_queries() -> Mapping[str, SavedQuery]:
    """The internal queries, read once: they ship with the code, not with a deployment."""
    return load_queries(resource("queries", "internal"))


def internal(name: str) -> SavedQuery:
    return get_query(internal_queries(), name)


def select(svc: Service, name: str, **values: str) -> tuple[list[Row], bool]:
    """The rows of an internal SELECT with its parameters bound, and whether they were cut."""
    query = internal(name)
    answer = svc.run(query.text, bindings=query.bind(values))
    assert answer.results is not None
    return rows(answer.results), answer.truncated


def with_values(name: str, iris: Iterable[str]) -> str:
    """An internal query's text with its empty `VALUES ?x { }` filled with IRIs, each
    written as an escaped term: a list cannot be bound as one parameter."""
    text = internal(name).text
    if EMPTY_VALUES not in text:
        raise QueryError(f"internal query {name!r} has no {EMPTY_VALUES!r} to fill")
    filled = " ".join(sparql_term(URIRef(iri)) for iri in iris)
    return text.replace(EMPTY_VALUES, f"VALUES ?x {{ {filled} }}", 1)
