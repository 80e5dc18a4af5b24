"""Normalisation of PDF text: rejoined lines, and offsets that lead back to the source."""

from __future__ import annotations

from pathlib import Path

import pytest

from edugraph.errors import InputError
from edugraph.ingest.text import normalise, read_source
from tests.conftest import CHONGQING


def test_every_character_maps_back_to_the_source() -> None:
    raw = read_source(CHONGQING)
    norm = normalise(raw)
    for i, char in enumerate(norm.text):
        if char not in "\n ":
            assert raw[norm.origin[i]] == char, i


def test_lines_are_rejoined_into_paragraphs() -> None:
    norm = normalise(read_source(CHONGQING))
    paragraphs = [norm.text[b:e] for b, e in norm.paragraphs]
    assert paragraphs[0] == "重庆市人民政府"
    assert paragraphs[1] == "2019年以来履行教育职责情况自查自评报告"
    # a sentence broken across a line and a page break comes back whole
    assert any("到2020年全市高中阶段教育毛入学率达到97%的目标提前完成" in p for p in paragraphs)
    assert "一、工作成效" in paragraphs
    assert len(paragraphs) == 62
    assert all("\n" not in p for p in paragraphs)


@pytest.mark.parametrize("footer", ["— 2 —", "-2-", "第2页", "第 2 页 共 9 页", "2/9"])
def test_a_page_footer_is_dropped_and_its_paragraph_rejoined(footer: str) -> None:
    raw = (
        "一、主要做法\n"
        "全县共投入教育经费十二点八亿元，比上年增长百分之六点一，其中一般公共预算教育支出\n"
        f"\n{footer}\n\n"
        "十点三亿元，占一般公共预算支出的百分之二十一点六，连续三年保持增长，落实了两个只增不减。\n"
        "二、存在问题\n"
    )
    norm = normalise(raw)
    paragraphs = [norm.text[b:e] for b, e in norm.paragraphs]
    assert len(paragraphs) == 3 and "支出十点三亿元" in paragraphs[1]
    assert footer not in norm.text


def test_line_numbers_point_at_the_source_line() -> None:
    raw = read_source(CHONGQING)
    norm = normalise(raw)
    offset = norm.text.index("31.在市政府常务会议")
    line = norm.line_of(offset)
    assert raw.split("\n")[line - 1].startswith("31.在市政府常务会议")


def test_indentation_and_marker_lines_start_paragraphs() -> None:
    raw = "　　一、工作成效\n\n（一）第一项成效。这一句很长很长很长很长很长很长很长很长很长很长很长很长很长\n\n继续。\n"
    norm = normalise(raw)
    assert [norm.text[b:e] for b, e in norm.paragraphs] == [
        "一、工作成效",
        "（一）第一项成效。这一句很长很长很长很长很长很长很长很长很长很长很长很长很长继续。",
    ]


def test_empty_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"\n  \n")
    with pytest.raises(InputError, match="empty"):
        read_source(path)


def test_gbk_file_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("一、工作成效\n重庆市".encode("gbk"))
    with pytest.raises(InputError, match="GBK") as info:
        read_source(path)
    assert str(path) in str(info.value)


def test_matching_copy_is_as_long_as_the_text_and_folds_what_varies() -> None:
    norm = normalise("一、基本情況:全縣有學校12所,教師1,234人;比例1:350。\n(-)加強黨的領導\n")
    assert len(norm.match) == len(norm.text)
    assert norm.text.startswith("一、基本情況:全縣")  # the text keeps the source's characters
    assert norm.match.startswith("一、基本情况：全县有学校12所，教师1,234人；比例1:350。")
    assert "(一)加强党的领导" in norm.match


def test_full_width_brackets_and_digits_fold_to_ascii() -> None:
    norm = normalise("（一）全省投入１２．５亿元（含中央资金）。\n")
    assert norm.match == "(一)全省投入12.5亿元(含中央资金)。"


