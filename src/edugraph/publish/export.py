"""Dumps of the dataset, or of one of its named graphs, in every RDF syntax the service offers.

What a dump holds:
- `nq`, `trig` and `jsonld` keep graph names: a whole-dataset dump has every named graph (JSON-LD
  as one `{"@id": <graph>, "@graph": [...]}` object per graph), a one-graph dump that graph.
- `ttl`, `nt` and `rdfxml` hold triples only: a whole-dataset dump is the union of all graphs
  (a triple stated in two graphs appears once), a one-graph dump that graph's triples.
- JSON-LD is compacted with the published context (ontology/context.jsonld, served at
  CONTEXT_IRI): prefixed names, and language maps (`"label": {"en": …, "zh-hans": …}`) for the
  bilingual text properties. The context is carried inline, so a dump loads with no fetch.

Every dump is deterministic: the same statements give the same bytes in any process. Blank
nodes are named by W3C RDF Dataset Canonicalization (RDFC-1.0, `_:c14n0` …), statements are
written in sorted order, and JSON-LD nodes, keys and values are sorted (JSON-LD arrays other
than `@list` are unordered, so sorting changes no meaning). Language tags are written in lower
case, as RDF compares them (`zh-hans`). Oxigraph parses, canonicalizes and writes the line and
Turtle formats; RDF/XML and JSON-LD are written here, because Oxigraph's RDF/XML writer passes
characters that XML cannot carry and its JSON-LD writer does not compact.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from edugraph.errors import ConfigError, InputError, NotFound
from edugraph.publish.write import write_bytes
from edugraph.rdf import from_oxigraph
from edugraph.resources import resource
from edugraph.vocab import PREFIXES

FORMATS: tuple[str, ...] = ("ttl", "nt", "nq", "trig", "jsonld", "rdfxml")
QUAD_FORMATS = frozenset({"nq", "trig", "jsonld"})
MEDIA_TYPES: Mapping[str, str] = MappingProxyType(
    {
        "ttl": "text/turtle",
        "nt": "application/n-triples",
        "nq": "application/n-quads",
        "trig": "application/trig",
        "jsonld": "application/ld+json",
        "rdfxml": "application/rdf+xml",
    }
)
EXTENSIONS: Mapping[str, str] = MappingProxyType(
    {"ttl": "ttl", "nt": "nt", "nq": "nq", "trig": "trig", "jsonld": "jsonld", "rdfxml": "rdf"}
)
FORMAT_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "ttl": "Turtle",
        "nt": "N-Triples",
        "nq": "N-Quads",
        "trig": "TriG",
        "jsonld": "JSON-LD",
        "rdfxml": "RDF/XML",
    }
)
FORMAT_IRIS: Mapping[str, URIRef] = MappingProxyType(
    {
        fmt: URIRef(f"http://www.w3.org/ns/formats/{name.replace('/', '_')}")
        for fmt, name in FORMAT_NAMES.items()
    }
)
OX_FORMATS: Mapping[str, ox.RdfFormat] = MappingProxyType(
    {
        "ttl": ox.RdfFormat.TURTLE,
        "nt": ox.RdfFormat.N_TRIPLES,
        "nq": ox.RdfFormat.N_QUADS,
        "trig": ox.RdfFormat.TRIG,
    }
)
DUMP_NAME = "edugraph"  # file name of whole-dataset dumps: edugraph.ttl, edugraph.nq …
CONTEXT_IRI = "https://w3id.org/edugraph/context.jsonld"
CONTEXT_FILE = resource("ontology", "context.jsonld")
EXTRA_PREFIXES: Mapping[str, str] = MappingProxyType(
    {
        "qudt": "http://qudt.org/schema/qudt/",
        "sd": "http://www.w3.org/ns/sparql-service-description#",
        "spdx": "http://spdx.org/rdf/terms#",
    }
)
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
# Characters XML 1.0 cannot carry, even escaped: a literal holding one has no RDF/XML form.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
NCNAME_TAIL = re.compile(r"[^\W\d][\w.-]*$")  # the local name an RDF/XML element can have
Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True, slots=True)
class Download:
    """What a download file name asks for: a format and a graph (None: the whole dataset)."""

    fmt: str
    graph: str | None


def check_format(fmt: str) -> str:
    if fmt not in MEDIA_TYPES:
        raise ConfigError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    return fmt


def format_of(path: str | Path) -> str:
    """The format a file name's extension stands for (edugraph.rdf → rdfxml)."""
    suffix = Path(path).suffix.lstrip(".")
    for fmt, ext in EXTENSIONS.items():
        if suffix == ext:
            return fmt
    known = ", ".join(f".{e}" for e in EXTENSIONS.values())
    raise ConfigError(f"unknown file extension {suffix!r} (known: {known})")


