"""Listings with parameters answered from their summaries' postings: for each parameter that
picks rows (an indicator, a body, a problem, a group, a concept, a stage), every page and every
count of several values, alone and with a report, is the plain query's; a search text and a
summary whose postings are stale are answered live."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from edugraph.query import postings, textsearch
from edugraph.query import service as service_module
from edugraph.query.engines import OxigraphEngine
from edugraph.query.paging import Page
from edugraph.query.queries import SavedQuery, load_queries, parse_query
from edugraph.query.service import Limits, QueryService
from edugraph.query.summaries import write_all
from edugraph.resources import resource

UNKNOWN = "https://example.org/nothing"
PICKED = {
    "observations": ("indicator", "stage"),
    "indicator-by-report": ("indicator",),
    "measures-by-body": ("body",),
    "measures-for-problem": ("problem",),
    "measures-for-target-group": ("group",),
    "topic-by-report": ("concept",),
}


@pytest.fixture(scope="module")
def queries() -> dict[str, SavedQuery]:
    return load_queries(Path(resource("queries")))


@pytest.fixture(scope="module")
def services(
    site_file: Path, queries: dict[str, SavedQuery], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[QueryService, QueryService]]:
    copy = tmp_path_factory.mktemp("postings") / "version"
    shutil.copytree(site_file.resolve().parent, copy)
    write_all(copy / site_file.name, queries)
    fast = QueryService(OxigraphEngine(copy / site_file.name), queries=queries, limits=Limits())
    live = QueryService(
        OxigraphEngine(copy / site_file.name, disk=False), queries=queries, limits=Limits()
    )
    yield fast, live
    fast.close()
    live.close()


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


def values(keys: postings.Keys, column: str) -> list[str]:
    """The values with the most and the fewest rows, and one no row has."""
    runs = sorted(keys.columns[column].items(), key=lambda item: (-item[1][1], item[0]))
    picked = [iri for iri, _ in runs[:3] + runs[-2:]]
    return [*dict.fromkeys(picked), UNKNOWN]


@pytest.mark.parametrize("name", sorted(PICKED))
def test_a_parameters_pages_are_its_postings_and_the_plain_querys(
    services: tuple[QueryService, QueryService],
    queries: dict[str, SavedQuery],
    name: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast, _ = services
    query = queries[name]
    summary = fast.summaries[name]
    keys = postings.read_keys(summary)
    assert keys is not None and set(PICKED[name]) <= set(keys.columns)
    monkeypatch.setattr(fast, "_execute", None)  # every page here comes from the summary
    report = query.param("report").name
    reports = sorted({r["report"]["value"] for r in summary.page(0, summary.total)})
    for column in PICKED[name]:
        total = 0
        for value in values(keys, column):
            rows = walk(services, query, {column: value})
            assert rows == len(keys.rows(column, value)), (name, column, value)
            total += rows
            for iri in reports[:2]:
                walk(services, query, {column: value, report: iri})
        assert total > 0, (name, column)  # some value has rows


def test_two_parameters_at_once(
    services: tuple[QueryService, QueryService], queries: dict[str, SavedQuery]
) -> None:
    fast, _ = services
    query = queries["observations"]
    keys = postings.read_keys(fast.summaries["observations"])
    assert keys is not None
    stage = values(keys, "stage")[0]
    found = fast.run(query, {"stage": stage}, page=Page(1, 1000)).results or {}
    indicators = {r["indicator"]["value"] for r in found["results"]["bindings"]}
    for indicator in sorted(indicators)[:3]:
        assert walk(services, query, {"stage": stage, "indicator": indicator}) > 0


@pytest.mark.parametrize("text", ["大班额", "学校", "教育", "%", "2019年", "不存在的词语", '"'])
def test_a_search_is_a_scan_of_the_summarys_texts(
    services: tuple[QueryService, QueryService],
    queries: dict[str, SavedQuery],
    text: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast, _ = services
    query = queries["search"]
    monkeypatch.setattr(fast, "_execute", None)
    rows = walk(services, query, {"q": text})
    summary = fast.summaries["search"]
    reports = sorted({r["report"]["value"] for r in summary.page(0, summary.total)})
    assert sum(walk(services, query, {"q": text, "report": iri}) for iri in reports) == rows


def test_a_long_search_has_its_snippets(
    services: tuple[QueryService, QueryService], queries: dict[str, SavedQuery]
) -> None:
    fast, _ = services
    found = fast.run(queries["search"], {"q": "的"}, page=Page(1, 1000)).results or {}
    snippets = [r["snippet"]["value"] for r in found["results"]["bindings"]]
    assert any(s.startswith("…") for s in snippets) and any(s.endswith("…") for s in snippets)


def test_what_picks_no_rows_is_answered_live(
    services: tuple[QueryService, QueryService], queries: dict[str, SavedQuery], tmp_path: Path
) -> None:
    fast, _ = services
    assert postings.answerable(queries["search"])
    read_twice = queries["search"].text.replace("?label ?type", "?label ?type (STR(?q) AS ?asked)")
    path = tmp_path / "search-twice.rq"
    path.write_text(
        f"#+ summary: s\n#+ params:\n#+   q: {{type: string, required: true}}\n{read_twice}"
    )
    assert not postings.answerable(parse_query(path))  # the text is read elsewhere too
    returned = queries["search"].text.replace("?label ?type", "?label ?type ?text")
    path.write_text(
        f"#+ summary: s\n#+ params:\n#+   q: {{type: string, required: true}}\n{returned}"
    )
    assert not postings.answerable(parse_query(path))  # the text is a column of its own
    summary = fast.summaries["observations"]
    stale = tmp_path / "observations.jsonl"
    for suffix in (".jsonl", ".starts", postings.KEYS, postings.POSITIONS):
        shutil.copy(summary.path.with_suffix(suffix), stale.with_suffix(suffix))
    other = dataclasses.replace(summary, path=stale, key="another text")
    assert postings.read_keys(other) is None  # postings of another text are never used
    stage = URIRef("https://w3id.org/edugraph/id/stage/preschool")
    assert postings.select(other, None, {"stage": stage}) is None
    assert postings.select(summary, None, {}) == range(summary.total)
    assert postings.select(summary, postings.read_keys(summary), {"stage": Literal("x")}) is None


@pytest.mark.parametrize(
    ("text", "picked"),
    [
        ("SELECT ?a WHERE { ?a <p> ?v }", {"v"}),
        ("SELECT ?a WHERE { ?a <p> ?b OPTIONAL { ?b <q> ?v } }", set()),
        ("SELECT ?a WHERE { { ?a <p> ?v } UNION { ?a <q> ?v } }", {"v"}),
        ("SELECT ?a WHERE { { ?a <p> ?v } UNION { ?a <q> ?b } }", set()),
        ("SELECT ?a (COUNT(?b) AS ?n) WHERE { ?a <p> ?v ; <q> ?b } GROUP BY ?a", set()),
        ("SELECT ?a ?v (COUNT(?b) AS ?n) WHERE { ?a <p> ?v ; <q> ?b } GROUP BY ?a ?v", set()),
        ("SELECT ?a WHERE { ?a <p> ?b FILTER(?b = ?v) }", set()),
    ],
)
def test_a_parameter_is_a_column_only_when_every_solution_binds_it(
    tmp_path: Path, text: str, picked: set[str]
) -> None:
    path = tmp_path / "q.rq"
    path.write_text(f"#+ summary: s\n#+ params:\n#+   v: {{type: iri}}\n{text}\n", "utf-8")
    assert set(postings.plan(parse_query(path)).columns) == picked


def test_the_last_searches_are_kept_within_their_bound(
    services: tuple[QueryService, QueryService], monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, _ = services
    keys = postings.read_keys(fast.summaries["search"])
    assert keys is not None and keys.search is not None
    search = keys.search
    first = search.matches("学校")
    assert len(first) > 0
    monkeypatch.setattr(search, "_scan", None)  # kept: no second scan
    assert search.matches("学校") == first
    monkeypatch.undo()
    monkeypatch.setattr(textsearch, "KEPT_BYTES", len(first) * first.itemsize)
    assert list(search.matches("教育")) != list(first)
    assert list(search._kept) == ["教育"]  # the older one made room


def test_a_summarised_listings_form_needs_no_parse(
    services: tuple[QueryService, QueryService],
    queries: dict[str, SavedQuery],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast, live = services

    def refused(*_: object) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(service_module, "checked", refused)
    assert fast.form(queries["search"]) == "select"  # its first request skips the parse
    text = queries["search"].text.replace("ORDER BY ?report", "ORDER BY DESC(?report)")
    edited = dataclasses.replace(queries["search"], text=text)
    with pytest.raises(AssertionError, match="parsed"):
        fast.form(edited)  # another text: checked as any query is
    with pytest.raises(AssertionError, match="parsed"):
        live.form(queries["search"])  # no summary: checked
