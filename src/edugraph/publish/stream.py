"""The dataset file and its dumps written from the built lines graph by graph, so that the
dataset is in memory once (the build's `Quads`) and each graph's statements only while that
graph is written. The bytes are those `export.dump` gives for the same dataset:

- a graph's own dumps, and the graph-aware whole-dataset dumps (nq, trig, jsonld), are
  written graph after graph in the order the whole would sort them in; blank nodes get the
  labels RDFC-1.0 gives in the whole dataset, which depend only on the statements that hold
  blank nodes (the ontology's, the shapes', curation's: few), so only those are gathered;
- the triple dumps of the whole (nt, ttl, rdfxml) are the sorted union of every graph's
  triples: each graph's sorted triples are a run on disk, merged (`publish.runs`).

A graph's own pass, in a worker, is `publish.graph_dumps`; a graph without blank nodes
gives the whole its blocks ready made, so no graph is parsed twice.
"""

from __future__ import annotations

import gc
import json
import multiprocessing as mp
import os
import shutil
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, BinaryIO, cast

import pyoxigraph as ox
from rdflib import URIRef

from edugraph import formats
from edugraph.graph.quads import Quads
from edugraph.publish import jsonld, rdfxml
from edugraph.publish.export import (
    DUMP_NAME,
    canonical,
    download_stem,
    filename,
    prefixes,
    short_name,
)
from edugraph.publish.graph_cache import Kept, keep_only, kept_pass
from edugraph.publish.graph_dumps import (
    GraphDone,
    Task,
    Written,
    dataset_block,
    oxigraph_lines,
    split_prefixes,
)
from edugraph.publish.runs import Runs
from edugraph.publish.summary import Counting, Summary
from edugraph.rdf import bcp47_tags, has_long_line_in, parse_lines

NT, NQ = formats.NTRIPLES.parser, formats.NQUADS.parser
Reuse = tuple[Path, Mapping[str, str]]  # a folder of dumps, and the digest of each graph's lines


def write_trig(quads: Quads, out: BinaryIO, *, blocks: Path | None = None) -> None:
    """The dataset as TriG, one block per named graph in IRI order, each block sorted (its
    lines as Oxigraph spells them, sorted as bytes: `graph_dumps` says why that is the
    canonical order), the build's blank-node labels kept. A graph's block the dump pass
    wrote into `blocks` (`dataset_block`) is copied, not made again."""
    used = dict(sorted(quads.prefixes.items()))
    names = quads.names()
    out.write(_trig_head(used) if names else b"")
    for n, name in enumerate(names):
        made = blocks / _block_name(n) if blocks is not None else None
        if made is not None and made.is_file():
            with made.open("rb") as block:
                shutil.copyfileobj(block, out)
            continue
        suffix = f" {ox.NamedNode(name)} .\n".encode()
        lines = b"".join(sorted(set(oxigraph_lines(quads.text([name])))))
        out.write(dataset_block(lines.replace(b" .\n", suffix), used))


def _block_name(n: int) -> str:
    return f"graph-{n:06d}.trig"


def write_dumps(
    quads: Quads,
    folder: Path,
    *,
    summary: Summary | None = None,
    workers: int | None = None,
    reuse: Reuse | None = None,
    kept: Kept | None = None,
    dataset: tuple[Path, Mapping[str, str]] | None = None,
) -> list[Written]:
    """Every dump `export.every_dump` makes, written into `folder`, and what the description
    needs gathered into `summary` on the way. Returns the files in every_dump's order, a
    graph's with the digest of its lines. Each graph's own dumps are written in a worker
    process (`workers`, default: every core), given that graph's lines only; a graph whose
    lines have the digest `reuse` gives is linked from that folder instead; with `kept`, a
    graph's whole pass is linked from the build's graph cache when it is there. With
    `dataset` (a folder, the dataset file's prefixes), each graph without blank nodes also
    leaves its block of the dataset file there, for `write_trig`."""
    whole = _Whole(folder / ".runs", Counting(summary.uri_space) if summary else None)
    per_graph: list[Written] = []
    keys: list[str] = []
    tasks = _tasks(quads, whole.folder, summary, reuse, dataset)
    try:
        for done in _mapped(partial(kept_pass, kept=kept), tasks, workers):
            keys += [done.key] if done.key is not None else []
            per_graph += done.written
            whole.add(done)
            if summary is not None and done.stats is not None and done.copied is not None:
                summary.graphs.append((URIRef(done.name), done.stats, done.copied))
        first = whole.write(quads, folder)
        if summary is not None and whole.counting is not None:
            summary.union = whole.counting.result()
        if kept is not None:
            keep_only(kept, keys)
    finally:
        shutil.rmtree(folder / ".runs", ignore_errors=True)
    return first + per_graph


