"""HTML pages (no JavaScript): the home page answers the first question — which measures
address which problem — and each saved query has a page with a form and its results. The
pages of the dataset's own resources (/id/…) are linked data, in `linked`."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from flask import Blueprint, Response, render_template, request, url_for

from edugraph.errors import EdugraphError, QueryError
from edugraph.query.paging import Page
from edugraph.query.queries import Param, SavedQuery, get_query
from edugraph.query.results import rows
from edugraph.query.tasks import Answer
from edugraph.web.api import parameter_values
from edugraph.web.compare import concept_iri, side_by_side
from edugraph.web.findings import grouped
from edugraph.web.formats import respond
from edugraph.web.home import (
    BASES,
    MIN_CONFIDENCE,
    Report,
    by_report,
    group,
    report_iri,
    reports,
    short_forms,
    with_checks,
)
from edugraph.web.http import status_of, wants_html
from edugraph.web.indicator import compare, compare_chart
from edugraph.web.internal import select, with_values
from edugraph.web.paging import Pager, pager
from edugraph.web.service import Service, service
from edugraph.web.tables import NAMESPACES, iris_in, labelled, local_path, table
from edugraph.web.targets import target_rows
from edugraph.web.terms import batches, labels_of

bp = Blueprint("pages", __name__)
HOME_QUERY = "problem-responses"
MAX_OPTIONS = 500
INPUT_TYPES = {"integer": "number", "decimal": "text", "date": "date"}


REPORTS_QUERY = "reports"
COMPARE_QUERY = "indicator-by-report"
CONCEPT_QUERY = "topic-by-report"


CJK = re.compile(r"[\u4e00-\u9fff]")


@bp.app_template_filter("paragraphs")
def paragraphs(text: str) -> list[tuple[str, str]]:
    """A saved query's description, a paragraph a language (en, then zh), each with its
    language tag, so that a browser and a screen reader read each in its own language."""
    return [
        ("zh-Hans" if _mostly_cjk(p) else "en", p)
        for p in (line.strip() for line in text.splitlines())
        if p
    ]


def _mostly_cjk(text: str) -> bool:
    return len(CJK.findall(text)) * 2 > len(text.replace(" ", ""))


def confidence_floor(raw: str | None) -> float:
    """The `min` parameter: the lowest confidence of an inferred link shown, 0 to 1."""
    if raw is None or raw == "":
        return MIN_CONFIDENCE
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise QueryError(f"parameter 'min' must be a number from 0 to 1, not {raw!r}")
    return value


def chosen_bases(raw: str | None) -> frozenset[str]:
    """The `basis` parameter: stated, inferred or curated (empty: every basis)."""
    if not raw:
        return frozenset()
    if raw not in BASES:
        raise QueryError(f"parameter 'basis' must be one of: {', '.join(BASES)}, not {raw!r}")
    return frozenset({BASES[raw]})


def all_reports(svc: Service) -> list[Report]:
    """Every report, as one page of the `reports` listing: from its summary where the build
    wrote one (read live, it took about a second at 300 reports, on every home page)."""
    answer = svc.run(
        get_query(svc.queries, REPORTS_QUERY), page=Page(1, svc.runner.limits.max_rows)
    )
    assert answer.results is not None
    return reports(answer.results, svc.base_iri)


def report_checks(svc: Service, iris: set[str]) -> list[dict[str, dict[str, str]]]:
    """What the findings of these reports (those the page shows) say first; asked for the
    whole dataset it cost 0.1–0.2 s at 300 reports, for a page's few about a millisecond."""
    found: list[dict[str, dict[str, str]]] = []
    for batch in batches(sorted(iris)):  # a query may be 20,000 characters
        answer = svc.run(with_values("report-checks", batch))
        assert answer.results is not None
        found += rows(answer.results)
    return found


def report_param(svc: Service) -> dict[str, str]:
    """The request's `report` (an IRI or a slug) as the parameter of a listing query: the
    report's IRI, or nothing (every report)."""
    report = request.args.get("report", "")
    return {"report": report_iri(report, svc.base_iri)} if report else {}


def listing(
    svc: Service, query: SavedQuery, params: dict[str, str], *, fmt: str = "json"
) -> tuple[Answer, Pager | None]:
    """The page of a saved query the request asks for (`page`, `per_page`, as on the API),
    with its pager; a query that does not list has no pager."""
    args = request.args
    page = svc.page(query, page=args.get("page"), per_page=args.get("per_page"))
    answer = svc.run(query, params=params, fmt=fmt, page=page)
    if answer.paged is None:
        return answer, None
    return answer, pager(request.path, args.to_dict(), answer.paged)


