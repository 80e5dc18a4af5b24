"""The dataset's description in VoID and DCAT: what it holds, how big it is, where to download
or query it, and how each report's graph was made. Served at `/.well-known/void` (RFC 8615, the
place VoID names for it).

IRIs (base B is where the service is published, https://w3id.org/edugraph/ by default):
- `B.well-known/void` — the description itself, a void:DatasetDescription;
- `B.well-known/void#dataset` — the dataset (void:Dataset, dcat:Dataset). A hash IRI, so that
  dereferencing the dataset gives its description with no route of its own;
- each named graph is a subset, named by its own graph IRI (`<iri base>graph/report/<slug>` …);
- `B.well-known/void#distribution-<file>` — a dump (dcat:Distribution) whose dcat:downloadURL is
  `B download/<file>` (`edugraph.ttl`, `chongqing-2020.nq` …, see export.filename);
- `B.well-known/void#class-<prefix>-<name>`, `#property-<prefix>-<name>` — partitions;
  `#service` — the SPARQL service at `B sparql`; `#publisher`; `#software` — the edugraph
  version that built the graphs; `#source-<slug>` — a report's source file, with its sha256.

The instance IRIs keep the base they were built with (read from the graph names), so a local
server that passes its own base gets working download links and the true void:uriSpace.

Counts: void:triples of the dataset counts the distinct triples of the union of its graphs,
the triples of the ttl/nt/rdfxml dumps; a subset's counts are its graph's. void:entities counts
distinct subjects under void:uriSpace; a class partition's void:entities the distinct subjects
of that type, a property partition's void:triples the triples with that predicate.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    PROV,
    RDF,
    RDFS,
    VOID,
    split_uri,
)
from rdflib.term import Node

from edugraph import __version__, formats
from edugraph.publish import provenance
from edugraph.publish.export import filename, load, prefixes, short_name
from edugraph.publish.provenance import IANA, LICENSE, SOURCES, ZH
from edugraph.publish.summary import Stats, Summary, statistics
from edugraph.vocab import DEFAULT_BASE, EDU, ONTOLOGY

SHAPES = URIRef("https://w3id.org/edugraph/shapes")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
LANGUAGES = (
    URIRef("http://publications.europa.eu/resource/authority/language/ZHO"),
    URIRef("http://publications.europa.eu/resource/authority/language/ENG"),
)
TITLE = (
    "政府履行教育职责自查自评报告知识图谱",
    "edugraph: a knowledge graph of Chinese governments' education-duty self-evaluation reports",
)
DESCRIPTION = (
    "将各级政府履行教育职责情况自查自评报告转换而成的关联数据：措施、问题、责任主体、学段、数据"
    "及其关联，每项均可追溯到报告原文。",
    "Linked data made from Chinese governments' self-evaluation reports on the performance of "
    "their education duties (履行教育职责情况自查自评报告): measures, problems, responsible "
    "bodies, stages, figures and the links between them, each traceable to its sentence.",
)
KIND_TITLES = {
    "ontology": ("本体", "ontology"),
    "shapes": ("校验规则", "SHACL shapes"),
    "reference": ("参考数据", "reference data"),
    "report": ("报告抽取结果", "extracted from the report"),
    "curation": ("人工校订", "curation"),
    "findings": ("校验发现", "validation findings"),
}
KEYWORDS = (("教育督导", ZH), ("履行教育职责", ZH), ("education", "en"), ("self-evaluation", "en"))


@dataclass(frozen=True, slots=True)
class Places:
    """The IRIs of the description, under the base the service is published at."""

    base: str = DEFAULT_BASE

    @property
    def document(self) -> URIRef:
        return URIRef(f"{self.base}.well-known/void")

    def local(self, name: str) -> URIRef:
        return URIRef(f"{self.document}#{name}")

    @property
    def dataset(self) -> URIRef:
        return self.local("dataset")

    @property
    def sparql(self) -> URIRef:
        return URIRef(f"{self.base}sparql")

    def download(self, name: str) -> URIRef:
        return URIRef(f"{self.base}download/{name}")


def describe(
    dataset: Dataset | Path,
    *,
    base: str = DEFAULT_BASE,
    iri_base: str | None = None,
    sources: Path | None = None,
) -> Graph:
    """The VoID + DCAT description of `dataset`, published at `base`. `iri_base` is the base
    of the instance IRIs (default: the one the dataset was built with); `sources` the folder of
    source reports whose sha256 to record (default: data/sources; a missing file is skipped)."""
    data = load(dataset) if isinstance(dataset, Path) else dataset
    graphs = _named_graphs(data)
    summary = Summary(uri_space(base=base, iri_base=iri_base, graphs=[iri for iri, _ in graphs]))
    for iri, graph in graphs:
        summary.graphs.append((iri, statistics(graph, uri_space=summary.uri_space), graph))
    summary.union = statistics(_union(data), uri_space=summary.uri_space)
    return from_summary(summary, base=base, sources=sources)


def uri_space(*, base: str, iri_base: str | None, graphs: Iterable[str]) -> str:
    """void:uriSpace: the instance IRIs' base (as the graph names give it), then id/."""
    return f"{iri_base or _iri_base(graphs) or base}id/"