def _tasks(
    quads: Quads,
    runs: Path,
    summary: Summary | None,
    reuse: Reuse | None,
    dataset: tuple[Path, Mapping[str, str]] | None,
) -> Iterator[Task]:
    """One task per graph, in IRI order; a graph whose file name another took has none."""
    stems = {DUMP_NAME}
    runs.mkdir(parents=True, exist_ok=True)
    space = summary.uri_space if summary is not None else None
    used = tuple(sorted(dataset[1].items())) if dataset is not None else ()
    for n, name in enumerate(sorted(quads.names())):
        short = short_name(name)
        stem = download_stem(short)
        digest = reuse[1].get(short) if reuse is not None else None
        old = (reuse[0], digest) if reuse is not None and digest is not None else None
        block = (dataset[0] / _block_name(n), used) if dataset is not None else None
        yield Task(n, name, quads.text([name]), stem not in stems, runs, space, old, block)
        stems.add(stem)


def _mapped(
    function: Callable[[Task], GraphDone], tasks: Iterator[Task], workers: int | None
) -> Iterator[GraphDone]:
    """`map` in forked workers, in order, with a few tasks in flight: the lines of only a
    few graphs are ever copied at once."""
    count = workers or os.cpu_count() or 1
    if count < 2 or "fork" not in mp.get_all_start_methods():
        yield from map(function, tasks)
        return
    gc.freeze()  # the workers' collector then never writes to (and so copies) the parent's pages
    try:
        with ProcessPoolExecutor(count, mp_context=mp.get_context("fork")) as pool:
            pending: deque[Future[GraphDone]] = deque()
            for task in tasks:
                pending.append(pool.submit(function, task))
                if len(pending) >= 2 * count:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
    finally:
        gc.unfreeze()


@dataclass
class _Whole:
    """What the whole-dataset dumps need from the first pass over the graphs."""

    folder: Path
    counting: Counting | None  # the union's statistics, when a description is wanted
    runs: Runs = field(init=False)
    blank: list[ox.Quad] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)  # of the quads (trig)
    triple_prefixes: dict[str, str] = field(default_factory=dict)  # of the triples (ttl)
    predicates: set[str] = field(default_factory=set)
    graphs: dict[str, list[ox.Quad]] = field(default_factory=dict)  # canonical blank-node quads
    blocks: dict[str, Path | None] = field(default_factory=dict)  # each graph's, if it has them

    def __post_init__(self) -> None:
        self.runs = Runs(self.folder)

    def add(self, done: GraphDone) -> None:
        self.triple_prefixes.update(done.triple_prefixes)
        self.prefixes.update(done.prefixes)
        self.predicates |= done.predicates
        self.blank += [q for q in ox.parse(done.blank, format=formats.NQUADS.parser)]
        self.runs.adopt(done.run)
        self.blocks[done.name] = done.blocks

    def write(self, quads: Quads, folder: Path) -> list[Written]:
        for quad in canonical(self.blank) if self.blank else []:
            self.graphs.setdefault(_name(quad), []).append(quad)
        self.runs.add(f"{q.triple} .\n".encode() for qs in self.graphs.values() for q in qs)
        self.blank = []
        names = sorted(quads.names(), key=lambda n: str(ox.NamedNode(n)))
        used = dict(sorted(self.prefixes.items()))
        with _open(folder, "nq") as nq, _open(folder, "trig") as trig:
            trig.write(_trig_head(used))
            for name in names:
                block = self.blocks.get(name)
                if block is not None:
                    nq.write(block.with_suffix(".nq").read_bytes())
                    trig.write(block.with_suffix(".trig").read_bytes())
                    continue
                chosen = self._graph(quads, name)
                nq.write(_ox(chosen, formats.NQUADS, None))
                trig.write(_split_prefixes(_ox(chosen, formats.TRIG, used))[1])
        self._jsonld(quads, folder)
        self._triples(folder, dict(sorted(self.triple_prefixes.items())))
        return [(filename(fmt=fmt, graph=None), fmt, None, None) for fmt in formats.KEYS]

    def _graph(self, quads: Quads, name: str) -> list[ox.Quad]:
        plain = [q for q in _statements(quads, name) if not _has_blank(q)]
        return _sorted(plain + self.graphs.get(name, []))

    def _jsonld(self, quads: Quads, folder: Path) -> None:
        """One `{"@id": graph, "@graph": [...]}` item per graph, as jsonld.write gives the
        whole, its lines indented as they would be inside the whole document."""
        slot = "\x00graphs\x00"
        document = {"@context": jsonld.context(), "@graph": [slot]}
        text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
        head, tail = text.split(json.dumps(slot))
        with _open(folder, "jsonld") as out:
            out.write(head.encode("utf-8"))
            for n, name in enumerate(sorted(quads.names())):
                block = self.blocks.get(name)
                if block is not None:
                    text = block.with_suffix(".jsonld").read_text(encoding="utf-8")
                else:
                    text = self._item(quads, name)
                out.write((",\n    " if n else "").encode("utf-8"))
                out.write(text.replace("\n", "\n    ").encode("utf-8"))
            out.write(f"{tail}\n".encode())

    def _item(self, quads: Quads, name: str) -> str:
        written = jsonld.write(self._graph(quads, name), one_graph=False)
        item = json.loads(written)["@graph"][0]
        return json.dumps(item, ensure_ascii=False, indent=2, sort_keys=True)

    def _triples(self, folder: Path, used: dict[str, str]) -> None:
        nt = folder / filename(fmt="nt", graph=None)
        blank = ox.serialize([q.triple for qs in self.graphs.values() for q in qs], format=NT)
        self.predicates |= rdfxml.check(blank or b"")
        with nt.open("wb") as out:
            for chunk in _chunks(self.runs.merged(), self.counting):
                out.write(bcp47_tags(chunk))
        with _open(folder, "ttl") as out:
            lines = rdfxml.LineMending(out, bcp47_tags)
            ox.serialize(
                _read(nt), cast(IO[bytes], lines), format=formats.TURTLE.parser, prefixes=used
            )
            lines.flush()
        with _open(folder, "rdfxml") as out:
            rdfxml.serialize(_read(nt), out, rdfxml.xml_prefixes(self.predicates, prefixes()))


