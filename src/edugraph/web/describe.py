"""What a resource of the dataset is, for a person (its page) and for a program (its concise
bounded description). Every query runs in the worker pool, with the resource bound as
`?this`; the page's labels come from one last query over every IRI it shows, so that the
other queries stay simple and their rows do not multiply by the labels' languages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from flask import url_for
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import ORG
from rdflib.term import Node as RdfNode

from edugraph.errors import NotFound
from edugraph.publish import export
from edugraph.publish.void import SHAPES
from edugraph.query.engines import term_text
from edugraph.query.results import compact, rows
from edugraph.rdf import is_iri
from edugraph.vocab import EDU, NIF, ONTOLOGY, ROLE
from edugraph.web.service import Service
from edugraph.web.tables import NAMESPACES, local_path

Row = dict[str, dict[str, str]]

PREFIXES = """PREFIX edu: <https://w3id.org/edugraph/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
"""

# The concise bounded description: outgoing triples (and those of the blank nodes they lead
# to, one level deep: instance data has none), incoming triples, the labels of every resource
# either names, and — for a text — the spans whose hash IRIs (text#char=b,e) resolve through it.
DESCRIPTION = (
    PREFIXES
    + """CONSTRUCT {
  ?this ?p ?o . ?o ?oLabel ?oName . ?o ?bp ?bo .
  ?s ?q ?this . ?s ?sLabel ?sName .
  ?span ?spanP ?spanO .
} WHERE {
  { ?this ?p ?o .
    OPTIONAL { VALUES ?oLabel { rdfs:label skos:prefLabel } ?o ?oLabel ?oName }
    OPTIONAL { FILTER(isBlank(?o)) ?o ?bp ?bo } }
  UNION
  { ?s ?q ?this .
    OPTIONAL { VALUES ?sLabel { rdfs:label skos:prefLabel } ?s ?sLabel ?sName } }
  UNION
  { ?span nif:referenceContext ?this ; ?spanP ?spanO }
}"""
)
OUTGOING = "SELECT ?p ?o WHERE { ?this ?p ?o }"
INCOMING = "SELECT ?s ?p WHERE { ?s ?p ?this }"
FINDINGS = (
    PREFIXES
    + """SELECT ?finding ?severity ?message WHERE {
  ?finding edu:concerns ?this ; a edu:Finding ; sh:resultSeverity ?severity .
  OPTIONAL { ?finding sh:resultMessage ?message }
}"""
)
SOURCES = (
    PREFIXES
    + """SELECT ?span ?begin ?end ?context ?text WHERE {
  ?this prov:wasDerivedFrom? ?span .
  ?span nif:beginIndex ?begin ; nif:endIndex ?end ; nif:referenceContext ?context .
  ?context nif:isString ?text .
}"""
)
OUTLINE = (
    PREFIXES
    + """SELECT ?node ?parent ?type ?notation ?order ?answers WHERE {
  ?node edu:inReport ?this ; dcterms:isPartOf ?parent ; a ?type .
  VALUES ?type { edu:Section edu:Achievement edu:PracticeArea edu:Measure edu:Problem }
  OPTIONAL { ?node edu:notation ?notation }
  OPTIONAL { ?node edu:order ?order }
  OPTIONAL { ?node edu:status edu:Planned ; edu:addresses ?answers }
}"""
)
SPANS = (
    PREFIXES
    + """SELECT ?span ?begin WHERE {
  ?span nif:referenceContext ?this ; nif:beginIndex ?begin .
}"""
)
RESPONSES = (
    PREFIXES
    + """SELECT ?measure ?status ?basis ?confidence ?reason WHERE {
  ?measure edu:qualifiedAddresses ?response .
  ?response edu:problem ?this ; edu:basis ?basis .
  OPTIONAL { ?response edu:confidence ?confidence }
  OPTIONAL { ?response edu:reason ?reason FILTER(LANGMATCHES(LANG(?reason), "zh")) }
  OPTIONAL { ?measure edu:status ?status }
}"""
)
BODIES = (
    PREFIXES
    + """SELECT ?body ?role ?default WHERE {
  ?this prov:qualifiedAssociation ?association .
  ?association prov:agent ?body ; prov:hadRole ?role .
  OPTIONAL { ?association edu:isDefault ?default }
}"""
)
ROLES = (  # a body's measures, and those of its meetings
    PREFIXES
    + """SELECT ?measure ?role ?default ?report ?status ?order ?agent ?group WHERE {
  ?measure prov:qualifiedAssociation ?association .
  ?association prov:agent ?agent ; prov:hadRole ?role .
  ?agent edu:meetingOf? ?this .
  OPTIONAL { ?measure edu:targetGroup ?group }
  OPTIONAL { ?association edu:isDefault ?default }
  OPTIONAL { ?measure edu:inReport ?report }
  OPTIONAL { ?measure edu:status ?status }
  OPTIONAL { ?measure edu:order ?order }
}"""
)
FIGURES = (
    PREFIXES
    + """SELECT ?item ?kind ?value ?unit ?period ?detail ?report WHERE {
  { ?item edu:indicator ?this ; a qb:Observation ; sdmx-measure:obsValue ?value .
    BIND("observation" AS ?kind)
    OPTIONAL { ?item sdmx-attribute:unitMeasure ?unit }
    OPTIONAL { ?item sdmx-dimension:refPeriod ?period }
    OPTIONAL { ?item edu:valueType ?detail } }
  UNION
  { ?item edu:indicator ?this ; a edu:Target ; edu:targetValue ?value .
    BIND(IF(EXISTS { ?item a edu:NationalStandard }, "standard", "target") AS ?kind)
    OPTIONAL { ?item edu:unit ?unit }
    OPTIONAL { ?item edu:deadline ?period }
    OPTIONAL { ?item edu:comparator ?detail } }
  OPTIONAL { ?item edu:inReport ?report }
}"""
)
CONCERNED = (
    PREFIXES
    + """SELECT ?item ?type ?status ?report ?order WHERE {
  ?item edu:stage|edu:dutyArea|edu:topic|edu:targetGroup ?this ; a ?type .
  VALUES ?type { edu:Problem edu:Measure }
  OPTIONAL { ?item edu:status ?status }
  OPTIONAL { ?item edu:inReport ?report }
  OPTIONAL { ?item edu:order ?order }
}"""
)
LABELS = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?x ?label WHERE {{
  VALUES ?x {{ {iris} }}
  ?x rdfs:label|skos:prefLabel ?label
}}"""
MAX_LABELLED = 2000  # IRIs labelled in one query; a page showing more shows the rest by path

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL_PROPERTIES = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
)
IS_STRING = str(NIF.isString)
SEVERITIES = {  # in the order a reader wants them
    "http://www.w3.org/ns/shacl#Violation": "违规 Violation",
    "http://www.w3.org/ns/shacl#Warning": "警告 Warning",
    "http://www.w3.org/ns/shacl#Info": "信息 Info",
}
FIGURE_KINDS = {
    "observation": "数据 Figure",
    "target": "目标 Target",
    "standard": "国家标准 Standard",
}
NUMBERS = re.compile(r"(\d+)")
SPAN_FRAGMENT = re.compile(r"#(char=\d+,\d+)$")
CONCEPT_TYPES = {str(EDU.Stage), str(EDU.DutyArea), str(EDU.Topic), str(EDU.TargetGroup)}
BODY_TYPES = {str(ORG.Organization), "http://data.europa.eu/m8g/PublicOrganisation"}
ROLE_ORDER = [str(role) for role in ROLE.values()]


