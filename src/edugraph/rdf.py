"""RDF terms: parsing Turtle with a clear error, literals in the forms the graph uses, and the
one converter between rdflib's terms and Oxigraph's (every stage calls these, so that a
language tag or a blank node is written the same way on every path)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from edugraph.errors import InputError, QueryError
from edugraph.formats import TURTLE

ZH = "zh-Hans"

# RFC 3987: a scheme, then characters an IRI may hold (no controls C0, DEL or C1, no space or
# <>"{}|\\^`, no surrogates or non-characters), % only as a %XX escape, at most one #.
IRI = re.compile(
    r"[A-Za-z][A-Za-z0-9+.-]*:"
    r"(?:[^\x00-\x20<>\"{}|\\^`\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff%#]|%[0-9A-Fa-f]{2})*"
    r"(?:#(?:[^\x00-\x20<>\"{}|\\^`\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff%#]|%[0-9A-Fa-f]{2})*)?"
)


def is_iri(value: str) -> bool:
    """The whole value is an absolute IRI (fullmatch: a final newline is not let through)."""
    return IRI.fullmatch(value) is not None and not any(
        (ord(c) & 0xFFFE) == 0xFFFE for c in value if ord(c) > 0xFFFF
    )


def parse_into(graph: Graph, path: Path) -> None:
    try:
        graph.parse(path, format=TURTLE.rdflib)
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(f"cannot parse Turtle: {exc}", source=str(path)) from None


def date_literal(value: str) -> Literal:
    """YYYY → xsd:gYear, YYYY-MM → xsd:gYearMonth, YYYY-MM-DD → xsd:date."""
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(value), XSD.date)
    return Literal(value, datatype=datatype)


OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def canonical_lang(tag: str) -> str:
    """BCP 47 case (zh-Hans, en-GB): Oxigraph lower-cases tags, rdflib keeps them as written;
    the two compare equal either way, and this is the form a person expects to read."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(
            part.title() if len(part) == 4 else part.upper() if len(part) == 2 else part.lower()
        )
    return "-".join(out)


# A literal's end and a tag with subtags, in N-Triples, N-Quads, Turtle or TriG as Oxigraph
# writes them (short strings, every quote inside escaped): only such a tag has letters
# Oxigraph lower-cased that BCP 47 writes otherwise (a primary tag is lower case anyway).
_TAGGED = re.compile(rb'"@([A-Za-z0-9]+-[A-Za-z0-9-]+)')


def bcp47_tags(data: bytes) -> bytes:
    """N-Triples, N-Quads, Turtle or TriG from Oxigraph with its language tags in BCP 47 case
    (Oxigraph writes them lower-cased): every output then has the tags SELECT results have.
    A quote escaped inside a literal (an odd run of backslashes before it) is no literal's
    end, so text inside a literal is never touched."""

    def fix(match: re.Match[bytes]) -> bytes:
        start = before = match.start()
        while before and data[before - 1] == 0x5C:  # a backslash
            before -= 1
        if (start - before) % 2:
            return match.group(0)
        return b'"@' + _bcp47(match.group(1))

    return _TAGGED.sub(fix, data)


@cache
def _bcp47(tag: bytes) -> bytes:
    return canonical_lang(tag.decode("ascii")).encode("ascii")


