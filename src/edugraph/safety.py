"""Read-only SPARQL: what a query sent by anyone may not do.

Updates (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY) are refused, and so is
anything that could make the server reach the network: SERVICE, and FROM / FROM NAMED with a
graph that is not one of the dataset's own. The check reads the query's tokens with strings,
IRIs and comments blanked out, so a keyword cannot hide in a literal and a literal cannot
trip the check. The engines are a second line: neither runs updates through `query`, and the
rdflib engine is told never to load graphs from the web.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from edugraph.errors import QueryError

UPDATE = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY")
KEYWORD = re.compile(r"(?<![?$:\w])([A-Za-z]+)(?![\w:])")
STRING = re.compile(r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"", re.S)
IRI = re.compile(r"<([^<>\"{}|^`\\\s]*)>")
COMMENT = re.compile(r"#[^\n]*")
FROM = re.compile(r"\bFROM\s+(?:NAMED\s+)?(<\d+>)", re.I)
MAX_QUERY = 20_000  # characters


def _blank(query: str) -> tuple[str, list[str]]:
    """The query with strings blanked and IRIs replaced by <n>, and the IRIs in order."""
    iris: list[str] = []

    def keep(m: re.Match[str]) -> str:
        iris.append(m.group(1))
        return f"<{len(iris) - 1}>"

    out, i = [], 0
    pattern = re.compile(f"{STRING.pattern}|{IRI.pattern}|{COMMENT.pattern}", re.S)
    for m in pattern.finditer(query):
        out.append(query[i : m.start()])
        text = m.group(0)
        if text.startswith("<"):
            out.append(keep(IRI.match(text)))  # type: ignore[arg-type]
        else:
            out.append(" ")
        i = m.end()
    out.append(query[i:])
    return "".join(out), iris


def read_only(query: str, *, graphs: Collection[str] = ()) -> str:
    """Return the query unchanged if it is a read-only query touching only local graphs."""
    if len(query) > MAX_QUERY:
        raise QueryError(f"the query is longer than {MAX_QUERY} characters")
    text, iris = _blank(query)
    words = {m.group(1).upper() for m in KEYWORD.finditer(text)}
    update = sorted(words & set(UPDATE))
    if update:
        raise QueryError(f"read-only service: {', '.join(update)} is not allowed")
    if "SERVICE" in words:
        raise QueryError("SERVICE is not allowed: this service makes no outbound requests")
    for m in FROM.finditer(text):
        iri = iris[int(m.group(1)[1:-1])]
        if iri not in graphs:
            raise QueryError(
                f"FROM <{iri}> is not allowed: only the dataset's own graphs can be named"
            )
    return query
