"""Cheap requests while heavy ones pour in: a running edugraph server, on loopback only.

    .venv/bin/edugraph serve &
    .venv/bin/python benchmarks/admission.py [--port 5000] [--heavy 16] [--seconds 20]

`--heavy` clients send a heavy SPARQL query in a loop (each resends as soon as it is answered,
whatever the answer: 200, 429, 503 or 504) from the address 127.0.0.2, in a process of their
own (so that their threads do not slow the measuring client's); meanwhile one client at
127.0.0.1 sends /api/ping and one sends a cheap saved query (/api/queries/problems), each in
a loop, and their latencies are reported with the heavy clients' status counts. The
targets (issue 16): /api/ping p99 ≤ 50 ms, the cheap query p95 ≤ 500 ms. Every client stops
after `--seconds`.

With `--slow N`, first N sockets from the addresses 127.0.0.10–29 each send half a request and
then nothing; /api/ping is then asked 20 times (5 s timeout each) and the sockets still open
after `--seconds` are counted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import threading
import time
from collections import Counter
from typing import Any
from urllib.parse import urlencode

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"
CHEAP = "/api/queries/problems"
HEAVY_ADDRESS, CHEAP_ADDRESS = "127.0.0.2", "127.0.0.1"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def loop(
    port: int, path: str, source: str, deadline: float, statuses: Counter[int], times: list[float]
) -> None:
    """Send `path` until the deadline, one request at a time on a keep-alive connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(source, 0))
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            conn.request("GET", path, headers={"Accept": "application/json"})
            response = conn.getresponse()
            response.read()
            statuses[response.status] += 1
        except (OSError, http.client.HTTPException):
            statuses[0] += 1
            conn.close()
            conn = http.client.HTTPConnection(
                "127.0.0.1", port, timeout=60, source_address=(source, 0)
            )
            time.sleep(0.05)
            continue
        times.append(time.monotonic() - started)
    conn.close()


def heavy_clients(port: int, heavy: int, seconds: float, out: Any) -> None:
    """The heavy clients (a process of their own): their status counts go to `out`."""
    deadline = time.monotonic() + seconds
    path = "/sparql?" + urlencode({"query": HEAVY})
    statuses: Counter[int] = Counter()
    threads = [
        threading.Thread(target=loop, args=(port, path, HEAVY_ADDRESS, deadline, statuses, []))
        for _ in range(heavy)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put(dict(statuses))


def measure(port: int, heavy: int, seconds: float) -> dict[str, Any]:
    results: multiprocessing.Queue[dict[int, int]] = multiprocessing.Queue()
    flood = multiprocessing.Process(target=heavy_clients, args=(port, heavy, seconds, results))
    flood.start()
    time.sleep(1)  # the heavy clients are at it before the measurement starts
    deadline = time.monotonic() + seconds - 1
    ping_status: Counter[int] = Counter()
    cheap_status: Counter[int] = Counter()
    ping_times: list[float] = []
    cheap_times: list[float] = []
    threads = []
    threads.append(
        threading.Thread(
            target=loop, args=(port, "/api/ping", CHEAP_ADDRESS, deadline, ping_status, ping_times)
        )
    )
    threads.append(
        threading.Thread(
            target=loop, args=(port, CHEAP, CHEAP_ADDRESS, deadline, cheap_status, cheap_times)
        )
    )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    heavy_status = results.get(timeout=120)
    flood.join()
    return {
        "heavy_clients": heavy,
        "seconds": seconds,
        "heavy_statuses": heavy_status,
        "ping": {
            "requests": len(ping_times),
            "statuses": dict(ping_status),
            "p50_ms": percentile(ping_times, 0.5) * 1000,
            "p99_ms": percentile(ping_times, 0.99) * 1000,
            "max_ms": max(ping_times, default=0.0) * 1000,
        },
        "cheap_query": {
            "requests": len(cheap_times),
            "statuses": dict(cheap_status),
            "p50_ms": percentile(cheap_times, 0.5) * 1000,
            "p95_ms": percentile(cheap_times, 0.95) * 1000,
            "max_ms": max(cheap_times, default=0.0) * 1000,
        },
    }


def slow_sockets(port: int, count: int, seconds: float) -> dict[str, Any]:
    """Half-sent requests held open, and what a well-behaved client sees meanwhile."""
    import socket

    held = []
    refused = 0
    for i in range(count):
        try:
            s = socket.create_connection(
                ("127.0.0.1", port), timeout=5, source_address=(f"127.0.0.{10 + i % 20}", 0)
            )
            s.sendall(b"GET /api/ping HTTP/1.1\r\nHost: x\r\n")
            held.append(s)
        except OSError:
            refused += 1
    answered, times = 0, []
    for _ in range(20):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        started = time.monotonic()
        try:
            conn.request("GET", "/api/ping")
            conn.getresponse().read()
            answered += 1
            times.append(time.monotonic() - started)
        except (OSError, http.client.HTTPException):
            pass
        conn.close()
    time.sleep(seconds)
    still_open = 0
    for s in held:
        s.settimeout(0.01)
        try:
            still_open += s.recv(1) != b""
        except TimeoutError:
            still_open += 1
        except OSError:
            pass
        s.close()
    return {
        "slow_sockets": count,
        "not_connected": refused,
        "pings_answered_of_20": answered,
        "ping_max_ms": max(times, default=0.0) * 1000,
        f"still_open_after_{seconds:g}_s": still_open,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--heavy", type=int, default=16, help="heavy clients, at most 64")
    parser.add_argument("--seconds", type=float, default=20.0, help="at most 120")
    parser.add_argument("--slow", type=int, default=0, help="slow sockets instead, at most 400")
    args = parser.parse_args()
    if not 0 < args.heavy <= 64 or not 0 < args.seconds <= 120 or not 0 <= args.slow <= 400:
        parser.error("--heavy in (0, 64], --seconds in (0, 120], --slow in [0, 400]")
    if args.slow:
        print(json.dumps(slow_sockets(args.port, args.slow, args.seconds), indent=1))
        return
    print(json.dumps(measure(args.port, args.heavy, args.seconds), indent=1))


if __name__ == "__main__":
    main()
