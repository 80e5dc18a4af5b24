"""JSON-LD dumps, compacted with the published context (ontology/context.jsonld): prefixed
names, language maps for the bilingual text properties, and sorted nodes, keys and values so
that the same statements give the same bytes. Oxigraph's JSON-LD writer does not compact."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import pyoxigraph as ox

from edugraph.errors import InputError
from edugraph.rdf import canonical_lang
from edugraph.resources import resource

CONTEXT_IRI = "https://w3id.org/edugraph/context.jsonld"
CONTEXT_FILE = resource("ontology", "context.jsonld")
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = f"{RDF_NS}type"


@cache
def _context_file() -> dict[str, Any]:
    try:
        document: dict[str, Any] = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(
            f"cannot read the JSON-LD context: {exc}", source=str(CONTEXT_FILE)
        ) from None
    return document


def context() -> dict[str, Any]:
    """The published JSON-LD context (the value of `@context`), a fresh copy per call."""
    value: dict[str, Any] = json.loads(json.dumps(_context_file()["@context"]))
    return value


def _graph_iri(quad: ox.Quad) -> str | None:
    name = quad.graph_name
    return name.value if isinstance(name, ox.NamedNode) else None


class _Compactor:
    """Compacts terms with the published context: prefixed names, language maps, and native
    JSON for canonical integers and booleans. Anything else keeps its explicit form, so
    expanding the output gives back exactly the statements written."""

    def __init__(self, ctx: Mapping[str, Any]):
        simple = {k: v for k, v in ctx.items() if isinstance(v, str) and v.endswith(("#", "/"))}
        self.prefixes = sorted(simple.items(), key=lambda item: -len(item[1]))
        self.compacted: dict[str, str] = {}  # IRIs repeat (predicates, types, subjects)
        self.by_namespace: dict[str, str] = {}  # the longest first, the first of equals
        for prefix, namespace in self.prefixes:
            self.by_namespace.setdefault(namespace, prefix)
        self.language_maps = {
            self.expand(v["@id"]): k
            for k, v in ctx.items()
            if isinstance(v, dict) and v.get("@container") == "@language"
        }

    def expand(self, curie: str) -> str:
        prefix, _, rest = curie.partition(":")
        return next((n + rest for p, n in self.prefixes if p == prefix), curie)

    def iri(self, iri: str) -> str:
        found = self.compacted.get(iri)
        if found is None:
            found = self.compacted[iri] = self._compact(iri)
        return found

    def _compact(self, iri: str) -> str:
        """With the longest namespace that begins the IRI and leaves a name not starting
        with //: every namespace ends in / or #, so only those cuts are looked up."""
        end = len(iri)
        while end > 0:
            end = max(iri.rfind("/", 0, end), iri.rfind("#", 0, end))
            if end < 0:
                break
            prefix = self.by_namespace.get(iri[: end + 1])
            rest = iri[end + 1 :]
            if prefix is not None and rest and not rest.startswith("//"):
                return f"{prefix}:{rest}"
        return iri

    def node(self, term: object) -> str:
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}"
        assert isinstance(term, ox.NamedNode)
        return self.iri(term.value)

    def value(self, term: object) -> Any:
        if not isinstance(term, ox.Literal):
            return {"@id": self.node(term)}
        if term.language:
            return {"@value": term.value, "@language": canonical_lang(term.language)}
        datatype = term.datatype.value
        if datatype == f"{XSD_NS}string":
            return term.value
        if datatype == f"{XSD_NS}integer" and re.fullmatch(r"-?(0|[1-9][0-9]*)", term.value):
            return int(term.value)
        if datatype == f"{XSD_NS}boolean" and term.value in ("true", "false"):
            return term.value == "true"
        return {"@value": term.value, "@type": self.iri(datatype)}

    def nodes(self, triples: Iterable[ox.Triple]) -> list[dict[str, Any]]:
        """Node objects, one per subject, each value sorted."""
        by_subject: dict[str, dict[str, Any]] = {}
        entry, last, node = self.entry, None, {}
        for t in triples:
            subject = t.subject
            if subject != last:  # statements come grouped by subject: one lookup per group
                key = str(subject)
                if key not in by_subject:
                    by_subject[key] = {"@id": self.node(subject)}
                node = by_subject[key]
                last = subject
            name, value = entry(t.predicate.value, t.object)
            if isinstance(value, tuple):  # a language map entry: (language, text)
                node.setdefault(name, {}).setdefault(value[0], []).append(value[1])
            else:
                node.setdefault(name, []).append(value)
        return [_tidy(node) for _, node in sorted(by_subject.items())]

    def entry(self, predicate: str, obj: object) -> tuple[str, Any]:
        if isinstance(obj, ox.NamedNode):
            iri = self.iri(obj.value)
            return ("@type", iri) if predicate == RDF_TYPE else (self.iri(predicate), {"@id": iri})
        if isinstance(obj, ox.Literal) and obj.language and predicate in self.language_maps:
            return self.language_maps[predicate], (canonical_lang(obj.language), obj.value)
        return self.iri(predicate), self.value(obj)


