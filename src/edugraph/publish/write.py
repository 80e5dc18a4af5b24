"""Write the dataset: deterministically (same input, same bytes) and atomically (a reader
never sees a half-written file, and a failed build leaves the previous one in place)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from edugraph import formats
from edugraph.errors import InputError
from edugraph.graph.quads import Quads


def sorted_graphs(dataset: Dataset) -> list[Graph]:
    graphs = [g for g in dataset.graphs() if len(g) and isinstance(g.identifier, URIRef)]
    return sorted(graphs, key=lambda g: str(g.identifier))


def serialize_nquads(dataset: Dataset) -> bytes:
    """N-Quads, one statement a line, sorted: diffable, streamable and the same bytes for the
    same input (blank nodes get canonical labels)."""
    return Quads.from_dataset(dataset).nquads()


def serialize_trig(dataset: Dataset) -> bytes:
    """TriG, one block per named graph, written by Oxigraph from the sorted N-Quads."""
    return Quads.from_dataset(dataset).trig()


@contextmanager
def atomic_path(out: Path) -> Iterator[Path]:
    """Yield a temporary path beside `out`; it replaces `out` only if the block succeeds."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create output folder: {exc.strerror}", source=str(out)) from None
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~umask())  # as any file the user writes, not mkstemp's 0600
    try:
        yield Path(tmp)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def umask() -> int:
    """The process's umask (read by setting it, then set back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_bytes(out: Path, data: bytes) -> None:
    with atomic_path(out) as tmp, tmp.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def load_dataset(path: Path) -> Dataset:
    """Read a published dataset (TriG or N-Quads), naming the file when it cannot."""
    if not path.is_file():
        raise InputError("no built dataset here; run `edugraph build` first", source=str(path))
    dataset = Dataset()
    try:
        dataset.parse(path, format=(formats.dataset_format(path) or formats.TRIG).rdflib)
    except Exception as exc:  # rdflib's parsers raise many types
        raise InputError(f"cannot parse the dataset: {exc}", source=str(path)) from None
    return dataset


def publish(dataset: Dataset, out: Path) -> None:
    """Write the dataset as TriG (or N-Quads, by the file's suffix)."""
    nquads = formats.dataset_format(out) is formats.NQUADS
    data = serialize_nquads(dataset) if nquads else serialize_trig(dataset)
    write_bytes(out, data)