def from_summary(
    summary: Summary, *, base: str = DEFAULT_BASE, sources: Path | None = None
) -> Graph:
    """The description of the dataset `summary` was gathered from (see `describe`)."""
    places = Places(base)
    g = _new_graph()
    _document(g, places)
    _dataset(g, places, summary.union, summary.uri_space)
    _service(g, places)
    version = built_with(graph for _, _, graph in summary.graphs)
    for iri, stats, graph in summary.graphs:
        _subset(g, places, iri, graph, stats)
        if short_name(str(iri)).startswith("report/"):
            provenance.report(g, places.local, iri, graph, sources or SOURCES, version)
    provenance.examples(g, places.dataset, [(iri, graph) for iri, _, graph in summary.graphs])
    return g


BUILT_WITH = re.compile(r"^edugraph (\S+) build$")


def built_with(graphs: Iterable[Graph]) -> str:
    """The edugraph version the build activities name (this one's if none does)."""
    for graph in graphs:
        for label in graph.objects(None, RDFS.label):
            match = BUILT_WITH.match(str(label))
            if match:
                return match.group(1)
    return __version__


def _new_graph() -> Graph:
    g = Graph(bind_namespaces="none")
    for prefix, namespace in prefixes().items():
        g.bind(prefix, Namespace(namespace))
    return g


def _named_graphs(dataset: Dataset) -> list[tuple[URIRef, Graph]]:
    graphs = [
        (URIRef(str(graph.identifier)), graph)
        for graph in dataset.graphs()
        if isinstance(graph.identifier, URIRef)
        and graph.identifier != DATASET_DEFAULT_GRAPH_ID
        and len(graph)
    ]
    return sorted(graphs, key=lambda pair: str(pair[0]))


def _iri_base(graphs: Iterable[str]) -> str | None:
    for iri in graphs:
        head, sep, _ = str(iri).rpartition("graph/")
        if sep and head:
            return head
    return None


def _union(dataset: Dataset) -> list[tuple[Node, Node, Node]]:
    return [(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))]


def _bilingual(g: Graph, node: URIRef, prop: URIRef, zh: str, en: str) -> None:
    g.add((node, prop, Literal(zh, lang=ZH)))
    g.add((node, prop, Literal(en, lang="en")))


def _document(g: Graph, places: Places) -> None:
    doc = places.document
    g.add((doc, RDF.type, VOID.DatasetDescription))
    _bilingual(g, doc, DCTERMS.title, "edugraph 数据集描述", "Description of the edugraph dataset")
    g.add((doc, FOAF.primaryTopic, places.dataset))
    g.add((doc, DCTERMS.license, LICENSE))
    publisher = places.local("publisher")
    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, RDF.type, PROV.Agent))
    g.add((publisher, FOAF.name, Literal("edugraph contributors")))
    g.add((publisher, FOAF.homepage, URIRef(places.base)))


def _dataset(g: Graph, places: Places, stats: Stats, space: str) -> None:
    node = places.dataset
    for kind in (VOID.Dataset, DCAT.Dataset):
        g.add((node, RDF.type, kind))
    _bilingual(g, node, DCTERMS.title, *TITLE)
    _bilingual(g, node, DCTERMS.description, *DESCRIPTION)
    for text, lang in KEYWORDS:
        g.add((node, DCAT.keyword, Literal(text, lang=lang)))
    for language in LANGUAGES:
        g.add((node, DCTERMS.language, language))
    g.add((node, DCTERMS.license, LICENSE))
    g.add((node, DCTERMS.publisher, places.local("publisher")))
    g.add((node, DCTERMS.conformsTo, ONTOLOGY))
    g.add((node, DCTERMS.conformsTo, SHAPES))
    g.add((node, DCAT.landingPage, URIRef(places.base)))
    g.add((node, FOAF.homepage, URIRef(places.base)))
    g.add((node, VOID.sparqlEndpoint, places.sparql))
    g.add((node, VOID.uriSpace, Literal(space)))
    _counts(g, node, stats)
    g.add((node, VOID.classes, Literal(len(stats.classes))))
    g.add((node, VOID.properties, Literal(len(stats.properties))))
    _partitions(g, places, node, stats)
    for namespace in _vocabularies(stats):
        g.add((node, VOID.vocabulary, URIRef(namespace)))
    for fmt in formats.ALL:
        g.add((node, VOID.feature, URIRef(fmt.iri)))
    _distributions(g, places, node, None)


