"""The Chongqing report as other governments' copies of the genre look: in traditional script,
with ASCII punctuation, with other part titles, cut after its second part, and with a part of
unknown kind. Each builds without --allow-invalid; what the text holds stays in the graph."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import opencc
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from edugraph.cli import cli
from edugraph.ingest.report import ingest
from edugraph.records import Report
from edugraph.reference import Reference
from edugraph.vocab import EDU, SH, Iris
from tests.conftest import CHONGQING

KINDS = ("achievement", "area", "measure", "problem", "plan")
ASCII = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")"})
TITLES = {
    "一、工作成效": "一、履行教育职责取得的主要成效",
    "二、主要做法": "二、贯彻落实党的教育方针和履行教育职责情况",
    "三、存在问题及改进措施": "三、存在的主要问题和下一步工作打算",
}


def traditional(text: str) -> str:
    return str(opencc.OpenCC("s2t").convert(text))


def ascii_punctuation(text: str) -> str:
    return text.translate(ASCII)


def other_titles(text: str) -> str:
    for old, new in TITLES.items():
        assert old in text
        text = text.replace(old, new)
    return text


def cut_after_second_part(text: str) -> str:
    return text[: text.index("三、存在问题及改进措施")]


VARIANTS: dict[str, Callable[[str], str]] = {
    "traditional": traditional,
    "ascii": ascii_punctuation,
    "titles": other_titles,
    "cut": cut_after_second_part,
}


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("variants") / "sources"
    folder.mkdir()
    text = CHONGQING.read_text(encoding="utf-8")
    for name, change in VARIANTS.items():
        (folder / f"chongqing-{name}.txt").write_text(change(text), encoding="utf-8")
        shutil.copy(CHONGQING.with_suffix(".toml"), folder / f"chongqing-{name}.toml")
    return folder


@pytest.fixture(scope="module")
def published(variants: Path) -> tuple[int, str, str]:
    out = variants.parent / "g.trig"
    args = ["build", "--sources", str(variants), "--out", str(out)]
    result = CliRunner().invoke(cli, [*args, "--curation", str(variants / "none")])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.slow
def test_every_variant_builds_without_allow_invalid(published: tuple[int, str, str]) -> None:
    code, stdout, stderr = published
    assert code == 0, stderr[-3000:]
    for name in VARIANTS:
        assert f"  chongqing-{name}: " in stdout
    assert stdout.count("coverage 100.0% of the text") == len(VARIANTS)


def counts(report: Report) -> dict[str, int]:
    return {k: len(report.of_kind(k)) for k in KINDS}


def values(report: Report) -> Counter[tuple[Decimal, str]]:
    return Counter((o.value, o.unit) for o in report.observations)


@pytest.mark.parametrize("name", ["traditional", "ascii", "titles"])
def test_variant_has_the_same_outline_and_figures(
    name: str, variants: Path, chongqing: Report, reference: Reference
) -> None:
    report = ingest(variants / f"chongqing-{name}.txt", reference)
    assert counts(report) == counts(chongqing)
    assert counts(chongqing) == {
        "achievement": 6,
        "area": 12,
        "measure": 31,
        "problem": 5,
        "plan": 5,
    }
    assert report.coverage == 1.0
    same = sum((values(report) & values(chongqing)).values())
    assert same >= 0.95 * len(chongqing.observations), (same, len(chongqing.observations))


def test_traditional_copy_is_quoted_as_written(
    variants: Path, reference: Reference, chongqing: Report
) -> None:
    report = ingest(variants / "chongqing-traditional.txt", reference)
    assert report.parts[0].title == "工作成效"
    area = report.element("area/1")
    assert area.span.text == report.text[area.span.begin : area.span.end]
    assert "黨" in area.span.text  # the source's characters, not the matching copy's
    # stages, duty areas and bodies are found through the simplified copy
    for element in chongqing.elements:
        copy = report.element(element.local_id)
        assert (copy.stages, copy.duty_areas) == (element.stages, element.duty_areas)
        assert [b.body for b in copy.bodies] == [b.body for b in element.bodies]


def test_cut_copy_keeps_what_it_has(variants: Path, reference: Reference) -> None:
    report = ingest(variants / "chongqing-cut.txt", reference)
    assert counts(report) == {"achievement": 6, "area": 12, "measure": 31, "problem": 0, "plan": 0}
    assert report.coverage == 1.0


def test_cut_copy_is_a_warning_not_a_refusal(
    variants: Path, published: tuple[int, str, str]
) -> None:
    graph = Dataset()
    graph.parse(variants.parent / "g.trig", format="trig")
    findings = Iris().graph("findings/chongqing-cut")
    messages = {str(o) for o in graph.graph(findings).objects(None, SH.resultMessage)}
    text = " ".join(messages)
    assert "the report states no problems" in text and "the report states no plans" in text
    complete = " ".join(
        str(o) for o in graph.graph(Iris().graph("findings/chongqing-ascii")).objects()
    )
    assert "the report states no problems" not in complete


UNKNOWN = """某某县人民政府
2021年度履行教育职责情况自评报告
一、附件说明
县教育局会同县财政局安排资金500万元，新建学校2所。
（一）学校布局
全县有小学20所、初中6所。
二、存在问题
1.县城学位紧张，大班额仍有3个。
"""

META = """title = "2021年度履行教育职责情况自评报告"
issuer = "某某县人民政府"
issuer_en = "Mou County People's Government"
region = "mou-county"
region_zh = "某某县"
region_en = "Mou County"
level = "county"
period_start = "2021-01-01"
period_end = "2021-12-31"
issued = "2022"
"""


def build_one(tmp_path: Path, text: str) -> tuple[Graph, str]:
    """Build one made-up county report with the CLI; its graph and what the build printed."""
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "mou-county-2021.txt").write_text(text, encoding="utf-8")
    (sources / "mou-county-2021.toml").write_text(META, encoding="utf-8")
    out = tmp_path / "g.trig"
    args = ["build", "--sources", str(sources), "--out", str(out)]
    result = CliRunner().invoke(cli, [*args, "--curation", str(tmp_path / "none")])
    assert result.exit_code == 0, result.stderr
    data = Dataset()
    data.parse(out, format="trig")
    return data.graph(Iris().graph("report/mou-county-2021")), result.stdout


def test_part_of_unknown_kind_keeps_its_text_figures_and_bodies(tmp_path: Path) -> None:
    g, printed = build_one(tmp_path, UNKNOWN)
    assert "coverage 100.0%" in printed
    report = Iris().report("mou-county-2021")
    part = URIRef(f"{report}/part/1")
    assert (part, EDU.partKind, Iris().concept("part-kind", "other")) in g
    intro, section = URIRef(f"{report}/introduction/1"), URIRef(f"{report}/section/1")
    assert (intro, RDF.type, EDU.PartIntroduction) in g
    assert (section, RDF.type, EDU.Section) in g
    assert str(g.value(intro, EDU.text)) == "县教育局会同县财政局安排资金500万元，新建学校2所。"
    assert str(g.value(section, EDU.text)) == "（一）学校布局\n全县有小学20所、初中6所。"
    bodies = set(g.objects(intro, EDU.mentionsBody))
    assert {b.rsplit("/", 1)[-1] for b in bodies} >= {
        "mou-county-education-department",
        "mou-county-finance-department",
    }
    figures = {
        (g.value(o, EDU.subject), str(g.value(o, URIRef(SDMX + "obsValue"))))
        for o in g.subjects(RDF.type, URIRef(QB + "Observation"))
    }
    assert (intro, "5000000") in figures and (intro, "2") in figures
    assert (section, "20") in figures and (section, "6") in figures
    assert any(s == URIRef(f"{report}/problem/1") for s, _ in figures)
    assert Literal(True) not in set(g.objects(part, EDU.kindInferred))


def test_a_copy_cut_off_after_a_part_number_builds(tmp_path: Path) -> None:
    g, _ = build_one(tmp_path, "一、基本情况\n全县有小学20所。\n二、")
    part = URIRef(f"{Iris().report('mou-county-2021')}/part/2")
    assert Literal("二、（无标题）", lang="zh-Hans") in set(g.objects(part, RDFS.label))


SDMX = "http://purl.org/linked-data/sdmx/2009/measure#"
QB = "http://purl.org/linked-data/cube#"
