"""Serving from the on-disk store against loading the TriG, in one run (issue 15).

    .venv/bin/python benchmarks/serve_start.py --reports 300 --work /tmp/bench-store

Generates R reports (benchmarks/corpus.py) and publishes them with `edugraph build` (which
writes the on-disk store into the version directory) unless --work already holds them; then,
alternating the two ways in each round, starts `edugraph serve` with `disk_store` true and
false and measures: seconds until `/api/ping` answers 200, the server's process tree (sum of
PSS and of RSS) when ready and after the queries, and the first page of every saved query
over HTTP, sequential (result cache off, so the engine answers each time). Prints JSON.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from run import BIN, ID, ROOT, TreeSampler, api_path, cases, free_port, server


def publish_corpus(r: int, work: Path, seed: int) -> dict[str, Any]:
    """The corpus and its published build (reused when present), with the build's figures."""
    import corpus

    root = work / f"R{r}"
    out = root / "out" / "edugraph.trig"
    if out.exists():
        return {"reused": str(out)}
    reports = corpus.generate(r, seed=seed)
    sources = corpus.write(reports, root)
    command = [str(BIN / "edugraph"), "build", "--sources", str(sources), "--out", str(out)]
    command += ["--curation", str(root / "curation")]
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with TreeSampler(proc.pid) as sampler:
        _, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(err.decode("utf-8", "replace")[-2000:])
    return {
        "build_seconds": time.perf_counter() - started,
        "build_tree_peak_pss_mb": sampler.peak_pss,
    }


def publish_trig(trig: Path, out: Path) -> float:
    """A version directory as `edugraph build` writes it, for a TriG built before, without the
    dumps and docs (they do not bear on serving): the TriG, the store, a manifest naming the
    version, the `current` and dataset links. Returns the seconds the store took to write."""
    from edugraph.publish import site
    from edugraph.publish.store import write_store
    from edugraph.query.engines import dataset_version

    version = dataset_version(trig)
    folder = out.parent / site.VERSIONS / f"given-{version}"
    folder.mkdir(parents=True)
    shutil.copyfile(trig, folder / out.name)
    started = time.perf_counter()
    write_store(folder / out.name)
    seconds = time.perf_counter() - started
    (folder / site.MANIFEST).write_text(json.dumps({"version": version, "store": "store"}))
    site._swap(out.parent / site.CURRENT, Path(site.VERSIONS) / folder.name)
    site._swap(out, Path(site.CURRENT) / out.name)
    return seconds