def from_oxigraph(term: object) -> Node:
    """An Oxigraph term as rdflib parses the same RDF: a plain string has no datatype, and a
    language tag has its BCP 47 case (zh-Hans)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=canonical_lang(term.language))
        datatype = term.datatype.value
        return Literal(
            term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype)
        )
    raise TypeError(f"not an RDF term: {term!r}")


def to_oxigraph(term: Node, blanks: dict[Node, ox.BlankNode] | None = None) -> OxTerm:
    """An rdflib term in Oxigraph. A blank node keeps its label unless `blanks` is given: then
    each gets a fresh one, the same for the same node (labels of two documents never merge)."""
    if isinstance(term, BNode):
        if blanks is None:
            return ox.BlankNode(str(term))
        return blanks.setdefault(term, ox.BlankNode())
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def oxigraph_quads(graph: Graph) -> Iterator[ox.Quad]:
    """An rdflib graph's triples as Oxigraph quads in the default graph, blank node labels
    kept (a finding about a blank node then names the node rdflib has)."""
    for s, p, o in graph:
        yield ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]


def nt_term(term: Node | OxTerm) -> str:
    """A term (rdflib's or Oxigraph's) in N-Triples, escaped by Oxigraph, its language tag in
    BCP 47 case: a triple gives the same line whichever library made it."""
    if isinstance(term, Literal | ox.Literal) and term.language:
        value = term.value if isinstance(term, ox.Literal) else str(term)
        return f"{ox.Literal(value)}@{canonical_lang(term.language)}"
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return str(term)
    return str(to_oxigraph(term))


def nt_line(triple: tuple[Node, Node, Node] | tuple[OxTerm, OxTerm, OxTerm]) -> str:
    """A triple as one N-Triples line, with its newline."""
    s, p, o = triple
    return f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n"


# Oxigraph's N-Triples and N-Quads parser refuses a token over 16 MiB: a report whose whole
# text is one literal. Lines from this long on are read here, the rest by Oxigraph.
LONG_LINE = 8 * 1024 * 1024
_LONG_LINE = re.compile(rb"^[^\n]{%d,}" % LONG_LINE, re.M)
_NODE = r"(<[^>]*>|_:[^ ]+)"
_LONG = re.compile(
    _NODE + r' <([^>]*)> "([^"\\]*(?:\\.[^"\\]*)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?'
    r"(?: " + _NODE + r")? \.[ \t]*\r?"
)
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def has_long_line(data: bytes) -> bool:
    return len(data) >= LONG_LINE and _LONG_LINE.search(data) is not None


def parse_lines(data: bytes, fmt: ox.RdfFormat) -> Iterator[ox.Quad]:
    """N-Triples or N-Quads as Oxigraph quads, in their order, blank node labels as written;
    a line too long for Oxigraph's parser (a literal as long as a report) is read here."""
    start = 0
    for match in _LONG_LINE.finditer(data) if len(data) >= LONG_LINE else ():
        yield from ox.parse(data[start : match.start()], format=fmt)
        yield _long_quad(match.group().decode("utf-8"))
        start = match.end()
    yield from ox.parse(data[start:] if start else data, format=fmt)


def load_lines(
    store: ox.Store, data: bytes, fmt: ox.RdfFormat, graph: ox.NamedNode | None = None
) -> None:
    """N-Triples (into `graph`, else the default graph) or N-Quads into a store, at Oxigraph's
    bulk speed unless a line is too long for its parser (`parse_lines`)."""
    if not has_long_line(data):
        store.load(data, format=fmt, to_graph=graph)
    elif graph is None:
        store.extend(parse_lines(data, fmt))
    else:
        store.extend(
            ox.Quad(q.subject, q.predicate, q.object, graph) for q in parse_lines(data, fmt)
        )


def has_long_line_in(path: Path, *, piece: int = 1 << 20) -> bool:
    """Whether a file has a line too long for Oxigraph's parser, read in pieces (a dataset
    file may be larger than memory allows to hold twice)."""
    run = 0  # the length so far of the line the last piece ended in
    with path.open("rb") as f:
        while data := f.read(piece):
            first = data.find(b"\n")
            if first < 0:
                run += len(data)
            elif run + first >= LONG_LINE:
                return True
            else:  # every line inside one piece is shorter than LONG_LINE
                run = len(data) - data.rindex(b"\n") - 1
            if run >= LONG_LINE:
                return True
    return False


