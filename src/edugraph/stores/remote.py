"""A remote SPARQL 1.1 store (Oxigraph server, Virtuoso, Fuseki, GraphDB …) behind the Engine
interface, queried over the SPARQL 1.1 Protocol through SPARQLWrapper.

Stores disagree on what the default graph is: Oxigraph server's is its own (empty) default
graph, Virtuoso's is every graph it holds, its system graphs included. The embedded engines
query the union of the dataset's named graphs, so this engine names that dataset in every
request with the protocol's `default-graph-uri` and `named-graph-uri` parameters, and every
store answers over the same triples.

Which graphs make the dataset, and the engine's `version`, come from the manifest graph that
`edugraph push` writes last (see `edugraph.stores.push`); lacking one (a store loaded another way),
from the store's graphs under `<base>graph/` and a COUNT of their triples.
"""

from __future__ import annotations

import ast
import hashlib
import http.client
import json
import math
import time
import urllib.error
import urllib.parse
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rdflib import Graph
from rdflib.term import Identifier
from SPARQLWrapper import BASIC, GET, JSON, POST, TURTLE, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
)

from edugraph import formats
from edugraph.errors import QueryError, StoreError, StoreTimeout
from edugraph.query.engines import Binding, Results, with_values
from edugraph.query.safety import query_form
from edugraph.rdf import literal_json
from edugraph.vocab import DEFAULT_BASE

MANIFEST = "urn:edugraph:manifest"  # the graph `edugraph push` writes last: graphs and version
HAS_PART = "http://purl.org/dc/terms/hasPart"
VERSION_INFO = "http://www.w3.org/2002/07/owl#versionInfo"
SELECT_JSON = formats.RESULTS_JSON.media_type
GRAPH_TYPES = {  # media type -> rdflib parser, in order of preference
    f.media_type: f.rdflib
    for f in (formats.NTRIPLES, formats.TURTLE, formats.RDFXML, formats.JSONLD)
}
GRAPH_ACCEPT = f"{formats.NTRIPLES.media_type}, {formats.TURTLE.media_type};q=0.9"
Method = Literal["GET", "POST"]
DefaultGraph = Literal["dataset", "store"]


@dataclass(frozen=True, slots=True)
class Endpoint:
    """An HTTP endpoint with the credentials taken out of its URL, so they are never shown."""

    url: str
    user: str | None = None
    password: str | None = None

    @classmethod
    def parse(cls, url: str) -> Endpoint:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreError(f"not an http(s) URL: {redact(url)!r}")
        netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
        if parts.port is not None:
            netloc = f"{netloc}:{parts.port}"
        plain = urllib.parse.urlunsplit(parts._replace(netloc=netloc))
        user = urllib.parse.unquote(parts.username) if parts.username else None
        password = urllib.parse.unquote(parts.password) if parts.password else None
        return cls(plain, user, password)


