"""`topic-by-report` keeps a figure given in an element of a stage only when its indicator has
no stage of its own. It says so with an OPTIONAL and `!BOUND` rather than `FILTER NOT EXISTS`,
which Oxigraph evaluated against every indicator for each figure (110 s at R = 300 for the
whole listing's figures, 2 s so): the rows and their order must be the plain query's, for each
concept and for the whole (the listing's summary)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from edugraph.query.engines import OxigraphEngine
from edugraph.query.paging import ordered_text
from edugraph.query.postings import summary_text
from edugraph.query.queries import SavedQuery, load_queries
from edugraph.resources import resource

OPTIONAL = (
    "      OPTIONAL { ?item edu:indicator ?ownIndicator . ?ownIndicator edu:stage ?ownStage }\n"
    "      FILTER(!BOUND(?ownStage))\n"
)
PLAIN = "      FILTER NOT EXISTS { ?item edu:indicator/edu:stage ?stage }\n"


@pytest.fixture(scope="module")
def query() -> SavedQuery:
    return load_queries(Path(resource("queries")))["topic-by-report"]


def plain(text: str) -> str:
    """The query as first written, with NOT EXISTS."""
    assert text.count(OPTIONAL) == 1
    return text.replace(OPTIONAL, PLAIN)


def rows(engine: OxigraphEngine, text: str, **bound: str) -> list[dict[str, object]]:
    terms = {k: URIRef(v) for k, v in bound.items()}
    return list(engine.select(text, terms)["results"]["bindings"])


def test_each_concepts_rows_and_order_are_the_plain_querys(
    site_file: Path, query: SavedQuery
) -> None:
    engine = OxigraphEngine(site_file, disk=False)
    concepts = rows(
        engine,
        "SELECT DISTINCT ?c WHERE { ?x <https://w3id.org/edugraph/ontology#stage>"
        "|<https://w3id.org/edugraph/ontology#topic> ?c } ORDER BY ?c",
    )
    assert len(concepts) > 3
    ordered = ordered_text(query.text, query.variables)
    unfiltered = ordered.replace(OPTIONAL, "")
    narrowed = 0
    for concept in (c["c"]["value"] for c in concepts):
        found = rows(engine, ordered, concept=concept)
        assert found == rows(engine, plain(ordered), concept=concept), concept
        narrowed += len(rows(engine, unfiltered, concept=concept)) - len(found)
    assert narrowed > 0  # the filter drops figures here: the two texts are compared on it
    whole = summary_text(query)
    assert rows(engine, whole) == rows(engine, plain(whole))