# --- what a page shows -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """An RDF term as a person reads it: a label (or a short name) that links to its page."""

    text: str
    href: str | None = None
    title: str | None = None  # the full IRI, or a literal's datatype
    lang: str | None = None  # a literal's language
    literal: bool = False
    code: str | None = None  # a vocabulary term's prefixed name, shown beside its label


@dataclass(slots=True)
class Values:
    key: Term  # the property: of the resource's values, or of the links that point at it
    terms: list[Term] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Finding:
    term: Term
    severity: str
    messages: tuple[tuple[str | None, str], ...]  # (language, text)


@dataclass(frozen=True, slots=True)
class Source:
    """The sentence a node was extracted from, inside its paragraph."""

    span: Term
    in_text: str  # the text's page, at the span's anchor
    before: str
    marked: str
    after: str


@dataclass(slots=True)
class Node:
    """An entry of the report's outline: a part, heading, item or problem."""

    term: Term
    notation: str
    order: tuple[int, str]
    type: str
    children: list[Node] = field(default_factory=list)
    answers: list[Node] = field(default_factory=list)  # plans that answer a problem


@dataclass(frozen=True, slots=True)
class Response:
    measure: Term
    status: Term | None
    basis: Term
    confidence: str
    reason: str


@dataclass(frozen=True, slots=True)
class Role:
    """A body in a measure, or a measure of a body, with the role the body has in it."""

    term: Term
    role: Term
    default: bool
    report: Term | None = None
    via: Term | None = None  # the meeting of the body that takes part, on a body's page
    groups: tuple[Term, ...] = ()  # the measure's target groups, on a body's page


