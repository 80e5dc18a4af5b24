"""Where a build's time goes: each stage's wall time and the CPU time of the process and of
the workers it waited for during the stage (a stage waits for its own workers, so their CPU
is counted in the stage that ran them). On a shared machine wall time measures the
neighbours too; CPU seconds are the figure to compare."""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass(slots=True)
class Timings:
    """Stages in the order they ran: name -> (CPU seconds, wall seconds)."""

    stages: dict[str, tuple[float, float]] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        cpu, wall = _cpu(), time.perf_counter()
        try:
            yield
        finally:
            before = self.stages.get(name, (0.0, 0.0))
            spent = (_cpu() - cpu, time.perf_counter() - wall)
            self.stages[name] = (before[0] + spent[0], before[1] + spent[1])

    def write(self, path: Path) -> None:
        """The stages as JSON: {name: {"cpu_seconds": …, "seconds": …}}."""
        document = {
            name: {"cpu_seconds": round(cpu, 2), "seconds": round(wall, 2)}
            for name, (cpu, wall) in self.stages.items()
        }
        path.write_text(json.dumps(document, indent=1), encoding="utf-8")


@contextmanager
def maybe(timings: Timings | None, name: str) -> Iterator[None]:
    """`timings.stage(name)`, or nothing when the build is not timed."""
    if timings is None:
        yield
        return
    with timings.stage(name):
        yield
