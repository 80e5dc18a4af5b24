"""One named graph's pass of the dump writing, run in a worker given that graph's lines only:
its own six dumps, and what the whole-dataset dumps and the description need of it.

A graph without blank nodes (nearly every graph) is written from its lines as Oxigraph
spells them, sorted as bytes: that is the canonical order (`export.canonical`: UTF-8 sorts as
code points do, and a term never continues with a character below the space that follows
it), so N-Triples and N-Quads are those lines, and Turtle, TriG and RDF/XML are Oxigraph's
writers fed with them; only JSON-LD's compaction is Python per statement. Its blocks in the
whole's N-Quads, TriG and JSON-LD are its own dumps' (`export.prefixes_in` makes a TriG
block independent of the prefixes other graphs add). A graph with blank nodes is written as
`export.dump` writes it, and its blocks of the whole are left to the caller, which names its
blank nodes as the whole does.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from edugraph import formats
from edugraph.publish import jsonld, rdfxml
from edugraph.publish.export import canonical, encode, filename, prefixes, prefixes_in, short_name
from edugraph.publish.runs import write_run
from edugraph.publish.summary import Stats, describe_lines
from edugraph.rdf import bcp47_tags, parse_lines

Written = tuple[str, str, str | None, str | None]  # file, format, graph (None: the whole), digest
Makers = dict[str, Callable[[], bytes]]  # format → what makes a graph's dump in it
NT, NQ, TRIG = formats.NTRIPLES.parser, formats.NQUADS.parser, formats.TRIG.parser


@dataclass(frozen=True, slots=True)
class Task:
    """One graph's pass: its lines, whether its file names are its own, where its runs and
    blocks go, the description's uri space, and the dumps it may link (with their digest)."""

    n: int
    name: str
    text: bytes
    own: bool
    runs: Path
    space: str | None
    old: tuple[Path, str] | None
    dataset: tuple[Path, tuple[tuple[str, str], ...]] | None = None  # its block, prefixes


@dataclass(slots=True)
class GraphDone:
    """One graph's pass: its dumps written; its sorted triples without blank nodes (a run),
    its statements with blank nodes (N-Quads), the prefixes of its quads and of its triples,
    its predicates; its blocks of the whole (None: it has blank nodes); its description."""

    name: str
    written: list[Written]
    run: Path
    blank: bytes
    prefixes: dict[str, str]
    triple_prefixes: dict[str, str]
    predicates: set[str]
    blocks: Path | None  # <blocks>.nq, .trig (without prefixes), .jsonld (its item)
    stats: Stats | None
    copied: Graph | None
    key: str | None = None  # its entry in the build's graph cache (`publish.graph_cache`)


def first_pass(task: Task) -> GraphDone:
    """A graph's dumps (linked from the previous version when its lines are unchanged)."""
    graph = ox.NamedNode(task.name)
    lines = sorted(set(oxigraph_lines(task.text)))
    plain = [line for line in lines if not _has_blank(line)] if b"_:" in task.text else lines
    suffix = f" {graph} .\n".encode()
    data = b"".join(lines)
    nquads = data.replace(b" .\n", suffix)  # only a line ends so: a literal escapes its breaks
    triples = _triples(data)
    whole = len(plain) == len(lines)  # no blank node: its blocks of the whole are its own
    done = GraphDone(
        task.name,
        [],
        write_run(task.runs / f"graph-{task.n:06d}", plain, unique=True),
        b"".join(line[:-3] + suffix for line in lines if _has_blank(line)),
        *_prefixes(data, task.name),
        rdfxml.check(data),
        task.runs / f"blocks-{task.n:06d}" if whole else None,
        *describe_lines(lines, triples, task.space),
    )
    del lines, plain  # a large graph's dumps are made one at a time, with no more than needed
    makers = _makers(done, triples, data, nquads)
    source = _own(task, done, makers) if task.own else None
    if whole:
        own_nq = task.runs.parent / filename(fmt="nq", graph=short_name(task.name))
        _write_blocks(done, source or (lambda fmt: makers[fmt]()), own_nq if task.own else None)
    if whole and task.dataset is not None:
        _dataset_block(done, nquads, *task.dataset)
    return done


def _dataset_block(
    done: GraphDone, nquads: bytes, path: Path, used: tuple[tuple[str, str], ...]
) -> None:
    """A graph's block of the dataset file: its block of the whole's TriG when the dataset
    declares every prefix its own dump does (a writer given more prefixes than apply writes
    the same statements: `export.prefixes_in`), else written with the dataset's prefixes."""
    assert done.blocks is not None
    own = done.blocks.with_suffix(".trig")
    if done.prefixes.items() <= dict(used).items() and _linked_file(own, path):
        return
    _write(path, dataset_block(nquads, dict(used)))


