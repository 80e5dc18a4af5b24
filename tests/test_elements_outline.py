"""The outline where a report's parts are worded or numbered beyond the corpus's first shapes:
results over practices, a bundle's table of contents, items run on inside a paragraph."""

from __future__ import annotations

import itertools
from collections import Counter

from edugraph.ingest.segment import Segmenter
from edugraph.ingest.text import normalise
from edugraph.records import Element, Part, Span


def outline(text: str) -> tuple[Span | None, list[Part], list[Element]]:
    return Segmenter(normalise(text), source="x.txt").run()


def kinds_of(elements: list[Element]) -> Counter[str]:
    return Counter(e.kind for e in elements if e.kind in ("area", "measure", "problem", "plan"))


RESULTS = (
    "一、基本情况\n全县有学校40所。\n二、履职主要成效\n（一）加强党的领导\n"
    "① 县委研究教育工作5次。② 县委组织部推行校长负责制。\n（二）落实经费投入\n"
    "① 教育支出增长4%。\n（三）推进双减工作\n全县课后服务全覆盖。\n三、存在问题\n1.学位紧张。\n"
)


def test_results_over_headings_are_practices_where_no_part_names_them() -> None:
    _, parts, elements = outline(RESULTS)
    assert "area" in parts[1].kinds and parts[1].inferred
    # circled items run on inside a paragraph are a measure each; a heading with none is one
    assert kinds_of(elements) == Counter(area=3, measure=4, problem=1)


def test_results_stay_achievements_beside_a_part_of_practices() -> None:
    text = RESULTS.replace(
        "一、基本情况\n全县有学校40所。", "一、主要做法\n（一）加强统筹\n县政府统筹推进。"
    )
    _, parts, _ = outline(text)
    assert parts[1].kinds == ("achievement",)


def test_a_bundle_s_table_of_contents_is_no_part() -> None:
    text = (
        "区县自评报告汇编\n提纲:\n一、基本情况\n二、自查自评情况\n三、存在问题\n四、下一步打算\n"
        "某区人民政府自评报告\n一、基本情况\n全区有学校30所。\n二、自查自评情况\n（一）加强党的领导\n"
        "区委研究教育工作。\n三、存在问题\n1.学位紧张。\n四、下一步打算\n1.新建学校。\n"
    )
    preamble, parts, elements = outline(text)
    assert [p.notation for p in parts] == ["一", "二", "三", "四"]
    assert preamble is not None and "提纲" in preamble.text
    assert "area" in parts[1].kinds
    assert kinds_of(elements) == Counter(area=1, measure=1, problem=1, plan=1)


def test_an_item_numbered_before_a_spaced_year_is_an_item() -> None:
    text = "一、下一步打算\n1.2024 年新建学校2所。\n2.2025 年补充教师40名。\n"
    _, _, elements = outline(text)
    assert [e.notation for e in elements if e.kind == "plan"] == ["1", "2"]


def test_sub_parts_of_problems_and_plans_under_a_division() -> None:
    text = (
        "第一部分 基本情况\n全县有学校40所。\n第二部分 存在的问题和整改措施\n(一)存在的问题\n"
        "一是学位紧张。二是教师缺编。\n(二)整改措施\n一是新建学校；二是招聘教师；三是改造校舍。\n"
    )
    _, _, elements = outline(text)
    assert kinds_of(elements) == Counter(problem=2, plan=3)


def test_an_ordinal_run_inside_a_heading_s_paragraph_is_a_measure_an_item() -> None:
    text = (
        "一、主要做法\n（一）加强党的领导\n县委高度重视。一是建立联系学校制度；二是设立党组织；"
        "三是开展专项检查。\n（二）落实经费\n全年投入1.2亿元。\n"
        "● 县财政局足额拨付。\n● 县教育局规范使用。\n"
    )
    _, _, elements = outline(text)
    measures = [e for e in elements if e.kind == "measure"]
    assert [e.notation for e in measures] == ["", "二是", "三是", "●", "●"]
    assert measures[0].span.text.startswith("县委高度重视。一是")


