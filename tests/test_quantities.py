"""Tests for the lexical quantity parser, table-driven from quantity_cases.toml."""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edugraph.ingest.numbers import parse_number, render
from edugraph.ingest.quantities import Mention, find_quantities
from edugraph.ingest.units import UNITS

HERE = Path(__file__).parent
REPORT = HERE.parent / "data" / "sources" / "chongqing-2020.txt"
CASES: list[dict[str, Any]] = tomllib.loads((HERE / "quantity_cases.toml").read_text("utf-8"))[
    "case"
]
DEFAULTS: dict[str, Any] = {
    "qualifier": None,
    "kind": "value",
    "direction": 0,
    "period_hint": None,
    "comparison": None,
    "group": None,
    "index": 0,
    "low": None,
    "per": None,
}


def observed(mention: Mention) -> dict[str, Any]:
    return {
        "raw": mention.raw,
        "value": mention.value,
        "unit": mention.unit.code,
        **{field: getattr(mention, field) for field in DEFAULTS},
    }


def expected(row: dict[str, Any]) -> dict[str, Any]:
    low = Decimal(row["low"]) if "low" in row else None
    return {**DEFAULTS, **row, "value": Decimal(row["value"]), "low": low}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    found = find_quantities(case["text"])
    rows = case.get("mention", [])
    assert len(rows) == case["count"], "the table itself is inconsistent"
    assert [observed(m) for m in found] == [expected(r) for r in rows]
    for mention in found:
        assert case["text"][mention.start : mention.end] == mention.raw


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3.6万", Decimal(36000)),
        ("1144", Decimal(1144)),
        ("14.76亿", Decimal(1476000000)),
        ("１１４４", Decimal(1144)),
        ("３．６万", Decimal(36000)),
        ("1,144", Decimal(1144)),
        ("5.3万亿", Decimal(5300000000000)),
        (" 0.675 ", Decimal("0.675")),
        ("十三", None),
        ("", None),
        ("3.6万人", None),
        ("1︰217", None),
        ("abc", None),
        ("1.", None),
    ],
)
def test_parse_number(text: str, value: Decimal | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("value", "code", "text"),
    [
        (Decimal(36000), "person", "3.6万人"),
        (Decimal(1476000000), "yuan", "14.76亿元"),
        (Decimal(114400000000), "yuan", "1144亿元"),
        (Decimal(121506), "yuan", "121506元"),
        (Decimal(9000), "person", "9000人"),
        (Decimal(89), "percent", "89%"),
        (Decimal("7.580"), "percent", "7.58%"),
        (Decimal("1.6"), "percentage-point", "1.6个百分点"),
        (Decimal(217), "ratio", "1︰217"),
        (Decimal(3180900), "person-time", "318.09万人次"),
        (Decimal(23000), "event", "2.3万家次"),
        (Decimal(23000), "session", "2.3万次"),
        (Decimal(114000), "square-metre", "11.4万平方米"),
        (Decimal("0.675"), "coefficient", "0.675"),
        (Decimal(23000), "count", "2.3万"),
    ],
)
def test_render(value: Decimal, code: str, text: str) -> None:
    assert render(value, UNITS[code]) == text


def test_units_carry_their_iris() -> None:
    assert UNITS["percent"].qudt == "http://qudt.org/vocab/unit/PERCENT"
    assert UNITS["yuan"].qudt == "http://qudt.org/vocab/currency/CNY"
    assert UNITS["square-metre"].qudt == "http://qudt.org/vocab/unit/M2"
    assert UNITS["person"].qudt == "https://w3id.org/edugraph/ontology#PersonCount"
    assert UNITS["count"].qudt == "http://qudt.org/vocab/unit/NUM"
    # every count unit has its own IRI, so a unit's label says what was counted
    assert len({u.qudt for u in UNITS.values()}) == len(UNITS)
    assert UNITS["coefficient"].qudt == "http://qudt.org/vocab/unit/UNITLESS"
    assert UNITS["percentage-point"].qudt == "https://w3id.org/edugraph/ontology#PercentagePoint"
    assert UNITS["ratio"].qudt == "https://w3id.org/edugraph/ontology#Ratio"
    assert all(code == unit.code for code, unit in UNITS.items())


# --- properties ---------------------------------------------------------------------------

GENRE_PIECES = st.sampled_from(
    [*"0123456789０１２３４５６７８９.．,，、。；：:︰∶%％+从到至的年月余多近前第",
     "万", "亿", "元", "人", "人次", "所", "个", "项", "场次", "名", "家", "平方米",
     "个百分点", "同比增长", "较2018年减少", "截至2020年8月", "分别", "以上", "大班额",
     "超过", "不低于", "系数", "和", "\n", " "]
)  # fmt: skip


