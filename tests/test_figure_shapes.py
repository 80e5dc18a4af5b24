"""Shapes of figures met in report openings published on the web: ordinals spaced like PDF
text, counts of people after 万, verbs inside nouns, relative clauses, clauses that name only
when and how much, the national per-pupil conditions, and a web copy's count of reports."""

from __future__ import annotations

from decimal import Decimal

from edugraph.ingest.numbers import scan
from edugraph.reference import Reference
from tests.test_figures_genre import figures, label, one


def test_an_ordinal_with_a_space_is_no_figure(reference: Reference) -> None:
    found = figures(reference, "召开第 12 次全市中小学安全工作会议，部署暑期防溺水工作。")
    assert [o.span.text for o in found] == []


def test_a_count_in_ming_before_shi_or_xiao_counts_people(reference: Reference) -> None:
    found = figures(reference, "交流轮岗35名校长，组织260名师生参加研学。")
    assert [(o.value, o.unit) for o in found] == [(35, "person"), (260, "person")]
    assert [label(o, reference) for o in found] == ["校长", "师生"]


def test_a_bare_wan_count_takes_the_people_noun_after_it(reference: Reference) -> None:
    found = figures(reference, "把 46 多万师生的健康放在首位，实现5余万名家长全覆盖。")
    first, second = found
    assert (first.value, first.unit, first.qualifier) == (460000, "person", "more-than")
    assert (second.value, second.unit, label(second, reference)) == (50000, "person", "家长")


def test_a_verb_inside_a_noun_does_not_cut_the_label(reference: Reference) -> None:
    found = figures(reference, "选派80名基层党组织书记参加轮训。")
    assert label(one(found, "80名"), reference) == "基层党组织书记"


def test_a_relative_clause_before_a_predicate_is_part_of_the_noun(reference: Reference) -> None:
    found = figures(
        reference,
        "已设立心理咨询室的公办中小学校达到126所。",
        "在城区学校周边设立护学岗45个，建成标准化的食堂18个。",
    )
    assert label(one(found, "126所"), reference) == "设立心理咨询室的公办中小学校"
    assert label(one(found, "45个"), reference) == "护学岗"
    assert label(one(found, "18个"), reference) == "标准化的食堂"


def test_a_nominal_with_de_keeps_its_words(reference: Reference) -> None:
    found = figures(reference, "基本落实的有11项，落实不到位的有2项。")
    assert [label(o, reference) for o in found] == ["基本落实", "落实不到位"]


def test_a_clause_of_when_and_how_much_is_about_the_clause_before(reference: Reference) -> None:
    found = figures(reference, "学前教育财政投入逐年增加，2021年达3.2亿元，较上年增长6.1%。")
    assert [label(o, reference) for o in found] == ["学前教育财政投入"] * 2
    assert [o.value_type for o in found] == ["actual", "change"]


def test_per_pupil_conditions_are_the_schemes_indicators(reference: Reference) -> None:
    found = figures(
        reference, "全县初中生均教学仪器设备值3120元，生均图书41册，生均校舍建筑面积9.2平方米。"
    )
    assert [label(o, reference) for o in found] == [
        "生均教学仪器设备值",
        "生均图书",
        "生均校舍建筑面积",
    ]
    assert [o.unit for o in found] == ["yuan", "volume", "square-metre"]


def test_a_web_copys_count_of_reports_is_no_figure(reference: Reference) -> None:
    found = figures(
        reference,
        "精品范文网>公文范文>县人民政府履行教育职责自查报告（精选九篇）",
        "以下是整理的区政府履行教育职责自评报告(通用12篇)，仅供参考。",
        "全年教师发表论文64篇，形成调研报告9篇。",
    )
    assert [o.span.text for o in found] == ["64篇", "9篇"]