def redact(url: str) -> str:
    """The URL without any password in it, fit for a message."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


class SparqlClient:
    """SPARQL 1.1 Protocol queries through SPARQLWrapper; every failure becomes a StoreError
    (or a QueryError for a query the store refuses) naming the endpoint."""

    def __init__(self, url: str, *, timeout: float = 30.0, method: Method = "POST") -> None:
        self.endpoint = Endpoint.parse(url)
        self.timeout = timeout
        self.method = method

    def error(self, message: str) -> StoreError:
        return StoreError(message, source=f"store {self.endpoint.url}")

    def select(self, query: str, graphs: Sequence[str] = ()) -> Results:
        """A SELECT or ASK query; `graphs` make its dataset (none: the store's own)."""
        body, media = self.send(query, query_form(query), graphs)
        return normalise(self._json(body, media))

    def count(self, graph: str) -> int:
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(rows["results"]["bindings"][0]["n"]["value"])

    def send(self, query: str, form: str, graphs: Sequence[str]) -> tuple[bytes, str]:
        """One request: the body and its media type."""
        wrapper = self._wrapper(query, form, graphs)
        try:
            result = wrapper.query()
            body = result.response.read()
            media = result.info().get("content-type", "")
        except QueryBadFormed as exc:
            raise QueryError(f"the store refused the query: {_said(exc)}") from None
        except Unauthorized:
            raise self.error("refused the credentials (HTTP 401)") from None
        except EndPointNotFound:
            raise self.error("has no SPARQL endpoint at this URL (HTTP 404)") from None
        except SPARQLWrapperException as exc:
            raise self.error(f"failed: {_said(exc)}") from None
        except urllib.error.HTTPError as exc:
            raise self.error(f"answered HTTP {exc.code} {exc.reason}") from None
        except (OSError, http.client.HTTPException) as exc:
            raise transport_error(self.endpoint.url, exc, self._seconds()) from None
        if _partial(result.info()):
            raise self.error("cut the query short and sent partial results (its time limit)")
        return body, media.split(";", 1)[0].strip().lower()

    def _wrapper(self, query: str, form: str, graphs: Sequence[str]) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(self.endpoint.url)
        wrapper.setOnlyConneg(True)  # no format=/output= parameters: plain protocol
        wrapper.setMethod(POST if self.method == "POST" else GET)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setTimeout(self._seconds())
        with warnings.catch_warnings():  # its query-type guess warns on unusual prologues
            warnings.simplefilter("ignore")
            wrapper.setQuery(query)
        wrapper.queryType = form  # never let a guess turn a query into an update request
        if form in ("SELECT", "ASK"):
            wrapper.setReturnFormat(JSON)
            wrapper.addCustomHttpHeader("Accept", SELECT_JSON)
        else:
            wrapper.setReturnFormat(TURTLE)
            wrapper.addCustomHttpHeader("Accept", GRAPH_ACCEPT)
        if self.endpoint.user is not None:
            wrapper.setHTTPAuth(BASIC)
            wrapper.setCredentials(self.endpoint.user, self.endpoint.password or "")
        for g in graphs:
            wrapper.addDefaultGraph(g)
            wrapper.addNamedGraph(g)
        return wrapper

    def _seconds(self) -> int:
        return max(1, math.ceil(self.timeout))  # SPARQLWrapper takes whole seconds

    def _json(self, body: bytes, media: str) -> dict[str, Any]:
        if media not in (SELECT_JSON, *formats.RESULTS_JSON.media_aliases):
            raise self.error(f"answered {media or 'no media type'}, not SPARQL JSON results")
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise self.error("answered JSON that does not parse") from None
        if not _is_results(data):
            raise self.error("answered JSON that is not SPARQL results")
        return data  # type: ignore[no-any-return]


def transport_error(url: str, exc: BaseException, seconds: float) -> StoreError:
    """A connection-level failure as one line: down, slow, or cut off."""
    source = f"store {url}"
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError):
        return StoreTimeout(f"no answer within {seconds:g} s", source=source)
    if isinstance(exc, urllib.error.URLError):
        return StoreError(f"unreachable ({_reason(reason)})", source=source)
    return StoreError(f"connection failed ({_reason(reason)})", source=source)


