"""How a push writes to a store: the SPARQL 1.1 Graph Store HTTP Protocol (PUT, POST) or
SPARQL 1.1 Update (INSERT DATA; a chunked replacement staged in a scratch graph and MOVEd
in), as steps that each say what the graph is left as if they fail."""

from __future__ import annotations

import base64
import http.client
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable

from edugraph import formats
from edugraph.errors import StoreError
from edugraph.stores.chunks import GraphData, Step
from edugraph.stores.remote import MANIFEST, Endpoint, transport_error

STAGING = "urn:edugraph:staging:"  # + the graph's IRI: where a chunked replacement is built
TURTLE = f"{formats.TURTLE.media_type}; charset=utf-8"  # N-Triples is Turtle; stores take it


class Http:
    """Plain HTTP writes with the endpoint's credentials. Authentication is pre-emptive (a
    bodiless probe fetches the challenge once, Basic or Digest): a store that answers a large
    unauthenticated body with 401 and closes the connection (Virtuoso) never sees one."""

    def __init__(self, url: str, *, timeout: float) -> None:
        self.endpoint = Endpoint.parse(url)
        self.timeout = timeout
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(
            None, self.endpoint.url, self.endpoint.user or "", self.endpoint.password or ""
        )
        self.digest = urllib.request.HTTPDigestAuthHandler(passwords)
        self.opener = urllib.request.build_opener()
        self.challenge: dict[str, str] | None = None  # Digest parameters, once probed
        self.basic = False

    def send(self, method: str, url: str, body: bytes | None, media: str | None) -> int:
        """The HTTP status of a 2xx answer or a 404; any other answer is a StoreError."""
        if self.endpoint.user is not None and not (self.challenge or self.basic):
            self._probe(url)
        code, said = self._send(method, url, body, media)
        if code == 401 and (self.challenge or self.basic):  # newly challenged, or a stale nonce
            code, said = self._send(method, url, body, media)
        if code == 401:
            raise self.error("refused the credentials (HTTP 401)")
        if code >= 300 and code != 404:
            raise self.error(f"answered HTTP {code}" + (f": {said}" if said else ""))
        return code

    def _send(
        self, method: str, url: str, body: bytes | None, media: str | None
    ) -> tuple[int, str]:
        request = urllib.request.Request(url, data=body, method=method)
        if media:
            request.add_header("Content-Type", media)
        self._authorize(request)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                response.read()
                return int(response.status), ""
        except urllib.error.HTTPError as exc:
            self._challenged(exc)
            return exc.code, _first_line(exc.read().decode("utf-8", "replace"))
        except (OSError, ValueError, http.client.HTTPException) as exc:
            raise transport_error(self.endpoint.url, exc, self.timeout) from None

    def _probe(self, url: str) -> None:
        self.challenge, self.basic = None, False
        self._send("HEAD", url, None, None)

    def _challenged(self, exc: urllib.error.HTTPError) -> None:
        header = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
        scheme, _, rest = header.partition(" ")
        if scheme.lower() == "digest":
            items = urllib.request.parse_http_list(rest)
            self.challenge = urllib.request.parse_keqv_list([i for i in items if i])
        elif scheme.lower() == "basic":
            self.basic = True

    def _authorize(self, request: urllib.request.Request) -> None:
        user, password = self.endpoint.user, self.endpoint.password or ""
        if user is None:
            return
        if self.challenge is not None:
            value = self.digest.get_authorization(request, self.challenge)
            if value:
                request.add_unredirected_header("Authorization", f"Digest {value}")
        elif self.basic:
            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            request.add_unredirected_header("Authorization", f"Basic {token}")

    def error(self, message: str) -> StoreError:
        return StoreError(message, source=f"store {self.endpoint.url}")


