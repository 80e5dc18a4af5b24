"""The SPARQL 1.1 Protocol endpoint (`/sparql`) and the SPARQL page (`/query`, or `/sparql`
for a browser). Queries only: an update is refused on every route and in every encoding."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import UnsupportedMediaType

from edugraph.errors import EdugraphError, QueryError
from edugraph.query.queries import get_query
from edugraph.web.formats import negotiate, respond, types_for
from edugraph.web.http import status_of, wants_html
from edugraph.web.service import service
from edugraph.web.tables import table

bp = Blueprint("sparql", __name__)
UPDATE_REFUSED = "read-only service: SPARQL Update is not accepted"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
DATASET_FIELDS = ("default-graph-uri", "named-graph-uri")
NO_QUERY = (
    "no query: send one as ?query=, as the form field query, or as an application/sparql-query body"
)
STARTER = """PREFIX edu: <https://w3id.org/edugraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

SELECT ?problem ?label WHERE {
  ?problem a edu:Problem ;
    rdfs:label ?label .
}
"""


def protocol_query() -> str | None:
    """The query a protocol request carries (None if none), refusing updates."""
    fields: MultiDict[str, str] = request.args
    if request.method == "POST":
        if request.mimetype == "application/sparql-update":
            raise QueryError(UPDATE_REFUSED)
        if request.mimetype == "application/sparql-query":
            body = request.get_data()
            refuse_extras(request.args)
            try:
                return body.decode("utf-8")
            except UnicodeDecodeError:
                raise QueryError("the query is not valid UTF-8") from None
        if request.mimetype not in FORM_TYPES:
            raise UnsupportedMediaType(
                "send a query as application/x-www-form-urlencoded or application/sparql-query"
            )
        fields = request.values
    refuse_extras(fields)
    return fields.get("query")


def refuse_extras(fields: MultiDict[str, str]) -> None:
    """Updates, and datasets named outside the query (which could point anywhere)."""
    if "update" in fields:
        raise QueryError(UPDATE_REFUSED)
    for name in DATASET_FIELDS:
        if name in fields:
            raise QueryError(
                f"{name} is not supported: name one of the dataset's graphs with FROM or GRAPH "
                "in the query (no graph is ever fetched from elsewhere)"
            )


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response | tuple[str, int]:
    query = protocol_query()
    fmt = request.args.get("format")
    if fmt == "html" or (fmt is None and wants_html()):
        return page(query)
    if query is None or not query.strip():
        raise QueryError(NO_QUERY)
    svc = service()
    fmt = negotiate(svc.form(query))
    return respond(svc.run(query, fmt=fmt), fmt)


@bp.get("/query")
def editor() -> tuple[str, int]:
    return page(protocol_query())


def page(query: str | None) -> tuple[str, int]:
    """The editor with the saved queries as examples, and the results as a table."""
    svc = service()
    example = request.args.get("example")
    run = bool(query and query.strip())
    if not run:
        query = get_query(svc.queries, example).text if example else STARTER
    assert query is not None
    context: dict[str, object] = {
        "query": query,
        "queries": sorted(svc.queries.values(), key=lambda q: q.name),
    }
    status = 200
    if run:
        try:
            form = svc.form(query)
            answer = svc.run(query, fmt="table")
            assert answer.results is not None
            context["table"] = table(answer.results, svc.base_iri)
            context["truncated"] = answer.truncated
            context["downloads"] = {
                fmt: url_for("sparql.endpoint", query=query, format=fmt) for fmt in types_for(form)
            }
        except EdugraphError as error:
            if not wants_html():
                raise  # a program gets the error alone, as JSON
            context["error"] = error.message
            status = status_of(error)
    return render_template("sparql.html", **context), status
