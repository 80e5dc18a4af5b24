"""HTML pages (no JavaScript): the home page answers the first question — which measures
address which problem — and each saved query has a page with a form and its results. The
pages of the dataset's own resources (/id/…) are linked data, in `linked`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, render_template, request, url_for

from edugraph.errors import EdugraphError
from edugraph.query.engines import Results
from edugraph.query.queries import Param, SavedQuery, get_query
from edugraph.query.results import rows
from edugraph.web.api import parameter_values
from edugraph.web.formats import respond
from edugraph.web.http import status_of, wants_html
from edugraph.web.internal import select
from edugraph.web.service import Service, service
from edugraph.web.tables import NAMESPACES, local_path, table

bp = Blueprint("pages", __name__)
HOME_QUERY = "problem-responses"
MAX_OPTIONS = 500
INPUT_TYPES = {"integer": "number", "decimal": "text", "date": "date"}


@dataclass(slots=True)
class Body:
    label: str
    href: str | None
    role: str


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
    measures: dict[str, Measure] = field(default_factory=dict)


def _href(iri: str, base_iri: str) -> str | None:
    path = local_path(iri, base_iri)
    return None if path is None else url_for("linked.resource", path=path)


def group(results: Results, base_iri: str) -> list[Problem]:
    """One row per problem × measure × body, folded into problems with their measures."""
    problems: dict[str, Problem] = {}
    for row in rows(results):
        v = {name: term["value"] for name, term in row.items()}
        problem = problems.get(v["problem"])
        if problem is None:
            problem = Problem(
                v["problem"],
                v["problemLabel"],
                _href(v["problem"], base_iri),
                v.get("problemSource", ""),
            )
            problems[v["problem"]] = problem
        if "measure" not in v:
            continue
        measure = problem.measures.get(v["measure"])
        if measure is None:
            measure = Measure(
                label=v["measureLabel"],
                href=_href(v["measure"], base_iri),
                status=v.get("statusLabel", v["status"].rsplit("#", 1)[-1]),
                basis=v.get("basisLabel", v["basis"].rsplit("#", 1)[-1]),
                confidence=v["confidence"],
                reason=v.get("reason", ""),
                source=v.get("source", ""),
            )
            problem.measures[v["measure"]] = measure
        if "body" in v:
            role = v.get("roleLabel", v.get("role", "").rsplit("#", 1)[-1])
            body = Body(v["bodyLabel"], _href(v["body"], base_iri), role)
            if body not in measure.bodies:
                measure.bodies.append(body)
    return list(problems.values())


@bp.get("/")
def home() -> str:
    svc = service()
    query = get_query(svc.queries, HOME_QUERY)
    answer = svc.run(query.text)
    assert answer.results is not None
    return render_template(
        "home.html",
        problems=group(answer.results, svc.base_iri),
        truncated=answer.truncated,
        query=query,
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
    values: dict[str, Any] = {k: v for k, v in parameter_values(request.args).items() if v != ""}
    context: dict[str, object] = {"query": query}
    status = 200
    missing = [
        p.name for p in query.params if p.required and p.default is None and p.name not in values
    ]
    try:
        context["fields"] = form_fields(svc, query, values)
        if not missing:
            answer = svc.run(query.text, bindings=query.bind(values), fmt="table")
            assert answer.results is not None
            context["table"] = table(answer.results, svc.base_iri)
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
    """A file to save: a CSV download opens in a spreadsheet with the Chinese intact."""
    svc = service()
    query = get_query(svc.queries, name)
    bindings = query.bind(parameter_values(request.args))
    answer = svc.run(query.text, bindings=bindings)
    return respond(answer, ext, download=f"{name}.{ext}")
