"""The benchmark at scale (issue 8): build, validate, publish, load, query and serve a synthetic
corpus of R reports, with same-run baselines, and write the results.

    make bench                                    # R = 1, 30, 300
    .venv/bin/python benchmarks/run.py --reports 1,30 [--seconds 20] [--clients 16]

For each R: generate the corpus (benchmarks/corpus.py), then, each stage in its own process so
that its peak memory is its own:

- build: `build(paths, workers=N)` (ingest + build, then validation, whose time is
  BuildResult.outcome.seconds) and publish (TriG, written atomically);
- load + every saved query (the cases of tests/test_saved_queries.py, on this corpus) p50/p95
  in process, on OxigraphEngine and RdflibEngine (rdflib only up to --rdflib-max reports);
- HTTP against the real `edugraph serve` (waitress, forked query workers): every saved query's
  p50/p95, then throughput and latency of measures-for-problem and of /api/ping (the floor)
  under --clients concurrent keep-alive clients for --seconds each;
- baselines: the same SPARQL (parameters inlined by engines.with_values) sent straight to
  `oxigraph serve-read-only` on the same TriG, and to rdflib-endpoint (uvicorn), with the same
  client (benchmarks/http_load.py, in its own process).

Peak memory: each stage process reports max(ru_maxrss of itself, of its waited children);
the runner also samples the stage's whole process tree (sum of PSS, so that pages forked
workers share count once) every 0.2 s. Servers listen on 127.0.0.1 only; every load loop is
bounded by --seconds (at most 300) and every wait by a timeout.

Results: benchmarks/results/<date>-R<r1>-<r2>….json and .md (with the machine and the load
average during each R).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import importlib.metadata as md
import json
import os
import platform
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PY = sys.executable
BIN = Path(PY).parent
ID = "https://w3id.org/edugraph/id/"
RESULTS = BENCH / "results"

sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))


# --------------------------------------------------------------------------- stages (children)


def _peak_mb() -> float:
    """Peak RSS of this process and of its largest waited child, in MB (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def stage_build(a: dict[str, Any]) -> dict[str, Any]:
    from edugraph.publish.build import Paths, build
    from edugraph.publish.write import write_bytes
    from edugraph.vocab import SH

    paths = Paths(sources=Path(a["sources"]), curation=Path(a["curation"]))
    marks: list[float] = []
    started = time.perf_counter()
    cpu0 = _cpu()
    result = build(
        paths, workers=a["workers"], progress=lambda *_: marks.append(time.perf_counter())
    )
    built = time.perf_counter()
    outcome = result.outcome
    assert outcome is not None
    data = result.quads.trig()
    write_bytes(Path(a["out"]), data)
    published = time.perf_counter()
    total_build = built - started
    return {
        "reports": len(result.reports),
        "quads": len(result.quads),
        "trig_mb": len(data) / 1e6,
        "ingest_seconds": (marks[-1] - started) if marks else None,  # until the last report
        "ingest_build_seconds": total_build - outcome.seconds,
        "validate_seconds": outcome.seconds,
        "publish_seconds": published - built,
        "total_seconds": published - started,
        "cpu_seconds": _cpu() - cpu0,
        "violations": outcome.count(SH.Violation),
        "warnings": outcome.count(SH.Warning),
        "infos": outcome.count(SH.Info),
        "conforms": outcome.conforms,
        "peak_rss_mb": _peak_mb(),
    }


def _cpu() -> float:
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def stage_engine(a: dict[str, Any]) -> dict[str, Any]:
    from edugraph.query.engines import OxigraphEngine, RdflibEngine
    from edugraph.query.queries import load_queries

    cls = {"oxigraph": OxigraphEngine, "rdflib": RdflibEngine}[a["engine"]]
    started = time.perf_counter()
    engine = cls(Path(a["graph"]))
    loaded = time.perf_counter() - started
    queries = load_queries(ROOT / "queries")
    out: dict[str, Any] = {"load_seconds": loaded, "queries": {}}
    deadline = time.monotonic() + a["budget"]
    for key, name, params in a["cases"]:
        q = queries[name]
        bindings = q.bind(params)
        t = time.perf_counter()
        rows = len(engine.select(q.text, bindings)["results"]["bindings"])
        first = time.perf_counter() - t
        runs = a["runs"] if first < 1 else min(a["runs"], 3)
        times = []
        for _ in range(runs):
            if time.monotonic() > deadline:
                break
            t = time.perf_counter()
            engine.select(q.text, bindings)
            times.append(time.perf_counter() - t)
        out["queries"][key] = {
            "rows": rows,
            "first_ms": first * 1000,
            "runs": len(times),
            "p50_ms": _pct(times, 0.5) * 1000 if times else None,
            "p95_ms": _pct(times, 0.95) * 1000 if times else None,
        }
    out["peak_rss_mb"] = _peak_mb()
    return out


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


STAGES = {"build": stage_build, "engine": stage_engine}


# --------------------------------------------------------------------------- the runner


class TreeSampler:
    """Peak memory of a process and its descendants, sampled: sum of PSS (pages shared by
    forked workers count once), and of RSS."""

    def __init__(self, pid: int, interval: float = 0.2):
        self.pid, self.interval = pid, interval
        self.peak_pss = self.peak_rss = 0.0
        self.peak_at = 0.0  # seconds from the start to the peak of PSS
        self.started = time.perf_counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def sample(self) -> None:
        try:
            import psutil
        except ImportError:
            return
        try:
            root = psutil.Process(self.pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            return
        pss = rss = 0
        for p in procs:
            with contextlib.suppress(psutil.Error):
                info = p.memory_full_info()
                pss += getattr(info, "pss", info.rss)
                rss += info.rss
        if pss / 2**20 > self.peak_pss:
            self.peak_pss, self.peak_at = pss / 2**20, time.perf_counter() - self.started
        self.peak_rss = max(self.peak_rss, rss / 2**20)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)


def communicate(proc: subprocess.Popen[bytes], timeout: float) -> tuple[bytes, bytes] | None:
    """The process's output, or None when it ran past `timeout` (it is killed)."""
    try:
        return proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return None


def run_stage(name: str, args: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run a stage in a child process; its JSON answer plus wall time and sampled memory."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(args, f)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [PY, __file__, "--stage", name, f.name], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    with TreeSampler(proc.pid) as sampler:
        done = communicate(proc, timeout)
    if done is None:
        return {"error": f"timed out after {timeout:g} s"}
    out, err = done
    os.unlink(f.name)
    if proc.returncode != 0:
        return {"error": err.decode("utf-8", "replace")[-2000:]}
    result: dict[str, Any] = json.loads(out.decode("utf-8").strip().splitlines()[-1])
    result["wall_seconds"] = time.perf_counter() - started
    result["tree_peak_pss_mb"] = sampler.peak_pss
    result["tree_peak_rss_mb"] = sampler.peak_rss
    return result


def run_cli(cmd: list[str], timeout: float, env: dict[str, str] | None = None) -> dict[str, Any]:
    """A command (here `edugraph build`) with its wall time, the CPU time of its process tree
    (every descendant is waited for, so RUSAGE_CHILDREN holds them all), its sampled peak
    memory (sum of PSS, and of RSS), the load average around it and its last output line."""
    load = loadavg()
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    with TreeSampler(proc.pid) as sampler:
        done = communicate(proc, timeout)
    if done is None:
        return {"error": f"timed out after {timeout:g} s"}
    out = done[0]
    lines = out.decode("utf-8", "replace").strip().splitlines()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime - cpu.ru_utime) + (after.ru_stime - cpu.ru_stime)
    return {
        "exit": proc.returncode,
        "seconds": round(time.perf_counter() - started, 2),
        "cpu_seconds": round(used, 2),
        "loadavg": [*load, *loadavg()],  # 1, 5 and 15 min before, then after
        "tree_peak_pss_mb": round(sampler.peak_pss, 1),
        "tree_peak_rss_mb": round(sampler.peak_rss, 1),
        "tree_peak_pss_at_seconds": round(sampler.peak_at, 1),
        "last_line": lines[-1] if lines else "",
    }


def bench_build(r: int, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """`edugraph build` as a user runs it (issue 15): a clean build, an unchanged rebuild, and
    a rebuild after one report's source changed, each with its time and peak memory; with
    `--before`, the other code's clean build and its rebuild after the same change too."""
    import corpus

    root = work / f"R{r}"
    sources = corpus.write(corpus.generate(r, seed=args.seed), root)
    out = root / "build" / "edugraph.trig"
    cmd = [str(BIN / "edugraph"), "build", "--sources", str(sources), "--out", str(out)]
    cmd += ["--curation", str(root / "curation"), "--allow-invalid"]
    res: dict[str, Any] = {"R": r, "loadavg_start": loadavg()}
    env = {**os.environ, "PYTHONPATH": str(args.before.resolve() / "src")} if args.before else {}
    before = [*cmd[:4], "--out", str(root / "build-before" / "edugraph.trig"), *cmd[6:]]
    if args.before is not None:  # the same builds with other code, in the same run
        res["before_clean"] = _shown(
            r, "before_clean", res, run_cli(before, args.stage_timeout, env)
        )
    res["clean"] = _shown(r, "clean", res, _timed(cmd, root / "timings-clean.json", args))
    if args.ready is not None and res["clean"].get("exit") == 0:
        dataset = (out.parent / "current").resolve() / out.name  # this version, kept after
        args.ready.write_text(f"{dataset}\n", encoding="utf-8")
    res["unchanged"] = _shown(
        r, "unchanged", res, _timed(cmd, root / "timings-unchanged.json", args)
    )
    first = sorted(sources.glob("*.txt"))[0]
    first.write_text(first.read_text("utf-8") + "\n新建幼儿园2所。\n", encoding="utf-8")
    if args.before is not None:
        changed = run_cli(before, args.stage_timeout, env)
        res["before_one_changed"] = _shown(r, "before_one_changed", res, changed)
    changed = _timed(cmd, root / "timings-one-changed.json", args)
    res["one_changed"] = _shown(r, "one_changed", res, changed)
    res["loadavg_end"] = loadavg()
    res["trig_mb"] = round(out.stat().st_size / 1e6, 1) if out.exists() else None
    return res


def _timed(cmd: list[str], path: Path, args: argparse.Namespace) -> dict[str, Any]:
    """A build of this code with each stage's CPU and wall seconds (`--timings`)."""
    path.unlink(missing_ok=True)
    run = run_cli([*cmd, "--timings", str(path)], args.stage_timeout)
    if path.is_file():
        run["stages"] = json.loads(path.read_text(encoding="utf-8"))
    return run


def _shown(r: int, name: str, res: dict[str, Any], run: dict[str, Any] | None = None) -> Any:
    """A build's figures on stderr as soon as it is done (a long run can be read midway)."""
    run = run if run is not None else res[name]
    print(json.dumps({"R": r, name: run}, ensure_ascii=False), file=sys.stderr, flush=True)
    return run


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(port: int, path: str, timeout: float, proc: subprocess.Popen[bytes]) -> float:
    """Seconds until `path` answers (any status); fails if the process dies or time runs out."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            conn.getresponse().read()
            conn.close()
            return time.perf_counter() - started
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no answer on port {port} after {timeout:g} s")


@contextlib.contextmanager
def server(cmd: list[str], port: int, probe: str, timeout: float, log: Path) -> Any:
    """Start a server on loopback, wait until it answers, stop it (its process group)."""
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        ready = wait_http(port, probe, timeout, proc)
        yield proc, ready
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, 9)
            proc.wait(timeout=15)


def http_client(
    port: int,
    latency: list[str],
    load: list[str],
    args: argparse.Namespace,
    accept: str = "application/json",
    runs: int | None = None,
) -> dict[str, Any]:
    """benchmarks/http_load.py in its own process (its own GIL), JSON back."""
    cmd = [PY, str(BENCH / "http_load.py"), "--port", str(port), "--json", "--accept", accept]
    cmd += ["--clients", str(args.clients), "--seconds", str(args.seconds)]
    cmd += ["--runs", str(runs or args.http_runs)]
    for p in latency:
        cmd += ["--latency-path", p]
    for p in load:
        cmd += ["--load-path", p]
    bound = 120 + len(load) * (args.seconds + 60) + len(latency) * 120
    done = subprocess.run(cmd, capture_output=True, timeout=bound, check=True)
    return dict(json.loads(done.stdout.decode("utf-8").strip().splitlines()[-1]))


def cases(slug: str) -> list[tuple[str, str, dict[str, str]]]:
    """The saved-query cases of tests/test_saved_queries.py, pointed at this corpus."""
    try:
        from tests.test_saved_queries import CASES
    except Exception:  # the test module moved: the same cases, written out
        CASES = [
            ("problems", {}),
            ("measures-for-problem", {"problem": f"{ID}report/chongqing-2020/problem/1"}),
            ("problem-measure-matrix", {}),
            ("observations", {}),
            ("observations", {"stage": f"{ID}stage/preschool"}),
            ("targets", {}),
            ("bodies", {}),
            ("measures-by-body", {"body": f"{ID}body/ministry-of-education"}),
            ("findings", {}),
            ("search", {"q": "大班额"}),
            ("problem-responses", {}),
        ]
    out, seen = [], set()
    for name, params in CASES:
        params = {
            k: v.replace("report/chongqing-2020/", f"report/{slug}/") for k, v in params.items()
        }
        key = name + "".join(f" {k}={_tail(v)}" for k, v in params.items())
        if key in seen:
            continue
        seen.add(key)
        out.append((key, name, params))
    return out


def _tail(value: str) -> str:
    """An IRI's last two segments (problem/1, stage/preschool), a literal as it is."""
    return "/".join(value.split("/")[-2:]) if value.startswith("http") else value


def api_path(name: str, params: dict[str, str]) -> str:
    return f"/api/queries/{name}" + (f"?{urlencode(params)}" if params else "")


def inlined(name: str, params: dict[str, str]) -> str:
    """The saved query's text with its values inlined as a VALUES block (what our service
    runs), for a plain SPARQL endpoint."""
    from edugraph.query.engines import with_values
    from edugraph.query.queries import load_queries

    q = load_queries(ROOT / "queries")[name]
    return with_values(q.text, q.bind(params))


def loadavg() -> list[float]:
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def wait_for_quiet(threshold: float, most: float) -> dict[str, Any]:
    """Wait (at most `most` seconds) until the 1-minute load average is below `threshold`."""
    started = time.monotonic()
    while loadavg()[0] > threshold and time.monotonic() - started < most:
        time.sleep(15)
    return {"waited_seconds": round(time.monotonic() - started), "loadavg": loadavg()}


def bench_one(r: int, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    import corpus

    res: dict[str, Any] = {"R": r, "loadavg_start": loadavg()}
    if r >= 100 and args.quiet_load:
        res["quiet_wait"] = wait_for_quiet(args.quiet_load, args.quiet_wait)
        res["loadavg_start"] = res["quiet_wait"]["loadavg"]
        print(f"  load average {res['quiet_wait']}", flush=True)
    root = work / f"R{r}"
    t = time.perf_counter()
    reports = corpus.generate(r, seed=args.seed)
    sources = corpus.write(reports, root)
    res["corpus"] = {
        "seconds": time.perf_counter() - t,
        "text_mb": sum(len(x.text.encode("utf-8")) for x in reports) / 1e6,
        "structures": {
            s: sum(1 for x in reports if x.structure == s)
            for s in ("chongqing", "jiangbei", "county")
        },
        "measures": sum(x.expected["measure"] for x in reports),
        "problems": sum(x.expected["problem"] for x in reports),
    }
    trig = root / "edugraph.trig"
    print(f"R={r}: build …", flush=True)
    res["build"] = run_stage(
        "build",
        {
            "sources": str(sources),
            "curation": str(root / "curation"),
            "out": str(trig),
            "workers": args.workers,
        },
        timeout=args.stage_timeout,
    )
    print(f"  {_short(res['build'])}", flush=True)
    if "error" in res["build"]:
        return res
    slug = next(x.slug for x in reports if x.expected["problem"] >= 2)
    problem = f"{ID}report/{slug}/problem/1"
    res["problem"] = problem
    todo = cases(slug)
    res["engines"] = {}
    for engine in ("oxigraph", "rdflib"):
        if engine == "rdflib" and r > args.rdflib_max:
            res["engines"][engine] = {"skipped": f"R > --rdflib-max {args.rdflib_max}"}
            continue
        print(f"  engine {engine} …", flush=True)
        res["engines"][engine] = run_stage(
            "engine",
            {"engine": engine, "graph": str(trig), "cases": todo,
             "runs": args.runs if engine == "oxigraph" else args.rdflib_runs,
             "budget": args.stage_timeout / 2},
            timeout=args.stage_timeout,
        )  # fmt: skip
        print(f"    {_short(res['engines'][engine])}", flush=True)
    res["http"] = http_benchmarks(r, args, root, trig, todo, problem)
    res["loadavg_end"] = loadavg()
    return res


def http_benchmarks(
    r: int, args: argparse.Namespace, root: Path, trig: Path, todo: list[Any], problem: str
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    mfp = api_path("measures-for-problem", {"problem": problem})
    # our service
    port = free_port()
    cmd = [
        str(BIN / "edugraph"),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--graph",
        str(trig),
    ]
    print("  edugraph serve …", flush=True)
    try:
        with server(cmd, port, "/api/ping", args.stage_timeout, root / "serve.log") as (
            proc,
            ready,
        ):
            with TreeSampler(proc.pid) as mem:
                lat = http_client(port, [api_path(n, p) for _, n, p in todo], [], args)
                load = http_client(port, [], [mfp, "/api/ping"], args)
            out["edugraph"] = {
                "ready_seconds": ready,
                "latency": {key: lat["latency"][api_path(n, p)] for key, n, p in todo},
                "load": {
                    "measures-for-problem": load["load"][mfp],
                    "ping": load["load"]["/api/ping"],
                },
                "tree_peak_pss_mb": mem.peak_pss,
                "tree_peak_rss_mb": mem.peak_rss,
            }
    except Exception as exc:  # report and go on with the baselines
        out["edugraph"] = {"error": repr(exc)}
    print(f"    {_short(out['edugraph'])}", flush=True)
    # oxigraph serve (the same TriG, loaded into an on-disk store)
    store = root / "oxigraph-store"
    shutil.rmtree(store, ignore_errors=True)
    t = time.perf_counter()
    subprocess.run(
        [str(BIN / "oxigraph"), "load", "--location", str(store), "--file", str(trig)],
        check=True, capture_output=True, timeout=args.stage_timeout,
    )  # fmt: skip
    loaded = time.perf_counter() - t
    port = free_port()
    cmd = [str(BIN / "oxigraph"), "serve-read-only", "--location", str(store), "--bind",
           f"127.0.0.1:{port}", "--union-default-graph"]  # fmt: skip
    sparql = {key: "/query?query=" + quote(inlined(n, p)) for key, n, p in todo}
    accept = "application/sparql-results+json"
    print("  oxigraph serve …", flush=True)
    try:
        with server(cmd, port, "/query?query=ASK%7B%7D", 120, root / "oxigraph.log") as (
            proc,
            ready,
        ):
            with TreeSampler(proc.pid) as mem:
                lat = http_client(port, list(sparql.values()), [], args, accept)
                key = next(k for k, n, _ in todo if n == "measures-for-problem")
                load = http_client(port, [], [sparql[key]], args, accept)
            out["oxigraph_serve"] = {
                "load_seconds": loaded,
                "ready_seconds": ready,
                "latency": {k: lat["latency"][v] for k, v in sparql.items()},
                "load": {"measures-for-problem": load["load"][sparql[key]]},
                "tree_peak_rss_mb": mem.peak_rss,
            }
    except Exception as exc:
        out["oxigraph_serve"] = {"error": repr(exc)}
    print(f"    {_short(out['oxigraph_serve'])}", flush=True)
    shutil.rmtree(store, ignore_errors=True)
    # rdflib-endpoint
    if r > args.rdflib_max:
        out["rdflib_endpoint"] = {"skipped": f"R > --rdflib-max {args.rdflib_max}"}
        return out
    port = free_port()
    cmd = [PY, str(BENCH / "rdflib_endpoint_app.py"), str(trig), str(port)]
    print("  rdflib-endpoint …", flush=True)
    try:
        with server(cmd, port, "/?query=ASK%7B%7D", args.stage_timeout, root / "rdflib.log") as (
            proc,
            ready,
        ):
            key = next(k for k, n, _ in todo if n == "measures-for-problem")
            path = "/?query=" + quote(inlined("measures-for-problem", {"problem": problem}))
            with TreeSampler(proc.pid) as mem:
                lat = http_client(port, [path], [], args, accept, runs=min(args.http_runs, 20))
                load = http_client(port, [], [path], args, accept)
            out["rdflib_endpoint"] = {
                "ready_seconds": ready,
                "latency": {key: lat["latency"][path]},
                "load": {"measures-for-problem": load["load"][path]},
                "tree_peak_rss_mb": mem.peak_rss,
            }
    except Exception as exc:
        out["rdflib_endpoint"] = {"error": repr(exc)}
    print(f"    {_short(out['rdflib_endpoint'])}", flush=True)
    return out


def _short(d: dict[str, Any]) -> str:
    if "error" in d:
        return "ERROR " + d["error"][-600:]
    keys = (
        "total_seconds",
        "validate_seconds",
        "load_seconds",
        "ready_seconds",
        "wall_seconds",
        "tree_peak_pss_mb",
    )
    return ", ".join(f"{k}={d[k]:.2f}" for k in keys if isinstance(d.get(k), float))


def machine() -> dict[str, Any]:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor(),
    )  # fmt: skip
    mem = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )  # fmt: skip
    packages = {}
    for name in ("edugraph", "pyoxigraph", "oxigraph", "rdflib", "pyshacl", "flask", "waitress",
                 "rdflib-endpoint", "fastapi", "uvicorn", "psutil"):  # fmt: skip
        with contextlib.suppress(md.PackageNotFoundError):
            packages[name] = md.version(name)
    git = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--short", "src", "queries", "ontology"],
        capture_output=True,
        text=True,
    ).stdout.count("\n")
    return {
        "git": f"{git} (+{dirty} uncommitted files in src, queries, ontology)",
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem / 2**20, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "packages": packages,
    }


# --------------------------------------------------------------------------- report


def targets(runs: list[dict[str, Any]]) -> list[tuple[str, str, str, bool | None]]:
    """(target, figure, where, met) for every target of the issue."""
    out: list[tuple[str, str, str, bool | None]] = []
    for res in runs:
        r, h = res["R"], res.get("http", {})
        ours, ox, rl = (
            h.get("edugraph", {}),
            h.get("oxigraph_serve", {}),
            h.get("rdflib_endpoint", {}),
        )
        key = next(
            (k for k in ours.get("latency", {}) if k.startswith("measures-for-problem")), None
        )
        if key and key in ox.get("latency", {}):
            a, b = ours["latency"][key]["p50_ms"], ox["latency"][key]["p50_ms"]
            out.append(
                (
                    f"API p50 ≤ 2× oxigraph serve (R={r})",
                    f"{a:.2f} / {b:.2f} ms = {a / b:.2f}×",
                    "measures-for-problem",
                    a <= 2 * b,
                )
            )
        if "load" in ours and "load" in rl:
            a, b = (
                ours["load"]["measures-for-problem"]["rps"],
                rl["load"]["measures-for-problem"]["rps"],
            )
            out.append(
                (
                    f"API throughput ≥ 10× rdflib-endpoint (R={r})",
                    f"{a:.0f} / {b:.1f} req/s = {a / max(b, 1e-9):.1f}×",
                    "measures-for-problem",
                    a >= 10 * b,
                )
            )
        elif "skipped" in rl:
            out.append(
                (
                    f"API throughput ≥ 10× rdflib-endpoint (R={r})",
                    "rdflib-endpoint not run",
                    rl["skipped"],
                    None,
                )
            )
        if r == 300:
            b = res.get("build", {})
            if "total_seconds" in b:
                out.append(
                    (
                        "build (ingest+validate+publish) ≤ 60 s (R=300)",
                        f"{b['total_seconds']:.1f} s",
                        "edugraph build, workers=2",
                        b["total_seconds"] <= 60,
                    )
                )
            q = res.get("engines", {}).get("oxigraph", {}).get("queries", {})
            if q:
                worst = max(q, key=lambda k: q[k]["p95_ms"] or 0)
                out.append(
                    (
                        "every saved query p95 ≤ 50 ms (R=300, embedded Oxigraph)",
                        f"worst {q[worst]['p95_ms']:.1f} ms ({worst})",
                        "in process",
                        all((v["p95_ms"] or 1e9) <= 50 for v in q.values()),
                    )
                )
            lat = ours.get("latency", {})
            if lat:
                worst = max(lat, key=lambda k: lat[k].get("p95_ms") or 0)
                out.append(
                    (
                        "every saved query p95 ≤ 50 ms (R=300, HTTP API)",
                        f"worst {lat[worst].get('p95_ms', 0):.1f} ms ({worst})",
                        "through edugraph serve",
                        all((v.get("p95_ms") or 1e9) <= 50 for v in lat.values()),
                    )
                )
            peaks = stage_peaks(res)
            if peaks:
                stage, mb = max(peaks.items(), key=lambda kv: kv[1])
                out.append(
                    (
                        "peak memory ≤ 1 GB (R=300)",
                        f"{mb:.0f} MB ({stage})",
                        "max over stages, process tree PSS",
                        mb <= 1024,
                    )
                )
    return out


def stage_peaks(res: dict[str, Any]) -> dict[str, float]:
    peaks: dict[str, float] = {}
    b = res.get("build", {})
    if "tree_peak_pss_mb" in b:
        peaks["build"] = b["tree_peak_pss_mb"]
    for name, e in res.get("engines", {}).items():
        if "tree_peak_pss_mb" in e:
            peaks[f"load+query {name}"] = e["tree_peak_pss_mb"]
    ours = res.get("http", {}).get("edugraph", {})
    if "tree_peak_pss_mb" in ours:
        peaks["edugraph serve"] = ours["tree_peak_pss_mb"]
    return peaks


def fmt(x: Any, digits: int = 1) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:.{digits}f}"
    return str(x)


