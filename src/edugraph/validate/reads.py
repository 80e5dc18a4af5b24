"""What a validation query reads, from its parse tree: whether every triple it matches is
reached from its focus node (`?this`) along predicates, and which predicates those are.

A query that only reads forward from its focus node gives, for a focus node, the same
solutions on any store that holds the triples reachable from that node along those predicates
(`validate.pieces` validates a long report in pieces on that ground). Anything else — an
inverse step, a pattern not tied to `?this`, a subquery other than the focus nodes', an
aggregate, MINUS, an order or a limit — makes the query one that reads the whole report.

The parser's tree is read, not rdflib's algebra: translating a query to the algebra drops a
FILTER that is alone in an EXISTS within an EXISTS, which the compiled sh:qualifiedValueShape
checks write.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from rdflib import BNode, URIRef, Variable
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from edugraph.validate.paths import Path, PathNode
from edugraph.validate.shacl_compiler import Step
from edugraph.vocab import SH

FOCUS = Variable("this")
_WHOLE = {
    "MinusGraphPattern", "ServiceGraphPattern", "GroupClause", "HavingClause", "OrderClause",
    "LimitOffsetClauses",
}  # fmt: skip
Predicates = frozenset[str] | None  # None: any predicate (a variable, a negated set)
Pattern = tuple[object, object, object]


@dataclass(frozen=True, slots=True)
class Reads:
    """`forward`: every pattern is reached from ?this; `predicates`: those its patterns may
    match; `beyond`: those they may match on a node other than the focus node itself."""

    forward: bool
    predicates: Predicates
    beyond: Predicates


@cache
def reads(query: str) -> Reads:
    """What `query` reads (cached: a process validates many pieces with the same queries)."""
    prologue, body = parseQuery(query)
    declared = [d for d in prologue if d.name == "PrefixDecl"]
    names = {str(_field(d, "prefix") or ""): str(d["iri"]) for d in declared}
    whole: list[str] = []  # why the query reads more than its focus node reaches
    every: set[str] | None = set()
    beyond: set[str] | None = set()
    for patterns in _scopes(body, whole):
        reached = _reached(patterns)
        for subject, path, _ in patterns:
            if subject not in reached:
                whole.append(f"a pattern on {subject}")
            steps = _predicates(path, names, whole)
            every = _union(every, steps)
            if subject != FOCUS or _plain(path, names) is None:
                beyond = _union(beyond, steps)
    return Reads(not whole, _frozen(every), _frozen(beyond))


def _scopes(node: object, whole: list[str]) -> Iterator[list[Pattern]]:
    """The triple patterns of the query, by variable scope: the query's own, then each
    subquery's (`{ SELECT ?this … WHERE … }`: its variables are its own but those it selects,
    and a pattern outer on a selected variable other than ?this is not reached)."""
    own: list[Pattern] = []
    inner: list[list[Pattern]] = []
    _walk(node, own, inner, whole)
    yield own
    yield from inner


def _walk(node: object, own: list[Pattern], inner: list[list[Pattern]], whole: list[str]) -> None:
    if isinstance(node, CompValue):
        if node.name in _WHOLE or node.name.startswith("Aggregate_"):
            whole.append(node.name)
        if node.name == "SubSelect":
            projected = [_field(v, "var") for v in _field(node, "projection") or ()]  # type: ignore[attr-defined]
            if FOCUS not in projected or {"groupby", "having", "orderby", "limitoffset"} & set(
                node
            ):
                whole.append("a subquery that does not keep each focus node's solutions")
            inner.extend(_scopes(CompValue("Scope", **node), whole))
            return
        for key, value in node.items():
            if key == "triples":
                own.extend(_triples(value))
            else:
                _walk(value, own, inner, whole)
    elif isinstance(node, list | tuple):
        for item in node:
            _walk(item, own, inner, whole)


def _triples(value: list[list[object]]) -> Iterator[Pattern]:
    """The parser's triples: each block a run of subject, predicate, object."""
    for items in value:
        for k in range(0, len(items) - 2, 3):
            yield items[k], items[k + 1], items[k + 2]


def _reached(patterns: list[Pattern]) -> set[object]:
    """The variables bound by following the patterns forward from ?this."""
    reached: set[object] = {FOCUS}
    growing = True
    while growing:
        growing = False
        for subject, _, obj in patterns:
            if subject in reached and isinstance(obj, Variable | BNode) and obj not in reached:
                reached.add(obj)
                growing = True
    return reached


def _iri(node: object, names: dict[str, str]) -> URIRef | None:
    if isinstance(node, URIRef):
        return node
    if isinstance(node, CompValue) and node.name == "pname":
        prefix, local = _field(node, "prefix") or "", _field(node, "localname") or ""
        return URIRef(names[str(prefix)] + str(local))
    return None


def _plain(path: object, names: dict[str, str]) -> URIRef | None:
    """The predicate, if the path is one predicate."""
    while isinstance(path, CompValue) and path.name in ("PathAlternative", "PathSequence"):
        if len(path["part"]) != 1:
            return None
        path = path["part"][0]
    if isinstance(path, CompValue) and path.name == "PathElt":
        return None if _field(path, "mod") else _plain(path["part"], names)
    return _iri(path, names)


def _predicates(path: object, names: dict[str, str], whole: list[str]) -> set[str] | None:
    """The predicates a path may match; an inverse step is not forward."""
    iri = _iri(path, names)
    if iri is not None:
        return {str(iri)}
    if not isinstance(path, CompValue) or path.name == "PathNegatedPropertySet":
        return None  # a variable, or any predicate but some
    if path.name == "PathEltOrInverse":
        whole.append("an inverse path")
    parts = path["part"]
    out: set[str] | None = set()
    for part in parts if isinstance(parts, list) else [parts]:
        out = _union(out, _predicates(part, names, whole))
    return out


def _field(node: CompValue, key: str) -> object:
    """A field of a parse tree node, None when absent (`CompValue.get` answers the key)."""
    return dict.get(node, key)


def _union(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    return None if a is None or b is None else a | b


def _frozen(predicates: set[str] | None) -> Predicates:
    return None if predicates is None else frozenset(predicates)


def followed(steps: Iterable[Step]) -> Reads:
    """What a pattern reads that follows these paths (each forward from its start: the focus
    node, or a node a path before reached)."""
    forward, every, beyond = True, set(), set()
    for step in steps:
        names = _path_predicates(step.path)
        forward = forward and not _inverse(step.path)
        every |= names
        if not step.from_focus or not isinstance(step.path, URIRef):
            beyond |= names
    return Reads(forward, frozenset(every), frozenset(beyond))


def _path_predicates(path: Path) -> set[str]:
    if isinstance(path, URIRef):
        return {str(path)}
    return set().union(*(_path_predicates(m) for m in path.members))


def _inverse(path: Path) -> bool:
    return isinstance(path, PathNode) and (
        path.kind == SH.inversePath or any(_inverse(m) for m in path.members)
    )


def combined(*each: Reads) -> Reads:
    """What a query joining patterns that read `each` reads."""
    predicates: set[str] | None = set()
    beyond: set[str] | None = set()
    for r in each:
        predicates = _union(predicates, None if r.predicates is None else set(r.predicates))
        beyond = _union(beyond, None if r.beyond is None else set(r.beyond))
    return Reads(all(r.forward for r in each), _frozen(predicates), _frozen(beyond))
