"""The terms of a graph as its documentation shows them: links, literals, blank-node
structures and SHACL paths, gathered into entries and sections (`publish.docs` lays them out)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from markupsafe import Markup, escape
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from edugraph.publish.export import prefixes
from edugraph.vocab import SH, VANN

MAX_DEPTH = 4  # nested blank nodes shown inline, deeper ones elided
SHAPE_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
SHAPE_TEXT = (SH.path, SH.name, SH.description, SH.message, SH.severity, SH.order, SH.group)
PATH_SUFFIX = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}
LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel, SH.name)
DEFINITION_PROPERTIES = (SKOS.definition, RDFS.comment, DCTERMS.description, SH.description)
HEADER_PROPERTIES = (
    ("Title", DCTERMS.title),
    ("Version IRI", OWL.versionIRI),
    ("Version", OWL.versionInfo),
    ("License", DCTERMS.license),
    ("Creator", DCTERMS.creator),
    ("Created", DCTERMS.created),
    ("Modified", DCTERMS.modified),
    ("Preferred prefix", VANN.preferredNamespacePrefix),
    ("Namespace", VANN.preferredNamespaceUri),
    ("Imports", OWL.imports),
    ("See also", RDFS.seeAlso),
)
CLASS_KINDS = (OWL.Class, RDFS.Class)
PROPERTY_SECTIONS = (
    ("object-properties", "Object properties", OWL.ObjectProperty),
    ("datatype-properties", "Datatype properties", OWL.DatatypeProperty),
    ("annotation-properties", "Annotation properties", OWL.AnnotationProperty),
    ("other-properties", "Other properties", RDF.Property),
)
CLASS_ROWS = (
    ("Subclass of", RDFS.subClassOf),
    ("Equivalent to", OWL.equivalentClass),
    ("Disjoint with", OWL.disjointWith),
)
PROPERTY_ROWS = (
    ("Domain", RDFS.domain),
    ("Range", RDFS.range),
    ("Subproperty of", RDFS.subPropertyOf),
    ("Inverse of", OWL.inverseOf),
    ("Equivalent to", OWL.equivalentProperty),
)
SHARED_ROWS = (
    ("Alt. labels", SKOS.altLabel),
    ("Notation", SKOS.notation),
    ("In scheme", SKOS.inScheme),
    ("Top concept of", SKOS.topConceptOf),
    ("Broader", SKOS.broader),
    ("Narrower", SKOS.narrower),
    ("Exact match", SKOS.exactMatch),
    ("Close match", SKOS.closeMatch),
    ("Broad match", SKOS.broadMatch),
    ("Narrow match", SKOS.narrowMatch),
    ("Related match", SKOS.relatedMatch),
    ("Same as", OWL.sameAs),
    ("See also", RDFS.seeAlso),
)
SHOWN_ELSEWHERE = {RDF.type, *LABEL_PROPERTIES, *DEFINITION_PROPERTIES, RDFS.isDefinedBy}


@dataclass(slots=True)
class Entry:
    """One documented term: its anchor, names, definitions and a table of facts."""

    anchor: str
    iri: str
    curie: str
    labels: list[tuple[str, str]]
    definitions: list[tuple[str, str]]
    rows: list[tuple[str, list[Markup]]] = field(default_factory=list)
    properties: list[PropertyRow] = field(default_factory=list)
    queries: list[tuple[list[Markup], str]] = field(default_factory=list)

    @property
    def title(self) -> str:
        english = [text for lang, text in self.labels if lang == "en"]
        return english[0] if english else (self.labels[0][1] if self.labels else self.curie)


@dataclass(slots=True)
class PropertyRow:
    """A property constraint of a node shape, as one row of its table."""

    path: Markup
    constraints: list[Markup]
    severity: str
    messages: list[tuple[str, str]]


@dataclass(slots=True)
class Section:
    anchor: str
    title: str
    entries: list[Entry]
    intro: Entry | None = None


class Terms:
    """Renders the terms of one graph: links, values, blank-node structures and SHACL paths."""

    def __init__(self, graph: Graph, namespace: str):
        self.g = graph
        self.namespace = namespace
        known = {**prefixes(), **{p: str(n) for p, n in graph.namespaces() if p}}
        self.prefixes = sorted(known.items(), key=lambda item: -len(item[1]))
        self._keys: dict[Node, tuple[int, str]] = {}

    def local(self, node: Node) -> str | None:
        text = str(node)
        if isinstance(node, URIRef) and text.startswith(self.namespace) and text != self.namespace:
            return text[len(self.namespace) :]
        return None

    def curie(self, node: Node) -> str:
        text = str(node)
        for prefix, namespace in self.prefixes:
            rest = text[len(namespace) :]
            if text.startswith(namespace) and re.fullmatch(r"[\w.-]+", rest):
                return f"{prefix}:{rest}"
        return f"<{text}>"

    def anchor(self, node: Node) -> str:
        """The term's id on the page: its local name; a blank node's is derived from its
        content, so that it is the same on every rendering."""
        if isinstance(node, BNode):
            digest = hashlib.sha256(self.key(node)[1].encode("utf-8")).hexdigest()[:12]
            return f"node-{digest}"
        local = self.local(node)
        return anchor(local if local is not None else self.curie(node))

    def link(self, node: Node) -> Markup:
        local = self.local(node)
        href = f"#{anchor(local)}" if local is not None else str(node)
        return Markup('<a href="{}"><code>{}</code></a>').format(href, self.curie(node))

    def value(self, node: Node, depth: int = 0) -> Markup:
        if isinstance(node, Literal):
            return literal(node, self.curie)
        if isinstance(node, BNode):
            return self.blank(node, depth)
        return self.link(node)

    def values(self, subject: Node, prop: URIRef) -> list[Markup]:
        return [self.value(o) for o in sorted(self.g.objects(subject, prop), key=self.key)]

    def key(self, node: Node) -> tuple[int, str]:
        """A sort key that depends on content only: a blank node sorts by how it reads."""
        if not isinstance(node, BNode):
            return _order(node)
        if node not in self._keys:
            self._keys[node] = (2, "")  # a cycle sorts first instead of recursing forever
            self._keys[node] = (2, str(self.blank(node, 0)))
        return self._keys[node]

    def blank(self, node: BNode, depth: int) -> Markup:
        """A blank node inline: a list, a class expression or `[ p v ; … ]`."""
        if depth >= MAX_DEPTH:
            return Markup("[ … ]")
        items = self.collection(node)
        if items is not None:
            inner = Markup(" ").join(self.value(i, depth + 1) for i in items)
            return Markup("( {} )").format(inner)
        for prop, joiner in ((OWL.unionOf, " ∪ "), (OWL.intersectionOf, " ∩ ")):
            members = self.collection(self.g.value(node, prop))
            if members is not None:
                return Markup(joiner).join(self.value(m, depth + 1) for m in members)
        pairs = sorted(
            self.g.predicate_objects(node), key=lambda po: (self.key(po[0]), self.key(po[1]))
        )
        body = Markup(" ; ").join(
            Markup("{} {}").format(self.link(p), self.value(o, depth + 1)) for p, o in pairs
        )
        return Markup("[ {} ]").format(body)

    def collection(self, node: Node | None) -> list[Node] | None:
        if node is None or (node != RDF.nil and self.g.value(node, RDF.first) is None):
            return None
        items: list[Node] = []
        seen: set[Node] = set()
        while node is not None and node != RDF.nil and node not in seen:
            seen.add(node)
            first = self.g.value(node, RDF.first)
            if first is not None:
                items.append(first)
            node = self.g.value(node, RDF.rest)
        return items

    def path(self, node: Node, depth: int = 0) -> Markup:
        """A SHACL property path in SPARQL's notation: `^p`, `a / b`, `(a | b)`, `p*`."""
        if not isinstance(node, BNode) or depth >= MAX_DEPTH:
            return self.value(node)
        sequence = self.collection(node)
        if sequence is not None:
            return Markup(" / ").join(self.path(step, depth + 1) for step in sequence)
        inverse = self.g.value(node, SH.inversePath)
        if inverse is not None:
            return Markup("^{}").format(self.path(inverse, depth + 1))
        alternatives = self.collection(self.g.value(node, SH.alternativePath))
        if alternatives is not None:
            inner = Markup(" | ").join(self.path(a, depth + 1) for a in alternatives)
            return Markup("({})").format(inner)
        for prop, suffix in PATH_SUFFIX.items():
            inner_node = self.g.value(node, prop)
            if inner_node is not None:
                return Markup("{}{}").format(self.path(inner_node, depth + 1), suffix)
        return self.blank(node, depth)

    def texts(self, subject: Node, props: Iterable[URIRef]) -> list[tuple[str, str]]:
        """(language, text) of literal values, zh-Hans first, then en, then the rest."""
        found = {
            (o.language or "", str(o))
            for prop in props
            for o in self.g.objects(subject, prop)
            if isinstance(o, Literal)
        }
        return sorted(found, key=lambda item: (_LANG_ORDER.get(item[0], 9), item))

    def entry(self, subject: Node, rows: Iterable[tuple[str, URIRef]] = ()) -> Entry:
        out = Entry(
            anchor=self.anchor(subject),
            iri="" if isinstance(subject, BNode) else str(subject),
            curie="(blank node)" if isinstance(subject, BNode) else self.curie(subject),
            labels=self.texts(subject, LABEL_PROPERTIES),
            definitions=self.texts(subject, DEFINITION_PROPERTIES),
        )
        types = self.values(subject, RDF.type)
        if types:
            out.rows.append(("Type", types))
        used: set[Node] = set(SHOWN_ELSEWHERE)
        for title, prop in (*rows, *SHARED_ROWS):
            used.add(prop)
            found = self.values(subject, prop)
            if found:
                out.rows.append((title, found))
        out.rows.extend(self.other_rows(subject, used))
        return out

    def other_rows(self, subject: Node, used: set[Node]) -> list[tuple[str, list[Markup]]]:
        """Every statement not shown yet, so that nothing in the graph goes undocumented."""
        props = sorted({p for p in self.g.predicates(subject) if p not in used}, key=_order)
        return [(self.curie(p), self.values(subject, URIRef(str(p)))) for p in props]

    def inverse_row(self, title: str, prop: URIRef, obj: Node) -> list[tuple[str, list[Markup]]]:
        subjects = sorted(set(self.g.subjects(prop, obj)), key=self.key)
        return [(title, [self.value(s) for s in subjects])] if subjects else []


_LANG_ORDER = {"zh-Hans": 0, "zh": 1, "en": 2}
PLAIN_DATATYPES = {  # shown as the bare value, as Turtle writes them
    f"http://www.w3.org/2001/XMLSchema#{name}"
    for name in ("string", "integer", "decimal", "double", "boolean")
}


def _order(node: Node) -> tuple[int, str]:
    return (2 if isinstance(node, BNode) else 1 if isinstance(node, Literal) else 0, str(node))


def anchor(text: str) -> str:
    """An HTML id for a term: its local name, with anything unsafe in an id replaced."""
    return re.sub(r"[^\w.-]", "_", text) or "_"


def literal(node: Literal, curie: Callable[[Node], str]) -> Markup:
    if node.language:
        return Markup('<span lang="{}">{}</span> <small>@{}</small>').format(
            node.language, str(node), node.language
        )
    if node.datatype is not None and str(node.datatype) not in PLAIN_DATATYPES:
        return Markup("{} <small>^^{}</small>").format(str(node), curie(node.datatype))
    return escape(str(node))