@dataclass(frozen=True, slots=True)
class Figure:
    kind: str
    item: Term
    value: str
    unit: Term | None
    period: Term | None
    detail: Term | None
    report: Term | None


@dataclass(frozen=True, slots=True)
class Piece:
    anchors: tuple[str, ...]  # ids of the spans that begin here
    text: str


@dataclass(slots=True)
class Page:
    iri: str
    label: str
    label_en: str | None
    types: list[Term]
    properties: list[Values]
    incoming: list[Values]
    findings: list[Finding]
    sources: list[Source]
    truncated: bool
    outline: list[Node] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    bodies: list[Role] = field(default_factory=list)
    roles: list[tuple[Term, list[Role]]] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    concerned: list[tuple[str, list[Role]]] = field(default_factory=list)
    text: list[list[Piece]] = field(default_factory=list)


# --- links -----------------------------------------------------------------------------------


def href(iri: str, svc: Service) -> str | None:
    """Where this server shows an IRI: its /id/ page, the ontology or shapes documentation at
    the term's anchor, a named graph; None for IRIs this server does not answer for."""
    path = local_path(iri, svc.base_iri)
    if path is not None:
        return url_for("linked.resource", path=path)
    for document, endpoint in ((str(ONTOLOGY), "linked.ontology"), (str(SHAPES), "linked.shapes")):
        if iri == document:
            return url_for(endpoint)
        if iri.startswith(f"{document}#") and len(iri) > len(document) + 1:
            return f"{url_for(endpoint)}#{iri[len(document) + 1 :]}"
    graph = f"{svc.base_iri}graph/"
    if iri in svc.graphs and iri.startswith(graph):
        return url_for("linked.graph", path=iri[len(graph) :])
    return None


@dataclass(slots=True)
class Labels:
    """The best label of each IRI: Chinese, else untagged, else English; and the English."""

    best: dict[str, tuple[int, str]] = field(default_factory=dict)
    english: dict[str, str] = field(default_factory=dict)

    def add(self, iri: str, term: Mapping[str, str]) -> None:
        lang = term.get("xml:lang", "").lower()
        rank = 0 if lang.startswith("zh") else 1 if not lang else 2 if lang == "en" else 3
        if lang == "en":
            self.english.setdefault(iri, term["value"])
        if iri not in self.best or rank < self.best[iri][0]:
            self.best[iri] = (rank, term["value"])

    def get(self, iri: str) -> str | None:
        found = self.best.get(iri)
        return found[1] if found else None


def term(value: Mapping[str, str], svc: Service, labels: Labels) -> Term:
    """A SPARQL JSON term as shown on a page."""
    text = value["value"]
    if value["type"] == "uri":
        shown = labels.get(text) or local_path(text, svc.base_iri) or compact(text, NAMESPACES)
        return Term(shown, href(text, svc), text)
    if value["type"] == "bnode":
        return Term(f"_:{text}")
    datatype = value.get("datatype")
    title = compact(datatype, NAMESPACES) if datatype else None
    return Term(text, None, title, value.get("xml:lang"), literal=True)


def iri_term(iri: str, svc: Service, labels: Labels) -> Term:
    return term({"type": "uri", "value": iri}, svc, labels)


def vocabulary_term(iri: str, svc: Service, labels: Labels) -> Term:
    """A class or property: its label, with its prefixed name beside it when they differ."""
    found = iri_term(iri, svc, labels)
    code = compact(iri, NAMESPACES)
    return replace(found, code=code) if code != found.text else found


def natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key in which finding/2 comes before finding/10."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in NUMBERS.split(text) if p)


# --- running the queries ---------------------------------------------------------------------


def _select(svc: Service, query: str, iri: URIRef) -> tuple[list[Row], bool]:
    answer = svc.run(query, bindings={"this": iri})
    assert answer.results is not None
    return rows(answer.results), answer.truncated


def _iris(found: Iterable[Row]) -> set[str]:
    return {t["value"] for row in found for t in row.values() if t["type"] == "uri"}


def labels_of(svc: Service, iris: Iterable[str]) -> Labels:
    """One query for the labels of every IRI a page shows (each escaped as a term)."""
    labels = Labels()
    wanted = sorted(i for i in iris if is_iri(i))[:MAX_LABELLED]
    if not wanted:
        return labels
    values = " ".join(term_text(URIRef(i)) for i in wanted)
    answer = svc.run(LABELS.format(iris=values))
    assert answer.results is not None
    for row in rows(answer.results):
        labels.add(row["x"]["value"], row["label"])
    return labels


def description(svc: Service, iri: URIRef, fmt: str) -> tuple[bytes, bool]:
    """The resource's concise bounded description in `fmt`, written as the dumps are."""
    answer = svc.run(DESCRIPTION, bindings={"this": iri}, fmt="table")
    assert answer.results is not None
    graph = Graph()
    for row in rows(answer.results):
        graph.add((_node(row["s"]), _node(row["p"]), _node(row["o"])))
    if not len(graph):
        raise NotFound(f"no resource {str(iri)!r} in this dataset")
    return export.serialize(graph, fmt=fmt), answer.truncated


def _node(value: Mapping[str, str]) -> RdfNode:
    """A SPARQL JSON term as an rdflib term (quicker than parsing the triples as text)."""
    if value["type"] == "uri":
        return URIRef(value["value"])
    if value["type"] == "bnode":
        return BNode(value["value"])
    datatype = value.get("datatype")
    return Literal(
        value["value"], lang=value.get("xml:lang"), datatype=URIRef(datatype) if datatype else None
    )


def page(svc: Service, iri: URIRef) -> Page:
    """Everything the resource's page shows."""
    outgoing, cut_out = _select(svc, OUTGOING, iri)
    incoming, cut_in = _select(svc, INCOMING, iri)
    if not outgoing and not incoming:
        raise NotFound(f"no resource {str(iri)!r} in this dataset")
    types = {row["o"]["value"] for row in outgoing if row["p"]["value"] == RDF_TYPE}
    findings, _ = _select(svc, FINDINGS, iri)
    sources, _ = _select(svc, SOURCES, iri)
    extra = _sections(svc, iri, types)
    shown = _iris(outgoing) | _iris(incoming) | _iris(findings) | _iris(sources)
    shown |= {i for found in extra.values() for i in _iris(found)}
    labels = labels_of(svc, shown)
    own = Labels()
    for row in outgoing:
        if row["p"]["value"] in LABEL_PROPERTIES and row["o"]["type"] == "literal":
            own.add(str(iri), row["o"])
    built = Page(
        iri=str(iri),
        label=own.get(str(iri)) or _fallback_label(svc, iri, outgoing, labels),
        label_en=own.english.get(str(iri)),
        types=[vocabulary_term(t, svc, labels) for t in sorted(types)],
        properties=_properties(svc, outgoing, labels),
        incoming=_incoming(svc, incoming, labels),
        findings=_findings(svc, findings, labels),
        sources=[_source(svc, row, labels) for row in sources],
        truncated=cut_out or cut_in,
    )
    _fill(built, svc, iri, extra, labels)
    if str(NIF.Context) in types:
        text = next((r["o"]["value"] for r in outgoing if r["p"]["value"] == IS_STRING), "")
        built.text = _text(text, str(iri), extra.get("spans", []))
    return built


