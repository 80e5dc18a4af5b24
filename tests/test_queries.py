"""Saved queries: header parsing, parameters bound as terms, errors named."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from edugraph.errors import NotFound, QueryError
from edugraph.query.queries import get_query, load_queries, parse_query
from tests.conftest import ROOT

QUERY = "PREFIX edu: <https://w3id.org/edugraph/ontology#>\nSELECT ?x WHERE { ?x a edu:Problem }\n"


def write(tmp_path: Path, header: str, body: str = QUERY, name: str = "q") -> Path:
    path = tmp_path / f"{name}.rq"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_every_saved_query_loads_with_a_summary() -> None:
    queries = load_queries(ROOT / "queries")
    expected = {
        "problems", "measures-for-problem", "problem-measure-matrix", "observations", "targets",
        "bodies", "measures-by-body", "findings", "search",
    }  # fmt: skip
    assert expected <= set(queries)
    assert all(q.summary for q in queries.values())
    assert queries["measures-for-problem"].variables == (
        "measure", "measureLabel", "status", "body", "bodyLabel", "role", "default", "basis",
        "confidence", "report",
    )  # fmt: skip


def test_typed_params_and_grlc_decorators(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "#+ summary: S\n#+ tags: [a, b]\n#+ method: post\n#+ pagination: 50\n"
        "#+ params:\n#+   year: {type: integer, default: 2019}\n#+   kind: {type: string, enum: [x, y]}\n",
    )
    q = parse_query(path)
    assert (q.summary, q.tags, q.method, q.pagination) == ("S", ("a", "b"), "POST", 50)
    assert q.bind({}) == {"year": Literal(2019, datatype=XSD.integer)}
    assert q.bind({"kind": "y", "year": "2020"})["kind"] == Literal("y")
    with pytest.raises(QueryError, match="must be one of: x, y"):
        q.bind({"kind": "z"})
    with pytest.raises(QueryError, match="not a valid integer"):
        q.bind({"year": "twenty"})


def test_grlc_variable_convention(tmp_path: Path) -> None:
    body = "SELECT ?x WHERE { ?x ?p ?_thing_iri . OPTIONAL { ?x ?q ?__note } }\n"
    q = parse_query(write(tmp_path, "#+ summary: S\n", body))
    thing, note = q.param("thing"), q.param("note")
    assert (thing.type, thing.required, thing.variable) == ("iri", True, "_thing_iri")
    assert (note.type, note.required) == ("string", False)
    assert q.bind({"thing": "https://example.org/a"}) == {
        "_thing_iri": URIRef("https://example.org/a")
    }


@pytest.mark.parametrize(
    ("header", "body", "message"),
    [
        ("#+ summary: [unclosed\n", QUERY, "malformed #+ header"),
        ("#+ summary: S\n#+ colour: blue\n", QUERY, "unknown header key(s): colour"),
        ("#+ tags: [a]\n", QUERY, "needs a summary"),
        ("#+ summary: S\n#+ params:\n#+   x: {type: shape}\n", QUERY, "has type 'shape'"),
        (
            "#+ summary: S\n#+ params:\n#+   x: {type: iri, colour: red}\n",
            QUERY,
            "unknown key(s): colour",
        ),
        (
            "#+ summary: S\n#+ params:\n#+   x: {type: integer, default: many}\n",
            QUERY,
            "not a valid integer",
        ),
        ("#+ summary: S\n#+ method: PUT\n", QUERY, "method must be GET or POST"),
        ("#+ summary: S\n", "SELECT ?x WHERE { ?x ?p }\n", "SPARQL syntax error"),
        ("#+ summary: S\n", "", "no SPARQL query"),
    ],
)
def test_malformed_queries_are_errors_naming_the_file(
    tmp_path: Path, header: str, body: str, message: str
) -> None:
    path = write(tmp_path, header, body)
    with pytest.raises(QueryError) as info:
        parse_query(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_unknown_and_missing_parameters() -> None:
    q = load_queries(ROOT / "queries")["measures-for-problem"]
    with pytest.raises(QueryError, match="missing required parameter 'problem'"):
        q.bind({})
    with pytest.raises(QueryError, match=r"unknown parameter\(s\) colour"):
        q.bind({"problem": "https://example.org/p", "colour": "red"})
    with pytest.raises(QueryError, match="not a valid iri"):
        q.bind({"problem": "not an iri> } ; DROP ALL"})


def test_unknown_query_is_not_found() -> None:
    with pytest.raises(NotFound, match="no saved query 'nope'"):
        get_query(load_queries(ROOT / "queries"), "nope")