def markdown(doc: dict[str, Any]) -> str:
    m = doc["machine"]
    lines = [
        f"# edugraph benchmark, {doc['date']}, R = {', '.join(str(r['R']) for r in doc['runs'])}",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; Linux {m['kernel']}; "
        f"Python {m['python']}; " + ", ".join(f"{k} {v}" for k, v in m["packages"].items()) + ".",
        f"Code: {m.get('git', '?')}.",
        f"Settings: workers={doc['args']['workers']}, {doc['args']['clients']} clients × "
        f"{doc['args']['seconds']} s per load run, {doc['args']['runs']} runs per query "
        f"(rdflib {doc['args']['rdflib_runs']}), seed {doc['args']['seed']}.",
        "",
        "## Targets",
        "",
        "| target | figure | where | met |",
        "|---|---|---|---|",
    ]
    for name, figure, where, met in targets(doc["runs"]):
        lines.append(
            f"| {name} | {figure} | {where} | {'yes' if met else '–' if met is None else '**no**'} |"
        )
    lines += ["", "## Pipeline", "",
              "| R | load avg (start → end) | text MB | quads | ingest+build s | per report s | validate s | publish s | total s | CPU s | peak MB (tree PSS / max RSS) | violations / warnings |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for res in doc["runs"]:
        b = res.get("build", {})
        la = f"{res['loadavg_start'][0]:.2f} → {res.get('loadavg_end', [0])[0]:.2f}"
        if "error" in b:
            lines.append(f"| {res['R']} | {la} | | | error: {b['error'][-200:]!r} |")
            continue
        lines.append(
            f"| {res['R']} | {la} | {res['corpus']['text_mb']:.2f} | {b['quads']} | {b['ingest_build_seconds']:.1f} | "
            f"{b['ingest_build_seconds'] / res['R']:.2f} | {b['validate_seconds']:.1f} | {b['publish_seconds']:.1f} | "
            f"{b['total_seconds']:.1f} | {b['cpu_seconds']:.0f} | {b['tree_peak_pss_mb']:.0f} / {b['peak_rss_mb']:.0f} | "
            f"{b['violations']} / {b['warnings']} |"
        )
    lines += [
        "",
        "## Loading",
        "",
        "| R | engine | load s | peak MB (tree PSS / max RSS) |",
        "|---|---|---|---|",
    ]
    for res in doc["runs"]:
        for name, e in res.get("engines", {}).items():
            if "load_seconds" in e:
                lines.append(
                    f"| {res['R']} | {name} (in process) | {e['load_seconds']:.2f} | {e['tree_peak_pss_mb']:.0f} / {e['peak_rss_mb']:.0f} |"
                )
            else:
                lines.append(
                    f"| {res['R']} | {name} | {e.get('skipped') or e.get('error', '')[-200:]!r} | |"
                )
        h = res.get("http", {})
        ox = h.get("oxigraph_serve", {})
        if "load_seconds" in ox:
            lines.append(
                f"| {res['R']} | `oxigraph load` (on disk) | {ox['load_seconds']:.2f} | {ox['tree_peak_rss_mb']:.0f} (serving, RSS) |"
            )
        ours = h.get("edugraph", {})
        if "ready_seconds" in ours:
            lines.append(
                f"| {res['R']} | `edugraph serve` start until /api/ping answers | {ours['ready_seconds']:.2f} | {ours['tree_peak_pss_mb']:.0f} / {ours['tree_peak_rss_mb']:.0f} (serving: server + spawner + workers) |"
            )
        rl = h.get("rdflib_endpoint", {})
        if "ready_seconds" in rl:
            lines.append(
                f"| {res['R']} | rdflib-endpoint start | {rl['ready_seconds']:.2f} | {rl['tree_peak_rss_mb']:.0f} (RSS) |"
            )
    lines += ["", "## Saved queries, p50 / p95 ms", "",
              "In process: `engine.select` (SPARQL JSON dicts). HTTP: sequential requests on one keep-alive connection; "
              "ours through `/api/queries/<name>`, the baseline the same text with the values inlined to `oxigraph serve`.", "",
              "| R | query | rows | Oxigraph in process | rdflib in process | HTTP edugraph | HTTP oxigraph serve | HTTP rdflib-endpoint |",
              "|---|---|---|---|---|---|---|---|"]  # fmt: skip

    def pp(d: dict[str, Any] | None) -> str:
        if not d or d.get("p50_ms") is None:
            return "–" if not d or "error" not in d else f"error {d.get('status')}"
        return f"{d['p50_ms']:.2f} / {d['p95_ms']:.2f}"

    for res in doc["runs"]:
        ox = res.get("engines", {}).get("oxigraph", {}).get("queries", {})
        rl = res.get("engines", {}).get("rdflib", {}).get("queries", {})
        h = res.get("http", {})
        for key in ox:
            lines.append(
                f"| {res['R']} | {key} | {ox[key]['rows']} | {pp(ox.get(key))} | {pp(rl.get(key))} | "
                f"{pp(h.get('edugraph', {}).get('latency', {}).get(key))} | "
                f"{pp(h.get('oxigraph_serve', {}).get('latency', {}).get(key))} | "
                f"{pp(h.get('rdflib_endpoint', {}).get('latency', {}).get(key))} |"
            )
    lines += ["", f"## HTTP under load: {doc['args']['clients']} clients, {doc['args']['seconds']} s", "",
              "| R | server | route | req/s | p50 ms | p95 ms | p99 ms | ok | failed |", "|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for res in doc["runs"]:
        for server_name, s in res.get("http", {}).items():
            for route, load in s.get("load", {}).items():
                lines.append(
                    f"| {res['R']} | {server_name} | {route} | {load['rps']:.1f} | {fmt(load['p50_ms'])} | {fmt(load['p95_ms'])} | "
                    f"{fmt(load['p99_ms'])} | {load['ok']} | {load['failed']} |"
                )
            if "skipped" in s or "error" in s:
                lines.append(
                    f"| {res['R']} | {server_name} | {s.get('skipped') or s.get('error')} | | | | | | |"
                )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stage", nargs=2, metavar=("NAME", "ARGS_JSON"), help=argparse.SUPPRESS)
    parser.add_argument("--reports", default="1,30,300", help="comma-separated R values")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--runs", type=int, default=30, help="runs per saved query (Oxigraph)")
    parser.add_argument("--rdflib-runs", type=int, default=5)
    parser.add_argument("--http-runs", type=int, default=30)
    parser.add_argument("--rdflib-max", type=int, default=30, help="largest R for rdflib")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0, help="per load run, ≤ 300")
    parser.add_argument("--stage-timeout", type=float, default=1200.0)
    parser.add_argument("--quiet-load", type=float, default=1.5,
                        help="before R ≥ 100, wait for the load average to fall below this")  # fmt: skip
    parser.add_argument("--quiet-wait", type=float, default=300.0, help="… for at most so long")
    parser.add_argument("--work", type=Path, default=None, help="corpus and stores (default: tmp)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--build-only",
        action="store_true",
        help="only `edugraph build`: clean, unchanged, one changed",
    )
    parser.add_argument(
        "--before",
        type=Path,
        default=None,
        help="with --build-only: a checkout of other code whose clean build runs first",
    )
    parser.add_argument(
        "--ready",
        type=Path,
        default=None,
        help="with --build-only: after the clean build, write its dataset's path to this file",
    )
    args = parser.parse_args()
    if args.stage:
        name, path = args.stage
        print(json.dumps(STAGES[name](json.loads(Path(path).read_text()))))
        return
    if not 0 < args.seconds <= 300:
        parser.error("--seconds must be in (0, 300]")
    rs = [int(x) for x in args.reports.split(",")]
    work = args.work or Path(tempfile.mkdtemp(prefix="edugraph-bench-"))
    if args.build_only:
        for r in rs:
            print(json.dumps(bench_build(r, args, work), ensure_ascii=False), flush=True)
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
        return
    doc: dict[str, Any] = {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": machine(),
        "args": {
            k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items() if k != "stage"
        },
        "runs": [],
    }
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"{dt.date.today().isoformat()}-R{'-'.join(map(str, rs))}"
    for r in rs:
        doc["runs"].append(bench_one(r, args, work))
        Path(f"{stem}.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False))
        Path(f"{stem}.md").write_text(markdown(doc))
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    print(f"-> {stem}.md, {stem}.json")
    print(markdown(doc))


if __name__ == "__main__":
    main()
