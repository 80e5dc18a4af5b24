"""How `edugraph build` scales with the size of a source: time and peak memory, 1 MB against N MB.

Each source is the Chongqing report repeated to the size asked for; each build runs in a process
of its own, so its peak resident memory is its own. Linear ingestion means both ratios stay near
the ratio of the sizes (issue 16: 50 MB in at most 50 times the time of 1 MB). On a shared
machine wall time depends on the neighbours; CPU time (the build's processes, user and system)
much less, so both are printed.

    .venv/bin/python benchmarks/ingest_scaling.py            # 1, 4 and 8 MB
    .venv/bin/python benchmarks/ingest_scaling.py 1 8 50     # sizes in MB (`make bench-ingest`)
    .venv/bin/python benchmarks/ingest_scaling.py --dataset 1 50   # the dataset file only
    .venv/bin/python benchmarks/ingest_scaling.py --phases 1 4     # memory by phase, in process
    .venv/bin/python benchmarks/ingest_scaling.py --validation 1 4 8   # validation alone

`--dataset` builds the dataset (ingest, graph, validation, its N-Quads file) without the files
a version serves beside it (dumps in every format, the VoID description, the docs, the store),
which cost more than the rest together. `--phases` runs the stages of one build in this process,
validation included, and prints the CPU time and the memory each one leaves held and peaks at,
over what the process held before the report was read. `--validation` builds each dataset in
this process and validates it twice, in pieces (as a build does for a long report) and in one
run, printing the CPU time of each and whether their findings and rule counts are identical.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from edugraph.graph.quads import Quads

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "sources" / "chongqing-2020"
EDUGRAPH = Path(sys.executable).with_name("edugraph")

# Runs one build in a child and reports its wall time and peak resident memory (KiB on Linux).
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime,
                  "peak_kib": usage.ru_maxrss, "rc": done.returncode, "err": done.stderr[-2000:]}))
"""

# The dataset only: `build` as `edugraph build` runs it, then its N-Quads, no served files.
DATASET = """
import sys
from pathlib import Path
from edugraph.publish.build import Paths, build
result = build(Paths(sources=Path(sys.argv[1])))
Path(sys.argv[2]).write_bytes(result.quads.nquads())
"""


def make_source(folder: Path, megabytes: float) -> int:
    """A source of about `megabytes` MB: the report repeated; returns its size in bytes."""
    text = SOURCE.with_suffix(".txt").read_text(encoding="utf-8")
    copies = max(1, round(megabytes * 1_000_000 / len(text.encode("utf-8"))))
    folder.mkdir(parents=True)
    body = text * copies
    (folder / "scaling.txt").write_text(body, encoding="utf-8")
    shutil.copy(SOURCE.with_suffix(".toml"), folder / "scaling.toml")
    return len(body.encode("utf-8"))


def build(megabytes: float, work: Path, *, dataset: bool = False) -> dict[str, float]:
    sources = work / f"sources-{megabytes}"
    size = make_source(sources, megabytes)
    out = work / f"edugraph-{megabytes}.nq"
    command = [str(EDUGRAPH), "build", "--sources", str(sources), "--out", str(out)]
    # a repeated report holds figures that do not add up across its copies: publish anyway
    command.append("--allow-invalid")
    if dataset:
        command = [sys.executable, "-c", DATASET, str(sources), str(out)]
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True
    )
    measured = json.loads(result.stdout)
    if measured["rc"] != 0 or not out.is_file():  # a build that stops early is no figure
        raise SystemExit(f"build of {megabytes} MB failed:\n{measured['err']}")
    return {
        "bytes": size,
        "seconds": measured["seconds"],
        "cpu": measured["cpu"],
        "peak_mib": measured["peak_kib"] / 1024,
    }


def main(argv: list[str]) -> None:
    sizes = [float(a) for a in argv if not a.startswith("--")] or [1.0, 4.0, 8.0]
    if "--phases" in argv:
        for mb in sizes:
            phases(mb)
        return
    if "--validation" in argv:
        validation(sizes)
        return
    print(f"{'size':>8} {'bytes':>11} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9}", end="")
    print("  size× wall× CPU× memory×", flush=True)
    with tempfile.TemporaryDirectory(prefix="edugraph-scaling-") as tmp:
        base: dict[str, float] = {}
        for mb in sizes:  # each row as soon as it is measured: a large build takes long
            r = build(mb, Path(tmp), dataset="--dataset" in argv)
            base = base or r
            print(
                f"{mb:>6g}MB {r['bytes']:>11} {r['seconds']:>8.1f} {r['cpu']:>8.1f}"
                f" {r['peak_mib']:>9.0f}  {r['bytes'] / base['bytes']:>5.1f}"
                f" {r['seconds'] / base['seconds']:>5.1f} {r['cpu'] / base['cpu']:>4.1f}"
                f" {r['peak_mib'] / base['peak_mib']:>7.1f}",
                flush=True,
            )


