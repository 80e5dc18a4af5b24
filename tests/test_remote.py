"""The remote engine on real stores: the dataset's default graph whatever the store's, safe
parameters, a version, and one clear error when the store is down, slow or not SPARQL."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

from edugraph.cli import cli
from edugraph.errors import QueryError
from edugraph.query.engines import OxigraphEngine, dataset_version
from edugraph.stores import open_engine
from edugraph.stores.push import push
from edugraph.stores.remote import MANIFEST, RemoteEngine, SparqlClient, StoreError
from tests import stores
from tests.stores import Store
from tests.test_saved_queries import QUERIES

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
HOSTILE = [
    '"',
    "'",
    '"""',
    "{}",
    "} ; DROP ALL ; SELECT * WHERE {",
    '" } ; DROP ALL #',
    "'} } ; CLEAR DEFAULT",
    "a\nb\r\tc",
    "\\",
    "\\u0022",
    "<http://example.org/>",
    "大班额",
    "教育😀",
    "?q",
]


@pytest.fixture(scope="module", params=stores.STORES)
def store(request: pytest.FixtureRequest, graph_file: Path) -> Store:
    store = stores.store(request.param)
    push(graph_file, store=store.query, update_url=store.update, replace=True)
    return store


@pytest.fixture(scope="module")
def embedded(graph_file: Path) -> OxigraphEngine:
    return OxigraphEngine(graph_file)


def count(engine: RemoteEngine | OxigraphEngine) -> int:
    return int(engine.select(COUNT)["results"]["bindings"][0]["n"]["value"])


def test_the_default_graph_is_the_dataset_even_where_the_store_has_none(
    store: Store, embedded: OxigraphEngine
) -> None:
    plain = SparqlClient(store.query).select(COUNT)["results"]["bindings"][0]["n"]["value"]
    if store.name == "oxigraph":
        assert plain == "0"  # Oxigraph server's default graph is not the union of its graphs
    else:
        assert int(plain) > count(embedded)  # Virtuoso's is every graph, its own included
    assert count(RemoteEngine(store.query)) == count(embedded)


def test_the_dataset_and_its_version_come_from_the_manifest(
    store: Store, graph_file: Path, embedded: OxigraphEngine
) -> None:
    engine = RemoteEngine(store.query)
    named = embedded.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert engine.graphs == tuple(sorted(r["g"]["value"] for r in named["results"]["bindings"]))
    source = f"{store.query}\n{dataset_version(graph_file)}"
    assert engine.version == hashlib.sha256(source.encode()).hexdigest()[:16]
    assert RemoteEngine(store.query).version == engine.version


def test_without_a_manifest_graphs_are_found_and_the_version_counts(
    store: Store, graph_file: Path, embedded: OxigraphEngine
) -> None:
    engine = RemoteEngine(store.query, refresh=0)
    with_manifest = engine.version
    client = SparqlClient(store.query)
    stores.update(store, f"DROP SILENT GRAPH <{MANIFEST}>")
    try:
        assert engine.version != with_manifest
        assert engine.version == RemoteEngine(store.query).version  # stable
        assert count(engine) == count(embedded)
        assert len(engine.graphs) == len(RemoteEngine(store.query).graphs)
    finally:
        push(graph_file, store=store.query, update_url=store.update)
    assert client.count(MANIFEST) > 0
    assert engine.version == with_manifest


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_are_bound_as_literals(
    store: Store, embedded: OxigraphEngine, value: str
) -> None:
    engine = RemoteEngine(store.query)
    saved = QUERIES["search"]
    bindings = saved.bind({"q": value})
    remote = engine.select(saved.text, bindings)["results"]["bindings"]
    local = embedded.select(saved.text, bindings)["results"]["bindings"]
    if store.name == "oxigraph" or not local:  # Virtuoso garbles snippets (see the parity test)
        assert remote == local
    assert count(engine) == count(embedded)  # nothing was dropped or cleared


def test_a_value_binds_exactly_and_unicode_survives(store: Store) -> None:
    engine = RemoteEngine(store.query)
    for value in HOSTILE:
        rows = engine.select("SELECT ?v WHERE { BIND(?x AS ?v) }", {"x": Literal(value)})
        assert rows["results"]["bindings"] == [{"v": {"type": "literal", "value": value}}]


