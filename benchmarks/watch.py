"""Stop a long benchmark before it starves the machine: every few seconds, if available
memory or free disk falls under its floor, the process tree of the given pid is stopped
(children first) and the reason written to stderr.

    .venv/bin/python benchmarks/watch.py PID --memory-gb 3 --disk-gb 10 --disk-path /tmp
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import time

import psutil


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pid", type=int)
    parser.add_argument("--memory-gb", type=float, default=3.0)
    parser.add_argument("--disk-gb", type=float, default=10.0)
    parser.add_argument("--disk-path", default="/tmp")
    parser.add_argument("--every", type=float, default=2.0)
    args = parser.parse_args()
    root = psutil.Process(args.pid)
    low_memory, low_disk = float("inf"), float("inf")
    while root.is_running() and root.status() != psutil.STATUS_ZOMBIE:
        memory = psutil.virtual_memory().available / 1e9
        disk = shutil.disk_usage(args.disk_path).free / 1e9
        low_memory, low_disk = min(memory, low_memory), min(disk, low_disk)
        if memory < args.memory_gb or disk < args.disk_gb:
            print(f"stopping {args.pid}: {memory:.1f} GB memory, {disk:.1f} GB disk free",
                  file=sys.stderr, flush=True)  # fmt: skip
            for proc in [*root.children(recursive=True)[::-1], root]:
                with contextlib.suppress(psutil.NoSuchProcess):
                    proc.kill()
            return
        time.sleep(args.every)
    print(f"done: lowest {low_memory:.1f} GB memory, {low_disk:.1f} GB disk free", file=sys.stderr)


if __name__ == "__main__":
    main()
