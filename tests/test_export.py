"""Dumps: every format loads back, in rdflib and in Oxigraph, into the graphs that were built;
JSON-LD works with a standard processor through the published context; the same dataset gives
the same bytes in any process; bad input is one line and exit 2, with nothing written."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from pyld import jsonld
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from edugraph import formats
from edugraph.cli import cli
from edugraph.errors import ConfigError, InputError, NotFound
from edugraph.publish import export
from edugraph.publish.build import BuildResult
from tests.conftest import ROOT

REPORT = "report/chongqing-2020"
OX_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
RDFLIB_FORMATS = {
    "ttl": "turtle",
    "nt": "nt",
    "nq": "nquads",
    "trig": "trig",
    "jsonld": "json-ld",
    "rdfxml": "xml",
}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
Graphs = dict[str | None, Graph]  # graph name (None: default graph) → its triples


@pytest.fixture(scope="module")
def dataset(built: BuildResult) -> Dataset:
    return built.dataset


@pytest.fixture(scope="module")
def source(dataset: Dataset) -> Graphs:
    """The built graphs, with language tags in lower case (RDF compares them so)."""
    out: Graphs = {}
    for graph in dataset.graphs():
        if len(graph) and graph.identifier != DATASET_DEFAULT_GRAPH_ID:
            out[str(graph.identifier)] = normalised(graph)
    return out


def normalised(triples: Any) -> Graph:
    g = Graph()
    for s, p, o, *_ in triples:
        if isinstance(o, Literal) and o.language:
            o = Literal(str(o), lang=o.language.lower())
        g.add((s, p, o))
    return g


def union(graphs: Graphs) -> Graph:
    out = Graph()
    for g in graphs.values():
        for triple in g:
            out.add(triple)
    return out


def from_rdflib(data: bytes, fmt: str) -> Graphs:
    if formats.get(fmt).quads:
        ds = Dataset()
        ds.parse(data=data, format=RDFLIB_FORMATS[fmt])
        return {
            None if g.identifier == DATASET_DEFAULT_GRAPH_ID else str(g.identifier): normalised(g)
            for g in ds.graphs()
            if len(g)
        }
    return {None: normalised(Graph().parse(data=data, format=RDFLIB_FORMATS[fmt]))}


def rdflib_term(term: Any) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language.lower())
    if term.datatype.value == XSD_STRING:  # RDF 1.1: a simple literal is an xsd:string
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def from_oxigraph(data: bytes, fmt: str) -> Graphs:
    grouped: dict[str | None, list[tuple[Node, Node, Node]]] = defaultdict(list)
    for quad in ox.parse(data, format=OX_FORMATS[fmt]):
        name = None if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        grouped[name].append(tuple(rdflib_term(t) for t in (quad[0], quad[1], quad[2])))
    out: Graphs = {}
    for name, triples in grouped.items():
        out[name] = Graph()
        for triple in triples:
            out[name].add(triple)
    return out


def assert_same(parsed: Graphs, expected: Graphs) -> None:
    assert sorted(parsed, key=str) == sorted(expected, key=str)
    for name, graph in expected.items():
        assert len(parsed[name]) == len(graph), name
        assert isomorphic(parsed[name], graph), name


def expected_for(source: Graphs, fmt: str, graph: str | None = None) -> Graphs:
    chosen = {k: v for k, v in source.items() if graph is None or k.endswith(f"/graph/{graph}")}
    return chosen if formats.get(fmt).quads else {None: union(chosen)}


# --- formats and names ----------------------------------------------------------------------


def test_media_types_and_extensions() -> None:
    assert {f.key: f.media_type for f in formats.ALL} == {
        "ttl": "text/turtle",
        "nt": "application/n-triples",
        "nq": "application/n-quads",
        "trig": "application/trig",
        "jsonld": "application/ld+json",
        "rdfxml": "application/rdf+xml",
    }
    assert export.FORMATS == formats.KEYS
    assert export.filename(fmt="rdfxml") == "edugraph.rdf"
    assert export.format_of("dumps/edugraph.rdf") == "rdfxml"
    with pytest.raises(ConfigError, match="unknown format 'xml'"):
        export.check_format("xml")


def test_graphs_are_named_by_short_name_or_iri(dataset: Dataset) -> None:
    names = export.graph_names(dataset)
    assert {"ontology", "reference", REPORT, "curation/chongqing-2020"} <= set(names)
    iri = "https://w3id.org/edugraph/graph/report/chongqing-2020"
    assert export.resolve_graph(dataset, REPORT) == URIRef(iri)
    assert export.resolve_graph(dataset, iri) == URIRef(iri)
    with pytest.raises(NotFound, match=r"unknown graph 'report/nowhere' \(known: .*ontology"):
        export.resolve_graph(dataset, "report/nowhere")


def test_file_names_and_downloads(dataset: Dataset) -> None:
    assert export.filename(fmt="ttl") == "edugraph.ttl"
    assert export.filename(fmt="rdfxml", graph=REPORT) == "chongqing-2020.rdf"
    assert export.filename(fmt="nq", graph="curation/chongqing-2020") == (
        "curation-chongqing-2020.nq"
    )
    assert export.content_disposition(fmt="jsonld", graph=REPORT) == (
        'attachment; filename="chongqing-2020.jsonld"'
    )
    for name in export.graph_names(dataset):
        for fmt in export.FORMATS:
            download = export.parse_download(export.filename(fmt=fmt, graph=name), dataset)
            assert download == export.Download(fmt, name)
    assert export.parse_download("edugraph.trig", dataset) == export.Download("trig", None)
    for bad in ("nowhere-2020.ttl", "edugraph.xml", "edugraph", "../edugraph.ttl"):
        with pytest.raises(NotFound):
            export.parse_download(bad, dataset)


# --- round trips ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", export.FORMATS)
@pytest.mark.slow
def test_whole_dataset_loads_back_in_rdflib(dataset: Dataset, source: Graphs, fmt: str) -> None:
    data = export.dump(dataset, fmt=fmt)
    assert_same(from_rdflib(data, fmt), expected_for(source, fmt))


@pytest.mark.parametrize("fmt", export.FORMATS)
@pytest.mark.slow
def test_whole_dataset_loads_back_in_oxigraph(dataset: Dataset, source: Graphs, fmt: str) -> None:
    data = export.dump(dataset, fmt=fmt)
    expected = expected_for(source, fmt)
    assert_same(from_oxigraph(data, fmt), expected)
    store = ox.Store()
    store.load(data, format=OX_FORMATS[fmt])
    assert len(store) == sum(len(g) for g in expected.values())


@pytest.mark.parametrize("fmt", export.FORMATS)
@pytest.mark.parametrize("graph", [REPORT, "ontology"])
@pytest.mark.slow
def test_one_graph_loads_back(dataset: Dataset, source: Graphs, fmt: str, graph: str) -> None:
    data = export.dump(dataset, fmt=fmt, graph=graph)
    expected = expected_for(source, fmt, graph)
    assert_same(from_rdflib(data, fmt), expected)
    assert_same(from_oxigraph(data, fmt), expected)


def test_triple_dumps_are_the_union_of_all_graphs(dataset: Dataset, source: Graphs) -> None:
    lines = export.dump(dataset, fmt="nt").decode().splitlines()
    assert len(lines) == len(set(lines)) == len(union(source))
    quads = export.dump(dataset, fmt="nq").decode().splitlines()
    assert len(quads) == sum(len(g) for g in source.values())


def test_blank_nodes_are_named_by_rdf_canonicalization(dataset: Dataset) -> None:
    """RDFC-1.0 labels (c14n0 …) depend on the statements only, never on how they were read."""
    labels: dict[str, set[str]] = defaultdict(set)
    for quad in ox.parse(export.dump(dataset, fmt="nq"), format=ox.RdfFormat.N_QUADS):
        for term in (quad.subject, quad.object):
            if isinstance(term, ox.BlankNode):
                labels[quad.graph_name.value].add(term.value)
    assert labels, "the ontology and the shapes have blank nodes"
    every = [label for found in labels.values() for label in found]
    assert len(every) == len(set(every)), "a blank node belongs to one graph"
    assert all(label.startswith("c14n") for label in every)


# --- JSON-LD --------------------------------------------------------------------------------


def no_network(url: str, options: Any = None) -> dict[str, Any]:
    """A pyld document loader that serves the published context from the repository."""
    if url == export.CONTEXT_IRI:
        document = json.loads((ROOT / "ontology" / "context.jsonld").read_text("utf-8"))
        return {"contextUrl": None, "documentUrl": url, "document": document}
    raise AssertionError(f"a JSON-LD document made the processor fetch {url}")


def nquads_graphs(nquads: str) -> Graphs:
    return from_rdflib(nquads.encode("utf-8"), "nq")


def test_jsonld_is_compacted_with_the_published_context(dataset: Dataset) -> None:
    document = json.loads(export.dump(dataset, fmt="jsonld", graph=REPORT))
    assert document["@context"] == export.context()
    assert document["@id"].endswith("/graph/report/chongqing-2020")
    report = next(n for n in document["@graph"] if n["@id"].endswith("/report/chongqing-2020"))
    assert report["@type"] == "edu:SelfEvaluationReport"
    assert report["title"]["zh-Hans"] == "2019年以来履行教育职责情况自查自评报告"
    assert report["label"]["en"].startswith("Chongqing")
    assert report["dcterms:publisher"] == {
        "@id": "https://w3id.org/edugraph/id/body/chongqing-government"
    }
    whole = json.loads(export.dump(dataset, fmt="jsonld"))
    names = [item["@id"] for item in whole["@graph"]]
    assert names == sorted(names) and all("/graph/" in name for name in names)
    assert all("@graph" in item for item in whole["@graph"])


@pytest.mark.slow
def test_jsonld_expands_compacts_and_converts_with_pyld(dataset: Dataset, source: Graphs) -> None:
    options = {"documentLoader": no_network}
    document = json.loads(export.dump(dataset, fmt="jsonld"))
    expanded = jsonld.expand(document, options)
    compacted = jsonld.compact(expanded, export.CONTEXT_IRI, options)
    assert compacted["@context"] == export.CONTEXT_IRI
    for form in (document, expanded, compacted):
        nquads = jsonld.to_rdf(form, {**options, "format": "application/n-quads"})
        assert_same(nquads_graphs(nquads), source)


def test_the_context_works_when_referenced_by_its_iri() -> None:
    document = {
        "@context": export.CONTEXT_IRI,
        "@id": "https://w3id.org/edugraph/id/stage/preschool",
        "@type": "edu:Stage",
        "prefLabel": {"zh-Hans": "学前教育", "en": "pre-school education"},
        "skos:notation": "preschool",
        "sdmx-attribute:unitMeasure": {"@id": "unit:PERCENT"},
    }
    nquads = jsonld.to_rdf(
        document, {"documentLoader": no_network, "format": "application/n-quads"}
    )
    assert '<http://www.w3.org/2004/02/skos/core#prefLabel> "学前教育"@zh-hans .' in nquads
    assert "<https://w3id.org/edugraph/ontology#Stage>" in nquads
    assert "<http://qudt.org/vocab/unit/PERCENT>" in nquads


# --- determinism ----------------------------------------------------------------------------


def digests(dataset: Dataset) -> dict[str, str]:
    return {
        export.filename(fmt=fmt, graph=graph): hashlib.sha256(
            export.dump(dataset, fmt=fmt, graph=graph)
        ).hexdigest()
        for fmt in export.FORMATS
        for graph in (None, REPORT)
    }


@pytest.mark.slow
def test_same_graphs_same_bytes(dataset: Dataset) -> None:
    """A copy has other blank node identifiers and another insertion order."""
    copy = Dataset()
    for s, p, o, g in sorted(dataset.quads((None, None, None, None)), key=str, reverse=True):
        copy.graph(g).add((relabel(s), p, relabel(o)))
    for fmt in export.FORMATS:
        assert export.dump(copy, fmt=fmt) == export.dump(dataset, fmt=fmt), fmt


def relabel(term: Any) -> Any:
    return BNode(f"copy{term}") if isinstance(term, BNode) else term


@pytest.mark.slow
def test_same_dataset_same_bytes_in_another_process(graph_file: Path) -> None:
    """Another hash seed orders sets differently: no dump may depend on that order."""
    here = digests(export.load(graph_file))
    code = (
        "import json, sys; from pathlib import Path; from edugraph.publish import export; "
        "from tests.test_export import digests; "
        f"print(json.dumps(digests(export.load(Path({str(graph_file)!r})))))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True
    )
    assert json.loads(run.stdout) == here


def test_serialize_one_graph_without_a_name() -> None:
    g = Graph()
    g.add(
        (URIRef("https://example.org/a"), URIRef("https://example.org/p"), Literal("x", lang="en"))
    )
    assert export.serialize(g, fmt="nq") == export.serialize(g, fmt="nt")
    assert (
        export.serialize(g, fmt="nt")
        == b'<https://example.org/a> <https://example.org/p> "x"@en .\n'
    )
    assert (
        json.loads(export.serialize(g, fmt="jsonld"))["@graph"][0]["@id"] == "https://example.org/a"
    )


ODD_TEXT = 'page\x0cbreak, line\u2028separator, next\x85line, tab\tand\r\nnewline "quoted" \\'


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_literals_with_line_breaks_of_every_kind_survive(fmt: str) -> None:
    text = ODD_TEXT.replace("\x0c", "") if fmt == "rdfxml" else ODD_TEXT  # XML has no \x0c
    g = Graph(identifier=URIRef("https://example.org/graph"))
    g.add((URIRef("https://example.org/a"), URIRef("https://example.org/p"), Literal(text)))
    data = export.serialize(g, fmt=fmt)
    name = "https://example.org/graph" if formats.get(fmt).quads else None
    assert_same(from_rdflib(data, fmt), {name: normalised(g)})
    assert_same(from_oxigraph(data, fmt), {name: normalised(g)})


def test_rdfxml_refuses_a_character_xml_cannot_carry() -> None:
    g = Graph()
    g.add((URIRef("https://example.org/a"), URIRef("https://example.org/p"), Literal(ODD_TEXT)))
    with pytest.raises(InputError, match="XML cannot carry"):
        export.serialize(g, fmt="rdfxml")


# --- the command ----------------------------------------------------------------------------


def run(*args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(cli, ["export", *args])
    return result.exit_code, result.stdout_bytes, result.stderr


def test_cli_writes_the_dump(graph_file: Path, tmp_path: Path) -> None:
    published = export.load(graph_file)
    out = tmp_path / "dumps" / "chongqing-2020.rdf"
    code, stdout, _ = run("--dataset", str(graph_file), "--graph", REPORT, "--out", str(out))
    assert code == 0
    assert out.read_bytes() == export.dump(published, fmt="rdfxml", graph=REPORT)
    assert b"rdfxml" in stdout
    code, stdout, _ = run("--dataset", str(graph_file), "--format", "nt", "--graph", "reference")
    assert code == 0 and stdout == export.dump(published, fmt="nt", graph="reference")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "n3"), "unknown format 'n3' (known: ttl, nt, nq, trig, jsonld, rdfxml)"),
        (("--graph", "report/nowhere"), "unknown graph 'report/nowhere' (known: "),
        (("--out", "{tmp}/edugraph.owl"), "unknown file extension 'owl'"),
        (("--dataset", "{tmp}/missing.trig"), "no built dataset here"),
        (("--dataset", "{tmp}/broken.trig"), "cannot read the dataset: Parser error at line 1"),
        (("--dataset", "{tmp}/binary.nq"), "cannot read the dataset"),
        (("--dataset", "{tmp}/graph.ttl"), "the dataset must be TriG (.trig) or N-Quads (.nq)"),
    ],
)
def test_cli_bad_input_is_one_line_exit_2(
    graph_file: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    (tmp_path / "broken.trig").write_text("<a> <b> {", encoding="utf-8")
    (tmp_path / "binary.nq").write_bytes(b"\xff\xfe\x00")
    (tmp_path / "graph.ttl").write_text("", encoding="utf-8")
    args = tuple(a.format(tmp=tmp_path) for a in args)
    if "--dataset" not in args:
        args = (*args, "--dataset", str(graph_file))
    out = tmp_path / "out.ttl"
    out.write_bytes(b"previous\n")
    code, _, stderr = run(*args, "--out", str(out)) if "--out" not in args else run(*args)
    assert code == 2
    assert message in stderr
    assert len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr
    assert out.read_bytes() == b"previous\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_cli_unwritable_output_keeps_nothing_half_written(graph_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "taken.ttl"
    out.mkdir()  # a folder where the file should go: the rename fails
    code, _, stderr = run("--dataset", str(graph_file), "--out", str(out))
    assert code == 2 and "cannot write" in stderr and len(stderr.strip().splitlines()) == 1
    assert out.is_dir() and list(tmp_path.iterdir()) == [out]
