"""The query worker pool: results as the engine gives them, errors passed on, a worker that
overruns killed and replaced, a full pool refusing quickly, and a clean stop."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from edugraph.errors import Overloaded, QueryAborted, QueryError, QueryTimeout
from edugraph.query.engines import OxigraphEngine
from edugraph.query.tasks import Answer, Task, execute
from edugraph.query.workers import QueryPool

PROBLEMS = "SELECT ?p WHERE { ?p a <https://w3id.org/edugraph/ontology#Problem> } ORDER BY ?p"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
PROBLEM_1 = "https://w3id.org/edugraph/id/report/chongqing-2020/problem/1"


@pytest.fixture(scope="module")
def engine(graph_file: Path) -> OxigraphEngine:
    return OxigraphEngine(graph_file)


@pytest.fixture
def pool(engine: OxigraphEngine) -> Iterator[QueryPool]:
    pool = QueryPool(engine, size=1)
    yield pool
    pool.close()


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_execute_cuts_at_the_row_cap(engine: OxigraphEngine) -> None:
    whole = execute(engine, Task(PROBLEMS))
    assert whole.results is not None and not whole.truncated
    cut = execute(engine, Task(PROBLEMS, max_rows=2))
    assert cut.truncated and cut.results is not None
    assert cut.results["results"]["bindings"] == whole.results["results"]["bindings"][:2]
    describe = f"DESCRIBE <{PROBLEM_1}>"
    table = execute(engine, Task(describe, form="graph", fmt="table", max_rows=3))
    assert table.truncated and table.results is not None
    assert table.results["head"]["vars"] == ["s", "p", "o"]
    assert len(table.results["results"]["bindings"]) == 3
    turtle = execute(engine, Task(describe, form="graph", fmt="ttl"))
    assert len(Graph().parse(data=turtle.data.decode(), format="turtle")) > 3


def test_the_pool_answers_as_the_engine_does(pool: QueryPool, engine: OxigraphEngine) -> None:
    answer = pool.run(Task(PROBLEMS), timeout=5)
    assert answer == Answer(results=engine.select(PROBLEMS))
    label = "SELECT ?l WHERE { ?p <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    bound = pool.run(Task(label, bindings={"p": URIRef(PROBLEM_1)}), timeout=5)
    assert bound.results is not None
    assert [r["l"]["value"] for r in bound.results["results"]["bindings"]] == ["学前教育仍有差距"]


def test_errors_come_back_as_they_were_raised(pool: QueryPool) -> None:
    (before,) = pool.pids()
    with pytest.raises(QueryError, match="SPARQL syntax error"):
        pool.run(Task("SELECT * WHERE { ?s ?p }"), timeout=5)
    assert pool.pids() == {before}  # a bad query does not cost a worker


def test_a_failing_worker_is_replaced(pool: QueryPool) -> None:
    (before,) = pool.pids()
    with pytest.raises(RuntimeError, match="worker failed"):
        pool.run(Task(f"DESCRIBE <{PROBLEM_1}>", form="graph", fmt="no-such-format"), timeout=5)
    (after,) = pool.pids()
    assert after != before
    assert pool.run(Task(PROBLEMS), timeout=5).results is not None


def test_an_overrunning_worker_is_killed_and_a_full_pool_refuses(pool: QueryPool) -> None:
    (before,) = pool.pids()
    errors: list[BaseException] = []

    def slow() -> None:
        try:
            pool.run(Task(SLOW), timeout=1)
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.2)
    started = time.monotonic()
    with pytest.raises(Overloaded, match="busy"):
        pool.run(Task(PROBLEMS), timeout=0.2)
    assert time.monotonic() - started < 0.6
    thread.join()
    assert len(errors) == 1 and isinstance(errors[0], QueryTimeout)
    assert gone(before) and pool.pids() != {before}
    assert pool.run(Task(PROBLEMS), timeout=5).results is not None


def test_close_stops_every_process_even_with_other_pools_open(engine: OxigraphEngine) -> None:
    first = QueryPool(engine, size=2)
    second = QueryPool(engine, size=1)  # forked while the first was open
    try:
        workers = first.pids()
        started = time.monotonic()
        first.close()
        assert time.monotonic() - started < 2
        assert all(gone(pid) for pid in workers)
        with pytest.raises(QueryAborted):
            first.run(Task(PROBLEMS), timeout=1)
        assert second.run(Task(PROBLEMS), timeout=5).results is not None
    finally:
        second.close()


def test_execute_cuts_at_the_byte_cap(engine: OxigraphEngine) -> None:
    labels = (
        "SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?s ?l"
    )
    whole = execute(engine, Task(labels))
    assert whole.results is not None and not whole.truncated
    rows = whole.results["results"]["bindings"]
    cut = execute(engine, Task(labels, max_bytes=5_000))
    assert cut.truncated and cut.results is not None
    kept = cut.results["results"]["bindings"]
    assert 0 < len(kept) < len(rows) and kept == rows[: len(kept)]
    assert len(json.dumps(kept, ensure_ascii=False, separators=(",", ":")).encode()) <= 5_000
    graph = f"DESCRIBE <{PROBLEM_1}>"
    small = execute(engine, Task(graph, form="graph", fmt="nt", max_bytes=600))
    assert small.truncated and 0 < len(small.data) <= 600
