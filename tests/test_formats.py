"""The format registry is the one table every surface reads: the CLI's choices, HTTP
negotiation, the remote store client and the dataset loaders agree with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from edugraph import formats
from edugraph.cli.query import FORMATS, GRAPH_FORMATS
from edugraph.errors import InputError
from edugraph.query.results import MEDIA_TYPES
from edugraph.stores.remote import GRAPH_TYPES as REMOTE_GRAPH_TYPES
from edugraph.web.formats import ASK_TYPES, GRAPH_TYPES, SELECT_TYPES


def test_every_surface_offers_what_the_registry_holds() -> None:
    results = {f.key for f in formats.RESULTS}
    graphs = {f.key for f in formats.graph_formats()}
    assert set(FORMATS) == {"table"} | results | graphs and set(GRAPH_FORMATS) == graphs
    assert set(SELECT_TYPES) == results and set(GRAPH_TYPES) == graphs
    assert set(ASK_TYPES) == {"json", "xml"}, "CSV and TSV cannot carry a boolean"
    assert set(MEDIA_TYPES) - {"table"} == results
    assert set(REMOTE_GRAPH_TYPES.values()) <= {f.rdflib for f in formats.ALL}


def test_a_dataset_file_is_trig_or_nquads_only() -> None:
    assert formats.dataset_format_of(Path("x.nq")) is formats.NQUADS
    with pytest.raises(InputError, match="TriG"):
        formats.dataset_format_of(Path("x.ttl"))
