"""Figures across the genre, case by case: indicators by grammar, periods by scope.

Each text is made up after a pattern seen in reports of other governments (no sentence is
copied); the expected indicator, label and period are what a careful reader says.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from edugraph.ingest import phrases
from edugraph.ingest.figures import FigureExtractor
from edugraph.ingest.periods import report_year
from edugraph.ingest.report import ingest
from edugraph.records import Element, Metadata, Observation, Span
from edugraph.reference import Reference


def meta(*, title: str = "2020年度履行教育职责情况自评报告", start: str = "2020-01-01") -> Metadata:
    return Metadata(
        slug="c-example-county-2020",
        title=title,
        issuer="某某县人民政府",
        issuer_en="Example County People's Government",
        region="example-county",
        region_zh="某某县",
        region_en="Example County",
        level="county",
        period_start=start,
        period_end=start[:4] + "-12-31",
        issued=str(int(start[:4]) + 1),
    )


METADATA = """title = "2020年度履行教育职责情况自评报告"
issuer = "某某县人民政府"
issuer_en = "Example County People's Government"
region = "example-county"
region_zh = "某某县"
region_en = "Example County"
level = "county"
period_start = "2020-01-01"
period_end = "2020-12-31"
issued = "2021"
"""


def figures(reference: Reference, *texts: str, kind: str = "achievement") -> list[Observation]:
    """The figures of one element per text."""
    elements, offset = [], 0
    for n, text in enumerate(texts, start=1):
        elements.append(Element(kind, n, str(n), "", Span(offset, offset + len(text), text, n)))
        offset += len(text) + 1
    extractor = FigureExtractor(reference, meta(), lambda _: 1, set_by=lambda _: None)
    return extractor.run(elements)[0]


def one(found: list[Observation], raw: str) -> Observation:
    [o] = [o for o in found if o.span.text == raw]
    return o


def label(o: Observation, reference: Reference) -> str:
    return o.indicator_label if o.local else reference.indicator(o.indicator).zh


# --- indicators ------------------------------------------------------------------------------


def test_a_fenbie_list_gives_each_figure_its_own_indicator_in_order(reference: Reference) -> None:
    found = figures(
        reference,
        "全县学前三年毛入园率、九年义务教育巩固率、高中阶段毛入学率分别达到91.83%、97.01%、91.79%。",
    )
    assert [o.indicator for o in found] == [
        "preschool-gross-enrolment-rate",
        "compulsory-consolidation-rate",
        "senior-secondary-gross-enrolment-rate",
    ]


def test_members_of_a_fenbie_list_outside_the_scheme_are_labelled_in_order(
    reference: Reference,
) -> None:
    found = figures(reference, "全县中心校、村小、教学点分别有18所、57所、23所。")
    assert [label(o, reference) for o in found] == ["中心校", "村小", "教学点"]
    assert all(o.local for o in found)


def test_a_shared_head_goes_with_every_member(reference: Reference) -> None:
    assert phrases.members("小学、初中、高中阶段毛入学率分别为99%、98%、90%", 17, 3) == [
        "小学阶段毛入学率",
        "初中阶段毛入学率",
        "高中阶段毛入学率",
    ]


def test_a_cue_in_the_next_clause_does_not_name_a_figure(reference: Reference) -> None:
    found = figures(reference, "学前三年毛入园率达到98.81%，九年义务教育巩固率达到96.5%。")
    assert one(found, "98.81%").indicator == "preschool-gross-enrolment-rate"
    assert one(found, "96.5%").indicator == "compulsory-consolidation-rate"


@pytest.mark.parametrize(
    ("text", "raw", "expected"),
    [
        ("全县校园足球特色学校比上年增加12所。", "12所", "校园足球特色学校"),
        ("全县乡村学校心理健康教师较2017年增加32人。", "32人", "乡村学校心理健康教师"),
        ("12位县级领导先后到联系学校调研。", "12位", "县级领导"),
        ("全县下辖11个乡镇。", "11个", "乡镇"),
        ("全县有校园足球特色学校12所。", "12所", "校园足球特色学校"),
        # a verb of reach names who is reached, not the programme before it
        ("乡村教师生活补助惠及乡村教师1420名。", "1420名", "乡村教师"),
        ("项目覆盖农村学校120所。", "120所", "农村学校"),
        ("农村学校课后服务覆盖率达到96%。", "96%", "农村学校课后服务覆盖率"),
        # an item's number and a span of months are no part of what is measured
        ("③新增乡村学校心理辅导室12间。", "12间", "乡村学校心理辅导室"),
        ("二是补充乡村教师310名。", "310名", "补充乡村教师"),
        # a clause that qualifies the noun after it: the noun, not the clause's verb
        ("为56名不能到校就读的重度残疾儿童送教上门。", "56名", "重度残疾儿童"),
    ],
)
def test_a_report_local_label_is_the_noun_phrase_of_its_clause(
    reference: Reference, text: str, raw: str, expected: str
) -> None:
    o = one(figures(reference, text), raw)
    assert o.local and o.indicator_label == expected
    assert o.indicator_label in text  # a phrase of its clause, never made up


def test_the_parts_of_a_whole_of_people_take_its_noun(reference: Reference) -> None:
    """The pupils and the staff of one stage are two indicators, not one called 小学."""
    text = "全区学生8420人，其中小学4310人、初中2105人。全区教职工760人，其中小学302人。"
    found = figures(reference, text)
    labels = [o.indicator_label for o in found if o.local]
    assert "小学学生" in labels and "初中学生" in labels and "小学教职工" in labels
    pupils, staff = one(found, "4310人"), one(found, "302人")
    assert pupils.indicator != staff.indicator


def test_a_span_of_months_is_no_part_of_a_label(reference: Reference) -> None:
    o = one(figures(reference, "县委常委会会议1-9月专题研究教育工作5次。"), "5次")
    assert o.local and o.indicator_label == "县委常委会会议专题研究教育工作"


def test_a_line_broken_inside_a_word_leaves_no_space_in_a_label(reference: Reference) -> None:
    o = one(figures(reference, "召开县委教 育工作专题会议3次。"), "3次")
    assert o.local and " " not in o.indicator_label and "教育" in o.indicator_label


def test_a_change_is_labelled_by_what_changed_not_by_the_comparison(reference: Reference) -> None:
    found = figures(reference, "全县校园足球特色学校经费达到1200万元，比上年增长8.5%。")
    change = one(found, "8.5%")
    assert change.value_type == "change" and change.comparison == "year-on-year"
    assert (
        "比上年" not in change.indicator_label and "校园足球特色学校经费" in change.indicator_label
    )


# --- periods ---------------------------------------------------------------------------------


def test_a_year_in_a_parenthesis_does_not_date_what_follows(reference: Reference) -> None:
    found = figures(reference, "新建城南中学（2019年秋季投入使用），全县新增学位2400个。")
    assert one(found, "2400个").period == "2020"


def test_a_span_of_years_dates_a_fenbie_list_year_by_year(reference: Reference) -> None:
    found = figures(reference, "2018年至2020年，全县教育支出分别为8.1亿元、8.9亿元、9.6亿元。")
    assert [o.period for o in found] == ["2018", "2019", "2020"]
    assert [o.value for o in found] == [Decimal(810000000), Decimal(890000000), Decimal(960000000)]


def test_last_year_and_this_year_resolve_against_the_reports_year(reference: Reference) -> None:
    found = figures(
        reference, "普通小学生均支出为11206元，比上年的10587元增长5.85%。今年招聘教师86名。"
    )
    base = one(found, "10587元")
    assert (base.value_type, base.period) == ("baseline", "2019")
    assert one(found, "86名").period == "2020"


def test_a_month_dates_its_sentence_but_not_the_whole_year(reference: Reference) -> None:
    found = figures(reference, "2020年3月，县委成立教育工作领导小组，全年召开会议3次。")
    assert one(found, "3次").period == "2020"
    found = figures(reference, "截至2020年底，全县共有幼儿园68所。")
    assert one(found, "68所").period == "2020-12"


def test_an_as_of_day_dates_its_month(reference: Reference) -> None:
    """Periods are years, months or intervals: 截至…15日 is of its month."""
    o = one(figures(reference, "截至2021年10月15日，全县共有学校86所。"), "86所")
    assert o.period == "2021-10"


def test_a_plan_without_a_deadline_is_for_the_next_year(reference: Reference) -> None:
    found = figures(reference, "新建和改扩建公办幼儿园6所。", kind="plan")
    o = one(found, "6所")
    assert (o.value_type, o.period) == ("target", "2021")


def test_the_year_a_report_evaluates() -> None:
    assert report_year(meta()) == "2020"
    assert report_year(meta(title="2019年以来履行教育职责情况自查自评报告")) is None
    assert report_year(meta(title="履行教育职责情况自评报告", start="2021-01-01")) == "2021"


# --- nothing dropped -------------------------------------------------------------------------


def test_figures_outside_every_numbered_element_are_kept(
    reference: Reference, tmp_path: Path
) -> None:
    """The preamble and a context part are elements too, and their figures reach the graph."""
    text = "根据通知要求，我县开展自查，自评得分96.5分。\n一、基本情况\n全县总面积1862平方公里。\n二、工作成效\n1.新增学位3600个。\n"
    source = tmp_path / "c-example-county-2020.txt"
    source.write_text(text, encoding="utf-8")
    source.with_suffix(".toml").write_text(METADATA, encoding="utf-8")
    report = ingest(source, reference)
    kinds = {e.local_id: e.kind for e in report.elements}
    assert {(o.span.text, kinds.get(o.subject, o.subject)) for o in report.observations} == {
        ("96.5分", "preamble"),
        ("1862平方公里", "introduction"),
        ("3600个", "achievement"),
    }


def test_a_per_capita_amount_is_labelled_with_what_it_is_per(reference: Reference) -> None:
    found = figures(
        reference,
        "县财政足额拨付义务教育生均公用经费，小学每生每年720元、初中每生每年940元。",
        "州财政按每生每年150元标准为寄宿生增发生活补助。",
    )
    primary, boarding = one(found, "720元"), one(found, "150元")
    assert (primary.indicator_label, primary.per) == ("小学生均公用经费", "person")
    assert one(found, "940元").indicator_label == "初中生均公用经费"
    assert (boarding.indicator_label, boarding.per) == ("寄宿生增发生活补助", "person")


def test_this_year_after_an_other_years_date_dates_its_figure(reference: Reference) -> None:
    found = figures(reference, "县督导办2019年对各校开展专项督导，今年全县新增学位300个。")
    assert one(found, "300个").period == "2020"


def test_a_list_of_schools_with_a_parenthesised_part(reference: Reference) -> None:
    found = figures(
        reference,
        "全县现有学校231所，其中初中41所、小学180所（含15个教学点）、教师进修学校1所，人口78万。",
    )
    labels = {o.span.text: label(o, reference) for o in found}
    assert labels["41所"] == "初中" and labels["180所"] == "小学"
    assert labels["15个"] == "教学点" and labels["1所"] == "教师进修学校"
    assert (one(found, "78万").unit, one(found, "78万").value) == ("person", Decimal(780000))


def test_a_table_rendered_as_lines_gives_a_figure_a_cell(reference: Reference) -> None:
    intro = "截至2020年底，全县学校情况如下："
    table = "类别 学校数（所） 在校生（人）\n小学 21 8650\n初中 7 4120"
    after = "全县小学巩固率为99.2%。"
    found = figures(reference, intro, table, after)
    cells = [o for o in found if "\n" in o.sentence.text]
    assert [(o.span.text, o.unit, o.period, o.indicator_label) for o in cells] == [
        ("21", "institution", "2020-12", "小学学校数"),
        ("8650", "person", "2020-12", "小学在校生"),
        ("7", "institution", "2020-12", "初中学校数"),
        ("4120", "person", "2020-12", "初中在校生"),
    ]
    assert one(found, "99.2%").sentence.text == after


def test_a_table_of_years_dates_each_column(reference: Reference) -> None:
    found = figures(reference, "项目 2019年 2020年\n生均公用经费（元） 700 740")
    assert [(o.value, o.unit, o.period, o.per) for o in found] == [
        (Decimal(700), "yuan", "2019", "person"),
        (Decimal(740), "yuan", "2020", "person"),
    ]


def test_a_list_that_shares_one_figure_gives_each_member_its_own(reference: Reference) -> None:
    text = "全县中小学视频监控覆盖率、食堂明厨亮灶达标率均达到100%。"
    found = figures(reference, text)
    assert [(o.value, o.indicator_label) for o in found] == [
        (Decimal(100), "中小学视频监控覆盖率"),
        (Decimal(100), "食堂明厨亮灶达标率"),
    ]
    assert found[0].span.text == text[:-1]  # from its member to the number
    assert found[1].span.text == "100%"


def test_each_of_a_list_takes_the_figure_after_ge(reference: Reference) -> None:
    """A、B、C各1所: one school of each kind, and the figure after it keeps its own noun."""
    text = "全县另有职业中学、进修学校、特殊教育学校各1所和民办幼儿园5所。"
    found = figures(reference, text)
    assert [(o.value, o.indicator_label) for o in found][:3] == [
        (Decimal(1), "职业中学"),
        (Decimal(1), "进修学校"),
        (Decimal(1), "特殊教育学校"),
    ]
    assert found[3].value == 5 and "幼儿园" in found[3].indicator_label


def test_large_classes_eliminated_without_a_size_are_zero(reference: Reference) -> None:
    found = figures(reference, "2021年新建学校2所，全面消除城区学校大班额。", kind="plan")
    zero = [o for o in found if o.value == 0]
    assert len(zero) == 1 and zero[0].span.text == "大班额"
    assert not figures(reference, "城区学校尚未全面消除大班额。")


def test_a_year_that_qualifies_the_duties_is_the_year_evaluated() -> None:
    assert report_year(meta(title="2022年履行教育职责评价自评报告", start="2021-01-01")) == "2022"
    assert report_year(meta(title="2021年某某省人民政府履行教育职责情况自评报告")) == "2020"


def test_each_member_of_a_governing_list_counts_its_own_noun(reference: Reference) -> None:
    found = figures(reference, "全县辖11个镇、3个乡，户籍人口52万人。", "某县辖8镇4乡。")
    assert [one(found, raw).indicator_label for raw in ("11个", "3个")] == ["辖镇", "辖乡"]
    assert [one(found, raw).indicator_label for raw in ("8镇", "4乡")] == ["辖镇", "辖乡"]
    found = figures(reference, "全区辖7个街道、2个镇。")
    assert one(found, "2个").indicator_label == "辖镇"


def test_the_self_check_is_dated_when_it_was_done(reference: Reference) -> None:
    """The departments that took part in the self-check are counted in the year it was done,
    even after a year that names the evaluation (开展2020年度…履行教育职责评价)."""
    found = figures(
        reference,
        "根据开展2020年度对县级人民政府履行教育职责评价工作的通知，县直15个部门对照评价细则开展自查。",
        "区直21个部门和9个街道对照评价细则逐项自查。",
    )
    assert {one(found, raw).period for raw in ("15个", "21个", "9个")} == {"2021"}


def test_from_last_years_figure_is_its_baseline(reference: Reference) -> None:
    found = figures(reference, "试点学校由上年的8所增加到21所。")
    base, now = one(found, "8所"), one(found, "21所")
    assert (base.value_type, base.period, base.indicator_label) == ("baseline", "2019", "试点学校")
    assert (now.period, now.indicator_label) == ("2020", "试点学校")


def test_a_figure_below_a_bound_is_a_state_not_a_target(reference: Reference) -> None:
    found = figures(reference, "部分学校生均运动场地面积低于3平方米，中职招生占比不足35%。")
    for raw in ("3平方米", "35%"):
        o = one(found, raw)
        assert (o.value, o.qualifier, o.value_type) == (
            Decimal(raw[:-1] if "%" in raw else 3),
            "at-most",
            "actual",
        )


def test_a_year_of_what_was_already_done_governs_nothing_after(reference: Reference) -> None:
    found = figures(
        reference, "全县2016年已通过义务教育基本均衡发展国家认定。学前三年毛入园率为93.6%。"
    )
    assert one(found, "93.6%").period == "2020"


def test_a_count_after_an_action_verb_counts_its_object(reference: Reference) -> None:
    found = figures(reference, "县公安局在城区学校周边设立警务室6个，为中小学派驻健康副校长30名。")
    assert one(found, "6个").indicator_label == "警务室"
    assert one(found, "30名").indicator_label == "健康副校长"


def test_a_column_of_changes_is_the_change_of_the_column_before(reference: Reference) -> None:
    table = "县市 教育支出（亿元） 比上年增长（%）\n东城县 5.25 3.1\n合计 12.40 -1.2"
    found = figures(reference, "2020年各县教育投入情况如下：", table)
    cells = [(o.span.text, o.value, o.value_type, o.indicator_label) for o in found]
    assert cells == [
        ("5.25", Decimal("525000000"), "actual", "东城县教育支出"),
        ("3.1", Decimal("3.1"), "change", "东城县教育支出"),
        ("12.40", Decimal("1240000000"), "actual", "一般公共预算教育支出"),
        ("-1.2", Decimal("-1.2"), "change", "一般公共预算教育支出"),
    ]


def test_a_per_capita_amount_after_a_bare_frame_is_of_the_money_before(
    reference: Reference,
) -> None:
    found = figures(reference, "为山区学校教师发放交通补助，每人每月不低于250元。")
    o = one(found, "250元")
    assert (o.indicator_label, o.value_type, o.qualifier) == (
        "山区学校教师交通补助",
        "actual",
        "at-least",
    )


def test_counts_after_a_verb_name_what_they_count(reference: Reference) -> None:
    found = figures(reference, "县政府对照5个方面18项评价指标开展自评。")
    assert [one(found, raw).indicator_label for raw in ("5个方面", "18项")] == ["方面", "评价指标"]


def test_a_date_at_the_end_of_a_line_dates_nothing_on_the_next(reference: Reference) -> None:
    rows = "1 公办园占比为40.5% 新建公办园3所 县教育局 2021年6月\n2 专任教师缺口约50人 补充教师30名 县人社局 2021年9月"
    found = figures(reference, rows, kind="plan")
    assert one(found, "50人").period == "2021"  # not the 2021-06 of the line before


@pytest.mark.parametrize(
    "opening",
    [
        "2019年全县教育总投入5.2亿元，增长6.1%。",
        "二是保障投入。2019年全年落实教育经费4.8亿元。",
        "2018年，全县一般公共预算教育支出3.9亿元；",
    ],
)
def test_an_earlier_years_sentence_does_not_date_the_sentences_after_it(
    reference: Reference, opening: str
) -> None:
    """A report on 2020 that gives an earlier year's accounts goes on about its own year."""
    found = figures(reference, opening + "全县现有中小学46所，专职保安183名。")
    assert {one(found, raw).period for raw in ("46所", "183名")} == {"2020"}