def test_a_malformed_iri_is_refused_before_any_request(store: Store) -> None:
    engine = RemoteEngine(store.query)
    saved = QUERIES["measures-for-problem"]
    with pytest.raises(QueryError, match="not a valid IRI"):
        engine.select(saved.text, {"problem": URIRef("http://x/> } ; DROP ALL ; <")})


def test_construct_gives_the_embedded_graph(store: Store, embedded: OxigraphEngine) -> None:
    query = (
        "PREFIX edu: <https://w3id.org/edugraph/ontology#> "
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "CONSTRUCT { ?p rdfs:label ?l } WHERE { ?p a edu:Problem ; rdfs:label ?l }"
    )
    remote = set(RemoteEngine(store.query).graph(query))
    assert remote and remote == set(embedded.graph(query))


def test_a_query_the_store_refuses_is_a_query_error(store: Store) -> None:
    with pytest.raises(QueryError, match="the store refused the query"):
        RemoteEngine(store.query).select("SELECT ?o WHERE { ?s ?p ?o } GROUP BY ?s")


def test_open_engine_opens_a_store_url(store: Store) -> None:
    assert open_engine("oxigraph", store.query).name == "remote"


def test_a_store_that_is_down() -> None:
    url = stores.dead()
    with pytest.raises(StoreError) as caught:
        RemoteEngine(url)
    assert str(caught.value).startswith(f"store {url}: unreachable (")


def test_a_store_that_does_not_answer() -> None:
    started = time.monotonic()
    with stores.silent() as url, pytest.raises(StoreError) as caught:
        RemoteEngine(url, timeout=1)
    assert str(caught.value) == f"store {url}: no answer within 1 s"
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    ("status", "media", "body", "said"),
    [
        (200, "text/html", b"<html>hello</html>", "answered text/html, not SPARQL JSON results"),
        (200, "application/sparql-results+json", b"{nope", "answered JSON that does not parse"),
        (200, "application/sparql-results+json", b'{"a": 1}', "not SPARQL results"),
        (500, "text/plain", b"Internal trouble\nmore", "failed: Internal trouble"),
        (404, "text/plain", b"", "has no SPARQL endpoint at this URL (HTTP 404)"),
        (401, "text/plain", b"", "refused the credentials (HTTP 401)"),
        (503, "text/plain", b"", "answered HTTP 503"),
    ],
)
def test_a_store_that_answers_something_else(
    status: int, media: str, body: bytes, said: str
) -> None:
    with stores.answering(status, media, body) as url, pytest.raises(StoreError) as caught:
        RemoteEngine(f"{url}/sparql")
    message = str(caught.value)
    assert message.startswith(f"store {url}/sparql: ") and said in message
    assert "\n" not in message


def test_a_password_is_never_shown() -> None:
    url = stores.dead()
    with pytest.raises(StoreError) as caught:
        RemoteEngine(url.replace("http://", "http://reader:s3cret@"))
    assert "s3cret" not in str(caught.value) and url in str(caught.value)


def test_query_and_sparql_commands_on_a_store(store: Store) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["query", "problems", "--store", store.query, "--format", "csv"])
    assert result.exit_code == 0 and result.stdout.count("\n") == 6  # header and 5 problems
    ask = "ASK { ?p a <https://w3id.org/edugraph/ontology#Problem> }"
    result = runner.invoke(cli, ["sparql", ask, "--store", store.query, "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["boolean"] is True
    result = runner.invoke(cli, ["sparql", "DROP ALL", "--store", store.query])
    assert result.exit_code == 2 and "DROP is not allowed" in result.stderr


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--store", "ftp://example.org/sparql"], "--store expects the http(s) URL"),
        (["--store", "http://127.0.0.1:1/sparql", "--graph", "x.trig"], "not both"),
    ],
)
def test_query_command_refuses_bad_store_options(args: list[str], said: str) -> None:
    result = CliRunner().invoke(cli, ["query", "problems", *args])
    assert result.exit_code == 2 and said in result.stderr


def test_query_command_on_a_store_that_is_down() -> None:
    url = stores.dead()
    result = CliRunner().invoke(cli, ["query", "problems", "--store", url])
    assert result.exit_code == 3  # could not answer: a store that is down
    assert result.stderr.startswith(f"Error: store {url}: unreachable (")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
