"""Saved queries page: over the API (page, per_page, Link headers, the count) and on the
command line (--page, --per-page, the note); walking every page gives every row once."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from edugraph.cli import cli
from edugraph.query.paging import Page, page_text, pages
from edugraph.web import close, create_app

LINK = re.compile(r'<([^>]*)>; rel="(\w+)"')


@pytest.fixture(scope="module")
def app(graph_file: Path) -> Iterator[Flask]:
    app = create_app({"graph": str(graph_file), "query_workers": 1, "page_size": 40})
    yield app
    close(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def rels(header: str) -> dict[str, str]:
    return {rel: url for url, rel in LINK.findall(header)}


def keys(rows: list[dict[str, dict[str, str]]]) -> list[tuple[str, ...]]:
    return [tuple(sorted((k, v["value"]) for k, v in row.items())) for row in rows]


def test_the_second_page_with_links_and_count(client: FlaskClient) -> None:
    every = client.get("/api/queries/observations?per_page=10000").get_json()
    rows = every["results"]["bindings"]
    assert len(rows) == 96
    second = client.get("/api/queries/observations?page=2")
    assert second.status_code == 200
    assert keys(second.get_json()["results"]["bindings"]) == keys(rows[40:80])
    assert second.headers["X-Total-Count"] == "96"
    links = rels(second.headers["Link"])
    assert set(links) == {"next", "prev", "first", "last"}
    assert links["next"].endswith("/api/queries/observations?page=3")
    assert links["prev"].endswith("?page=1") and links["last"].endswith("?page=3")
    first = client.get("/api/queries/observations")
    assert "prev" not in rels(first.headers["Link"])
    last = client.get("/api/queries/observations?page=3")
    assert "next" not in rels(last.headers["Link"])


def test_walking_the_links_gives_every_row_once(client: FlaskClient) -> None:
    whole = client.get("/api/queries/problem-responses?per_page=10000").get_json()
    expected = keys(whole["results"]["bindings"])
    seen: list[tuple[str, ...]] = []
    url: str | None = "/api/queries/problem-responses?per_page=7"
    while url is not None:
        response = client.get(url)
        seen += keys(response.get_json()["results"]["bindings"])
        url = rels(response.headers["Link"]).get("next")
    assert len(expected) > 14
    assert sorted(seen) == sorted(expected) and len(seen) == len(set(seen)) == len(expected)


def test_other_parameters_stay_in_the_links(client: FlaskClient) -> None:
    response = client.get("/api/queries/search?q=学校&per_page=2&format=json")
    links = rels(response.headers["Link"])
    assert "per_page=2" in links["next"] and "q=" in links["next"] and "page=2" in links["next"]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("page=0", "page"),
        ("page=x", "page"),
        ("page=-1", "page"),
        ("per_page=0", "per_page"),
        ("per_page=10001", "per_page"),
        ("per_page=1.5", "per_page"),
    ],
)
def test_a_bad_page_is_a_400_naming_it(client: FlaskClient, query: str, name: str) -> None:
    response = client.get(f"/api/queries/observations?{query}")
    assert response.status_code == 400
    assert f"parameter {name!r}" in response.get_json()["error"]


def test_a_page_past_the_end_is_empty(client: FlaskClient) -> None:
    response = client.get("/api/queries/observations?page=9")
    assert response.status_code == 200
    assert response.get_json()["results"]["bindings"] == []
    assert response.headers["X-Total-Count"] == "96"


def test_openapi_lists_page_and_per_page(client: FlaskClient) -> None:
    document = client.get("/api/openapi.json").get_json()
    operation = document["paths"]["/api/queries/observations"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["page"]["schema"]["minimum"] == 1
    assert params["per_page"]["schema"]["default"] == 40
    assert "Link" in operation["responses"]["200"]["headers"]


def test_the_cli_walks_every_page(graph_file: Path) -> None:
    def run(*args: str) -> tuple[list[dict[str, str]], str]:
        result = CliRunner().invoke(
            cli, ["query", "observations", "--graph", str(graph_file), "--format", "csv", *args]
        )
        assert result.exit_code == 0, result.stderr
        return list(csv.DictReader(io.StringIO(result.stdout))), result.stderr

    whole, note = run("--per-page", "1000")
    assert len(whole) == 96 and note == ""
    seen: list[dict[str, str]] = []
    for number in range(1, 5):
        rows, note = run("--per-page", "25", "--page", str(number))
        seen += rows
    assert "rows 76–96 of 96 (page 4 of 4)" in note
    assert [tuple(r.values()) for r in seen] == [tuple(r.values()) for r in whole]
    _, note = run("--per-page", "25")
    assert "rows 1–25 of 96 (page 1 of 4; the next: --page 2)" in note


def test_the_cli_names_a_bad_page(graph_file: Path) -> None:
    result = CliRunner().invoke(
        cli, ["query", "problems", "--graph", str(graph_file), "--page", "zero"]
    )
    assert result.exit_code == 2
    assert "parameter 'page'" in result.stderr


def test_the_order_is_made_total() -> None:
    text = "PREFIX a: <x:>\nSELECT ?s ?o WHERE { ?s a:p ?o } ORDER BY DESC(?o)\n"
    paged = page_text(text, ("s", "o"), Page(3, 10))
    assert paged.endswith("ORDER BY DESC(?o) ?s\nLIMIT 10 OFFSET 20\n")
    bare = page_text("SELECT * WHERE { ?s ?p ?o }", ("s", "p", "o"), Page())
    assert "ORDER BY ?s ?p ?o\nLIMIT 100 OFFSET 0" in bare
    assert not pages("SELECT * WHERE { ?s ?p ?o } LIMIT 5")
    assert not pages("ASK { ?s ?p ?o }")