def _counts(g: Graph, node: URIRef, stats: Stats) -> None:
    g.add((node, VOID.triples, Literal(stats.triples)))
    g.add((node, VOID.entities, Literal(stats.entities)))
    g.add((node, VOID.distinctSubjects, Literal(stats.subjects)))
    g.add((node, VOID.distinctObjects, Literal(stats.objects)))


def _partitions(g: Graph, places: Places, node: URIRef, stats: Stats) -> None:
    for cls, count in sorted(stats.classes.items()):
        part = places.local(f"class-{_fragment(cls)}")
        g.add((node, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(count)))
    for prop, count in sorted(stats.properties.items()):
        part = places.local(f"property-{_fragment(prop)}")
        g.add((node, VOID.propertyPartition, part))
        g.add((part, VOID.property, prop))
        g.add((part, VOID.triples, Literal(count)))


def _fragment(iri: URIRef) -> str:
    """`edu-Measure` for edu:Measure: readable, and unique (a hash where a name is not)."""
    text = str(iri)
    for prefix, namespace in sorted(prefixes().items(), key=lambda item: -len(item[1])):
        if text.startswith(namespace) and len(text) > len(namespace):
            name = f"{prefix}-{text[len(namespace) :]}"
            if re.fullmatch(r"[A-Za-z0-9._-]+", name):
                return name
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _vocabularies(stats: Stats) -> list[str]:
    namespaces = set()
    for term in [*stats.classes, *stats.properties]:
        try:
            namespaces.add(split_uri(term)[0])
        except ValueError:
            continue
    return sorted(namespaces)


def _distributions(g: Graph, places: Places, node: URIRef, graph: str | None) -> None:
    """One dcat:Distribution (and void:dataDump) per dump format, at /download/<file>."""
    for fmt in formats.ALL:
        name = filename(fmt=fmt.key, graph=graph)
        url = places.download(name)
        dist = places.local(f"distribution-{name}")
        g.add((node, VOID.dataDump, url))
        g.add((node, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(f"{name} ({fmt.name})", lang="en")))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.accessURL, url))
        g.add((dist, DCAT.mediaType, URIRef(IANA + fmt.media_type)))
        g.add((dist, DCTERMS["format"], URIRef(fmt.iri)))
        g.add((dist, DCTERMS.license, LICENSE))


def _service(g: Graph, places: Places) -> None:
    service = places.local("service")
    g.add((service, RDF.type, SD.Service))
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, SD.endpoint, places.sparql))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, DCAT.endpointURL, places.sparql))
    g.add((service, DCAT.servesDataset, places.dataset))
    _bilingual(g, service, DCTERMS.title, "SPARQL 查询服务", "SPARQL query service")


def _subset(g: Graph, places: Places, iri: URIRef, graph: Graph, stats: Stats) -> None:
    """A named graph as a subset: its own counts and dumps; titled by the kind of graph."""
    name = short_name(str(iri))
    kind, _, rest = name.partition("/")
    g.add((places.dataset, VOID.subset, iri))
    g.add((iri, RDF.type, VOID.Dataset))
    g.add((iri, RDF.type, DCAT.Dataset))
    g.add((iri, DCTERMS.isPartOf, places.dataset))
    g.add((iri, DCTERMS.identifier, Literal(name)))
    g.add((iri, DCTERMS.license, LICENSE))
    _bilingual(g, iri, DCTERMS.title, *_subset_title(kind, rest, graph))
    if kind == "ontology":
        g.add((iri, FOAF.primaryTopic, ONTOLOGY))
    if kind == "shapes":
        g.add((iri, FOAF.primaryTopic, SHAPES))
    _counts(g, iri, stats)
    _distributions(g, places, iri, name)


def _subset_title(kind: str, rest: str, graph: Graph) -> tuple[str, str]:
    """`报告抽取结果：<report's label>` for a report's graph, `人工校订：<slug>` and so on."""
    zh, en = KIND_TITLES.get(kind, (kind, kind))
    zh_name, en_name = rest, rest
    for report in graph.subjects(RDF.type, EDU.SelfEvaluationReport):
        for label in graph.objects(report, RDFS.label):
            language = (label.language or "").lower() if isinstance(label, Literal) else ""
            if language == ZH.lower():
                zh_name = str(label)
            elif language == "en":
                en_name = str(label)
    if not rest:
        return zh, en
    return f"{zh}：{zh_name}", f"{en}: {en_name}"
