"""Probes behind the findings in benchmarks/README.md: where the time and memory go.

    .venv/bin/python benchmarks/probe.py binding GRAPH.trig PROBLEM_IRI
    .venv/bin/python benchmarks/probe.py optional GRAPH.trig PROBLEM_IRI
    .venv/bin/python benchmarks/probe.py rows GRAPH.trig
    .venv/bin/python benchmarks/probe.py worker-memory GRAPH.trig

- binding: measures-for-problem with the parameter bound three ways on the same store: a
  VALUES block opening the group (what engines.with_values does today), the same block
  closing the group, and the IRI written into the pattern as a constant. (pyoxigraph's
  `substitutions` would be the natural pre-binding, but it requires the variable to be
  projected, and ?problem is not.)
- optional: measures-for-problem as saved and with its OPTIONAL made a required group.
- rows: for the saved queries without parameters, the time of Oxigraph's evaluation alone
  (iterating the solutions) against evaluation plus conversion to SPARQL JSON dicts (what
  OxigraphEngine.select does), and the row count.
- worker-memory: the RSS and PSS of a forked child before and after it runs the large
  queries, as a query worker would.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rdflib import URIRef  # noqa: E402

from edugraph.query.engines import OxigraphEngine, with_values  # noqa: E402
from edugraph.query.queries import load_queries  # noqa: E402

QUERIES = load_queries(ROOT / "queries")


def timed(fn, runs: int = 15) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000, max(times) * 1000


def binding(graph: str, problem: str) -> None:
    engine = OxigraphEngine(Path(graph))
    store = engine.store
    q = QUERIES["measures-for-problem"]
    values = with_values(q.text, {"problem": URIRef(problem)})
    constant = re.sub(r"\?problem\b", f"<{problem}>", q.text)

    def run(text: str, **kw: object) -> int:
        return len(list(store.query(text, use_default_graph_as_union=True, **kw)))  # type: ignore[arg-type]

    at = q.text.rindex("}")  # the same VALUES block, closing the group instead of opening it
    values_end = f"{q.text[:at]} VALUES (?problem) {{ (<{problem}>) }} {q.text[at:]}"
    print(f"rows: VALUES first {run(values)}, VALUES last {run(values_end)}, "
          f"constant {run(constant)}")  # fmt: skip
    print(f"VALUES first (today)   p50 {timed(lambda: run(values))[0]:8.2f} ms")
    print(f"VALUES last            p50 {timed(lambda: run(values_end))[0]:8.2f} ms")
    print(f"constant in pattern    p50 {timed(lambda: run(constant))[0]:8.2f} ms")
    print(f"engine.select (today)  p50 "
          f"{timed(lambda: engine.select(q.text, {'problem': URIRef(problem)}))[0]:8.2f} ms")  # fmt: skip


def optional(graph: str, problem: str) -> None:
    """measures-for-problem as saved, and without its OPTIONAL (the body pattern required)."""
    engine = OxigraphEngine(Path(graph))
    q = QUERIES["measures-for-problem"].text
    start = q.index("  OPTIONAL {")
    end = q.index("  }\n", start) + 4
    required = q[:start] + q[start:end].replace("OPTIONAL {", "{", 1) + q[end:]
    for name, text in (("as saved", q), ("body pattern required", required)):
        bound = with_values(text, {"problem": URIRef(problem)})

        def run(t: str = bound) -> int:
            return len(list(engine.store.query(t, use_default_graph_as_union=True)))

        print(f"{name:<24} rows {run()}  p50 {timed(run)[0]:8.2f} ms")


def rows(graph: str) -> None:
    engine = OxigraphEngine(Path(graph))
    for name, q in sorted(QUERIES.items()):
        if any(p.required for p in q.params):
            continue
        n = 0

        def evaluate(text: str = q.text) -> None:
            nonlocal n
            n = 0
            for solution in engine.store.query(text, use_default_graph_as_union=True):
                n += 1
                _ = solution

        e = timed(evaluate, 3)[0]
        s = timed(lambda text=q.text: engine.select(text), 3)[0]
        print(f"{name:<24} rows {n:>7}  evaluate {e:9.1f} ms  select (+JSON dicts) {s:9.1f} ms")


def memory(pid: int) -> tuple[float, float]:
    rss = pss = 0
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    return rss / 1024, pss / 1024


def worker_memory(graph: str) -> None:
    engine = OxigraphEngine(Path(graph))
    print(f"parent after load: RSS {memory(os.getpid())[0]:.0f} MB")
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        before = memory(os.getpid())
        for name in ("observations", "problem-responses", "search"):
            q = QUERIES[name]
            params = {"q": "大班额"} if name == "search" else {}
            engine.select(q.text, q.bind(params))
        after = memory(os.getpid())
        os.write(w, f"{before[0]:.0f} {before[1]:.0f} {after[0]:.0f} {after[1]:.0f}".encode())
        os._exit(0)
    os.close(w)
    data = os.read(r, 200).decode().split()
    os.waitpid(pid, 0)
    print(f"forked child: RSS/PSS before {data[0]}/{data[1]} MB, after 3 large queries "
          f"{data[2]}/{data[3]} MB")  # fmt: skip


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "binding":
        binding(sys.argv[2], sys.argv[3])
    elif what == "optional":
        optional(sys.argv[2], sys.argv[3])
    elif what == "rows":
        rows(sys.argv[2])
    elif what == "worker-memory":
        worker_memory(sys.argv[2])
    else:
        sys.exit(__doc__)