def test_spaces_inside_a_figure_are_moved_before_it() -> None:
    norm = normalise("全县学生 51 536 人，占比 5.85 %，辖 8 个镇。\n")
    assert len(norm.match) == len(norm.text)
    assert "51536人" in norm.match and "5.85%" in norm.match and "8个镇" in norm.match
    begin = norm.match.index("51536人")
    b, e = norm.source_span(begin, begin + len("51536人"))
    assert norm.text[b:e] == "51 536 人"
    b, e = norm.source_span(norm.match.index("辖"), norm.match.index("辖") + 1)
    assert norm.text[b:e] == "辖"


def test_a_pdfs_spaces_around_numbers_leave_dates_units_and_bounds_whole() -> None:
    norm = normalise(
        "截至 2022 年 9 月，全县有学校 41 所，巩固率提高 1.4 个 百分点，达到 96% 以上。\n"
    )
    assert len(norm.match) == len(norm.text)
    for whole in ("截至2022年9月", "1.4个百分点", "96%以上"):
        assert whole in norm.match
    begin = norm.match.index("2022年9月")
    b, e = norm.source_span(begin, begin + len("2022年9月"))
    assert norm.text[b:e] == "2022 年 9 月"


def test_a_tables_row_keeps_its_spaces() -> None:
    row = "小学 在校生 720 760 812\n"
    assert normalise("单位：人\n" + row).match.endswith("小学 在校生 720 760 812")


def test_a_web_copy_keeps_one_paragraph_a_line() -> None:
    raw = (
        "一、基本情况\n"
        "全县共有学校120所，在校学生5.2万人，教职工4100人，其中专任教师3600人。\n"
        "全县学前三年毛入园率达到92%，义务教育巩固率达到98%，高中阶段毛入学率达到93%。\n"
    )
    norm = normalise(raw)
    assert [norm.text[b:e] for b, e in norm.paragraphs] == raw.strip().split("\n")


def test_a_flattened_web_copy_is_cut_at_its_markers() -> None:
    norm = normalise(
        "报告如下。 一、自查工作 我区开展了自查。 二、履职情况 (一)加强领导 1.召开会议3次。\n"
    )
    assert [norm.text[b:e] for b, e in norm.paragraphs] == [
        "报告如下。",
        "一、自查工作 我区开展了自查。",
        "二、履职情况",
        "(一)加强领导",
        "1.召开会议3次。",
    ]


def test_a_number_broken_at_the_page_width_is_rejoined() -> None:
    raw = (
        "一、基本情况\n"
        "全年全县一般公共预算教育支出达到了较上一年度有所增长的水平，合计为12.\n"
        "46亿元，比上年增长3.1%，用于改善办学条件和提高教师待遇等方面的工作。\n"
        "全年补充教师共计三百余名，用于补充农村学校和城区学校的紧缺学科，其中农村学校3\n"
        "05名。\n"
    )
    norm = normalise(raw)
    assert "12.46亿元" in norm.text
    assert "农村学校305名" in norm.text
    for i, char in enumerate(norm.text):
        if char not in "\n ":
            assert raw[norm.origin[i]] == char, i


def test_a_number_on_a_line_of_its_own_rejoins_its_sentence() -> None:
    """PDF text split at every number: the number, its unit and the sentence run on as one; a
    blank line, a sentence's end or a marker after the number keep their breaks."""
    raw = "全县国土面积\n2316\n平方公里，占比\n63.5%\n。\n2021\n年，新建学校\n5\n所。\n\n1.\n县委召开会议\n3\n次。\n"
    text = normalise(raw).text
    assert text.split("\n") == [
        "全县国土面积2316平方公里，占比63.5%。",
        "2021年，新建学校5所。",
        "1.县委召开会议3次。",
    ]


def test_a_table_of_numbers_keeps_its_lines() -> None:
    raw = "增长4.55%。\n13026.5812418.06\n17340.2216585.73\n全区教师平均工资收入不低于公务员。\n"
    assert normalise(raw).text.split("\n")[0] == "增长4.55%。"


def test_a_converters_pinyin_after_characters_is_read_away_and_offsets_still_map() -> None:
    raw = "全縣共有教學點(diǎn)12個，項(xiàng)目資金3億元(含配套)。\n"
    norm = normalise(raw)
    assert norm.text == "全縣共有教學點12個，項目資金3億元(含配套)。"
    at = norm.text.index("12個")
    assert raw[norm.origin[at] : norm.origin[at] + 3] == "12個"