def dataset_block(nquads: bytes, used: dict[str, str]) -> bytes:
    """A graph's block of the dataset file: its sorted N-Quads as TriG with the dataset's
    prefixes, without them (`stream.write_trig` writes them once)."""
    data = bcp47_tags(ox.serialize(parse_lines(nquads, NQ), format=TRIG, prefixes=used) or b"")
    return split_prefixes(data)[1]


def _own(task: Task, done: GraphDone, makers: Makers) -> Callable[[str], bytes]:
    """The graph's own dumps, linked from the previous version or made one at a time;
    what reads them back."""
    short, digest = short_name(task.name), lines_digest(task.text)
    old, folder = task.old, task.runs.parent
    done.written = [(filename(fmt=f, graph=short), f, short, digest) for f in formats.KEYS]
    if old is None or old[1] != digest or not _linked(old[0], folder, short):
        for fmt, make in makers.items():
            _write(folder / filename(fmt=fmt, graph=short), make())
    return lambda fmt: (folder / filename(fmt=fmt, graph=short)).read_bytes()


def _prefixes(data: bytes, name: str) -> tuple[dict[str, str], dict[str, str]]:
    """The prefixes of a graph's quads and of its triples."""
    of_triples = prefixes_in(data)
    return dict(sorted((of_triples | prefixes_in(f"<{name}>".encode())).items())), of_triples


def oxigraph_lines(text: bytes) -> list[bytes]:
    """N-Triples lines as Oxigraph writes them (language tags lower-cased)."""
    data = ox.serialize(parse_lines(text, NT), format=NT) or b""
    return data.splitlines(keepends=True)


def _has_blank(line: bytes) -> bool:
    """Whether an N-Triples line (as Oxigraph writes it) has a blank subject or object."""
    return line.startswith(b"_:") or line.split(b" ", 2)[2].startswith(b"_:")


def _triples(data: bytes) -> list[ox.Triple]:
    return [quad.triple for quad in parse_lines(data, NT)]


def _makers(done: GraphDone, triples: list[ox.Triple], data: bytes, nquads: bytes) -> Makers:
    """What makes each of a graph's six dumps from its sorted lines; with blank nodes, as
    export.dump makes them (named by RDFC-1.0)."""
    if done.blocks is None:
        chosen = canonical(list(parse_lines(nquads, NQ)))
        return {fmt: partial(encode, chosen, fmt, one_graph=True) for fmt in formats.KEYS}
    return {
        "ttl": lambda: bcp47_tags(
            ox.serialize(triples, format=formats.TURTLE.parser, prefixes=done.triple_prefixes)
            or b""
        ),
        "nt": lambda: bcp47_tags(data),
        "nq": lambda: bcp47_tags(nquads),
        "trig": lambda: bcp47_tags(
            ox.serialize(parse_lines(nquads, NQ), format=TRIG, prefixes=done.prefixes) or b""
        ),
        "jsonld": lambda: jsonld.with_context(jsonld.graph_item(triples, done.name)),
        "rdfxml": partial(_rdfxml, triples, done.predicates),
    }


def _rdfxml(triples: list[ox.Triple], predicates: set[str]) -> bytes:
    out = io.BytesIO()
    rdfxml.serialize(triples, out, rdfxml.xml_prefixes(predicates, prefixes()))
    return out.getvalue()


def _write_blocks(done: GraphDone, made: Callable[[str], bytes], own_nq: Path | None) -> None:
    """The graph's blocks of the whole: its N-Quads (its own dump's file, linked, when it
    has one), its TriG without the prefixes, its JSON-LD item."""
    assert done.blocks is not None
    item = jsonld.item_of(made("jsonld"))
    assert item is not None  # made by with_context
    nq = done.blocks.with_suffix(".nq")
    if own_nq is None or not _linked_file(own_nq, nq):
        _write(nq, made("nq"))
    _write(done.blocks.with_suffix(".trig"), split_prefixes(made("trig"))[1])
    _write(done.blocks.with_suffix(".jsonld"), item.encode("utf-8"))


def _linked_file(source: Path, target: Path) -> bool:
    try:
        os.link(source, target)
    except OSError:
        return False
    return True


def split_prefixes(data: bytes) -> tuple[bytes, bytes]:
    """A TriG document's @prefix lines, and the rest."""
    end = 0
    while data.startswith(b"@prefix ", end):
        end = data.index(b"\n", end) + 1
    return data[:end], data[end:]


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


def _write(path: Path, data: bytes) -> None:
    path.unlink(missing_ok=True)  # never write through a link into an older version's file
    with path.open("wb") as f:
        f.write(data)
