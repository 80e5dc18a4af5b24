"""The VoID + DCAT description: it parses, says what VoID and DCAT ask for, its counts are
the dataset's (counted again here with SPARQL), its links are the service's routes, and each
report's graph says where it came from."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, VOID
from rdflib.term import Node

from edugraph import __version__, formats
from edugraph.publish import export, void
from edugraph.publish.build import BuildResult
from tests.conftest import CHONGQING
from tests.test_export import OX_FORMATS, RDFLIB_FORMATS

BASE = "https://w3id.org/edugraph/"
LOCAL = "http://127.0.0.1:5000/"
DATASET = URIRef(f"{BASE}.well-known/void#dataset")
REPORT_GRAPH = URIRef(f"{BASE}graph/report/chongqing-2020")
REPORT = URIRef(f"{BASE}id/report/chongqing-2020")
SPDX = Namespace("http://spdx.org/rdf/terms#")
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")


@pytest.fixture(scope="module")
def dataset(built: BuildResult) -> Dataset:
    return built.dataset


@pytest.fixture(scope="module")
def described(dataset: Dataset) -> Graph:
    return void.describe(dataset)


def count(dataset: Dataset, where: str) -> int:
    """Counted again by rdflib's SPARQL engine, the reference: Oxigraph's store would merge
    "1"^^xsd:nonNegativeInteger with "1"^^xsd:integer."""
    rows = list(dataset.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"))
    n = rows[0][0]  # type: ignore[index]
    assert isinstance(n, Literal)
    return int(n)


def value(g: Graph, s: Node, p: URIRef) -> Node:
    found = list(g.objects(s, p))
    assert len(found) == 1, (s, p, found)
    return found[0]


def number(g: Graph, s: Node, p: URIRef) -> int:
    found = value(g, s, p)
    assert isinstance(found, Literal)
    return int(found)


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_the_description_parses_in_every_format(described: Graph, fmt: str) -> None:
    data = export.serialize(described, fmt=fmt)
    parsed = list(ox.parse(data, format=OX_FORMATS[fmt]))
    assert len(parsed) == len(described)
    assert len(Graph().parse(data=data, format=RDFLIB_FORMATS[fmt])) == len(described)


def test_dataset_has_what_void_and_dcat_ask_for(described: Graph) -> None:
    g = described
    assert {VOID.Dataset, DCAT.Dataset} <= set(g.objects(DATASET, RDF.type))
    assert (URIRef(f"{BASE}.well-known/void"), FOAF.primaryTopic, DATASET) in g
    for prop in (DCTERMS.title, DCTERMS.description):
        languages = {
            o.language.lower()
            for o in g.objects(DATASET, prop)
            if isinstance(o, Literal) and o.language
        }
        assert languages == {"zh-hans", "en"}, prop
    assert value(g, DATASET, DCTERMS.license) == CC_BY
    publisher = value(g, DATASET, DCTERMS.publisher)
    assert (publisher, FOAF.name, None) in g
    assert value(g, DATASET, VOID.sparqlEndpoint) == URIRef(f"{BASE}sparql")
    assert value(g, DATASET, VOID.uriSpace) == Literal(f"{BASE}id/")
    conforms = set(g.objects(DATASET, DCTERMS.conformsTo))
    assert conforms == {URIRef(f"{BASE}ontology"), URIRef(f"{BASE}shapes")}
    vocabularies = {str(v) for v in g.objects(DATASET, VOID.vocabulary)}
    assert {
        "https://w3id.org/edugraph/ontology#",
        "http://www.w3.org/2004/02/skos/core#",
        "http://www.w3.org/ns/prov#",
        "http://purl.org/linked-data/cube#",
        "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    } <= vocabularies
    for prop in (VOID.triples, VOID.entities, VOID.distinctSubjects, VOID.distinctObjects):
        assert number(g, DATASET, prop) > 0


def test_counts_are_the_datasets(described: Graph, dataset: Dataset) -> None:
    store = dataset
    g = described
    triples = count(store, "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert number(g, DATASET, VOID.triples) == triples
    assert number(g, DATASET, VOID.distinctSubjects) == count(
        store, "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o } }"
    )
    assert number(g, DATASET, VOID.distinctObjects) == count(
        store, "SELECT DISTINCT ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    )
    entities = count(
        store,
        f"SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
        f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{BASE}id/")) }}',
    )
    assert number(g, DATASET, VOID.entities) == entities
    partitions = list(g.objects(DATASET, VOID.propertyPartition))
    assert sum(number(g, p, VOID.triples) for p in partitions) == triples
    assert number(g, DATASET, VOID.properties) == len(partitions)


@pytest.mark.parametrize("cls", ["ontology#Measure", "ontology#Problem", "ontology#Finding"])
def test_class_partitions_count_distinct_instances(
    described: Graph, dataset: Dataset, cls: str
) -> None:
    store = dataset
    iri = URIRef(f"{BASE}{cls}")
    partition = next(described.subjects(VOID["class"], iri))
    assert (DATASET, VOID.classPartition, partition) in described
    expected = count(store, f"SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s a <{iri}> }} }}")
    assert expected > 0
    assert number(described, partition, VOID.entities) == expected


def test_every_named_graph_is_a_subset_with_its_counts(described: Graph, dataset: Dataset) -> None:
    subsets = set(described.objects(DATASET, VOID.subset))
    names = export.graph_names(dataset)
    assert subsets == set(names.values())
    for name, iri in names.items():
        graph = dataset.graph(iri)
        assert number(described, iri, VOID.triples) == len(graph), name
        assert number(described, iri, VOID.distinctSubjects) == len(set(graph.subjects()))
        assert (iri, DCTERMS.isPartOf, DATASET) in described
        assert value(described, iri, DCTERMS.identifier) == Literal(name)


def test_download_urls_are_the_routes_the_service_serves(dataset: Dataset) -> None:
    g = void.describe(dataset, base=LOCAL)
    urls = {str(u) for u in g.objects(None, DCAT.downloadURL)}
    dumps = {str(u) for u in g.objects(None, VOID.dataDump)}
    assert urls == dumps
    for fmt, ext in ((f.key, f.extension) for f in formats.ALL):
        assert f"{LOCAL}download/edugraph.{ext}" in urls, fmt
        assert f"{LOCAL}download/chongqing-2020.{ext}" in urls, fmt
    for url in urls:
        assert url.startswith(f"{LOCAL}download/")
        download = export.parse_download(url.removeprefix(f"{LOCAL}download/"), dataset)
        if download.fmt == "nt":  # the graph it names exists (one format is enough)
            assert export.dump(dataset, fmt="nt", graph=download.graph)
    for dist in g.subjects(RDF.type, DCAT.Distribution):
        url = str(value(g, dist, DCAT.downloadURL))
        media = str(value(g, dist, DCAT.mediaType))
        fmt = export.format_of(url)
        assert (
            media == f"https://www.iana.org/assignments/media-types/{formats.get(fmt).media_type}"
        )
    local_dataset = URIRef(f"{LOCAL}.well-known/void#dataset")
    assert value(g, local_dataset, VOID.sparqlEndpoint) == URIRef(f"{LOCAL}sparql")
    # the instance IRIs keep the base they were built with
    assert value(g, local_dataset, VOID.uriSpace) == Literal(f"{BASE}id/")
    examples = set(g.objects(local_dataset, VOID.exampleResource))
    assert REPORT in examples
    assert all(str(e).startswith(f"{BASE}id/") for e in examples)
    assert all(any(dataset.quads((e, None, None, None))) for e in examples)


def test_a_report_subset_says_how_it_was_made(described: Graph) -> None:
    g = described
    assert value(g, REPORT_GRAPH, FOAF.primaryTopic) == REPORT
    assert value(g, REPORT, DCTERMS.publisher) == URIRef(f"{BASE}id/body/chongqing-government")
    period = value(g, REPORT_GRAPH, DCTERMS.temporal)
    assert str(value(g, period, DCAT.startDate)) == "2019-01-01"
    assert str(value(g, period, DCAT.endDate)) == "2020-08-31"
    titles = {str(t) for t in g.objects(REPORT_GRAPH, DCTERMS.title)}
    assert any("重庆市人民政府" in t for t in titles)
    activity = value(g, REPORT_GRAPH, PROV.wasGeneratedBy)
    assert activity == URIRef(f"{REPORT}/build")
    software = value(g, activity, PROV.wasAssociatedWith)
    assert value(g, software, OWL.versionInfo) == Literal(__version__)
    source = value(g, REPORT_GRAPH, PROV.wasDerivedFrom)
    assert (activity, PROV.used, source) in g
    assert value(g, source, DCTERMS.identifier) == Literal("data/sources/chongqing-2020.txt")
    checksum = value(g, source, SPDX.checksum)
    assert value(g, checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
    digest = hashlib.sha256(CHONGQING.read_bytes()).hexdigest()
    assert str(value(g, checksum, SPDX.checksumValue)) == digest


def test_without_the_source_file_there_is_no_checksum(dataset: Dataset, tmp_path: Path) -> None:
    g = void.describe(dataset, sources=tmp_path)
    source = value(g, REPORT_GRAPH, PROV.wasDerivedFrom)
    assert (source, DCTERMS.identifier, None) in g
    assert (source, SPDX.checksum, None) not in g


def test_the_description_is_deterministic(dataset: Dataset, graph_file: Path) -> None:
    first = export.serialize(void.describe(dataset), fmt="ttl")
    assert export.serialize(void.describe(dataset), fmt="ttl") == first
    from_file = void.describe(graph_file)  # a path is read first
    assert value(from_file, DATASET, VOID.uriSpace) == Literal(f"{BASE}id/")


def test_statistics_count_distinct_triples() -> None:
    a, p, b = URIRef("https://w3id.org/edugraph/id/a"), RDF.type, URIRef("https://x.org/C")
    stats = void.statistics([(a, p, b), (a, p, b)], uri_space="https://w3id.org/edugraph/id/")
    assert (stats.triples, stats.entities, stats.subjects, stats.objects) == (1, 1, 1, 1)
    assert stats.classes == {b: 1} and stats.properties == {p: 1}
