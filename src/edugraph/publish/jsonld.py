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
        for prefix, namespace in self.prefixes:
            rest = iri[len(namespace) :]
            if iri.startswith(namespace) and rest and not rest.startswith("//"):
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
        for t in triples:
            node = by_subject.setdefault(str(t.subject), {"@id": self.node(t.subject)})
            key, value = self.entry(t.predicate.value, t.object)
            if isinstance(value, tuple):  # a language map entry: (language, text)
                node.setdefault(key, {}).setdefault(value[0], []).append(value[1])
            else:
                node.setdefault(key, []).append(value)
        return [_tidy(node) for _, node in sorted(by_subject.items())]

    def entry(self, predicate: str, obj: object) -> tuple[str, Any]:
        if predicate == f"{RDF_NS}type" and isinstance(obj, ox.NamedNode):
            return "@type", self.iri(obj.value)
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
    ordered = sorted(values, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return ordered[0] if len(ordered) == 1 else ordered


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
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
    return (text + "\n").encode("utf-8")


def graph_item(triples: Iterable[ox.Triple], name: str) -> str:
    """One graph as its item in the whole dataset's document (`{"@graph": …, "@id": …}`,
    written as at the document's top level): what `with_context` makes its own dump of."""
    compactor = _Compactor(_context_file()["@context"])
    item = {"@graph": compactor.nodes(triples), "@id": compactor.iri(name)}
    return json.dumps(item, ensure_ascii=False, indent=2, sort_keys=True)


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
