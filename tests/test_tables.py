"""Tables rendered as text lines: a header with units or years, then one row a line."""

from __future__ import annotations

from decimal import Decimal

from edugraph.ingest import tables


def test_a_header_with_units_in_brackets_reads_its_rows() -> None:
    columns = tables.header("类别 学校数（所） 在校生（人） 教职工(人)")
    assert columns is not None
    assert [c.unit.code for c in columns if c.unit] == ["institution", "person", "person"]
    cells = tables.row("初中 12 5230 410", columns)
    assert cells is not None
    assert [(c.value, c.unit.code, c.label) for c in cells] == [
        (Decimal(12), "institution", "初中学校数"),
        (Decimal(5230), "person", "初中在校生"),
        (Decimal(410), "person", "初中教职工"),
    ]
    total = tables.row("合计 30 9000 800", columns)
    assert total is not None and total[0].label == "学校数"


def test_a_header_of_years_takes_the_unit_of_each_row() -> None:
    columns = tables.header("指标 2020年 2021年")
    assert columns is not None and [c.year for c in columns] == ["2020", "2021"]
    cells = tables.row("教育经费总投入（亿元） 3.5 4.12", columns)
    assert cells is not None
    assert [(c.value, c.unit.code, c.year) for c in cells] == [
        (Decimal(350000000), "yuan", "2020"),
        (Decimal(412000000), "yuan", "2021"),
    ]
    assert tables.row("高中毛入学率（%） 92.1 93.4", columns) is not None


def test_a_table_of_years_down_its_rows_dates_each_row() -> None:
    columns = tables.header("年度 教育经费（万元） 增长率（%）")
    assert columns is not None
    cells = tables.row("2019 1520.5 3.2", columns)
    assert cells is not None
    assert [(c.value, c.unit.code, c.year, c.direction, c.label) for c in cells] == [
        (Decimal(15205000), "yuan", "2019", 0, "教育经费"),
        (Decimal("3.2"), "percent", "2019", 1, "教育经费"),
    ]
    # a row that opens with a number other than a year is still no row
    assert tables.row("12 1520.5 3.2", columns) is None


def test_a_column_of_scores_is_in_points() -> None:
    columns = tables.header("指标 满分分值 得分")
    assert columns is not None and [c.unit.code for c in columns if c.unit] == ["point"] * 2
    cells = tables.row("教育保障 30 27.5", columns)
    assert cells is not None
    assert [(c.value, c.label) for c in cells] == [
        (Decimal(30), "教育保障满分分值"),
        (Decimal("27.5"), "教育保障得分"),
    ]


def test_prose_and_rows_of_another_shape_are_no_table() -> None:
    assert tables.header("全县共有学校 36 所 在校生 6215 人") is None
    assert tables.header("学校 36 6215") is None
    columns = tables.header("类别 学校数（所） 在校生（人）")
    assert columns is not None
    assert tables.row("小学 12", columns) is None
    assert tables.row("小学 12 多 人", columns) is None
    assert tables.row("全县新建学校 5 所", columns) is None


def test_a_signed_change_after_the_years_is_a_change_on_the_last_year() -> None:
    columns = tables.header("指标 2021年 2022年 增减")
    assert columns is not None and columns[-1].signed and columns[-1].year == "2022"
    rate = tables.row("义务教育大班额比例（%） 4.6 2.9 -1.7", columns)
    assert rate is not None
    change = rate[-1]
    assert (change.value, change.unit.code, change.direction) == (
        Decimal("1.7"),
        "percentage-point",
        -1,
    )
    assert change.label == "义务教育大班额比例增减"
    money = tables.row("教育支出（亿元） 92.62 98.36 +5.74", columns)
    assert money is not None and (money[-1].value, money[-1].direction) == (574000000, 1)
    assert tables.header("指标 学校数（所） 增减") is None  # a change needs years before it


def test_a_unit_stated_above_the_header_is_every_column_s() -> None:
    unit = tables.stated_unit("单位：万元")
    assert unit is not None and unit[0].code == "yuan"
    columns = tables.header("年份 教育支出 其中：本级 上级转移支付", unit=unit)
    assert columns is not None and [c.name for c in columns][1] == "本级"
    cells = tables.row("2019年 38650 11420 27230", columns)
    assert cells is not None
    assert (cells[0].value, cells[0].year) == (Decimal(386500000), "2019")
    assert tables.header("年份 教育支出 本级 上级转移支付") is None  # no unit, no table