def _trig_head(used: dict[str, str]) -> bytes:
    """The @prefix lines Oxigraph writes for `used` (all of them, whatever it then writes)."""
    any_quad = ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.NamedNode("urn:x:o"))
    return _split_prefixes(_ox([any_quad], formats.TRIG, used))[0]


def _chunks(
    lines: Iterator[bytes], counting: Counting | None, size: int = 1 << 20
) -> Iterator[bytes]:
    """The lines joined into pieces of about `size` bytes, each counted as a whole."""
    piece: list[bytes] = []
    length = 0
    for line in lines:
        piece.append(line)
        length += len(line)
        if length >= size:
            if counting is not None:
                counting.add_lines(piece)
            yield b"".join(piece)
            piece, length = [], 0
    if counting is not None:
        counting.add_lines(piece)
    yield b"".join(piece)


def _statements(quads: Quads, name: str) -> list[ox.Quad]:
    return _statements_of(name, quads.text([name]))


def _statements_of(name: str, data: bytes) -> list[ox.Quad]:
    graph = ox.NamedNode(name)
    return [
        ox.Quad(q.subject, q.predicate, q.object, graph)
        for q in parse_lines(data, formats.NTRIPLES.parser)
    ]


def _sorted(statements: list[ox.Quad]) -> list[ox.Quad]:
    return sorted(statements, key=lambda q: (str(q.subject), str(q)))


def _has_blank(quad: ox.Quad) -> bool:
    return isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode)


def _name(quad: ox.Quad) -> str:
    return quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""


def _ox(statements: Iterable[ox.Quad], fmt: formats.Format, used: dict[str, str] | None) -> bytes:
    return bcp47_tags(ox.serialize(statements, format=fmt.parser, prefixes=used) or b"")


_split_prefixes = split_prefixes


def _read(path: Path) -> Iterable[ox.Quad]:
    """The merged triples in file order, as quads of the default graph (a triple writer
    takes them as they come, with no Python step per statement); a file with a line over
    Oxigraph's parser limit (a report's whole text) is read whole, as terms."""
    fmt = formats.NTRIPLES.parser
    if has_long_line_in(path):
        return parse_lines(path.read_bytes(), fmt)
    return ox.parse(path=path, format=fmt)


def _open(folder: Path, fmt: str) -> BinaryIO:
    return (folder / filename(fmt=fmt, graph=None)).open("wb")


def _write(path: Path, data: bytes) -> None:
    path.unlink(missing_ok=True)  # never write through a link into an older version's file
    with path.open("wb") as f:
        f.write(data)