def assert_well_formed(text: str, found: list[Mention]) -> None:
    starts = [m.start for m in found]
    assert starts == sorted(starts)
    for mention in found:
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.raw
        assert mention.kind in ("value", "change", "baseline")
        assert mention.direction in (-1, 0, 1)


@given(st.text())
def test_never_raises_on_arbitrary_text(text: str) -> None:
    assert_well_formed(text, find_quantities(text))


@given(st.lists(GENRE_PIECES, max_size=40).map("".join))
def test_never_raises_on_genre_like_text(text: str) -> None:
    assert_well_formed(text, find_quantities(text))


@given(st.text())
def test_parse_number_never_raises(text: str) -> None:
    parse_number(text)


def money(places: int, top: int) -> st.SearchStrategy[Decimal]:
    return st.decimals(0, top, places=places, allow_nan=False, allow_infinity=False)


# Sensible values per unit. A count needs a multiplier (a bare integer is no figure) and a
# coefficient needs a list around it, so neither can round-trip on its own.
ROUND_TRIP = st.one_of(
    st.tuples(money(2, 100), st.just("percent")),
    st.tuples(money(2, 100), st.just("percentage-point")),
    st.tuples(money(1, 1000).filter(lambda v: v > 0), st.just("ratio")),
    st.tuples(st.integers(1, 10**9).map(lambda v: Decimal(v) * 10000), st.just("count")),
    st.tuples(
        st.integers(0, 10**13).map(Decimal),
        st.sampled_from(
            ["yuan", "person", "person-time", "institution", "item", "event", "organisation"]
        ),
    ),
    st.tuples(money(2, 10**12), st.sampled_from(["yuan", "square-metre"])),
)


@given(ROUND_TRIP)
def test_render_round_trips(case: tuple[Decimal, str]) -> None:
    value, code = case
    found = find_quantities(render(value, UNITS[code]))
    assert [(m.value, m.unit.code) for m in found] == [(value, code)]


# --- the real report ----------------------------------------------------------------------

MARKER = re.compile(r"^(?:\d+\.(?!\d)|[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)")


def report_paragraphs() -> list[str]:
    """Quick and dirty: the PDF text has a blank line after every line, so drop the blank
    lines, join everything, and start a new paragraph only at a structural marker."""
    paragraphs: list[str] = []
    for line in filter(None, (raw.strip() for raw in REPORT.read_text("utf-8").splitlines())):
        if paragraphs and not MARKER.match(line):
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
    return paragraphs


def test_real_report() -> None:
    found = [m for p in report_paragraphs() for m in find_quantities(p)]
    print(f"\n{len(found)} mentions in {REPORT.name}")
    index = {(m.raw, m.unit.code): m for m in found}
    known = {
        ("1144亿元", "yuan"): Decimal(114400000000),
        ("730.28亿元", "yuan"): Decimal(73028000000),
        ("7.58%", "percent"): Decimal("7.58"),
        ("121506元", "yuan"): Decimal(121506),
        ("1︰217", "ratio"): Decimal(217),
        ("1︰350", "ratio"): Decimal(350),
        ("2227所", "institution"): Decimal(2227),
        ("38.4%", "percent"): Decimal("38.4"),
        ("5.7万人", "person"): Decimal(57000),
        ("0.307", "coefficient"): Decimal("0.307"),
        ("84.72%", "percent"): Decimal("84.72"),
    }
    assert {key: index[key].value for key in known if key in index} == known
    assert index[("7.58%", "percent")].kind == "change"
    assert index[("1︰350", "ratio")].qualifier == "at-least"
    assert not [m for m in found if m.value in (56, 66) and m.unit.code == "person"]
    assert not [m for m in found if m.value in (2018, 2019, 2020, 2021, 2022)]
    assert not [m for m in found if m.unit.code == "count"]


def test_a_figure_followed_by_zuoyou_is_about() -> None:
    from edugraph.ingest.quantities import find_quantities

    found = find_quantities("参训教师300名左右，覆盖率达到60%左右")
    assert [(m.raw, m.qualifier) for m in found] == [("300名", "about"), ("60%", "about")]


def test_points_written_once_after_a_list_are_each_members_unit() -> None:
    """分别提高1.2个、0.4个和3.4个百分点: 百分点 is written once, for all three."""
    found = find_quantities("分别提高1.2个、0.4个和3.4个百分点")
    assert [(m.value, m.unit.code) for m in found] == [
        (Decimal("1.2"), "percentage-point"),
        (Decimal("0.4"), "percentage-point"),
        (Decimal("3.4"), "percentage-point"),
    ]
    assert find_quantities("建成12个和3个新校区")[0].unit.code != "percentage-point"