def test_a_year_still_governs_its_paragraph_in_a_report_over_several_years(
    reference: Reference,
) -> None:
    extractor = FigureExtractor(
        reference,
        meta(title="2018年以来履行教育职责情况自评报告", start="2018-01-01"),
        lambda _: 1,
        set_by=lambda _: None,
    )
    text = "2019年全县教育总投入5.2亿元。新建幼儿园12所。"
    found = extractor.run([Element("achievement", 1, "1", "", Span(0, len(text), text, 1))])[0]
    assert one(found, "12所").period == "2019"


@pytest.mark.parametrize(
    "lead_in",
    [
        "现将有关情况报告如下：\n",
        "现将自查自评情况报告如下:\n",
        "一、基本情况\n全县教育基本情况如下：\n",
    ],
)
def test_a_breakdown_keeps_the_as_of_month_after_a_lead_in_line(
    reference: Reference, lead_in: str
) -> None:
    """The as-of date opens its sentence on the line after a colon; 其中 keeps it."""
    text = lead_in + "截至2020年9月，全县共有学校52所。其中：小学30所，初中12所；幼儿园10所。"
    found = figures(reference, text)
    assert {one(found, raw).period for raw in ("52所", "30所", "12所", "10所")} == {"2020-09"}


@pytest.mark.parametrize(
    "text",
    [
        "全县小学生均公用经费为820元、初中为1050元，分别比上年增长5.1%和3.8%。",
        "全县学前三年毛入园率为91.2%，九年义务教育巩固率为96.5%，分别比上年提高1.4和0.6个百分点。",
        "生均教育经费普通小学9120元、普通初中11350元、普通高中12780元，均分别较2019年增长4.2%、3.3%、2.9%。",
    ],
)
def test_a_fenbie_list_of_changes_is_about_the_figures_before_it_in_order(
    reference: Reference, text: str
) -> None:
    found = figures(reference, text)
    values = [o for o in found if o.value_type == "actual"]
    changes = [o for o in found if o.value_type == "change"]
    assert len(changes) >= 2
    named = [label(o, reference) for o in values[-len(changes) :]]
    assert [label(o, reference) for o in changes] == named
    assert len(set(named)) == len(named)


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("县职业中学开设专业6个，毕业生就业率为95.1%。", "vocational"),
        ("区职业技术学校与12家企业合作办学，当年毕业生就业率达到93%。", "vocational"),
        ("市职业中等专业学校毕业生就业率为96.2%。", "vocational"),
        ("省内普通高校积极拓展就业渠道，高校毕业生就业率为91.4%。", "higher"),
    ],
)
def test_a_cue_two_stages_share_takes_the_stage_its_sentence_names(
    reference: Reference, text: str, stage: str
) -> None:
    [o] = [o for o in figures(reference, text) if o.unit == "percent"]
    assert not o.local
    assert reference.indicator(o.indicator).stage == stage


