"""Segmentation of the genre's structure, on the real report and on differently built ones."""

from __future__ import annotations

import pathlib
from dataclasses import replace

import pytest

from edugraph.ingest.partkinds import cn_number, load_part_kinds, part_kinds
from edugraph.ingest.segment import Segmenter
from edugraph.ingest.text import normalise
from edugraph.records import Element, Part, Report, Span
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
        ("主要做法和成效", ("area", "achievement")),
        ("存在问题及改进措施", ("problem", "plan")),
        ("存在的问题", ("problem",)),
        ("下一步工作打算", ("plan",)),
        ("基本情况", ("context",)),
        ("县情和教育基本情况", ("context",)),
        ("自查自评开展情况", ("process",)),
        ("自查工作开展情况", ("process",)),
        ("工作开展情况及主要成效", ("area", "achievement")),
        ("自查情况及经验做法", ("process", "area")),
        ("2020年评价反馈问题整改情况", ("area",)),  # what was done about the last findings
        ("履职工作成效", ("achievement",)),
        ("履行教育职责取得的主要成效", ("achievement",)),
        ("贯彻执行党的教育方针情况", ("area", "achievement")),
        ("2021年履行教育职责情况", ("area", "achievement")),
        ("存在的主要问题和下一步工作打算", ("problem", "plan")),
        ("下一步工作措施", ("plan",)),
        ("下一步工作举措", ("plan",)),  # what follows 下一步 is planned, not done
        ("下一步工作安排", ("plan",)),  # nor the evaluation's process
        ("存在问题及今后工作思路", ("problem", "plan")),
        ("附件", ()),
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
    assert [p.kinds for p in report.parts] == [("area", "achievement"), ("problem",), ("plan",)]
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


def outline(text: str) -> tuple[Span | None, list[Part], list[Element]]:
    return Segmenter(normalise(text), source="x.txt").run()


def test_text_without_parts_is_kept_as_one_part() -> None:
    preamble, parts, elements = outline("这是一份没有结构的文件。\n\n只有几句话。\n")
    assert preamble is None
    assert [(p.implicit, p.kinds) for p in parts] == [(True, ("other",))]
    assert [e.kind for e in elements] == ["introduction"]
    assert elements[0].span.text == "这是一份没有结构的文件。\n只有几句话。"


def test_a_fragment_may_start_at_a_later_part() -> None:
    # a truncated web copy that starts at 三、 keeps it as a part; nothing is refused or lost
    preamble, parts, elements = outline("三、存在问题\n1.学位紧张。\n2.教师短缺。\n")
    assert preamble is None
    assert [(p.notation, p.title, p.kinds) for p in parts] == [("三", "存在问题", ("problem",))]
    assert [e.local_id for e in elements] == ["problem/1", "problem/2"]


def test_duplicated_and_skipped_part_numbers_keep_their_notation() -> None:
    text = "标题\n一、基本情况\n全县有学校10所。\n一、主要做法\n（一）加强领导。县委研究教育工作。\n三、存在问题\n1.学位紧张。\n"
    _, parts, elements = outline(text)
    assert [(p.n, p.notation, p.title) for p in parts] == [
        (1, "一", "基本情况"),
        (2, "一", "主要做法"),
        (3, "三", "存在问题"),
    ]
    assert [e.local_id for e in elements if e.kind != "preamble"] == [
        "introduction/1",
        "area/1",
        "measure/1",
        "problem/1",
    ]


def test_ocr_numbering_and_ascii_punctuation() -> None:
    text = (
        "某县人民政府自评报告\n一、主要做法和成效\n(-)加强党的领导:县委常委会研究教育工作3次.\n"
        "1 .落实经费,全年投入1.2亿元.\n2、建设学校.\n(二)加强教师队伍建设\n（1）招聘教师12 名.\n"
        "二、存在问题和下一步打算\n(一)存在问题\n一是学位不足;二是教师短缺.\n(二)下一步打算\n"
        "1.新建学校.\n"
    )
    _, parts, elements = outline(text)
    kinds = [e.kind for e in elements]
    assert [p.title for p in parts] == ["主要做法和成效", "存在问题和下一步打算"]
    # （1） under a part numbered 1. 2. is text of its heading, not an item of its own; a
    # heading with no item under it is one measure of its own text
    assert kinds.count("area") == 2 and kinds.count("measure") == 3
    assert [e.notation for e in elements if e.kind == "area"] == ["(-)", "(二)"]
    assert [e.notation for e in elements if e.kind == "measure"] == ["1", "2", ""]
    assert elements[kinds.index("area", 2)].span.text == "(二)加强教师队伍建设"
    assert elements[kinds.index("measure", 4)].span.text == "（1）招聘教师12 名."
    assert [e.notation for e in elements if e.kind == "problem"] == ["一是", "二是"]
    assert kinds.count("plan") == 1


