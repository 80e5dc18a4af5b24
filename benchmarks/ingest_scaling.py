"""How `edugraph build` scales with the size of a source: time and peak memory, 1 MB against N MB.

Each source is the Chongqing report repeated to the size asked for; each build runs in a process
of its own, so its peak resident memory is its own. Linear ingestion means both ratios stay near
the ratio of the sizes (issue 16: 50 MB in at most 50 times the time of 1 MB). On a shared
machine wall time depends on the neighbours; CPU time (the build's processes, user and system)
much less, so both are printed.

    .venv/bin/python benchmarks/ingest_scaling.py            # 1, 4 and 8 MB
    .venv/bin/python benchmarks/ingest_scaling.py 1 8 50     # sizes in MB (`make bench-ingest`)
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

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


def make_source(folder: Path, megabytes: float) -> int:
    """A source of about `megabytes` MB: the report repeated; returns its size in bytes."""
    text = SOURCE.with_suffix(".txt").read_text(encoding="utf-8")
    copies = max(1, round(megabytes * 1_000_000 / len(text.encode("utf-8"))))
    folder.mkdir(parents=True)
    body = text * copies
    (folder / "scaling.txt").write_text(body, encoding="utf-8")
    shutil.copy(SOURCE.with_suffix(".toml"), folder / "scaling.toml")
    return len(body.encode("utf-8"))


def build(megabytes: float, work: Path) -> dict[str, float]:
    sources = work / f"sources-{megabytes}"
    size = make_source(sources, megabytes)
    # N-Quads, not TriG: `Quads.trig` parses the dataset with Oxigraph, whose parser refuses a
    # token over 16 MiB, and a source of more than ~16 MB has a text that long
    out = work / f"edugraph-{megabytes}.nq"
    command = [str(EDUGRAPH), "build", "--sources", str(sources), "--out", str(out)]
    # a repeated report holds figures that do not add up across its copies: publish anyway
    command.append("--allow-invalid")
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
    sizes = [float(a) for a in argv] or [1.0, 4.0, 8.0]
    print(f"{'size':>8} {'bytes':>11} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9}", end="")
    print("  size× wall× CPU× memory×", flush=True)
    with tempfile.TemporaryDirectory(prefix="edugraph-scaling-") as tmp:
        base: dict[str, float] = {}
        for mb in sizes:  # each row as soon as it is measured: a large build takes long
            r = build(mb, Path(tmp))
            base = base or r
            print(
                f"{mb:>6g}MB {r['bytes']:>11} {r['seconds']:>8.1f} {r['cpu']:>8.1f}"
                f" {r['peak_mib']:>9.0f}  {r['bytes'] / base['bytes']:>5.1f}"
                f" {r['seconds'] / base['seconds']:>5.1f} {r['cpu'] / base['cpu']:>4.1f}"
                f" {r['peak_mib'] / base['peak_mib']:>7.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main(sys.argv[1:])
