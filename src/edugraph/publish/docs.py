"""HTML documentation of the ontology and of the SHACL shapes, generated from the graphs
themselves so that the pages can never disagree with what the service publishes.

Every term of the documented namespace gets an element whose id is its local name
(`<section id="Measure">`), so a hash IRI such as `https://w3id.org/edugraph/ontology#Measure`
opens the page at its term. Labels and definitions are shown in every language the graph gives
(zh-Hans and en). Other vocabularies' terms are shown as prefixed names linking to their IRIs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from jinja2 import DictLoader, Environment, select_autoescape
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


# --- the ontology ---------------------------------------------------------------------------


def ontology_html(graph: Graph) -> str:
    """The ontology's documentation page: header, contents, classes, properties, concept
    schemes with their concepts, other terms, namespaces."""
    ontology = _document_node(graph, OWL.Ontology)
    namespace = _namespace(graph, ontology)
    terms = Terms(graph, namespace)
    subjects = sorted(
        {s for s in graph.subjects() if terms.local(s) is not None},
        key=lambda s: str(s).lower(),
    )
    sections = _ontology_sections(terms, subjects)
    return _render(
        title=_title(terms, ontology, "Ontology"),
        header=_header(terms, ontology),
        iri=str(ontology) if ontology is not None else namespace,
        sections=sections,
        namespaces=_used_namespaces(terms),
    )


def _ontology_sections(terms: Terms, subjects: list[Node]) -> list[Section]:
    g = terms.g
    types = {s: set(g.objects(s, RDF.type)) for s in subjects}
    classes = [s for s in subjects if types[s] & set(CLASS_KINDS)]
    sections = [Section("classes", "Classes", [_class_entry(terms, s) for s in classes])]
    done = set(classes)
    for key, title, kind in PROPERTY_SECTIONS:
        members = [s for s in subjects if s not in done and kind in types[s]]
        done.update(members)
        sections.append(Section(key, title, [_property_entry(terms, s) for s in members]))
    for scheme in [s for s in subjects if SKOS.ConceptScheme in types[s]]:
        concepts = [s for s in subjects if s not in done and _in_scheme(g, s, scheme)]
        done.update([scheme, *concepts])
        intro = terms.entry(scheme, (("Top concepts", SKOS.hasTopConcept),))
        section = Section(f"scheme-{intro.anchor}", f"Concept scheme: {intro.title}", [], intro)
        section.entries = [terms.entry(c) for c in concepts]
        sections.append(section)
    rest = [s for s in subjects if s not in done]
    sections.append(Section("other-terms", "Other terms", [terms.entry(s) for s in rest]))
    return [s for s in sections if s.entries or s.intro is not None]


def _in_scheme(g: Graph, concept: Node, scheme: Node) -> bool:
    return (
        (concept, SKOS.inScheme, scheme) in g
        or (concept, SKOS.topConceptOf, scheme) in g
        or (scheme, SKOS.hasTopConcept, concept) in g
    )


def _class_entry(terms: Terms, subject: Node) -> Entry:
    out = terms.entry(subject, CLASS_ROWS)
    out.rows += terms.inverse_row("Subclasses", RDFS.subClassOf, subject)
    out.rows += terms.inverse_row("In the domain of", RDFS.domain, subject)
    out.rows += terms.inverse_row("In the range of", RDFS.range, subject)
    out.rows += terms.inverse_row("Instances", RDF.type, subject)
    return out


def _property_entry(terms: Terms, subject: Node) -> Entry:
    out = terms.entry(subject, PROPERTY_ROWS)
    out.rows += terms.inverse_row("Subproperties", RDFS.subPropertyOf, subject)
    return out


def _document_node(graph: Graph, kind: URIRef) -> Node | None:
    nodes = sorted(graph.subjects(RDF.type, kind), key=_order)
    return nodes[0] if nodes else None


def _namespace(graph: Graph, ontology: Node | None) -> str:
    """The namespace documented: the preferred one the header states, else `<ontology>#`."""
    if ontology is None:
        return ""
    stated = graph.value(ontology, VANN.preferredNamespaceUri)
    return str(stated) if stated is not None else f"{ontology}#"


def _title(terms: Terms, node: Node | None, fallback: str) -> str:
    if node is None:
        return fallback
    titles = terms.texts(node, (DCTERMS.title, RDFS.label))
    english = [text for lang, text in titles if lang == "en"]
    return english[0] if english else titles[0][1] if titles else fallback


def _header(terms: Terms, node: Node | None) -> list[tuple[str, list[Markup]]]:
    if node is None:
        return []
    rows = [(title, terms.values(node, prop)) for title, prop in HEADER_PROPERTIES]
    descriptions = [
        Markup('<span lang="{}">{}</span>').format(lang, text)
        for lang, text in terms.texts(node, (DCTERMS.description, RDFS.comment))
    ]
    return [row for row in [*rows, ("Description", descriptions)] if row[1]]


def _used_namespaces(terms: Terms) -> list[tuple[str, str]]:
    used = {
        terms.curie(t).split(":", 1)[0]
        for triple in terms.g
        for t in triple
        if isinstance(t, URIRef)
    }
    return sorted((p, n) for p, n in terms.prefixes if p in used)


# --- the shapes -----------------------------------------------------------------------------


def shapes_html(graph: Graph) -> str:
    """The shapes' documentation page: every node shape with its targets, severity, messages,
    property constraints and SPARQL constraints; every named property shape; other terms."""
    header_node = _document_node(graph, OWL.Ontology)
    namespace = _namespace(graph, header_node) if header_node is not None else ""
    terms = Terms(graph, namespace)
    node_shapes = _shapes(terms, SH.NodeShape)
    property_shapes = [
        s
        for s in _shapes(terms, SH.PropertyShape)
        if isinstance(s, URIRef) and s not in node_shapes
    ]
    shown = {*node_shapes, *property_shapes}
    others = sorted(
        {s for s in graph.subjects() if terms.local(s) is not None and s not in shown},
        key=_order,
    )
    sections = [
        Section("node-shapes", "Node shapes", [_node_shape(terms, s) for s in node_shapes]),
        Section(
            "property-shapes",
            "Property shapes",
            [_property_shape(terms, s) for s in property_shapes],
        ),
        Section("other-terms", "Other terms", [terms.entry(s) for s in others]),
    ]
    return _render(
        title=_title(terms, header_node, "SHACL shapes"),
        header=_header(terms, header_node),
        iri=str(header_node) if header_node is not None else "",
        sections=[s for s in sections if s.entries],
        namespaces=_used_namespaces(terms),
    )


def _shapes(terms: Terms, kind: URIRef) -> list[Node]:
    """Shapes of `kind`, and for node shapes also untyped nodes that have a target."""
    graph = terms.g
    found = set(graph.subjects(RDF.type, kind))
    if kind == SH.NodeShape:
        found |= {s for t in SHAPE_TARGETS for s in graph.subjects(t, None)}
        found -= set(graph.subjects(RDF.type, SH.PropertyShape))
        found -= {s for s in found if (s, SH.path, None) in graph}
    return sorted(found, key=terms.key)


def _node_shape(terms: Terms, shape: Node) -> Entry:
    out = _shape_entry(terms, shape, constraints=True)
    for prop_shape in sorted(terms.g.objects(shape, SH.property), key=terms.key):
        out.properties.append(_property_row(terms, prop_shape))
    for query in sorted(terms.g.objects(shape, SH.sparql), key=terms.key):
        select = terms.g.value(query, SH.select) or terms.g.value(query, SH.ask) or ""
        messages = [_lang_text(lang, text) for lang, text in terms.texts(query, (SH.message,))]
        out.queries.append((messages, _dedent(str(select))))
    return out


def _property_shape(terms: Terms, shape: Node) -> Entry:
    out = _shape_entry(terms, shape, constraints=False)
    out.properties.append(_property_row(terms, shape))
    out.rows += terms.inverse_row("Used by", SH.property, shape)
    return out


def _shape_entry(terms: Terms, shape: Node, *, constraints: bool) -> Entry:
    """A shape's header rows: targets, severity, messages and, for a node shape, its own
    constraints (sh:or, sh:closed …); property constraints and SPARQL come in tables below."""
    out = terms.entry(shape, [("Target", target) for target in SHAPE_TARGETS])
    if isinstance(shape, URIRef) and (shape, RDF.type, RDFS.Class) in terms.g:
        out.rows.insert(0, ("Target", [terms.link(shape)]))
    hidden = {terms.curie(p) for p in (SH.property, SH.sparql, SH.message, SH.severity, SH.path)}
    if not constraints:
        hidden |= {terms.curie(p) for p in _constraint_properties(terms.g, shape)}
    out.rows = [row for row in out.rows if row[0] not in hidden]
    out.rows.insert(0, ("Severity", [Markup(_severity(terms.g, shape))]))
    messages = terms.texts(shape, (SH.message,))
    if messages:
        lines = Markup("<br>").join(_lang_text(lang, text) for lang, text in messages)
        out.rows.append(("Message", [lines]))
    return out


def _property_row(terms: Terms, shape: Node) -> PropertyRow:
    constraints = [
        Markup("{} {}").format(
            terms.curie(p).removeprefix("sh:"),
            Markup(", ").join(terms.values(shape, URIRef(str(p)))),
        )
        for p in _constraint_properties(terms.g, shape)
    ]
    path = terms.g.value(shape, SH.path)
    label = terms.path(path) if path is not None else Markup("")
    if isinstance(shape, URIRef):
        label = Markup('{} <small>(<a href="#{}">{}</a>)</small>').format(
            label, terms.anchor(shape), terms.curie(shape)
        )
    return PropertyRow(
        path=label,
        constraints=constraints,
        severity=_severity(terms.g, shape, default=""),
        messages=terms.texts(shape, (SH.message,)),
    )


def _constraint_properties(g: Graph, shape: Node) -> list[Node]:
    """The constraint parameters of a shape: every predicate but its type, texts and targets."""
    skip = {RDF.type, *SHAPE_TEXT, *SHAPE_TARGETS, *LABEL_PROPERTIES, *DEFINITION_PROPERTIES}
    return sorted({p for p in g.predicates(shape) if p not in skip}, key=_order)


def _severity(g: Graph, shape: Node, *, default: str = "Violation") -> str:
    value = g.value(shape, SH.severity)
    return str(value).rsplit("#", 1)[-1] if value is not None else default


def _lang_text(lang: str, text: str) -> Markup:
    return Markup('<span lang="{}">{}</span>').format(lang, text)


def _dedent(text: str) -> str:
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return "\n".join(line[cut:] for line in lines).strip()


# --- templates ------------------------------------------------------------------------------

_LAYOUT = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
body { font: 15px/1.5 system-ui, "Noto Sans CJK SC", "PingFang SC", sans-serif;
       max-width: 64rem; margin: 0 auto; padding: 1rem 1.5rem; color: #1d1d1f; }
h1 { font-size: 1.8rem; margin-bottom: .2rem; }
h2 { border-bottom: 2px solid #ccd; padding-bottom: .2rem; margin-top: 2.5rem; }
h3 { margin: 0 0 .3rem; font-size: 1.15rem; }
section.term { border: 1px solid #dde; border-radius: 6px; padding: .8rem 1rem;
               margin: 1rem 0; }
section.term:target { border-color: #36c; box-shadow: 0 0 0 2px #cde; }
.iri { font-family: ui-monospace, monospace; font-size: .85rem; color: #555;
       word-break: break-all; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
th, td { text-align: left; vertical-align: top; padding: .2rem .5rem;
         border-top: 1px solid #eef; }
th { width: 11rem; font-weight: 600; color: #444; }
table.constraints th { width: auto; }
code { font-size: .9em; }
pre { background: #f6f7f9; padding: .6rem; overflow-x: auto; font-size: .85rem; }
nav.toc ol { columns: 2; }
nav.toc ul { font-size: .9rem; }
nav.toc li li { display: inline; margin-right: .6rem; }
.def { margin: .2rem 0; }
.lang { color: #888; font-size: .75rem; margin-left: .3rem; }
.sev-Violation { color: #b00; } .sev-Warning { color: #a60; } .sev-Info { color: #06a; }
</style>
</head>
<body>
{% from "term.html" import term %}
<header>
<h1>{{ title }}</h1>
{% if iri %}<p class="iri">{{ iri }}</p>{% endif %}
<table class="meta">
{% for name, values in header %}<tr><th>{{ name }}</th><td>{{ values|join("<br>"|safe) }}</td>
</tr>{% endfor %}
</table>
</header>
<nav class="toc">
<h2 id="contents">Contents</h2>
<ol>
{% for section in sections %}<li><a href="#{{ section.anchor }}">{{ section.title }}</a>
<ul>{% if section.intro %}<li><a href="#{{ section.intro.anchor }}">{{ section.intro.curie }}</a>
</li>{% endif %}{% for e in section.entries %}<li><a href="#{{ e.anchor }}">{{ e.curie }}</a></li>
{% endfor %}</ul></li>
{% endfor %}<li><a href="#namespaces">Namespaces</a></li>
</ol>
</nav>
<main>
{% for section in sections %}
<h2 id="{{ section.anchor }}">{{ section.title }}</h2>
{% if section.intro %}{{ term(section.intro) }}{% endif %}
{% for e in section.entries %}{{ term(e) }}{% endfor %}
{% endfor %}
<h2 id="namespaces">Namespaces</h2>
<table>
{% for prefix, namespace in namespaces %}<tr><th><code>{{ prefix }}</code></th>
<td class="iri">{{ namespace }}</td></tr>
{% endfor %}
</table>
</main>
</body>
</html>
"""