def test_traditional_script_is_matched_and_quoted_as_written() -> None:
    _, parts, elements = outline(
        "一、主要做法\n（一）加強黨的領導。\n二、存在問題\n一是學位不足。二是師資短缺。\n"
    )
    assert [(p.title, p.kinds) for p in parts] == [
        ("主要做法", ("area",)),
        ("存在問題", ("problem",)),
    ]
    problem = next(e for e in elements if e.kind == "problem")
    assert problem.span.text == "一是學位不足。" and problem.label == "學位不足"


def test_unknown_part_keeps_its_headings_as_sections() -> None:
    text = "一、附表说明\n（一）学校情况\n全县学校120所。\n（二）教师情况\n1.教师3000人。\n二、存在问题\n1.经费不足。\n"
    _, parts, elements = outline(text)
    assert parts[0].kinds == ("other",)
    sections = [e for e in elements if e.kind == "section"]
    assert [(s.notation, s.label, s.parent) for s in sections] == [
        ("（一）", "学校情况", None),
        ("（二）", "教师情况", None),
        ("1", "教师3000人", "section/2"),
    ]
    assert sections[0].span.text == "（一）学校情况\n全县学校120所。"


def test_items_numbered_1_bracket_or_circled() -> None:
    # the highest numbering present in a part numbers its items; ① may restart under each heading
    text = (
        "一、主要做法\n（一）加强领导\n①县委研究教育工作。\n②县政府研究教育工作。\n"
        "（二）保障投入\n①全年投入1.2亿元。\n二、存在问题\n1)学位紧张。\n2)教师短缺。\n"
        "三、下一步打算\n（1）新建学校。\n①新增学位。\n（2）招聘教师。\n"
    )
    _, _, elements = outline(text)
    assert [(e.kind, e.notation, e.parent) for e in elements if e.kind == "measure"] == [
        ("measure", "1", "area/1"),
        ("measure", "2", "area/1"),
        ("measure", "1", "area/2"),
    ]
    assert [e.notation for e in elements if e.kind == "problem"] == ["1", "2"]
    plans = [e for e in elements if e.kind == "plan"]
    assert [e.span.text for e in plans] == ["（1）新建学校。\n①新增学位。", "（2）招聘教师。"]


def test_parts_numbered_di_yi_bu_fen_put_every_numbering_a_level_down() -> None:
    text = (
        "某县自查报告\n第一部分 基本情况\n全县有学校10所。\n第二部分 主要工作\n一、强化领导\n"
        "（一）县委研究教育工作。\n（二）县政府研究教育工作。\n二、保障投入\n（一）全年投入1.2亿元。\n"
        "第三部分 问题与打算\n一、存在问题\n1.学位紧张。\n二、下一步打算\n1.新建学校。\n"
    )
    _, parts, elements = outline(text)
    assert [(p.notation, p.title) for p in parts] == [
        ("第一部分", "基本情况"),
        ("第二部分", "主要工作"),
        ("第三部分", "问题与打算"),
    ]
    assert [(e.notation, e.label) for e in elements if e.kind == "area"] == [
        ("一", "强化领导"),
        ("二", "保障投入"),
    ]
    assert [e.notation for e in elements if e.kind == "measure"] == ["（一）", "（二）", "（一）"]
    assert [e.kind for e in elements if e.kind in ("problem", "plan")] == ["problem", "plan"]


def test_a_lone_di_yi_bu_fen_is_text() -> None:
    _, parts, _ = outline("一、主要做法\n第一部分工作已完成。\n二、存在问题\n1.学位紧张。\n")
    assert [p.title for p in parts] == ["主要做法", "存在问题"]