@bp.get("/")
def home() -> str:
    """Every problem with the measures that address it: of one report, or of all by report."""
    svc = service()
    query = get_query(svc.queries, HOME_QUERY)
    chosen = report_param(svc)
    minimum = confidence_floor(request.args.get("min"))
    bases = chosen_bases(request.args.get("basis"))
    answer, paging = listing(svc, query, chosen)
    assert answer.results is not None
    problems = group(answer.results, svc.base_iri, minimum=minimum, bases=bases)
    known = with_checks(all_reports(svc), report_checks(svc, {p.report for p in problems}))
    return render_template(
        "home.html",
        sections=by_report(problems, known),
        reports=known,
        chosen=chosen.get("report", ""),
        paging=paging,
        minimum=minimum,
        basis=request.args.get("basis", ""),
        hidden=sum(p.hidden for p in problems),
        truncated=answer.truncated,
        query=query,
    )


@bp.get("/reports")
def report_list() -> str:
    """Every report, with what it holds: where to start when the dataset has many."""
    svc = service()
    answer, paging = listing(svc, get_query(svc.queries, REPORTS_QUERY), {})
    assert answer.results is not None
    return render_template(
        "reports.html", reports=reports(answer.results, svc.base_iri), paging=paging
    )


@bp.get("/findings")
def findings() -> str:
    """Validation's findings, Warnings first, by report and rule."""
    svc = service()
    answer, paging = listing(svc, get_query(svc.queries, "findings"), report_param(svc))
    assert answer.results is not None
    known = {r.iri: r for r in all_reports(svc)}
    return render_template(
        "findings.html",
        groups=grouped(answer.results, svc.base_iri),
        reports=known,
        paging=paging,
    )


def indicator_iri(value: str, base_iri: str) -> str:
    """An indicator's IRI from its IRI, its path (`indicator/<slug>`) or its slug."""
    if "://" in value:
        return value
    return f"{base_iri}id/indicator/{value.strip('/').removeprefix('indicator/')}"


@bp.get("/compare")
def compare_page() -> str:
    """Reports compared: on an indicator (each report's latest figure, sorted, with the
    national standard as a line) or on a stage or topic (side by side: figures, targets,
    problems and the measures that address them). The choices are those two or more
    reports give."""
    svc = service()
    context: dict[str, Any] = {
        "choices": select(svc, "compared-indicators")[0],
        "concepts": select(svc, "compared-concepts")[0],
        "chosen": "",
        "concept": "",
    }
    if request.args.get("indicator"):
        context |= by_indicator(svc, indicator_iri(request.args["indicator"], svc.base_iri))
    elif request.args.get("concept"):
        context |= by_concept(svc, concept_iri(request.args["concept"], svc.base_iri))
    return render_template("compare.html", **context)


def by_indicator(svc: Service, chosen: str) -> dict[str, Any]:
    query = get_query(svc.queries, COMPARE_QUERY)
    answer = whole(svc, query, {"indicator": chosen})
    assert answer.results is not None
    label = labels_of(svc, [chosen]).get(chosen) or local_path(chosen, svc.base_iri) or chosen
    latest, standard = compare(answer.results, svc.base_iri)
    return {
        "chosen": chosen,
        "label": label,
        "latest": latest,
        "standard": standard,
        "chart": compare_chart(label, latest, standard),
        "csv": url_for("pages.download", name=COMPARE_QUERY, ext="csv", indicator=chosen),
    }


def by_concept(svc: Service, concept: str) -> dict[str, Any]:
    query = get_query(svc.queries, CONCEPT_QUERY)
    answer = whole(svc, query, {"concept": concept})
    assert answer.results is not None
    label = labels_of(svc, [concept]).get(concept) or local_path(concept, svc.base_iri) or concept
    return {
        "concept": concept,
        "label": label,
        "columns": side_by_side(answer.results, svc.base_iri),
        "minimum": MIN_CONFIDENCE,
        "truncated": answer.truncated,
        "csv": url_for("pages.download", name=CONCEPT_QUERY, ext="csv", concept=concept),
    }


def whole(svc: Service, query: SavedQuery, params: dict[str, str]) -> Answer:
    """Every row of a comparison (up to the row limit) as one page: a listing summarised at
    publish answers from its summary, not by evaluating the query. Flagged as cut when there
    are more."""
    page = svc.page(query, per_page=str(svc.runner.limits.max_rows))
    answer = svc.run(query, params, page=page)
    assert answer.results is not None
    more = answer.paged is not None and answer.paged.total > answer.paged.rows
    return replace(answer, truncated=answer.truncated or more)


