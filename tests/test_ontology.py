"""Checks of the OWL ontology ontology/edugraph.ttl: it parses, carries the header metadata that
documentation generators read, and every edu: term is defined, labelled and used consistently."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

ONTOLOGY_FILE = Path(__file__).resolve().parents[1] / "ontology" / "edugraph.ttl"

EDU = Namespace("https://w3id.org/edugraph/ontology#")
ONTOLOGY = URIRef("https://w3id.org/edugraph/ontology")
VANN = Namespace("http://purl.org/vocab/vann/")
# not rdflib.namespace.XSD: pytest probes module globals and that closed namespace warns
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
PROV = Namespace("http://www.w3.org/ns/prov#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
QB = Namespace("http://purl.org/linked-data/cube#")
QUDT = Namespace("http://qudt.org/schema/qudt/")
ORG = Namespace("http://www.w3.org/ns/org#")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")

# The terms the build code relies on; renaming any of them breaks the build.
CLASSES = [
    "SelfEvaluationReport",
    "Section",
    "Achievement",
    "PracticeArea",
    "Measure",
    "Problem",
    "ProblemResponse",
    "Region",
    "Stage",
    "DutyArea",
    "Topic",
    "BodyType",
    "BodyRole",
    "MeasureStatus",
    "LinkBasis",
    "Indicator",
    "ValueType",
    "Qualifier",
    "Comparator",
    "TargetStatus",
    "Target",
    "NationalStandard",
    "FigureRelation",
    "PartOfRelation",
    "ShareRelation",
    "DifferenceRelation",
    "ComparisonRelation",
    "GrowthRelation",
    "Finding",
]
OBJECT_PROPERTIES = [
    "inReport",
    "status",
    "addresses",
    "qualifiedAddresses",
    "problem",
    "basis",
    "sharedStage",
    "sharedTopic",
    "stage",
    "dutyArea",
    "topic",
    "bodyType",
    "cites",
    "mentionsPerson",
    "practiceArea",
    "indicator",
    "valueType",
    "qualifier",
    "subject",
    "comparator",
    "setBy",
    "targetStatus",
    "unit",
    "actualObservation",
    "relatedFigure",
    "part",
    "whole",
    "share",
    "minuend",
    "subtrahend",
    "difference",
    "base",
    "current",
    "growth",
    "concerns",
    "addressedBy",
    "mentionsBody",
]
DATATYPE_PROPERTIES = [
    "notation",
    "order",
    "text",
    "confidence",
    "reason",
    "isDefault",
    "sourceLine",
    "targetValue",
    "deadline",
    "sourceFile",
]
SCHEMES = {
    "MeasureStatusScheme": ("MeasureStatus", "Implemented Planned"),
    "LinkBasisScheme": ("LinkBasis", "Stated Inferred Curated"),
    "BodyRoleScheme": ("BodyRole", "LeadRole ParticipantRole PartnerRole BeneficiaryRole"),
    "BodyTypeScheme": (
        "BodyType",
        "PartyCommittee PartyOrgan Government GovernmentDepartment CentralAuthority LeadingGroup "
        "Meeting University ResearchInstitute School Enterprise JudicialBody OtherBody",
    ),
    "ValueTypeScheme": ("ValueType", "ActualValue TargetValue BaselineValue ChangeValue"),
    "QualifierScheme": ("Qualifier", "MoreThan Nearly AtLeast AtMost"),
    "ComparatorScheme": ("Comparator", "GreaterOrEqual LessOrEqual Equal"),
    "TargetStatusScheme": ("TargetStatus", "Met NotMet NotYetDue StatusUnknown"),
}
UNITS = ["PercentagePoint", "Ratio"]


@pytest.fixture(scope="module")
def g() -> Graph:
    graph = Graph()
    graph.parse(ONTOLOGY_FILE, format="turtle")
    return graph


def edu_subjects(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects() if isinstance(s, URIRef) and s.startswith(str(EDU))}


def lang_values(g: Graph, s: URIRef, p: URIRef) -> dict[str | None, list[str]]:
    """Values of s p by language tag, keyed in lower case (BCP 47 tags are case-insensitive)."""
    out: dict[str | None, list[str]] = {}
    for o in g.objects(s, p):
        assert isinstance(o, Literal), f"{s} {p} {o!r} is not a literal"
        out.setdefault(o.language.lower() if o.language else None, []).append(str(o))
    return out


def class_members(g: Graph, node) -> list:
    """A class expression's named members: itself, or the members of an owl:unionOf."""
    if isinstance(node, BNode):
        union = g.value(node, OWL.unionOf)
        assert union is not None, f"unsupported anonymous class expression {node}"
        return list(Collection(g, union))
    return [node]


