"""The saved-query API: `/api/queries`, `/api/queries/<name>`, `/api/openapi.json`, and
`/api/ping`, the health check: the worker pool's state, answered without waiting for it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request, url_for
from werkzeug.datastructures import MultiDict

from edugraph.errors import QueryError, Unavailable
from edugraph.query.queries import SavedQuery, get_query
from edugraph.web.formats import negotiate, respond
from edugraph.web.home import short_forms
from edugraph.web.openapi import document
from edugraph.web.paging import PAGE_FIELDS, add_headers
from edugraph.web.service import service

bp = Blueprint("api", __name__, url_prefix="/api")
RESERVED = ("format", *PAGE_FIELDS)  # request fields that are not query parameters


@bp.get("/ping")
def ping() -> Response:
    """The worker pool as it is (no worker is asked anything, so this never waits for one):
    503 when no query could run."""
    live = current_app.extensions["edugraph"]
    try:
        svc, reloading = service(), False
    except Unavailable:
        svc, reloading = live.latest, True
    health = svc.pool.health()
    load = svc.admission.load()
    ok = health.ok and not reloading
    response = jsonify(
        {
            "ok": ok,
            "workers": {
                "size": health.size,
                "alive": health.alive,
                "busy": load.running,
                "idle": health.idle,
            },
            "queued": load.queued,
            "spawner": health.spawner,
            "version": svc.engine.version,
            "reloading": reloading,
        }
    )
    response.headers["Cache-Control"] = "no-store"
    if not ok:
        response.status_code = 503
        response.headers["Retry-After"] = "1"
    return response


def describe(query: SavedQuery) -> dict[str, Any]:
    return {
        "name": query.name,
        "summary": query.summary,
        "description": query.description,
        "tags": list(query.tags),
        "method": query.method,
        "params": [
            {
                "name": p.name,
                "type": p.type,
                "required": p.required,
                "default": p.default,
                "enum": list(p.enum),
                "class": p.cls,
                "description": p.description,
            }
            for p in query.params
        ],
        "variables": list(query.variables),
        "api": url_for("api.run_query", name=query.name),
        "page": url_for("pages.saved_query", name=query.name),
    }


@bp.get("/queries")
def list_queries() -> Response:
    queries = service().queries
    return jsonify([describe(q) for _, q in sorted(queries.items())])


def parameter_values(fields: MultiDict[str, str]) -> dict[str, str]:
    """The request's query parameters (first value of each), without reserved fields."""
    return {k: v for k, v in fields.items() if k not in RESERVED}


def strict_values(fields: MultiDict[str, str]) -> dict[str, str]:
    """The parameters of an API request, each given once and not empty, as the OpenAPI
    document declares them (a form on a page may leave fields empty; a program should not)."""
    for name, values in fields.lists():
        if len(values) > 1:
            raise QueryError(f"parameter {name!r} is given {len(values)} times")
        if values == [""]:
            raise QueryError(f"parameter {name!r} is empty")
    return parameter_values(fields)


@bp.route("/queries/<name>", methods=["GET", "POST"])
def run_query(name: str) -> Response:
    svc = service()
    query = get_query(svc.queries, name)
    fields = request.values if request.method == "POST" else request.args
    values = short_forms(strict_values(fields), svc.base_iri)  # report=<slug>, as on pages
    page = svc.page(query, page=fields.get("page"), per_page=fields.get("per_page"))
    fmt = negotiate(svc.form(query))
    answer = svc.run(query, params=values, fmt=fmt, page=page)
    response = respond(answer, fmt)
    if answer.paged is not None:
        add_headers(response, request.base_url, fields.to_dict(), answer.paged)
    return response


@bp.get("/openapi.json")
def openapi() -> Response:
    svc = service()
    runner = svc.runner
    made = document(
        svc.queries,
        graph_version=svc.engine.version,
        graphs=svc.graphs,
        page_size=runner.page_size,
        max_rows=runner.limits.max_rows,
    )
    return jsonify(made)
