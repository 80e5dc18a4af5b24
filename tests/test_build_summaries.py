"""Listing summaries with each report's rows kept between builds: the same files as one query
over the whole store, read back while a report's key holds, computed again when it changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from edugraph.cli.build_summaries import ROWS, Runs, _report_major, build_runs, write_summaries
from edugraph.publish.build import Paths, build
from edugraph.publish.site import publish
from edugraph.query.queries import SavedQuery, load_queries
from edugraph.query.summaries import write_all
from edugraph.resources import resource
from edugraph.vocab import DEFAULT_BASE, Iris
from tests.conftest import copy_sources


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Runs, dict[str, bytes]]:
    """A published build of two reports, its runs' inputs and its summaries made whole."""
    tmp = tmp_path_factory.mktemp("listings")
    sources = copy_sources(tmp, "jiangbei-2020", "linjiang-county-2021")
    paths = Paths(sources=sources, curation=tmp / "none")
    result = build(paths, cache=tmp / "cache")
    folder = publish(result.quads, tmp / "out" / "edugraph.trig", base=DEFAULT_BASE)
    runs = build_runs(result, Iris(), tmp / "cache" / "summaries")
    assert runs is not None and len(runs.keys) == 2
    dataset = folder / "edugraph.trig"
    write_all(dataset, queries())
    whole = files(folder / "summaries")
    shutil.rmtree(folder / "summaries")
    return dataset, runs, whole


def queries() -> dict[str, SavedQuery]:
    return load_queries(resource("queries"))


def again(dataset: Path, runs: Runs) -> dict[str, bytes]:
    shutil.rmtree(dataset.parent / "summaries", ignore_errors=True)
    write_summaries(dataset, queries(), runs=runs)
    return files(dataset.parent / "summaries")


def kept(runs: Runs) -> dict[str, int]:
    return {p.name: p.stat().st_ino for p in runs.cache.glob(f"*{ROWS}")}


def test_runs_joined_are_the_whole_listing(published: tuple[Path, Runs, dict[str, bytes]]) -> None:
    dataset, runs, whole = published
    assert again(dataset, runs) == whole
    first = kept(runs)
    assert first  # every sliced listing's run of each report
    assert again(dataset, runs) == whole
    assert kept(runs) == first  # read back, not written again


def test_a_changed_key_computes_that_report_again(
    published: tuple[Path, Runs, dict[str, bytes]],
) -> None:
    dataset, runs, whole = published
    again(dataset, runs)
    before = kept(runs)
    one = sorted(runs.keys)[0]
    changed = Runs(
        runs.quads, {**runs.keys, one: "another input"}, runs.graphs, runs.common, runs.cache
    )
    assert again(dataset, changed) == whole  # computed on a store of that report alone
    after = kept(changed)
    assert len(after) == len(before)  # the old runs of the changed report removed
    assert len(set(after) - set(before)) == len(before) // 2


ORDERS = {
    "SELECT ?report ?x WHERE { ?x a ?report } ORDER BY ?report ?x": True,
    "SELECT ?report ?x WHERE { ?x a ?report } ORDER BY DESC(?report) ?x": True,
    "SELECT ?report ?x WHERE { ?x a ?report } ORDER BY (!BOUND(?report)) ?report ?x": True,
    "SELECT ?report ?x WHERE { ?x a ?report } ORDER BY (!BOUND(?report)) ?x ?report": False,
    "SELECT ?report ?x WHERE { ?x a ?report } ORDER BY DESC(?x) ?report": False,
    # the words of an order inside a literal are not an order
    'SELECT ?report ?x WHERE { ?x a ?report FILTER(?x != "ORDER BY ?report") } ORDER BY ?x': False,
    "SELECT ?report ?x WHERE { ?x a ?report }": False,
}


@pytest.mark.parametrize(("text", "major"), ORDERS.items())
def test_only_a_listing_ordered_by_report_first_is_joined(text: str, major: bool) -> None:
    assert _report_major(text, "report") is major
