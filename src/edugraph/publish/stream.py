"""The dataset file and its dumps written from the built lines graph by graph, so that the
dataset is in memory once (the build's `Quads`) and each graph's statements only while that
graph is written. The bytes are those `export.dump` gives for the same dataset:

- a graph's own dumps, and the graph-aware whole-dataset dumps (nq, trig, jsonld), are
  written graph after graph in the order the whole would sort them in; blank nodes get the
  labels RDFC-1.0 gives in the whole dataset, which depend only on the statements that hold
  blank nodes (the ontology's, the shapes', curation's: few), so only those are gathered;
- the triple dumps of the whole (nt, ttl, rdfxml) are the sorted union of every graph's
  triples: each graph's sorted triples are a run on disk, merged (`publish.runs`).
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing as mp
import os
import shutil
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, BinaryIO, cast

import pyoxigraph as ox
from rdflib import Graph, URIRef

from edugraph import formats
from edugraph.graph.quads import Quads
from edugraph.publish import jsonld, rdfxml
from edugraph.publish.export import (
    DUMP_NAME,
    canonical,
    download_stem,
    encode,
    filename,
    prefixes,
    short_name,
    used_prefixes,
)
from edugraph.publish.runs import Runs, write_run
from edugraph.publish.summary import Counting, Stats, Summary, describe_graph
from edugraph.rdf import bcp47_tags, has_long_line_in, parse_lines

Written = tuple[str, str, str | None, str | None]  # file, format, graph (None: the whole), digest
Reuse = tuple[Path, Mapping[str, str]]  # a folder of dumps, and the digest of each graph's lines


def write_trig(quads: Quads, out: BinaryIO) -> None:
    """The dataset as TriG, one block per named graph in IRI order, each block sorted."""
    header = False
    for name in quads.names():
        data = _ox(
            _sorted(_statements(quads, name)), formats.TRIG, dict(sorted(quads.prefixes.items()))
        )
        head, body = _split_prefixes(data)
        if not header:
            out.write(head)
            header = True
        out.write(body)


def write_dumps(
    quads: Quads,
    folder: Path,
    *,
    summary: Summary | None = None,
    workers: int | None = None,
    reuse: Reuse | None = None,
) -> list[Written]:
    """Every dump `export.every_dump` makes, written into `folder`, and what the description
    needs gathered into `summary` on the way. Returns the files in every_dump's order, a
    graph's with the digest of its lines. Each graph's own dumps are written in a worker
    process (`workers`, default: every core), given that graph's lines only; a graph whose
    lines have the digest `reuse` gives is linked from that folder instead."""
    whole = _Whole(folder / ".runs", Counting(summary.uri_space) if summary else None)
    per_graph: list[Written] = []
    try:
        for done in _mapped(_first_pass, _tasks(quads, whole.folder, summary, reuse), workers):
            per_graph += done.written
            whole.add(done)
            if summary is not None and done.stats is not None and done.copied is not None:
                summary.graphs.append((URIRef(done.name), done.stats, done.copied))
        first = whole.write(quads, folder)
        if summary is not None and whole.counting is not None:
            summary.union = whole.counting.result()
    finally:
        shutil.rmtree(folder / ".runs", ignore_errors=True)
    return first + per_graph


@dataclass(frozen=True, slots=True)
class Task:
    """One graph's first pass: its lines, whether its file names are its own, where its runs
    go, the description's uri space, and the dumps it may link (with their lines' digest)."""

    n: int
    name: str
    text: bytes
    own: bool
    runs: Path
    space: str | None
    old: tuple[Path, str] | None


def _tasks(
    quads: Quads, runs: Path, summary: Summary | None, reuse: Reuse | None
) -> Iterator[Task]:
    """One task per graph, in IRI order; a graph whose file name another took has none."""
    stems = {DUMP_NAME}
    runs.mkdir(parents=True, exist_ok=True)
    space = summary.uri_space if summary is not None else None
    for n, name in enumerate(sorted(quads.names())):
        short = short_name(name)
        stem = download_stem(short)
        digest = reuse[1].get(short) if reuse is not None else None
        old = (reuse[0], digest) if reuse is not None and digest is not None else None
        yield Task(n, name, quads.text([name]), stem not in stems, runs, space, old)
        stems.add(stem)


@dataclass(slots=True)
class _Graph:
    """One graph's first pass: its dumps written, and what the whole's dumps and the
    description need of it (its sorted triples and JSON-LD item are files in the run folder)."""

    name: str
    written: list[Written]
    run: Path
    blank: bytes  # N-Quads of its statements with blank nodes
    prefixes: dict[str, str]  # of its quads
    triple_prefixes: dict[str, str]  # of its triples
    item: Path | None  # its item in the whole JSON-LD document, if the whole names it so
    stats: Stats | None
    copied: Graph | None


def _first_pass(task: Task) -> _Graph:
    n, name, runs, space = task.n, task.name, task.runs, task.space
    statements = _statements_of(name, task.text)
    plain = [q for q in statements if not _has_blank(q)]
    blank = [q for q in statements if _has_blank(q)]
    used = used_prefixes(q.triple for q in statements)
    done = _Graph(
        name,
        [],
        write_run(runs / f"graph-{n:06d}", (f"{q.triple}\n" for q in plain)),
        "".join(f"{q} .\n" for q in blank).encode("utf-8"),
        used | used_prefixes(statements[:1]),  # every quad shares the graph's name
        used,
        None,
        *(describe_graph(statements, space) if space is not None else (None, None)),
    )
    if not task.own:
        return done
    short, digest = short_name(name), lines_digest(task.text)
    linked = (
        task.old is not None and task.old[1] == digest and _linked(task.old[0], runs.parent, short)
    )
    chosen = [] if linked else canonical(statements)
    for fmt in formats.KEYS:
        file = filename(fmt=fmt, graph=short)
        if not linked:
            _write(runs.parent / file, encode(chosen, fmt, one_graph=True))
        done.written.append((file, fmt, short, digest))
        if fmt == formats.JSONLD.key and not blank:
            done.item = _item_file(runs / f"item-{n:06d}", (runs.parent / file).read_bytes())
    return done


def lines_digest(text: bytes) -> str:
    """The digest of a graph's N-Triples lines, in whatever order they come."""
    return hashlib.sha256(b"\n".join(sorted(text.split(b"\n")))).hexdigest()


