"""Write the dataset: deterministically (same input, same bytes) and atomically (a reader
never sees a half-written file, and a failed build leaves the previous one in place)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from edugraph.errors import InputError


def sorted_graphs(dataset: Dataset) -> list[Graph]:
    graphs = [g for g in dataset.graphs() if len(g) and isinstance(g.identifier, URIRef)]
    return sorted(graphs, key=lambda g: str(g.identifier))


def serialize_trig(dataset: Dataset) -> bytes:
    """TriG with one block per named graph, graphs in IRI order, triples as Turtle sorts them."""
    prefixes = "".join(
        f"@prefix {prefix}: <{namespace}> .\n"
        for prefix, namespace in sorted(dataset.namespace_manager.namespaces())
        if prefix
    )
    blocks = [prefixes]
    for graph in sorted_graphs(dataset):
        body = _turtle_body(graph, dataset)
        blocks.append(f"<{graph.identifier}> {{\n{body}}}\n")
    return "\n".join(blocks).encode("utf-8")


def serialize_nquads(dataset: Dataset) -> bytes:
    """N-Quads, one statement a line, sorted: diffable and streamable."""
    lines = dataset.serialize(format="nquads").splitlines()
    return ("\n".join(sorted(line for line in lines if line.strip())) + "\n").encode("utf-8")


def _turtle_body(graph: Graph, dataset: Dataset) -> str:
    copy = Graph(namespace_manager=dataset.namespace_manager)
    for triple in graph:
        copy.add(triple)
    text = copy.serialize(format="turtle")
    return "".join(line + "\n" for line in text.splitlines() if not line.startswith("@prefix"))


@contextmanager
def atomic_path(out: Path) -> Iterator[Path]:
    """Yield a temporary path beside `out`; it replaces `out` only if the block succeeds."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create output folder: {exc.strerror}", source=str(out)) from None
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_bytes(out: Path, data: bytes) -> None:
    with atomic_path(out) as tmp, tmp.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def publish(dataset: Dataset, out: Path) -> None:
    """Write the dataset as TriG (or N-Quads, by the file's suffix)."""
    data = serialize_nquads(dataset) if out.suffix == ".nq" else serialize_trig(dataset)
    write_bytes(out, data)
