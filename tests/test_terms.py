"""One term model: rdflib ⇄ Oxigraph conversions in edugraph.rdf, N-Triples lines written
without rdflib internals, and one language-tag case on every query path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from edugraph.graph.quads import Quads
from edugraph.publish.build import BuildResult
from edugraph.query.engines import OxigraphEngine
from edugraph.rdf import (
    canonical_lang,
    from_oxigraph,
    literal_json,
    nt_line,
    sparql_json,
    to_oxigraph,
)
from edugraph.web import close, create_app

REPORT = "https://w3id.org/edugraph/id/report/chongqing-2020"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
S, P = URIRef("https://example.org/s"), URIRef("https://example.org/p")
TEXTS = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
OBJECTS = st.one_of(
    TEXTS.map(Literal),
    TEXTS.map(lambda t: Literal(t, lang="zh-Hans")),
    TEXTS.map(lambda t: Literal(t, datatype=XSD.token)),
    st.sampled_from(
        [URIRef("https://example.org/o"), BNode("b0"), Literal("1.50", datatype=XSD.decimal)]
    ),
)


@given(OBJECTS)
def test_an_nt_line_reads_back_as_the_triple_it_was(obj: Literal | URIRef | BNode) -> None:
    line = nt_line((S, P, obj))
    assert line.endswith(" .\n") and line.count("\n") == 1
    (found,) = Graph().parse(data=line, format="nt")
    assert found[:2] == (S, P)
    if isinstance(obj, BNode):
        assert isinstance(found[2], BNode)
    else:
        assert found[2] == obj and getattr(found[2], "language", None) == getattr(
            obj, "language", None
        )


@given(OBJECTS)
def test_terms_go_to_oxigraph_and_back(obj: Literal | URIRef | BNode) -> None:
    back = from_oxigraph(to_oxigraph(obj))
    assert back == obj if not isinstance(obj, BNode) else back == BNode("b0")


@given(OBJECTS)
def test_a_term_has_one_sparql_json_from_either_library(obj: Literal | URIRef | BNode) -> None:
    assert sparql_json(obj) == sparql_json(to_oxigraph(obj))


def test_sparql_json_drops_xsd_string_and_writes_canonical_decimals() -> None:
    assert sparql_json(ox.Literal("a")) == {"type": "literal", "value": "a"}
    assert sparql_json(Literal("1144.0", datatype=XSD.decimal))["value"] == "1144"
    assert sparql_json(ox.Literal("a", language="zh-hans"))["xml:lang"] == "zh-Hans"
    assert literal_json("1", None, str(XSD.string)) == {"type": "literal", "value": "1"}


def test_blank_nodes_get_fresh_labels_when_asked() -> None:
    blanks: dict[object, ox.BlankNode] = {}
    first, again = to_oxigraph(BNode("b0"), blanks), to_oxigraph(BNode("b0"), blanks)
    assert first == again and first.value != "b0" and to_oxigraph(BNode("b1"), blanks) != first
    with pytest.raises(TypeError):
        from_oxigraph("not a term")


def test_language_tags_have_their_bcp47_case() -> None:
    assert [canonical_lang(t) for t in ("zh-hans", "EN-gb", "zh-hant-tw", "x")] == [
        "zh-Hans",
        "en-GB",
        "zh-Hant-TW",
        "x",
    ]
    assert from_oxigraph(ox.Literal("中", language="zh-hans")).language == "zh-Hans"


def test_select_and_construct_give_the_same_language_tag(graph_file: Path) -> None:
    engine = OxigraphEngine(graph_file)
    where = f"WHERE {{ GRAPH ?g {{ <{REPORT}> <{LABEL}> ?l FILTER(lang(?l) != 'en') }} }}"
    rows = engine.select(f"SELECT ?l {where}")["results"]["bindings"]
    graph = engine.graph(f"CONSTRUCT {{ <{REPORT}> <{LABEL}> ?l }} {where}")
    assert {row["l"]["xml:lang"] for row in rows} == {"zh-Hans"}
    assert {o.language for o in graph.objects()} == {"zh-Hans"}  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def client(graph_file: Path) -> Iterator[FlaskClient]:
    app = create_app({"graph": str(graph_file), "query_workers": 1})
    yield app.test_client()
    close(app)


def test_over_http_select_and_construct_agree_too(client: FlaskClient) -> None:
    where = f"WHERE {{ <{REPORT}> <{LABEL}> ?l FILTER(lang(?l) != 'en') }}"
    select = client.get("/sparql", query_string={"query": f"SELECT ?l {where}"}).get_json()
    construct = client.get(
        "/sparql",
        query_string={"query": f"CONSTRUCT {{ <{REPORT}> <{LABEL}> ?l }} {where}"},
        headers={"Accept": "application/n-triples"},
    )
    langs = {row["l"]["xml:lang"] for row in select["results"]["bindings"]}
    assert langs == {"zh-Hans"} and b'"@zh-Hans .' in construct.get_data()


@pytest.mark.parametrize(
    ("path", "tagged"),
    [
        ("/id/report/chongqing-2020?format=nt", b'"@zh-Hans .'),
        ("/id/report/chongqing-2020?format=ttl", b'"@zh-Hans'),
        ("/id/report/chongqing-2020?format=rdfxml", b'xml:lang="zh-Hans"'),
        ("/id/report/chongqing-2020?format=jsonld", b'"zh-Hans"'),
        ("/download/chongqing-2020.nq", b'"@zh-Hans <'),
        ("/download/chongqing-2020.trig", b'"@zh-Hans'),
    ],
)
def test_every_rdf_output_writes_the_tag_as_select_does(
    client: FlaskClient, path: str, tagged: bytes
) -> None:
    data = client.get(path).get_data()
    assert tagged in data and b"zh-hans" not in data, path


def test_a_loaded_dataset_has_the_lines_it_was_built_with(
    built: BuildResult, graph_file: Path
) -> None:
    """Lines are compared as strings: Oxigraph's terms and rdflib's must give the same ones."""
    loaded = Quads.load(graph_file)
    name = "https://w3id.org/edugraph/graph/report/chongqing-2020"
    assert list(loaded.lines(name)) == list(built.quads.lines(name))
    assert any('"@zh-Hans .' in line for line in loaded.lines(name))