_TERM = """{% macro term(e) %}
<section class="term" id="{{ e.anchor }}">
<h3>{{ e.title }}{% for lang, text in e.labels %}{% if text != e.title %}
 · <span lang="{{ lang }}">{{ text }}</span>{% endif %}{% endfor %}</h3>
{% if e.iri %}<p class="iri"><a href="{{ e.iri }}">{{ e.curie }}</a> · {{ e.iri }}</p>{% endif %}
{% for lang, text in e.definitions %}<p class="def" lang="{{ lang or 'und' }}">{{ text }}
{% if lang %}<span class="lang">{{ lang }}</span>{% endif %}</p>
{% endfor %}
{% if e.labels or e.rows %}<table>
{% if e.labels %}<tr><th>Labels</th><td>{% for lang, text in e.labels %}
<span lang="{{ lang }}">{{ text }}</span><span class="lang">{{ lang }}</span>
{% if not loop.last %}<br>{% endif %}{% endfor %}</td></tr>
{% endif %}
{% for name, values in e.rows %}<tr><th>{{ name }}</th>
<td>{{ values|join(_sep(values)) }}</td></tr>
{% endfor %}</table>{% endif %}
{% if e.properties %}<table class="constraints">
<tr><th>Path</th><th>Constraints</th><th>Severity</th><th>Message</th></tr>
{% for p in e.properties %}<tr><td>{{ p.path }}</td>
<td>{{ p.constraints|join("<br>"|safe) }}</td>
<td class="sev-{{ p.severity }}">{{ p.severity }}</td>
<td>{% for lang, text in p.messages %}<span lang="{{ lang }}">{{ text }}</span>
{% if not loop.last %}<br>{% endif %}{% endfor %}</td></tr>
{% endfor %}</table>{% endif %}
{% for messages, select in e.queries %}<p><strong>SPARQL constraint</strong>:
{{ messages|join(" / "|safe) }}</p>
<pre><code>{{ select }}</code></pre>
{% endfor %}
</section>
{% endmacro %}"""

_ENV = Environment(
    loader=DictLoader(
        {
            "layout.html": _LAYOUT,
            "term.html": _TERM,
        }
    ),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def _sep(values: list[Markup]) -> Markup:
    """Blank-node structures one per line; names and values in a comma-separated run."""
    return Markup("<br>") if any(v.startswith(("[", "(")) for v in values) else Markup(", ")


_ENV.globals["_sep"] = _sep


def _render(**values: object) -> str:
    return _ENV.get_template("layout.html").render(**values)
