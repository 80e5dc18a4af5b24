"""An indicator in pictures and words: its figures over time per report, against each
report's target and the national standard (the indicator's page), and its latest figure in
each report, sorted, against the standard (`/compare`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from edugraph.query.engines import Results
from edugraph.query.results import rows
from edugraph.web.charts import BarChart, Reference, TimeChart, bar_chart, time_chart
from edugraph.web.home import href_of
from edugraph.web.numbers import human
from edugraph.web.sections import FIGURE_KINDS, Figure

EDU = "https://w3id.org/edugraph/ontology#"
YEAR = re.compile(r"(\d{4})")
AT_MOST = {f"{EDU}LessOrEqual", "≤"}


def year_of(text: str | None) -> int | None:
    """The year a period ends in: `2019`, `2019-01-01/2020-08-31` → 2020."""
    found = YEAR.findall(text or "")
    return int(found[-1]) if found else None


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def meets(actual: float, target: float, comparator: str | None) -> bool:
    return actual <= target if comparator in AT_MOST else actual >= target


def indicator_chart(label: str, figures: Sequence[Figure]) -> tuple[TimeChart, list[str]]:
    """The chart of an indicator's page, and its status in words, one line per report."""
    series: dict[str, list[tuple[int, float, str]]] = {}
    references: list[Reference] = []
    targets: dict[str, tuple[float, str | None, int | None, str]] = {}
    unit = _main_unit(figures)
    for f in figures:
        value, year = _number(f.value), year_of(f.period.text if f.period else None)
        report = f.report.text if f.report else ""
        if value is None or (f.unit.title if f.unit else None) != unit:
            continue  # a figure in another unit (a count beside a share) has no place here
        comparator = f.detail.title if f.detail else None
        if f.kind == FIGURE_KINDS["standard"]:
            references.append(Reference(f"国家标准 {f.readable}", value, "standard"))
            targets.setdefault("", (value, comparator, year, f.readable))
        elif f.kind == FIGURE_KINDS["target"]:
            references.append(Reference(f"目标 target {f.readable}", value, "target"))
            targets[report] = (value, comparator, year, f.readable)
        elif year is not None and (f.detail is None or f.detail.title == f"{EDU}ActualValue"):
            series.setdefault(report, []).append((year, value, f.readable))
    chart = time_chart(
        f"{label}：各报告数据与目标、国家标准",
        list(series.items()),
        references=_distinct(references),
    )
    return chart, [_words(report, points, targets) for report, points in series.items()]


def _main_unit(figures: Sequence[Figure]) -> str | None:
    """The unit of the indicator's targets and standards, else its most frequent unit."""
    units = [f.unit.title if f.unit else None for f in figures]
    wanted = [
        u for f, u in zip(figures, units, strict=True) if f.kind != FIGURE_KINDS["observation"]
    ]
    pool = wanted or units
    return max(pool, key=pool.count) if pool else None


def _distinct(references: list[Reference]) -> list[Reference]:
    return list({(r.kind, r.value): r for r in references}.values())


def _words(
    report: str,
    points: list[tuple[int, float, str]],
    targets: dict[str, tuple[float, str | None, int | None, str]],
) -> str:
    """`重庆市…: 最新 41%（2019）；对照国家标准 50%：未达到 short; …`"""
    year, value, text = max(points)
    parts = [f"{report}：最新 latest {text}（{year}）"]
    for key, name in ((report, "本报告目标 target"), ("", "国家标准 standard")):
        if key not in targets:
            continue
        target, comparator, deadline, shown = targets[key]
        if meets(value, target, comparator):
            verdict = "已达到 met"
        elif deadline is not None and deadline > year:
            verdict = "尚未达到，未到期 short, not yet due"
        else:
            verdict = "未达到 missed"
        parts.append(f"对照{name} {shown}：{verdict}")
    return "；".join(parts)


@dataclass(frozen=True, slots=True)
class Latest:
    report: str
    region: str
    href: str | None
    value: float
    text: str
    period: str
    exact: str  # the value as the graph holds it


def compare(results: Results, base_iri: str) -> tuple[list[Latest], Reference | None]:
    """Each report's latest figure, from the rows of `indicator-by-report`, and the standard."""
    latest: dict[str, Latest] = {}
    standard: Reference | None = None
    for row in rows(results):
        v = {name: term["value"] for name, term in row.items()}
        value = _number(v["value"])
        if value is None:
            continue
        text = human(v["value"], v.get("unit"))
        found = Latest(
            v["report"],
            v.get("regionLabel", v["report"]),
            href_of(v["report"], base_iri),
            value,
            text,
            v.get("period", ""),
            v["value"],
        )
        if v["report"] not in latest or found.period >= latest[v["report"]].period:
            latest[v["report"]] = found
        if standard is None and "standardValue" in v:
            shown = human(v["standardValue"], v.get("unit"))
            standard = Reference(
                f"国家标准 {v.get('comparator', '')}{shown}", float(v["standardValue"])
            )
    return sorted(latest.values(), key=lambda x: -x.value), standard


def compare_chart(label: str, latest: list[Latest], standard: Reference | None) -> BarChart:
    items = [(x.region, x.value, f"{x.text}（{x.period}）", x.href) for x in latest]
    return bar_chart(f"{label}：各报告最新数据", items, references=[standard] if standard else [])
