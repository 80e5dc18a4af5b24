"""A person with a browser: headless Chromium, with JavaScript off, on a real server
(`edugraph serve`) holding two reports, goes from the home page to the list of reports, to
a report, to a problem, to a measure that addresses it, to the body responsible for it and
back, and reads what each page says; an indicator's chart and the comparison of reports are
drawn without JavaScript, and two reports are set side by side on a stage. Screenshots of the pages are kept for review in
`build/test-artefacts/screenshots/` (or under $EDUGRAPH_ARTEFACTS).

Chromium is Debian's (/usr/bin/chromium), driven by Playwright's Python package; `make test`
and CI install it when they run as root. Without it the test is skipped with the reason —
except in CI (CI=true), where a missing browser is a failure, never a silent skip.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect, sync_playwright

from tests.test_web_server import HOST, start_server

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTEFACTS = Path(
    os.environ.get("EDUGRAPH_ARTEFACTS") or Path(__file__).parents[1] / "build" / "test-artefacts"
)
PROBLEM = "学前教育仍有差距"
CHONGQING = "2019年以来履行教育职责情况自查自评报告"
MEASURE = "加强主城区幼儿园规划用地建设管理"
BODY = "重庆市人民政府"


def chromium() -> Path:
    """The browser, or a skip that says why (a failure in CI)."""
    if CHROMIUM.is_file():
        return CHROMIUM
    how = "apt-get install chromium (`make test` and .ci/run do it when run as root)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing in CI: {how}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.fail(f"{CHROMIUM} is missing but could be installed: {how}")
    pytest.skip(f"{CHROMIUM} is missing and cannot be installed without root: {how}")


@pytest.fixture(scope="module")
def server(site_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("browser-server") / "stderr.log"
    port, process = start_server(site_file, log, {"query_workers": "2"})
    try:
        yield f"http://{HOST}:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(
    server: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[BrowserContext, list[str]]]:
    """A fresh profile, JavaScript off, and every request for anything but the server
    refused (and recorded: a page should need nothing from elsewhere)."""
    executable = chromium()
    profile = tmp_path_factory.mktemp("chromium-profile")
    elsewhere: list[str] = []

    def refuse(route: Route) -> None:
        elsewhere.append(route.request.url)
        route.abort()

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(executable),
            headless=True,
            args=FLAGS,
            java_script_enabled=False,
            locale="zh-CN",
        )
        context.route(re.compile(rf"^(?!{re.escape(server)}/)"), refuse)
        try:
            yield context, elsewhere
        finally:
            context.close()


def heading(page: Page) -> str:
    return page.locator("h1").inner_text()


def keep(page: Page, name: str) -> None:
    """A screenshot of the whole page, kept for a person to review."""
    folder = ARTEFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_from_a_problem_to_a_measure_to_its_body_and_back(
    server: str, browser: tuple[BrowserContext, list[str]]
) -> None:
    context, elsewhere = browser
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server}/")
    assert heading(page) == "哪些措施回应了哪些问题"
    assert page.title() == "存在问题与改进措施 · edugraph"
    assert page.evaluate("document.characterSet") == "UTF-8"
    expect(page.locator("h2.report-title")).to_have_count(2)  # grouped by report
    keep(page, "home")

    page.get_by_role("link", name="报告 Reports", exact=True).click()  # the list of reports
    expect(page).to_have_url(f"{server}/reports")
    expect(page.locator("table.reports tbody tr")).to_have_count(2)
    expect(page.locator("table.reports tbody tr").first).to_contain_text("省级")  # its level
    keep(page, "reports")

    page.locator("table.reports").get_by_role("link", name=CHONGQING, exact=True).click()
    expect(page).to_have_url(f"{server}/id/report/chongqing-2020")  # a report
    expect(page.locator("h1 .badge.warning")).to_have_text("1 警告 Warning")
    keep(page, "report")

    page.get_by_role("link", name=PROBLEM, exact=True).first.click()  # the problem
    expect(page).to_have_url(f"{server}/id/report/chongqing-2020/problem/1")
    assert heading(page) == PROBLEM
    keep(page, "problem")
    answers = page.locator("section", has=page.get_by_role("heading", name="回应此问题的措施"))
    expect(answers).to_contain_text(MEASURE)
    expect(answers).to_contain_text("推断")  # how the link was made
    expect(page.locator("blockquote mark")).to_have_text(
        "一是学前教育仍有差距。公办幼儿园在园幼儿占比距离50%的目标还有一定差距。"
    )

    answers.get_by_role("link", name=MEASURE, exact=True).click()  # a measure that answers it
    expect(page).to_have_url(f"{server}/id/report/chongqing-2020/measure/17")
    assert heading(page) == MEASURE
    source = page.locator("blockquote mark").inner_text()
    assert source.startswith("17.加强主城区幼儿园规划用地建设管理，通过新建、改建、回收、回购")
    bodies = page.locator("section", has=page.get_by_role("heading", name="责任主体"))
    expect(bodies).to_contain_text(f"{BODY}（牵头，默认（文中未写明））")
    keep(page, "measure")

    bodies.get_by_role("link", name=BODY, exact=True).click()  # the body responsible
    expect(page).to_have_url(f"{server}/id/body/chongqing-government")
    assert heading(page) == BODY
    expect(page.locator(".label-en")).to_have_text("Chongqing People's Government")
    roles = page.locator("section", has=page.get_by_role("heading", name="承担的措施"))
    expect(roles.locator("h3").first).to_have_text("牵头")
    keep(page, "body")

    roles.get_by_role("link", name=MEASURE, exact=True).click()  # and back to the measure
    expect(page).to_have_url(f"{server}/id/report/chongqing-2020/measure/17")
    page.get_by_role("link", name="在全文中查看 In the report's text").click()  # its sentence
    expect(page).to_have_url(f"{server}/id/report/chongqing-2020/text#char=2914,3000")
    anchor = page.locator("[id='char=2914,3000']").bounding_box()
    assert anchor is not None and abs(anchor["y"]) < 100  # scrolled to the sentence
    assert page.evaluate("window.scrollY") > 1000

    page.go_back()
    page.get_by_role("link", name=PROBLEM, exact=True).first.click()  # back to the problem
    expect(page).to_have_url(f"{server}/id/report/chongqing-2020/problem/1")
    assert heading(page) == PROBLEM
    assert elsewhere == []  # no page asked for anything from another site


def test_an_indicator_is_drawn_with_its_standard_and_compared_across_reports(
    server: str, browser: tuple[BrowserContext, list[str]]
) -> None:
    context, elsewhere = browser
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server}/id/indicator/public-kindergarten-share")
    chart = page.locator("svg.chart")
    expect(chart).to_be_visible()
    expect(chart.locator("g.rule.standard line")).to_have_count(1)  # the reference line
    expect(chart.locator("g.rule.standard text")).to_have_text("国家标准 50%")
    expect(page.locator("ul.status-words li")).to_have_count(2)
    keep(page, "indicator")

    page.goto(f"{server}/compare")
    page.select_option("#indicator", label="公办幼儿园在园幼儿占比（2 份报告 reports）")
    page.get_by_role("button", name="比较 Compare").click()  # a form, no JavaScript
    expect(page).to_have_url(re.compile(r"/compare\?indicator="))
    bars = page.locator("svg.chart g.bar")
    expect(bars).to_have_count(2)
    expect(bars.nth(0)).to_contain_text("南岭省")
    expect(bars.nth(1)).to_contain_text("重庆市")
    expect(page.locator("table.compare tbody tr")).to_have_count(2)
    keep(page, "compare")

    page.select_option("#concept", label="学段：学前教育（2 份报告 reports）")
    page.get_by_role("button", name="并列 Side by side").click()  # a stage, side by side
    expect(page).to_have_url(re.compile(r"/compare\?concept="))
    side = page.locator("table.side-by-side")
    expect(side.locator("thead th")).to_have_count(3)  # a column per report, after the rows'
    expect(side.locator("tr.problems td").nth(0)).to_contain_text(PROBLEM)
    expect(side.locator("tr.problems td").nth(1)).to_contain_text("公办学前教育资源总量不足")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, f"the side-by-side comparison is {width} px wide"
    keep(page, "compare-stage")

    page.goto(f"{server}/targets")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, f"the targets page is {width} px wide in a 1,280 px window"
    keep(page, "targets")
    page.goto(f"{server}/findings")
    expect(page.locator("table.findings tbody tr").first).to_contain_text("辅导员")
    keep(page, "findings")
    assert elsewhere == []
