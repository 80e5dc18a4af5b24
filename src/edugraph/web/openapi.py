"""The OpenAPI 3 document, generated from the saved queries' headers so that it cannot drift
from what the API does."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from edugraph import __version__
from edugraph.query.paging import MAX_PAGE, pages
from edugraph.query.queries import Param, SavedQuery
from edugraph.web.formats import GRAPH_TYPES, SELECT_TYPES
from edugraph.web.home import REPORT_SHORT_FORM

SCHEMAS: dict[str, dict[str, Any]] = {  # an empty value is refused: minLength
    "iri": {"type": "string", "format": "uri", "minLength": 1},
    "string": {"type": "string", "minLength": 1},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "date": {"type": "string", "format": "date", "minLength": 1},
    "boolean": {"type": "boolean"},
}
# Parameters the API also takes by a short form (web.home.short_forms): a report by its slug.
SLUG = {"type": "string", "pattern": f"^{REPORT_SHORT_FORM.pattern}$"}
SHORT_FORMS = frozenset({"report"})
ERROR = {"$ref": "#/components/responses/Error"}
# 406: no representation the client accepts (ASK has no CSV); 413: a body over max_request_bytes;
# 429: the client has client_queries queries running or waiting
ERRORS = {s: ERROR for s in ("400", "404", "406", "413", "429", "503", "504")}


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
    if param.type == "iri" and param.name in SHORT_FORMS:
        schema = {"anyOf": [schema, SLUG]}
    out: dict[str, Any] = {
        "name": param.name,
        "in": "query",
        "required": param.required,
        "schema": schema,
    }
    description = param.description or (f"an instance of {param.cls}" if param.cls else "")
    if param.name in SHORT_FORMS:
        description = f"{description} (its IRI, or its slug: chongqing-2020)".strip()
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


def page_parameters(size: int, max_size: int) -> list[dict[str, Any]]:
    """`page` and `per_page`, as grlc names them."""
    return [
        {
            "name": "page",
            "in": "query",
            "required": False,
            "description": "The page to answer, from 1 (Link headers name the next one).",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
        },
        {
            "name": "per_page",
            "in": "query",
            "required": False,
            "description": "Rows per page.",
            "schema": {"type": "integer", "minimum": 1, "maximum": max_size, "default": size},
        },
    ]


PAGE_HEADERS = {
    "Link": {
        "description": 'The next, previous, first and last pages (rel="next" …)',
        "schema": {"type": "string"},
    },
    "X-Total-Count": {"description": "Rows on all pages", "schema": {"type": "integer"}},
}


def operation(query: SavedQuery, method: str, *, page_size: int, max_rows: int) -> dict[str, Any]:
    """A saved query by GET, or by POST with the same parameters (in the URL or a form);
    a listing query pages."""
    paging = pages(query.text)
    size = min(query.pagination or page_size, max_rows)
    out: dict[str, Any] = {
        "operationId": query.name if method == "get" else f"{query.name}-post",
        "summary": query.summary,
        "tags": list(query.tags),
        "parameters": [parameter(p) for p in query.params]
        + [format_parameter(SELECT_TYPES)]
        + (page_parameters(size, max_rows) if paging else []),
        "responses": {
            "200": {
                "description": "SPARQL results (X-Edugraph-Truncated: true if cut at max_rows)",
                "content": {mime: {} for mime in SELECT_TYPES.values()},
                **({"headers": PAGE_HEADERS} if paging else {}),
            },
            **ERRORS,
        },
    }
    if query.description:
        out["description"] = query.description
    return out


def graph_parameter(name: str, graphs: Sequence[str]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": "A graph of this dataset (the protocol's dataset replaces FROM)",
        "schema": {"type": "array", "items": {"type": "string", "enum": list(graphs)}},
        "style": "form",
        "explode": True,
    }


def sparql_operation(method: str, graphs: Sequence[str]) -> dict[str, Any]:
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
    query = {"type": "string", "minLength": 1, "description": "A SPARQL query"}
    dataset = [graph_parameter(n, graphs) for n in ("default-graph-uri", "named-graph-uri")]
    if method == "get":
        out["parameters"] = [
            {"name": "query", "in": "query", "required": True, "schema": query},
            format_parameter(SELECT_TYPES | GRAPH_TYPES),
            *dataset,
        ]
    else:
        out["parameters"] = dataset
        out["requestBody"] = {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {"query": query},
                        "required": ["query"],
                    }
                },
                "application/sparql-query": {"schema": query},
            },
        }
        out["responses"]["415"] = ERROR  # a body of another media type
    return out


def document(
    queries: Mapping[str, SavedQuery],
    *,
    graph_version: str,
    graphs: Collection[str] = (),
    page_size: int = 100,
    max_rows: int = 10_000,
) -> dict[str, Any]:
    """The document for these saved queries; `graphs` are the dataset's named graphs, and
    listing queries page by `page_size` rows, at most `max_rows`."""
    sizes = {"page_size": page_size, "max_rows": max_rows}
    paths: dict[str, Any] = {
        f"/api/queries/{name}": {
            method: operation(q, method, **sizes) for method in ("get", "post")
        }
        for name, q in sorted(queries.items())
    }
    named = sorted(graphs)
    paths["/sparql"] = {
        "get": sparql_operation("get", named),
        "post": sparql_operation("post", named),
    }
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
