"""What the home page and the reports list show: every report with what it holds, and the
problems of one report (or of all, grouped by report) with the measures that address them.
A report is named by its IRI or by its slug (`chongqing-2020`), as people type it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from flask import url_for

from edugraph.errors import QueryError
from edugraph.query.engines import Results
from edugraph.query.results import rows
from edugraph.web.tables import local_path

DEFAULT_LEAD = "默认（文中未写明）"  # a lead the text does not name: the issuer, by default
MIN_CONFIDENCE = 0.6  # inferred links below this are hidden unless asked for
EDU = "https://w3id.org/edugraph/ontology#"
BASES = {"stated": f"{EDU}Stated", "inferred": f"{EDU}Inferred", "curated": f"{EDU}Curated"}


@dataclass(frozen=True, slots=True)
class Report:
    iri: str
    title: str
    href: str | None
    issuer: str = ""
    region: str = ""
    level: str = ""  # its zh label: 省级, 地市级, 县级
    year: str = ""
    coverage: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    not_adding_up: int = 0  # figures whose arithmetic fails
    missed: tuple[str, ...] = ()  # standards missed that no problem admits


@dataclass(slots=True)
class Body:
    label: str
    href: str | None
    role: str
    default: bool = False


@dataclass(slots=True)
class Measure:
    label: str
    href: str | None
    status: str
    basis: str
    confidence: str
    reason: str
    source: str
    bodies: list[Body] = field(default_factory=list)


@dataclass(slots=True)
class Problem:
    iri: str
    label: str
    href: str | None
    source: str
    report: str = ""
    measures: dict[str, Measure] = field(default_factory=dict)
    hidden: int = 0  # links below the minimum confidence, not shown


def href_of(iri: str, base_iri: str) -> str | None:
    path = local_path(iri, base_iri)
    return None if path is None else url_for("linked.resource", path=path)


# A report's short form: its slug, or its path under id/ (the API's OpenAPI document says so too)
REPORT_SHORT_FORM = re.compile(r"(?:id/)?(?:report/)?([A-Za-z0-9][A-Za-z0-9._-]*)")


def report_iri(value: str, base_iri: str) -> str:
    """A report's IRI from its IRI (anything with a scheme, checked later as an IRI), its path
    (`report/<slug>`) or its slug; any other value is refused, naming the parameter."""
    if ":" in value:
        return value
    found = REPORT_SHORT_FORM.fullmatch(value.strip().strip("/"))
    if found is None:
        raise QueryError(f"report: not a report's IRI or slug (chongqing-2020): {value!r}")
    return f"{base_iri}id/report/{found.group(1)}"


def short_forms(values: dict[str, str], base_iri: str) -> dict[str, str]:
    """A report given by its slug (`report=chongqing-2020`) as its IRI: the site's pages and
    the saved-query API read the parameter alike."""
    if values.get("report"):
        return {**values, "report": report_iri(values["report"], base_iri)}
    return values


COUNTS = ("measures", "problems", "figures", "findings", "warnings")


def reports(results: Results, base_iri: str) -> list[Report]:
    """The rows of the saved query `reports` as reports."""
    out = []
    for row in rows(results):
        v = {name: term["value"] for name, term in row.items()}
        out.append(
            Report(
                iri=v["report"],
                title=v.get("title", local_path(v["report"], base_iri) or v["report"]),
                href=href_of(v["report"], base_iri),
                issuer=v.get("issuerLabel", ""),
                region=v.get("regionLabel", ""),
                level=v.get("levelLabel", ""),
                year=v.get("year", ""),
                coverage=_percent(v.get("coverage", "")),
                counts={name: int(v.get(name, "0")) for name in COUNTS},
            )
        )
    return out


def _percent(value: str) -> str:
    try:
        return f"{float(value):.0%}"
    except ValueError:
        return value


def shown(basis: str, confidence: str, *, minimum: float, bases: frozenset[str]) -> bool:
    """A link of one of the chosen bases; an inferred one only from `minimum` up (the report
    states, or a person curated, the others: their confidence is not a guess)."""
    if bases and basis not in bases:
        return False
    if basis != BASES["inferred"]:
        return True
    try:
        return float(confidence) >= minimum
    except ValueError:
        return True


def group(
    results: Results, base_iri: str, *, minimum: float = 0.0, bases: frozenset[str] = frozenset()
) -> list[Problem]:
    """One row per problem × measure × body, folded into problems with their measures."""
    problems: dict[str, Problem] = {}
    hidden: dict[str, set[str]] = {}
    for row in rows(results):
        v = {name: term["value"] for name, term in row.items()}
        problem = problems.get(v["problem"])
        if problem is None:
            problem = Problem(
                v["problem"],
                v["problemLabel"],
                href_of(v["problem"], base_iri),
                v.get("problemSource", ""),
                v.get("report", ""),
            )
            problems[v["problem"]] = problem
        if "measure" not in v:
            continue
        if not shown(v["basis"], v["confidence"], minimum=minimum, bases=bases):
            hidden.setdefault(v["problem"], set()).add(v["measure"])
            continue
        _add_measure(problem, v, base_iri)
    for iri, measures in hidden.items():
        problems[iri].hidden = len(measures)
    return list(problems.values())


def _add_measure(problem: Problem, v: dict[str, str], base_iri: str) -> None:
    measure = problem.measures.get(v["measure"])
    if measure is None:
        measure = Measure(
            label=v["measureLabel"],
            href=href_of(v["measure"], base_iri),
            status=v.get("statusLabel", v["status"].rsplit("#", 1)[-1]),
            basis=v.get("basisLabel", v["basis"].rsplit("#", 1)[-1]),
            confidence=v["confidence"],
            reason=v.get("reason", ""),
            source=v.get("source", ""),
        )
        problem.measures[v["measure"]] = measure
    if "body" in v:
        role = v.get("roleLabel", v.get("role", "").rsplit("#", 1)[-1])
        default = v.get("default") in ("true", "1")
        body = Body(v["bodyLabel"], href_of(v["body"], base_iri), role, default)
        if body not in measure.bodies:
            measure.bodies.append(body)


def by_report(problems: list[Problem], known: list[Report]) -> list[tuple[Report, list[Problem]]]:
    """Problems under their report, in the reports' order; a report without problems is left
    out."""
    sections = [(report, [p for p in problems if p.report == report.iri]) for report in known]
    return [(report, found) for report, found in sections if found]


def with_checks(known: list[Report], found: list[dict[str, dict[str, str]]]) -> list[Report]:
    """The reports with what their findings say first: how many figures don't add up, and
    which standards are missed without the report admitting it."""
    arithmetic: dict[str, set[str]] = {}
    missed: dict[str, list[str]] = {}
    for row in found:
        report, finding = row["report"]["value"], row["finding"]["value"]
        if row["kind"]["value"] == "arithmetic":
            arithmetic.setdefault(report, set()).add(finding)
        else:
            label = row.get("focusLabel", {}).get("value", finding)
            missed.setdefault(report, [])
            if label not in missed[report]:
                missed[report].append(label)
    return [
        replace(
            r,
            not_adding_up=len(arithmetic.get(r.iri, ())),
            missed=tuple(missed.get(r.iri, ())),
        )
        for r in known
    ]