def _linked(old: Path, new: Path, short: str) -> bool:
    """A graph's dumps linked (else copied) from the previous version: the same lines and
    the same code give the same bytes. False, and nothing left, if one is missing."""
    made: list[Path] = []
    try:
        for fmt in formats.KEYS:
            file = filename(fmt=fmt, graph=short)
            try:
                os.link(old / file, new / file)
            except OSError:
                shutil.copyfile(old / file, new / file)
            made.append(new / file)
    except OSError:
        for path in made:
            path.unlink(missing_ok=True)
        return False
    return True


def _item_file(path: Path, data: bytes) -> Path:
    """A graph's item in the whole JSON-LD document: its own dump's node objects (the same,
    when no blank node is named otherwise in the whole), without the context."""
    document = json.loads(data)
    del document["@context"]
    _write(path, json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode())
    return path


def _mapped(
    function: Callable[[Task], _Graph], tasks: Iterator[Task], workers: int | None
) -> Iterator[_Graph]:
    """`map` in forked workers, in order, with a few tasks in flight: the lines of only a
    few graphs are ever copied at once."""
    count = workers or os.cpu_count() or 1
    if count < 2 or "fork" not in mp.get_all_start_methods():
        yield from map(function, tasks)
        return
    gc.freeze()  # the workers' collector then never writes to (and so copies) the parent's pages
    try:
        with ProcessPoolExecutor(count, mp_context=mp.get_context("fork")) as pool:
            pending: deque[Future[_Graph]] = deque()
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
    graphs: dict[str, list[ox.Quad]] = field(default_factory=dict)  # canonical blank-node quads
    items: dict[str, Path | None] = field(default_factory=dict)  # JSON-LD item files

    def __post_init__(self) -> None:
        self.runs = Runs(self.folder)

    def add(self, done: _Graph) -> None:
        self.triple_prefixes.update(done.triple_prefixes)
        self.prefixes.update(done.prefixes)
        self.blank += [q for q in ox.parse(done.blank, format=formats.NQUADS.parser)]
        self.runs.adopt(done.run)
        self.items[done.name] = done.item

    def write(self, quads: Quads, folder: Path) -> list[Written]:
        for quad in canonical(self.blank) if self.blank else []:
            self.graphs.setdefault(_name(quad), []).append(quad)
        self.runs.add(f"{q.triple}\n" for qs in self.graphs.values() for q in qs)
        self.blank = []
        names = sorted(quads.names(), key=lambda n: str(ox.NamedNode(n)))
        used = dict(sorted(self.prefixes.items()))
        with _open(folder, "nq") as nq, _open(folder, "trig") as trig:
            for name in names:
                chosen = self._graph(quads, name)
                nq.write(_ox(chosen, formats.NQUADS, None))
                head, body = _split_prefixes(_ox(chosen, formats.TRIG, used))
                trig.write(head if trig.tell() == 0 else b"")
                trig.write(body)
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
                text = self._stored(name) or self._item(quads, name)
                out.write((",\n    " if n else "").encode("utf-8"))
                out.write(text.replace("\n", "\n    ").encode("utf-8"))
            out.write(f"{tail}\n".encode())

    def _stored(self, name: str) -> str | None:
        path = self.items.get(name)
        return None if path is None else path.read_text(encoding="utf-8")

    def _item(self, quads: Quads, name: str) -> str:
        written = jsonld.write(self._graph(quads, name), one_graph=False)
        item = json.loads(written)["@graph"][0]
        return json.dumps(item, ensure_ascii=False, indent=2, sort_keys=True)

    def _triples(self, folder: Path, used: dict[str, str]) -> None:
        nt = folder / filename(fmt="nt", graph=None)
        predicates: set[str] = set()
        with nt.open("wb") as out:
            for line in self.runs.merged():
                out.write(bcp47_tags(f"{line[:-1]} .\n".encode()))
                predicates.add(line.split(" ", 2)[1][1:-1])
                if self.counting is not None:
                    self.counting.add_line(line)
        with _open(folder, "ttl") as out:
            lines = _Lines(out)
            ox.serialize(
                _read(nt), cast(IO[bytes], lines), format=formats.TURTLE.parser, prefixes=used
            )
            lines.flush()
        namespaces = rdfxml.xml_namespaces(predicates, prefixes())
        with _open(folder, "rdfxml") as out:
            for line in rdfxml.document(_read(nt), namespaces):
                out.write(f"{line}\n".encode())


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


