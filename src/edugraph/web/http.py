"""What every response shares: errors translated once (JSON for programs, HTML for
browsers, never a stack trace), security headers, and ETags with 304 answers."""

from __future__ import annotations

import hashlib

from flask import Flask, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from edugraph.errors import EdugraphError
from edugraph.web.service import service

INTERNAL = "internal error: the server could not answer this request"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
OPEN_PREFIXES = (  # read by programs from other sites, so CORS allows it
    "/sparql",
    "/api/",
    "/id/",
    "/ontology",
    "/shapes",
    "/context.jsonld",
    "/download/",
    "/.well-known/void",
    "/graph/",
)
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type, If-None-Match",
    "Access-Control-Expose-Headers": "ETag, Link, X-Edugraph-Truncated, X-Total-Count",
}
ETAG_SEED = "edugraph.etag"
UNCACHED = {"api.ping"}  # answers that change without the graph changing: no ETag


def status_of(error: EdugraphError) -> int:
    """The HTTP status the error's class declares (`edugraph.errors`)."""
    return error.http_status


def wants_html() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html"


def error_response(status: int, message: str) -> Response:
    if wants_html():
        page = render_template("error.html", status=status, message=message)
        response = Response(page, status=status, content_type="text/html; charset=utf-8")
    else:
        response = jsonify({"error": message, "status": status})
        response.status_code = status
    if status in (429, 503):
        response.headers["Retry-After"] = "1"
    return response


def on_edugraph_error(error: EdugraphError) -> Response:
    status = status_of(error)
    if status >= 500:  # a timeout, a full pool, a store down: the operator wants to know
        current_app.logger.warning("%s %s: %s", request.method, request.path, error.message)
    return error_response(status, error.message)


def on_http_error(error: HTTPException) -> Response:
    status = error.code or 500
    message = error.description or error.name
    if status == 413:
        limit = current_app.config["MAX_CONTENT_LENGTH"]
        message = f"the request is larger than {limit} bytes (max_request_bytes)"
    response = error_response(status, message)
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def on_unexpected(error: Exception) -> Response:
    current_app.logger.exception("unexpected error on %s %s", request.method, request.path)
    return error_response(500, INTERNAL)


def etag() -> str:
    """The graph's version and the seed, with the request: path, query string and Accept."""
    seed: str = current_app.config[ETAG_SEED]
    version = service().engine.version  # a remote store's version follows its pushes
    key = "\0".join((seed, version, request.full_path, request.headers.get("Accept", "")))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def not_modified() -> Response | None:
    """Answer 304 before any work when the client already holds this representation."""
    if request.method not in ("GET", "HEAD") or request.url_rule is None:
        return None
    if request.endpoint in UNCACHED:
        return None
    tag = etag()
    tags = request.if_none_match
    if not (tags.is_strong(tag) or tags.is_weak(tag)):
        return None
    response = Response(status=304)
    response.set_etag(tag)
    response.vary.add("Accept")
    return response


def finish(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.path.startswith(OPEN_PREFIXES):
        response.headers.update(CORS)
    cached = request.endpoint not in UNCACHED
    if cached and request.method in ("GET", "HEAD") and response.status_code in (200, 304):
        if response.status_code == 200:
            response.set_etag(etag())
        response.vary.add("Accept")
        response.headers.setdefault("Cache-Control", "no-cache")  # revalidate: ETag, 304
    return response


def install(app: Flask, *, seed: str) -> None:
    """Register the error handlers and the request hooks; `seed` is what, beside the
    request and the graph's version, every response depends on."""
    app.config[ETAG_SEED] = seed
    app.register_error_handler(EdugraphError, on_edugraph_error)
    app.register_error_handler(HTTPException, on_http_error)
    app.register_error_handler(Exception, on_unexpected)
    app.before_request(not_modified)
    app.after_request(finish)
