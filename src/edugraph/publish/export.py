"""Dumps of the dataset, or of one of its named graphs, in every RDF syntax the service offers.

What a dump holds:
- `nq`, `trig` and `jsonld` keep graph names: a whole-dataset dump has every named graph (JSON-LD
  as one `{"@id": <graph>, "@graph": [...]}` object per graph), a one-graph dump that graph.
- `ttl`, `nt` and `rdfxml` hold triples only: a whole-dataset dump is the union of all graphs
  (a triple stated in two graphs appears once), a one-graph dump that graph's triples.
- JSON-LD is compacted with the published context (ontology/context.jsonld, served at
  CONTEXT_IRI): prefixed names, and language maps (`"label": {"en": …, "zh-Hans": …}`) for the
  bilingual text properties. The context is carried inline, so a dump loads with no fetch.

Every dump is deterministic: the same statements give the same bytes in any process. Blank
nodes are named by W3C RDF Dataset Canonicalization (RDFC-1.0, `_:c14n0` …), statements are
written in sorted order, and JSON-LD nodes, keys and values are sorted (JSON-LD arrays other
than `@list` are unordered, so sorting changes no meaning). Language tags are written in BCP 47
case (`zh-Hans`), as the sources and SPARQL results give them (RDF compares them ignoring
case). Oxigraph parses, canonicalizes and writes every format but JSON-LD, which
`publish.jsonld` compacts; `publish.rdfxml` checks and mends Oxigraph's RDF/XML. Which
formats there are, and their names, come from `edugraph.formats`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from edugraph import formats
from edugraph.errors import InputError, NotFound
from edugraph.publish import jsonld, rdfxml
from edugraph.publish.write import write_bytes
from edugraph.rdf import bcp47_tags, from_oxigraph, read_quads, to_oxigraph
from edugraph.vocab import PREFIXES

FORMATS: tuple[str, ...] = formats.KEYS
DUMP_NAME = "edugraph"  # file name of whole-dataset dumps: edugraph.ttl, edugraph.nq …
CONTEXT_IRI = jsonld.CONTEXT_IRI
CONTEXT_FILE = jsonld.CONTEXT_FILE
context = jsonld.context
EXTRA_PREFIXES: Mapping[str, str] = MappingProxyType(
    {
        "qudt": "http://qudt.org/schema/qudt/",
        "sd": "http://www.w3.org/ns/sparql-service-description#",
        "spdx": "http://spdx.org/rdf/terms#",
    }
)


@dataclass(frozen=True, slots=True)
class Download:
    """What a download file name asks for: a format and a graph (None: the whole dataset)."""

    fmt: str
    graph: str | None


def check_format(fmt: str) -> str:
    return formats.get(fmt).key


def format_of(path: str | Path) -> str:
    """The format a file name's extension stands for (edugraph.rdf → rdfxml)."""
    return formats.of_path(path).key


def prefixes() -> dict[str, str]:
    """Every prefix a dump may use: the project's, and a few that descriptions use."""
    out = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    out.update(EXTRA_PREFIXES)
    return out


# --- reading the dataset and naming its graphs ----------------------------------------------


def _read_quads(path: Path) -> list[ox.Quad]:
    """Parse a published dataset (TriG or N-Quads); anything unreadable is one InputError."""
    syntax = formats.dataset_format(path)
    if syntax is None:
        raise InputError("the dataset must be TriG (.trig) or N-Quads (.nq)", source=str(path))
    if not path.is_file():
        raise InputError("no built dataset here; run `edugraph build` first", source=str(path))
    try:
        return list(read_quads(path, syntax.parser))
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
    return f"{download_stem(graph)}.{formats.get(fmt).extension}"


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
    found = formats.by_extension(ext)
    stems = downloads(dataset)
    if found is None or stem not in stems:
        raise NotFound(f"no such download: {name!r}")
    return Download(found.key, stems[stem])


# --- dumps ----------------------------------------------------------------------------------


def dump(source: Path | Dataset, *, fmt: str, graph: str | None = None) -> bytes:
    """The dataset (or the named graph `graph`, by short name or IRI) in `fmt`; see the module
    docstring for what each format holds."""
    check_format(fmt)
    quads = _read_quads(source) if isinstance(source, Path) else _quads_of(source)
    if graph is not None:
        iri = _resolve({name for q in quads if (name := _graph_iri(q))}, graph)
        quads = [q for q in quads if _graph_iri(q) == iri]
    return encode(canonical(quads), fmt, one_graph=graph is not None)


