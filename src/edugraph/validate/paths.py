"""SHACL property paths as values: read from a shapes or report graph, written into a results
graph, and compiled to a SPARQL property path.

A result about a path other than a predicate must name that path (`sh:resultPath [
sh:inversePath ex:p ]`), not a predicate nor nothing. The path's blank nodes belong to the
graph they were read from, so a result carries the path as a value (`PathNode`) that compares
equal however it was written, and each graph it is written into gets its own nodes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import count

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import Node

from edugraph.vocab import SH

UNARY = {
    SH.inversePath: "^({})",
    SH.zeroOrMorePath: "({})*",
    SH.oneOrMorePath: "({})+",
    SH.zeroOrOnePath: "({})?",
}
SEPARATOR = {"sequence": "/", "alternative": "|"}


@dataclass(frozen=True, slots=True)
class PathNode:
    """A path other than a predicate: `kind` is a unary path's predicate (sh:inversePath …),
    or "sequence" or "alternative" over `members`."""

    kind: URIRef | str
    members: tuple[Path, ...]


Path = URIRef | PathNode


class NotAPath(ValueError):
    """The node is not a well-formed SHACL path (the message says which part)."""


def read_path(graph: Graph, node: Node, *, depth: int = 0) -> Path:
    """The path whose node is `node` in `graph`."""
    if isinstance(node, URIRef):
        return node
    if not isinstance(node, BNode) or depth > 20:
        raise NotAPath(f"{node!r} is not a path")
    if (node, RDF.first, None) in graph:
        steps = tuple(read_path(graph, n, depth=depth + 1) for n in Collection(graph, node))
        if len(steps) < 2:
            raise NotAPath("a sequence path needs two members or more")
        return PathNode("sequence", steps)
    pairs = list(graph.predicate_objects(node))
    if len(pairs) != 1:
        raise NotAPath(f"a path node has {len(pairs)} properties, not one")
    (kind, value) = pairs[0]
    if kind == SH.alternativePath:
        members = tuple(read_path(graph, n, depth=depth + 1) for n in Collection(graph, value))
        if not members:
            raise NotAPath("an alternative path needs a member")
        return PathNode("alternative", members)
    if kind in UNARY:
        return PathNode(kind, (read_path(graph, value, depth=depth + 1),))  # type: ignore[arg-type]
    raise NotAPath(f"{kind} is not a path property")


def write_path(graph: Graph, path: Path, *, stem: str) -> Node:
    """The path as nodes of `graph`; its head node. The blank nodes are named from `stem`
    (unique to the result that names the path), so a build writes the same bytes each time."""
    numbers = count()

    def node() -> BNode:
        return BNode(f"{stem}p{next(numbers)}")

    def write(path: Path) -> Node:
        if isinstance(path, URIRef):
            return path
        head = node()
        members = [write(m) for m in path.members]
        if path.kind == "sequence":
            _list(graph, head, members, node)
        elif path.kind == "alternative":
            choices = node()
            _list(graph, choices, members, node)
            graph.add((head, SH.alternativePath, choices))
        else:
            graph.add((head, URIRef(path.kind), members[0]))
        return head

    return write(path)


def _list(graph: Graph, head: BNode, members: list[Node], node: Callable[[], BNode]) -> None:
    """An RDF list of `members` starting at `head`, its other cells named by `node`."""
    cell: Node = head
    for n, member in enumerate(members):
        rest: Node = RDF.nil if n == len(members) - 1 else node()
        graph.add((cell, RDF.first, member))
        graph.add((cell, RDF.rest, rest))
        cell = rest


def sparql(path: Path) -> str:
    """The SPARQL property path that walks `path`."""
    if isinstance(path, URIRef):
        return f"<{path}>"
    members = [sparql(m) for m in path.members]
    if isinstance(path.kind, URIRef):
        return UNARY[path.kind].format(members[0])
    return f"({SEPARATOR[path.kind].join(members)})"
