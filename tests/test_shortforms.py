"""Short forms of IRI parameters, on a stand-in for the dataset: which IRIs exist and which
labels they have. The full path through the CLI is in test_cli_people."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.term import Identifier

from edugraph.errors import QueryError
from edugraph.query.engines import Results
from edugraph.query.queries import Param, SavedQuery
from edugraph.query.shortforms import EXISTS, expand, short

BASE = "https://w3id.org/edugraph/"
REPORT = f"{BASE}id/report/chongqing-2020"
BODY = f"{BASE}id/body/chongqing-government"
ORGANIZATION = "http://www.w3.org/ns/org#Organization"
LABELS = {
    "重庆市人民政府": [(BODY, ORGANIZATION)],
    "差距": [(f"{REPORT}/problem/1", ""), (f"{REPORT}/problem/2", "")],
}
QUERY = SavedQuery("q", Path("q.rq"), "", "", params=(Param("x", "iri", cls="org:Organization"),))


def lookup(text: str, bindings: dict[str, Identifier]) -> Results:
    """Answers the two lookups as a dataset holding REPORT, BODY and the LABELS would."""
    if text == EXISTS:
        found = str(bindings["x"]) in (REPORT, BODY)
        rows = [{"x": {"type": "uri", "value": str(bindings["x"])}}] if found else []
    else:
        rows = [
            {
                "x": {"type": "uri", "value": iri},
                **({"class": {"type": "uri", "value": cls}} if cls else {}),
            }
            for iri, cls in LABELS.get(str(bindings["text"]), [])
        ]
    return {"head": {"vars": ["x"]}, "results": {"bindings": rows}}


@pytest.mark.parametrize(
    ("given", "iri"),
    [
        ("chongqing-2020", REPORT),
        ("/id/report/chongqing-2020/", REPORT),
        ("body/chongqing-government", BODY),
        ("重庆市人民政府", BODY),
        (REPORT, REPORT),
        ("org:Organization", ORGANIZATION),
    ],
)
def test_each_form_names_one_iri(given: str, iri: str) -> None:
    assert expand(QUERY, {"x": given}, base=BASE, lookup=lookup) == {"x": iri}


def test_short_is_read_back_as_the_same_iri() -> None:
    for iri in (REPORT, BODY):
        assert expand(QUERY, {"x": short(iri, BASE)}, base=BASE, lookup=lookup) == {"x": iri}


def test_an_ambiguous_label_names_the_candidates() -> None:
    with pytest.raises(
        QueryError,
        match=r"'差距' is the label of chongqing-2020/problem/1, chongqing-2020/problem/2",
    ):
        expand(QUERY, {"x": "差距"}, base=BASE, lookup=lookup)


def test_an_unknown_value_lists_the_forms() -> None:
    with pytest.raises(QueryError, match=r"a short form .* or the exact label of one resource"):
        expand(QUERY, {"x": "chongqing-2021"}, base=BASE, lookup=lookup)