def bulk_load(store: ox.Store, path: Path, fmt: ox.RdfFormat) -> None:
    """Load a file at Oxigraph's bulk speed. Its parser refuses a token over 16 MiB when it
    reads a file, not when it is given the bytes: a file with such a line is read whole."""
    if has_long_line_in(path):
        store.bulk_load(path.read_bytes(), format=fmt)
    else:
        store.bulk_load(path=str(path), format=fmt)


def read_quads(path: Path, fmt: ox.RdfFormat) -> Iterator[ox.Quad]:
    """A file's quads (in file order, unless a line is too long for Oxigraph's parser: then
    in the order of a store it is bulk-loaded into, the one reader without that limit)."""
    if not has_long_line_in(path):
        return ox.parse(path=str(path), format=fmt)
    store = ox.Store()
    bulk_load(store, path, fmt)
    return iter(store)


def _long_quad(line: str) -> ox.Quad:
    found = _LONG.fullmatch(line)
    if found is None:
        raise InputError("an N-Triples line over 8 MiB that is not a node and a literal")
    subject, predicate, text, language, datatype, graph = found.groups()
    value = _ESCAPE.sub(_unescape, text)
    if language:
        literal = ox.Literal(value, language=language)
    else:
        literal = ox.Literal(value, datatype=ox.NamedNode(datatype or str(XSD.string)))
    name = _node(graph) if graph else ox.DefaultGraph()
    return ox.Quad(_node(subject), ox.NamedNode(predicate), literal, name)


def _node(text: str) -> ox.NamedNode | ox.BlankNode:
    return ox.NamedNode(text[1:-1]) if text.startswith("<") else ox.BlankNode(text[2:])


def _unescape(m: re.Match[str]) -> str:
    code = m.group(1)
    return chr(int(code[1:], 16)) if code[0] in "uU" and len(code) > 1 else _ESCAPES[code]


XSD_STRING = str(XSD.string)
XSD_DECIMAL = str(XSD.decimal)
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_SPARQL_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def canonical_decimal(lexical: str) -> str:
    """xsd:decimal in canonical form (1144, 81.6): rdflib writes 1144.0, Oxigraph 1144."""
    try:
        value = Decimal(lexical)
    except InvalidOperation:
        return lexical
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def sparql_json(term: object) -> dict[str, str]:
    """A term (rdflib's or Oxigraph's) in SPARQL 1.1 Query Results JSON, as every engine's
    results give it: no xsd:string, BCP 47 tags, canonical decimals."""
    if isinstance(term, ox.NamedNode | ox.BlankNode):
        return {"type": "uri" if isinstance(term, ox.NamedNode) else "bnode", "value": term.value}
    if isinstance(term, URIRef | BNode):
        return {"type": "uri" if isinstance(term, URIRef) else "bnode", "value": str(term)}
    if isinstance(term, ox.Literal):
        return literal_json(term.value, term.language, term.datatype.value)
    if isinstance(term, Literal):
        datatype = None if term.datatype is None else str(term.datatype)
        return literal_json(str(term), term.language, datatype)
    return {"type": "literal", "value": str(term)}


def literal_json(value: str, language: str | None, datatype: str | None) -> dict[str, str]:
    """A literal in SPARQL JSON (also what a remote store's JSON is normalised to)."""
    out = {"type": "literal", "value": value}
    if language:
        out["xml:lang"] = canonical_lang(language)
    elif datatype and datatype not in (XSD_STRING, RDF_LANG_STRING):
        out["datatype"] = datatype
        if datatype == XSD_DECIMAL:
            out["value"] = canonical_decimal(value)
    return out


def sparql_term(term: Node) -> str:
    """An RDF term in SPARQL syntax, escaped: the only way a value enters a query."""
    if isinstance(term, URIRef):
        if not is_iri(str(term)):
            raise QueryError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        quoted = '"' + str(term).translate(_SPARQL_ESCAPES) + '"'
        if term.language:
            return f"{quoted}@{term.language}"
        if term.datatype:
            return f"{quoted}^^{sparql_term(term.datatype)}"
        return quoted
    raise QueryError(f"cannot bind {term!r}")