def _fallback_label(svc: Service, iri: URIRef, outgoing: list[Row], labels: Labels) -> str:
    """A title for a resource without a label: a text is its report's text, a span is the
    words it marks; anything else is named by its path."""
    values = {row["p"]["value"]: row["o"]["value"] for row in outgoing}
    report = values.get(str(NIF.sourceUrl))
    if report and labels.get(report):
        return f"{labels.get(report)} · 全文 Text"
    anchor = values.get(str(NIF.anchorOf))
    if anchor:
        return anchor if len(anchor) <= 60 else f"{anchor[:59]}…"
    return local_path(str(iri), svc.base_iri) or str(iri)


def _sections(svc: Service, iri: URIRef, types: set[str]) -> dict[str, list[Row]]:
    """The queries of the sections this kind of resource has."""
    wanted: dict[str, str] = {}
    if str(EDU.SelfEvaluationReport) in types:
        wanted["outline"] = OUTLINE
    if str(NIF.Context) in types:
        wanted["spans"] = SPANS
    if str(EDU.Problem) in types:
        wanted["responses"] = RESPONSES
    if str(EDU.Measure) in types:
        wanted["bodies"] = BODIES
    if types & BODY_TYPES:
        wanted["roles"] = ROLES
    if str(EDU.Indicator) in types:
        wanted["figures"] = FIGURES
    if types & CONCEPT_TYPES:
        wanted["concerned"] = CONCERNED
    return {name: _select(svc, query, iri)[0] for name, query in wanted.items()}


def _fill(
    built: Page, svc: Service, iri: URIRef, extra: dict[str, list[Row]], labels: Labels
) -> None:
    if "outline" in extra:
        built.outline = _outline(svc, extra["outline"], labels)
    if "responses" in extra:
        built.responses = _responses(svc, extra["responses"], labels)
    if "bodies" in extra:
        built.bodies = _roles(svc, extra["bodies"], "body", labels)
    if "roles" in extra:
        built.roles = _by_role(svc, extra["roles"], labels, this=str(iri))
    if "figures" in extra:
        built.figures = _figures(svc, extra["figures"], labels)
    if "concerned" in extra:
        built.concerned = _concerned(svc, extra["concerned"], labels)


# --- building the sections -------------------------------------------------------------------


def _properties(svc: Service, found: list[Row], labels: Labels) -> list[Values]:
    """Every property but rdf:type (shown as the types) and, for a text, the text itself
    (shown whole below)."""
    hidden = {RDF_TYPE, IS_STRING}
    return _grouped(svc, ((r["p"], r["o"]) for r in found if r["p"]["value"] not in hidden), labels)


def _incoming(svc: Service, found: list[Row], labels: Labels) -> list[Values]:
    return _grouped(svc, ((r["p"], r["s"]) for r in found), labels)


def _grouped(
    svc: Service, pairs: Iterable[tuple[Mapping[str, str], Mapping[str, str]]], labels: Labels
) -> list[Values]:
    """Values under their property; labels first, then properties by short name."""
    groups: dict[str, Values] = {}
    for prop, value in pairs:
        key = prop["value"]
        if key not in groups:
            groups[key] = Values(vocabulary_term(key, svc, labels))
        groups[key].terms.append(term(value, svc, labels))
    for values in groups.values():
        values.terms.sort(key=lambda t: (t.lang or "", natural(t.text)))
    ordered = sorted(
        groups.items(), key=lambda kv: (kv[0] not in LABEL_PROPERTIES, compact(kv[0], NAMESPACES))
    )
    return [values for _, values in ordered]


def _findings(svc: Service, found: list[Row], labels: Labels) -> list[Finding]:
    by_finding: dict[str, tuple[str, list[tuple[str | None, str]]]] = {}
    for row in found:
        _, messages = by_finding.setdefault(row["finding"]["value"], (row["severity"]["value"], []))
        if "message" in row:
            message = row["message"]
            messages.append((message.get("xml:lang"), message["value"]))
    rank = list(SEVERITIES)
    ordered = sorted(
        by_finding.items(),
        key=lambda kv: (rank.index(kv[1][0]) if kv[1][0] in rank else len(rank), kv[0]),
    )
    return [
        Finding(
            iri_term(iri, svc, labels),
            SEVERITIES.get(severity, compact(severity, NAMESPACES)),
            tuple(sorted(messages, key=lambda m: not (m[0] or "").lower().startswith("zh"))),
        )
        for iri, (severity, messages) in ordered
    ]


