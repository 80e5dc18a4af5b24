"""The OpenAPI 3 document, generated from the saved queries' headers so that it cannot drift
from what the API does."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from edugraph import __version__
from edugraph.query.queries import Param, SavedQuery
from edugraph.web.formats import GRAPH_TYPES, SELECT_TYPES

SCHEMAS: dict[str, dict[str, str]] = {
    "iri": {"type": "string", "format": "uri"},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "date": {"type": "string", "format": "date"},
    "boolean": {"type": "boolean"},
}
ERROR = {"$ref": "#/components/responses/Error"}
ERRORS = {"400": ERROR, "404": ERROR, "503": ERROR, "504": ERROR}


def _value(param: Param, raw: str) -> Any:
    """A header value (always text) as the JSON type its schema names."""
    try:
        if param.type == "integer":
            return int(raw)
        if param.type == "decimal":
            return float(raw)
    except ValueError:
        return raw
    if param.type == "boolean":
        return raw.lower() in ("true", "1")
    return raw


def parameter(param: Param) -> dict[str, Any]:
    schema: dict[str, Any] = dict(SCHEMAS[param.type])
    if param.enum:
        schema["enum"] = [_value(param, v) for v in param.enum]
    if param.default is not None:
        schema["default"] = _value(param, param.default)
    out: dict[str, Any] = {
        "name": param.name,
        "in": "query",
        "required": param.required,
        "schema": schema,
    }
    description = param.description or (f"an instance of {param.cls}" if param.cls else "")
    if description:
        out["description"] = description
    return out


def format_parameter(types: Mapping[str, str]) -> dict[str, Any]:
    return {
        "name": "format",
        "in": "query",
        "required": False,
        "description": "Result format; overrides the Accept header.",
        "schema": {"type": "string", "enum": list(types)},
    }


def operation(query: SavedQuery) -> dict[str, Any]:
    out: dict[str, Any] = {
        "operationId": query.name,
        "summary": query.summary,
        "tags": list(query.tags),
        "parameters": [parameter(p) for p in query.params] + [format_parameter(SELECT_TYPES)],
        "responses": {
            "200": {
                "description": "SPARQL results (X-Edugraph-Truncated: true if cut at max_rows)",
                "content": {mime: {} for mime in SELECT_TYPES.values()},
            },
            **ERRORS,
        },
    }
    if query.description:
        out["description"] = query.description
    return out


def sparql_operation(method: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "operationId": f"sparql-{method}",
        "summary": "SPARQL 1.1 Protocol query (read-only)",
        "tags": ["sparql"],
        "responses": {
            "200": {
                "description": "SELECT/ASK results or a CONSTRUCT/DESCRIBE graph",
                "content": {m: {} for m in (*SELECT_TYPES.values(), *GRAPH_TYPES.values())},
            },
            **ERRORS,
        },
    }
    query = {"type": "string", "description": "A SPARQL query"}
    if method == "get":
        out["parameters"] = [
            {"name": "query", "in": "query", "required": True, "schema": query},
            format_parameter(SELECT_TYPES | GRAPH_TYPES),
        ]
    else:
        out["requestBody"] = {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {"type": "object", "properties": {"query": query}}
                },
                "application/sparql-query": {"schema": {"type": "string"}},
            },
        }
    return out


def document(queries: Mapping[str, SavedQuery], *, graph_version: str) -> dict[str, Any]:
    paths: dict[str, Any] = {
        f"/api/queries/{name}": {"get": operation(q)} for name, q in sorted(queries.items())
    }
    for name, q in queries.items():
        if q.method == "POST":  # the header asks for POST: offer it beside GET
            paths[f"/api/queries/{name}"]["post"] = {**operation(q), "operationId": f"{name}-post"}
    paths["/sparql"] = {"get": sparql_operation("get"), "post": sparql_operation("post")}
    paths["/api/queries"] = {
        "get": {
            "operationId": "list-queries",
            "summary": "The saved queries and their parameters",
            "tags": ["queries"],
            "responses": {
                "200": {"description": "A JSON list", "content": {"application/json": {}}}
            },
        }
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "edugraph",
            "version": f"{__version__}+{graph_version}",
            "description": (
                "Saved SPARQL queries over the knowledge graph of education-duty "
                "self-evaluation reports (履行教育职责情况自查自评报告). Read-only."
            ),
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "responses": {
                "Error": {
                    "description": "An error, with a message",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "error": {"type": "string"},
                                    "status": {"type": "integer"},
                                },
                                "required": ["error", "status"],
                            }
                        }
                    },
                }
            }
        },
    }
