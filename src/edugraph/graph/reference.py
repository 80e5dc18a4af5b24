"""The reference graph: SKOS schemes (stages, duty areas, topics, indicators), regions,
the gazetteer of bodies, national standards and units."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, SKOS, XSD

from edugraph.graph.figures import COMPARATOR, unit_iri
from edugraph.ingest.quantities import UNITS
from edugraph.ingest.segment import load_part_kinds
from edugraph.rdf import ZH, date_literal
from edugraph.records import Report
from edugraph.reference import Body, Concept, Indicator, Reference, Standard
from edugraph.vocab import CV, EDU, ELI, SDMX_ATTRIBUTE, Iris

if TYPE_CHECKING:
    from edugraph.graph.report import TripleSink

SCHEMES = {
    "stage": EDU.Stage,
    "duty-area": EDU.DutyArea,
    "topic": EDU.Topic,
    "part-kind": EDU.PartKind,
    "target-group": EDU.TargetGroup,
}
SCHEME_LABELS = {
    "stage": ("教育阶段", "Education stages"),
    "duty-area": ("教育职责领域", "Education duty areas"),
    "topic": ("关键议题", "Key topics"),
    "target-group": ("目标群体", "Target groups"),
    "indicator": ("指标", "Indicators"),
    "part-kind": ("报告部分类型", "Kinds of report parts"),
}
PUBLIC_TYPES = {"Enterprise"}  # bodies that are not public organisations


def reference_graph(g: Graph, ref: Reference, reports: list[Report], iris: Iris) -> None:
    """SKOS schemes, regions and the gazetteer (with local bodies of every region built)."""
    for scheme, concepts in (
        ("stage", ref.stages),
        ("duty-area", ref.duty_areas),
        ("topic", ref.topics),
        ("target-group", ref.target_groups),
    ):
        _scheme(g, scheme, concepts, iris)
    path = ref.directory / "part-kinds.toml"
    kinds = (load_part_kinds(path) if path.is_file() else load_part_kinds()).kinds
    _scheme(g, "part-kind", tuple(Concept(k.id, k.zh, k.en) for k in kinds), iris)
    bodies: dict[str, Body] = {b.id: b for b in ref.bodies}
    for report in reports:
        meta = report.meta
        region = iris.region(meta.region)
        g.add((region, RDF.type, EDU.Region))
        g.add((region, RDF.type, DCTERMS.Location))
        g.add((region, RDFS.label, Literal(meta.region_zh, lang=ZH)))
        g.add((region, RDFS.label, Literal(meta.region_en, lang="en")))
        g.add((region, SKOS.prefLabel, Literal(meta.region_zh, lang=ZH)))
        g.add((region, SKOS.prefLabel, Literal(meta.region_en, lang="en")))
        for body in ref.for_report(meta).bodies:
            bodies.setdefault(body.id, body)
            if body.local:
                g.add((iris.body(body.id), DCTERMS.spatial, region))
    for body in bodies.values():
        _body(g, body, iris)
    _indicators(g, ref.indicators, iris)
    for standard in ref.standards:
        _standard(g, standard, iris)
    for unit in UNITS.values():  # QUDT's units, labelled here; edugraph's own are in the ontology
        if not unit.qudt.startswith(str(EDU)):
            g.add((URIRef(unit.qudt), RDFS.label, Literal(unit.zh, lang=ZH)))
            g.add((URIRef(unit.qudt), RDFS.label, Literal(unit.en, lang="en")))


def _labels(g: Graph, node: URIRef, zh: str, en: str) -> None:
    for p in (RDFS.label, SKOS.prefLabel):
        g.add((node, p, Literal(zh, lang=ZH)))
        g.add((node, p, Literal(en, lang="en")))


def _indicators(g: Graph, indicators: tuple[Indicator, ...], iris: Iris) -> None:
    scheme = iris.scheme("indicator")
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    _labels(g, scheme, *SCHEME_LABELS["indicator"])
    for i in indicators:
        node = iris.concept("indicator", i.id)
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, RDF.type, EDU.Indicator))
        g.add((node, SKOS.inScheme, scheme))
        g.add((scheme, SKOS.hasTopConcept, node))
        g.add((node, SKOS.notation, Literal(i.id)))
        _labels(g, node, i.zh, i.en)
        for alt in i.alt:
            g.add((node, SKOS.altLabel, Literal(alt, lang=ZH)))
        for phrase in i.phrases:
            g.add((node, SKOS.hiddenLabel, Literal(phrase, lang=ZH)))
        if i.stage:
            g.add((node, EDU.stage, iris.concept("stage", i.stage)))
        if i.definition:
            g.add((node, SKOS.definition, Literal(i.definition, lang=ZH)))
        g.add((node, SDMX_ATTRIBUTE.unitMeasure, unit_iri(i.unit)))


def _standard(g: Graph, s: Standard, iris: Iris) -> None:
    node = iris.id(f"standard/{s.id}")
    g.add((node, RDF.type, EDU.NationalStandard))
    g.add((node, RDF.type, EDU.Target))
    _labels(g, node, s.zh, s.en)
    g.add((node, EDU.indicator, iris.concept("indicator", s.indicator)))
    g.add((node, EDU.comparator, COMPARATOR[s.comparator]))
    if s.value is not None:
        g.add((node, EDU.targetValue, Literal(s.value, datatype=XSD.decimal)))
    if s.reference_indicator:
        g.add((node, EDU.referenceIndicator, iris.concept("indicator", s.reference_indicator)))
    g.add((node, EDU.unit, unit_iri(s.unit)))
    if s.deadline:
        g.add((node, EDU.deadline, date_literal(s.deadline)))
    for body in s.set_by:
        g.add((node, EDU.setBy, iris.body(body)))
    document = iris.document(s.source)
    g.add((node, DCTERMS.source, document))
    note = f"，{s.source_note}" if s.source_note else ""
    citation = f"《{s.source}》({s.source_year}{note})"
    g.add((node, DCTERMS.bibliographicCitation, Literal(citation, lang=ZH)))
    g.add((document, RDF.type, ELI.LegalResource))
    g.add((document, RDFS.label, Literal(s.source, lang=ZH)))
    g.add((document, DCTERMS.title, Literal(s.source, lang=ZH)))
    g.add((document, DCTERMS.issued, date_literal(s.source_year)))


def _scheme(g: Graph, scheme: str, concepts: tuple[Concept, ...], iris: Iris) -> None:
    node = iris.scheme(scheme)
    zh, en = SCHEME_LABELS[scheme]
    g.add((node, RDF.type, SKOS.ConceptScheme))
    for p in (RDFS.label, SKOS.prefLabel):
        g.add((node, p, Literal(zh, lang=ZH)))
        g.add((node, p, Literal(en, lang="en")))
    for c in concepts:
        concept = iris.concept(scheme, c.id)
        g.add((concept, RDF.type, SKOS.Concept))
        g.add((concept, RDF.type, SCHEMES[scheme]))
        g.add((concept, SKOS.inScheme, node))
        g.add((node, SKOS.hasTopConcept, concept))
        g.add((concept, SKOS.notation, Literal(c.id)))
        for p in (RDFS.label, SKOS.prefLabel):
            g.add((concept, p, Literal(c.zh, lang=ZH)))
            g.add((concept, p, Literal(c.en, lang="en")))
        for alt in c.alt:
            g.add((concept, SKOS.altLabel, Literal(alt, lang=ZH)))
        for term in c.terms:
            g.add((concept, SKOS.hiddenLabel, Literal(term, lang=ZH)))
        if c.stage:
            g.add((concept, EDU.stage, iris.concept("stage", c.stage)))


def _body(g: Graph, body: Body, iris: Iris) -> None:
    body_triples(g, body.id, body.zh, body.en, body.type, body.parent, body.alt, iris)


def body_triples(
    g: TripleSink,
    body_id: str,
    zh: str,
    en: str,
    body_type: str,
    parent: str | None,
    alt: tuple[str, ...],
    iris: Iris,
) -> None:
    """A body as ORG: a meeting is part of its organ and, more precisely, its meeting."""
    node = iris.body(body_id)
    g.add((node, RDF.type, ORG.Organization))
    if body_type not in PUBLIC_TYPES:
        g.add((node, RDF.type, CV.PublicOrganisation))
    g.add((node, EDU.bodyType, EDU[body_type]))
    for p in (RDFS.label, SKOS.prefLabel):
        g.add((node, p, Literal(zh, lang=ZH)))
        g.add((node, p, Literal(en, lang="en")))
    for name in alt:
        g.add((node, SKOS.altLabel, Literal(name, lang=ZH)))
    if parent:
        g.add((node, ORG.subOrganizationOf, iris.body(parent)))
        if body_type == "Meeting":
            g.add((node, EDU.meetingOf, iris.body(parent)))
