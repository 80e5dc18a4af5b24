"""The SHACL-SPARQL constraints (the report's arithmetic and targets) run in Oxigraph, `$this`
bound by the shape's target as SHACL-SPARQL's pre-binding would; each solution is a result, its
messages the constraint's templates filled with the solution's values.

One rule, eds:SpanShape's, is solved without its query where the data allows
(`_span_solutions`): as a query it is quadratic in a report's length.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from edugraph.rdf import from_oxigraph, oxigraph_quads
from edugraph.validate.findings import Finding
from edugraph.vocab import NIF, SH


def _prefixes(shapes: Graph, constraint: Node) -> str:
    lines = []
    for holder in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(holder, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


def _target_pattern(shapes: Graph, shape: Node) -> str:
    """The shape's targets as a graph pattern binding ?this (sh:targetClass with subclasses,
    sh:targetSubjectsOf, sh:targetNode)."""
    parts = [
        f"{{ ?this <{RDF.type}>/<{RDFS.subClassOf}>* <{c}> }}"
        for c in shapes.objects(shape, SH.targetClass)
    ]
    parts += [
        f"{{ ?this <{p}> ?target_object }}" for p in shapes.objects(shape, SH.targetSubjectsOf)
    ]
    parts += [f"{{ VALUES ?this {{ <{n}> }} }}" for n in shapes.objects(shape, SH.targetNode)]
    return " UNION ".join(parts)


@dataclass(frozen=True, slots=True)
class Rule:
    """One sh:sparql constraint of a shape, as the query that finds its results."""

    shape: Node
    constraint: Node
    query: str
    span: bool  # eds:SpanShape's rule, solved without its query where the data allows


def rules(shapes: Graph) -> list[Rule]:
    out = []
    for shape, constraint in shapes.subject_objects(SH.sparql):
        select = str(shapes.value(constraint, SH.select))
        query = (
            f"{_prefixes(shapes, constraint)}\nSELECT DISTINCT * WHERE {{ "
            f"{{ SELECT DISTINCT ?this WHERE {{ {_target_pattern(shapes, shape)} }} }} "
            f"{{ {select.replace('$this', '?this')} }} }}"
        )
        out.append(Rule(shape, constraint, query, " ".join(select.split()) == SPAN_SELECT))
    return out


def sparql_findings(
    graph: Graph | ox.Store,
    shapes: Graph,
    *,
    only: Callable[[str], bool] | None = None,
    texts: Texts | None = None,
) -> list[Finding]:
    """The results of the rules (those whose query `only` accepts); `texts`: the reports'
    texts when the store was loaded without them (`validate.pieces`)."""
    store = graph if isinstance(graph, ox.Store) else ox.Store()
    if isinstance(graph, Graph):
        store.extend(oxigraph_quads(graph))
    findings = []
    for rule in rules(shapes):
        if only is not None and not only(rule.query):
            continue
        shape, constraint = rule.shape, rule.constraint
        severity = shapes.value(shape, SH.severity) or SH.Violation
        templates = list(shapes.objects(constraint, SH.message))
        node_shape = shapes.value(shape, SH.path) is None
        for values in _solutions(store, rule, _target_pattern(shapes, shape), texts):
            messages = tuple(sorted((t.language or "en", _fill(str(t), values)) for t in templates))  # type: ignore[attr-defined]
            value = values.get("value")
            if value is None and node_shape:  # SHACL-SPARQL: then the focus node is the value
                value = values["this"]
            findings.append(
                Finding(
                    severity=severity,  # type: ignore[arg-type]
                    shape=shape,
                    focus=from_oxigraph(values["this"]),
                    path=None,
                    value=from_oxigraph(value) if value is not None else None,
                    messages=messages,
                    component=SH.SPARQLConstraintComponent,
                )
            )
    return findings


def _solutions(
    store: ox.Store, rule: Rule, targets: str, texts: Texts | None
) -> Iterator[dict[str, object]]:
    """The query's solutions (each a variable → term map), or the same solutions computed
    without it where the query cannot be fast (`_span_solutions`)."""
    if rule.span:
        solved = _span_solutions(store, targets, texts_in(store) if texts is None else texts)
        if solved is not None:
            yield from solved
            return
        if texts is not None:  # kept out of this store: the query reads them
            string = ox.NamedNode(str(NIF.isString))
            store.extend(ox.Quad(s, string, o) for s, values in texts.items() for o in values)  # type: ignore[arg-type]
    solutions = store.query(rule.query)
    names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
    for row in solutions:  # type: ignore[union-attr]
        yield {n: row[n] for n in names if row[n] is not None}


Texts = dict[object, list[object]]  # a text node's nif:isString values, as Oxigraph terms


def texts_in(store: ox.Store) -> Texts:
    texts: Texts = {}
    string = ox.NamedNode(str(NIF.isString))
    for q in store.quads_for_pattern(None, string, None, ox.DefaultGraph()):
        texts.setdefault(q.subject, []).append(q.object)
    return texts


def rule_targets(
    data: Graph | ox.Store, shapes: Graph, *, keep: Callable[[str], bool] | None = None
) -> dict[Node, set[Node]]:
    """The nodes each rule counted in `edugraph validate`'s summary examines: the subjects of
    its target class (as stated, no subclass) and of its sh:targetSubjectsOf; with `keep`,
    only those it accepts (by their N-Triples form)."""
    out: dict[Node, set[Node]] = {}
    for shape in shapes.subjects(SH.sparql, None):
        if not isinstance(shape, URIRef) or (shape, SH.severity, SH.Info) in shapes:
            continue  # a note is not a rule that holds or fails
        targets = {
            s for c in shapes.objects(shape, SH.targetClass) for s in _with(data, RDF.type, c, keep)
        }
        targets |= {
            s
            for p in shapes.objects(shape, SH.targetSubjectsOf)
            for s in _with(data, p, None, keep)
        }
        out[shape] = targets
    return out


def _with(
    data: Graph | ox.Store, predicate: Node, value: Node | None, keep: Callable[[str], bool] | None
) -> set[Node]:
    """The subjects of `predicate` (with `value`) in an rdflib graph or a store's default graph."""
    if isinstance(data, Graph):
        found = set(data.subjects(predicate, value))
        return found if keep is None else {s for s in found if keep(s.n3())}
    o = None if value is None else ox.NamedNode(str(value))
    quads = data.quads_for_pattern(None, ox.NamedNode(str(predicate)), o, ox.DefaultGraph())
    subjects = {q.subject for q in quads}
    return {from_oxigraph(s) for s in subjects if keep is None or keep(_written(s))}