def _ox(statements: list[ox.Quad], fmt: formats.Format, used: dict[str, str] | None) -> bytes:
    return bcp47_tags(ox.serialize(statements, format=fmt.parser, prefixes=used) or b"")


def _split_prefixes(data: bytes) -> tuple[bytes, bytes]:
    """A TriG document's @prefix lines, and the rest."""
    end = 0
    while data.startswith(b"@prefix ", end):
        end = data.index(b"\n", end) + 1
    return data[:end], data[end:]


def _read(path: Path) -> Iterator[ox.Triple]:
    """The merged triples in file order; a file with a line over Oxigraph's parser limit (a
    report's whole text) is read whole, as terms."""
    fmt = formats.NTRIPLES.parser
    long = has_long_line_in(path)
    quads = parse_lines(path.read_bytes(), fmt) if long else ox.parse(path=path, format=fmt)
    for quad in quads:
        yield quad.triple


def _open(folder: Path, fmt: str) -> BinaryIO:
    return (folder / filename(fmt=fmt, graph=None)).open("wb")


def _write(path: Path, data: bytes) -> None:
    path.unlink(missing_ok=True)  # never write through a link into an older version's file
    with path.open("wb") as f:
        f.write(data)


class _Lines:
    """A byte sink for Oxigraph's Turtle writer that fixes language tags line by line (a
    literal never spans lines in its output) and passes the lines on."""

    def __init__(self, out: BinaryIO):
        self.out = out
        self.pending = b""

    def write(self, data: bytes) -> int:
        self.pending += data
        cut = self.pending.rfind(b"\n") + 1
        if cut:
            self.out.write(bcp47_tags(self.pending[:cut]))
            self.pending = self.pending[cut:]
        return len(data)

    def flush(self) -> None:
        self.out.write(bcp47_tags(self.pending))
        self.pending = b""
        self.out.flush()
