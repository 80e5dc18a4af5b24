from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings

from edugraph.queries import load_queries
from edugraph.web import close, create_app
from edugraph.web.openapi import document
from tests.conftest import ROOT

schema = schemathesis.openapi.from_dict(document(load_queries(ROOT / "queries"), graph_version="x"))


@pytest.fixture(scope="module")
def app(graph_file: Path) -> Iterator[Flask]:
    app = create_app({"graph": str(graph_file), "query_workers": 2})
    yield app
    close(app)


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_api(case, app) -> None:
    case.call_and_validate(app=app)