def _written(term: object) -> str:
    """A subject as N-Triples writes it."""
    return f"<{term.value}>" if isinstance(term, ox.NamedNode) else f"_:{term.value}"  # type: ignore[attr-defined]


# eds:SpanShape's rule, whitespace aside. As a query it copies the whole text of the report and
# walks it to the span's offset for every span, which makes validating a report quadratic in
# its length; `_span_solutions` finds the same solutions reading each text once.
SPAN_SELECT = (
    "SELECT $this ?anchor WHERE { $this nif:beginIndex ?b ; nif:endIndex ?e ; nif:anchorOf "
    "?anchor ; nif:referenceContext/nif:isString ?text . FILTER(?e < ?b || SUBSTR(?text, ?b + 1, "
    "?e - ?b) != STR(?anchor)) }"
)
_DIGITS = re.compile(r"[0-9]{1,18}")


def _span_solutions(store: ox.Store, targets: str, texts: Texts) -> list[dict[str, object]] | None:
    """The solutions of `SPAN_SELECT` for the focus nodes `targets` binds, with each text read
    once; None when some span or text is not of the usual kinds (offsets written as
    non-negative integers, a text that is a plain string, an anchor that is a literal or an
    IRI), where only the query itself says what SPARQL makes of it."""
    strings: dict[object, list[str]] = {}
    for subject, values in texts.items():
        for literal in values:
            if not isinstance(literal, ox.Literal) or literal.datatype != _STRING:
                return None
            if literal.language:
                return None
            strings.setdefault(subject, []).append(literal.value)
    rows = store.query(
        f"SELECT ?this ?anchor ?b ?e ?context WHERE {{ "
        f"{{ SELECT DISTINCT ?this WHERE {{ {targets} }} }} "
        f"?this <{NIF.beginIndex}> ?b ; <{NIF.endIndex}> ?e ; <{NIF.anchorOf}> ?anchor ; "
        f"<{NIF.referenceContext}> ?context . }}"
    )
    found: dict[tuple[object, object], dict[str, object]] = {}
    for row in rows:  # type: ignore[union-attr]
        this, anchor, b, e, context = (row[n] for n in ("this", "anchor", "b", "e", "context"))
        if not (_offset(b) and _offset(e) and isinstance(anchor, ox.Literal | ox.NamedNode)):
            return None
        begin, end = int(b.value), int(e.value)
        for text in strings.get(context, ()):
            if end < begin or text[begin:end] != anchor.value:
                found.setdefault((this, anchor), {"this": this, "anchor": anchor})
    return list(found.values())


_STRING = ox.NamedNode(str(XSD.string))
_INTEGER = ox.NamedNode(str(XSD.integer))


def _offset(term: object) -> bool:
    """Whether a term is a non-negative xsd:integer written plainly (as Oxigraph stores it)."""
    return (
        isinstance(term, ox.Literal)
        and term.datatype == _INTEGER
        and _DIGITS.fullmatch(term.value) is not None
    )


def _fill(template: str, values: dict[str, object]) -> str:
    """SHACL message templates: {?var} and {$this} take the solution's values."""

    def value(m: re.Match[str]) -> str:
        term = values.get(m.group(1))
        return "" if term is None else str(getattr(term, "value", term))

    return re.sub(r"\{[?$](\w+)\}", value, template)
