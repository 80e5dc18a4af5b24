"""Zeros stated in words: the end of oversized classes, before the noun or after it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from edugraph.ingest.zeros import zeros
from edugraph.reference import Reference
from tests.test_figures_genre import figures


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("城区小学56人以上大班额全部消除。", "56人以上大班额全部消除"),
        ("全县66人以上超大班额保持动态清零；", "66人以上超大班额保持动态清零"),
        ("义务教育学校大班额问题已基本消除，", "大班额问题已基本消除"),
        ("全区无56人以上大班额。", "56人以上大班额"),
        ("超大班额保持“清零”。", "超大班额保持“清零”"),
        ("当年基本消除城区56人以上大班额。", "56人以上大班额"),
    ],
)
def test_the_end_of_oversized_classes_is_a_zero(text: str, raw: str) -> None:
    [zero] = zeros(text)
    assert (zero.raw, zero.value, zero.unit.code) == (raw, Decimal(0), "class")
    assert text[zero.start : zero.end] == raw


@pytest.mark.parametrize(
    "text",
    [
        "部分小学56人以上大班额尚未全部消除。",
        "城区学校大班额问题尚未完全消除。",
        "全县仍有大班额32个。",
        "大班额比例下降到1.2%。",
    ],
)
def test_an_end_not_reached_is_no_figure(text: str) -> None:
    assert zeros(text) == []


def test_a_deadline_makes_the_zero_a_bound() -> None:
    [zero] = zeros("到2021年基本消除66人以上超大班额。")
    assert zero.qualifier == "at-most"


def test_a_zero_is_labelled_by_what_ends_not_by_the_verb(reference: Reference) -> None:
    found = figures(reference, "新建学校3所，力争全面消除县城学校大班额。")
    zero = next(o for o in found if o.value == 0)
    assert zero.indicator_label == "县城学校大班额"