@pytest.mark.parametrize(
    ("text", "raw", "expected"),
    [
        (
            "全省已有41个县（市、区）通过义务教育优质均衡发展国家督导评估。",
            "41个",
            "县（市、区）通过义务教育优质均衡发展国家督导评估",
        ),
        ("全市7个县（区）均已完成教师工资核定，", "7个", "县（区）完成教师工资核定"),
        (
            "市政府组织市直部门和9个县（市、区）对照评价细则开展自查。",
            "9个",
            "县（市、区）对照评价细则开展自查",
        ),
        ("全市9个县（市、区）中，已有5个通过评估。", "9个", "县（市、区）"),
        ("省辖11个市（州）。", "11个", "市（州）"),
    ],
)
def test_a_count_of_regions_is_labelled_with_what_they_did(
    reference: Reference, text: str, raw: str, expected: str
) -> None:
    o = one(figures(reference, text), raw)
    assert (o.local, o.indicator_label) == (True, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全州辖2市10县，总面积2.3万平方公里。", {"2市": "辖市", "10县": "辖县"}),
        ("雁岭市辖3区5县，户籍人口312万人。", {"3区": "辖区", "5县": "辖县"}),
    ],
)
def test_regions_counted_bare_are_labelled_by_the_governing_verb(
    reference: Reference, text: str, expected: dict[str, str]
) -> None:
    found = figures(reference, text)
    assert {raw: one(found, raw).indicator_label for raw in expected} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全县中小学教师中具有本科及以上学历的比例为78.2%。", "中小学教师本科及以上学历比例"),
        ("全市专任教师中持有教师资格证的比例达到96%。", "专任教师教师资格证比例"),
        ("乡村学校教师中50岁以上的占比为28%。", "乡村学校教师50岁以上占比"),
        ("中职在校生占高中阶段在校生的比例为41%。", "中职在校生占高中阶段在校生的比例"),
    ],
)
def test_the_share_of_a_group_with_a_trait_is_named_as_the_genre_names_it(
    reference: Reference, text: str, expected: str
) -> None:
    [o] = figures(reference, text)
    assert label(o, reference) == expected
