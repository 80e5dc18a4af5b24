"""A figure placed in its sentence, with what the figure extractor decided about it.

Shared by the modules that decide it: indicators.py (what it measures), periods.py (when),
relations.py (what it is the part, share or difference of) and figures.py, which runs them.
"""

from __future__ import annotations

from dataclasses import dataclass

from edugraph.ingest.quantities import Mention
from edugraph.records import Span
from edugraph.reference import Indicator


@dataclass(slots=True)
class Found:
    """A mention placed in its sentence, with what this module decided about it."""

    mention: Mention
    sentence: Span
    subject: str = ""
    indicator: Indicator | None = None
    local_label: str = ""
    value_type: str = "actual"
    period: str = ""
    period_inferred: bool = False
    deadline: str | None = None
    n: int = 0
    cue_end: int = 0  # where in the sentence the cue it took ends (0: none taken ahead of it)
    exact: bool = False  # stated without digits (基本消除: zero)
    anchor: int | None = None  # where its span starts when not at the number (a 均 list)


def latest_actuals(found: list[Found]) -> dict[str, Found]:
    """The latest actual figure of each indicator (the first stated of a period), in one pass."""
    latest: dict[str, Found] = {}
    for item in found:
        update_latest(latest, item)
    return latest


def update_latest(latest: dict[str, Found], item: Found) -> None:
    if not item.indicator or item.value_type != "actual":
        return
    best = latest.get(item.indicator.id)
    if best is None or (item.period, -item.n) > (best.period, -best.n):
        latest[item.indicator.id] = item