def test_a_barred_table_with_a_unit_column_reads_every_row(reference: Reference) -> None:
    found = figures(
        reference,
        "主要指标变化情况如下：\n"
        "| 指标 | 单位 | 2021年 | 2022年 | 增减 |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| 教育经费总投入 | 亿元 | 8.45 | 9.02 | +0.57 |\n"
        "| 普惠性幼儿园覆盖率 | % | 88.1 | 90.3 | +2.2 |\n"
        "| 超大班额 | 个 | 6 | 0 | -6 |",
    )
    got = [(o.span.text, o.value, o.unit, o.period, o.value_type) for o in found]
    assert got == [
        ("8.45", 845000000, "yuan", "2021", "actual"),
        ("9.02", 902000000, "yuan", "2022", "actual"),
        ("+0.57", 57000000, "yuan", "2022", "change"),
        ("88.1", Decimal("88.1"), "percent", "2021", "actual"),
        ("90.3", Decimal("90.3"), "percent", "2022", "actual"),
        ("+2.2", Decimal("2.2"), "percentage-point", "2022", "change"),
        ("6", 6, "class", "2021", "actual"),
        ("0", 0, "class", "2022", "actual"),
        ("-6", -6, "class", "2022", "change"),
    ]


def test_a_named_year_column_is_of_its_year_and_names_its_cells(reference: Reference) -> None:
    found = figures(
        reference,
        "指标  单位  2022年  2023年  全国平均（2023年）\n"
        "高中阶段毛入学率  %  91.2  92.6  91.8\n"
        "生均公用经费（初中）  元  1150  1210  1300",
    )
    national = [o for o in found if o.span.text in ("91.8", "1300")]
    assert [(o.period, o.indicator_label) for o in national] == [
        ("2023", "全国平均高中阶段毛入学率"),
        ("2023", "全国平均生均公用经费（初中）"),
    ]
    assert len(found) == 6


def test_a_count_of_schools_is_named_by_the_schools(reference: Reference) -> None:
    found = figures(reference, "县委组织部指导全县58所中小学党组织完成换届选举。")
    assert label(one(found, "58所"), reference) == "中小学"


def test_the_parts_in_a_bracket_after_a_whole_take_its_noun(reference: Reference) -> None:
    found = figures(
        reference,
        "全镇在校学生3120人（小学1980人、初中1140人），幼儿园12所（公办5所、民办7所）。",
    )
    labels = [label(o, reference) for o in found]
    assert labels[1:3] == ["小学在校学生", "初中在校学生"]
    assert labels[4:] == ["公办幼儿园", "民办幼儿园"]


def test_a_list_with_each_inside_a_bracket_starts_in_the_bracket(reference: Reference) -> None:
    found = figures(reference, "全县共有学校 64 所(含特教学校、进修学校各 1 所,初中 9 所)。")
    assert [label(o, reference) for o in found][1:3] == ["特教学校", "进修学校"]


def test_an_ordinal_is_no_figure_however_many_spaces_the_pdf_left() -> None:
    # the matching copy moves a PDF's spaces around numbers, so two may stand before one
    assert [a.value for a in scan("召开第  24次全市会议，参会300人。")] == [300]


def test_numbers_in_a_title_or_a_named_rule_are_no_figures(reference: Reference) -> None:
    found = figures(
        reference,
        "印发《关于落实〈2021年教育工作十项重点任务〉的实施方案》，严格执行中央八项规定。",
        "全年开展专项督导五次。",
    )
    assert [o.span.text for o in found] == ["五次"]


def test_a_count_with_its_own_noun_does_not_continue_the_list(reference: Reference) -> None:
    found = figures(reference, "改造提升12所幼儿园、35所学校的运动场地。")
    assert label(one(found, "35所"), reference) == "学校"


def test_the_genres_other_names_of_the_enrolment_rates(reference: Reference) -> None:
    found = figures(reference, "学前教育三年入学率为90.2%，高中毛入学率为93.1%。")
    assert [label(o, reference) for o in found] == ["学前三年毛入园率", "高中阶段教育毛入学率"]


def test_spending_per_student_is_not_the_whole_spending(reference: Reference) -> None:
    found = figures(
        reference, "在校生人均一般公共预算教育支出16420元，8号学校等9所中小学校完成改造。"
    )
    assert label(found[0], reference) == "按在校学生人数平均的一般公共预算教育支出"
    assert label(one(found, "9所"), reference) == "中小学校"


def test_this_year_inside_a_clause_says_when_not_what(reference: Reference) -> None:
    found = figures(reference, "县委常委会今年专题研究教育工作6次，县级领导今年到校督导38人次。")
    assert [label(o, reference) for o in found] == [
        "县委常委会专题研究教育工作",
        "县级领导到校督导",
    ]


