"""The saved-query API: `/api/queries`, `/api/queries/<name>`, `/api/openapi.json`, and
`/api/ping`, a constant answer for health checks and as the floor of any benchmark."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for
from werkzeug.datastructures import MultiDict

from edugraph.query.queries import SavedQuery, get_query
from edugraph.web.formats import negotiate, respond
from edugraph.web.openapi import document
from edugraph.web.service import service

bp = Blueprint("api", __name__, url_prefix="/api")
RESERVED = ("format",)  # request fields that are not query parameters


@bp.get("/ping")
def ping() -> Response:
    return jsonify({"ok": True})


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


@bp.route("/queries/<name>", methods=["GET", "POST"])
def run_query(name: str) -> Response:
    svc = service()
    query = get_query(svc.queries, name)
    fields = request.values if request.method == "POST" else request.args
    bindings = query.bind(parameter_values(fields))
    fmt = negotiate(svc.form(query.text))
    return respond(svc.run(query.text, bindings=bindings, fmt=fmt), fmt)


@bp.get("/openapi.json")
def openapi() -> Response:
    svc = service()
    return jsonify(document(svc.queries, graph_version=svc.engine.version))
