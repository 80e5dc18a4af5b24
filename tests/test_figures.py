"""Figures as observations: checked against a careful reading of the report, and on fixtures."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from edugraph.records import Observation, Report
from edugraph.reference import Reference
from tests.conftest import fixture_report

GOLDEN = Path(__file__).parent / "golden" / "chongqing-2020-figures.tsv"


def golden_rows() -> list[tuple[str, Decimal, str, str, str]]:
    rows = []
    for line in GOLDEN.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            context, value, unit, period, kind = line.split("\t")
            rows.append((context, Decimal(value), unit, period, kind))
    return rows


def matches(o: Observation, row: tuple[str, Decimal, str, str, str]) -> bool:
    context, value, unit, period, kind = row
    return (
        context in o.sentence.text
        and o.value == value
        and o.unit == unit
        and o.period == period
        and o.value_type == kind
    )


def test_coverage_against_a_careful_reading(chongqing: Report) -> None:
    rows = golden_rows()
    assert len(rows) == 96
    found = [row for row in rows if any(matches(o, row) for o in chongqing.observations)]
    missed = [row for row in rows if row not in found]
    assert len(found) / len(rows) >= 0.95, missed
    spurious = [o for o in chongqing.observations if not any(matches(o, row) for row in rows)]
    assert len(spurious) <= 3, [(o.n, o.span.text, o.value, o.period) for o in spurious]


def test_every_observation_has_indicator_period_and_a_source_sentence(chongqing: Report) -> None:
    for o in chongqing.observations:
        assert o.indicator and o.indicator_label and o.period and o.unit
        assert o.span.text in o.sentence.text
        assert chongqing.text[o.span.begin : o.span.end] == o.span.text
    assert [o.n for o in chongqing.observations] == list(range(1, len(chongqing.observations) + 1))
    assert not [o for o in chongqing.observations if o.local], (
        "every Chongqing figure has a scheme indicator"
    )


def find(report: Report, raw: str, nth: int = 0) -> Observation:
    return [o for o in report.observations if o.span.text == raw][nth]


@pytest.mark.parametrize(
    ("raw", "indicator", "value", "unit", "period", "kind"),
    [
        ("3.6万人", "higher-vocational-enrolment-expansion", "36000", "person", "2019", "target"),
        ("14.76亿元", "double-first-class-funding", "1476000000", "yuan", "2019", "actual"),
        ("1︰217", "counsellor-student-ratio", "217", "ratio", "2019-01-01/2020-08-31", "actual"),
        ("1295个", "compulsory-large-classes", "-1295", "class", "2019", "change"),
        ("52.6%", "compulsory-super-large-classes", "-52.6", "percent", "2019", "change"),
        (
            "0.593",
            "junior-secondary-inter-school-difference-coefficient",
            "0.593",
            "coefficient",
            "2012",
            "baseline",
        ),
        (
            "12.6万平方米",
            "sports-ground-area-completed",
            "126000",
            "square-metre",
            "2020-06",
            "actual",
        ),
        ("78.14%", "graduate-employment-rate", "78.14", "percent", "2020-08", "actual"),
        (
            "37.69万人次",
            "registered-poor-student-aid-recipients",
            "376900",
            "person-time",
            "2019",
            "actual",
        ),
    ],
)
def test_hard_cases(
    chongqing: Report, raw: str, indicator: str, value: str, unit: str, period: str, kind: str
) -> None:
    o = find(chongqing, raw)
    assert (o.indicator, o.value, o.unit, o.period, o.value_type) == (
        indicator,
        Decimal(value),
        unit,
        period,
        kind,
    )


def test_qualifiers_and_base_periods(chongqing: Report) -> None:
    assert find(chongqing, "20余家").qualifier == "more-than"
    assert find(chongqing, "1.3亿元").qualifier == "nearly"
    assert find(chongqing, "9000人").qualifier == "more-than"
    assert find(chongqing, "1︰350").qualifier == "at-least"
    assert find(chongqing, "1295个").base_period == "2018"
    assert find(chongqing, "7.58%").comparison == "year-on-year"


def test_thresholds_dates_and_item_numbers_are_not_figures(chongqing: Report) -> None:
    values = {(o.value, o.unit) for o in chongqing.observations}
    assert (Decimal(56), "person") not in values and (Decimal(66), "person") not in values
    assert not [o for o in chongqing.observations if o.value in (Decimal(2019), Decimal(2020))]
    assert not [o for o in chongqing.observations if o.span.text in ("1+X", "十三五")]


def test_targets(chongqing: Report) -> None:
    targets = {(t.indicator, t.comparator, t.value, t.deadline) for t in chongqing.targets}
    assert ("public-kindergarten-share", ">=", Decimal(50), "2020") in targets
    assert ("senior-secondary-gross-enrolment-rate", ">=", Decimal(97), "2020") in targets
    assert ("senior-secondary-super-large-classes", "<=", Decimal(0), "2021") in targets
    assert ("senior-secondary-large-classes", "<=", Decimal(0), "2022") in targets
    assert ("ideology-teacher-student-ratio", "<=", Decimal(350), None) in targets
    quota = next(
        t for t in chongqing.targets if t.indicator == "higher-vocational-enrolment-expansion"
    )
    assert quota.set_by == "state-council"  # 中央下达
    share = next(t for t in chongqing.targets if t.indicator == "public-kindergarten-share")
    assert [chongqing.observations[n - 1].subject for n in share.observations] == [
        "problem/1",
        "plan/1",
    ]


def relation(report: Report, kind: str, *raws: str) -> bool:
    wanted = {f"observation/{find(report, raw).n}" for raw in raws}
    return any(r.kind == kind and wanted <= {ref for _, ref in r.members} for r in report.relations)


def test_relations_the_text_states(chongqing: Report) -> None:
    assert relation(chongqing, "difference", "3.6万人", "5.7万人", "2.1万人")
    assert relation(chongqing, "share", "5792所", "2227所", "38.4%")
    assert relation(chongqing, "part-of", "730.28亿元", "1144亿元")
    assert relation(chongqing, "part-of", "14.84亿元", "63.84亿元")
    assert relation(chongqing, "part-of", "37.69万人次", "473.54万人次")
    assert relation(chongqing, "growth", "24个", "40个")
    assert relation(chongqing, "growth", "0.675", "0.384")
    assert relation(chongqing, "comparison", "80825元", "70898元")
    national = [
        r
        for r in chongqing.relations
        if ("subtrahend", "standard/inclusive-kindergarten-coverage-2020") in r.members
    ]
    assert (
        national and ("minuend", f"observation/{find(chongqing, '81.6%').n}") in national[0].members
    )
    # rates are not parts: 88.84% (a subgroup's rate) is not part of 86.65%
    assert not relation(chongqing, "part-of", "88.84%", "86.65%")


def test_fixture_reports_figures(reference: Reference) -> None:
    province = fixture_report("jiangbei-2020", reference)
    first = province.observations[2]
    assert (first.indicator, first.value, first.period) == (
        "preschool-gross-enrolment-rate",
        Decimal("88.5"),
        "2020",
    )
    assert find(province, "1:350").indicator == "ideology-teacher-student-ratio"
    local = find(province, "3.5亿元")
    assert local.local and local.indicator_label == "投入资金"  # listed for curation, not dropped
    planned = find(province, "200所")
    assert planned.value_type == "target"  # a figure in an improvement measure is planned
    county = fixture_report("linjiang-county-2021", reference)
    growth = find(county, "6.3%")
    assert (growth.indicator, growth.value_type, growth.value) == (
        "total-education-funding",
        "change",
        Decimal("6.3"),
    )
    assert [o.value for o in county.observations] == [
        Decimal("96.2"),
        Decimal(92),
        Decimal(860000000),
        Decimal("6.3"),
        Decimal(120),
        Decimal(2),
        Decimal(0),  # 56人以上大班额全部消除: none left
        Decimal(3000),
    ]
