"""Namespaces and the IRI scheme. The IRI patterns are a public contract: change none."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from pypinyin import lazy_pinyin
from rdflib import Namespace, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    QB,
    RDF,
    RDFS,
    SKOS,
    TIME,
    VOID,
    XSD,
    DefinedNamespace,
)

DEFAULT_BASE = "https://w3id.org/edugraph/"
EDU = Namespace("https://w3id.org/edugraph/ontology#")
ONTOLOGY = URIRef("https://w3id.org/edugraph/ontology")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
CV = Namespace("http://data.europa.eu/m8g/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
UNIT = Namespace("http://qudt.org/vocab/unit/")
VANN = Namespace("http://purl.org/vocab/vann/")
SH = Namespace("http://www.w3.org/ns/shacl#")

PREFIXES: dict[str, Namespace | type[DefinedNamespace]] = {
    "edu": EDU, "nif": NIF, "cv": CV, "eli": ELI, "org": ORG, "prov": PROV, "skos": SKOS,
    "dcterms": DCTERMS, "dcat": DCAT, "void": VOID, "foaf": FOAF, "qb": QB, "time": TIME,
    "sdmx-dimension": SDMX_DIMENSION, "sdmx-measure": SDMX_MEASURE,
    "sdmx-attribute": SDMX_ATTRIBUTE, "unit": UNIT, "vann": VANN, "owl": OWL, "rdf": RDF,
    "rdfs": RDFS, "xsd": XSD, "sh": SH,
}  # fmt: skip

ROLE = {
    "lead": EDU.LeadRole,
    "participant": EDU.ParticipantRole,
    "partner": EDU.PartnerRole,
    "beneficiary": EDU.BeneficiaryRole,
}
BASIS = {"stated": EDU.Stated, "inferred": EDU.Inferred, "curated": EDU.Curated}
KIND_CLASS = {
    "achievement": EDU.Achievement,
    "area": EDU.PracticeArea,
    "measure": EDU.Measure,
    "plan": EDU.Measure,
    "problem": EDU.Problem,
    "section": EDU.Section,  # a heading, item or passage of a part no other class covers
    "introduction": EDU.PartIntroduction,
    "closing": EDU.Closing,
    "preamble": EDU.Preamble,
}


def pinyin_slug(text: str, *, limit: int = 80) -> str:
    """A readable ASCII slug for a Chinese name; long names keep a hash to stay unique."""
    words = [re.sub(r"[^a-z0-9]+", "-", w.lower()).strip("-") for w in lazy_pinyin(text)]
    slug = "-".join(w for w in words if w)
    if len(slug) <= limit and slug:
        return slug
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    head = slug[:limit].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return f"{head}-{digest}" if head else f"doc-{digest}"


@dataclass(frozen=True, slots=True)
class Iris:
    """Mints every instance IRI under one base (configurable for another deployment)."""

    base: str = DEFAULT_BASE

    def id(self, path: str) -> URIRef:
        return URIRef(f"{self.base}id/{path}")

    def graph(self, path: str) -> URIRef:
        return URIRef(f"{self.base}graph/{path}")

    def report(self, slug: str, *rest: str | int) -> URIRef:
        tail = "".join(f"/{part}" for part in rest)
        return self.id(f"report/{slug}{tail}")

    def text(self, slug: str) -> URIRef:
        return self.report(slug, "text")

    def span(self, slug: str, begin: int, end: int) -> URIRef:
        """RFC 5147 fragment on the report's text: the NIF convention for spans."""
        return URIRef(f"{self.text(slug)}#char={begin},{end}")

    def body(self, body_id: str) -> URIRef:
        return self.id(f"body/{body_id}")

    def concept(self, scheme: str, concept_id: str) -> URIRef:
        return self.id(f"{scheme}/{concept_id}")

    def scheme(self, scheme: str) -> URIRef:
        return self.id(f"scheme/{scheme}")

    def region(self, region: str) -> URIRef:
        return self.id(f"region/{region}")

    def document(self, title: str) -> URIRef:
        return self.id(f"document/{pinyin_slug(title)}")

    def person(self, name: str) -> URIRef:
        return self.id(f"person/{pinyin_slug(name)}")

    def post(self, body_id: str, key: str) -> URIRef:
        return self.id(f"body/{body_id}/post/{key}")
