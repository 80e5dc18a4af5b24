"""HTTP latency and throughput of a running edugraph server, on loopback only.

    .venv/bin/edugraph serve &                      # the server under test
    .venv/bin/python benchmarks/http_load.py [--port 5000] [--clients 16] [--seconds 20]

First the median (p50) and p95 latency of every saved query through /api/queries/<name>,
one request at a time (example values for required parameters); then requests per second
with N concurrent keep-alive clients for S seconds each, on /api/ping (a constant tiny JSON:
the floor, what the HTTP stack alone costs) and on measures-for-problem. Standard library
only: threads and http.client, so the client shares the machine (and a GIL) with nothing but
itself; the numbers are for comparing runs on one machine, not across machines.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

ID = "https://w3id.org/edugraph/id/"
PROBLEM = f"{ID}report/chongqing-2020/problem/1"
EXAMPLES = {"problem": PROBLEM, "body": f"{ID}body/ministry-of-education", "q": "大班额"}
LOAD_PATHS = ("/api/ping", "/api/queries/measures-for-problem?" + urlencode({"problem": PROBLEM}))
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass
class Tally:
    ok: int = 0
    failed: int = 0
    latencies: list[float] = field(default_factory=list)


def fetch(
    conn: http.client.HTTPConnection, path: str, accept: str = "application/json"
) -> tuple[int, bytes]:
    conn.request("GET", path, headers={"Accept": accept})
    response = conn.getresponse()
    return response.status, response.read()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def latency(host: str, port: int, runs: int) -> None:
    """p50/p95 of each saved query, sequential requests on one connection."""
    conn = http.client.HTTPConnection(host, port, timeout=60)
    status, body = fetch(conn, "/api/queries")
    if status != 200:
        sys.exit(f"GET /api/queries answered {status}")
    print(f"{'saved query':<26}{'rows':>6}{'p50 ms':>9}{'p95 ms':>9}")
    for query in json.loads(body):
        required = [p["name"] for p in query["params"] if p["required"] and not p["default"]]
        if any(name not in EXAMPLES for name in required):
            print(f"{query['name']:<26}  (no example value for {', '.join(required)})")
            continue
        values = urlencode({n: EXAMPLES[n] for n in required})
        path = query["api"] + (f"?{values}" if values else "")
        status, body = fetch(conn, path)  # warm-up, and the row count
        if status != 200:
            print(f"{query['name']:<26}  answered {status}")
            continue
        rows = len(json.loads(body).get("results", {}).get("bindings", []))
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            fetch(conn, path)
            times.append(time.perf_counter() - started)
        p50, p95 = percentile(times, 0.5) * 1000, percentile(times, 0.95) * 1000
        print(f"{query['name']:<26}{rows:>6}{p50:>9.1f}{p95:>9.1f}")
    conn.close()


def measure_latency(
    host: str, port: int, path: str, runs: int, accept: str = "application/json"
) -> dict[str, Any]:
    """p50/p95 (ms) of `runs` sequential requests on one keep-alive connection, after one
    warm-up request (which also gives the row count of a SPARQL JSON answer)."""
    conn = http.client.HTTPConnection(host, port, timeout=120)
    started = time.perf_counter()
    status, body = fetch(conn, path, accept)
    first = time.perf_counter() - started
    out: dict[str, Any] = {"status": status, "first_ms": first * 1000}
    if status != 200:
        out["error"] = body[:300].decode("utf-8", "replace")
        conn.close()
        return out
    try:
        out["rows"] = len(json.loads(body).get("results", {}).get("bindings", []))
    except ValueError:
        out["rows"] = None
    runs = runs if first < 2 else min(runs, 3)  # a slow query: a few runs, bounded time
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fetch(conn, path, accept)
        times.append(time.perf_counter() - started)
    conn.close()
    out.update(
        runs=runs, p50_ms=percentile(times, 0.5) * 1000, p95_ms=percentile(times, 0.95) * 1000
    )
    return out


def measure_load(
    host: str, port: int, path: str, clients: int, seconds: float, accept: str = "application/json"
) -> dict[str, Any]:
    """Requests per second and latency with `clients` keep-alive connections for `seconds`."""
    tallies = [Tally() for _ in range(clients)]
    deadline = time.perf_counter() + seconds
    threads = [
        threading.Thread(target=client, args=(host, port, path, deadline, t, accept))
        for t in tallies
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies = [x for t in tallies for x in t.latencies]
    ok = sum(t.ok for t in tallies)
    return {
        "clients": clients,
        "seconds": elapsed,
        "ok": ok,
        "failed": sum(t.failed for t in tallies),
        "rps": ok / elapsed,
        "p50_ms": percentile(latencies, 0.5) * 1000 if latencies else None,
        "p95_ms": percentile(latencies, 0.95) * 1000 if latencies else None,
        "p99_ms": percentile(latencies, 0.99) * 1000 if latencies else None,
    }


def client(
    host: str, port: int, path: str, deadline: float, tally: Tally, accept: str = "application/json"
) -> None:
    conn = http.client.HTTPConnection(host, port, timeout=60)
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        try:
            status, _ = fetch(conn, path, accept)
        except (OSError, http.client.HTTPException):
            tally.failed += 1
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=60)
            continue
        tally.latencies.append(time.perf_counter() - started)
        if status == 200:
            tally.ok += 1
        else:
            tally.failed += 1
    conn.close()


def load(host: str, port: int, path: str, clients: int, seconds: float) -> None:
    """Requests per second with `clients` concurrent connections for `seconds`."""
    m = measure_load(host, port, path, clients, seconds)
    p50 = m["p50_ms"] if m["p50_ms"] is not None else float("nan")
    shown = path if len(path) <= 60 else path[:57] + "…"
    print(
        f"{shown:<62}{m['rps']:>9.0f} req/s  p50 {p50:6.1f} ms  ok {m['ok']}  failed {m['failed']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="loopback only")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0, help="per load run, at most 300")
    parser.add_argument("--runs", type=int, default=50, help="requests per saved query")
    parser.add_argument("--no-latency", action="store_true", help="only the load runs")
    parser.add_argument(
        "--latency-path", action="append", default=[], help="measure p50/p95 of this path"
    )
    parser.add_argument("--load-path", action="append", default=[], help="load this path")
    parser.add_argument("--accept", default="application/json")
    parser.add_argument("--json", action="store_true", help="with the paths: one JSON answer")
    args = parser.parse_args()
    if args.host not in LOOPBACK:
        parser.error("this benchmark only talks to a server on this machine (loopback)")
    if not 0 < args.seconds <= 300 or not 0 < args.clients <= 256:
        parser.error("--seconds must be in (0, 300] and --clients in (0, 256]")
    if not 0 < args.runs <= 1000:
        parser.error("--runs must be in (0, 1000]")
    if args.latency_path or args.load_path:  # what benchmarks/run.py asks for
        out = {
            "latency": {
                p: measure_latency(args.host, args.port, p, args.runs, args.accept)
                for p in args.latency_path
            },
            "load": {
                p: measure_load(args.host, args.port, p, args.clients, args.seconds, args.accept)
                for p in args.load_path
            },
        }
        print(json.dumps(out) if args.json else out)
        return
    if not args.no_latency:
        latency(args.host, args.port, args.runs)
        print()
    print(f"{args.clients} clients, {args.seconds:g} s each")
    for path in LOAD_PATHS:
        load(args.host, args.port, path, args.clients, args.seconds)


if __name__ == "__main__":
    main()
