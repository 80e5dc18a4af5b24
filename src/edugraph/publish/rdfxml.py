"""RDF/XML dumps, written by Oxigraph's serializer (one rdf:Description per run of
statements with the same subject, so sorted statements give one per subject) and checked
here first: Oxigraph writes what XML cannot carry (control characters, a property with no
local name) into a broken file, so such a dump is refused with an error naming the property.
Its output is then mended as it streams: language tags in BCP 47 case, and a carriage return
as `&#13;` (an XML parser would read a raw one as a line feed)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import IO, BinaryIO, cast

import pyoxigraph as ox

from edugraph.errors import InputError
from edugraph.rdf import canonical_lang

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NCNAME_TAIL = re.compile(r"[^\W\d][\w.-]*$")  # the local name an RDF/XML element can have
# In N-Triples as Oxigraph writes it: an escape of a character XML 1.0 cannot carry (one, if
# an even run of backslashes comes before it: `\\\\u0001` is a backslash, then text).
_NT_INVALID = re.compile(
    rb"\\(?:[bf]|u000[0-8BbCcEeFf]|u001[0-9A-Fa-f]|u[Ff]{3}[EeFf])|\xef\xbf[\xbe\xbf]"
)
_PREDICATE = re.compile(rb"^(?:<[^>]*>|_:\S+) <([^>]*)>", re.M)
_LANG = re.compile(rb' xml:lang="([^"]+)"')


def check(ntriples: bytes) -> set[str]:
    """The predicates of N-Triples written by Oxigraph, if each statement has an RDF/XML
    form; else InputError naming the first property that has none."""
    predicates = {p.decode("utf-8") for p in set(_PREDICATE.findall(ntriples))}
    for predicate in predicates:
        _xml_split(predicate)
    bad = next((m for m in _NT_INVALID.finditer(ntriples) if _escapes(ntriples, m.start())), None)
    if bad is not None:
        start = ntriples.rfind(b"\n", 0, bad.start()) + 1
        found = _PREDICATE.match(ntriples, start)
        name = found.group(1).decode("utf-8") if found else "?"
        raise InputError(f"a literal of <{name}> holds a character XML cannot carry")
    return predicates


def _escapes(data: bytes, at: int) -> bool:
    """Whether the character at `at` starts an escape: an even run of backslashes before it."""
    before = at
    while before and data[before - 1] == 0x5C:
        before -= 1
    return data[at] != 0x5C or (at - before) % 2 == 0


def write(triples: list[ox.Triple], prefixes: Mapping[str, str]) -> bytes:
    """RDF/XML of the triples, in their (sorted) order."""
    predicates = check(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
    out = io.BytesIO()
    serialize(triples, out, xml_prefixes(predicates, prefixes))
    return out.getvalue()


def serialize(
    triples: Iterable[ox.Triple] | Iterable[ox.Quad], out: BinaryIO, prefixes: Mapping[str, str]
) -> None:
    """Triples (or quads of the default graph) already `check`ed into `out`, mended as they
    stream."""
    sink = LineMending(out, mend)
    ox.serialize(
        triples, cast(IO[bytes], sink), format=ox.RdfFormat.RDF_XML, prefixes=dict(prefixes)
    )
    sink.flush()


def xml_prefixes(predicates: Iterable[str], prefixes: Mapping[str, str]) -> dict[str, str]:
    """Prefix → namespace for every predicate's namespace: the project's prefixes, then ns1,
    ns2 … in namespace order."""
    known = {namespace: prefix for prefix, namespace in prefixes.items()}
    found = {_xml_split(p)[0] for p in predicates} | {RDF_NS}
    out = {known[n]: n for n in found if n in known}
    for i, namespace in enumerate(sorted(n for n in found if n not in known), start=1):
        out[f"ns{i}"] = namespace
    return dict(sorted(out.items()))


def _xml_split(iri: str) -> tuple[str, str]:
    match = NCNAME_TAIL.search(iri)
    if match is None or match.start() == 0:
        raise InputError(f"property <{iri}> has no RDF/XML form (no namespace and local name)")
    return iri[: match.start()], match.group(0)


def mend(data: bytes) -> bytes:
    """Oxigraph's RDF/XML with BCP 47 language tags and carriage returns as references. An
    attribute is matched only in markup: text has its `"` escaped."""
    return _LANG.sub(_tag, data).replace(b"\r", b"&#13;")


@cache
def _bcp47(tag: bytes) -> bytes:
    return canonical_lang(tag.decode("ascii")).encode("ascii")


def _tag(match: re.Match[bytes]) -> bytes:
    return b' xml:lang="' + _bcp47(match[1]) + b'"'


class LineMending:
    """A byte sink that passes on whole lines through `mend` (Oxigraph's writers put a start
    tag, or a literal, on one line), so a fix-up never sees half a tag."""

    def __init__(self, out: BinaryIO, mend: Callable[[bytes], bytes]):
        self.out = out
        self.mend = mend
        self.pending = b""

    def write(self, data: bytes) -> int:
        self.pending += data
        cut = self.pending.rfind(b"\n") + 1
        if cut:
            self.out.write(self.mend(self.pending[:cut]))
            self.pending = self.pending[cut:]
        return len(data)

    def flush(self) -> None:
        self.out.write(self.mend(self.pending))
        self.pending = b""
        self.out.flush()
