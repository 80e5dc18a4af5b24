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
