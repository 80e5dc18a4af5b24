"""Read-only SPARQL: updates and outbound requests refused, harmless look-alikes accepted."""

from __future__ import annotations

import pytest

from edugraph.errors import QueryError
from edugraph.query.safety import check, read_only

GRAPH = "https://w3id.org/edugraph/graph/report/chongqing-2020"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("INSERT DATA { <a:b> <a:c> <a:d> }", "INSERT"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE"),
        ("LOAD <http://example.org/data.ttl>", "LOAD"),
        ("CLEAR ALL", "CLEAR"),
        ("DROP GRAPH <a:g>", "DROP"),
        ("prefix x: <a:> insert { ?s ?p ?o } where { ?s ?p ?o }", "INSERT"),
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("select * where { service silent <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        (
            "SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }",
            "FROM <http://example.org/remote.ttl>",
        ),
        (
            "SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
            "FROM <http://example.org/g>",
        ),
    ],
)
def test_refused(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message.replace("(", r"\(")):
        read_only(query, graphs={GRAPH})


@pytest.mark.parametrize(
    "query",
    [
        'SELECT ?s WHERE { ?s ?p "INSERT DATA and SERVICE and FROM <http://x>" }',
        "SELECT ?service ?delete WHERE { ?service <a:load> ?delete } # DROP ALL in a comment",
        "PREFIX service: <https://example.org/> SELECT * WHERE { ?s service:insert ?o }",
        f"SELECT * FROM <{GRAPH}> WHERE {{ ?s ?p ?o }}",
        "ASK { ?s ?p ?o }",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1",
    ],
)
def test_accepted(query: str) -> None:
    assert read_only(query, graphs={GRAPH}) == query


def test_overlong_query_is_refused() -> None:
    with pytest.raises(QueryError, match="longer than"):
        read_only("SELECT * WHERE { ?s ?p ?o }" + " " * 30_000)


@pytest.mark.slow
def test_checks_in_many_threads_at_once_agree() -> None:
    """The server checks queries in its threads; the parser must not be shared mid-parse."""
    from concurrent.futures import ThreadPoolExecutor

    def form(i: int) -> str:
        return check(
            "PREFIX e: <https://example.org/> SELECT ?s (COUNT(?o) AS ?n) WHERE "
            f"{{ ?s e:p{i} ?o FILTER(?o > {i}) OPTIONAL {{ ?s e:q ?x }} }} GROUP BY ?s LIMIT {i + 1}"
        ).form

    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(form, range(300))) == {"SELECT"}
