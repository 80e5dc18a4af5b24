"""Listings answered from the summaries written at publish: every page and every count is the
one the plain query gives, and a summary of another text is never used."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from edugraph.publish import summaries
from edugraph.query.engines import OxigraphEngine
from edugraph.query.paging import Page
from edugraph.query.queries import SavedQuery, load_queries
from edugraph.query.service import Limits, QueryService
from edugraph.query.summaries import summarised, valid, write_all
from edugraph.resources import resource


@pytest.fixture(scope="module")
def queries() -> dict[str, SavedQuery]:
    return load_queries(Path(resource("queries")))


@pytest.fixture(scope="module")
def version(
    graph_file: Path, queries: dict[str, SavedQuery], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A copy of the published version (the shared one stays without summaries), summarised."""
    copy = tmp_path_factory.mktemp("summarised") / "version"
    shutil.copytree(graph_file.resolve().parent, copy)
    write_all(copy / graph_file.name, queries)
    return copy / graph_file.name


@pytest.fixture(scope="module")
def services(
    version: Path, queries: dict[str, SavedQuery]
) -> Iterator[tuple[QueryService, QueryService]]:
    fast = QueryService(OxigraphEngine(version), queries=queries, limits=Limits())
    live = QueryService(OxigraphEngine(version, disk=False), queries=queries, limits=Limits())
    yield fast, live
    fast.close()
    live.close()


def test_every_listing_without_parameters_is_summarised(
    services: tuple[QueryService, QueryService], queries: dict[str, SavedQuery]
) -> None:
    fast, live = services
    names = {q.name for q in summarised(queries)}
    assert {"observations", "findings", "problems", "reports", "targets"} <= names
    assert set(fast.summaries) == names and not live.summaries
    assert "measures-for-problem" not in names  # a required parameter: always live


@pytest.mark.parametrize("size", [11, 100])
def test_summarised_pages_are_the_plain_querys(
    services: tuple[QueryService, QueryService], queries: dict[str, SavedQuery], size: int
) -> None:
    fast, live = services
    for query in summarised(queries):
        number, last = 1, 1
        while number <= last + 1:  # one past the end: empty, with the count
            a = fast.run(query, page=Page(number, size))
            b = live.run(query, page=Page(number, size))
            assert a.results == b.results, (query.name, number)
            assert a.paged == b.paged, (query.name, number)
            assert a.paged is not None
            last, number = a.paged.last, number + 1


def test_a_parameter_or_an_edited_query_is_answered_live(
    services: tuple[QueryService, QueryService], queries: dict[str, SavedQuery], version: Path
) -> None:
    fast, live = services
    report = fast.results(
        "SELECT ?r WHERE { ?r a <https://w3id.org/edugraph/ontology#SelfEvaluationReport> }"
    )
    iri = report["results"]["bindings"][0]["r"]["value"]
    query = queries["observations"]
    one = fast.run(query, {"report": iri}, page=Page(1, 5))
    assert one.results == live.run(query, {"report": iri}, page=Page(1, 5)).results
    edited = dataclasses.replace(
        query, text=query.text.replace("ORDER BY ?report", "ORDER BY DESC(?report)")
    )
    found = summaries.read(version.parent)
    assert "observations" not in valid(found, {"observations": edited})
    assert "observations" in valid(found, queries)


def test_a_listing_not_summarised_in_time_is_left_live(
    graph_file: Path, queries: dict[str, SavedQuery], tmp_path: Path
) -> None:
    copy = tmp_path / "version"
    shutil.copytree(graph_file.resolve().parent, copy)
    assert write_all(copy / graph_file.name, queries, seconds=0.0) == {}
    assert summaries.read(copy) == {}
