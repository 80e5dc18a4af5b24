"""Sorted runs of lines on disk, merged into one sorted stream without repeats: how the
whole-dataset dumps that hold the union of every graph's triples (nt, ttl, rdfxml) are
sorted without holding the union in memory. Lines are UTF-8 bytes, which compare as their
code points do, as `sorted(key=str)` compares the statements they write."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path

FAN_IN = 128  # runs merged at once: well under any limit on open files


class Runs:
    """Runs written into `folder`; each line ends with a newline and holds none before it."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.files: list[Path] = []
        self.made = 0  # runs written so far: names are never reused
        folder.mkdir(parents=True, exist_ok=True)

    def add(self, lines: Iterable[bytes]) -> None:
        """One run: the lines, sorted and without repeats."""
        self._write(sorted(set(lines)))

    def adopt(self, path: Path) -> None:
        """A run written elsewhere (by `write_run`, in a worker)."""
        self.files.append(path)

    def _write(self, lines: Iterable[bytes]) -> None:
        self.files.append(write_run(self.folder / f"run-{self.made:06d}", lines, unique=True))
        self.made += 1

    def merged(self) -> Iterator[bytes]:
        """Every line once, in order; runs are merged FAN_IN at a time until few remain."""
        while len(self.files) > FAN_IN:
            groups = [self.files[i : i + FAN_IN] for i in range(0, len(self.files), FAN_IN)]
            self.files = []
            for group in groups:
                self._write(_unique(group))
                for path in group:
                    path.unlink()
        yield from _unique(self.files)


def write_run(path: Path, lines: Iterable[bytes], *, unique: bool = False) -> Path:
    """Lines into a run file: sorted without repeats, unless they are (`unique`)."""
    with path.open("wb") as f:
        f.writelines(lines if unique else sorted(set(lines)))
    return path


def _unique(files: list[Path]) -> Iterator[bytes]:
    with ExitStack() as stack:
        opened = [stack.enter_context(p.open("rb")) for p in files]
        last = None
        for line in heapq.merge(*opened):
            if line != last:
                yield line
                last = line