def test_a_self_evaluation_part_over_practice_items_is_practices() -> None:
    text = (
        "一、2022年度履职自评情况\n1、加强党的领导。县委研究教育工作4次。\n"
        "2、落实教师待遇。教师工资不低于公务员。\n3、保障校园安全。配齐报警装置。\n"
    )
    _, parts, elements = outline(text)
    assert "area" in parts[0].kinds and parts[0].inferred
    assert [e.kind for e in elements] == ["measure"] * 3


def test_a_rectification_table_gives_a_problem_and_a_plan_a_row() -> None:
    opening = (
        "对照评价指标，我区在以下方面还存在差距，已经逐项制定了整改计划，明确责任单位和完成时限："
    )
    header = "序号 存在问题 整改措施 责任单位 完成时限"
    text = (
        f"一、存在问题及整改计划\n{opening}\n{header}\n"
        "1 学位紧张 新建小学，新增学位1620个 区教育局、区住建局 2021年8月\n"
        "2 公办园占比为42.6% 新建公办幼儿园5所 区教育局 2021年12月\n"
    )
    _, _, elements = outline(text)
    assert [(e.kind, e.span.text) for e in elements[:1]] == [
        ("introduction", f"{opening}\n{header}")
    ]
    # the row's number goes with the problem, the bodies and the deadline with the plan
    assert [(e.kind, e.notation, e.label, e.span.text) for e in elements[1:]] == [
        ("problem", "1", "学位紧张", "1 学位紧张"),
        (
            "plan",
            "1",
            "新建小学，新增学位1620个",
            "新建小学，新增学位1620个 区教育局、区住建局 2021年8月",
        ),
        ("problem", "2", "公办园占比为42.6%", "2 公办园占比为42.6%"),
        ("plan", "2", "新建公办幼儿园5所", "新建公办幼儿园5所 区教育局 2021年12月"),
    ]


def test_a_table_of_figures_is_no_table_of_elements() -> None:
    text = "一、存在问题\n县市 支出（亿元） 增长（%）\n鹤城 9.42 5.1\n1.经费不足。\n"
    _, _, elements = outline(text)
    assert [e.kind for e in elements] == ["introduction", "problem"]


def test_paragraphs_titled_in_lenticular_brackets_are_headings() -> None:
    text = (
        "一、履职情况\n【加强党的领导】区委研究教育工作5次。\n【落实经费投入】全年投入14.6亿元。\n"
        "二、存在问题\n【学位紧张】城区小学班额超过50人。\n【师资不足】缺口约60人。\n"
    )
    _, _, elements = outline(text)
    assert [(e.kind, e.label) for e in elements if e.kind in ("area", "problem")] == [
        ("area", "加强党的领导"),
        ("area", "落实经费投入"),
        ("problem", "学位紧张"),
        ("problem", "师资不足"),
    ]
    measures = [e for e in elements if e.kind == "measure"]
    assert [e.span.text for e in measures] == [
        "【加强党的领导】区委研究教育工作5次。",
        "【落实经费投入】全年投入14.6亿元。",
    ]


@pytest.mark.parametrize(
    "entry",
    [
        "level = 'chapter'\npattern = '^(?P<n>[0-9])(?P<body>.*)$'\nnumeral = 'arabic'\n",
        "level = 'item'\npattern = '^(?P<body>.*)$'\nnumeral = 'arabic'\n",  # no number
        "level = 'item'\npattern = '^(?P<n>[0-9])$'\nnumeral = 'arabic'\n",  # no body
    ],
)
def test_a_numbering_form_must_name_its_level_number_and_body(
    entry: str, tmp_path: pathlib.Path
) -> None:
    path = tmp_path / "kinds.toml"
    path.write_text(f"[[numbering]]\n{entry}notation = 'number'\n", encoding="utf-8")
    with pytest.raises(ValueError, match="numbering"):
        load_part_kinds(path)


