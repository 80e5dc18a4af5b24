"""RDF/XML dumps, one rdf:Description per subject in sorted order. Written here because
Oxigraph's RDF/XML writer passes characters that XML cannot carry: a literal holding one is
refused with an error naming its property, never written as a broken file."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from edugraph.errors import InputError
from edugraph.rdf import canonical_lang

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
# Characters XML 1.0 cannot carry, even escaped: a literal holding one has no RDF/XML form.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
NCNAME_TAIL = re.compile(r"[^\W\d][\w.-]*$")  # the local name an RDF/XML element can have


def write(triples: list[ox.Triple], prefixes: Mapping[str, str]) -> bytes:
    """RDF/XML, one rdf:Description per subject, in the triples' (sorted) order."""
    namespaces = xml_namespaces((t.predicate.value for t in triples), prefixes)
    return ("\n".join(document(triples, namespaces)) + "\n").encode("utf-8")


def document(triples: Iterable[ox.Triple], namespaces: Mapping[str, str]) -> Iterator[str]:
    """The lines of the RDF/XML document, read from `triples` once: a dump can stream them."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    lines += [f"   xmlns:{p}={quoteattr(n)}" for n, p in sorted(namespaces.items(), key=_second)]
    lines[-1] += ">"
    yield from lines
    subject = None
    for t in triples:
        if t.subject != subject:
            if subject is not None:
                yield "  </rdf:Description>"
            yield f"  <rdf:Description {_xml_node(t.subject, 'about')}>"
            subject = t.subject
        yield f"    {_xml_property(t.predicate.value, t.object, namespaces)}"
    if subject is not None:
        yield "  </rdf:Description>"
    yield "</rdf:RDF>"


def _second(item: tuple[str, str]) -> str:
    return item[1]


def xml_namespaces(predicates: Iterable[str], prefixes: Mapping[str, str]) -> dict[str, str]:
    """Namespace → prefix for every predicate: the project's prefixes, then ns1, ns2 … in
    namespace order."""
    known = {namespace: prefix for prefix, namespace in prefixes.items()}
    found = {_xml_split(p)[0] for p in predicates} | {RDF_NS}
    out = {n: known[n] for n in found if n in known}
    for i, namespace in enumerate(sorted(found - set(out)), start=1):
        out[namespace] = f"ns{i}"
    return out


def _xml_split(iri: str) -> tuple[str, str]:
    match = NCNAME_TAIL.search(iri)
    if match is None or match.start() == 0:
        raise InputError(f"property <{iri}> has no RDF/XML form (no namespace and local name)")
    return iri[: match.start()], match.group(0)


def _xml_node(node: object, name: str) -> str:
    if isinstance(node, ox.BlankNode):
        return f"rdf:nodeID={quoteattr(node.value)}"
    assert isinstance(node, ox.NamedNode)
    return f"rdf:{name}={quoteattr(node.value)}"


def _xml_property(predicate: str, obj: object, namespaces: Mapping[str, str]) -> str:
    namespace, local = _xml_split(predicate)
    tag = f"{namespaces[namespace]}:{local}"
    if not isinstance(obj, ox.Literal):
        return f"<{tag} {_xml_node(obj, 'resource')}/>"
    if XML_INVALID.search(obj.value):
        raise InputError(f"a literal of <{predicate}> holds a character XML cannot carry")
    attributes = ""
    if obj.language:
        attributes = f" xml:lang={quoteattr(canonical_lang(obj.language))}"
    elif obj.datatype.value != f"{XSD_NS}string":
        attributes = f" rdf:datatype={quoteattr(obj.datatype.value)}"
    return f"<{tag}{attributes}>{escape(obj.value, {chr(13): '&#13;'})}</{tag}>"