def test_columns_of_goals_and_of_what_was_reached_name_the_row() -> None:
    columns = tables.header("指标 目标值 完成值", unit=tables.stated_unit("单位：%"))
    assert columns is not None
    cells = tables.row("普惠性幼儿园覆盖率 80 86.3", columns)
    assert cells is not None
    assert [(c.value, c.label, c.goal) for c in cells] == [
        (Decimal(80), "普惠性幼儿园覆盖率", True),
        (Decimal("86.3"), "普惠性幼儿园覆盖率", False),
    ]


def test_a_column_of_units_gives_each_row_its_unit() -> None:
    columns = tables.header("项目 单位 2019年 2020年")
    assert columns is not None
    cells = tables.row("义务教育巩固率 % 94.2 95.0", columns)
    money = tables.row("教育附加收入 万元 850 920", columns)
    classes = tables.row("66人以上超大班额 个 12 0", columns)
    assert cells and money and classes
    assert [(c.value, c.unit.code, c.year) for c in cells] == [
        (Decimal("94.2"), "percent", "2019"),
        (Decimal("95.0"), "percent", "2020"),
    ]
    assert money[1].value == Decimal(9200000) and money[1].unit.code == "yuan"
    assert {c.unit.code for c in classes} == {"class"}  # 个 takes the unit of what it counts
    assert tables.row("义务教育巩固率 百分比 94.2 95.0", columns) is None  # no unit, no row


def test_a_column_of_another_years_average_names_it() -> None:
    columns = tables.header("指标 单位 2021年 全省平均（2021年）")
    assert columns is not None
    cells = tables.row("高中阶段毛入学率 % 93.1 92.4", columns)
    assert cells is not None
    assert [(c.label, c.year) for c in cells] == [
        ("高中阶段毛入学率", "2021"),
        ("全省平均高中阶段毛入学率", "2021"),
    ]


def test_a_table_written_with_pipes_reads_as_one_of_spaces() -> None:
    columns = tables.header("| 指标 | 单位 | 2020年 | 2021年 | 增减 |")
    assert columns is not None and tables.SEPARATOR.match("| --- | :---: | --- | --- | --- |")
    cells = tables.row("| 专任教师本科以上学历占比 | % | 81.5 | 84.0 | +2.5 |", columns)
    assert cells is not None
    change = cells[-1]
    assert (change.value, change.unit.code, change.direction) == (
        Decimal("2.5"),
        "percentage-point",
        1,
    )
    assert not tables.SEPARATOR.match("| 小学 | 12 |")


def test_a_numbered_table_of_standards_with_verdicts() -> None:
    columns = tables.header("序号 指标 评价标准 2022年 2023年 达成情况")
    assert columns is not None
    cells = tables.row("1 学前三年毛入园率（%） ≥90 91.4 92.6 达标", columns)
    assert cells is not None
    assert [(c.raw, c.value, c.unit.code, c.year, c.goal, c.qualifier) for c in cells] == [
        ("90", Decimal(90), "percent", None, True, "at-least"),
        ("91.4", Decimal("91.4"), "percent", "2022", False, None),
        ("92.6", Decimal("92.6"), "percent", "2023", False, None),
    ]
    line = "7 小学校际差异系数 ≤0.50 0.46 0.42 达标"
    coefficient = tables.row(line, columns)
    assert coefficient is not None
    assert (coefficient[0].unit.code, coefficient[0].qualifier) == ("coefficient", "at-most")
    assert line[coefficient[0].start : coefficient[0].end] == "0.50"  # the bound is no digit
    assert tables.row("学前三年毛入园率（%） ≥90 91.4 92.6 达标", columns) is None  # no number
    assert tables.row("1 毛入园率（%） ≥90 91.4 92.6 很好", columns) is None  # no verdict


def test_a_unit_stated_above_a_header_of_years_is_each_year_s() -> None:
    columns = tables.header("指标 2018年 2019年 增减", unit=tables.stated_unit("单位：%"))
    assert columns is not None
    cells = tables.row("学前三年毛入园率 86.2 88.9 2.7", columns)
    assert cells is not None
    assert [(c.value, c.unit.code, c.year, c.direction) for c in cells] == [
        (Decimal("86.2"), "percent", "2018", 0),
        (Decimal("88.9"), "percent", "2019", 0),
        (Decimal("2.7"), "percentage-point", "2019", 1),
    ]