def prefixes() -> dict[str, str]:
    """Every prefix a dump may use: the project's, and a few that descriptions use."""
    out = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    out.update(EXTRA_PREFIXES)
    return out


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


# --- reading the dataset and naming its graphs ----------------------------------------------


def _read_quads(path: Path) -> list[ox.Quad]:
    """Parse a published dataset (TriG or N-Quads); anything unreadable is one InputError."""
    syntax = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}.get(path.suffix)
    if syntax is None:
        raise InputError("the dataset must be TriG (.trig) or N-Quads (.nq)", source=str(path))
    if not path.is_file():
        raise InputError("no built dataset here; run `edugraph build` first", source=str(path))
    try:
        return list(ox.parse(path=path, format=syntax))
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(f"cannot read the dataset: {_one_line(exc)}", source=str(path)) from None


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split()).rstrip(":") or type(exc).__name__
    return text if len(text) <= 200 else f"{text[:199]}…"


def load(path: Path) -> Dataset:
    """Read a published dataset (TriG or N-Quads) into rdflib."""
    dataset = Dataset()
    for quad in _read_quads(path):
        name = _graph_iri(quad)
        graph = dataset.default_graph if name is None else dataset.graph(URIRef(name))
        graph.add((_rdflib(quad.subject), _rdflib(quad.predicate), _rdflib(quad.object)))
    return dataset


def short_name(iri: str) -> str:
    """`report/chongqing-2020` for `<base>graph/report/chongqing-2020`; other IRIs as they are."""
    head, sep, tail = iri.rpartition("/graph/")
    return tail if sep and head and tail else iri


def graph_names(dataset: Dataset) -> dict[str, URIRef]:
    """Short name → IRI of every non-empty named graph, in IRI order."""
    iris = sorted(
        str(g.identifier)
        for g in dataset.graphs()
        if isinstance(g.identifier, URIRef) and g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)
    )
    return {short_name(iri): URIRef(iri) for iri in iris}


def resolve_graph(dataset: Dataset, name: str) -> URIRef:
    """A graph by its short name (`ontology`, `report/<slug>` …) or its full IRI."""
    return URIRef(_resolve(list(graph_names(dataset).values()), name))


def _resolve(iris: Iterable[str], name: str) -> str:
    names = {short_name(str(iri)): str(iri) for iri in sorted(iris)}
    if name in names:
        return names[name]
    if name in names.values():
        return name
    raise NotFound(f"unknown graph {name!r} (known: {', '.join(names)})")


# --- file names -----------------------------------------------------------------------------


def download_stem(graph: str | None) -> str:
    """The file name (without extension) of a graph's dump: a report's graph is named by its
    slug (chongqing-2020), another graph by its short name with `-` for `/` (ontology,
    curation-chongqing-2020), the whole dataset `edugraph`."""
    if graph is None:
        return DUMP_NAME
    name = short_name(graph).removeprefix("report/")
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or DUMP_NAME


def filename(*, fmt: str, graph: str | None = None) -> str:
    return f"{download_stem(graph)}.{EXTENSIONS[check_format(fmt)]}"


def content_disposition(*, fmt: str, graph: str | None = None) -> str:
    """A `Content-Disposition` value that saves the dump under its file name."""
    return f'attachment; filename="{filename(fmt=fmt, graph=graph)}"'


def downloads(dataset: Dataset) -> dict[str, str | None]:
    """File stem → graph short name (None: the whole dataset) of every dump there is."""
    stems: dict[str, str | None] = {DUMP_NAME: None}
    for name in graph_names(dataset):
        stems.setdefault(download_stem(name), name)
    return stems


