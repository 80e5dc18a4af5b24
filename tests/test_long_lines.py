"""A report whose text is one literal over Oxigraph's 16 MiB token limit is still built,
published and validated: the long lines are read as terms, the rest by Oxigraph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef

from edugraph.graph.quads import Quads
from edugraph.query.engines import OxigraphEngine
from edugraph.rdf import nt_line
from edugraph.validate.shacl_core import to_store

G = "https://example.org/graph"
S, P, Q = (URIRef(f"https://example.org/{n}") for n in "spq")
TEXT = '报告\t"正文"\\\n' + "育" * 6_000_000  # 18 MB in UTF-8, with every escape


def _quads() -> Quads:
    quads = Quads({"ex": "https://example.org/"})
    graph = Graph()
    graph.add((S, P, Literal(TEXT, lang="zh-Hans")))
    graph.add((S, Q, Literal("短")))
    quads.add_graph(G, graph)
    return quads


def _text_of(store: ox.Store) -> str:
    found = [q.object.value for q in store.quads_for_pattern(None, ox.NamedNode(str(P)), None)]
    assert len(found) == 1
    return found[0]


def test_an_18_mb_literal_goes_into_a_store_whole() -> None:
    store = _quads().store()
    assert len(store) == 2
    assert _text_of(store) == TEXT


def test_an_18_mb_literal_is_written_to_trig_and_read_back() -> None:
    data = _quads().trig()
    assert len(data) > 18_000_000
    dataset = Dataset()
    dataset.parse(data=data.decode("utf-8"), format="trig")  # Oxigraph's reader has the limit
    [(_, _, literal, graph)] = dataset.quads((S, P, None, None))
    assert literal == Literal(TEXT, lang="zh-Hans") and str(graph) == G


def test_validation_reads_an_18_mb_literal() -> None:
    store = to_store(nt_line((S, P, Literal(TEXT))).encode("utf-8"))
    assert _text_of(store) == TEXT


def test_the_in_memory_engine_loads_a_dataset_file_with_an_18_mb_literal(tmp_path: Path) -> None:
    path = tmp_path / "edugraph.nq"
    path.write_bytes(_quads().nquads())
    engine = OxigraphEngine(path, disk=False)
    assert _text_of(engine.store) == TEXT