def test_a_numbering_form_of_the_data_is_read_in_order(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "kinds.toml"
    form = "level = 'part'\npattern = '^§(?P<n>[0-9])\\s*(?P<body>.*)$'\nnumeral = 'arabic'\n"
    path.write_text(f"[[numbering]]\n{form}notation = 'printed'\n", encoding="utf-8")
    kinds = replace(load_part_kinds(), numbering=load_part_kinds(path).numbering)
    _, parts, _ = Segmenter(
        normalise("§1 概况\n全县学校10所。\n§2 问题\n经费不足。\n"), source="x", kinds=kinds
    ).run()
    assert [(p.notation, p.title) for p in parts] == [("§1", "概况"), ("§2", "问题")]


def test_counts_in_chinese_numerals_and_names_that_are_no_counts() -> None:
    """三十二所 and 四千六百余人 count; 两个只增不减, a quoted programme and 六个方面 name things."""
    from edugraph.ingest.numbers import scan

    counted = [
        (a.value, a.unit, a.approx) for a in scan("公办学校三十二所，专任教师四千六百余人。")
    ]
    assert counted == [(32, "institution", False), (4600, "person", True)]
    text = "落实两个只增不减要求，推进“三个课堂”建设，从六个方面持续用力，执法检查一次。"
    assert [(a.value, a.unit) for a in scan(text)] == [(1, "session")]


REPORT_AFTER_CONTENTS = (
    "洛川区人民政府履职自评报告\n一、区情概况\n全区有学校52所。\n二、主要工作\n（一）强化保障\n"
    "区财政增加投入。\n（二）建设队伍\n区教育局补充教师。\n三、主要问题\n1.学位不足。\n"
    "四、改进打算\n1.扩建两所学校。\n"
)


@pytest.mark.parametrize(
    "contents",
    [
        # its headings listed under the part titles
        "目录\n一、区情概况\n二、主要工作\n（一）强化保障\n（二）建设队伍\n三、主要问题\n四、改进打算\n",
        # a site's bundle: the reports' titles numbered 1. 2. before the parts of the first
        "履职自评报告合集(3篇)\n提纲:\n1.区人民政府履职自评报告1\n2.镇人民政府自评报告9\n"
        "一、区情概况\n二、主要工作\n三、主要问题\n四、改进打算\n",
        # only two part titles listed
        "目录\n一、区情概况\n二、主要工作\n",
    ],
    ids=["headings", "bundle", "two-titles"],
)
def test_a_table_of_contents_makes_no_part_of_the_report_after_it(contents: str) -> None:
    preamble, parts, elements = outline(contents + REPORT_AFTER_CONTENTS)
    assert [(p.notation, p.title) for p in parts] == [
        ("一", "区情概况"),
        ("二", "主要工作"),
        ("三", "主要问题"),
        ("四", "改进打算"),
    ]
    assert preamble is not None and preamble.text.startswith(contents.split("\n")[0])
    kinds = [e.kind for e in elements if e.kind in ("area", "measure", "problem", "plan")]
    assert kinds == ["area", "measure", "area", "measure", "problem", "plan"]


def test_numbering_that_starts_over_after_parts_with_text_is_no_table_of_contents() -> None:
    text = REPORT_AFTER_CONTENTS + "一、附表说明\n表中数据截至年底。\n"
    _, parts, _ = outline(text)
    assert [p.notation for p in parts] == ["一", "二", "三", "四"]
    assert "附表说明" in parts[-1].span.text


def test_a_preamble_between_the_contents_and_the_first_part_keeps_the_parts() -> None:
    contents = "目录\n一、区情概况\n二、主要工作\n（一）强化保障\n三、主要问题\n四、改进打算\n"
    opening = "根据市里的通知，区政府组织开展自评。现报告如下：\n"
    title, rest = REPORT_AFTER_CONTENTS.split("\n", 1)
    _, parts, _ = outline(contents + title + "\n" + opening + rest)
    assert [p.title for p in parts] == ["区情概况", "主要工作", "主要问题", "改进打算"]
    assert opening.strip() not in parts[-1].span.text


def test_an_empty_first_part_is_no_table_of_contents() -> None:
    text = (
        "一、区情概况\n二、主要工作\n（一）强化保障\n区财政增加投入。\n三、主要问题\n1.学位不足。\n"
        "一、附表说明\n表中数据截至年底。\n"
    )
    _, parts, _ = outline(text)
    assert [p.title for p in parts] == ["区情概况", "主要工作", "主要问题"]
