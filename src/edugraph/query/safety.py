"""Read-only SPARQL: what a query sent by anyone may run, decided on its parse tree.

A query is parsed by a SPARQL 1.1 parser (rdflib's) and judged by what the parse says: its
form, its dataset clauses (prefixed names resolved) and every SERVICE anywhere in it. Updates,
SERVICE, FROM / FROM NAMED of a graph that is not the dataset's own, and text that does not
parse are refused. Nothing is decided by scanning the text.

Two parsers read the query (the checker and the engine), so the text the engine runs is made
unambiguous first: `\\uXXXX` escapes are expanded once, as the SPARQL grammar says they are
before parsing (Oxigraph reads them only inside IRIs and strings, rdflib everywhere), and every
line break becomes `\\n` (Oxigraph ends a comment at `\\r`, rdflib does not). What is checked is
exactly what runs. The query workers have no network either, so a parser difference still
cannot reach out (`edugraph.query.sandbox`).

Relative IRIs resolve against a base the request gives (the endpoint's own URL, as the SPARQL
Protocol suggests), written into the text as a first `BASE` line so that both parsers resolve
against the same base. A query's own `BASE` must then be absolute: the two parsers would
resolve a relative one differently.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pyparsing import ParseBaseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import expandUnicodeEscapes, parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from edugraph.errors import QueryError
from edugraph.rdf import is_iri

MAX_QUERY = 20_000  # characters
# rdflib's parser (pyparsing) keeps state between calls: two threads parsing at once make
# valid queries fail at random. Parses are short and remembered, so one at a time.
_PARSING = threading.Lock()
FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}
UPDATES = {
    "InsertData": "INSERT",
    "DeleteData": "DELETE",
    "DeleteWhere": "DELETE",
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
}


@dataclass(frozen=True, slots=True)
class Checked:
    """A query that may run: the text to run, its form and whether it names its dataset."""

    text: str
    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    dataset: bool  # FROM / FROM NAMED present: the engine must not use the union graph


def canonical(query: str, *, base: str | None = None) -> str:
    """The query with escapes expanded and line breaks unified: one reading for every parser;
    with `base`, under a first line `BASE <base>`."""
    if len(query) > MAX_QUERY:
        raise QueryError(f"the query is longer than {MAX_QUERY} characters")
    try:
        text = expandUnicodeEscapes(query)
    except ValueError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from None
    if expandUnicodeEscapes(text) != text:
        raise QueryError("an escape sequence spells another escape sequence: write it plainly")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if base is None:
        return text
    if not is_iri(base):
        raise QueryError(f"the request's URL is not a valid base IRI: {base!r}")
    return f"BASE <{base}>\n{text}"


def check(query: str, *, graphs: Collection[str] | None = (), base: str | None = None) -> Checked:
    """The query as it may run, or a QueryError saying why not.

    `graphs` are the graphs FROM may name; None skips that check (trusted saved queries).
    `base` resolves the query's relative IRIs."""
    text = canonical(query, base=base)
    return _check(text, None if graphs is None else frozenset(graphs), base is not None)


def read_only(query: str, *, graphs: Collection[str] = ()) -> str:
    """The text to run, once the query is known to be read-only and local."""
    return check(query, graphs=graphs).text


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, from the parse tree."""
    return check(query, graphs=None).form


@lru_cache(maxsize=512)
def _check(text: str, graphs: frozenset[str] | None, based: bool) -> Checked:
    with _PARSING:
        return _judge(text, graphs, based)


def _judge(text: str, graphs: frozenset[str] | None, based: bool) -> Checked:
    tree = _parse(text, shift=1 if based else 0)
    for declaration in tree[0]:
        if declaration.name == "Base" and not is_iri(str(declaration["iri"])):
            raise QueryError(f"BASE <{declaration['iri']}> is not an absolute IRI")
    body = tree[1]
    form = FORMS.get(body.name)
    if form is None:
        raise QueryError("not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    if any(node.name == "ServiceGraphPattern" for node in _nodes(tree)):
        raise QueryError("SERVICE is not allowed: this service makes no outbound requests")
    clauses = _dataset_clauses(tree)
    if graphs is not None:
        for iri in clauses:
            if iri not in graphs:
                raise QueryError(
                    f"FROM <{iri}> is not allowed: only the dataset's own graphs can be named"
                )
    return Checked(text, form, bool(clauses))


def _parse(text: str, *, shift: int) -> Any:
    """The parse tree; an error names the line as the client wrote it (`shift`: lines added)."""
    try:
        return parseQuery(text)
    except ParseBaseException as exc:
        _refuse_update(text)
        raise QueryError(
            "not a SELECT, ASK, CONSTRUCT or DESCRIBE query: SPARQL syntax error at line "
            f"{max(1, exc.lineno - shift)}, column {exc.col}: {exc.msg}"
        ) from None
    except (ValueError, TypeError, RecursionError) as exc:  # rdflib's term constructors
        raise QueryError(f"SPARQL syntax error: {exc}") from None


def _refuse_update(text: str) -> None:
    """Name the operation when the text is an update, so the refusal says what it is."""
    try:
        update = parseUpdate(text)
    except (ParseBaseException, ValueError, TypeError, RecursionError):
        return
    words: list[str] = []
    requests = update["request"] if "request" in update else []  # noqa: SIM401 (not a dict)
    for request in requests:
        name = getattr(request, "name", "")
        if name == "Modify":
            words += [w for w, k in (("DELETE", "delete"), ("INSERT", "insert")) if k in request]
        else:
            words.append(UPDATES.get(name, name.upper()))
    shown = ", ".join(dict.fromkeys(words)) or "an update"
    raise QueryError(f"read-only service: {shown} is not allowed")


def _dataset_clauses(tree: Any) -> list[str]:
    """The IRIs of FROM and FROM NAMED, prefixed names resolved as the query declares them."""
    if not tree[1].get("datasetClause"):
        return []
    try:
        query = translateQuery(tree)
    except Exception as exc:  # rdflib's translation raises many types
        raise QueryError(f"the query cannot be checked: {exc}") from None
    found = []
    for clause in query.algebra.get("datasetClause") or []:
        found.append(str(clause["default"] if "default" in clause else clause["named"]))
    return found


def _nodes(node: Any) -> Iterator[CompValue]:
    """Every node of the parse tree, depth first."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple) or type(item).__name__ == "ParseResults":
            stack.extend(item)
