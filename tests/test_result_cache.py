"""The result cache: a repeated question is a lookup, the cache keeps within its bytes, and a
new dataset version empties it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from edugraph.query.cache import ResultCache, answer_bytes
from edugraph.query.engines import OxigraphEngine
from edugraph.query.queries import load_queries
from edugraph.query.service import Limits, QueryService
from edugraph.query.tasks import Answer
from edugraph.resources import resource


def answer(rows: int) -> Answer:
    binding = {"x": {"type": "literal", "value": "v" * 100}}
    return Answer({"head": {"vars": ["x"]}, "results": {"bindings": [binding] * rows}})


def test_hits_misses_and_the_least_recently_used_goes_first() -> None:
    one = answer_bytes(answer(10))
    cache = ResultCache(max_bytes=3 * one)
    for key in "abc":
        cache.put("v1", key, answer(10))
    assert cache.get("v1", "a") is not None  # a is now the most recent
    cache.put("v1", "d", answer(10))
    assert cache.get("v1", "b") is None
    assert all(cache.get("v1", k) is not None for k in "acd")
    assert cache.size <= cache.max_bytes and len(cache) == 3
    assert (cache.stats.hits, cache.stats.misses, cache.stats.evictions) == (4, 1, 1)


def test_an_answer_larger_than_the_cache_is_not_kept() -> None:
    cache = ResultCache(max_bytes=answer_bytes(answer(10)))
    cache.put("v1", "small", answer(10))
    cache.put("v1", "big", answer(11))
    assert cache.get("v1", "big") is None and cache.get("v1", "small") is not None


def test_a_new_version_empties_it() -> None:
    cache = ResultCache(max_bytes=1_000_000)
    cache.put("v1", "a", answer(1))
    assert cache.get("v2", "a") is None
    assert len(cache) == 0 and cache.size == 0 and cache.stats.clears == 1
    cache.put("v2", "a", answer(1))
    assert cache.get("v2", "a") is not None


@pytest.fixture
def service(graph_file: Path) -> Iterator[QueryService]:
    engine = OxigraphEngine(graph_file)
    queries = load_queries(resource("queries"))
    with QueryService(engine, queries=queries, limits=Limits(), cache_bytes=10_000_000) as svc:
        yield svc


def test_the_service_answers_a_repeated_question_from_the_cache(service: QueryService) -> None:
    saved = service.saved("problems")
    first = service.run(saved, {}, page=service.page(saved))
    again = service.run(saved, {}, page=service.page(saved))
    assert again.results == first.results and again.paged == first.paged
    assert service.cache.stats.hits == 1
    service.run(saved, {}, page=service.page(saved, page="2", per_page="2"))
    assert service.cache.stats.hits == 1  # another page is another question


def test_a_version_swap_empties_the_services_cache(service: QueryService) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    service.run(query)
    assert len(service.cache) == 1
    service.engine.version = "a-new-version"
    service.run(query)
    assert service.cache.stats.clears == 1 and service.cache.stats.hits == 0
    service.run(query)
    assert service.cache.stats.hits == 1


def test_a_pages_count_is_asked_once(graph_file: Path) -> None:
    engine = OxigraphEngine(graph_file)
    queries = load_queries(resource("queries"))
    with QueryService(engine, queries=queries, limits=Limits()) as svc:  # no result cache
        saved = svc.saved("observations")
        for number in ("1", "2", "1"):
            answer = svc.run(saved, {}, page=svc.page(saved, page=number, per_page="10"))
            assert answer.paged is not None and answer.paged.total == 96
        assert (svc.counts.stats.misses, svc.counts.stats.hits) == (1, 2)
        assert svc.cache.stats.hits == 0