def _tidy(node: dict[str, Any]) -> dict[str, Any]:
    """Sort every array; an array of one value becomes the value itself."""
    out: dict[str, Any] = {}
    for key, value in sorted(node.items()):
        if isinstance(value, dict):
            out[key] = {lang: _one_or_sorted(texts) for lang, texts in sorted(value.items())}
        else:
            out[key] = _one_or_sorted(value)
    return out


def _one_or_sorted(values: Any) -> Any:
    if not isinstance(values, list):
        return values
    if len(values) == 1:  # most values: no sort key to make
        return values[0]
    ordered = sorted(values, key=_sort_key)
    return ordered[0] if len(ordered) == 1 else ordered


def _sort_key(value: Any) -> str:
    """What json.dumps(value, ensure_ascii=False, sort_keys=True) gives, quicker for the
    common values (a string, a node reference)."""
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("@id"), str):
        return '{"@id": ' + _string(value["@id"]) + "}"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


_string = json.encoder.encode_basestring  # JSON's own string encoder, non-ASCII kept


def dumps(value: Any, pad: str = "\n") -> str:
    """json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) for what compaction
    makes (objects, arrays, strings, integers, booleans): the same text, written without
    the standard encoder's generators, which cost more than compaction itself."""
    if isinstance(value, str):
        return _string(value)
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    inner = pad + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [_string(k) + ": " + dumps(v, inner) for k, v in sorted(value.items())]
        return "{" + inner + ("," + inner).join(items) + pad + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[" + inner + ("," + inner).join([dumps(v, inner) for v in value]) + pad + "]"
    return json.dumps(value, ensure_ascii=False)  # a scalar compaction does not make


def write(quads: list[ox.Quad], *, one_graph: bool) -> bytes:
    ctx = context()
    compactor = _Compactor(ctx)
    graphs: dict[str, list[ox.Triple]] = {}
    for quad in quads:
        graphs.setdefault(_graph_iri(quad) or "", []).append(quad.triple)
    document: dict[str, Any] = {"@context": ctx}
    if one_graph and len(graphs) == 1 and "" not in graphs:
        name, triples = next(iter(graphs.items()))
        document.update({"@id": compactor.iri(name), "@graph": compactor.nodes(triples)})
    else:
        items: list[Any] = compactor.nodes(graphs.get("", []))
        for name in sorted(n for n in graphs if n):
            items.append({"@id": compactor.iri(name), "@graph": compactor.nodes(graphs[name])})
        document["@graph"] = items
    return (dumps(document) + "\n").encode("utf-8")


def graph_item(triples: Iterable[ox.Triple], name: str) -> str:
    """One graph as its item in the whole dataset's document (`{"@graph": …, "@id": …}`,
    written as at the document's top level): what `with_context` makes its own dump of."""
    compactor = _Compactor(_context_file()["@context"])
    return dumps({"@graph": compactor.nodes(triples), "@id": compactor.iri(name)})


def with_context(item: str) -> bytes:
    """A graph's own dump from its `graph_item`: the bytes `write(…, one_graph=True)` gives
    (`@context` sorts first, and the item's lines keep their indentation)."""
    return f"{_context_head()}{item[2:]}\n".encode()


def item_of(dump: bytes) -> str | None:
    """The `graph_item` a graph's own dump was made from (None: not such a dump)."""
    text, head = dump.decode("utf-8"), _context_head()
    return "{\n" + text[len(head) : -1] if text.startswith(head) else None


@cache
def _context_head() -> str:
    value = json.dumps(context(), ensure_ascii=False, indent=2, sort_keys=True)
    return '{\n  "@context": ' + value.replace("\n", "\n  ") + ",\n"
