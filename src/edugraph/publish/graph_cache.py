"""A graph's finished dump pass kept between builds, so that a graph whose lines are unchanged
costs a few links instead of parsing, sorting and writing it again: its run of sorted triples,
its blocks of the whole and of the dataset file, its own dumps, and what the whole and the
description took from it.

An entry is named by what the pass is a function of: the graph's name and lines, whether
its file names are its own, the description's uri space and the shared input (the code,
the reference data, the ontology, the shapes: `Inputs.shared`). It lives in the build's
cache folder (`<out dir>/cache/graphs/`) and is linked, never written through: every file
of a version is written after unlinking its path. Entries no graph of the last build used
are removed. The files are the build folder's own, as trusted as it (see `publish.cache`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from edugraph.publish.graph_dumps import GraphDone, Task, first_pass, lines_digest

DONE = "done.pickle"
FORMAT = b"edugraph-graph-cache 1\n"  # changes when what an entry holds changes
BLOCKS = (".nq", ".trig", ".jsonld")
DATASET = "dataset.trig"  # its block of the dataset file


@dataclasses.dataclass(frozen=True, slots=True)
class Kept:
    """Where the entries are, and the shared input every key includes."""

    folder: Path
    shared: str

    def key(self, task: Task) -> str:
        dataset = repr(task.dataset[1]) if task.dataset is not None else ""
        parts = [self.shared, task.name, str(task.own), task.space or "", dataset]
        parts.append(lines_digest(task.text))
        return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def kept_pass(task: Task, kept: Kept | None) -> GraphDone:
    """A graph's pass: the kept one if there is one, else made and kept; its key noted."""
    if kept is None:
        return first_pass(task)
    key = kept.key(task)
    done = load(kept, key, task)
    if done is None:
        done = first_pass(task)
        save(kept, key, task, done)
    done.key = key
    return done


def load(kept: Kept, key: str, task: Task) -> GraphDone | None:
    """The entry's pass, its files linked where this build's pass would write them (None:
    no entry, or one that cannot be read or linked; nothing is then left behind)."""
    entry = kept.folder / key
    try:
        data = (entry / DONE).read_bytes()
        done = pickle.loads(data[len(FORMAT) :]) if data.startswith(FORMAT) else None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return None
    if not isinstance(done, GraphDone):
        return None
    run = task.runs / f"graph-{task.n:06d}"
    blocks = task.runs / f"blocks-{task.n:06d}" if done.blocks is not None else None
    pairs = [(entry / "run", run)]
    pairs += [(entry / f"blocks{s}", blocks.with_suffix(s)) for s in BLOCKS] if blocks else []
    pairs += [(entry / "dumps" / file, task.runs.parent / file) for file, *_ in done.written]
    if task.dataset is not None and (entry / DATASET).is_file():
        pairs.append((entry / DATASET, task.dataset[0]))
    made: list[Path] = []
    try:
        for source, target in pairs:
            _link(source, target)
            made.append(target)
    except OSError:
        for path in made:
            path.unlink(missing_ok=True)
        return None
    return dataclasses.replace(done, run=run, blocks=blocks)


def save(kept: Kept, key: str, task: Task, done: GraphDone) -> None:
    """Keep a pass just made (a cache that cannot be written only costs the next build)."""
    try:
        kept.folder.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".", dir=kept.folder))
        try:
            (tmp / "dumps").mkdir()
            _link(done.run, tmp / "run")
            if done.blocks is not None:
                for suffix in BLOCKS:
                    _link(done.blocks.with_suffix(suffix), tmp / f"blocks{suffix}")
            for file, *_ in done.written:
                _link(task.runs.parent / file, tmp / "dumps" / file)
            if task.dataset is not None and task.dataset[0].is_file():
                _link(task.dataset[0], tmp / DATASET)
            stored = dataclasses.replace(done, run=Path("run"))
            (tmp / DONE).write_bytes(FORMAT + pickle.dumps(stored, pickle.HIGHEST_PROTOCOL))
            shutil.rmtree(kept.folder / key, ignore_errors=True)  # an unreadable entry
            os.replace(tmp, kept.folder / key)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    except OSError:
        return


def keep_only(kept: Kept, keys: Iterable[str]) -> None:
    """Remove every entry but those of `keys` (the graphs of the last build)."""
    wanted = set(keys)
    if not kept.folder.is_dir():
        return
    for path in kept.folder.iterdir():
        if path.name not in wanted:
            shutil.rmtree(path, ignore_errors=True)


def _link(source: Path, target: Path) -> None:
    """A hard link (a copy across file systems); an existing target is replaced."""
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