@dataclass(frozen=True, slots=True)
class Made:
    """One dump as the publish stage writes it: its file name, format, graph and bytes."""

    name: str
    fmt: str
    graph: str | None
    data: bytes


def every_dump(path: Path) -> Iterator[Made]:
    """Every dump of the dataset file (each `downloads` names, in every format), the same bytes
    as `dump` gives; the file is parsed once and each graph canonicalized once."""
    quads = _read_quads(path)
    by_graph: dict[str, list[ox.Quad]] = {}
    for quad in quads:
        if name := _graph_iri(quad):
            by_graph.setdefault(name, []).append(quad)
    iris = {short_name(iri): iri for iri in sorted(by_graph)}
    stems: dict[str, str | None] = {DUMP_NAME: None}
    for short in iris:
        stems.setdefault(download_stem(short), short)
    for graph in stems.values():
        chosen = canonical(quads if graph is None else by_graph[iris[graph]])
        for fmt in formats.KEYS:
            data = encode(chosen, fmt, one_graph=graph is not None)
            yield Made(filename(fmt=fmt, graph=graph), fmt, graph, data)


def serialize(graph: Graph, *, fmt: str) -> bytes:
    """One rdflib graph in `fmt`, deterministically: for descriptions and query results. A graph
    whose identifier is an IRI keeps it as its name in the quad formats."""
    check_format(fmt)
    name = graph.identifier
    named = isinstance(name, URIRef) and name != DATASET_DEFAULT_GRAPH_ID
    target = ox.NamedNode(str(name)) if named else ox.DefaultGraph()
    quads = _convert(((s, p, o, target) for s, p, o in graph), {})
    return encode(canonical(quads), fmt, one_graph=named)


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


def encode(quads: list[ox.Quad], fmt: str, *, one_graph: bool) -> bytes:
    if fmt == formats.JSONLD.key:
        return jsonld.write(quads, one_graph=one_graph)
    if formats.get(fmt).quads:
        return _ox_serialize(quads, fmt)
    triples = sorted({q.triple for q in quads}, key=str)
    if fmt == formats.RDFXML.key:
        return rdfxml.write(triples, prefixes())
    return _ox_serialize(triples, fmt)


def _ox_serialize(statements: list[ox.Quad] | list[ox.Triple], fmt: str) -> bytes:
    syntax = formats.get(fmt)
    used = None
    if fmt in ("ttl", "trig"):
        lines = formats.NQUADS if syntax.quads else formats.NTRIPLES
        used = prefixes_in(ox.serialize(statements, format=lines.parser) or b"")
    data = ox.serialize(statements, format=syntax.parser, prefixes=used)
    assert data is not None  # no output file given: the bytes are returned
    return bcp47_tags(data)


_IRI_OR_STRING = re.compile(rb'"[^"\\\n]*(?:\\.[^"\\\n]*)*"|<([^>]*)>')


def prefixes_in(data: bytes) -> dict[str, str]:
    """The prefixes a Turtle or TriG dump of N-Triples or N-Quads `data` declares: each whose
    namespace begins one of its IRIs (every such prefix, not only the longest, so that a
    writer given more prefixes abbreviates the same IRIs the same way: a graph's block reads
    the same in its own dump and in the whole's)."""
    iris = set(_IRI_OR_STRING.findall(data))
    iris.discard(b"")
    known = [(prefix, namespace.encode()) for prefix, namespace in sorted(prefixes().items())]
    return {p: n.decode() for p, n in known if any(iri.startswith(n) for iri in iris)}


def canonical(quads: list[ox.Quad]) -> list[ox.Quad]:
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
            ox.Quad(to_oxigraph(s, blanks), to_oxigraph(p, blanks), to_oxigraph(o, blanks), g)  # type: ignore[arg-type]
            for s, p, o, g in rows
        ]
    except (ValueError, TypeError) as exc:
        raise InputError(f"not a valid RDF term: {_one_line(exc)}") from None


def _rdflib(term: object) -> Any:
    try:
        return from_oxigraph(term)
    except TypeError:
        raise InputError(f"unsupported RDF term: {term!r}") from None