def _source(svc: Service, row: Row, labels: Labels) -> Source:
    """The span's text marked inside the paragraph (or paragraphs) that hold it."""
    text = row["text"]["value"]
    begin = max(0, min(int(row["begin"]["value"]), len(text)))
    end = max(begin, min(int(row["end"]["value"]), len(text)))
    start = text.rfind("\n", 0, begin) + 1
    stop = text.find("\n", end)
    stop = len(text) if stop < 0 else stop
    span = row["span"]["value"]
    fragment = SPAN_FRAGMENT.search(span)
    in_text = href(row["context"]["value"], svc) or ""
    if fragment and in_text:
        in_text = f"{in_text}#{fragment.group(1)}"
    return Source(
        iri_term(span, svc, labels),
        in_text,
        text[start:begin],
        text[begin:end],
        text[end:stop],
    )


def _order(row: Row) -> tuple[int, str]:
    order = row.get("order", {}).get("value", "")
    return (int(order) if order.lstrip("-").isdigit() else 1 << 30, order)


def _outline(svc: Service, found: list[Row], labels: Labels) -> list[Node]:
    """Parts → headings → items, each problem with the plans that answer it; a plan that
    answers a problem of its own part is shown under the problem, not beside it."""
    nodes: dict[str, Node] = {}
    parents: dict[str, str] = {}
    answers: dict[str, list[str]] = {}
    for row in found:
        iri = row["node"]["value"]
        if iri not in nodes:
            nodes[iri] = Node(
                iri_term(iri, svc, labels),
                row.get("notation", {}).get("value", ""),
                _order(row),
                row["type"]["value"],
            )
            parents[iri] = row["parent"]["value"]
        if "answers" in row:
            answers.setdefault(row["answers"]["value"], []).append(iri)
    nested: set[str] = set()
    for problem, plans in answers.items():
        for plan in sorted(set(plans), key=lambda p: nodes[p].order):
            if problem in nodes:
                nodes[problem].answers.append(nodes[plan])
                if parents.get(plan) == parents.get(problem):
                    nested.add(plan)
    roots: list[Node] = []
    for iri, node in nodes.items():
        if iri in nested:
            continue
        parent = parents[iri]
        if parent in nodes:
            nodes[parent].children.append(node)
        else:  # the report itself (or a parent this report does not hold)
            roots.append(node)
    for node in nodes.values():
        node.children.sort(key=lambda n: n.order)
    return sorted(roots, key=lambda n: n.order)


def _responses(svc: Service, found: list[Row], labels: Labels) -> list[Response]:
    out = [
        Response(
            measure=iri_term(row["measure"]["value"], svc, labels),
            status=iri_term(row["status"]["value"], svc, labels) if "status" in row else None,
            basis=iri_term(row["basis"]["value"], svc, labels),
            confidence=row.get("confidence", {}).get("value", ""),
            reason=row.get("reason", {}).get("value", ""),
        )
        for row in found
    ]
    return sorted(out, key=lambda r: (-float(r.confidence or 0), r.measure.title or ""))


def _roles(svc: Service, found: list[Row], column: str, labels: Labels) -> list[Role]:
    out = {
        Role(
            iri_term(row[column]["value"], svc, labels),
            iri_term(row["role"]["value"], svc, labels),
            row.get("default", {}).get("value") == "true",
            iri_term(row["report"]["value"], svc, labels) if "report" in row else None,
        ): (
            _role_rank(row["role"]["value"]),
            row.get("report", {}).get("value", ""),
            row.get("status", {}).get("value", ""),
            _order(row),
        )
        for row in found
    }
    return sorted(out, key=lambda role: out[role])


def _role_rank(role: str) -> int:
    return ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER)


