"""A corpus of several reports: nodes they share are described once, and every saved query
gives the same rows on both engines (a triple held by two graphs would count twice in
Oxigraph's union default graph)."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from edugraph.publish.build import BuildResult, Paths, build
from edugraph.query.engines import Engine, OxigraphEngine, RdflibEngine
from edugraph.vocab import Iris
from tests.conftest import CHONGQING, FIXTURES
from tests.test_saved_queries import CASES, QUERIES


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    sources = tmp_path_factory.mktemp("corpus")
    for slug, region in (("chongqing-2020", None), ("yuzhou-2020", "yuzhou")):
        shutil.copy(CHONGQING, sources / f"{slug}.txt")
        meta = CHONGQING.with_suffix(".toml").read_text("utf-8")
        if region:
            meta = meta.replace('region = "chongqing"', f'region = "{region}"')
        (sources / f"{slug}.toml").write_text(meta, encoding="utf-8")
    for name in ("jiangbei-2020", "linjiang-county-2021"):
        for suffix in (".txt", ".toml"):
            shutil.copy(FIXTURES / "reports" / f"{name}{suffix}", sources / f"{name}{suffix}")
    result = build(Paths(sources=sources))
    out = sources / "corpus.trig"
    out.write_bytes(result.quads.trig())
    return result, out


def test_shared_nodes_are_described_once(corpus: tuple[BuildResult, Path]) -> None:
    result, _ = corpus
    copies: Counter[str] = Counter()
    for name in result.quads.names():
        if "/graph/report/" in name:
            copies.update(result.quads.lines(name))
    assert [line for line, n in copies.items() if n > 1] == []
    shared = list(result.quads.lines(str(Iris().graph("shared"))))
    assert any("id/person/xi-jin-ping" in line for line in shared)
    assert any("id/period/2019-01-01--2020-08-31" in line for line in shared)


@pytest.fixture(scope="module")
def engines(corpus: tuple[BuildResult, Path]) -> tuple[Engine, Engine]:
    return OxigraphEngine(corpus[1]), RdflibEngine(corpus[1])


@pytest.mark.parametrize(("name", "params"), CASES)
def test_engines_agree_on_a_corpus(
    engines: tuple[Engine, Engine], name: str, params: dict[str, str]
) -> None:
    query = QUERIES[name]
    rows = []
    for engine in engines:
        found = engine.select(query.text, query.bind(params))["results"]["bindings"]
        rows.append(sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in found))
    assert rows[0] == rows[1]
    if name == "observations" and not params:
        assert len(rows[0]) == 96 * 2 + 13 + 8  # linjiang: 大班额全部消除 is a zero
