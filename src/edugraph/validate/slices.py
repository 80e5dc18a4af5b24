"""What of the `shared` graph a report's validation reads, and the key of its result.

The shared graph is the union of every report's shared nodes (bodies, indicators, periods), so
it changes with any report. A report's findings are about its own nodes; its checks read the
shared graph only by following links out of the report: forward, from a node the report names
to the nodes that one names, and so on. So a report is validated with its *slice*: the shared
lines whose subject it reaches that way. That holds while no shared statement links back into
the report (an inverse step from a report node could then reach shared nodes it does not
name); when one does, the report gets the whole shared graph, as before. The slice is what
keys a cached result, with the report's own input: another report's change does not touch it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from itertools import chain
from typing import Any, Protocol


class ResultCache(Protocol):
    """Where validation results are kept between builds (the build folder's cache)."""

    def get(self, digest: str) -> Any | None: ...

    def put(self, digest: str, value: object) -> None: ...

    def keep(self, digests: Iterable[str]) -> None: ...


FORMAT = "edugraph-validation 1"  # changes when what a key covers or a result holds changes


class SharedIndex:
    """The shared graph's lines by subject, and the nodes that its lines with a predicate
    that a query reading backwards may follow (`wide`, None: any) link to."""

    def __init__(self, lines: Iterable[str], *, wide: frozenset[str] | None = None):
        self.by_subject: dict[str, list[str]] = {}
        self.targets: set[str] = set()
        for line in lines:
            subject = line[: line.index(" ")]
            self.by_subject.setdefault(subject, []).append(line)
            target = _object(line)
            if target is not None and (wide is None or _predicate(line) in wide):
                self.targets.add(target)

    def slice(self, own: Sequence[Iterable[str]]) -> list[str] | None:
        """The shared lines reached from the nodes of `own` (the report's graphs' lines),
        sorted; None when a shared line that a backward read follows links to a subject of
        `own` (a report's query could then read shared nodes it does not reach). The nodes
        are found in the joined text: an IRI written in a literal only widens the slice,
        and any part of the shared graph from the slice up gives the same findings."""
        text = "".join(chain.from_iterable(own))
        if not self.targets.isdisjoint(_SUBJECT.findall(text)):
            return None
        frontier = list(set(_NODE.findall(text)))
        reached: set[str] = set()
        found: list[str] = []
        while frontier:
            node = frontier.pop()
            if node in reached:
                continue
            reached.add(node)
            for line in self.by_subject.get(node, ()):
                found.append(line)
                target = _object(line)
                if target is not None and target not in reached:
                    frontier.append(target)
        return sorted(found)


_SUBJECT = re.compile(r"^(\S+) ", re.M)
_NODE = re.compile(r"<[^>]*>|_:[^ ]+")


def _predicate(line: str) -> str:
    first = line.index(" ")
    return line[first + 1 : line.index(" ", first + 1)]


def _object(line: str) -> str | None:
    """A line's object when it is a node (IRI or blank node), as N-Triples writes it."""
    start = line.index(" ", line.index(" ") + 1) + 1
    if line.startswith("<", start):
        return line[start : line.index(">", start) + 1]
    if line.startswith("_:", start):
        return line[start : line.index(" ", start)]
    return None


def digest(*parts: str | Iterable[str]) -> str:
    """One key for texts and runs of lines (each run's lines as given: sort them first)."""
    h = hashlib.sha256(FORMAT.encode())
    for part in parts:
        lines = [part] if isinstance(part, str) else part
        h.update(b"\x00")
        for line in lines:
            h.update(line.encode("utf-8"))
            h.update(b"\n")
    return h.hexdigest()


def lines_digest(graphs: Callable[[str], Iterable[str]], names: Iterable[str]) -> str:
    """A digest of some graphs' lines (`graphs` gives a graph's lines by name), each sorted."""
    return digest(*(sorted(graphs(name)) for name in names))


Result = tuple[str, list[Any], dict[str, tuple[int, int]]]  # run key, findings, rule counts
Runs = list[tuple[str, list[str], list[str]]]


class Cached:
    """The results of runs, read from `cache` under their `keys` (one per run, in order)
    where they are there, computed where they are not; entries no run used are removed."""

    def __init__(self, cache: ResultCache | None, keys: list[str] | None):
        self.cache = cache
        self.keys = keys

    def merged(self, runs: Runs, compute: Callable[[Runs], list[Result]]) -> list[Result]:
        """Every run's result, in the order of `runs` (rule counts are summed in that order)."""
        if self.cache is None or self.keys is None:
            return compute(runs)
        by_run = dict(zip((run[0] for run in runs), self.keys, strict=True))
        found: dict[str, Result] = {}
        for name, key in by_run.items():
            value = self.cache.get(key)
            if isinstance(value, tuple) and len(value) == 3 and value[0] == name:
                found[name] = value
        for result in compute([run for run in runs if run[0] not in found]):
            self.cache.put(by_run[result[0]], result)
            found[result[0]] = result
        self.cache.keep(self.keys)
        return [found[run[0]] for run in runs]
