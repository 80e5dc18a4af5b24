"""Listings answered from the summaries written at publish: every page and every count is the
one the plain query gives, for the whole listing and for one report's, and a summary of
another text is never used. On the site's dataset: two reports, so a report's run is a part."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from edugraph.publish import summaries
from edugraph.query.engines import OxigraphEngine
from edugraph.query.paging import Page
from edugraph.query.queries import SavedQuery, load_queries
from edugraph.query.service import Limits, QueryService
from edugraph.query.summaries import rows_for, sliced_by, summarised, valid, write_all
from edugraph.resources import resource

ID = "https://w3id.org/edugraph/id/"


@pytest.fixture(scope="module")
def queries() -> dict[str, SavedQuery]:
    return load_queries(Path(resource("queries")))


@pytest.fixture(scope="module")
def version(
    site_file: Path, queries: dict[str, SavedQuery], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A copy of the published version (the shared one stays without summaries), summarised."""
    copy = tmp_path_factory.mktemp("summarised") / "version"
    shutil.copytree(site_file.resolve().parent, copy)
    write_all(copy / site_file.name, queries)
    return copy / site_file.name


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
    assert "measures-for-problem" in names  # its parameter picks rows of the whole
    assert "search" in names  # its text is a scan of the summary's texts


@pytest.mark.parametrize("size", [11, 100])
def test_summarised_pages_are_the_plain_querys(
    services: tuple[QueryService, QueryService], queries: dict[str, SavedQuery], size: int
) -> None:
    fast, live = services
    for query in summarised(queries):
        if any(p.required for p in query.params):
            continue  # never asked for the whole: tests/test_paging_postings.py
        number, last = 1, 1
        while number <= last + 1:  # one past the end: empty, with the count
            a = fast.run(query, page=Page(number, size))
            b = live.run(query, page=Page(number, size))
            assert a.results == b.results, (query.name, number)
            assert a.paged == b.paged, (query.name, number)
            assert a.paged is not None
            last, number = a.paged.last, number + 1


def walk(
    services: tuple[QueryService, QueryService], query: SavedQuery, params: dict[str, str]
) -> int:
    """Every page of one binding, and one past the end, from both services; how many rows."""
    fast, live = services
    number, last, rows = 1, 1, 0
    while number <= last + 1:
        a = fast.run(query, params, page=Page(number, 7))
        b = live.run(query, params, page=Page(number, 7))
        assert a.results == b.results, (query.name, params, number)
        assert a.paged == b.paged and a.paged is not None, (query.name, params, number)
        rows += len(a.results["results"]["bindings"]) if a.results else 0
        last, number = a.paged.last, number + 1
    return rows


def test_one_reports_pages_are_a_run_of_the_summary_and_the_plain_querys(
    services: tuple[QueryService, QueryService],
    queries: dict[str, SavedQuery],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast, _ = services
    alone = [q for q in summarised(queries) if not any(p.required for p in q.params)]
    sliced = [q for q in alone if sliced_by(q) is not None]
    assert {"observations", "findings", "problem-responses", "bodies"} <= {q.name for q in sliced}
    reports = fast.results(
        "SELECT ?r WHERE { ?r a <https://w3id.org/edugraph/ontology#SelfEvaluationReport> }"
    )["results"]["bindings"]
    iris = [r["r"]["value"] for r in reports]
    assert len(iris) == 2
    monkeypatch.setattr(fast, "_execute", None)  # a report's page must not run the query
    for query in sliced:
        summary = fast.summaries[query.name]
        assert summary.slices is not None, query.name  # every report's rows are contiguous
        counts = [walk(services, query, {"report": iri}) for iri in iris]
        assert counts == [summary.slices.get(iri, (0, 0))[1] for iri in iris], query.name
        assert walk(services, query, {"report": "https://example.org/no-report"}) == 0
    assert any(fast.summaries[q.name].slices for q in sliced)  # some report has rows


def test_another_parameter_or_an_edited_query_is_answered_live(
    services: tuple[QueryService, QueryService], queries: dict[str, SavedQuery], version: Path
) -> None:
    fast, live = services
    query = queries["observations"]
    summary = fast.summaries["observations"]
    report = URIRef(next(iter(summary.slices or {})))
    assert rows_for(summary, {}) == (0, summary.total)
    assert rows_for(summary, {"report": report}) == (summary.slices or {})[str(report)]
    assert rows_for(summary, {"report": report, "stage": URIRef(f"{ID}stage/preschool")}) is None
    assert rows_for(summary, {"report": Literal(str(report))}) is None
    params = {"report": str(report), "stage": f"{ID}stage/compulsory"}
    one = fast.run(query, params, page=Page(1, 5))
    assert one.results == live.run(query, params, page=Page(1, 5)).results
    edited = dataclasses.replace(
        query, text=query.text.replace("ORDER BY ?report", "ORDER BY DESC(?report)")
    )
    found = summaries.read(version.parent)
    assert "observations" not in valid(found, {"observations": edited})
    assert "observations" in valid(found, queries)


def test_a_listing_not_summarised_in_time_is_left_live(
    site_file: Path, queries: dict[str, SavedQuery], tmp_path: Path
) -> None:
    copy = tmp_path / "version"
    shutil.copytree(site_file.resolve().parent, copy)
    assert write_all(copy / site_file.name, queries, seconds=0.0) == {}
    assert summaries.read(copy) == {}


def uri(value: str) -> dict[str, dict[str, str]]:
    return {"report": {"type": "uri", "value": value}}


@pytest.mark.parametrize(
    ("reports", "slices"),
    [
        (["a", "a", "b", None, None], {"a": (0, 2), "b": (2, 1)}),
        ([None, "a", "b", "b"], {"a": (1, 1), "b": (2, 2)}),
        (["a", "b", "a"], None),  # a's rows come back: no slice would hold them all
        (["a", None, "a"], None),
    ],
)
def test_runs_are_recorded_only_when_contiguous(
    tmp_path: Path, reports: list[str | None], slices: dict[str, tuple[int, int]] | None
) -> None:
    rows = [uri(r) if r else {} for r in reports]
    folder = tmp_path / summaries.SUMMARIES
    summaries.write(folder, "q", key="k", names=["report"], rows=rows, by="report")
    summary = summaries.read(tmp_path)["q"]
    assert summary.total == len(reports) and summary.slices == slices
    for first, count in (slices or {}).values():
        assert {r["report"]["value"] for r in summary.page(first, count)} == {reports[first]}
