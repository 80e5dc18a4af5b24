"""HTML documentation of the ontology and of the SHACL shapes, generated from the graphs
themselves so that the pages can never disagree with what the service publishes.

Every term of the documented namespace gets an element whose id is its local name
(`<section id="Measure">`), so a hash IRI such as `https://w3id.org/edugraph/ontology#Measure`
opens the page at its term. Labels and definitions are shown in every language the graph gives
(zh-Hans and en). Other vocabularies' terms are shown as prefixed names linking to their IRIs.
"""

from __future__ import annotations

from markupsafe import Markup
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from edugraph.publish.doc_templates import render
from edugraph.publish.doc_terms import (
    CLASS_KINDS,
    CLASS_ROWS,
    DEFINITION_PROPERTIES,
    HEADER_PROPERTIES,
    LABEL_PROPERTIES,
    PROPERTY_ROWS,
    PROPERTY_SECTIONS,
    SHAPE_TARGETS,
    SHAPE_TEXT,
    Entry,
    PropertyRow,
    Section,
    Terms,
    _order,
)
from edugraph.vocab import SH, VANN

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
    return render(
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
    return render(
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
