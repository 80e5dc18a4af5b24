"""Reports side by side on one education stage or key topic: for each report, its figures,
its targets (and the national standards its figures bear on) with the figure held against
each, its problems and the measures that address them (inferred links below the home page's
minimum confidence are counted, not listed, as there). Read from the rows of the saved
query `topic-by-report`, one column per report, so that a reader compares across a row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from edugraph.query.engines import Results
from edugraph.query.results import rows
from edugraph.web.home import BASES, MIN_CONFIDENCE, href_of, shown
from edugraph.web.numbers import human

BASIS_LABELS = {BASES["stated"]: "报告明示", BASES["inferred"]: "推断", BASES["curated"]: "人工"}


@dataclass(frozen=True, slots=True)
class Item:
    label: str
    href: str | None
    detail: str = ""  # a figure as people write it, a link's basis and confidence
    exact: str = ""  # the value as the graph holds it (a title to hover)


@dataclass(slots=True)
class Addressed:
    problem: Item
    measures: list[Item] = field(default_factory=list)
    hidden: int = 0  # inferred links below the home page's minimum confidence


@dataclass(slots=True)
class Column:
    report: str
    region: str
    href: str | None
    figures: list[Item] = field(default_factory=list)
    targets: list[Item] = field(default_factory=list)
    problems: dict[str, Addressed] = field(default_factory=dict)


def concept_iri(value: str, base_iri: str) -> str:
    """A stage's or topic's IRI from its IRI or its path (`stage/preschool`, `topic/class-size`)."""
    if "://" in value:
        return value
    return f"{base_iri}id/{value.strip().strip('/').removeprefix('id/')}"


def side_by_side(results: Results, base_iri: str) -> list[Column]:
    """The rows of `topic-by-report` as one column per report, in the rows' order."""
    columns: dict[str, Column] = {}
    for row in rows(results):
        v = {name: term["value"] for name, term in row.items()}
        column = columns.get(v["report"])
        if column is None:
            region = v.get("regionLabel", v["report"])
            column = Column(v["report"], region, href_of(v["report"], base_iri))
            columns[v["report"]] = column
        _place(column, v, base_iri)
    return list(columns.values())


def _place(column: Column, v: dict[str, str], base_iri: str) -> None:
    item = Item(v["itemLabel"], href_of(v["item"], base_iri))
    kind = v["kind"]
    if kind == "figure":  # its label reads as written: 公办幼儿园在园幼儿占比 41%
        column.figures.append(Item(item.label, item.href, v.get("period", ""), v["value"]))
    elif kind == "target":
        column.targets.append(_against(item, v))
    elif kind == "problem":
        found = column.problems.setdefault(v["item"], Addressed(item))
        found.problem = item  # a measure's row may have come first
    elif kind == "measure":
        problem = column.problems.setdefault(
            v["problem"], Addressed(Item(v["problem"], href_of(v["problem"], base_iri)))
        )
        basis, confidence = v.get("basis", ""), v.get("confidence", "")
        link = Item(item.label, item.href, f"{BASIS_LABELS.get(basis, '')} {confidence}".strip())
        if not shown(basis, confidence, minimum=MIN_CONFIDENCE, bases=frozenset()):
            problem.hidden += 1
        elif link not in problem.measures:
            problem.measures.append(link)


def _against(target: Item, v: dict[str, str]) -> Item:
    """A target with the report's figure held against it: `实际 actual 41%（2019）`."""
    if "value" not in v:
        return target
    figure = v.get("figureLabel") or human(v["value"], v.get("unit"))
    period = f"（{v['period']}）" if v.get("period") else ""
    return Item(target.label, target.href, f"{figure}{period}", v["value"])