def test_a_table_inside_a_numbered_item_is_not_also_its_text() -> None:
    text = (
        "一、主要做法\n（一）主要指标\n1.全县主要指标如下：\n指标  目标  完成情况\n"
        "入园率  90%  92%\n巩固率  95%  96%\n以上指标均已完成。\n2.加强教师队伍建设。\n"
    )
    _, _, elements = outline(text)
    spans = sorted((e.span.begin, e.span.end) for e in elements if e.kind == "measure")
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    first = next(e for e in elements if e.kind == "measure" and e.notation == "1")
    assert "入园率" not in first.span.text


def test_ordinals_after_pdf_spaced_figures_are_cut_at_their_markers() -> None:
    text = (
        "一、主要做法\n（一）整改反馈问题\n学校在校生 4,860 人，与 36 家企业合作，2022 年就业率 93.2%。"
        "针对 2021 年度反馈的 3 个问题，按季度调度：一是补足教师 1,420 名；"
        "二是将 2 所高中扩建纳入重点项目；三是清理经营网点 65 个。\n"
    )
    _, _, elements = outline(text)
    measures = [e for e in elements if e.kind == "measure"]
    assert [e.notation for e in measures] == ["", "二是", "三是"]
    assert [e.span.text[:2] for e in measures[1:]] == ["二是", "三是"]


def test_a_row_of_figures_is_no_header_of_a_table_of_elements() -> None:
    text = (
        "一、主要做法\n（一）主要指标\n1.主要指标与全国比较如下：\n指标  单位  2022年  全国水平（2022年）\n"
        "小学净入学率  %  99.9  99.9\n高等教育毛入学率  %  58.2  60.8\n"
        "生均公用经费（普通初中）  元  1380  1420\n二、存在问题\n1.学位紧张。\n"
    )
    _, _, elements = outline(text)
    assert kinds_of(elements) == Counter(area=1, measure=1, problem=1)
    [measure] = [e for e in elements if e.kind == "measure"]
    assert measure.span.text.endswith("1380  1420")


def test_an_item_pairing_a_problem_with_its_remedy_gives_both() -> None:
    text = (
        "一、基本情况\n全县有学校40所。\n二、存在问题及整改措施\n"
        "(一)问题：城区学位紧张。\n措施：年底前新建小学2所。\n"
        "(二)问题：教师缺编。\n措施：补充教师60名。\n"
        "(三)问题：校舍老旧。改进措施：改造校舍5所。\n"
    )
    _, _, elements = outline(text)
    assert [(e.kind, e.notation) for e in elements if e.kind in ("problem", "plan")] == [
        ("problem", "(一)"),
        ("plan", "(一)"),
        ("problem", "(二)"),
        ("plan", "(二)"),
        ("problem", "(三)"),
        ("plan", "(三)"),
    ]
    plans = [e.span.text for e in elements if e.kind == "plan"]
    assert plans[0].startswith("措施：") and "学位" not in plans[0]


def test_problems_in_a_run_then_plans_in_a_run_after_the_turn() -> None:
    text = (
        "一、存在问题和下一步打算\n仍存在一些问题：一是学位紧张；二是教师缺编。\n"
        "下一步，我们将重点做好以下工作：一是新建学校；二是招聘教师；三是改造校舍。\n"
    )
    _, _, elements = outline(text)
    assert kinds_of(elements) == Counter(problem=2, plan=3)


def test_a_numbered_table_of_figures_is_no_table_of_elements() -> None:
    text = (
        "一、基本情况及主要指标达成情况\n全市有学校310所。\n序号 指标 评价标准 2022年 2023年 达成情况\n"
        "1 学前三年毛入园率（%） ≥90 91.4 92.6 达标\n2 大班额比例（%） ≤5 2.6 0.8 达标\n"
        "二、主要做法\n（一）加强党的领导\n强化领导责任。市委研究教育工作4次。\n"
    )
    _, _, elements = outline(text)
    assert kinds_of(elements) == Counter(area=1, measure=1)
