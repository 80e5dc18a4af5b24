"""Linked data: every IRI `<base>id/…` answers at `/id/…`, the ontology and the shapes at
`/ontology` and `/shapes` (their hash IRIs resolve there), the JSON-LD context, the dumps, and
the dataset's VoID description.

Content negotiation answers 200 at the resource's own URL with `Vary: Accept` — no 303
redirect: the IRIs are slash IRIs whose representations are generated per request, a
redirect would cost every client a second round trip, and each representation also has a
URL of its own (`?format=ttl`), named in `Content-Location` and in `Link` headers.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, send_file, url_for
from rdflib import URIRef
from werkzeug.wrappers import Response as Redirect

from edugraph import formats as rdf_formats
from edugraph.errors import NotFound, QueryError
from edugraph.publish import export
from edugraph.query.queries import Param, parse_value
from edugraph.web import dataset, describe
from edugraph.web.formats import GRAPH_TYPES, TRUNCATED, content_type, negotiate
from edugraph.web.http import SECURITY_HEADERS
from edugraph.web.published import Dump
from edugraph.web.service import Service, service

bp = Blueprint("linked", __name__)
STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def resource_iri(svc: Service, path: str) -> URIRef:
    """The IRI `/id/<path>` answers for; a path that makes no valid IRI names nothing."""
    iri = f"{svc.base_iri}id/{path}"
    try:
        found = parse_value(Param("iri", "iri"), iri)
    except QueryError:
        raise NotFound(f"no resource {iri!r}") from None
    assert isinstance(found, URIRef)
    return found


def formats(endpoint: str, **values: Any) -> list[tuple[str, str, str]]:
    """Name, media type and URL of each RDF representation, for a page's links."""
    return [
        (f.name, f.media_type, url_for(endpoint, **values, format=f.key))
        for f in rdf_formats.graph_formats()
    ]


def alternates(endpoint: str, **values: Any) -> str:
    """A `Link` header naming every representation of this resource by its own URL."""
    found = [("text/html", url_for(endpoint, **values, format="html"))]
    found += [(mime, href) for _, mime, href in formats(endpoint, **values)]
    return ", ".join(f'<{href}>; rel="alternate"; type="{mime}"' for mime, href in found)


def rdf_response(data: bytes, fmt: str, endpoint: str, **values: Any) -> Response:
    response = Response(data, content_type=content_type(GRAPH_TYPES[fmt]))
    response.headers["Content-Location"] = url_for(endpoint, **values, format=fmt)
    response.headers["Link"] = alternates(endpoint, **values)
    return response


@bp.get("/id/<path:path>")
def resource(path: str) -> Response:
    """A resource: its page for a browser, its concise bounded description by Accept or
    `?format=` (ttl, nt, jsonld, rdfxml)."""
    svc = service()
    iri = resource_iri(svc, path)
    fmt = negotiate("graph", html=True)
    if fmt != "html":
        data, truncated = describe.description(svc, iri, fmt)
        response = rdf_response(data, fmt, "linked.resource", path=path)
        if truncated:
            response.headers[TRUNCATED] = "true"
        return response
    html = render_template(
        "resource.html", page=describe.page(svc, iri), formats=formats("linked.resource", path=path)
    )
    response = Response(html, content_type="text/html; charset=utf-8")
    response.headers["Link"] = alternates("linked.resource", path=path)
    return response


def documentation(html: str) -> Response:
    """A generated documentation page: its own inline stylesheet is allowed by its hash, so
    the page keeps a policy with no inline code beyond that."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in STYLE.findall(html)
    )
    response = Response(html, content_type="text/html; charset=utf-8")
    policy = SECURITY_HEADERS["Content-Security-Policy"]
    response.headers["Content-Security-Policy"] = policy.replace(
        "style-src 'self'", f"style-src 'self' {hashes}".rstrip()
    )
    return response


def vocabulary(short_name: str, endpoint: str) -> Response:
    """The ontology or the shapes: documentation for a browser, the graph by Accept."""
    published = service().published
    fmt = negotiate("graph", html=True)
    if fmt == "html":
        response = documentation(published.page(short_name))
        response.headers["Link"] = alternates(endpoint)
        return response
    dump = published.graph_dump(short_name, fmt)
    response = streamed(dump)
    response.headers["Content-Location"] = url_for(endpoint, format=fmt)
    response.headers["Link"] = alternates(endpoint)
    return response


@bp.get("/ontology")
def ontology() -> Response:
    return vocabulary("ontology", "linked.ontology")


@bp.get("/shapes")
def shapes() -> Response:
    return vocabulary("shapes", "linked.shapes")


@bp.get("/context.jsonld")
def context() -> Response:
    """The published JSON-LD context, which the JSON-LD dumps carry inline too."""
    try:
        data = export.CONTEXT_FILE.read_bytes()
    except OSError:
        raise NotFound("the JSON-LD context is not installed with this server") from None
    return Response(data, content_type="application/ld+json")


@bp.get("/download/<name>")
def download(name: str) -> Response:
    """A dump of the dataset (`edugraph.<ext>`) or of one named graph (`<stem>.<ext>`)."""
    dump = service().published.dump(name)
    response = streamed(dump)
    response.headers["Content-Disposition"] = dump.disposition
    return response


def streamed(dump: Dump) -> Response:
    """A published file, streamed from disk with its Last-Modified (the ETag is the version's,
    set for every response); nothing is made per request."""
    response = send_file(
        dump.path,
        mimetype=dump.media_type,  # text/* gets its charset added
        etag=False,
        conditional=False,
        last_modified=dump.path.stat().st_mtime,
    )
    return response


@bp.get("/.well-known/void", endpoint="void")
@bp.get("/dataset", endpoint="dataset")
def described() -> Response | str:
    """The dataset's VoID + DCAT description, with this server's own URLs: Turtle for a
    program, the dataset's page for a browser (at either address)."""
    svc = service()
    root = request.url_root
    fmt = negotiate("graph", html=True)
    if fmt == "html":
        published = svc.published
        page = dataset.page(published.description(), published.base, svc)
        return render_template("dataset.html", page=page, formats=formats("linked.void"))
    data = svc.published.description_data(root, fmt)
    return rdf_response(data, fmt, "linked.void")


@bp.get("/graph/<path:path>")
def graph(path: str) -> Redirect:
    """A named graph's IRI: 303 to its dump (by Accept) or, for a browser, to its entry on
    the dataset's page — the graph is not a document, its dumps are."""
    svc = service()
    iri = f"{svc.base_iri}graph/{path}"
    if iri not in svc.graphs:
        raise NotFound(f"no graph {iri!r} in this dataset")
    offered = {f.media_type: f.key for f in rdf_formats.ALL}
    best = request.accept_mimetypes.best_match(
        [*offered, "text/html"], default=rdf_formats.TURTLE.media_type
    )
    stem = export.download_stem(iri)
    if best == "text/html":
        return redirect(f"{url_for('linked.dataset')}#graph-{stem}", code=303)
    name = export.filename(fmt=offered[best], graph=iri)
    return redirect(url_for("linked.download", name=name), code=303)