@bp.get("/targets")
def targets_page() -> str:
    """Every target and standard with its latest figure: a small bar each, and the table."""
    svc = service()
    answer, paging = listing(svc, get_query(svc.queries, "targets"), report_param(svc))
    assert answer.results is not None
    labels = labels_of(svc, iris_in(answer.results)).mapping()
    return render_template(
        "targets.html",
        rows=target_rows(answer.results, svc.base_iri, labels),
        truncated=answer.truncated,
        paging=paging,
    )


@bp.get("/queries")
def saved_queries() -> str:
    queries = sorted(service().queries.values(), key=lambda q: q.name)
    return render_template("queries.html", queries=queries)


@dataclass(frozen=True, slots=True)
class Field:
    param: Param
    value: str
    input: str  # "select" or an <input> type
    options: tuple[tuple[str, str], ...] = ()


def class_iri(name: str | None) -> str | None:
    """A parameter's class, `edu:Problem` or a full IRI, as an IRI."""
    if not name:
        return None
    prefix, _, local = name.partition(":")
    if prefix in NAMESPACES:
        return NAMESPACES[prefix] + local
    return name if "://" in name else None


def options(svc: Service, param: Param) -> tuple[tuple[str, str], ...]:
    """The choices a form offers: the enum, true/false, or the instances of the class (when
    there are few enough to list)."""
    if param.enum:
        return tuple((v, v) for v in param.enum)
    if param.type == "boolean":
        return (("true", "true"), ("false", "false"))
    cls = class_iri(param.cls)
    if param.type != "iri" or cls is None:
        return ()
    found, _ = select(svc, "class-options", **{"class": cls})
    if len(found) > MAX_OPTIONS:
        return ()
    choices = []
    for row in found:
        value = row["value"]["value"]
        label = row["label"]["value"] if "label" in row else ""
        shown = local_path(value, svc.base_iri) or value
        choices.append((value, f"{label} — {shown}" if label else shown))
    return tuple(choices)


def form_fields(svc: Service, query: SavedQuery, values: dict[str, str]) -> list[Field]:
    fields = []
    for p in query.params:
        choices = options(svc, p)
        kind = "select" if choices else INPUT_TYPES.get(p.type, "text")
        fields.append(Field(p, values.get(p.name, p.default or ""), kind, choices))
    return fields


@bp.get("/queries/<name>")
def saved_query(name: str) -> tuple[str, int]:
    svc = service()
    query = get_query(svc.queries, name)
    given = {k: v for k, v in parameter_values(request.args).items() if v != "" and k != "labels"}
    values: dict[str, Any] = short_forms(given, svc.base_iri)  # a page always shows labels
    context: dict[str, object] = {"query": query}
    status = 200
    missing = [
        p.name for p in query.params if p.required and p.default is None and p.name not in values
    ]
    try:
        context["fields"] = form_fields(svc, query, values)
        if not missing:
            answer, context["paging"] = listing(svc, query, values, fmt="table")
            assert answer.results is not None
            labels = labels_of(svc, iris_in(answer.results)).mapping()
            context["table"] = table(answer.results, svc.base_iri, labels=labels)
            context["truncated"] = answer.truncated
            context["downloads"] = {
                ext: url_for("pages.download", name=name, ext=ext, **values)
                for ext in ("csv", "json")
            }
            context["api"] = url_for("api.run_query", name=name, **values)
    except EdugraphError as error:
        if not wants_html():
            raise  # a program gets the error alone, as JSON
        context["error"] = error.message
        status = status_of(error)
    return render_template("query.html", **context), status


@bp.get("/queries/<name>.<any(csv, json):ext>")
def download(name: str, ext: str) -> Response:
    """A file to save: a CSV download opens in a spreadsheet with the Chinese intact, and
    shows labels where the results have IRIs (`labels=false` keeps the IRIs)."""
    svc = service()
    query = get_query(svc.queries, name)
    values = parameter_values(request.args)
    wants_labels = values.pop("labels", "true" if ext == "csv" else "false")
    if wants_labels not in ("true", "false"):
        raise QueryError(f"parameter 'labels' must be true or false, not {wants_labels!r}")
    bindings = query.bind(short_forms(values, svc.base_iri))
    answer = svc.run(query.text, bindings=bindings)
    if wants_labels == "true" and answer.results is not None:
        labels = labels_of(svc, iris_in(answer.results)).mapping()
        answer = replace(answer, results=labelled(answer.results, labels))
    return respond(answer, ext, download=f"{name}.{ext}")
