"""How each report's graph was made, in the dataset's description: from which report and
source file (with its sha256), by which build of edugraph; and where a newcomer may start."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, VOID, XSD
from rdflib.term import Node

from edugraph.resources import ROOT
from edugraph.vocab import EDU

LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA = "https://www.iana.org/assignments/media-types/"
SOURCES = ROOT / "data" / "sources"
ZH = "zh-Hans"
Local = Callable[[str], URIRef]  # a name → its IRI in the description (`…/void#<name>`)


def report(g: Graph, local: Local, iri: URIRef, graph: Graph, sources: Path, version: str) -> None:
    """How a report's graph was made: from which report and source file, by which build."""
    for report in sorted(set(graph.subjects(RDF.type, EDU.SelfEvaluationReport)), key=str):
        _copy(g, graph, report, (RDF.type, DCTERMS.title, DCTERMS.issued, DCTERMS.publisher))
        g.add((iri, DCTERMS.source, report))
        g.add((iri, FOAF.primaryTopic, report))
        for prop in (DCTERMS.spatial, DCTERMS.temporal):
            for value in graph.objects(report, prop):
                g.add((iri, prop, value))
                _copy(g, graph, value, (RDF.type, DCAT.startDate, DCAT.endDate))
        for activity in graph.objects(report, PROV.wasGeneratedBy):
            g.add((iri, PROV.wasGeneratedBy, activity))
            _activity(g, local, graph, activity, version)
            for source_file in graph.objects(report, EDU.sourceFile):
                source = _source(g, local, graph, report, str(source_file), sources)
                g.add((URIRef(str(activity)), PROV.used, source))
                g.add((iri, PROV.wasDerivedFrom, source))


def _copy(g: Graph, graph: Graph, node: Node, props: Iterable[URIRef]) -> None:
    for prop in props:
        for value in graph.objects(node, prop):
            g.add((node, prop, value))


def _activity(g: Graph, local: Local, graph: Graph, activity: Node, version: str) -> None:
    _copy(g, graph, activity, (RDF.type, RDFS.label, PROV.used))
    software = local("software")
    g.add((activity, PROV.wasAssociatedWith, software))
    g.add((software, RDF.type, PROV.SoftwareAgent))
    g.add((software, RDFS.label, Literal(f"edugraph {version}")))
    g.add((software, OWL.versionInfo, Literal(version)))


def _source(g: Graph, local: Local, graph: Graph, report: Node, path: str, sources: Path) -> URIRef:
    """The report's source file: its path in the project, its sha256 when the file is here."""
    slug = Path(path).stem
    source = local(f"source-{slug}")
    g.add((source, RDF.type, PROV.Entity))
    g.add((source, RDF.type, FOAF.Document))
    g.add((source, DCTERMS.identifier, Literal(path)))
    g.add((source, DCAT.mediaType, URIRef(IANA + "text/plain")))
    for url in graph.objects(report, DCTERMS.source):
        g.add((source, DCTERMS.source, url))
    digest = _sha256(sources / Path(path).name)
    if digest is not None:
        checksum = local(f"source-{slug}-sha256")
        g.add((source, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary)))
    return source


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def examples(g: Graph, dataset_node: URIRef, graphs: list[tuple[URIRef, Graph]]) -> None:
    """Each report, and its first measure and problem: where a newcomer may start."""
    for _, graph in graphs:
        for report in sorted(set(graph.subjects(RDF.type, EDU.SelfEvaluationReport)), key=str):
            g.add((dataset_node, VOID.exampleResource, report))
            for kind in ("measure", "problem"):
                first = URIRef(f"{report}/{kind}/1")
                if (first, None, None) in graph:
                    g.add((dataset_node, VOID.exampleResource, first))