def parse_download(name: str, dataset: Dataset) -> Download:
    """The inverse of `filename`: `chongqing-2020.ttl` → ttl of graph report/chongqing-2020.
    A name that is no dump of this dataset is NotFound."""
    stem, _, ext = name.rpartition(".")
    fmt = next((f for f, e in EXTENSIONS.items() if e == ext), None)
    stems = downloads(dataset)
    if fmt is None or stem not in stems:
        raise NotFound(f"no such download: {name!r}")
    return Download(fmt, stems[stem])


# --- dumps ----------------------------------------------------------------------------------


def dump(source: Path | Dataset, *, fmt: str, graph: str | None = None) -> bytes:
    """The dataset (or the named graph `graph`, by short name or IRI) in `fmt`; see the module
    docstring for what each format holds."""
    check_format(fmt)
    quads = _read_quads(source) if isinstance(source, Path) else _quads_of(source)
    if graph is not None:
        iri = _resolve({name for q in quads if (name := _graph_iri(q))}, graph)
        quads = [q for q in quads if _graph_iri(q) == iri]
    return _write(_canonical(quads), fmt, one_graph=graph is not None)


def serialize(graph: Graph, *, fmt: str) -> bytes:
    """One rdflib graph in `fmt`, deterministically: for descriptions and query results. A graph
    whose identifier is an IRI keeps it as its name in the quad formats."""
    check_format(fmt)
    name = graph.identifier
    named = isinstance(name, URIRef) and name != DATASET_DEFAULT_GRAPH_ID
    target = ox.NamedNode(str(name)) if named else ox.DefaultGraph()
    quads = _convert(((s, p, o, target) for s, p, o in graph), {})
    return _write(_canonical(quads), fmt, one_graph=named)


def write_dump(out: Path, data: bytes) -> None:
    """Write atomically; a file system error is one InputError, never a half-written file."""
    try:
        write_bytes(out, data)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", source=str(out)) from None


def _graph_iri(quad: ox.Quad) -> str | None:
    """The quad's graph name; None for the default graph (and a blank-node graph name)."""
    name = quad.graph_name
    return name.value if isinstance(name, ox.NamedNode) else None


def _write(quads: list[ox.Quad], fmt: str, *, one_graph: bool) -> bytes:
    if fmt == "jsonld":
        return _jsonld(quads, one_graph=one_graph)
    if fmt in QUAD_FORMATS:
        return _ox_serialize(quads, fmt)
    triples = sorted({q.triple for q in quads}, key=str)
    return _rdfxml(triples) if fmt == "rdfxml" else _ox_serialize(triples, fmt)


def _ox_serialize(statements: list[ox.Quad] | list[ox.Triple], fmt: str) -> bytes:
    used = _used_prefixes(statements) if fmt in ("ttl", "trig") else None
    data = ox.serialize(statements, format=OX_FORMATS[fmt], prefixes=used)
    assert data is not None  # no output file given: the bytes are returned
    return data


def _used_prefixes(statements: Iterable[ox.Quad | ox.Triple]) -> dict[str, str]:
    known = sorted(prefixes().items(), key=lambda item: -len(item[1]))
    iris = {t.value for s in statements for t in _iris(s)}
    used: dict[str, str] = {}
    for iri in iris:
        match = next(((p, n) for p, n in known if iri.startswith(n) and iri != n), None)
        if match:
            used[match[0]] = match[1]
    return dict(sorted(used.items()))


def _iris(statement: ox.Quad | ox.Triple) -> Iterable[ox.NamedNode]:
    terms: list[object] = [statement.subject, statement.predicate, statement.object]
    if isinstance(statement, ox.Quad):
        terms.append(statement.graph_name)
    for term in terms:
        if isinstance(term, ox.NamedNode):
            yield term
        elif isinstance(term, ox.Literal):
            yield term.datatype


def _canonical(quads: list[ox.Quad]) -> list[ox.Quad]:
    """Blank nodes named by RDFC-1.0, statements in N-Quads order."""
    if any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object)):
        dataset = ox.Dataset(quads)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        quads = list(dataset)
    return sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q)))


# --- between rdflib and Oxigraph ------------------------------------------------------------


