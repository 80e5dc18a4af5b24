"""Figures whose period, unit, qualifier or label turns on a construction of the genre.

Each text is made up after a pattern seen in reports of other governments (no sentence is
copied); what is expected is what a careful reader says.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from edugraph.ingest.figures import FigureExtractor
from edugraph.ingest.periods import current_year
from edugraph.records import Element, Metadata, Observation, Span
from edugraph.reference import Reference

REPORT = Metadata(
    slug="c-example-county-2020", title="2020年度履行教育职责情况自评报告", issuer="某某县人民政府",
    issuer_en="Example County People's Government", region="example-county", region_zh="某某县",
    region_en="Example County", level="county", period_start="2020-01-01",
    period_end="2020-12-31", issued="2021-03-10",
)  # fmt: skip


def figures(reference: Reference, text: str, *, meta: Metadata = REPORT) -> list[Observation]:
    element = Element("achievement", 1, "1", "", Span(0, len(text), text, 1))
    extractor = FigureExtractor(reference, meta, lambda _: 1, set_by=lambda _: None)
    return extractor.run([element])[0]


def read(found: list[Observation], written: str) -> Observation:
    return next(o for o in found if o.span.text == written)


def test_a_date_written_with_spaces_dates_its_sentence(reference: Reference) -> None:
    found = figures(reference, "2019 年全县地区生产总值 120.5 亿元，财政收入 9.8 亿元。")
    assert [o.period for o in found] == ["2019", "2019"]


def test_a_base_at_the_end_of_a_year_dates_only_the_base(reference: Reference) -> None:
    found = figures(reference, "校外培训机构由2019年底的40家压减至6家，压减率85%。")
    base, now, rate = read(found, "40家"), read(found, "6家"), read(found, "85%")
    assert (base.value_type, base.period) == ("baseline", "2019-12")
    assert (now.period, rate.period) == ("2020", "2020")


def test_a_five_year_plan_dates_its_sums(reference: Reference) -> None:
    found = figures(reference, "“十三五”期间，全县累计投入教育经费52.6亿元，新建学校18所。")
    assert [o.period for o in found] == ["2016/2020", "2016/2020"]
    assert figures(reference, "十二五时期，全县新建幼儿园9所。")[0].period == "2011/2015"


def test_a_noun_with_its_alternative_counts_as_the_first(reference: Reference) -> None:
    found = figures(reference, "县政府组织12个部门和7个镇（街道）开展自查，全县乡镇（街道）11个。")
    assert [o.unit for o in found] == ["item", "township", "township"]
    assert figures(reference, "全县5个街道均建有公办中心幼儿园。")[0].unit == "item"


def test_alliances_and_consortia_are_organisations(reference: Reference) -> None:
    found = figures(reference, "组建党建工作联盟6个、市域产教联合体3个。")
    assert [o.unit for o in found] == ["organisation", "organisation"]


def test_a_bound_reaches_past_a_verb_or_a_total(reference: Reference) -> None:
    found = figures(
        reference, "每所学校至少配备2名心理健康教师，按不低于公用经费总额6%的标准安排。"
    )
    assert [o.qualifier for o in found] == ["at-least", "at-least"]


def test_what_the_self_check_found_is_dated_when_it_was_done(reference: Reference) -> None:
    found = figures(reference, "经自查，完全达标的指标42个，占93.3%；基本达标的3个。全县学校60所。")
    assert [o.period for o in found] == ["2021", "2021", "2021", "2020"]


def test_this_year_is_the_year_of_writing_when_the_report_reaches_it() -> None:
    assert current_year(REPORT) == "2020"  # written in 2021 on 2020 alone: 今年 is 2020
    reaching = replace(REPORT, title="履行教育职责情况自评报告", period_end="2021-05-31")
    assert current_year(reaching) == "2021"


def test_a_rate_frame_is_not_what_an_amount_measures(reference: Reference) -> None:
    found = figures(reference, "课后服务教师补助标准为每课时30元。")
    assert found[0].indicator_label == "课后服务教师补助标准"
    found = figures(reference, "2018—2020年全县招聘教师120人。")
    assert "2018" not in found[0].indicator_label and found[0].period == "2018/2020"
    assert found[0].value == Decimal(120)


def test_an_as_of_month_without_a_year_is_of_this_year(reference: Reference) -> None:
    found = figures(reference, "全年安排项目12个，截至9月底已完成投资3.2亿元，占计划的64%。")
    assert [o.period for o in found] == ["2020", "2020-09", "2020-09"]


def test_spaces_around_digits_keep_the_figure_and_its_noun(reference: Reference) -> None:
    found = figures(reference, "全年投入资金 320 余万元，大班额由上年的 41 个降至 9 个。")
    assert [(o.value, o.unit, o.qualifier) for o in found] == [
        (Decimal(3200000), "yuan", "more-than"),
        (Decimal(41), "class", None),
        (Decimal(9), "class", None),
    ]


REPORT_2023 = replace(
    REPORT, title="2023年度履行教育职责情况自评报告", period_start="2023-01-01",
    period_end="2023-12-31", issued="2024-03-01",
)  # fmt: skip


def test_the_years_since_a_plan_began_date_its_sums(reference: Reference) -> None:
    found = figures(
        reference, "“十四五”以来，全县累计新建校舍12.5万平方米，年均增长4.1%。", meta=REPORT_2023
    )
    assert [o.period for o in found] == ["2021/2023", "2021/2023"]


def test_a_base_at_a_plans_end_is_of_its_last_year(reference: Reference) -> None:
    found = figures(reference, "教育经费由“十三五”末的8.6亿元增加到10.2亿元。", meta=REPORT_2023)
    base, now = read(found, "8.6亿元"), read(found, "10.2亿元")
    assert (base.value_type, base.period) == ("baseline", "2020")
    assert (now.value_type, now.period) == ("actual", "2023")


def test_a_breakdown_keeps_the_as_of_month_of_the_stock(reference: Reference) -> None:
    found = figures(
        reference,
        "截至2020年9月，全县共有学校86所；在校学生3.2万人。按学段分，全县有小学40所、初中12所。"
        "在各类学校中，民办学校9所。全年新建学校3所。",
    )
    assert [o.period for o in found] == ["2020-09"] * 5 + ["2020"]


def test_what_was_done_while_checking_is_dated_when_it_was_done(reference: Reference) -> None:
    found = figures(reference, "自评期间，工作组走访学校25所，发放问卷3000份。全县学校60所。")
    assert [o.period for o in found] == ["2021", "2021", "2020"]


def test_large_classes_listed_from_a_year_to_a_year_are_classes(reference: Reference) -> None:
    found = figures(reference, "小学、初中大班额分别由2017年的45个、21个减少到3个、1个。")
    assert [o.unit for o in found] == ["class"] * 4
    found = figures(reference, "全县大班额由2018年的60个下降到2020年的4个。")
    assert [o.unit for o in found] == ["class", "class"]


def test_at_least_reaches_past_the_verb_it_bounds(reference: Reference) -> None:
    found = figures(reference, "每学期至少召开3次家长会，每所职校至少与2家企业合作。")
    assert [o.qualifier for o in found] == ["at-least", "at-least"]


def test_a_margin_over_an_average_measures_what_is_compared(reference: Reference) -> None:
    found = figures(
        reference,
        "全县学前教育毛入园率、公办园在园幼儿占比分别高于全市平均水平2.3个和4.1个百分点。",
    )
    assert [o.indicator_label for o in found] == ["学前教育毛入园率", "公办园在园幼儿占比"]
    found = figures(reference, "全县义务教育巩固率达到97.5%，高出全省平均水平约1.5个百分点。")
    assert found[0].indicator == found[1].indicator and found[1].value_type == "change"


def test_a_count_never_changes_by_percentage_points(reference: Reference) -> None:
    found = figures(reference, "全县在园幼儿占比较上年提高2.6个百分点。")
    assert "在园幼儿占比" in found[0].indicator_label


def test_a_count_after_a_rate_is_a_figure_of_its_own(reference: Reference) -> None:
    found = figures(reference, "残疾儿童少年入学率达到96.4%，为27名重度残疾儿童送教上门。")
    assert found[1].indicator != found[0].indicator and "残疾儿童" in found[1].indicator_label


def test_what_a_sentence_plans_is_a_target(reference: Reference) -> None:
    found = figures(
        reference, "今年秋季计划招聘教师120名，新校区于明年投入使用，届时可新增学位900个。"
    )
    assert [o.value_type for o in found] == ["target", "target"]
    assert figures(reference, "教师素质提升计划投入资金800万元。")[0].value_type == "actual"


def test_a_base_in_a_month_dates_only_the_base(reference: Reference) -> None:
    found = figures(reference, "培训机构由2019年7月的85家压减到2020年底的7家，压减率91.8%。")
    assert [(o.value_type, o.period) for o in found] == [
        ("baseline", "2019-07"),
        ("actual", "2020-12"),
        ("actual", "2020"),
    ]


def test_a_term_that_bounds_a_time_dates_its_year(reference: Reference) -> None:
    found = figures(reference, "2020年秋季学期起，全县课后服务覆盖率达到100%。")
    assert found[0].period == "2020"
    assert figures(reference, "2020年秋季学期，全县招生8000人。")[0].period == "2020-09"


def test_a_time_limit_in_working_days_is_a_figure(reference: Reference) -> None:
    found = figures(reference, "入学报名审核时限由5个工作日缩短至2个工作日。")
    assert [(o.value, o.unit) for o in found] == [(Decimal(5), "day"), (Decimal(2), "day")]


def test_the_indicators_named_before_a_compared_list_each_take_their_change(
    reference: Reference,
) -> None:
    found = figures(
        reference,
        "全县学前三年毛入园率达到92.4%，九年义务教育巩固率达到97.9%，两项指标分别比上年提高"
        "1.6个和0.3个百分点。",
    )
    assert len(found) == 4  # 两项 refers back to the figures, it counts nothing
    assert [o.indicator for o in found[2:]] == [o.indicator for o in found[:2]]


def test_a_net_change_or_one_against_a_year_goes_with_the_figure_before(
    reference: Reference,
) -> None:
    found = figures(reference, "全县建成教师周转宿舍760套，较2018年增加180套。")
    assert found[1].indicator_label == found[0].indicator_label == "教师周转宿舍"
    found = figures(reference, "学前三年毛入园率由2017年的81.5%提高到91.2%，净增9.7个百分点。")
    assert found[2].indicator == found[1].indicator


def test_words_that_open_with_a_scope_word_are_kept_whole(reference: Reference) -> None:
    found = figures(reference, "现场解决校舍维修等实际问题17个。")
    assert found[0].indicator_label.startswith("现场解决")


def test_what_an_amount_is_per_is_no_noun_it_counts(reference: Reference) -> None:
    found = figures(reference, "按在校生人数平均，小学为1.48万元/生、初中为1.93万元/生。")
    assert [o.indicator_label for o in found] == ["小学", "初中"]


def test_a_year_opening_a_clause_dates_it_but_a_multiples_base_does_not(
    reference: Reference,
) -> None:
    found = figures(reference, "2016—2019年累计投入9.8亿元，2019年的教育投入是2016年的1.42倍。")
    assert [o.period for o in found] == ["2016/2019", "2019"]
    assert found[1].indicator_label == "教育投入"


def test_a_five_year_plans_goal_is_of_its_last_year(reference: Reference) -> None:
    found = figures(reference, "普惠性幼儿园覆盖率达到88.1%，提前实现“十四五”规划确定的85%目标。")
    assert (found[1].value_type, found[1].period) == ("target", "2025")


def test_a_count_of_township_governments_counts_townships(reference: Reference) -> None:
    found = figures(reference, "区政府组织11个部门和3个镇人民政府开展自查。")
    assert [o.unit for o in found] == ["item", "township"]


def test_growth_in_words_is_a_change_of_so_many_times(reference: Reference) -> None:
    found = figures(reference, "全年资助资金5.2亿元，较2016年翻了一番；在校生规模翻两番。")
    assert [(o.value, o.unit, o.value_type) for o in found[1:]] == [
        (Decimal(2), "times", "change"),
        (Decimal(4), "times", "change"),
    ]


def test_the_end_of_large_classes_by_a_deadline_is_a_target_of_its_year(
    reference: Reference,
) -> None:
    [zero] = figures(reference, "2022年底前消除大班额。")
    assert (zero.value, zero.unit, zero.value_type, zero.period) == (0, "class", "target", "2022")


def test_principals_and_teachers_counted_in_ming_are_persons(reference: Reference) -> None:
    found = figures(reference, "选派86名校长到外地跟岗学习，42名师生参加交流。")
    assert [(o.value, o.unit) for o in found] == [(Decimal(86), "person"), (Decimal(42), "person")]


def test_a_thousands_separator_does_not_cut_the_clause_of_a_count(reference: Reference) -> None:
    found = figures(reference, "全县大班额由2019年的1,126个下降到2020年的15个。")
    assert [o.unit for o in found] == ["class", "class"]


def test_a_table_of_pipes_under_its_rule_gives_a_figure_a_cell(reference: Reference) -> None:
    text = (
        "主要指标如下：\n| 指标 | 单位 | 2019年 | 2020年 |\n| --- | --- | --- | --- |\n"
        "| 学前三年毛入园率 | % | 88.5 | 90.2 |\n| 教育支出 | 亿元 | 5.6 | 6.1 |"
    )
    found = figures(reference, text)
    assert [(o.value, o.unit, o.period) for o in found] == [
        (Decimal("88.5"), "percent", "2019"),
        (Decimal("90.2"), "percent", "2020"),
        (Decimal(560000000), "yuan", "2019"),
        (Decimal(610000000), "yuan", "2020"),
    ]


def test_each_of_a_list_after_other_figures_is_only_the_list_after_them(
    reference: Reference,
) -> None:
    found = figures(reference, "全县有学校96所，其中小学40所、初中12所、职业学校和特教学校各1所。")
    assert [o.value for o in found] == [96, 40, 12, 1, 1]
    assert [o.indicator_label for o in found[3:]] == ["职业学校", "特教学校"]
    found = figures(reference, "2021年新建小学、初中各1所。")
    assert [o.indicator_label for o in found] == ["新建小学", "初中"]


def test_one_staff_member_for_so_many_pupils_is_a_ratio(reference: Reference) -> None:
    [ratio] = figures(reference, "寄宿制学校按每80名寄宿生配备1名生活老师的标准配齐。")
    assert (ratio.value, ratio.unit) == (Decimal(80), "ratio")


def test_a_height_that_picks_schools_out_is_no_figure(reference: Reference) -> None:
    assert figures(reference, "海拔3,800米以上学校全部配备供氧设备。") == []
    assert figures(reference, "全县平均海拔3540米。")[0].unit == "metre"


def test_a_count_of_school_canteens_in_suo_counts_canteens(reference: Reference) -> None:
    found = figures(reference, "全县286所学校食堂全部实现明厨亮灶，完成4所学校宿舍和食堂改造。")
    assert [o.unit for o in found] == ["item", "institution"]


def test_how_the_self_check_was_done_is_dated_when_it_was_done(reference: Reference) -> None:
    found = figures(reference, "自查采取查阅资料和实地核查相结合的方式，实地核查学校27所。")
    assert found[0].period == "2021"


def test_new_kinds_of_counted_nouns(reference: Reference) -> None:
    found = figures(reference, "组建“教联体”9个，为4个流动幼教点配备教师，陪餐1.2万余餐次。")
    assert [o.unit for o in found] == ["organisation", "institution", "session"]


def test_an_average_height_above_a_level_is_a_figure(reference: Reference) -> None:
    [height] = figures(reference, "全县平均海拔4,200米以上，冬季漫长。")
    assert (height.value, height.unit, height.qualifier) == (Decimal(4200), "metre", "at-least")
    found = figures(reference, "全市129所中小学、幼儿园食堂全部达标。")
    assert found[0].unit == "item"


def test_a_score_of_this_part_is_named_by_the_parts_heading(reference: Reference) -> None:
    text = "全县学校党组织实现全覆盖。（本项分值18分）"
    element = Element("area", 1, "（一）", "（一）加强党的全面领导", Span(0, len(text), text, 1))
    extractor = FigureExtractor(reference, REPORT, lambda _: 1, set_by=lambda _: None)
    [score] = extractor.run([element])[0]
    assert (score.value, score.unit, score.indicator_label) == (18, "point", "加强党的全面领导分值")


def test_a_score_after_the_full_stop_dates_nothing_before_it(reference: Reference) -> None:
    found = figures(
        reference,
        "组织教师专题培训，表彰优秀教师80名。（本项分值15分，自评得分14分）"
        "县教育局组织12个部门对照指标逐项自查，自评得分92分。",
    )
    assert [(o.span.text, o.period) for o in found] == [
        ("80名", "2020"),
        ("15分", "2020"),
        ("14分", "2020"),
        ("12个", "2021"),
        ("92分", "2020"),
    ]
