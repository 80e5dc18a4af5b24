"""A report validated with its slice of the shared graph, and its result kept between builds:
read back while what it reads is unchanged, computed again when a shared node it names is."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from edugraph.graph.quads import Quads
from edugraph.publish.build import Paths, build
from edugraph.validate.findings import SHARED
from edugraph.validate.pieces import split_queries
from edugraph.validate.shapes import Outcome, load_shapes, validate
from edugraph.validate.slices import SharedIndex
from edugraph.vocab import Iris
from tests.conftest import copy_sources

IRIS = Iris()
SHARED_GRAPH = str(IRIS.graph("shared"))


class DictCache:
    """A cache in memory that records what was written."""

    def __init__(self) -> None:
        self.entries: dict[str, Any] = {}
        self.written: list[str] = []

    def get(self, digest: str) -> Any | None:
        return self.entries.get(digest)

    def put(self, digest: str, value: object) -> None:
        self.entries[digest] = value
        self.written.append(value[0])  # type: ignore[index]

    def keep(self, digests: Iterable[str]) -> None:
        wanted = set(digests)
        self.entries = {k: v for k, v in self.entries.items() if k in wanted}


@pytest.fixture(scope="module")
def quads(tmp_path_factory: pytest.TempPathFactory) -> Quads:
    tmp = tmp_path_factory.mktemp("slices")
    sources = copy_sources(tmp, "jiangbei-2020", "linjiang-county-2021")
    return build(Paths(sources=sources, curation=tmp / "none"), validate=False).quads


def same(a: Outcome, b: Outcome) -> None:
    assert list(a.findings) == list(b.findings)
    assert a.findings == b.findings  # the same results, in the same order, spelt the same
    assert list(a.rules.items()) == list(b.rules.items())


def test_a_cached_validation_is_the_fresh_one(quads: Quads) -> None:
    shapes = load_shapes()
    fresh = validate(quads, shapes)
    cache = DictCache()
    same(validate(quads, shapes, cache=cache), fresh)
    assert sorted(cache.written) == sorted([SHARED, *fresh.findings.keys() - {SHARED}])
    cache.written.clear()
    same(validate(quads, shapes, cache=cache), fresh)
    assert cache.written == []  # every run read back


def test_a_changed_shared_node_revalidates_the_reports_that_name_it(quads: Quads) -> None:
    shapes = load_shapes()
    slugs = sorted(n.rsplit("/", 1)[1] for n in quads.names() if "/graph/report/" in n)
    index = SharedIndex(quads.lines(SHARED_GRAPH), wide=split_queries(shapes).wide_predicates)
    first, second = (
        set(index.slice([quads.lines(str(IRIS.graph(f"report/{s}")))]) or ()) for s in slugs
    )
    only = sorted(line for line in first - second if '"' in line)[0]  # a label of the first's
    cache = DictCache()
    validate(quads, shapes, cache=cache)
    changed = Quads(quads.prefixes)
    for name in quads.names():
        changed.add_lines(name, quads.lines(name))
    changed.replace_lines(
        SHARED_GRAPH, (set(quads.lines(SHARED_GRAPH)) - {only}) | {only.replace('"', '"新', 1)}
    )
    cache.written.clear()
    again = validate(changed, shapes, cache=cache)
    assert sorted(cache.written) == sorted([SHARED, slugs[0]])
    same(again, validate(changed, shapes))


def test_a_slice_follows_links_and_gives_way_to_a_link_back() -> None:
    a, b, c, d = (f"<http://x/{n}>" for n in "abcd")
    label, link = "<http://x/label>", "<http://x/link>"
    shared = [f'{b} {label} "b" .\n', f"{b} {link} {c} .\n", f'{d} {label} "d" .\n']
    index = SharedIndex(shared, wide=frozenset({label}))
    assert index.slice([[f"{a} {link} {b} .\n"]]) == sorted(shared[:2])
    back = SharedIndex([*shared, f"{d} {label} {a} .\n"], wide=frozenset({label}))
    assert back.slice([[f"{a} {link} {b} .\n"]]) is None  # a backward read could reach d
    assert SharedIndex([*shared, f"{d} {link} {a} .\n"], wide=frozenset({label})).slice(
        [[f"{a} {link} {b} .\n"]]
    ) == sorted(shared[:2])  # a link no backward read follows


def test_the_build_keeps_validation_results_in_its_cache(tmp_path: Path) -> None:
    sources = copy_sources(tmp_path, "jiangbei-2020")
    paths = Paths(sources=sources, curation=tmp_path / "none")
    first = build(paths, cache=tmp_path / "cache")
    kept = sorted((tmp_path / "cache" / "validation").glob("*.findings"))
    second = build(paths, cache=tmp_path / "cache")
    assert first.outcome is not None and second.outcome is not None
    same(first.outcome, second.outcome)
    assert kept and sorted((tmp_path / "cache" / "validation").glob("*.findings")) == kept