def _quads_of(dataset: Dataset) -> list[ox.Quad]:
    rows = (
        (s, p, o, _graph_term(g.identifier if isinstance(g, Graph) else g))
        for s, p, o, g in dataset.quads((None, None, None, None))
    )
    return _convert(rows, {})


def _graph_term(name: Node | None) -> ox.NamedNode | ox.DefaultGraph:
    if isinstance(name, URIRef) and name != DATASET_DEFAULT_GRAPH_ID:
        return ox.NamedNode(str(name))
    return ox.DefaultGraph()


def _convert(
    rows: Iterable[tuple[Node, Node, Node, ox.NamedNode | ox.DefaultGraph]],
    blanks: dict[Node, ox.BlankNode],
) -> list[ox.Quad]:
    try:
        return [
            ox.Quad(_ox(s, blanks), _ox(p, blanks), _ox(o, blanks), g)  # type: ignore[arg-type]
            for s, p, o, g in rows
        ]
    except ValueError as exc:
        raise InputError(f"not a valid RDF term: {_one_line(exc)}") from None


def _ox(term: Node, blanks: dict[Node, ox.BlankNode]) -> Term:
    if isinstance(term, BNode):
        return blanks.setdefault(term, ox.BlankNode())
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    return ox.NamedNode(str(term))


def _rdflib(term: object) -> Any:
    try:
        return from_oxigraph(term)
    except TypeError:
        raise InputError(f"unsupported RDF term: {term!r}") from None


# --- JSON-LD --------------------------------------------------------------------------------


class _Compactor:
    """Compacts terms with the published context: prefixed names, language maps, and native
    JSON for canonical integers and booleans. Anything else keeps its explicit form, so
    expanding the output gives back exactly the statements written."""

    def __init__(self, ctx: Mapping[str, Any]):
        simple = {k: v for k, v in ctx.items() if isinstance(v, str) and v.endswith(("#", "/"))}
        self.prefixes = sorted(simple.items(), key=lambda item: -len(item[1]))
        self.language_maps = {
            self.expand(v["@id"]): k
            for k, v in ctx.items()
            if isinstance(v, dict) and v.get("@container") == "@language"
        }

    def expand(self, curie: str) -> str:
        prefix, _, rest = curie.partition(":")
        return next((n + rest for p, n in self.prefixes if p == prefix), curie)

    def iri(self, iri: str) -> str:
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
            return {"@value": term.value, "@language": term.language}
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
            return self.language_maps[predicate], (obj.language, obj.value)
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
    ordered = sorted(values, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return ordered[0] if len(ordered) == 1 else ordered


def _jsonld(quads: list[ox.Quad], *, one_graph: bool) -> bytes:
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


# --- RDF/XML --------------------------------------------------------------------------------


def _rdfxml(triples: list[ox.Triple]) -> bytes:
    """RDF/XML, one rdf:Description per subject, in the triples' (sorted) order."""
    namespaces = _xml_namespaces(t.predicate.value for t in triples)
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    lines += [f"   xmlns:{p}={quoteattr(n)}" for n, p in sorted(namespaces.items(), key=_second)]
    lines[-1] += ">"
    subject = None
    for t in triples:
        if t.subject != subject:
            if subject is not None:
                lines.append("  </rdf:Description>")
            lines.append(f"  <rdf:Description {_xml_node(t.subject, 'about')}>")
            subject = t.subject
        lines.append(f"    {_xml_property(t.predicate.value, t.object, namespaces)}")
    if subject is not None:
        lines.append("  </rdf:Description>")
    lines.append("</rdf:RDF>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _second(item: tuple[str, str]) -> str:
    return item[1]


def _xml_namespaces(predicates: Iterable[str]) -> dict[str, str]:
    """Namespace → prefix for every predicate: the project's prefixes, then ns1, ns2 … in
    namespace order."""
    known = {namespace: prefix for prefix, namespace in prefixes().items()}
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
        attributes = f" xml:lang={quoteattr(obj.language)}"
    elif obj.datatype.value != f"{XSD_NS}string":
        attributes = f" rdf:datatype={quoteattr(obj.datatype.value)}"
    return f"<{tag}{attributes}>{escape(obj.value, {chr(13): '&#13;'})}</{tag}>"
