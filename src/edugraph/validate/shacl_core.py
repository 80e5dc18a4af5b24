"""SHACL Core in Oxigraph: the core constraints of a shapes graph compiled to SPARQL SELECT
queries, each run once over all the focus nodes of its shape.

pySHACL checks every focus node and value node in Python on rdflib, about half a second per
report; as queries the same constraints take milliseconds. Only the constraint components that
ontology/shapes.ttl uses are compiled, and a shape that uses anything else raises
`UnsupportedShape`: a constraint is never skipped without a word.

The findings are those pySHACL gives (the tests run both): the same focus node, path, severity
and source shape (a blank property shape named by the node shape that holds it, as
`validate._finding` names pySHACL's), one result per value node where pySHACL gives one per
value node; a result's messages are its shape's sh:message or else an English one of ours.
pySHACL is followed where it reads the specification its own way, because its results are the
reference: which lexical forms are well-typed (rdflib's), sh:languageIn (`_language_in`), and
sh:severity, which a property shape does not inherit from the node shape that holds it. One
choice is the specification's: a value that cannot be compared with a bound (an ill-typed
number, a string against a number) fails sh:minInclusive and its kin, where pySHACL's result
depends on how rdflib happens to order the two.

Oxigraph stores every subtype of xsd:integer as xsd:integer ("3"^^xsd:nonNegativeInteger reads
back as "3"^^xsd:integer). So that sh:datatype can still tell them apart, `to_store` also files
each triple written with a subtype in a named graph for that subtype (`WRITTEN_AS`), which the
queries consult; the data itself stays in the default graph. What Oxigraph merges stays merged:
two spellings of one value on one subject and predicate ("1.5" and "1.50", or 3 written as
xsd:integer and as xsd:nonNegativeInteger) are one value here and two in rdflib.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations, count
from typing import TypeVar

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from edugraph.errors import UnsupportedShape
from edugraph.rdf import from_oxigraph
from edugraph.validate.findings import Finding
from edugraph.vocab import SH

_T = TypeVar("_T")

TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
ANNOTATIONS = {SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group}
CONSTRAINTS = {
    SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.nodeKind, SH["in"], SH.hasValue,
    SH.languageIn, SH.uniqueLang, SH.minInclusive, SH.minExclusive, SH.maxInclusive,
    SH.maxExclusive, SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount,
    SH["or"], SH.xone,
}  # fmt: skip
RANGES = {SH.minInclusive: ">=", SH.minExclusive: ">", SH.maxInclusive: "<=", SH.maxExclusive: "<"}
NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
# The lexical forms rdflib takes as well-typed, hence pySHACL (as a SPARQL string: "\\" is "\").
# rdflib accepts any decimal Python does, NaN and Infinity included, and checks no xsd:gYear or
# xsd:gYearMonth at all; it writes valid numbers canonically, as Oxigraph does.
LEXICAL = {
    XSD.integer: r"^\\s*[+-]?[0-9]+\\s*$",
    XSD.nonNegativeInteger: r"^\\s*(\\+?[0-9]+|-0+)\\s*$",
    XSD.decimal: r"^\\s*[+-]?(([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?|s?nan|inf(inity)?)\\s*$",
    XSD.boolean: r"^(true|false|1|0)$",
    XSD.date: r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.gYear: "",
    XSD.gYearMonth: "",
    XSD.string: "",
}
SUBTYPES = (
    "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger", "long",
    "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
)  # fmt: skip
INTEGERS = {XSD.integer, *(XSD[name] for name in SUBTYPES)}
WRITTEN_AS = "urn:x-edugraph:written-as:"  # + a subtype's local name: a graph of its triples
_SUBTYPED = re.compile(
    rb"^(.*\^\^<http://www\.w3\.org/2001/XMLSchema#(" + "|".join(SUBTYPES).encode() + rb")>)"
    rb" \.[ \t]*\r?$",
    re.M,
)


@dataclass(frozen=True, slots=True)
class Violation:
    """A graph pattern with a solution for each validation result of one constraint; `value`
    is the variable holding the result's sh:value, `key` one that tells apart results pySHACL
    reports separately although they share a focus node (sh:uniqueLang: a language)."""

    pattern: str
    message: str
    value: str | None = None
    key: str | None = None


@dataclass(frozen=True, slots=True)
class Check:
    """One query, and what each of its solutions becomes as a finding."""

    query: str
    shape: Node
    severity: URIRef
    path: Node | None
    has_value: bool  # whether its results carry a sh:value (the query's ?value)
    messages: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Site:
    """Where a shape's constraints apply: the focus node's variable, the SPARQL path of a
    property shape (None for a node shape), the variable of each value node (the focus node
    itself for a node shape) and, when known, the subject and predicate of the triple that
    holds the value node (`WRITTEN_AS` is looked up by triple)."""

    shape: Node
    focus: str
    path: str | None
    value: str
    origin: str | None

    @property
    def values(self) -> str:
        return f"{self.focus} {self.path} {self.value} ." if self.path else ""


def core_findings(store: ox.Store, shapes: Graph) -> list[Finding]:
    """The results of every core constraint of `shapes` on a store made by `to_store` (the
    sh:sparql constraints are `validate.sparql_findings`' part)."""
    return [finding for check in compile_shapes(shapes) for finding in run(check, store)]


def to_store(data: Graph | bytes) -> ox.Store:
    """The data (an rdflib graph or N-Triples) in a new store's default graph, and the triples
    written with a subtype of xsd:integer in `WRITTEN_AS` graphs. Blank node labels are kept,
    so that a finding about a blank node names the node rdflib has."""
    if isinstance(data, Graph):
        data = data.serialize(format="nt", encoding="utf-8")
    store = ox.Store()
    store.extend(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    filed = b"".join(
        m[1] + b" <" + WRITTEN_AS.encode() + m[2] + b"> .\n" for m in _SUBTYPED.finditer(data)
    )
    if filed:
        store.extend(ox.parse(filed, format=ox.RdfFormat.N_QUADS))
    return store


def run(check: Check, store: ox.Store) -> Iterator[Finding]:
    """A finding per solution of the check's query."""
    for row in store.query(check.query):  # type: ignore[union-attr]
        value = row["value"] if check.has_value else None
        yield Finding(
            severity=check.severity,
            shape=check.shape,
            focus=term(row["this"]),
            path=check.path,
            value=None if value is None else term(value),
            messages=check.messages,
        )


term = from_oxigraph  # an Oxigraph term as rdflib parses it


_COMPILED: list[tuple[Graph, int, list[Check]]] = []  # a few recent shapes graphs


def compile_shapes(shapes: Graph) -> list[Check]:
    """The checks of a shapes graph, compiled once per graph: a process validates many reports
    against the same shapes."""
    for graph, size, checks in _COMPILED:
        if graph is shapes and size == len(shapes):
            return checks
    checks = Compiler(shapes).checks()
    _COMPILED[:] = [*_COMPILED[-3:], (shapes, len(shapes), checks)]
    return checks


def ordered(nodes: Iterable[_T]) -> list[_T]:
    """Terms in a stable order (rdflib cannot order every pair of literals)."""
    return sorted(nodes, key=repr)


class Compiler:
    """Turns a shapes graph into checks. Every variable it writes is fresh, so that patterns
    nest in one another's EXISTS without capturing a variable."""

    def __init__(self, shapes: Graph):
        self.shapes = shapes
        self._numbers = count()
        self._within: list[Node] = []  # the shapes being compiled for conformance

    def var(self, stem: str = "v") -> str:
        return f"?{stem}{next(self._numbers)}"

    # ----------------------------------------------------------------------------- top level

    def checks(self) -> list[Check]:
        """A check per constraint of every targeted shape, and per constraint of each property
        shape they hold, over the focus nodes of all the shapes that hold it."""
        holders: dict[Node, list[Node]] = {}
        checks: list[Check] = []
        for shape in self.targeted():
            node = self.path(shape) is None  # only a node shape holds property shapes
            extra = {SH.property, SH.sparql} if node else {SH.path}
            self.allow(shape, {*CONSTRAINTS, *TARGETS, *ANNOTATIONS, *extra})
            checks += self.shape_checks(shape, [shape])
            for held in self.shapes.objects(shape, SH.property):
                holders.setdefault(held, []).append(shape)
        for held, shapes in ordered(holders.items()):
            if self.path(held) is None:
                raise self.unsupported(held, SH.property, "whose value has no sh:path")
            self.allow(held, {*CONSTRAINTS, *TARGETS, *ANNOTATIONS, SH.path})
            checks += self.shape_checks(held, shapes)
        return checks

    def targeted(self) -> list[Node]:
        """The shapes with targets: where pySHACL starts."""
        for shape in self.shapes.subjects(SH.target, None):
            raise self.unsupported(shape, SH.target)
        for kind in (RDFS.Class, OWL.Class):
            for shape in self.shapes.subjects(RDF.type, kind):
                if {SH.NodeShape, SH.PropertyShape} & set(self.shapes.objects(shape, RDF.type)):
                    raise self.unsupported(shape, RDF.type, "of a class (implicit targets)")
        return ordered({s for p in TARGETS for s in self.shapes.subjects(p, None)})

    def shape_checks(self, shape: Node, holders: list[Node]) -> list[Check]:
        """The checks of one shape's constraints, on the focus nodes of `holders`."""
        path = self.shapes.value(shape, SH.path)
        named = shape
        if isinstance(shape, BNode):  # a blank property shape: its holder names its results
            named = self.shapes.value(predicate=SH.property, object=shape) or shape
        severity = self.shapes.value(shape, SH.severity) or SH.Violation
        if not isinstance(severity, URIRef):
            raise self.unsupported(shape, SH.severity, f"{severity!r}")
        own = self.shapes.objects(shape, SH.message)
        messages = tuple(sorted((getattr(m, "language", None) or "en", str(m)) for m in own))
        focus = self.focus(holders)
        return [
            Check(
                query=self.query(focus, violation),
                shape=named,
                severity=severity,
                path=path if isinstance(path, URIRef) else None,
                has_value=violation.value is not None,
                messages=messages or (("en", violation.message),),
            )
            for violation in self.violations(self.site(shape, "?this", None))
        ]

    def focus(self, shapes: list[Node]) -> str:
        """A subquery binding ?this to each focus node of any of `shapes`, once."""
        parts = [
            self.target(shape, p, o)
            for shape in shapes
            for p, o in ordered(self.shapes.predicate_objects(shape))
            if p in TARGETS
        ]
        return f"{{ SELECT DISTINCT ?this WHERE {{ {' UNION '.join(parts)} }} }}"

    def target(self, shape: Node, kind: Node, value: Node) -> str:
        if kind == SH.targetNode:
            return f"{{ VALUES ?this {{ {self.constant(shape, SH.targetNode, value)} }} }}"
        if not isinstance(value, URIRef):
            raise self.unsupported(shape, kind, f"{value!r}")
        patterns: dict[Node, str] = {
            SH.targetClass: f"{{ ?this <{RDF.type}>/<{RDFS.subClassOf}>* <{value}> }}",
            SH.targetSubjectsOf: f"{{ ?this <{value}> [] }}",
            SH.targetObjectsOf: f"{{ [] <{value}> ?this }}",
        }
        return patterns[kind]

    def query(self, focus: str, violation: Violation) -> str:
        """The focus nodes, then the violation pattern: a solution per result."""
        value = f" ({violation.value} AS ?value)" if violation.value else ""
        key = f" {violation.key}" if violation.key else ""
        return f"SELECT DISTINCT ?this{value}{key} WHERE {{ {focus} {violation.pattern} }}"

    # ------------------------------------------------------------------------ shapes at sites

    def site(self, shape: Node, focus: str, origin: str | None) -> Site:
        """`origin`: where a node shape's focus node comes from, if from a triple."""
        path = self.path(shape)
        if path is None:
            return Site(shape, focus, None, focus, origin)
        forward = None if path.startswith("^") else f"{focus} {path}"
        return Site(shape, focus, path, self.var(), forward)

    def path(self, shape: Node) -> str | None:
        """The SPARQL path of a property shape: an IRI or the inverse of one."""
        path = self.shapes.value(shape, SH.path)
        if path is None or isinstance(path, URIRef):
            return None if path is None else f"<{path}>"
        inverse = self.shapes.value(path, SH.inversePath)
        if isinstance(inverse, URIRef) and len(set(self.shapes.predicates(path, None))) == 1:
            return f"^<{inverse}>"
        raise self.unsupported(shape, SH.path, "other than an IRI or [ sh:inversePath IRI ]")

    def violations(self, site: Site) -> list[Violation]:
        return [v for component in COMPONENTS for v in component(self, site)]

    def conforms(self, shape: Node, focus: str, origin: str | None) -> str:
        """An expression: the node in `focus` conforms to `shape` (it gives no result). pySHACL
        with warnings allowed would let a shape of lesser severity conform: refused here."""
        if shape in self._within:
            raise self.unsupported(shape, None, "a shape within itself")
        self.allow(shape, {*CONSTRAINTS, *TARGETS, *ANNOTATIONS, SH.path})
        if self.shapes.value(shape, SH.severity) not in (None, SH.Violation):
            raise self.unsupported(shape, SH.severity, "on a shape within a constraint")
        self._within.append(shape)
        try:
            found = self.violations(self.site(shape, focus, origin))
        finally:
            self._within.pop()
        tests = [f"NOT EXISTS {{ {v.pattern} }}" for v in found]
        return f"({' && '.join(tests)})" if tests else "true"

    def well_typed(self, site: Site, datatype: Node) -> str:
        """An expression: the value node is a literal of `datatype`, as pySHACL decides."""
        v = site.value
        if datatype == RDF.langString:
            return f'isLiteral({v}) && LANG({v}) != ""'
        lexical = LEXICAL.get(datatype) if isinstance(datatype, URIRef) else None
        if lexical is None:
            raise self.unsupported(site.shape, SH.datatype, self.show(datatype))
        stored = XSD.integer if datatype in INTEGERS else datatype
        test = f"isLiteral({v}) && DATATYPE({v}) = <{stored}>"
        if lexical:
            test += f' && REGEX(STR({v}), "{lexical}", "i")'
        if datatype == XSD.date:  # a real date; Python's, hence rdflib's, has no year 0
            test += f' && !STRSTARTS(STR({v}), "0000") && isLiteral(<{XSD.date}>(STR({v})))'
        return f"{test} && {self.written_as(site, v, datatype)}"

    def written_as(self, site: Site, value: str, datatype: Node | None) -> str:
        """An expression: the data wrote `value` (a variable or constant) at the site with
        `datatype`, as far as it matters (a subtype of xsd:integer or xsd:integer itself)."""
        if datatype not in INTEGERS or site.origin is None:
            return "true"  # no triple to look up (a focus node): the value decides
        triple = f"{site.origin} {value}"
        if datatype == XSD.integer:
            g = self.var("g")
            filed = f'FILTER(STRSTARTS(STR({g}), "{WRITTEN_AS}"))'
            return f"NOT EXISTS {{ GRAPH {g} {{ {triple} }} {filed} }}"
        return f"EXISTS {{ GRAPH <{WRITTEN_AS}{str(datatype)[len(str(XSD)) :]}> {{ {triple} }} }}"

    def same(self, site: Site, value: str, constant: Node, parameter: URIRef) -> str:
        """An expression: `value` is the term `constant` (with the datatype it is written in)."""
        text = self.constant(site.shape, parameter, constant)
        datatype = constant.datatype if isinstance(constant, Literal) else None
        written = self.written_as(site, value, datatype) if datatype else "true"
        return f"sameTerm({value}, {text})" + (f" && {written}" if written != "true" else "")

    # ---------------------------------------------------------------------------- parameters

    def allow(self, shape: Node, allowed: set[Node]) -> None:
        """Refuse a shape that uses any SHACL term this engine does not compile."""
        for p in ordered(set(self.shapes.predicates(shape, None))):
            if str(p).startswith(str(SH)) and p not in allowed:
                raise self.unsupported(shape, p)

    def unsupported(self, shape: Node, term: Node | None, detail: str = "") -> UnsupportedShape:
        """The error naming what is not supported, and where."""
        where = self.show(shape) if isinstance(shape, URIRef) else f"the shape {self.show(shape)}"
        what = " ".join(part for part in (self.show(term) if term else "", detail) if part)
        return UnsupportedShape(
            f"{where}: {what} is not supported by the oxigraph SHACL engine (use --engine pyshacl)"
        )

    def one(self, shape: Node, parameter: URIRef) -> Node | None:
        values = list(self.shapes.objects(shape, parameter))
        if len(values) > 1:
            raise self.unsupported(shape, parameter, "with more than one value")
        return values[0] if values else None

    def count(self, shape: Node, parameter: URIRef) -> int | None:
        value = self.one(shape, parameter)
        if value is None:
            return None
        number = value.toPython() if isinstance(value, Literal) else None
        if not isinstance(number, int) or isinstance(number, bool) or number < 0:
            raise self.unsupported(shape, parameter, f"{value!r}")
        return number

    def items(self, shape: Node, parameter: URIRef, node: Node) -> list[Node]:
        if node != RDF.nil and not isinstance(node, BNode):
            raise self.unsupported(shape, parameter, "whose value is not an RDF list")
        return list(Collection(self.shapes, node))

    def constant(self, shape: Node, parameter: URIRef, value: Node) -> str:
        if not isinstance(value, URIRef | Literal):
            raise self.unsupported(shape, parameter, "with a blank node as a value")
        return value.n3()

    def needs_path(self, site: Site, parameter: URIRef) -> None:
        """Cardinality and the like belong to property shapes (pySHACL refuses them too)."""
        if site.path is None:
            raise self.unsupported(site.shape, parameter, "on a node shape")

    # ---------------------------------------------------------------------------------- text

    def distinct(self, site: Site, names: list[str]) -> str:
        """A pattern binding `names` to pairwise different value nodes."""
        triples = " ".join(f"{site.focus} {site.path} {name} ." for name in names)
        different = " && ".join(f"!sameTerm({a}, {b})" for a, b in combinations(names, 2))
        return f"{triples} FILTER({different})" if different else triples

    def show(self, node: Node, depth: int = 0) -> str:
        """A term for a message: a prefixed name, or a blank shape or list written out."""
        if isinstance(node, Literal) and node.datatype in (XSD.integer, XSD.decimal):
            return str(node)
        if not isinstance(node, BNode) or depth > 2:
            return node.n3(self.shapes.namespace_manager)
        if (node, RDF.first, None) in self.shapes:
            members = Collection(self.shapes, node)
            return f"( {' '.join(self.show(n, depth + 1) for n in members)} )"
        pairs = ordered(self.shapes.predicate_objects(node))
        return f"[ {' ; '.join(f'{self.show(p)} {self.show(o, depth + 1)}' for p, o in pairs)} ]"

    def show_path(self, shape: Node) -> str:
        path = self.shapes.value(shape, SH.path)
        inverse = self.shapes.value(path, SH.inversePath) if isinstance(path, BNode) else None
        return f"^{self.show(inverse)}" if inverse is not None else self.show(path)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------- components
# Each gives the violation patterns of one constraint component of the shape at a site.


def _min_count(c: Compiler, site: Site) -> list[Violation]:
    n = c.count(site.shape, SH.minCount)
    if n is None:
        return []
    c.needs_path(site, SH.minCount)
    if n == 0:
        return []
    pattern = f"FILTER NOT EXISTS {{ {c.distinct(site, [c.var() for _ in range(n)])} }}"
    return [Violation(pattern, f"fewer than {n} values of {c.show_path(site.shape)}")]


def _max_count(c: Compiler, site: Site) -> list[Violation]:
    n = c.count(site.shape, SH.maxCount)
    if n is None:
        return []
    c.needs_path(site, SH.maxCount)
    pattern = c.distinct(site, [c.var() for _ in range(n + 1)])
    return [Violation(pattern, f"more than {n} values of {c.show_path(site.shape)}")]


def _datatype(c: Compiler, site: Site) -> list[Violation]:
    datatype = c.one(site.shape, SH.datatype)
    if datatype is None:
        return []
    pattern = f"{site.values} FILTER(!COALESCE({c.well_typed(site, datatype)}, false))"
    message = f"value is not a literal of datatype {c.show(datatype)}"
    return [Violation(pattern, message, site.value)]


def _class(c: Compiler, site: Site) -> list[Violation]:
    out = []
    for cls in ordered(c.shapes.objects(site.shape, SH["class"])):
        if not isinstance(cls, URIRef):
            raise c.unsupported(site.shape, SH["class"], f"{cls!r}")
        instance = f"{site.value} <{RDF.type}>/<{RDFS.subClassOf}>* <{cls}>"
        pattern = f"{site.values} FILTER NOT EXISTS {{ {instance} }}"
        out.append(Violation(pattern, f"value is not an instance of {c.show(cls)}", site.value))
    return out


def _node_kind(c: Compiler, site: Site) -> list[Violation]:
    kind = c.one(site.shape, SH.nodeKind)
    if kind is None:
        return []
    test = NODE_KINDS.get(kind) if isinstance(kind, URIRef) else None
    if test is None:
        raise c.unsupported(site.shape, SH.nodeKind, c.show(kind))
    pattern = f"{site.values} FILTER(!{test.format(v=site.value)})"
    return [Violation(pattern, f"value is not of node kind {c.show(kind)}", site.value)]


def _in(c: Compiler, site: Site) -> list[Violation]:
    allowed = c.one(site.shape, SH["in"])
    if allowed is None:
        return []
    members = c.items(site.shape, SH["in"], allowed)
    test = " || ".join(f"({c.same(site, site.value, m, SH['in'])})" for m in members) or "false"
    pattern = f"{site.values} FILTER(!({test}))"
    return [Violation(pattern, f"value is not in {c.show(allowed)}", site.value)]


def _has_value(c: Compiler, site: Site) -> list[Violation]:
    out = []
    for value in ordered(c.shapes.objects(site.shape, SH.hasValue)):
        constant = c.constant(site.shape, SH.hasValue, value)
        if site.path:
            written = c.written_as(site, constant, getattr(value, "datatype", None))
            check = "" if written == "true" else f" FILTER({written})"
            pattern = f"FILTER NOT EXISTS {{ {site.focus} {site.path} {constant} .{check} }}"
        else:
            pattern = f"FILTER(!({c.same(site, site.focus, value, SH.hasValue)}))"
        out.append(Violation(pattern, f"missing the value {c.show(value)}"))
    return out


def _language_in(c: Compiler, site: Site) -> list[Violation]:
    """pySHACL's sh:languageIn: a tag matches if it, or its first subtag, is in the list (case
    aside). SPARQL's langMatches, which the specification names, would also let "zh-Hans-CN"
    match "zh-Hans"; pySHACL does not, and neither does this."""
    languages = c.one(site.shape, SH.languageIn)
    if languages is None:
        return []
    wanted = []
    for tag in c.items(site.shape, SH.languageIn, languages):
        if not isinstance(tag, Literal) or not isinstance(tag.toPython(), str):
            raise c.unsupported(site.shape, SH.languageIn, f"with the member {tag!r}")
        wanted.append(Literal(str(tag).lower()).n3())
    v, listed = site.value, ", ".join(wanted)
    test = f'isLiteral({v}) && LANG({v}) != ""'
    if '"*"' not in wanted:
        first = f'REPLACE(LANG({v}), "-.*$", "")'
        test += f" && (LCASE(LANG({v})) IN ({listed}) || LCASE({first}) IN ({listed}))"
    pattern = f"{site.values} FILTER(!COALESCE({test}, false))"
    return [Violation(pattern, f"value's language is not in {c.show(languages)}", v)]


def _unique_lang(c: Compiler, site: Site) -> list[Violation]:
    """A result per language tag that two values share (pySHACL gives one each)."""
    unique = c.one(site.shape, SH.uniqueLang)
    if unique is None:
        return []
    if not isinstance(unique, Literal) or not isinstance(unique.toPython(), bool):
        raise c.unsupported(site.shape, SH.uniqueLang, f"{unique!r}")
    c.needs_path(site, SH.uniqueLang)
    if not unique.toPython():
        return []
    a, b, lang = c.var(), c.var(), c.var("lang")
    shared = f'LANG({a}) != "" && LCASE(LANG({a})) = LCASE(LANG({b}))'
    pattern = f"{c.distinct(site, [a, b])} FILTER({shared}) BIND(LCASE(LANG({a})) AS {lang})"
    return [Violation(pattern, "more than one value has the same language tag", key=lang)]


def _ranges(c: Compiler, site: Site) -> list[Violation]:
    out = []
    for parameter, operator in RANGES.items():
        for bound in ordered(c.shapes.objects(site.shape, parameter)):
            if not isinstance(bound, Literal):
                raise c.unsupported(site.shape, parameter, f"{bound!r}")
            test = f"COALESCE({site.value} {operator} {bound.n3()}, false)"
            pattern = f"{site.values} FILTER(!{test})"
            out.append(Violation(pattern, f"value is not {operator} {c.show(bound)}", site.value))
    return out


def _qualified(c: Compiler, site: Site) -> list[Violation]:
    """sh:qualifiedValueShape: at least, or at most, n values conform to the shape."""
    shape = c.one(site.shape, SH.qualifiedValueShape)
    low = c.count(site.shape, SH.qualifiedMinCount)
    high = c.count(site.shape, SH.qualifiedMaxCount)
    if shape is None:
        if low is not None or high is not None:
            raise c.unsupported(site.shape, SH.qualifiedMinCount, "without a qualified shape")
        return []
    c.needs_path(site, SH.qualifiedValueShape)
    if (site.shape, SH.qualifiedValueShapesDisjoint, Literal(True)) in c.shapes:
        raise c.unsupported(site.shape, SH.qualifiedValueShapesDisjoint)
    if low is None and high is None:
        raise c.unsupported(site.shape, SH.qualifiedValueShape, "without a qualified count")

    def conforming(n: int) -> str:
        names = [c.var() for _ in range(n)]
        tests = " && ".join(c.conforms(shape, name, site.origin) for name in names)
        return f"{c.distinct(site, names)} FILTER({tests})"

    out = []
    described = f"of {c.show_path(site.shape)} conform to {c.show(shape)}"
    if low:
        pattern = f"FILTER NOT EXISTS {{ {conforming(low)} }}"
        out.append(Violation(pattern, f"fewer than {low} values {described}"))
    if high is not None:
        out.append(Violation(conforming(high + 1), f"more than {high} values {described}"))
    return out


def _logical(c: Compiler, site: Site) -> list[Violation]:
    """sh:or (some member conforms) and sh:xone (exactly one does), per value node."""
    out = []
    for parameter in (SH["or"], SH.xone):
        for members in ordered(c.shapes.objects(site.shape, parameter)):
            shapes = c.items(site.shape, parameter, members)
            if not shapes:
                raise c.unsupported(site.shape, parameter, "with an empty list")
            if parameter == SH["or"]:  # pySHACL counts a repeated member once in sh:or only
                shapes = list(dict.fromkeys(shapes))
            tests = [c.conforms(member, site.value, site.origin) for member in shapes]
            if parameter == SH["or"]:
                fails, word = f"!({' || '.join(tests)})", "one or more"
            else:
                fails, word = f"({' + '.join(f'IF({t}, 1, 0)' for t in tests)}) != 1", "exactly one"
            pattern = f"{site.values} FILTER({fails})"
            message = f"value must conform to {word} of the shapes in {c.show(members)}"
            out.append(Violation(pattern, message, site.value))
    return out


COMPONENTS: tuple[Callable[[Compiler, Site], list[Violation]], ...] = (
    _min_count, _max_count, _datatype, _class, _node_kind, _in, _has_value, _language_in,
    _unique_lang, _ranges, _qualified, _logical,
)  # fmt: skip