def test_parses_as_turtle():
    graph = Graph()
    graph.parse(ONTOLOGY_FILE, format="turtle")
    assert len(graph) > 500


def test_header_metadata(g: Graph):
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in g
    assert g.value(ONTOLOGY, OWL.versionIRI) == URIRef("https://w3id.org/edugraph/ontology/0.1.0")
    assert str(g.value(ONTOLOGY, OWL.versionInfo)) == "0.1.0"
    titles = lang_values(g, ONTOLOGY, DCTERMS.title)
    assert titles.get("en") and titles.get("zh-hans"), titles
    assert lang_values(g, ONTOLOGY, DCTERMS.description).get("en")
    assert str(g.value(ONTOLOGY, DCTERMS.creator)) == "edugraph contributors"
    created = g.value(ONTOLOGY, DCTERMS.created)
    assert created == Literal("2026-11-27", datatype=XSD_DATE)
    assert g.value(ONTOLOGY, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert str(g.value(ONTOLOGY, VANN.preferredNamespacePrefix)) == "edu"
    assert str(g.value(ONTOLOGY, VANN.preferredNamespaceUri)) == str(EDU)


def test_every_edu_term_is_labelled_defined_and_attributed(g: Graph):
    subjects = edu_subjects(g)
    assert subjects
    problems = []
    for s in sorted(subjects):
        labels = lang_values(g, s, RDFS.label)
        definitions = lang_values(g, s, SKOS.definition)
        if not labels.get("zh-hans") or not labels.get("en"):
            problems.append(f"{s}: rdfs:label @zh-Hans and @en required, got {labels}")
        if not definitions.get("en") or not definitions.get("zh-hans"):
            problems.append(f"{s}: skos:definition @en and @zh-Hans required, got {definitions}")
        if (s, RDFS.isDefinedBy, ONTOLOGY) not in g:
            problems.append(f"{s}: rdfs:isDefinedBy <{ONTOLOGY}> missing")
        if g.value(s, RDF.type) is None:
            problems.append(f"{s}: no rdf:type")
    assert not problems, "\n".join(problems)


def test_required_terms_are_defined_with_the_right_kind(g: Graph):
    for name in CLASSES:
        assert (EDU[name], RDF.type, OWL.Class) in g, f"edu:{name} is not an owl:Class"
    for name in OBJECT_PROPERTIES:
        assert (EDU[name], RDF.type, OWL.ObjectProperty) in g, f"edu:{name} not an ObjectProperty"
    for name in DATATYPE_PROPERTIES:
        assert (EDU[name], RDF.type, OWL.DatatypeProperty) in g, f"edu:{name} not DatatypeProperty"
    for name in UNITS:
        assert (EDU[name], RDF.type, QUDT.Unit) in g
        assert (EDU[name], RDF.type, OWL.Class) not in g, f"edu:{name} must not be a class"


def test_no_edu_term_is_both_object_and_datatype_property(g: Graph):
    objects = set(g.subjects(RDF.type, OWL.ObjectProperty))
    datatypes = set(g.subjects(RDF.type, OWL.DatatypeProperty))
    assert not {t for t in objects & datatypes if t.startswith(str(EDU))}


def test_concept_schemes(g: Graph):
    for scheme, (cls, members) in SCHEMES.items():
        assert (EDU[scheme], RDF.type, SKOS.ConceptScheme) in g, scheme
        for name in members.split():
            c = EDU[name]
            assert (c, RDF.type, SKOS.Concept) in g, name
            assert (c, RDF.type, EDU[cls]) in g, name
            assert (c, SKOS.inScheme, EDU[scheme]) in g, name
            pref = lang_values(g, c, SKOS.prefLabel)
            assert pref.get("zh-hans") and pref.get("en"), (name, pref)
            assert len(pref["zh-hans"]) == 1 and len(pref["en"]) == 1, (name, pref)


def test_comparators_have_symbols(g: Graph):
    symbols = {
        name: str(g.value(EDU[name], RDF.value))
        for name in ("GreaterOrEqual", "LessOrEqual", "Equal")
    }
    assert symbols == {"GreaterOrEqual": "≥", "LessOrEqual": "≤", "Equal": "="}


def test_object_property_ranges_refer_to_defined_classes(g: Graph):
    problems = []
    for p in g.subjects(RDF.type, OWL.ObjectProperty):
        for rng in g.objects(p, RDFS.range):
            for member in class_members(g, rng):
                is_edu = isinstance(member, URIRef) and member.startswith(str(EDU))
                if is_edu and (member, RDF.type, OWL.Class) not in g:
                    problems.append(f"{p} range {member} is not a defined class")
    assert not problems, "\n".join(problems)


def test_domains_and_superclasses_are_classes(g: Graph):
    """Every named class used as domain, range or superclass is typed owl:Class (OWL 2 DL)."""
    problems = []
    for p in (RDFS.domain, RDFS.subClassOf, OWL.equivalentClass):
        for s, o in g.subject_objects(p):
            for member in class_members(g, o):
                if (member, RDF.type, OWL.Class) not in g:
                    problems.append(f"{s} {p} {member}: not declared owl:Class")
    for p in g.subjects(RDF.type, OWL.ObjectProperty):
        for rng in g.objects(p, RDFS.range):
            for member in class_members(g, rng):
                if (member, RDF.type, OWL.Class) not in g:
                    problems.append(f"{p} range {member}: not declared owl:Class")
    assert not problems, "\n".join(problems)


def test_no_undefined_edu_terms_are_used(g: Graph):
    defined = {s for s in edu_subjects(g) if g.value(s, RDF.type) is not None}
    used = {o for o in g.objects() if isinstance(o, URIRef) and o.startswith(str(EDU))} | {
        p for p in g.predicates() if p.startswith(str(EDU))
    }
    assert not used - defined, sorted(used - defined)


def test_number_of_classes(g: Graph):
    classes = {c for c in g.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    assert len(classes) >= 30
    edu_classes = {c for c in classes if c.startswith(str(EDU))}
    assert edu_classes >= {EDU[name] for name in CLASSES}


def test_alignments(g: Graph):
    expected = [
        (EDU.SelfEvaluationReport, RDFS.subClassOf, PROV.Entity),
        (EDU.SelfEvaluationReport, RDFS.subClassOf, FOAF.Document),
        (EDU.Section, RDFS.subClassOf, PROV.Entity),
        (EDU.Measure, RDFS.subClassOf, PROV.Activity),
        (EDU.Region, RDFS.subClassOf, DCTERMS.Location),
        (EDU.Region, RDFS.subClassOf, SKOS.Concept),
        (EDU.BodyRole, RDFS.subClassOf, PROV.Role),
        (EDU.NationalStandard, RDFS.subClassOf, EDU.Target),
        (EDU.Finding, RDFS.subClassOf, PROV.Entity),
        (EDU.addresses, OWL.inverseOf, EDU.addressedBy),
        (EDU.indicator, RDF.type, QB.DimensionProperty),
        (EDU.valueType, RDF.type, QB.AttributeProperty),
        (EDU.qualifier, RDF.type, QB.AttributeProperty),
        (EDU.bodyType, RDFS.domain, ORG.Organization),
    ]
    missing = [t for t in expected if t not in g]
    assert not missing, missing
    for name in (
        "part",
        "whole",
        "share",
        "minuend",
        "subtrahend",
        "difference",
        "base",
        "current",
        "growth",
    ):
        assert (EDU[name], RDFS.subPropertyOf, EDU.relatedFigure) in g, name
    for name in (
        "Stage",
        "DutyArea",
        "Topic",
        "BodyType",
        "MeasureStatus",
        "LinkBasis",
        "Indicator",
        "ValueType",
        "Qualifier",
        "Comparator",
        "TargetStatus",
    ):
        assert (EDU[name], RDFS.subClassOf, SKOS.Concept) in g, name
    for name in (
        "PartOfRelation",
        "ShareRelation",
        "DifferenceRelation",
        "ComparisonRelation",
        "GrowthRelation",
    ):
        assert (EDU[name], RDFS.subClassOf, EDU.FigureRelation) in g, name


def test_figure_structure(g: Graph):
    dsd = EDU.FigureStructure
    assert (dsd, RDF.type, QB.DataStructureDefinition) in g
    components = list(g.objects(dsd, QB.component))
    dims = {g.value(c, QB.dimension) for c in components} - {None}
    measures = {g.value(c, QB.measure) for c in components} - {None}
    attrs = {g.value(c, QB.attribute) for c in components} - {None}
    assert dims == {EDU.indicator, SDMX_DIMENSION.refArea, SDMX_DIMENSION.refPeriod}
    assert measures == {SDMX_MEASURE.obsValue}
    assert attrs == {SDMX_ATTRIBUTE.unitMeasure, EDU.valueType, EDU.qualifier}
    for p in (EDU.indicator, EDU.valueType, EDU.qualifier):
        concept = g.value(p, QB.concept)
        assert concept is not None and (concept, RDF.type, SKOS.Concept) in g, p


def test_language_tags_are_spelled_consistently(g: Graph):
    """Only @en and @zh-Hans, spelled exactly so, so that SPARQL langMatches and exact filters
    (FILTER(lang(?l) = "zh-Hans")) both work."""
    tags = {o.language for o in g.objects() if isinstance(o, Literal) and o.language}
    assert tags == {"en", "zh-Hans"}
