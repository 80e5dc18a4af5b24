"""Results that carry a literal as the data wrote it, not as Oxigraph stores it.

Oxigraph keeps one canonical spelling per value: "4.0"^^xsd:decimal reads back as "4",
"3"^^xsd:nonNegativeInteger as "3"^^xsd:integer, "colour"@EN-GB as "colour"@en-gb. A result's
sh:value must be the data's own term, so each literal value is looked up again in the
N-Triples the store was loaded from: among the terms the result's path could have reached, the
one Oxigraph spells as the result does. The source is read once, and only when some result
holds a literal that Oxigraph may have spelled otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from edugraph.formats import NTRIPLES
from edugraph.rdf import from_oxigraph, parse_lines, to_oxigraph
from edugraph.validate.findings import Finding
from edugraph.validate.paths import Path, PathNode

_TAG = re.compile(r'"@([A-Za-z0-9-]+)\s*\.\s*$')
_SCRATCH = (ox.NamedNode("urn:x-edugraph:s"), ox.NamedNode("urn:x-edugraph:p"))


def as_written(findings: list[Finding], source: Callable[[], Iterable[str]]) -> list[Finding]:
    """The findings, each literal value replaced by the term the N-Triples lines of `source`
    wrote (called only when some value may be spelled otherwise)."""
    respelled = [f for f in findings if _may_differ(f.value)]
    if not respelled:
        return findings
    subjects = {f.focus.n3() for f in respelled}
    walks = [f.path for f in respelled if isinstance(f.path, PathNode)]
    predicates = {f"<{p}>" for path in walks for p in _ends(path)}
    triples = _triples(source(), subjects, predicates)
    written = {f: triples.written(f) for f in respelled}
    return [replace(f, value=written[f]) if f in written else f for f in findings]


def _may_differ(value: Node | None) -> bool:
    """Whether Oxigraph may spell the literal otherwise (a plain string it never changes)."""
    return isinstance(value, Literal) and (
        bool(value.language) or value.datatype not in (None, XSD.string)
    )


def _ends(path: Path) -> set[URIRef]:
    """The predicates of the triples that can hold a value the path reaches."""
    if isinstance(path, URIRef):
        return {path}
    if path.kind == "sequence":
        return _ends(path.members[-1])
    return set().union(*(_ends(m) for m in path.members))


class _Triples:
    """Triples of the source, by subject and by predicate, literals as written."""

    def __init__(self) -> None:
        self.by_subject: dict[Node, list[tuple[URIRef, Node]]] = {}
        self.by_predicate: dict[URIRef, list[Node]] = {}
        self._spelled: dict[URIRef, dict[Node, Node]] = {}  # Oxigraph's spelling → the data's

    def written(self, finding: Finding) -> Node | None:
        """The data's term for the finding's value: one its path can reach that Oxigraph
        spells as the finding does (the value itself when there is none)."""
        pairs = self.by_subject.get(finding.focus, [])
        if isinstance(finding.path, URIRef) or finding.path is None:
            for predicate, value in pairs:  # a rule's value (no path): any value of the focus
                if finding.path in (None, predicate) and _canonical(value) == finding.value:
                    return value
            return finding.value
        for p in sorted(_ends(finding.path)):  # a path of several steps
            if p not in self._spelled:
                values = reversed(self.by_predicate.get(p, []))  # the first written wins
                self._spelled[p] = {_canonical(v): v for v in values}
            if finding.value in self._spelled[p]:
                return self._spelled[p][finding.value]
        return finding.value


def _triples(source: Iterable[str], subjects: set[str], predicates: set[str]) -> _Triples:
    """The triples of `source` about `subjects` or with `predicates`."""
    lines = []
    for raw in source:
        parts = raw.split(" ", 2)
        if len(parts) == 3 and (parts[0] in subjects or parts[1] in predicates):
            lines.append(raw.rstrip("\r\n"))
    quads = parse_lines("\n".join(lines).encode("utf-8"), NTRIPLES.parser)
    out = _Triples()
    for line, quad in zip(lines, quads, strict=True):
        value = from_oxigraph(quad.object)
        tag = _TAG.search(line) if isinstance(value, Literal) and value.language else None
        if tag:  # Oxigraph lowercases a language tag even when parsing
            value = Literal(str(value), lang=tag.group(1))
        subject, predicate = from_oxigraph(quad.subject), URIRef(quad.predicate.value)
        out.by_subject.setdefault(subject, []).append((predicate, value))
        out.by_predicate.setdefault(predicate, []).append(value)
    return out


def _canonical(term: Node) -> Node:
    """The term as Oxigraph stores it."""
    if not isinstance(term, Literal):
        return term
    store = ox.Store()
    store.add(ox.Quad(*_SCRATCH, to_oxigraph(term)))
    return from_oxigraph(next(iter(store)).object)
