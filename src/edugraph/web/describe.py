"""What a resource of the dataset is, for a person (its page) and for a program (its concise
bounded description). Every query is an internal `.rq` file (`queries/internal/`) run in the
worker pool with the resource bound as `?this`; the sections only some kinds of resource
have are built in `sections`, the terms and their labels in `terms`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node as RdfNode

from edugraph.errors import NotFound
from edugraph.publish import export
from edugraph.query.results import compact, rows
from edugraph.vocab import EDU, NIF
from edugraph.web import sections
from edugraph.web.charts import TimeChart
from edugraph.web.indicator import indicator_chart
from edugraph.web.internal import Row, internal, select
from edugraph.web.sections import SPAN_FRAGMENT, Figure, Node, Piece, Response, Role
from edugraph.web.service import Service
from edugraph.web.tables import NAMESPACES, local_path
from edugraph.web.terms import (
    Labels,
    Term,
    href,
    iri_term,
    iris_of,
    labels_of,
    natural,
    term,
    vocabulary_term,
)

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL_PROPERTIES = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
)
IS_STRING = str(NIF.isString)
WARNED = {  # the pages that carry a badge with the count of Warnings
    str(EDU.SelfEvaluationReport),
    str(EDU.Problem),
    str(EDU.Measure),
    str(EDU.Indicator),
}
SEVERITIES = {  # in the order a reader wants them
    "http://www.w3.org/ns/shacl#Violation": "违规 Violation",
    "http://www.w3.org/ns/shacl#Warning": "警告 Warning",
    "http://www.w3.org/ns/shacl#Info": "信息 Info",
}


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
    warnings: int = 0  # Warnings about it, its report's or its indicator's
    chart: TimeChart | None = None  # an indicator's figures over time
    status: list[str] = field(default_factory=list)  # …and how they stand, in words


def description(svc: Service, iri: URIRef, fmt: str) -> tuple[bytes, bool]:
    """The resource's concise bounded description in `fmt`, written as the dumps are."""
    query = internal("resource-description")
    answer = svc.run(query.text, bindings=query.bind({"this": str(iri)}), fmt="table")
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
    outgoing, cut_out = select(svc, "resource-outgoing", this=str(iri))
    incoming, cut_in = select(svc, "resource-incoming", this=str(iri))
    if not outgoing and not incoming:
        raise NotFound(f"no resource {str(iri)!r} in this dataset")
    types = {row["o"]["value"] for row in outgoing if row["p"]["value"] == RDF_TYPE}
    findings, _ = select(svc, "resource-findings", this=str(iri))
    sources, _ = select(svc, "resource-sources", this=str(iri))
    extra = _sections(svc, iri, types)
    shown = iris_of(outgoing) | iris_of(incoming) | iris_of(findings) | iris_of(sources)
    shown |= {i for found in extra.values() for i in iris_of(found)}
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
    if types & WARNED:
        found, _ = select(svc, "resource-warnings", this=str(iri))
        built.warnings = int(found[0]["warnings"]["value"]) if found else 0
    if str(NIF.Context) in types:
        text = next((r["o"]["value"] for r in outgoing if r["p"]["value"] == IS_STRING), "")
        built.text = sections.pieces(text, str(iri), extra.get("spans", []))
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
    """The rows of the sections this kind of resource has."""
    found = {
        name: select(svc, query, this=str(iri))[0]
        for name, (query, kinds) in sections.SECTIONS.items()
        if types & kinds
    }
    if str(NIF.Context) in types:
        found["spans"] = select(svc, "text-spans", this=str(iri))[0]
    return found


def _fill(
    built: Page, svc: Service, iri: URIRef, extra: dict[str, list[Row]], labels: Labels
) -> None:
    if "outline" in extra:
        built.outline = sections.outline(svc, extra["outline"], labels)
    if "responses" in extra:
        built.responses = sections.responses(svc, extra["responses"], labels)
    if "bodies" in extra:
        built.bodies = sections.roles(svc, extra["bodies"], "body", labels)
    if "roles" in extra:
        built.roles = sections.by_role(svc, extra["roles"], labels, this=str(iri))
    if "figures" in extra:
        built.figures = sections.figures(svc, extra["figures"], labels)
        built.chart, built.status = indicator_chart(built.label, built.figures)
    if "concerned" in extra:
        built.concerned = sections.concerned(svc, extra["concerned"], labels)


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
