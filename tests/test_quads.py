"""The dataset as lines: a report's statements go straight to N-Triples lines, the N-Quads
are sorted as text, and a literal over Oxigraph's 16 MiB token limit is published whole."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
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


G1, G2 = "https://example.org/g1", "https://example.org/g2"
ODD = ["a", "教育", "a\u2028b", "a\x85b", "𠀀", "a b"]  # U+2028 and NEL: not line ends in N-Triples


def _line(n: int | str, value: str = "x") -> str:
    return f"<https://example.org/s{n}> <{P}> {ox.Literal(value)} .\n"


def test_a_graph_held_as_a_block_gives_its_lines_sorted_and_unique() -> None:
    lines = [_line(n, v) for n, v in enumerate(ODD)] + [_line(9)] * 3
    quads = Quads()
    quads.add_lines(G1, reversed(lines))
    quads.add_lines(G2, [])
    assert list(quads.lines(G1)) == sorted(set(lines))
    assert quads.names() == [G1] and len(quads) == len(ODD) + 1
    assert quads.text([G1, G2, "https://example.org/none"]) == "".join(sorted(set(lines))).encode()
    expected = sorted(f"{line[:-3]} <{G1}> .\n" for line in set(lines))
    assert _nq_lines(quads.nquads()) == expected
    assert list(quads.lines("https://example.org/none")) == []


def _nq_lines(data: bytes) -> list[str]:
    return [f"{line}\n" for line in data.decode("utf-8").split("\n")[:-1]]


def test_lines_added_to_a_held_graph_are_merged_into_it() -> None:
    quads = Quads()
    quads.add_lines(G1, [_line(3), _line(1)])
    quads.add_lines(G2, [_line(2)])
    quads.add_lines(G1, [_line(2), _line(1)])
    assert list(quads.lines(G1)) == [_line(1), _line(2), _line(3)]
    assert len(quads) == 4
    quads.add_lines(G1, [_line(0)])
    lines = _nq_lines(quads.nquads())
    assert lines == sorted(lines) and len(lines) == 5
    quads.replace_lines(G1, [_line(7)])
    assert list(quads.lines(G1)) == [_line(7)] and len(quads) == 2


def test_a_graph_larger_than_a_piece_is_read_whole() -> None:
    lines = {_line(n, os.urandom(60).hex()) for n in range(20_000)}  # about 1.2 MB packed
    quads = Quads()
    quads.add_lines(G1, lines)
    assert list(quads.lines(G1)) == sorted(lines)
    assert quads.text([G1]) == "".join(sorted(lines)).encode("utf-8")


def test_a_graph_with_blank_nodes_gets_labels_of_its_own() -> None:
    graph = Graph()
    node = BNode()
    graph.add((S, P, node))
    graph.add((node, RDFS.label, Literal("教育")))
    quads = Quads()
    quads.add_graph(G1, graph)
    quads.add_graph(G2, graph)
    tag = hashlib.sha1(G1.encode("utf-8")).hexdigest()[:8]
    labels = {line.split(" ")[0] for line in quads.lines(G1) if line.startswith("_:")}
    assert len(labels) == 1 and labels.pop().startswith(f"_:g{tag}")
    assert not set(quads.lines(G1)) & set(quads.lines(G2))
    assert len(_read(quads.nquads())) == 4


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
    loaded = Quads.load(tmp_path / "edugraph.trig")
    assert loaded.names() == quads.names()
    assert all(list(loaded.lines(n)) == list(quads.lines(n)) for n in quads.names())


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
