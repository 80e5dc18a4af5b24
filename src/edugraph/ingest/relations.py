"""The relations between figures that the text states: parts, shares, differences, growths.

A figure after 其中 is a part of the last same-unit figure before it; a completion rate is the
share of two counts before it; 超额完成 is actual minus target; 从…增加到… is a growth; a margin
over a national standard is the actual figure minus the standard. The validator checks their
arithmetic, so each relation names its members by role.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from edugraph.ingest.placed import Found, latest_actuals
from edugraph.records import Relation
from edugraph.reference import Standard

ADDITIVE_UNITS = {"yuan", "person", "person-time", "institution", "item", "event", "organisation"}
ADDITIVE_UNITS |= {"square-metre", "count", "township", "class"}


def national_differences(found: list[Found], standards: Sequence[Standard]) -> list[Relation]:
    """超过国家目标任务1.6个百分点: the actual figure minus the national standard."""
    out = []
    latest = latest_actuals(found)
    for item in found:
        base = item.indicator.difference_of if item.indicator else None
        standard = next((s for s in standards if s.indicator == base), None)
        actual = latest.get(base) if base else None
        if base and standard and actual:
            members = (
                ("minuend", f"observation/{actual.n}"),
                ("subtrahend", f"standard/{standard.id}"),
                ("difference", f"observation/{item.n}"),
            )
            out.append(Relation(0, "difference", members, item.sentence))
    return out


def standard_comparisons(found: list[Found], standards: Sequence[Standard]) -> list[Relation]:
    """A standard that compares two indicators (teachers' pay against civil servants')."""
    out = []
    latest = latest_actuals(found)
    for standard in standards:
        if not standard.reference_indicator:
            continue
        left = latest.get(standard.indicator)
        right = latest.get(standard.reference_indicator)
        if left and right and left.period == right.period:
            members = (
                ("minuend", f"observation/{left.n}"),
                ("subtrahend", f"observation/{right.n}"),
                ("standard", f"standard/{standard.id}"),
            )
            out.append(
                Relation(0, "comparison", members, left.sentence, comparator=standard.comparator)
            )
    return out


def _ref(item: Found) -> str:
    return f"observation/{item.n}"


def sentence_relations(placed: list[Found]) -> list[Relation]:
    return _parts(placed) + _shares(placed) + _differences(placed) + _growths(placed)


def _parts(placed: list[Found]) -> list[Relation]:
    """Figures after 其中 are parts of the last same-unit figure before it (sums, not rates)."""
    if not placed:
        return []
    cut = placed[0].sentence.text.find("其中")
    if cut < 0:
        return []
    out = []
    for item in placed:
        unit = item.mention.unit.code
        if item.mention.start < cut or unit not in ADDITIVE_UNITS or item.value_type != "actual":
            continue
        wholes = [
            w
            for w in placed
            if w.mention.end <= cut and w.mention.unit.code == unit and w.value_type == "actual"
        ]
        if wholes:
            members = (("part", _ref(item)), ("whole", _ref(wholes[-1])))
            out.append(Relation(0, "part-of", members, item.sentence))
    return out


def _shares(placed: list[Found]) -> list[Relation]:
    """完成率38.4% after 5792所 … 2227所: the rate of the count before it, of the one before."""
    out = []
    for k, item in enumerate(placed):
        indicator = item.indicator
        if not indicator or not indicator.after or item.mention.unit.code != "percent" or k < 2:
            continue
        part, earlier = placed[k - 1], placed[: k - 1]
        wholes = [w for w in earlier if w.mention.unit.code == part.mention.unit.code]
        if part.indicator and part.indicator.id == indicator.after and wholes:
            members = (("part", _ref(part)), ("whole", _ref(wholes[-1])), ("share", _ref(item)))
            out.append(Relation(0, "share", members, item.sentence))
    return out


def _differences(placed: list[Found]) -> list[Relation]:
    """任务3.6万人，实际完成5.7万人，超额完成2.1万人: actual minus target."""
    out = []
    for item in placed:
        m = item.mention
        if m.kind != "change" or m.unit.code not in ADDITIVE_UNITS or item.indicator is None:
            continue
        same = [p for p in placed if p.indicator == item.indicator and p is not item]
        target = next((p for p in same if p.value_type == "target"), None)
        actual = next((p for p in same if p.value_type == "actual"), None)
        if target and actual:
            members = (
                ("minuend", _ref(actual)),
                ("subtrahend", _ref(target)),
                ("difference", _ref(item)),
            )
            out.append(Relation(0, "difference", members, item.sentence))
    return out


GROWTH_UP = re.compile(r"增加到|提高到|上升到|增长到|提升到|增至")
GROWTH_DOWN = re.compile(r"下降到|降低到|减少到|降至|减至")


def _growths(placed: list[Found]) -> list[Relation]:
    """从2018年的24个增加到40个: base and current, paired by position in the list."""
    out = []
    groups: dict[int, list[Found]] = {}
    for item in placed:
        if item.mention.comparison == "from-to" and item.mention.group is not None:
            groups.setdefault(item.mention.group, []).append(item)
    for items in groups.values():
        text = items[0].sentence.text
        direction = 1 if GROWTH_UP.search(text) else -1 if GROWTH_DOWN.search(text) else 0
        bases = [i for i in items if i.value_type == "baseline"]
        currents = [i for i in items if i.value_type != "baseline"]
        for base, current in zip(bases, currents, strict=False):
            members = (("base", _ref(base)), ("current", _ref(current)))
            out.append(Relation(0, "growth", members, base.sentence, direction=direction))
    return out


def renumber(relation: Relation, n: int) -> Relation:
    return replace(relation, n=n)
