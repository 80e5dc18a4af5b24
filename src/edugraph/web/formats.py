"""Result formats over HTTP: chosen by `?format=` or by `Accept`, and written out."""

from __future__ import annotations

import json

from flask import Response, request

from edugraph import formats as rdf_formats
from edugraph.errors import NotAcceptable, QueryError
from edugraph.query.engines import Results
from edugraph.query.results import to_csv, to_tsv, to_xml
from edugraph.query.tasks import Answer

SELECT_TYPES = {f.key: f.media_type for f in rdf_formats.RESULTS}
ASK_TYPES = {f.key: f.media_type for f in rdf_formats.RESULTS if f.boolean}
GRAPH_TYPES = {f.key: f.media_type for f in rdf_formats.graph_formats()}
ALIASES = {
    "select": {m: f.key for f in rdf_formats.RESULTS for m in f.media_aliases},
    "graph": {m: f.key for f in rdf_formats.graph_formats() for m in f.media_aliases},
}
FORMAT_ALIASES = {  # other names for ?format=, as SPARQLWrapper and other clients send them
    "select": {a: f.key for f in rdf_formats.RESULTS for a in f.aliases},
    "graph": {a: f.key for f in rdf_formats.graph_formats() for a in f.aliases},
}
ALIASES["ask"] = ALIASES["select"]
FORMAT_ALIASES["ask"] = FORMAT_ALIASES["select"]
FORMATS = tuple(SELECT_TYPES) + tuple(GRAPH_TYPES)
TRUNCATED = "X-Edugraph-Truncated"
KIND_NAMES = {"select": "SELECT", "ask": "ASK", "graph": "CONSTRUCT and DESCRIBE"}


def compact_json(results: Results) -> str:
    """SPARQL JSON without indentation, which lets the json module use its C encoder."""
    return json.dumps(results, ensure_ascii=False, separators=(",", ":"))


WRITERS = {"json": compact_json, "xml": to_xml, "tsv": to_tsv}


def types_for(form: str) -> dict[str, str]:
    """The formats a kind of result ("select", "ask", "graph") is offered in."""
    return {"graph": GRAPH_TYPES, "ask": ASK_TYPES}.get(form, SELECT_TYPES)


def negotiate(form: str, *, html: bool = False) -> str:
    """The format to answer in: `?format=` first, then the best match of `Accept`. With
    `html`, a browser gets "html" (the page); otherwise it gets the default data format."""
    types = types_for(form)
    default = next(iter(types))
    explicit = request.args.get("format", request.form.get("format"))
    if explicit is not None:
        explicit = FORMAT_ALIASES[form].get(explicit, explicit)
        if explicit in types or (explicit == "html" and html):
            return explicit
        if form == "ask" and explicit in SELECT_TYPES:
            raise NotAcceptable(f"ASK has no {explicit.upper()} results: {', '.join(types)}")
        kind = KIND_NAMES[form]
        raise QueryError(f"format {explicit!r} is not offered for {kind}: {', '.join(types)}")
    offered = {mime: name for name, mime in types.items()} | ALIASES[form]
    offered["text/html"] = "html" if html else default
    accept = request.accept_mimetypes
    best = accept.best_match(list(offered))
    if best is None and form == "ask" and accept.provided:
        raise NotAcceptable(f"ASK results are offered as {', '.join(types.values())} only")
    return offered[best or types[default]]


def content_type(mime: str) -> str:
    return f"{mime}; charset=utf-8" if mime.startswith("text/") else mime


def respond(answer: Answer, fmt: str, *, download: str | None = None) -> Response:
    """The answer in `fmt`. A `download` (a file name) is an attachment, and a CSV download
    starts with a byte-order mark so that spreadsheet programs read it as UTF-8."""
    if answer.results is None:
        response = Response(answer.data, content_type=content_type(GRAPH_TYPES[fmt]))
    else:
        if fmt == "csv":
            body = to_csv(answer.results, spreadsheet=download is not None)
        else:
            body = WRITERS[fmt](answer.results)
        response = Response(body, content_type=content_type(SELECT_TYPES[fmt]))
    if answer.truncated:
        response.headers[TRUNCATED] = "true"
    if download is not None:
        response.headers["Content-Disposition"] = f'attachment; filename="{download}"'
    response.vary.add("Accept")
    return response
