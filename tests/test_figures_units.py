"""Figures in units and date forms the genre uses beyond the first reports: bare 亿 of money,
vehicles, hectares, degrees, courses and toilets counted, dotted months and spans to now.

Each text is made up after a pattern seen in reports of the genre (no sentence is copied).
"""

from __future__ import annotations

from decimal import Decimal

from edugraph.reference import Reference
from tests.test_figures_genre import figures, one


def test_a_bare_yi_after_revenue_or_spending_is_money(reference: Reference) -> None:
    found = figures(reference, "2020年，全县地方财政收入12.5亿，民生支出8.1亿，户籍人口21.4万。")
    assert [one(found, raw).unit for raw in ("12.5亿", "8.1亿", "21.4万")] == [
        "yuan",
        "yuan",
        "person",
    ]


def test_counts_of_vehicles_land_and_courses_keep_what_they_count(reference: Reference) -> None:
    found = figures(
        reference,
        "新购置校车17辆，新增教育用地12.5公顷，开设选修课程88门，新建水冲式厕所9座，编写校本教材3篇。",
    )
    units = {raw: one(found, raw).unit for raw in ("17辆", "12.5公顷", "88门", "9座", "3篇")}
    assert units == {
        "17辆": "vehicle",
        "12.5公顷": "hectare",
        "88门": "item",
        "9座": "item",
        "3篇": "item",
    }


def test_a_temperature_in_du_is_in_degrees(reference: Reference) -> None:
    found = figures(reference, "境内年平均气温在8.5度左右，各乡镇召开座谈会3次。")
    o = one(found, "8.5度")
    assert (o.unit, o.value) == ("degree-celsius", Decimal("8.5"))


def test_a_count_before_a_negated_verb_counts_the_noun_before_the_verb(
    reference: Reference,
) -> None:
    found = figures(reference, "目前仍有7个乡镇没有标准化寄宿制学校，另有2个乡尚未建成公办幼儿园。")
    assert [one(found, raw).unit for raw in ("7个", "2个")] == ["township", "township"]


def test_a_dotted_month_after_jiezhi_dates_its_sentence(reference: Reference) -> None:
    found = figures(reference, "截至2020.11，全县共有学校86所，其中小学41所；在校学生3.2万人。")
    assert {one(found, raw).period for raw in ("86所", "41所", "3.2万人")} == {"2020-11"}


def test_a_year_to_now_dates_a_span_ending_in_the_year_evaluated(reference: Reference) -> None:
    found = figures(reference, "2017年至今，累计投入校舍改造资金2.6亿元，新增学位3400个。")
    assert {one(found, raw).period for raw in ("2.6亿元", "3400个")} == {"2017/2020"}


def test_a_count_of_one_noun_before_another_counted_keeps_its_own(reference: Reference) -> None:
    found = figures(reference, "县教育局等12个部门和5个乡镇对照评价细则开展自查。")
    assert [one(found, raw).unit for raw in ("12个", "5个")] == ["item", "township"]


def test_large_classes_counted_through_a_change_stay_classes(reference: Reference) -> None:
    found = figures(reference, "全县56人以上大班额由上年的31个减少到6个，城区仍有大班额4个。")
    assert [one(found, raw).unit for raw in ("31个", "6个", "4个")] == ["class"] * 3


def test_problems_an_evaluation_found_are_dated_by_it(reference: Reference) -> None:
    found = figures(
        reference,
        "市政府对5个县2019年度履行教育职责情况开展评价，反馈问题22个，已整改20个。",
        "针对2019年度评价反馈的校舍不足问题，投入资金800万元新建教学楼2栋。",
    )
    assert [one(found, raw).period for raw in ("22个", "20个", "800万元")] == [
        "2019",
        "2020",
        "2020",
    ]


def test_a_range_with_a_full_width_tilde_and_thousands_is_one_range(reference: Reference) -> None:
    found = figures(reference, "乡村教师生活补助按每人每月1,200～2,400元分三档发放。")
    o = one(found, "1,200～2,400元")
    assert (o.value, o.low, o.qualifier) == (Decimal(2400), Decimal(1200), "range")


def test_a_label_from_a_unit_word_in_traditional_script_is_simplified(
    reference: Reference,
) -> None:
    found = figures(reference, "本縣轄9鎮5鄉、213個行政村。")
    assert [one(found, raw).indicator_label for raw in ("9鎮", "5鄉")] == ["辖镇", "辖乡"]


def test_more_than_half_in_words_is_a_share(reference: Reference) -> None:
    found = figures(reference, "全县建成标准化食堂的学校过半，寄宿生满意度达到92%。")
    o = one(found, "过半")
    assert (o.value, o.unit, o.qualifier) == (Decimal(50), "percent", "more-than")


def test_grades_groups_and_class_hours_are_counted(reference: Reference) -> None:
    found = figures(reference, "生活补助分为3档，督查组分 5 组入校，每周安排不少于2课时。")
    assert [(o.value, o.unit) for o in found] == [(3, "item"), (5, "item"), (2, "lesson")]


def test_a_group_in_chinese_numerals_or_before_a_verb_is_no_count(reference: Reference) -> None:
    found = figures(reference, "展示一组成果，成立专家组织2个。")
    assert [o.span.text for o in found] == ["2个"]


def test_canteens_inspected_are_counted_as_buildings_not_schools(reference: Reference) -> None:
    found = figures(reference, "县市场监管局对全县 18 所学校食堂开展专项检查。")
    assert (found[0].value, found[0].unit) == (18, "item")


def test_a_count_before_a_verb_of_supply_counts_its_noun(reference: Reference) -> None:
    found = figures(reference, "为9个村级教学点更新课桌椅。")
    assert (found[0].value, found[0].unit) == (9, "institution")
