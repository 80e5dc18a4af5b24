"""The compiler of SHACL Core shapes into SPARQL: where a shape's constraints apply (`Site`),
the pattern each constraint becomes (`Violation`, made by `shacl_components`) and the query
that finds all of its results at once (`Check`).

Every variable the compiler writes is fresh, so that patterns nest in one another's EXISTS
(sh:or, sh:xone, sh:qualifiedValueShape) without capturing a variable. A shape that uses
anything not compiled raises `UnsupportedShape`, naming the shape and the term.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations, count
from typing import TypeVar

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from edugraph.errors import UnsupportedShape
from edugraph.validate.paths import NotAPath, Path, read_path, sparql
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
SUBTYPES = (
    "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger", "long",
    "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
)  # fmt: skip
INTEGERS = {XSD.integer, *(XSD[name] for name in SUBTYPES)}
WRITTEN_AS = "urn:x-edugraph:written-as:"  # + a subtype's local name: a graph of its triples
Component = Callable[["Compiler", "Site"], list["Violation"]]


@dataclass(frozen=True, slots=True)
class Violation:
    """A graph pattern with a solution for each validation result of one constraint; `value`
    is the variable holding the result's sh:value, `key` one that tells apart results pySHACL
    reports separately although they share a focus node (sh:uniqueLang: a language)."""

    pattern: str
    component: URIRef  # sh:sourceConstraintComponent of its results
    message: str
    value: str | None = None
    key: str | None = None


@dataclass(frozen=True, slots=True)
class Check:
    """One query, and what each of its solutions becomes as a finding."""

    query: str
    shape: Node
    severity: URIRef
    path: Path | None
    component: URIRef
    has_value: bool  # whether its results carry a sh:value (the query's ?value)
    messages: tuple[tuple[str, str], ...]
    parts: tuple[str, ...] = ()  # the graph patterns the query joins: its focus nodes', …
    steps: tuple[Step, ...] = ()  # … and the paths the other one follows (`Step`)


@dataclass(frozen=True, slots=True)
class Step:
    """A path a check's violation pattern follows, from the focus node or from a node reached
    (what `validate.pieces` needs to know of it, without parsing the pattern)."""

    from_focus: bool
    path: Path


@dataclass(frozen=True, slots=True)
class Site:
    """Where a shape's constraints apply: the focus node's variable, the SPARQL path of a
    property shape (None for a node shape), the variable of each value node (the focus node
    itself for a node shape) and, when the path is a predicate, the subject and predicate of
    the triple that holds the value node (`WRITTEN_AS` is looked up by triple)."""

    shape: Node
    focus: str
    path: str | None
    value: str
    origin: str | None

    @property
    def values(self) -> str:
        return f"{self.focus} {self.path} {self.value} ." if self.path else ""


def ordered(nodes: Iterable[_T]) -> list[_T]:
    """Terms in a stable order (rdflib cannot order every pair of literals)."""
    return sorted(nodes, key=repr)


class Compiler:
    """Turns a shapes graph into checks, each constraint by one of `components`."""

    def __init__(self, shapes: Graph, *, components: Sequence[Component]):
        self.shapes = shapes
        self.components = components
        self._numbers = count()
        self._within: list[Node] = []  # the shapes being compiled for conformance
        self.steps: list[Step] = []  # the paths the patterns of the shape being compiled follow

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
        path = self.path_value(shape)
        named = shape
        if isinstance(shape, BNode):  # a blank property shape: its holder names its results
            named = self.shapes.value(predicate=SH.property, object=shape) or shape
        severity = self.shapes.value(shape, SH.severity) or SH.Violation
        if not isinstance(severity, URIRef):
            raise self.unsupported(shape, SH.severity, f"{severity!r}")
        own = self.shapes.objects(shape, SH.message)
        messages = tuple(sorted((getattr(m, "language", None) or "en", str(m)) for m in own))
        focus = self.focus(holders)
        self.steps = []
        violations = self.violations(self.site(shape, "?this", None))
        steps = tuple(dict.fromkeys(self.steps))
        return [
            Check(
                query=self.query(focus, violation),
                parts=(focus, violation.pattern),
                steps=steps,
                shape=named,
                severity=severity,
                path=path,
                component=violation.component,
                has_value=violation.value is not None,
                messages=messages or (("en", violation.message),),
            )
            for violation in violations
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
        value = self.path_value(shape)
        if value is not None:
            self.steps.append(Step(focus == "?this", value))
        path = self.path(shape)
        if path is None:
            return Site(shape, focus, None, focus, origin)
        forward = f"{focus} {path}" if path.startswith("<") else None  # a predicate
        return Site(shape, focus, path, self.var(), forward)

    def path_value(self, shape: Node) -> Path | None:
        """The path of a property shape (None for a node shape)."""
        node = self.shapes.value(shape, SH.path)
        if node is None:
            return None
        try:
            return read_path(self.shapes, node)
        except NotAPath as error:
            raise self.unsupported(shape, SH.path, str(error)) from None

    def path(self, shape: Node) -> str | None:
        """The SPARQL property path of a property shape."""
        path = self.path_value(shape)
        return None if path is None else sparql(path)

    def violations(self, site: Site) -> list[Violation]:
        return [v for component in self.components for v in component(self, site)]

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

    def written_as(self, site: Site, value: str, datatype: Node | None) -> str:
        """An expression: the data wrote `value` (a variable or constant) at the site with
        `datatype`, as far as it matters (a subtype of xsd:integer or xsd:integer itself)."""
        if datatype not in INTEGERS:
            return "true"
        if site.origin is None:
            if site.path is None or site.path.startswith("^"):
                return "true"  # a focus node, or a subject (never a literal): the value decides
            raise self.unsupported(site.shape, SH.path, "other than a predicate, on an integer")
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