def _by_role(
    svc: Service, found: list[Row], labels: Labels, *, this: str
) -> list[tuple[Term, list[Role]]]:
    """A body's measures, grouped by its role in them: lead first; each with the meeting
    through which the body takes part (if it is not the body itself) and its target groups."""
    targets: dict[str, dict[str, None]] = {}
    for row in found:
        groups = targets.setdefault(row["measure"]["value"], {})
        if "group" in row:
            groups[row["group"]["value"]] = None
    heads: dict[str, tuple[Term, list[Role]]] = {}
    seen: set[tuple[str, str, str]] = set()
    for row in _sorted(found):
        measure, agent = row["measure"]["value"], row["agent"]["value"]
        key = (measure, row["role"]["value"], agent)
        if key in seen:
            continue
        seen.add(key)
        role = Role(
            iri_term(measure, svc, labels),
            iri_term(row["role"]["value"], svc, labels),
            row.get("default", {}).get("value") == "true",
            iri_term(row["report"]["value"], svc, labels) if "report" in row else None,
            via=iri_term(agent, svc, labels) if agent != this else None,
            groups=tuple(iri_term(g, svc, labels) for g in sorted(targets[measure])),
        )
        heads.setdefault(role.role.title or role.role.text, (role.role, []))[1].append(role)
    return list(heads.values())


def _sorted(found: list[Row]) -> list[Row]:
    return sorted(
        found,
        key=lambda row: (
            _role_rank(row["role"]["value"]),
            row.get("report", {}).get("value", ""),
            row.get("status", {}).get("value", ""),
            _order(row),
        ),
    )


def _figures(svc: Service, found: list[Row], labels: Labels) -> list[Figure]:
    def optional(row: Row, name: str) -> Term | None:
        return term(row[name], svc, labels) if name in row else None

    out = [
        Figure(
            kind=FIGURE_KINDS.get(row["kind"]["value"], row["kind"]["value"]),
            item=iri_term(row["item"]["value"], svc, labels),
            value=row["value"]["value"],
            unit=optional(row, "unit"),
            period=optional(row, "period"),
            detail=optional(row, "detail"),
            report=optional(row, "report"),
        )
        for row in found
    ]
    kinds = list(FIGURE_KINDS.values())
    return sorted(
        set(out),
        key=lambda f: (
            kinds.index(f.kind) if f.kind in kinds else len(kinds),
            f.report.title if f.report else "",
            f.period.text if f.period else "",
            f.item.title or "",
        ),
    )


def _concerned(svc: Service, found: list[Row], labels: Labels) -> list[tuple[str, list[Role]]]:
    """Problems, implemented measures and planned measures that name this stage, duty area,
    topic or target group."""
    heads = {
        "problem": "问题 Problems",
        "implemented": "已实施的措施 Measures",
        "planned": "改进措施 Plans",
    }
    groups: dict[str, dict[str, tuple[tuple[str, tuple[int, str]], Role]]] = {h: {} for h in heads}
    for row in found:
        if row["type"]["value"] == str(EDU.Problem):
            head = "problem"
        else:
            head = (
                "planned"
                if row.get("status", {}).get("value") == str(EDU.Planned)
                else "implemented"
            )
        item = row["item"]["value"]
        report = row.get("report", {}).get("value", "")
        groups[head][item] = (
            (report, _order(row)),
            Role(
                iri_term(item, svc, labels),
                iri_term(row["type"]["value"], svc, labels),
                False,
                iri_term(report, svc, labels) if report else None,
            ),
        )
    return [
        (heads[head], [role for _, role in sorted(items.values(), key=lambda p: p[0])])
        for head, items in groups.items()
        if items
    ]


def _text(text: str, iri: str, spans: list[Row]) -> list[list[Piece]]:
    """The report's text in paragraphs, with an empty anchor where each span begins, so that
    a span's hash IRI (text#char=b,e) opens the text at its sentence."""
    starts: dict[int, list[str]] = {}
    for row in spans:
        span = row["span"]["value"]
        fragment = SPAN_FRAGMENT.search(span)
        if fragment and span.startswith(f"{iri}#"):
            starts.setdefault(int(row["begin"]["value"]), []).append(fragment.group(1))
    paragraphs: list[list[Piece]] = []
    offset = 0
    for line in text.split("\n"):
        cuts = sorted(b for b in starts if offset <= b <= offset + len(line))
        pieces: list[Piece] = []
        previous = offset
        anchors: tuple[str, ...] = ()
        for cut in cuts:
            if cut > previous:
                pieces.append(Piece(anchors, text[previous:cut]))
                anchors = ()
            anchors += tuple(sorted(starts[cut]))
            previous = cut
        pieces.append(Piece(anchors, text[previous : offset + len(line)]))
        paragraphs.append(pieces)
        offset += len(line) + 1
    return paragraphs
