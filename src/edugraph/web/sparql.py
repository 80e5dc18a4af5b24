"""The SPARQL 1.1 Protocol endpoint (`/sparql`) and the SPARQL page (`/query`, or `/sparql`
for a browser). Queries only: an update is refused on every route and in every encoding. The
page predeclares the common prefixes (`edugraph.query.prologue`); the endpoint, a protocol for
programs, takes queries as the standard defines them."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import UnsupportedMediaType

from edugraph.errors import EdugraphError, QueryError
from edugraph.query import prologue
from edugraph.query.engines import Graphs
from edugraph.query.queries import get_query
from edugraph.web.formats import negotiate, respond, types_for
from edugraph.web.http import status_of, wants_html
from edugraph.web.service import service
from edugraph.web.tables import table

bp = Blueprint("sparql", __name__)
UPDATE_REFUSED = "read-only service: SPARQL Update is not accepted"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
DEFAULT_GRAPH, NAMED_GRAPH = "default-graph-uri", "named-graph-uri"
TWO_QUERIES = "more than one query: send exactly one, in the URL or in the body"
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
    """The query a protocol request carries (None if none), refusing updates and requests
    that carry more than one query."""
    fields: MultiDict[str, str] = request.args
    if request.method == "POST":
        if request.mimetype == "application/sparql-update":
            raise QueryError(UPDATE_REFUSED)
        if request.mimetype == "application/sparql-query":
            body = request.get_data()
            refuse_extras(request.args)
            if "query" in request.args:
                raise QueryError(TWO_QUERIES)
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
    found = fields.getlist("query")
    if len(found) > 1:
        raise QueryError(TWO_QUERIES)
    return found[0] if found else None


def refuse_extras(fields: MultiDict[str, str]) -> None:
    """Updates are refused wherever they are sent."""
    if "update" in fields:
        raise QueryError(UPDATE_REFUSED)


def protocol_dataset() -> Graphs | None:
    """The dataset named by default-graph-uri / named-graph-uri (in the URL, or in a form
    body), of the dataset's own graphs only."""
    form = request.method == "POST" and request.mimetype in FORM_TYPES
    fields: MultiDict[str, str] = request.values if form else request.args
    return service().dataset(fields.getlist(DEFAULT_GRAPH), fields.getlist(NAMED_GRAPH))


def base_iri() -> str:
    """The base for the query's relative IRIs: the endpoint's own URL (without the query
    string), also for the page, so that its table and its downloads agree."""
    return url_for("sparql.endpoint", _external=True)


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response | tuple[str, int]:
    query = protocol_query()
    fmt = request.args.get("format")
    if fmt == "html" or (fmt is None and wants_html()):
        return page(query)
    if query is None or not query.strip():
        raise QueryError(NO_QUERY)
    svc = service()
    dataset = protocol_dataset()
    fmt = negotiate(svc.form(query))
    return respond(svc.run(query, fmt=fmt, base=base_iri(), dataset=dataset), fmt)


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
        "prefixes": prologue.NAMESPACES,  # predeclared on this page
    }
    status = 200
    if run:
        try:
            text = prologue.predeclare(query)  # the downloads carry the declarations
            form = svc.form(text)
            dataset = protocol_dataset()
            answer = svc.run(text, fmt="table", base=base_iri(), dataset=dataset)
            assert answer.results is not None
            context["table"] = table(answer.results, svc.base_iri)
            context["truncated"] = answer.truncated
            context["downloads"] = {
                fmt: url_for("sparql.endpoint", query=text, format=fmt) for fmt in types_for(form)
            }
        except EdugraphError as error:
            if not wants_html():
                raise  # a program gets the error alone, as JSON
            context["error"] = error.message
            status = status_of(error)
    return render_template("sparql.html", **context), status