def get(port: int, path: str) -> tuple[int, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status, (time.perf_counter() - started) * 1000


def ready(port: int, timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            if get(port, "/api/ping")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError("the server did not become ready")


def memory(pid: int) -> dict[str, float]:
    sampler = TreeSampler(pid)
    sampler.sample()
    return {"pss_mb": round(sampler.peak_pss, 1), "rss_mb": round(sampler.peak_rss, 1)}


def serve_once(
    trig: Path, disk: bool, todo: list[Any], runs: int, log: Path, *, cache: int = 0
) -> dict[str, Any]:
    port = free_port()
    command = [str(BIN / "edugraph"), "serve", "--graph", str(trig), "--port", str(port)]
    for name, value in (("disk_store", disk), ("result_cache_bytes", cache), ("query_workers", 2)):
        command += ["-s", name, str(value).lower()]
    started = time.perf_counter()
    with server(command, port, "/api/ping", 600, log) as (proc, _):
        ready(port, 600)
        out: dict[str, Any] = {"ready_seconds": round(time.perf_counter() - started, 2)}
        out["memory_ready"] = memory(proc.pid)
        queries = {}
        for key, name, params in todo:
            path = api_path(name, params)
            times = []
            for _ in range(runs):
                status, ms = get(port, path)
                times.append(ms if status == 200 else float("nan"))
            first = times[0]
            times.sort()
            queries[key] = {
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 1),
                "first_ms": round(first, 1),
            }
        out["first_page"] = queries
        out["memory_after"] = memory(proc.pid)
        out["loadavg"] = list(os.getloadavg())
    return out


def baseline(out: Path, todo: list[Any], runs: int, log: Path) -> dict[str, Any]:
    """The same cases sent to `oxigraph serve-read-only` on the published store itself (the
    text our service would run, values inlined), sequential: the figure to compare with."""
    from urllib.parse import quote

    from run import inlined

    from edugraph.publish.store import store_beside

    folder = store_beside(out.resolve())
    port = free_port()
    command = [str(BIN / "oxigraph"), "serve-read-only", "--location", str(folder)]
    command += ["--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    found: dict[str, Any] = {}
    with server(command, port, "/query?query=ASK%7B%7D", 120, log) as (proc, _):
        for key, name, params in todo:
            path = "/query?query=" + quote(inlined(name, params))
            times = sorted(get(port, path)[1] for _ in range(runs))
            found[key] = {
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 1),
            }
        found["memory_after"] = memory(proc.pid)
    return found


def timed(call: Any, runs: int) -> dict[str, float]:
    """p50 and p95 in ms of `runs` calls."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 2),
    }


def listings(out: Path, todo: list[Any], runs: int, live_runs: int) -> dict[str, Any]:
    """In process, on the published store: each case's first page (100 rows) and its count
    as the engine answers them live (LIMIT/OFFSET after the total ORDER BY; COUNT of the
    unsorted query), and the first page with its count as the service answers it (from the
    version's listing summaries where there is one, else live)."""
    from edugraph.query.engines import OxigraphEngine
    from edugraph.query.paging import Page, count_text, page_text, pages
    from edugraph.query.queries import load_queries
    from edugraph.query.service import Limits, QueryService

    queries = load_queries(ROOT / "queries")
    engine = OxigraphEngine(out)
    service = QueryService(engine, queries=queries, limits=Limits(timeout=600))
    found: dict[str, Any] = {"summarised": sorted(service.summaries)}
    for key, name, params in todo:
        query = queries[name]
        if not pages(query.text):
            continue
        bound = query.bind(params)
        text = page_text(query.text, query.variables, Page())
        found[key] = {
            "live_page": timed(lambda t=text, b=bound: engine.select(t, b), live_runs),
            "live_count": timed(
                lambda q=query, b=bound: engine.select(count_text(q.text, b)), live_runs
            ),
            "service_page_and_count": timed(lambda q=query, p=params: _first(service, q, p), runs),
        }
        print(key, json.dumps(found[key]), file=sys.stderr, flush=True)
    service.close()
    return found


def report_cases(slug: str) -> list[tuple[str, str, dict[str, str]]]:
    """Each listing that takes a report, asked for one report only."""
    from edugraph.query.queries import load_queries
    from edugraph.query.summaries import sliced_by, summarised

    iri = f"{ID}report/{slug}"
    listed = summarised(load_queries(ROOT / "queries"))
    return [(f"{q.name} report={slug}", q.name, {"report": iri}) for q in listed if sliced_by(q)]


def write_summaries(out: Path, seconds: float) -> dict[str, Any]:
    """Write the version's listing summaries again, one listing at a time as publish does
    (each in its own process on the on-disk store), timing each."""
    from edugraph.publish import summaries
    from edugraph.query.queries import load_queries
    from edugraph.query.summaries import summarised, write_all

    trig = out.resolve()
    shutil.rmtree(trig.parent / summaries.SUMMARIES, ignore_errors=True)
    found: dict[str, Any] = {}
    for query in summarised(load_queries(ROOT / "queries")):
        started = time.perf_counter()
        rows = write_all(trig, {query.name: query}, seconds=seconds).get(query.name)
        found[query.name] = {"seconds": round(time.perf_counter() - started, 2), "rows": rows}
        print("summary", query.name, json.dumps(found[query.name]), file=sys.stderr, flush=True)
    folder = trig.parent / summaries.SUMMARIES
    found["bytes"] = sum(f.stat().st_size for f in folder.iterdir())
    return found


def _slug(out: Path) -> str:
    """A report of the published dataset with two problems or more (the cases' report)."""
    import pyoxigraph as ox

    from edugraph.publish.store import store_beside

    store = ox.Store.read_only(str(store_beside(out.resolve())))
    text = (
        "PREFIX edu: <https://w3id.org/edugraph/ontology#> SELECT ?r WHERE { "
        "?p a edu:Problem ; edu:inReport ?r } GROUP BY ?r HAVING (COUNT(?p) >= 2) "
        "ORDER BY ?r LIMIT 1"
    )
    found = list(store.query(text, use_default_graph_as_union=True))  # type: ignore[arg-type]
    return str(found[0]["r"].value).rsplit("/", 1)[-1]


def _first(service: Any, query: Any, params: dict[str, str]) -> None:
    from edugraph.query.cache import ResultCache
    from edugraph.query.paging import Page

    service.counts = ResultCache(max_bytes=1_000_000)  # a count is measured, not remembered
    service.run(query, params, page=Page())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--runs", type=int, default=10, help="requests per saved query")
    parser.add_argument("--trig", type=Path, help="a TriG built before: publish it, no build")
    parser.add_argument("--listings", action="store_true", help="only the listings, in process")
    parser.add_argument("--live-runs", type=int, default=3, help="runs of each live listing")
    parser.add_argument("--skip", nargs="*", default=[], help="cases to leave out, by key")
    parser.add_argument(
        "--write-summaries", type=float, metavar="SECONDS", help="rewrite them first, timed"
    )
    parser.add_argument("--only", nargs="*", help="only these cases, by key")
    parser.add_argument("--dataset", type=Path, help="a published dataset file to serve")
    parser.add_argument(
        "--serve-only",
        action="store_true",
        help="serve the published dataset from its store once, then the same cases (values "
        "inlined) from `oxigraph serve-read-only` on that store",
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    doc: dict[str, Any] = {"R": args.reports}
    out = args.dataset or args.work / f"R{args.reports}" / "out" / "edugraph.trig"
    if args.serve_only:
        slug = _slug(out)
        todo = [c for c in cases(slug) if c[0] not in args.skip]
        todo = [c for c in todo if args.only is None or c[0] in args.only]
        doc["report"] = slug
        doc["edugraph"] = serve_once(out, True, todo, args.runs, args.work / "serve.log")
        print(json.dumps(doc["edugraph"], ensure_ascii=False), file=sys.stderr, flush=True)
        mfp = [c for c in todo if c[1] == "measures-for-problem"]
        doc["oxigraph"] = baseline(out, mfp, args.runs, args.work / "oxigraph.log")
        print(json.dumps(doc, ensure_ascii=False, indent=1))
        return
    if args.listings:
        import corpus

        slug = next(
            x.slug
            for x in corpus.generate(args.reports, seed=args.seed)
            if x.expected["problem"] >= 2
        )
        if args.write_summaries is not None:
            doc["summaries_written"] = write_summaries(out, args.write_summaries)
        todo = [c for c in cases(slug) + report_cases(slug) if c[0] not in args.skip]
        todo = [c for c in todo if args.only is None or c[0] in args.only]
        doc["listings"] = listings(out, todo, args.runs, args.live_runs)
        print(json.dumps(doc, ensure_ascii=False, indent=1))
        return
    if args.trig is not None:
        doc["store_write_seconds"] = round(publish_trig(args.trig, out), 2)
        doc["trig_mb"] = round(args.trig.stat().st_size / 1e6, 1)
    else:
        doc["build"] = publish_corpus(args.reports, args.work, args.seed)
    import corpus

    reports = corpus.generate(args.reports, seed=args.seed)
    slug = next(x.slug for x in reports if x.expected["problem"] >= 2)
    doc["problem"] = f"{ID}report/{slug}/problem/1"
    todo = cases(slug)
    doc["rounds"] = []
    for n in range(args.rounds):
        for disk in (True, False):
            log = args.work / f"serve-{n}-{'disk' if disk else 'memory'}.log"
            result = serve_once(out, disk, todo, args.runs, log)
            doc["rounds"].append({"disk_store": disk, **result})
            print(json.dumps(doc["rounds"][-1], ensure_ascii=False), file=sys.stderr, flush=True)
    print(json.dumps(doc, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
