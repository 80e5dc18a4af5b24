"""The dataset as lines: a report's statements go straight to N-Triples lines, the N-Quads
are sorted as text, and a literal over Oxigraph's 16 MiB token limit is published whole."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.term import Node

from edugraph.errors import InputError
from edugraph.graph.curation import check_curation
from edugraph.graph.quads import Lines, Quads, nt_lines
from edugraph.graph.report import ReportGraph
from edugraph.publish.site import publish
from edugraph.publish.store import STORE
from edugraph.rdf import LONG_LINE, has_long_line_in
from edugraph.records import Report
from edugraph.reference import Reference
from edugraph.vocab import Iris

S, P, Q = (URIRef(f"https://example.org/{n}") for n in "spq")
TEXT = '报告\t"正文"\\\n' + "育" * 6_000_000  # 18 MB in UTF-8, with every escape


def test_a_report_into_lines_gives_the_lines_of_its_triples(
    chongqing: Report, reference: Reference
) -> None:
    triples: set[tuple[Node, Node, Node]] = set()
    shared: set[tuple[Node, Node, Node]] = set()
    ReportGraph(triples, chongqing, reference, Iris(), shared=shared).build()
    lines, shared_lines = Lines(), Lines()
    ReportGraph(lines, chongqing, reference, Iris(), shared=shared_lines).build()
    assert lines.lines == set(nt_lines(triples))
    assert shared_lines.lines == set(nt_lines(shared))
    assert lines.subjects() == {s for s, _, _ in triples if isinstance(s, URIRef)}


def test_nquads_are_sorted_as_text_whatever_the_script() -> None:
    quads = Quads()
    # ASCII, Latin-1, CJK, beyond the BMP, and values that begin with another value
    values = ["b", "教育", "a", "𠀀", "é", "Z", "a b", "a\tb", "a!"]
    for n, value in enumerate(values):
        graph = Graph()
        graph.add((S, P, Literal(value)))
        graph.add((S, P, Literal(value, lang="en")))
        quads.add_graph(f"https://example.org/g{n % 2}", graph)
    lines = quads.nquads().decode("utf-8").splitlines(keepends=True)
    assert lines == sorted(lines) and len(lines) == 2 * len(values)
    assert {Literal(v) for v in values} <= {o for _, _, o, _ in _read(quads.nquads())}


def _read(data: bytes) -> list[tuple[Node, Node, Node, Node]]:
    dataset = Dataset()
    dataset.parse(data=data.decode("utf-8"), format="nquads")
    return list(dataset.quads((None, None, None, None)))  # type: ignore[arg-type]


def test_a_long_line_is_found_across_the_pieces_a_file_is_read_in(tmp_path: Path) -> None:
    short = b'<https://example.org/s> <https://example.org/p> "x" .\n' * 1000
    path = tmp_path / "data.nt"
    path.write_bytes(short + b"a" * (LONG_LINE - 10) + b"\n" + short)
    assert not has_long_line_in(path, piece=4096)
    path.write_bytes(short + b"a" * LONG_LINE + b"\n" + short)
    assert has_long_line_in(path, piece=4096)
    path.write_bytes(short + b"a" * LONG_LINE)  # no final newline
    assert has_long_line_in(path, piece=4096)


@pytest.mark.slow
def test_a_dataset_with_an_18_mb_literal_is_published(tmp_path: Path) -> None:
    quads = Quads({"ex": "https://example.org/"})
    graph = Graph()
    graph.add((S, P, Literal(TEXT, lang="zh-Hans")))
    graph.add((S, Q, Literal("短")))
    quads.add_graph("https://example.org/graph", graph)
    folder = publish(quads, tmp_path / "edugraph.trig", base="https://example.org/")
    store = ox.Store.read_only(str(folder / STORE))
    [found] = store.quads_for_pattern(None, ox.NamedNode(str(P)), None)
    assert found.object.value == TEXT and found.object.language.lower() == "zh-hans"
    dump = (folder / "download" / "edugraph.nq").read_bytes()
    assert len(dump) > 18_000_000 and '"短"'.encode() in dump
    assert Quads.load(tmp_path / "edugraph.trig").graphs == quads.graphs


def test_curation_may_only_name_nodes_the_lines_have(
    chongqing: Report, reference: Reference, tmp_path: Path
) -> None:
    iris = Iris()
    lines = Lines()
    ReportGraph(lines, chongqing, reference, iris, shared=Lines()).build()
    known = next(iter(lines.subjects() & {iris.report(chongqing.meta.slug, "problem", 1)}))
    curated = Graph()
    curated.add((known, RDFS.comment, Literal("checked")))
    check_curation(curated, lines.subjects(), chongqing, iris, tmp_path / "c.ttl")
    curated.add((iris.report(chongqing.meta.slug, "problem", 999), RDFS.comment, Literal("no")))
    with pytest.raises(InputError, match="problem/999"):
        check_curation(curated, lines.subjects(), chongqing, iris, tmp_path / "c.ttl")
