"""`edugraph push`: graph by graph through the Graph Store Protocol or SPARQL Update, in
chunks, idempotent, and a failure that says exactly what state it left."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from edugraph.cli import cli
from edugraph.stores.push import STAGING, GraphData, Progress, PushError, push, read_dataset
from edugraph.stores.remote import MANIFEST, SparqlClient
from tests import stores
from tests.stores import Store

CHUNK = 700  # small enough that the larger graphs go in several chunks
EXTRA = "<urn:test:s> <urn:test:p> <urn:test:o> ."


@pytest.fixture(scope="module")
def graphs(graph_file: Path) -> list[GraphData]:
    return read_dataset(graph_file, chunk=CHUNK)


def held(store: Store, graphs: list[GraphData]) -> dict[str, int]:
    client = SparqlClient(store.query)
    return {g.iri: client.count(g.iri) for g in graphs}


def sent(graphs: list[GraphData]) -> dict[str, int]:
    return {g.iri: g.triples for g in graphs}


def empty(store: Store) -> None:
    stores.update(store, "DROP ALL" if store.name == "oxigraph" else _drop_each(store))


def _drop_each(store: Store) -> str:
    rows = SparqlClient(store.query).select(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
        'FILTER(STRSTARTS(STR(?g), "https://w3id.org/edugraph/") || STRSTARTS(STR(?g), "urn:"))}'
    )
    return " ;\n".join(
        f"DROP SILENT GRAPH <{r['g']['value']}>" for r in rows["results"]["bindings"]
    )


def test_chunks_keep_each_blank_node_whole(graphs: list[GraphData]) -> None:
    with_blanks = [g for g in graphs if g.blank]
    assert with_blanks, "the ontology has blank nodes (OWL restrictions, lists)"
    for graph in graphs:
        labels: dict[str, set[int]] = {}
        for i, chunk in enumerate(graph.chunks):
            for label in re.findall(r"_:\w+", chunk):
                labels.setdefault(label, set()).add(i)
        assert all(len(chunks) == 1 for chunks in labels.values())
        lines = sum(chunk.count(" .\n") for chunk in graph.chunks)
        assert lines == graph.triples
    assert any(len(g.chunks) > 1 for g in graphs)


def writes(store: Store, protocol: str) -> dict[str, str]:
    if protocol == "update":
        return {"update_url": store.update}
    return {"graph_store": store.graph_store}


@pytest.mark.parametrize("name", stores.STORES)
@pytest.mark.parametrize("protocol", ["graph_store", "update"])
@pytest.mark.slow
def test_pushing_twice_gives_the_same_store(
    name: str, protocol: str, graph_file: Path, graphs: list[GraphData]
) -> None:
    store = stores.store(name)
    empty(store)
    first = push(graph_file, store=store.query, chunk=CHUNK, **writes(store, protocol))
    assert held(store, graphs) == sent(graphs)
    second = push(graph_file, store=store.query, chunk=CHUNK, **writes(store, protocol))
    assert held(store, graphs) == sent(graphs)  # blank-node graphs replaced, not doubled
    assert first.triples == second.triples == sum(sent(graphs).values())
    assert SparqlClient(store.query).count(MANIFEST) == len(graphs) + 1


@pytest.mark.parametrize("name", stores.STORES)
@pytest.mark.parametrize("protocol", ["graph_store", "update"])
@pytest.mark.slow
def test_replace_drops_what_the_dataset_no_longer_has(
    name: str, protocol: str, graph_file: Path, graphs: list[GraphData]
) -> None:
    store = stores.store(name)
    kwargs = writes(store, protocol)
    push(graph_file, store=store.query, chunk=CHUNK, **kwargs)
    big = max(graphs, key=lambda g: g.triples)
    stores.update(store, f"INSERT DATA {{ GRAPH <{big.iri}> {{ {EXTRA} }} }}")
    push(graph_file, store=store.query, chunk=CHUNK, **kwargs)
    assert held(store, [big])[big.iri] == big.triples + 1  # adding keeps other triples
    progress = io.StringIO()
    push(
        graph_file,
        store=store.query,
        chunk=CHUNK,
        replace=True,
        progress=Progress(progress, bar=False),
        **kwargs,
    )
    assert held(store, graphs) == sent(graphs)
    lines = progress.getvalue().splitlines()
    assert len(lines) == sum(len(g.chunks) for g in graphs)
    assert lines[-1].startswith(f"[{len(lines)}/{len(lines)}] ")
    staging = SparqlClient(store.query).select(
        f'ASK {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{STAGING}")) }}'
    )
    assert staging["boolean"] is False


def test_a_progress_bar_on_a_terminal() -> None:
    out = io.StringIO()
    progress = Progress(out, bar=True)
    graph = GraphData("https://w3id.org/edugraph/graph/x", ("a", "b"), 2, False)
    progress.start(2)
    progress.advance(graph, 1)
    progress.advance(graph, 2)
    progress.finish()
    frames = out.getvalue().split("\r")
    assert frames[1].startswith("[" + "#" * 15 + "." * 15 + "] 1/2 ")
    assert frames[2].startswith("[" + "#" * 30 + "] 2/2 ") and frames[2].endswith("\n")


def _first_multi(graphs: list[GraphData]) -> int:
    return next(i for i, g in enumerate(graphs) if len(g.chunks) > 1 and not g.blank)


def _update_writes(graphs: list[GraphData], *, replace: bool) -> int:
    """Requests an update push sends for these graphs: a chunked replacement also drops its
    scratch graph first and MOVEs it in last."""
    n = 0
    for g in graphs:
        chunks = len(g.chunks)
        n += chunks + 2 if (replace or g.blank) and chunks > 1 else chunks
    return n


def test_a_graph_store_push_that_fails_mid_graph_says_it_is_half_replaced(
    graph_file: Path, graphs: list[GraphData]
) -> None:
    store = stores.oxigraph()
    empty(store)
    at = _first_multi(graphs)
    failing = graphs[at]
    before = sum(len(g.chunks) for g in graphs[:at])
    server = store.graph_store.rsplit("/", 1)[0]
    with (
        stores.failing_proxy(server, fail_at=1 + before + 2) as proxy,
        pytest.raises(PushError) as caught,
    ):
        push(graph_file, store=store.query, graph_store=f"{proxy}/store", chunk=CHUNK, replace=True)
    message = str(caught.value)
    n = len(failing.chunks)
    assert f"push failed at graph <{failing.iri}>: " in message
    assert "answered HTTP 500: injected failure" in message
    assert f"HALF-REPLACED: its old content is gone and 1 of {n} chunks" in message
    assert f"fully pushed: {at} (<{graphs[0].iri}>" in message
    assert f"untouched: {len(graphs) - at - 1} (<{graphs[at + 1].iri}>" in message
    counts = held(store, graphs)  # the store is as the message says
    assert [counts[g.iri] for g in graphs[:at]] == [g.triples for g in graphs[:at]]
    assert 0 < counts[failing.iri] < failing.triples
    assert all(counts[g.iri] == 0 for g in graphs[at + 1 :])
    assert SparqlClient(store.query).count(MANIFEST) == 0


@pytest.mark.slow
def test_an_update_push_that_fails_mid_graph_keeps_the_old_graph(
    graph_file: Path, graphs: list[GraphData]
) -> None:
    store = stores.oxigraph()
    push(graph_file, store=store.query, update_url=store.update, replace=True)
    at = _first_multi(graphs)
    failing = graphs[at]
    stores.update(store, f"INSERT DATA {{ GRAPH <{failing.iri}> {{ {EXTRA} }} }}")
    before = _update_writes(graphs[:at], replace=True)
    server = store.update.rsplit("/", 1)[0]
    # writes: drop the manifest, earlier graphs, drop the scratch graph, chunk 1, chunk 2 fails
    with (
        stores.failing_proxy(server, fail_at=1 + before + 3) as proxy,
        pytest.raises(PushError) as caught,
    ):
        push(graph_file, store=store.query, update_url=f"{proxy}/update", chunk=CHUNK, replace=True)
    message = str(caught.value)
    assert (
        f"that graph is not replaced (its old content is kept; its new content was being "
        f"staged, 1 of {len(failing.chunks)} chunks in)" in message
    )
    assert held(store, [failing])[failing.iri] == failing.triples + 1  # the old content, whole
    assert SparqlClient(store.query).count(STAGING + failing.iri) == 0  # scratch graph dropped


@pytest.mark.slow
def test_an_adding_push_that_fails_says_how_far_it_got(
    graph_file: Path, graphs: list[GraphData]
) -> None:
    store = stores.oxigraph()
    empty(store)
    at = _first_multi(graphs)
    before = _update_writes(graphs[:at], replace=False)
    server = store.update.rsplit("/", 1)[0]
    with (
        stores.failing_proxy(server, fail_at=1 + before + 2) as proxy,
        pytest.raises(PushError) as caught,
    ):
        push(graph_file, store=store.query, update_url=f"{proxy}/update", chunk=CHUNK)
    n = len(graphs[at].chunks)
    assert f"that graph is partly added (1 of {n} chunks); push again to complete it" in str(
        caught.value
    )
    push(graph_file, store=store.query, update_url=store.update, chunk=CHUNK)
    assert held(store, graphs) == sent(graphs)  # pushing again completes it


def test_a_push_to_a_store_that_hangs_says_the_write_may_still_land(graph_file: Path) -> None:
    store = stores.oxigraph()
    with stores.silent() as url, pytest.raises(PushError) as caught:
        push(graph_file, store=store.query, graph_store=url, timeout=1)
    message = str(caught.value)
    assert message.startswith(f"push failed: store {url}: no answer within 1 s; nothing was")
    assert "the store may still apply it" in message


def test_push_command(graph_file: Path, graphs: list[GraphData]) -> None:
    store = stores.oxigraph()
    args = ["push", "--store", store.query, "--graph", str(graph_file), "--chunk", str(CHUNK)]
    result = CliRunner().invoke(cli, [*args, "--graph-store", store.graph_store, "--replace"])
    assert result.exit_code == 0, result.stderr
    total = sum(g.triples for g in graphs)
    assert re.fullmatch(
        rf"pushed {len(graphs)} graph\(s\), {total} triples in [\d.]+ s by graph store protocol "
        r"\(replace\)\n",
        result.stdout,
    )
    assert result.stderr.count(" chunk ") == sum(len(g.chunks) for g in graphs)
    both = CliRunner().invoke(
        cli, [*args, "--graph-store", "http://a/", "--update-url", "http://b/"]
    )
    assert both.exit_code == 2 and "not both" in both.stderr


def test_push_command_failure_is_one_line(graph_file: Path) -> None:
    store = stores.oxigraph()
    server = store.graph_store.rsplit("/", 1)[0]
    with stores.failing_proxy(server, fail_at=2) as proxy:
        result = CliRunner().invoke(
            cli,
            [
                *("push", "--store", store.query, "--graph", str(graph_file)),
                *("--graph-store", f"{proxy}/store"),
            ],
        )
    assert result.exit_code == 3  # could not answer: the store failed
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "Traceback" not in result.stderr
    assert errors[0].startswith("Error: push failed at graph <")
