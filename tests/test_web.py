"""The web app, in process through Flask's test client."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from edugraph.errors import ConfigError
from edugraph.web import create_app


@pytest.fixture(scope="module")
def client(graph_file: Path) -> FlaskClient:
    return create_app({"graph": str(graph_file)}).test_client()


def test_home_lists_problems_with_their_measures(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    for label in ("学前教育仍有差距", "义务教育仍有差距", "职业教育仍有差距"):
        assert label in page
    preschool = page[page.index("学前教育仍有差距") : page.index("义务教育仍有差距")]
    assert "推进学前教育普惠发展" in preschool  # plan (一), stated
    assert "加强主城区幼儿园规划用地建设管理" in preschool  # measure 17, inferred


def test_unknown_setting_is_refused(graph_file: Path) -> None:
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        create_app({"graph": str(graph_file), "colour": "blue"})
