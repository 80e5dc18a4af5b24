"""The HTML pages page as the API does: "1–7 of N", first / previous / next / last links
that keep the form's fields, and walking them gives every row once, in the API's order."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from edugraph.query.safety import MAX_QUERY
from edugraph.query.tasks import Answer
from edugraph.web import close, create_app
from edugraph.web.pages import report_checks

BROWSER = {"Accept": "text/html"}
ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
LINK = re.compile(r'<a rel="(\w+)" href="([^"]*)"')


@pytest.fixture(scope="module")
def app(graph_file: Path) -> Iterator[Flask]:
    app = create_app({"graph": str(graph_file), "query_workers": 1, "page_size": 40})
    yield app
    close(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def page(client: FlaskClient, url: str) -> tuple[list[str], dict[str, str], str]:
    """A page's table rows, its pager's links by relation, and its text."""
    response = client.get(url, headers=BROWSER)
    assert response.status_code == 200, url
    text = response.get_data(as_text=True)
    body = text.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in text else ""
    links = {rel: html.unescape(href) for rel, href in LINK.findall(text)}
    return ROW.findall(body), links, text


def test_walking_the_html_pages_gives_every_row_once(client: FlaskClient) -> None:
    whole, _, _ = page(client, "/queries/observations?per_page=10000")
    total = client.get("/api/queries/observations").headers["X-Total-Count"]
    assert len(whole) == int(total) > 14
    seen: list[str] = []
    url: str | None = "/queries/observations?per_page=7"
    while url is not None:
        rows, links, text = page(client, url)
        first = len(seen) + 1
        assert f"{first:,}–{first + len(rows) - 1:,} of {int(total):,}" in text
        seen += rows
        url = links.get("next")
    assert seen == whole


def test_the_pager_keeps_the_forms_fields(client: FlaskClient) -> None:
    _, links, _ = page(client, "/queries/search?q=学校&report=&per_page=2")
    assert set(links) == {"next", "last"}  # the first page: no first, no previous
    assert "q=%E5%AD%A6%E6%A0%A1" in links["next"] and "per_page=2" in links["next"]
    assert "page=2" in links["next"] and "report=" not in links["next"]
    _, links, _ = page(client, links["next"])
    assert {"first", "prev"} <= set(links) and "q=" in links["prev"] and "page=1" in links["prev"]


@pytest.mark.parametrize("path", ["/reports", "/findings", "/targets", "/"])
def test_list_pages_page(client: FlaskClient, path: str) -> None:
    query = {"/reports": "reports", "/findings": "findings", "/targets": "targets"}
    name = query.get(path, "problem-responses")
    total = int(client.get(f"/api/queries/{name}").headers["X-Total-Count"])
    _, links, text = page(client, f"{path}?per_page=1")
    assert f"1–1 of {total:,}" in text
    assert ("next" in links) == (total > 1)
    if total > 1:
        assert "per_page=1" in links["next"] and "page=2" in links["next"]


def test_a_bad_page_on_a_page_names_it(client: FlaskClient) -> None:
    response = client.get("/queries/observations?page=0", headers=BROWSER)
    assert response.status_code == 400
    assert "parameter &#39;page&#39;" in response.get_data(as_text=True)


def test_the_home_pages_checks_are_asked_for_its_reports_in_short_queries() -> None:
    asked: list[str] = []

    class Service:
        def run(self, text: str) -> Answer:
            asked.append(text)
            return Answer(results={"head": {"vars": []}, "results": {"bindings": []}})

    iris = {f"https://w3id.org/edugraph/id/report/county-{i:04d}-2021" for i in range(900)}
    assert report_checks(Service(), set()) == [] and not asked  # type: ignore[arg-type]
    assert report_checks(Service(), iris) == []  # type: ignore[arg-type]
    assert len(asked) > 1 and all(len(text) < MAX_QUERY for text in asked)
    assert {i for text in asked for i in re.findall(r"<(https://[^>]*county[^>]*)>", text)} == iris
