"""The dataset's page: the VoID + DCAT description read back for a person — what the dataset
holds, where to query it, every dump of it and of each named graph, and where to start.
Reading the page from the description (not from the store) keeps the two from disagreeing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, VOID
from rdflib.term import Node

from edugraph import formats
from edugraph.publish.export import download_stem
from edugraph.publish.provenance import SPDX
from edugraph.publish.void import Places
from edugraph.web.service import Service
from edugraph.web.terms import Labels, Term, iri_term, labels_of, vocabulary_term

PROV_DERIVED = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")


@dataclass(frozen=True, slots=True)
class Download:
    name: str  # the format's name: Turtle, N-Quads …
    href: str


@dataclass(slots=True)
class Part:
    """The whole dataset or one of its named graphs, with its counts and dumps."""

    anchor: str
    iri: str
    title: str
    title_en: str
    triples: str
    entities: str
    downloads: list[Download] = field(default_factory=list)
    graph: bool = False  # a named graph (its IRI is shown), not the whole dataset
    source: Term | None = None  # the report a report's graph was made from
    source_file: str = ""
    sha256: str = ""


@dataclass(slots=True)
class DatasetPage:
    title: str
    title_en: str
    description: str
    description_en: str
    license: str
    sparql: str
    whole: Part
    parts: list[Part]
    examples: list[Term]
    classes: list[tuple[Term, str]]
    vocabularies: list[str]


def localise(url: Node | None, root: str) -> str:
    """An absolute URL of this server as a path (`/download/edugraph.ttl`), for links that
    work behind any host name; other URLs as they are."""
    text = str(url or "")
    return "/" + text[len(root) :] if text.startswith(root) else text


def _text(g: Graph, node: Node, prop: URIRef, lang: str) -> str:
    for value in g.objects(node, prop):
        if isinstance(value, Literal) and (value.language or "").lower().startswith(lang):
            return str(value)
    return ""


def _count(g: Graph, node: Node, prop: URIRef) -> str:
    return str(g.value(node, prop) or "")


def _downloads(g: Graph, node: Node, root: str) -> list[Download]:
    """The dumps the description names, in the order of the formats."""
    by_extension = {f.extension: (rank, f.name) for rank, f in enumerate(formats.ALL)}
    found = []
    for url in g.objects(node, VOID.dataDump):
        path = localise(url, root)
        rank, name = by_extension.get(path.rsplit(".", 1)[-1], (len(formats.ALL), path))
        found.append((rank, Download(name, path)))
    return [download for _, download in sorted(found, key=lambda pair: pair[0])]


def _part(g: Graph, node: Node, root: str, *, graph: bool) -> Part:
    iri = str(node)
    return Part(
        anchor=f"graph-{download_stem(iri if graph else None)}",
        iri=iri,
        title=_text(g, node, DCTERMS.title, "zh"),
        title_en=_text(g, node, DCTERMS.title, "en"),
        triples=_count(g, node, VOID.triples),
        entities=_count(g, node, VOID.entities),
        downloads=_downloads(g, node, root),
        graph=graph,
    )


def page(g: Graph, root: str, svc: Service) -> DatasetPage:
    """The page of the description `g`, published at `root` (the server's own base)."""
    places = Places(root)
    node = places.dataset
    parts = [
        _part(g, subset, root, graph=True)
        for subset in sorted(g.objects(node, VOID.subset), key=str)
    ]
    examples = sorted(str(e) for e in g.objects(node, VOID.exampleResource))
    sources = [str(s) for subset in g.objects(node, VOID.subset) for s in _sources(g, subset)]
    partitions = [
        (str(cls), _count(g, p, VOID.entities))
        for p in g.objects(node, VOID.classPartition)
        if (cls := g.value(p, VOID["class"])) is not None
    ]
    labels = labels_of(svc, examples + sources + [cls for cls, _ in partitions])
    for part in parts:
        _provenance(g, URIRef(part.iri), part, svc, labels)
    return DatasetPage(
        title=_text(g, node, DCTERMS.title, "zh"),
        title_en=_text(g, node, DCTERMS.title, "en"),
        description=_text(g, node, DCTERMS.description, "zh"),
        description_en=_text(g, node, DCTERMS.description, "en"),
        license=str(g.value(node, DCTERMS.license) or ""),
        sparql=localise(g.value(node, VOID.sparqlEndpoint), root),
        whole=_part(g, node, root, graph=False),
        parts=parts,
        examples=[iri_term(e, svc, labels) for e in examples],
        classes=sorted(
            ((vocabulary_term(cls, svc, labels), n) for cls, n in partitions),
            key=lambda pair: pair[0].code or pair[0].text,
        ),
        vocabularies=sorted(str(v) for v in g.objects(node, VOID.vocabulary)),
    )


def _sources(g: Graph, subset: Node) -> list[Node]:
    return list(g.objects(subset, DCTERMS.source))


def _provenance(g: Graph, subset: URIRef, part: Part, svc: Service, labels: Labels) -> None:
    """For a report's graph: the report it was made from, its source file and checksum."""
    for report in _sources(g, subset):
        part.source = iri_term(str(report), svc, labels)
    for source in g.objects(subset, PROV_DERIVED):
        part.source_file = str(g.value(source, DCTERMS.identifier) or "")
        checksum = g.value(source, SPDX.checksum)
        if checksum is not None:
            part.sha256 = str(g.value(checksum, SPDX.checksumValue) or "")
