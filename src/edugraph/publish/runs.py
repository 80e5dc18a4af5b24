"""Sorted runs of lines on disk, merged into one sorted stream without repeats: how the
whole-dataset dumps that hold the union of every graph's triples (nt, ttl, rdfxml) are
sorted without holding the union in memory. Lines are UTF-8 bytes, which compare as their
code points do, as `sorted(key=str)` compares the statements they write."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
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
        """Every line once, in order. Runs whose ranges follow one another are read one
        after the other as one chain (a report's graph holds the IRIs under its own): only
        the chains are merged, FAN_IN at a time until few remain."""
        chains = _chains(self.files)
        while len(chains) > FAN_IN:
            groups = [chains[i : i + FAN_IN] for i in range(0, len(chains), FAN_IN)]
            chains = []
            for group in groups:
                self._write(_unique(group))
                chains.append([self.files[-1]])
                for path in (p for chain in group for p in chain):
                    path.unlink()
        self.files = [path for chain in chains for path in chain]
        yield from _unique(chains)


def write_run(path: Path, lines: Iterable[bytes], *, unique: bool = False) -> Path:
    """Lines into a run file: sorted without repeats, unless they are (`unique`)."""
    with path.open("wb") as f:
        f.writelines(lines if unique else sorted(set(lines)))
    return path


def _chains(files: list[Path]) -> list[list[Path]]:
    """The runs as few chains as possible, each a list of runs whose every line comes
    after the last line of the run before it (so a chain read in turn is sorted)."""
    ranges = sorted((r, path) for path in files if (r := _range(path)) is not None)
    chains: list[tuple[bytes, int, list[Path]]] = []  # a heap by each chain's last line
    for (first, last), path in ranges:
        if chains and chains[0][0] < first:
            _, n, chain = heapq.heappop(chains)
            chain.append(path)
            heapq.heappush(chains, (last, n, chain))
        else:
            heapq.heappush(chains, (last, len(chains), [path]))
    return [chain for _, n, chain in sorted(chains, key=lambda c: c[1])]


def _range(path: Path) -> tuple[bytes, bytes] | None:
    """A run's first and last line (None: empty)."""
    with path.open("rb") as f:
        first = f.readline()
        if not first:
            return None
        size = f.seek(0, 2)
        back = min(size, 1 << 16)
        while True:
            f.seek(size - back)
            tail = f.read(back)
            cut = tail.rfind(b"\n", 0, len(tail) - 1)
            if cut >= 0 or back == size:
                return first, tail[cut + 1 :]
            back = min(size, 2 * back)


def _unique(chains: list[list[Path]]) -> Iterator[bytes]:
    last = None
    for line in heapq.merge(*(_read(chain) for chain in chains)):
        if line != last:
            yield line
            last = line


def _read(chain: list[Path]) -> Iterator[bytes]:
    """A chain's lines, each run opened in turn: one file open per chain at a time."""
    for path in chain:
        with path.open("rb") as f:
            yield from f
