"""What the targets page shows: each target or national standard with its latest figure, a
small bar of the figure against it, and its status — in labels and written values, in a
table that keeps the source sentence readable."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from edugraph.query.engines import Results
from edugraph.query.results import FIXED_LABELS, rows
from edugraph.web.charts import SmallBar, small_bar
from edugraph.web.home import href_of
from edugraph.web.indicator import AT_MOST
from edugraph.web.numbers import human


@dataclass(frozen=True, slots=True)
class TargetRow:
    target: str
    href: str | None
    indicator: str
    wanted: str  # ≥ 50%
    wanted_exact: str
    deadline: str
    actual: str
    actual_exact: str
    period: str
    status: str
    source: str
    report: str
    report_href: str | None
    bar: SmallBar | None


def target_rows(results: Results, base_iri: str, labels: Mapping[str, str]) -> list[TargetRow]:
    out = []
    for row in rows(results):
        v = {name: term["value"] for name, term in row.items()}
        unit = v.get("unit")
        unit_label = labels.get(unit or "")
        comparator = v.get("comparator", "")
        out.append(
            TargetRow(
                target=labels.get(v["target"], v["target"].rsplit("/id/", 1)[-1]),
                href=href_of(v["target"], base_iri),
                indicator=v.get("indicatorLabel", ""),
                wanted=f"{comparator} {human(v.get('targetValue', ''), unit, unit_label)}",
                wanted_exact=v.get("targetValue", ""),
                deadline=v.get("deadline", ""),
                actual=human(v.get("actual", ""), unit, unit_label),
                actual_exact=v.get("actual", ""),
                period=v.get("actualPeriod", ""),
                status=_label(v.get("status", ""), labels),
                source=v.get("source", ""),
                report=_label(v.get("report", ""), labels),
                report_href=href_of(v.get("report", ""), base_iri),
                bar=_bar(v.get("actual"), v.get("targetValue"), comparator),
            )
        )
    return out


def _label(iri: str, labels: Mapping[str, str]) -> str:
    return labels.get(iri) or FIXED_LABELS.get(iri) or iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _bar(actual: str | None, target: str | None, comparator: str) -> SmallBar | None:
    try:
        return small_bar(float(actual or ""), float(target or ""), at_most=comparator in AT_MOST)
    except ValueError:
        return None