def phases(megabytes: float) -> None:
    """One build's stages in this process: CPU seconds, MiB held after and peak during each."""
    from rdflib import Graph

    from edugraph.graph.quads import Lines, Quads
    from edugraph.graph.reference import reference_graph
    from edugraph.graph.report import ReportGraph
    from edugraph.ingest.report import ingest
    from edugraph.publish.build import Paths, count_classes, parsed
    from edugraph.reference import load_reference
    from edugraph.validate.shapes import add_findings, load_shapes, validate
    from edugraph.vocab import PREFIXES, Iris

    os.cpu_count = lambda: 1  # validation in this process, where it is measured
    with tempfile.TemporaryDirectory(prefix="edugraph-phases-") as tmp:
        size = make_source(Path(tmp) / "sources", megabytes)
        paths, iris = Paths(sources=Path(tmp) / "sources"), Iris()
        shapes, reference = load_shapes(paths.shapes), load_reference(paths.reference)
        quads = Quads({prefix: str(ns) for prefix, ns in PREFIXES.items()})
        quads.add_graph(iris.graph("ontology"), parsed(paths.ontology))
        meter = Meter()
        report = ingest(next(paths.sources.glob("*.txt")), reference)
        meter.phase("ingest (records)")
        lines, shared = Lines(), Lines()
        ReportGraph(lines, report, reference, iris, shared=shared).build()
        meter.phase("statements as lines")
        quads.add_lines(iris.graph(f"report/{report.meta.slug}"), lines.lines)
        quads.add_lines(iris.graph("shared"), shared.lines)
        del lines, shared
        meter.phase("into the dataset")
        graph = Graph()
        reference_graph(graph, reference, [report], iris)
        quads.add_graph(iris.graph("reference"), graph)
        quads.add_graph(iris.graph("shapes"), shapes)
        count_classes(quads)
        meter.phase("reference, counts")
        add_findings(quads, validate(quads, shapes, iris=iris), iris=iris)
        meter.phase("validation")
        data = quads.nquads()
        meter.phase("N-Quads (bytes)")
        print(f"{megabytes:g} MB ({size} bytes), {len(quads)} statements, {len(data)} bytes")
        del data
        meter.print()


def validation(sizes: list[float]) -> None:
    """Validation alone, in pieces and in one run, each size against the first."""
    from edugraph.validate import pieces
    from edugraph.validate.shapes import load_shapes, validate
    from edugraph.vocab import Iris

    os.cpu_count = lambda: 1  # validation in this process, where it is measured
    print(
        f"{'size':>8} {'statements':>11} {'pieces s':>9} {'one run s':>10}  pieces× one run× same"
    )
    first: tuple[float, float] | None = None
    default = pieces.PIECE_LINES
    for mb in sizes:
        with tempfile.TemporaryDirectory(prefix="edugraph-validation-") as tmp:
            quads = dataset(mb, Path(tmp))
        shapes, cpu, outcomes = load_shapes(), [], []
        for piece in (default, 10**12):  # in pieces, then in one run
            pieces.PIECE_LINES, started = piece, time.process_time()
            outcomes.append(validate(quads, shapes, iris=Iris()))
            cpu.append(time.process_time() - started)
        pieces.PIECE_LINES = default
        first = first or (cpu[0], cpu[1])
        same = (outcomes[0].findings, outcomes[0].rules) == (
            outcomes[1].findings,
            outcomes[1].rules,
        )
        print(
            f"{mb:>6g}MB {len(quads):>11} {cpu[0]:>9.1f} {cpu[1]:>10.1f}  {cpu[0] / first[0]:>7.1f}"
            f" {cpu[1] / first[1]:>8.1f} {'yes' if same else 'NO'}",
            flush=True,
        )


def dataset(megabytes: float, folder: Path) -> Quads:
    """The dataset a build validates, made in this process: ingest, graph, reference."""
    from rdflib import Graph

    from edugraph.graph.quads import Lines, Quads
    from edugraph.graph.reference import reference_graph
    from edugraph.graph.report import ReportGraph
    from edugraph.ingest.report import ingest
    from edugraph.publish.build import Paths, count_classes, parsed
    from edugraph.reference import load_reference
    from edugraph.validate.shapes import load_shapes
    from edugraph.vocab import PREFIXES, Iris

    make_source(folder / "sources", megabytes)
    paths, iris = Paths(sources=folder / "sources"), Iris()
    shapes, reference = load_shapes(paths.shapes), load_reference(paths.reference)
    quads = Quads({prefix: str(ns) for prefix, ns in PREFIXES.items()})
    quads.add_graph(iris.graph("ontology"), parsed(paths.ontology))
    report = ingest(next(paths.sources.glob("*.txt")), reference)
    lines, shared = Lines(), Lines()
    ReportGraph(lines, report, reference, iris, shared=shared).build()
    quads.add_lines(iris.graph(f"report/{report.meta.slug}"), lines.lines)
    quads.add_lines(iris.graph("shared"), shared.lines)
    graph = Graph()
    reference_graph(graph, reference, [report], iris)
    quads.add_graph(iris.graph("reference"), graph)
    quads.add_graph(iris.graph("shapes"), shapes)
    count_classes(quads)
    return quads


class Meter:
    """CPU time and resident memory (Linux: /proc/self) since the last phase."""

    def __init__(self) -> None:
        gc.collect()
        self.base = _status("VmRSS")
        self.rows: list[tuple[str, float, float, float]] = []
        self._reset()

    def _reset(self) -> None:
        with open("/proc/self/clear_refs", "w") as f:  # the peak (VmHWM) starts again here
            f.write("5")
        self.cpu = time.process_time()

    def phase(self, name: str) -> None:
        gc.collect()
        cpu = time.process_time() - self.cpu
        self.rows.append((name, cpu, _status("VmRSS") - self.base, _status("VmHWM") - self.base))
        self._reset()

    def print(self) -> None:
        print(f"  {'phase':<22} {'CPU s':>6} {'held MiB':>9} {'peak MiB':>9}")
        for name, cpu, held, peak in self.rows:
            print(f"  {name:<22} {cpu:>6.1f} {held:>9.0f} {peak:>9.0f}", flush=True)


def _status(key: str) -> float:
    """A /proc/self/status figure in MiB."""
    with open("/proc/self/status") as f:
        line = next(line for line in f if line.startswith(key))
    return int(line.split()[1]) / 1024


if __name__ == "__main__":
    main(sys.argv[1:])