def test_a_fenbie_list_of_amounts_per_class_keeps_its_members(reference: Reference) -> None:
    found = figures(reference, "2022年，小学、初中平均班额分别为38.5人/班、44.1人/班。")
    assert [(o.value, o.unit) for o in found] == [
        (Decimal("38.5"), "person"),
        (Decimal("44.1"), "person"),
    ]
    assert [label(o, reference) for o in found] == ["小学平均班额", "初中平均班额"]


def test_a_minus_before_a_change_turns_it_round(reference: Reference) -> None:
    found = figures(reference, "全县一般公共预算收入增长-3.4%，生均经费分别增长4.6%、-1.2%和3.8%。")
    assert [(o.value_type, o.value) for o in found] == [
        ("change", Decimal("-3.4")),
        ("change", Decimal("4.6")),
        ("change", Decimal("-1.2")),
        ("change", Decimal("3.8")),
    ]


def test_a_school_year_dates_its_sentence_to_both_years(reference: Reference) -> None:
    found = figures(reference, "2020—2021学年，全县共有各级各类学校40所；在校学生3.2万人。")
    assert [o.period for o in found] == ["2020/2021", "2020/2021"]  # to the full stop


def test_the_self_check_s_score_is_of_the_year_evaluated(reference: Reference) -> None:
    found = figures(reference, "县政府于2021年1月组织15个部门开展自查，自评得分90.5分。")
    assert one(found, "90.5分").period == "2020"
    assert one(found, "15个").period == "2021-01"


def test_a_chinese_numeral_with_ling_is_read_whole(reference: Reference) -> None:
    found = figures(reference, "全年消除大班额二百零六个，新建学校一千零五所。")
    assert [(o.value, o.unit) for o in found] == [(-206, "class"), (1005, "institution")]


def test_a_range_with_a_unit_on_both_ends_is_two_figures(reference: Reference) -> None:
    found = figures(reference, "各校按公用经费总额5%至8%的比例安排教师培训经费。")
    assert [(o.value, o.qualifier) for o in found] == [(5, "range"), (8, "range")]


def test_a_zero_of_classes_in_traditional_script_is_read(reference: Reference) -> None:
    found = figures(reference, "全縣大班額已全部消除，年底前消除全部超大班額。")
    assert [(o.span.text, o.value, o.unit) for o in found] == [
        ("大班額已全部消除", 0, "class"),
        ("超大班額", 0, "class"),
    ]


def test_a_bound_after_a_space_still_qualifies(reference: Reference) -> None:
    found = figures(reference, "适龄残疾儿童少年入学率保持在 97% 以上。")
    assert [(o.value, o.qualifier) for o in found] == [(97, "at-least")]


def test_a_margin_over_civil_servants_pay_is_the_teachers_pay_change(reference: Reference) -> None:
    found = figures(
        reference, "全县义务教育教师年平均工资10.35万元，高于当地公务员年平均工资0.15万元。"
    )
    level, margin = found
    assert (margin.value_type, margin.value) == ("change", 1500)
    assert label(margin, reference) == label(level, reference) == "义务教育教师平均工资收入水平"
    # the value compared with, large beside no level before it, stays the civil servants' pay
    [value] = figures(reference, "教师年平均工资高于当地公务员年平均工资收入9.96万元。")
    assert (value.value_type, label(value, reference)) == ("actual", "当地公务员平均工资收入水平")


def test_the_value_compared_with_keeps_its_own_name(reference: Reference) -> None:
    found = figures(reference, "教育支出比上年增长8.9%，高于经常性收入6.1%的增长幅度2.8个百分点。")
    assert "经常性收入" in label(one(found, "6.1%"), reference)


def test_a_base_at_last_year_s_end_dates_only_itself(reference: Reference) -> None:
    text = "2020年安排化债资金18.5亿元，高校债务余额由上年底的97.3亿元降至78.8亿元，下降19.0%。"
    found = figures(reference, text)
    assert [(o.period, o.value_type) for o in found] == [
        ("2020", "actual"),
        ("2019-12", "baseline"),
        ("2020", "actual"),
        ("2020", "change"),
    ]


def test_the_self_check_s_own_month_dates_who_took_part(reference: Reference) -> None:
    found = figures(
        reference,
        "县教育局牵头，县财政局等18个部门和9个镇参加，于2021年1月对照评价指标逐项开展自查。",
        "县政府于2021年1月启动2020年度履行教育职责自评工作，会同县财政局等20个部门开展自查。",
    )
    assert [o.period for o in found] == ["2021-01", "2021-01", "2021-01"]
