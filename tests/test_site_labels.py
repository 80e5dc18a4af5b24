"""The site speaks to people: no cell of the main pages, and no cell of a saved query's CSV,
shows a prefixed name (CURIE) or a full IRI where the term has a label."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from edugraph.web import close, create_app

BROWSER = {"Accept": "text/html"}
PAGES = [
    "/?min=0",
    "/reports",
    "/findings",
    "/id/report/chongqing-2020/problem/1",
    "/id/report/chongqing-2020/measure/17",
    "/id/body/chongqing-government",
    "/id/indicator/counsellor-student-ratio",
    "/queries/targets",
    "/queries/observations",
    "/queries/problem-responses",
    "/compare?concept=stage/preschool",
    "/compare?indicator=public-kindergarten-share",
]
CURIE = re.compile(r"\b(?:edu|unit|sh|xsd|skos|rdfs|prov|qb|org|currency|cur):[A-Za-z]")
IRI = re.compile(r"\bhttps?://")
CELL = re.compile(r"<(td|dd)[^>]*>(.*?)</(?:td|dd)>", re.S)
TAG = re.compile(r"<[^>]+>")
CODE = re.compile(r"<code>.*?</code>", re.S)  # a vocabulary term's name, beside its label


@pytest.fixture(scope="module")
def app(site_file: Path) -> Iterator[Flask]:
    app = create_app({"graph": str(site_file), "query_workers": 2})
    yield app
    close(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def cells(html: str) -> list[str]:
    return [TAG.sub("", CODE.sub("", c)).strip() for _, c in CELL.findall(html)]


@pytest.mark.parametrize("path", PAGES)
def test_no_cell_shows_a_curie_or_an_iri(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers=BROWSER)
    assert response.status_code == 200
    found = cells(response.get_data(as_text=True))
    assert found, f"{path} has no table"
    bad = [c for c in found if CURIE.search(c) or IRI.search(c)]
    assert not bad, f"{path}: {bad[:5]}"


def test_csv_download_shows_labels_unless_asked_for_iris(client: FlaskClient) -> None:
    def read(query: str) -> list[dict[str, str]]:
        body = client.get(query).get_data().decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(body)))

    labelled = read("/queries/targets.csv")
    raw = read("/queries/targets.csv?labels=false")
    assert len(labelled) == len(raw) > 0
    assert all(r["status"].startswith("https://") for r in raw)
    assert "已达成" in {r["status"] for r in labelled}
    for row in labelled:
        assert not any(IRI.search(v) or CURIE.search(v) for k, v in row.items() if k != "target")


def test_figures_read_as_people_write_them(client: FlaskClient) -> None:
    page = client.get("/queries/observations", headers=BROWSER).get_data(as_text=True)
    assert re.search(r'<td title="[0-9.]+">[0-9.]+亿元</td>', page)
    assert re.search(r'<td title="[0-9.]+">[0-9.]+万人</td>', page)
    assert '<td title="98.46">98.46%</td>' in page


def test_indicator_page_charts_figures_with_the_standard_line_and_says_the_status(
    client: FlaskClient,
) -> None:
    page = client.get("/id/indicator/public-kindergarten-share", headers=BROWSER)
    html = page.get_data(as_text=True)
    svg = html.split('<svg class="chart"', 1)[1].split("</svg>", 1)[0]
    assert '<g class="rule standard">' in svg and "国家标准 50%" in svg
    assert '<g class="rule target">' in svg
    assert svg.count("<circle") >= 2  # a figure from each report
    assert "<script" not in html
    words = html.split('<ul class="status-words">', 1)[1].split("</ul>", 1)[0]
    assert "45.2%（2020）" in words and "未达到 missed" in words  # Nanling, after its deadline
    assert "41%（2019）" in words and "未到期 short, not yet due" in words  # Chongqing, before


def test_compare_shows_every_report_sorted_with_the_standard(client: FlaskClient) -> None:
    choices = client.get("/compare", headers=BROWSER).get_data(as_text=True)
    assert "公办幼儿园在园幼儿占比（2 份报告 reports）" in choices
    html = client.get(
        "/compare", query_string={"indicator": "public-kindergarten-share"}, headers=BROWSER
    ).get_data(as_text=True)
    svg = html.split('<svg class="chart"', 1)[1].split("</svg>", 1)[0]
    assert svg.index("南岭省") < svg.index("重庆市")  # 45.2% before 41%
    assert '<g class="rule standard">' in svg and "国家标准 ≥50%" in svg
    table = html.split('<table class="compare">', 1)[1]
    assert '<td class="number" title="45.2">45.2%</td>' in table
    rows = list(csv.DictReader(io.StringIO(
        client.get(html.split('CSV: <a href="', 1)[1].split('"', 1)[0].replace("&amp;", "&"))
        .get_data().decode("utf-8-sig")
    )))  # fmt: skip
    assert {r["regionLabel"] for r in rows} == {"重庆市", "南岭省"}


def test_targets_page_has_a_small_bar_per_target_agreeing_with_its_status(
    client: FlaskClient,
) -> None:
    html = client.get("/targets", headers=BROWSER).get_data(as_text=True)
    rows = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]
    assert len(rows) > 10
    for row in rows:
        if 'class="small-bar"' in row and ("已达成" in row or "未达成" in row):
            assert ("已达到 met" in row) == ("已达成" in row), row
    counsellor = next(r for r in rows if "辅导员" in r)
    assert "未达到 short" in counsellor and "1:217" in counsellor
