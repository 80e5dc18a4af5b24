"""Segmentation of the genre's structure, on the real report and on differently built ones."""

from __future__ import annotations

import pytest

from edugraph.errors import InputError
from edugraph.ingest.segment import Segmenter, cn_number, part_kinds
from edugraph.ingest.text import normalise
from edugraph.records import Report
from edugraph.reference import Reference
from tests.conftest import fixture_report


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("一", 1), ("九", 9), ("十", 10), ("十一", 11), ("十二", 12), ("二十", 20), ("二十三", 23)],
)
def test_chinese_numerals(numeral: str, value: int) -> None:
    assert cn_number(numeral) == value


@pytest.mark.parametrize(
    ("title", "kinds"),
    [
        ("工作成效", ("achievement",)),
        ("主要做法", ("area",)),
        ("主要做法和成效", ("area",)),
        ("存在问题及改进措施", ("problem", "plan")),
        ("存在的问题", ("problem",)),
        ("下一步工作打算", ("plan",)),
        ("基本情况", ()),
    ],
)
def test_part_kinds(title: str, kinds: tuple[str, ...]) -> None:
    assert part_kinds(title) == kinds


def test_chongqing_structure(chongqing: Report) -> None:
    counts = {
        k: len(chongqing.of_kind(k)) for k in ("achievement", "area", "measure", "problem", "plan")
    }
    assert counts == {"achievement": 6, "area": 12, "measure": 31, "problem": 5, "plan": 5}
    assert [p.title for p in chongqing.parts] == ["工作成效", "主要做法", "存在问题及改进措施"]
    measures = chongqing.of_kind("measure")
    assert [m.notation for m in measures] == [str(n) for n in range(1, 32)]
    # numbering runs on across headings: item 12 opens heading (三)
    assert chongqing.element("measure/12").parent == "area/3"
    assert chongqing.element("measure/31").parent == "area/12"
    assert chongqing.element("area/11").notation == "(十一)"
    assert [p.notation for p in chongqing.of_kind("problem")] == [
        "一是",
        "二是",
        "三是",
        "四是",
        "五是",
    ]
    assert chongqing.element("problem/2").label == "义务教育仍有差距"
    assert chongqing.element("plan/4").label == "加大“双一流”建设力度"
    assert chongqing.element("achievement/3").label == "学前教育公共服务体系更加完善"


def test_chongqing_spans_cover_whole_items(chongqing: Report) -> None:
    problem = chongqing.element("problem/1")
    assert (
        problem.span.text
        == "一是学前教育仍有差距。公办幼儿园在园幼儿占比距离50%的目标还有一定差距。"
    )
    last = chongqing.element("problem/5")
    assert last.span.text.endswith("校企合作有待加强。")
    measure = chongqing.element("measure/29")
    assert measure.span.text.startswith("29.推进高校毕业生就业")
    assert measure.span.text.endswith("就业率达到78.14%。")
    for element in chongqing.elements:
        assert chongqing.text[element.span.begin : element.span.end] == element.span.text


def test_full_width_province_fixture(reference: Reference) -> None:
    report = fixture_report("jiangbei-2020", reference)
    assert [p.kinds for p in report.parts] == [("area",), ("problem",), ("plan",)]
    assert [m.notation for m in report.of_kind("measure")] == ["1", "2", "3", "4", "5"]
    assert [a.notation for a in report.of_kind("area")] == ["（一）", "（二）", "（三）"]
    assert report.element("measure/3").label.startswith("２０２０年全省学前三年毛入园率达到88.5%")
    assert report.element("measure/3").parent == "area/2"
    assert [p.notation for p in report.of_kind("problem")] == ["第一", "第二"]
    assert report.element("problem/2").label.startswith("县域义务教育优质均衡发展推进较慢")
    assert [p.label for p in report.of_kind("plan")] == [
        "扩大公办学前教育资源",
        "推进义务教育优质均衡",
    ]


def test_county_fixture_with_sub_parts(reference: Reference) -> None:
    report = fixture_report("linjiang-county-2021", reference)
    assert len(report.of_kind("achievement")) == 2
    # headings with their own text and no numbered items are measures of their own
    assert [m.label for m in report.of_kind("measure")] == [
        "强化教育投入保障",
        "加强教师队伍建设",
        "推进消除大班额",
    ]
    assert [m.parent for m in report.of_kind("measure")] == ["area/1", "area/2", "area/3"]
    assert [p.label for p in report.of_kind("problem")] == [
        "城区学位供给仍然紧张，城区学校大班额反弹压力较大",
        "乡村教师队伍结构性缺员问题仍然存在",
    ]
    assert [p.notation for p in report.of_kind("plan")] == ["1", "2"]


def test_text_without_parts_is_rejected() -> None:
    norm = normalise("这是一份没有结构的文件。\n\n只有几句话。\n")
    with pytest.raises(InputError, match="no recognisable structure"):
        Segmenter(norm, source="x.txt").run()


def test_parts_must_come_in_sequence() -> None:
    # "三、" without "一、" and "二、" is a sentence, not a part
    norm = normalise("三、这不是第一部分。\n")
    with pytest.raises(InputError, match="no recognisable structure"):
        Segmenter(norm, source="x.txt").run()