class RemoteEngine:
    """Saved and ad-hoc queries on a remote SPARQL 1.1 store, results normalised like the
    embedded engines' (SPARQL JSON, canonical decimals and language tags).

    `default_graph="dataset"` (the default) names the dataset's graphs in each request;
    `"store"` trusts the store's own default graph to be their union (Oxigraph server with
    `--union-default-graph`, a Virtuoso holding this dataset alone), which saves sending the
    graph list when there are thousands of graphs.

    `version` is the first 16 hex digits of SHA-256 over the endpoint URL and the dataset's
    version as `edugraph push` recorded it in the manifest (the hash the embedded engines
    compute from the same TriG file), or, with no manifest, the COUNT of the dataset's
    triples. It is read again after `refresh` seconds, so a server's ETags follow a new push.
    """

    name = "remote"
    needs_network = True  # its query workers talk to the store: no sandbox for them

    def __init__(
        self,
        url: str,
        *,
        graphs: Sequence[str] | None = None,
        default_graph: DefaultGraph = "dataset",
        base: str = DEFAULT_BASE,
        timeout: float = 30.0,
        method: Method = "POST",
        refresh: float = 10.0,
    ) -> None:
        self.client = SparqlClient(url, timeout=timeout, method=method)
        self.endpoint = self.client.endpoint
        self.default_graph = default_graph
        self.base = base
        self.refresh = refresh
        self._fixed = tuple(graphs) if graphs is not None else None
        self._graphs: tuple[str, ...] = ()
        self._version = ""
        self._read_at = -math.inf
        self._pinned = False
        self._load()

    @property
    def version(self) -> str:
        if not self._pinned and time.monotonic() - self._read_at > self.refresh:
            self._load()
        return self._version

    @version.setter
    def version(self, value: str) -> None:
        """Pin the version (no more reads from the store)."""
        self._version, self._pinned = value, True

    @property
    def graphs(self) -> tuple[str, ...]:
        """The dataset's named graphs on the store, as last read."""
        return self._graphs

    def select(
        self,
        query: str,
        bindings: Mapping[str, Identifier] | None = None,
        *,
        limit: int | None = None,
        max_bytes: int | None = None,  # the rows come whole from the store: cut by the caller
    ) -> Results:
        form = query_form(query)
        if form not in ("SELECT", "ASK"):
            raise QueryError("expected a SELECT or ASK query")
        results = self.client.select(with_values(query, bindings or {}), self._dataset())
        rows = results.get("results", {}).get("bindings")
        if limit is not None and rows is not None and len(rows) > limit:
            results["results"]["bindings"] = rows[:limit]
        return results

    def graph(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> Graph:
        form = query_form(query)
        if form not in ("CONSTRUCT", "DESCRIBE"):
            raise QueryError("expected a CONSTRUCT or DESCRIBE query")
        text = with_values(query, bindings or {})
        body, media = self.client.send(text, form, self._dataset())
        if media not in GRAPH_TYPES:
            raise self.client.error(f"answered {media or 'no media type'}, not RDF")
        graph = Graph()
        try:
            graph.parse(data=body.decode("utf-8"), format=GRAPH_TYPES[media])
        except Exception:  # rdflib's parsers raise many types
            raise self.client.error(f"answered {media} that does not parse") from None
        return graph

    def _dataset(self) -> tuple[str, ...]:
        if self.default_graph == "store":
            return ()
        if time.monotonic() - self._read_at > self.refresh:
            self._load()
        return self._graphs

    def _load(self) -> None:
        """Read the dataset's graphs and version: the manifest, else discovery and a COUNT."""
        graphs, recorded = self._manifest()
        if self._fixed is not None:
            graphs, recorded = self._fixed, (recorded if set(graphs) == set(self._fixed) else "")
        elif not graphs:
            graphs = self._discover()
        if not graphs and self.default_graph == "dataset":
            raise self.client.error(
                f"holds no edugraph dataset (no manifest graph <{MANIFEST}> and no graph "
                f"under <{self.base}graph/>); load one with `edugraph push`"
            )
        self._graphs = tuple(graphs)
        source = recorded or f"count:{self._count()}"
        if not self._pinned:
            digest = hashlib.sha256(f"{self.endpoint.url}\n{source}".encode())
            self._version = digest.hexdigest()[:16]
        self._read_at = time.monotonic()

    def _manifest(self) -> tuple[tuple[str, ...], str]:
        rows = self.client.select(
            f"SELECT ?graph ?version WHERE {{ GRAPH <{MANIFEST}> {{ "
            f"OPTIONAL {{ <{MANIFEST}> <{HAS_PART}> ?graph }} "
            f"OPTIONAL {{ <{MANIFEST}> <{VERSION_INFO}> ?version }} }} }}"
        )["results"]["bindings"]
        graphs = sorted({r["graph"]["value"] for r in rows if "graph" in r})
        versions = {r["version"]["value"] for r in rows if "version" in r}
        return tuple(graphs), (versions.pop() if len(versions) == 1 else "")

    def _discover(self) -> tuple[str, ...]:
        prefix = json.dumps(f"{self.base}graph/")
        rows = self.client.select(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
            f"FILTER(STRSTARTS(STR(?g), {prefix})) }}"
        )["results"]["bindings"]
        return tuple(sorted(r["g"]["value"] for r in rows))

    def _count(self) -> str:
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        rows = self.client.select(query, self._graphs)["results"]["bindings"]
        return rows[0]["n"]["value"] if rows and "n" in rows[0] else "?"


def normalise(data: Mapping[str, Any]) -> Results:
    """SPARQL JSON as the embedded engines write it: Virtuoso's `typed-literal`, explicit
    xsd:string, lower-case language tags and non-canonical decimals are rewritten."""
    if "boolean" in data:
        return {"head": {}, "boolean": bool(data["boolean"])}
    names = [str(v) for v in data["head"].get("vars", [])]
    rows: list[Binding] = []
    for row in data["results"]["bindings"]:
        rows.append({name: _term(term) for name, term in row.items() if name in names})
    return {"head": {"vars": names}, "results": {"bindings": rows}}


def _term(term: Mapping[str, str]) -> dict[str, str]:
    kind, value = term["type"], str(term["value"])
    if kind in ("uri", "bnode"):
        return {"type": kind, "value": value}
    return literal_json(value, term.get("xml:lang"), term.get("datatype"))


def _is_results(data: object) -> bool:
    if not isinstance(data, dict) or not isinstance(data.get("head"), dict):
        return False
    if "boolean" in data:
        return isinstance(data["boolean"], bool)
    results = data.get("results")
    if not isinstance(results, dict) or not isinstance(results.get("bindings"), list):
        return False
    return all(
        isinstance(row, dict)
        and all(isinstance(t, dict) and "type" in t and "value" in t for t in row.values())
        for row in results["bindings"]
    )


def _partial(headers: Mapping[str, str]) -> bool:
    """Virtuoso's "anytime" queries answer 200 with what they found when time ran out, and
    say so only in a header."""
    lowered = {k.lower(): v for k, v in headers.items()}
    return lowered.get("x-sql-state", "").upper() == "S1TAT"


def _said(exc: SPARQLWrapperException) -> str:
    """The first line of what the store answered, from SPARQLWrapper's message."""
    text = str(exc).partition("Response:\n")[2]
    try:
        said = ast.literal_eval(text)
        text = said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said)
    except (ValueError, SyntaxError):
        pass
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first = lines[0] if lines else type(exc).__name__
    return first[:200]


def _reason(reason: object) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return str(reason) or type(reason).__name__
