"""Properties over every saved query's parameters: no string value changes a query's algebra,
and none makes the API answer anything but 200 or 400.

The algebra check parses the bound query with rdflib and compares its whole algebra with the
algebra of the same query bound to a harmless value, the values of the bound variables
masked; then it checks that the VALUES block carries exactly the parsed term. So a value can
neither add, drop nor reshape a pattern, nor arrive altered. Lone surrogates are left out of
the strategy: they cannot travel in a URL or a UTF-8 body, so no request can carry them.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Identifier

from edugraph.errors import QueryError
from edugraph.query.engines import with_values
from edugraph.query.queries import Param, SavedQuery, load_queries
from edugraph.web import close, create_app
from tests.conftest import ROOT

QUERIES = load_queries(ROOT / "queries")
PARAMS = [(q.name, p.name) for q in QUERIES.values() for p in q.params]
HARMLESS = {
    "iri": "https://example.org/harmless",
    "string": "harmless",
    "integer": "1",
    "decimal": "1.5",
    "date": "2020-01-01",
    "boolean": "true",
}
INJECTIONS = [
    '"} ; DROP ALL ; {"',
    'x" . ?s ?p ?o . FILTER("',
    "x' } UNION { ?s ?p ?o } #",
    "https://example.org/a> ?p ?o } UNION { ?s ?p <https://example.org/b",
    "https://example.org/a>} SERVICE <http://127.0.0.1:9/> {?s ?p ?o",
    'https://example.org/"a',
    "\\",
    '"""',
    "a\nb\r\tc",
    "大班额\u3000#",
    "",
]
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
VALUES = TEXT | TEXT.map(lambda s: "https://example.org/" + s) | st.sampled_from(INJECTIONS)
C0 = {chr(c) for c in range(0x21)}
# More examples for a deeper search: EDUGRAPH_PROPERTY_EXAMPLES=3000 make test.
EXAMPLES = int(os.environ.get("EDUGRAPH_PROPERTY_EXAMPLES", "20"))
# Values that end or hide a control character, DEL or a space: a `$` that matches before a
# final newline once let 'A:\n' through the IRI check.
EDGES = [
    "A:\n",
    "https://example.org/a\n",
    "https://example.org/a\r",
    "https://example.org/a\x7f",
    "https://example.org/a ",
    "https://example.org/a\x85",
]


def harmless(param: Param) -> str:
    return param.enum[0] if param.enum else HARMLESS[param.type]


def others(query: SavedQuery, name: str) -> dict[str, str]:
    """Harmless values for the query's other required parameters."""
    return {p.name: harmless(p) for p in query.params if p.required and p.name != name}


def shape(node: Any, masked: set[Variable]) -> Any:
    """The algebra as plain data, with the values of the bound variables replaced."""
    if isinstance(node, CompValue):
        items = sorted((str(k), shape(v, masked)) for k, v in node.items())
        if node.name == "values":
            items = [(k, v) for k, v in items if k != "res"]
            rows = [
                sorted(
                    (str(var), "<bound>" if var in masked else repr(t)) for var, t in row.items()
                )
                for row in node["res"]
            ]
            items.append(("res", repr(rows)))
        return (node.name, tuple(items))
    if isinstance(node, dict):
        return tuple(sorted((repr(k), shape(v, masked)) for k, v in node.items()))
    if isinstance(node, list | tuple):
        return tuple(shape(v, masked) for v in node)
    if isinstance(node, set | frozenset):
        return tuple(sorted(repr(v) for v in node))
    return repr(node)


def bound_rows(node: Any, names: set[Variable]) -> list[dict[Variable, Identifier]]:
    """The rows of the VALUES block that binds `names`."""
    if isinstance(node, CompValue):
        if node.name == "values" and any(set(row) & names for row in node["res"]):
            return list(node["res"])
        children = node.values()
    elif isinstance(node, dict):
        children = node.values()
    elif isinstance(node, list | tuple):
        children = node
    else:
        return []
    for child in children:
        found = bound_rows(child, names)
        if found:
            return found
    return []


@functools.cache
def reference_shape(name: str, param: str, given: bool) -> Any:
    """The algebra with a harmless value (or, for an omitted optional parameter, none)."""
    query = QUERIES[name]
    values = others(query, param) | ({param: harmless(query.param(param))} if given else {})
    bound = query.bind(values)
    names = {Variable(v) for v in bound}
    return shape(prepareQuery(with_values(query.text, bound)).algebra, names)


@pytest.mark.parametrize(("name", "param"), PARAMS)
@settings(max_examples=EXAMPLES, deadline=None)
@given(value=VALUES)
@example(value="A:\n")
@example(value="https://example.org/a\n")
@example(value="https://example.org/a\r")
@example(value="https://example.org/a\x7f")
@example(value="https://example.org/a ")
@example(value="https://example.org/a")
@example(value="")
@example(value="https://example.org/a\x01b")
@example(value="a\tb")
def test_no_value_changes_a_querys_algebra(name: str, param: str, value: str) -> None:
    query = QUERIES[name]
    try:
        bound = query.bind({**others(query, param), param: value})
    except QueryError:
        return  # refused before it reaches a query: the API answers 400
    names = {Variable(v) for v in bound}
    algebra = prepareQuery(with_values(query.text, bound)).algebra  # every bound value parses
    given = query.param(param).variable in bound
    assert shape(algebra, names) == reference_shape(name, param, given)
    if given:  # and reaches the query as the very term that was bound
        assert bound_rows(algebra, names) == [{Variable(k): t for k, t in bound.items()}]


def test_an_iri_with_a_control_character_is_refused_by_the_binder() -> None:
    with pytest.raises(QueryError, match="not a valid iri"):
        QUERIES["measures-for-problem"].bind({"problem": "https://example.org/a\x01b"})


@pytest.mark.parametrize("value", EDGES)
def test_an_iri_ending_in_a_control_or_space_is_refused_naming_the_parameter(value: str) -> None:
    with pytest.raises(QueryError, match="parameter 'problem' is not a valid iri"):
        QUERIES["measures-for-problem"].bind({"problem": value})


def test_a_tab_in_a_value_reaches_rdflib_intact() -> None:
    query = QUERIES["search"]
    bound = query.bind({"q": "a\tb"})
    algebra = prepareQuery(with_values(query.text, bound)).algebra
    assert bound_rows(algebra, {Variable("q")}) == [{Variable("q"): bound["q"]}]


@pytest.fixture(scope="module")
def app(graph_file: Path) -> Iterator[Flask]:
    app = create_app({"graph": str(graph_file), "query_workers": 2})
    yield app
    close(app)


@pytest.mark.parametrize(("name", "param"), PARAMS)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=VALUES)
@example(value="https://example.org/a\x01b")
@example(value="A:\n")
@example(value="https://example.org/a\x7f")
def test_no_value_makes_the_api_fail(app: Flask, name: str, param: str, value: str) -> None:
    query = QUERIES[name]
    fields = {**others(query, param), param: value}
    response = app.test_client().get(f"/api/queries/{name}", query_string=fields)
    assert response.status_code in (200, 400), response.get_data(as_text=True)
    body = response.get_json()
    assert ("results" in body) if response.status_code == 200 else body["error"]


@pytest.mark.parametrize("value", EDGES)
def test_the_api_refuses_such_an_iri_with_the_binders_400(app: Flask, value: str) -> None:
    response = app.test_client().get(
        "/api/queries/measures-for-problem", query_string={"problem": value}
    )
    assert response.status_code == 400
    assert "parameter 'problem' is not a valid iri" in response.get_json()["error"]
