"""What a validation query reads, from its parse tree: whether every triple it matches is
reached from its focus node (`?this`) along predicates, and which predicates those are.

A query that only reads forward from its focus node gives, for a focus node, the same
solutions on any store that holds the triples reachable from that node along those predicates
(`validate.pieces` validates a long report in pieces on that ground). Anything else — an
inverse step, a pattern not tied to `?this`, a subquery other than the focus nodes', an
aggregate, MINUS, a limit — makes the query one that reads the whole report.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from rdflib import BNode, URIRef, Variable
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

FOCUS = Variable("this")
_WHOLE = {"Minus", "Group", "AggregateJoin", "Slice", "OrderBy", "ServiceGraphPattern"}


@dataclass(frozen=True, slots=True)
class Reads:
    """`forward`: every pattern is reached from ?this; `predicates`: those it may match (None:
    any predicate, a variable or a negated set)."""

    forward: bool
    predicates: frozenset[str] | None


class _Whole(Exception):
    """The query reads more than what is reached from its focus node."""


@cache
def reads(query: str) -> Reads:
    """What `query` reads (cached: a process validates many pieces with the same queries)."""
    algebra = translateQuery(parseQuery(query)).algebra
    predicates: set[str] | None = set()
    try:
        for patterns in _scopes(algebra):
            predicates = _union(predicates, _forward(patterns))
    except _Whole:
        return Reads(forward=False, predicates=None)
    return Reads(forward=True, predicates=None if predicates is None else frozenset(predicates))


Pattern = tuple[object, object, object]


def _scopes(node: object, *, subquery: bool = False) -> Iterator[list[Pattern]]:
    """The triple patterns of the query, by variable scope: the query's own, then each focus
    subquery's (`{ SELECT ?this WHERE … }`, whose other variables are its own)."""
    own: list[Pattern] = []
    inner: list[list[Pattern]] = []
    _walk(node, own, inner, projected=[subquery])
    yield own
    yield from inner


def _walk(
    node: object, own: list[Pattern], inner: list[list[Pattern]], *, projected: list[bool]
) -> None:
    """Collect the patterns of `node`; `projected[0]`: the scope's own SELECT was seen, so
    another one is a subquery."""
    if isinstance(node, CompValue):
        if node.name in _WHOLE:
            raise _Whole(node.name)
        if node.name == "Project":
            if projected[0]:
                if list(node.get("PV") or ()) != [FOCUS]:
                    raise _Whole("a subquery")
                inner.extend(_scopes(node["p"], subquery=True))
                return
            projected[0] = True
        for key, value in node.items():
            if key == "triples":
                own.extend(_triples(value))
            elif key not in ("_vars", "PV"):
                _walk(value, own, inner, projected=projected)
    elif isinstance(node, list | tuple):
        for item in node:
            _walk(item, own, inner, projected=projected)


def _triples(value: list[list[object]]) -> Iterator[Pattern]:
    """Triples as the algebra holds them, or as the parser does inside EXISTS (a subject, then
    predicate and object pairs)."""
    for items in value:
        if len(items) < 3 or len(items) % 2 == 0:
            raise _Whole(f"the triples {items!r}")
        for k in range(1, len(items), 2):
            yield items[0], items[k], items[k + 1]


def _forward(patterns: list[Pattern]) -> set[str] | None:
    """The predicates of `patterns` if each is reached from ?this, else `_Whole`."""
    reached: set[object] = {FOCUS}
    growing = True
    while growing:
        growing = False
        for subject, _, obj in patterns:
            if subject in reached and isinstance(obj, Variable | BNode) and obj not in reached:
                reached.add(obj)
                growing = True
    predicates: set[str] | None = set()
    for subject, predicate, _ in patterns:
        if subject not in reached:
            raise _Whole(f"a pattern on {subject}")
        predicates = _union(predicates, _predicates(predicate))
    return predicates


def _predicates(path: object) -> set[str] | None:
    """The predicates a forward path may match; `_Whole` for an inverse step."""
    if isinstance(path, URIRef):
        return {str(path)}
    if isinstance(path, InvPath):
        raise _Whole("an inverse path")
    if isinstance(path, Variable | NegatedPath):
        return None
    if isinstance(path, MulPath):
        return _predicates(path.path)
    if isinstance(path, SequencePath | AlternativePath):
        out: set[str] | None = set()
        for member in path.args:
            out = _union(out, _predicates(member))
        return out
    raise _Whole(f"the path {path!r}")


def _union(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    return None if a is None or b is None else a | b
