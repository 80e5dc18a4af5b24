"""The dataset as a push reads it: its named graphs in IRI order, each cut into chunks (one
request each) that keep every blank node's triples together, since a blank node is scoped to
one request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from edugraph.errors import InputError
from edugraph.formats import dataset_format_of


@dataclass(frozen=True, slots=True)
class GraphData:
    iri: str
    chunks: tuple[str, ...]  # N-Triples, one request each
    triples: int
    blank: bool  # has blank nodes


@dataclass(frozen=True, slots=True)
class Step:
    """One request, and what the graph is left as if it fails."""

    run: Callable[[], None]
    if_failed: str
    chunk: int = 0  # 1-based chunk number for progress; 0 for a request that sends none


def read_dataset(path: Path, *, chunk: int) -> list[GraphData]:
    """The dataset's named graphs in IRI order, each cut into chunks of about `chunk` triples."""
    if not path.is_file():
        raise InputError("no built dataset here; run `edugraph build` first", source=str(path))
    fmt = dataset_format_of(path).parser
    graphs: dict[str, dict[str, ox.Triple]] = {}
    try:
        for quad in ox.parse(path=str(path), format=fmt):
            if not isinstance(quad.graph_name, ox.NamedNode):
                raise InputError(
                    "a triple outside any named graph cannot be pushed", source=str(path)
                )
            graphs.setdefault(quad.graph_name.value, {})[str(quad.triple)] = quad.triple
    except (SyntaxError, OSError) as exc:
        raise InputError(f"cannot read the dataset: {exc}", source=str(path)) from None
    return [_graph(iri, list(graphs[iri].values()), chunk) for iri in sorted(graphs)]


def _graph(iri: str, triples: list[ox.Triple], chunk: int) -> GraphData:
    chunks: list[str] = []
    current: list[str] = []
    for group in _groups(triples):
        if current and len(current) + len(group) > chunk:
            chunks.append("".join(current))
            current = []
        current.extend(group)
    if current:
        chunks.append("".join(current))
    blank = any(_blanks(t) for t in triples)
    return GraphData(iri, tuple(chunks), len(triples), blank)


def _blanks(t: ox.Triple) -> list[str]:
    return [n.value for n in (t.subject, t.object) if isinstance(n, ox.BlankNode)]


def _groups(triples: list[ox.Triple]) -> list[list[str]]:
    """N-Triples lines grouped so that the triples of one blank node stay together."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for t in triples:
        nodes = _blanks(t)
        for node in nodes[1:]:
            parent[find(node)] = find(nodes[0])
    plain: list[list[str]] = []
    linked: dict[str, list[str]] = {}
    for t in triples:
        nodes = _blanks(t)
        line = f"{t} .\n"
        if nodes:
            linked.setdefault(find(nodes[0]), []).append(line)
        else:
            plain.append([line])
    return plain + list(linked.values())