class GraphStore:
    """Writes through the SPARQL 1.1 Graph Store HTTP Protocol (`?graph=<iri>`)."""

    protocol = "graph store protocol"

    def __init__(self, url: str, *, timeout: float) -> None:
        self.http = Http(url, timeout=timeout)

    def _url(self, graph: str) -> str:
        base = self.http.endpoint.url
        sep = "&" if "?" in base else "?"
        return f"{base}{sep}{urllib.parse.urlencode({'graph': graph})}"

    def drop(self, graph: str) -> None:
        self.http.send("DELETE", self._url(graph), None, None)

    def _write(self, method: str, graph: str, data: str) -> None:
        code = self.http.send(method, self._url(graph), data.encode("utf-8"), TURTLE)
        if code == 404:
            raise self.http.error(f"answered HTTP 404 to {method} of graph <{graph}>")

    def steps(self, graph: GraphData, *, replace: bool) -> list[Step]:
        n = len(graph.chunks)
        out = []
        for i, data in enumerate(graph.chunks, 1):
            put = replace and i == 1
            if put:
                state = "not replaced (its old content is kept)"
            elif replace:
                state = (
                    f"HALF-REPLACED: its old content is gone and {i - 1} of {n} chunks of "
                    "the new content are in; push again with --replace"
                )
            else:
                state = f"partly added ({i - 1} of {n} chunks); push again to complete it"
            method = "PUT" if put else "POST"
            out.append(Step(_bind(self._write, method, graph.iri, data), state, i))
        return out

    def cleanup(self, graph: GraphData) -> None:
        """Nothing to clean: a PUT or POST leaves no scratch graph."""

    def write_manifest(self, data: str) -> None:
        self._write("PUT", MANIFEST, data)


class Update:
    """Writes through SPARQL 1.1 Update (INSERT DATA in chunks, MOVE for replacements)."""

    protocol = "SPARQL Update"

    def __init__(self, url: str, *, timeout: float) -> None:
        self.http = Http(url, timeout=timeout)

    def run(self, update: str) -> None:
        body = urllib.parse.urlencode({"update": update}).encode("ascii")
        code = self.http.send(
            "POST", self.http.endpoint.url, body, "application/x-www-form-urlencoded"
        )
        if code == 404:
            raise self.http.error("has no SPARQL Update endpoint at this URL (HTTP 404)")

    def drop(self, graph: str) -> None:
        self.run(f"DROP SILENT GRAPH <{graph}>")

    def steps(self, graph: GraphData, *, replace: bool) -> list[Step]:
        n, g = len(graph.chunks), graph.iri
        if not replace:
            return [
                Step(
                    _bind(self.run, _insert(g, data)),
                    f"partly added ({i - 1} of {n} chunks); push again to complete it",
                    i,
                )
                for i, data in enumerate(graph.chunks, 1)
            ]
        kept = "not replaced (its old content is kept"
        if n == 1:
            update = f"DROP SILENT GRAPH <{g}> ;\n{_insert(g, graph.chunks[0])}"
            return [Step(_bind(self.run, update), f"{kept})", 1)]
        staging = STAGING + g
        return [
            Step(_bind(self.drop, staging), f"{kept})"),
            *(
                Step(
                    _bind(self.run, _insert(staging, data)),
                    f"{kept}; its new content was being staged, {i - 1} of {n} chunks in)",
                    i,
                )
                for i, data in enumerate(graph.chunks, 1)
            ),
            Step(
                _bind(self.run, f"MOVE SILENT <{staging}> TO <{g}>"),
                f"{kept}; moving the staged new content in failed)",
            ),
        ]

    def cleanup(self, graph: GraphData) -> None:
        if len(graph.chunks) > 1:
            self.drop(STAGING + graph.iri)

    def write_manifest(self, data: str) -> None:
        self.run(f"DROP SILENT GRAPH <{MANIFEST}> ;\n{_insert(MANIFEST, data)}")


def _insert(graph: str, data: str) -> str:
    """INSERT DATA; with blank nodes, the equivalent INSERT … WHERE {}, since Virtuoso refuses
    blank nodes in INSERT DATA (a template's blank nodes are fresh per request, as there)."""
    if "_:" in data:
        return f"INSERT {{ GRAPH <{graph}> {{\n{data}}} }} WHERE {{}}"
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{data}}} }}"


def _bind(function: Callable[..., None], *args: str) -> Callable[[], None]:
    return lambda: function(*args)


Writer = GraphStore | Update


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0][:200] if lines else ""
