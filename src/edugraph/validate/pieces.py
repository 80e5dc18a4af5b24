"""A long report validated in pieces of its nodes, so that the cost grows with the report's
length and no faster.

In one store, Oxigraph's queries cost more per triple as the store grows (a report of 50 MB
took 90 times the CPU of 1 MB to validate). A query that reads only forward from its focus
node (`validate.reads`) gives a node's results on any store that holds what can be reached
from the node along the predicates it reads. So the report's subjects are cut into pieces of
about `PIECE_LINES` lines, each validated in a store of its own: the run's shared graphs
(ontology, reference, shared), every line of the piece's subjects and the lines, with those
predicates, of every node reached from them; a piece keeps the results about its own
subjects only. The queries that read more (an inverse path, a rule over the whole report) run
once, on the shared graphs and the report's lines with the predicates they read. The texts
(nif:isString, each as long as its report) stay out of the pieces: the span rule gets them
once, as `Texts`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from rdflib import Graph, URIRef
from rdflib.term import Node

from edugraph.formats import NTRIPLES
from edugraph.rdf import parse_lines
from edugraph.validate.findings import Finding
from edugraph.validate.reads import Predicates, Reads, combined, followed, reads
from edugraph.validate.shacl_compiler import Check
from edugraph.validate.shacl_core import compile_shapes, core_findings, to_store
from edugraph.validate.sparql_rules import Texts, rule_targets, rules, sparql_findings
from edugraph.vocab import NIF

PIECE_LINES = 100_000  # a report with more lines than this is validated in pieces
GROWTH = 3.0  # pieces holding more than this many times the report's lines: not worth it
TEXT = f"<{NIF.isString}>"
TEXTS = frozenset({TEXT})

Source = Callable[[], Iterable[str]]  # N-Triples lines, read again at each call


@dataclass(slots=True)
class Pieces:
    """The findings of a report validated in pieces, and each rule's target nodes."""

    findings: list[Finding] = field(default_factory=list)
    targets: dict[Node, set[Node]] = field(default_factory=dict)

    def add(self, findings: Iterable[Finding], targets: dict[Node, set[Node]]) -> None:
        self.findings.extend(findings)
        for shape, nodes in targets.items():
            self.targets.setdefault(shape, set()).update(nodes)


def validate_in_pieces(context: Source, own: Source, shapes: Graph) -> Pieces | None:
    """The run's findings about the IRIs among the subjects of `own` (the report's lines), as
    Oxigraph spells their values, or None when the report is short or pieces would not pay."""
    by_subject = _by_subject(own())
    size = sum(map(len, by_subject.values()))
    if size <= PIECE_LINES:
        return None
    focus: set[Node] = {URIRef(s[1:-1]) for s in by_subject if s.startswith("<")}
    split = split_queries(shapes)
    wide: list[str] = []  # the report's lines that the other queries read
    plan = list(_plan(by_subject, split, wide))
    if sum(len(lines) for _, lines in plan) > GROWTH * size:
        return None
    shared = list(_encoded(context()))
    texts = _texts(context(), own())
    out = Pieces()
    for subjects, lines in plan:
        store = to_store([*shared, *_encoded(lines)])
        found = core_findings(store, shapes, only=split.forward.__contains__)
        found += sparql_findings(store, shapes, only=split.forward.__contains__, texts=texts)
        out.add(
            (f for f in found if f.focus in focus and f.focus.n3() in subjects),
            rule_targets(store, shapes, keep=subjects.__contains__),
        )
    del plan
    store = to_store([*shared, *_encoded(wide)])
    found = core_findings(store, shapes, only=split.wide.__contains__)
    found += sparql_findings(store, shapes, only=split.wide.__contains__)
    del store  # the targets left are the shared graphs' own: read from them alone, not the report
    out.add(
        (f for f in found if f.focus in focus),
        rule_targets(to_store(shared), shapes, keep=lambda node: node not in by_subject),
    )
    return out


@dataclass(frozen=True, slots=True)
class Split:
    """The queries that read forward from their focus node, the others, and the predicates
    (N-Triples, `<…>`) each kind reads: `near` on a piece's own subjects, `far` beyond."""

    forward: set[str]
    wide: set[str]
    near: Predicates
    far: Predicates
    wide_predicates: Predicates


def split_queries(shapes: Graph) -> Split:
    forward: set[str] = set()
    wide: set[str] = set()
    near: list[Predicates] = []
    far: list[Predicates] = []
    wide_read: list[Predicates] = []
    queries = [(c.query, _compiled(c), False) for c in compile_shapes(shapes)]
    queries += [(r.query, reads(r.query), r.span) for r in rules(shapes)]
    for query, what, span in queries:
        kept_out = frozenset({str(NIF.isString)} if span else ())  # read from `Texts`
        if what.forward:
            forward.add(query)
            near.append(None if what.predicates is None else what.predicates - kept_out)
            far.append(None if what.beyond is None else what.beyond - kept_out)
        else:
            wide.add(query)
            wide_read.append(what.predicates)
    return Split(forward, wide, _union(near), _union(far), _union(wide_read))


def _compiled(check: Check) -> Reads:
    """What a compiled check reads: its focus pattern, parsed (one for many checks), and the
    paths its compiler says the rest follows (parsing each costs more than the check)."""
    return combined(reads(f"SELECT * WHERE {{ {check.parts[0]} }}"), followed(check.steps))


def _union(sets: list[Predicates]) -> Predicates:
    if any(s is None for s in sets):
        return None
    return frozenset(f"<{p}>" for s in sets for p in s)  # type: ignore[union-attr]


def _by_subject(lines: Iterable[str]) -> dict[str, list[str]]:
    """The lines by subject, subjects in the order they first come."""
    out: dict[str, list[str]] = {}
    for line in lines:
        out.setdefault(line[: line.index(" ")], []).append(line)
    return out


def _plan(
    by_subject: dict[str, list[str]], split: Split, wide: list[str]
) -> Iterator[tuple[set[str], list[str]]]:
    """The pieces: their own subjects, and the lines their store holds; `wide` gets the
    lines the other queries read."""
    batch: dict[str, list[str]] = {}  # a subject and the nodes it links to along `near`
    size = 0
    for subject, links in _order(by_subject, split, wide):
        batch[subject] = links
        size += len(by_subject[subject])
        if size >= PIECE_LINES:
            yield _piece(batch, by_subject, split.far)
            batch, size = {}, 0
    if batch:
        yield _piece(batch, by_subject, split.far)


def _order(
    by_subject: dict[str, list[str]], split: Split, wide: list[str]
) -> Iterator[tuple[str, list[str]]]:
    """The subjects, each followed by the subjects it links to along `near`, depth first (a
    piece then holds most of what its own subjects reach), with those links."""
    done: set[str] = set()
    for root in sorted(by_subject):
        stack = [root]
        while stack:
            node = stack.pop()
            if node in done or node not in by_subject:
                continue
            done.add(node)
            links = _links(by_subject[node], split.near, also=split.wide_predicates, into=wide)
            yield node, links
            stack += reversed(links)


def _piece(
    own: dict[str, list[str]], by_subject: dict[str, list[str]], far: Predicates
) -> tuple[set[str], list[str]]:
    """A piece's lines: all of its own subjects', then, for every node reached from them
    (along `near` from its own, along `far` from there), its lines with `far`."""
    lines = [line for s in own for line in by_subject[s]]
    seen = set(own)
    frontier = [link for links in own.values() for link in links]
    while frontier:
        node = frontier.pop()
        if node in seen or node not in by_subject:
            continue
        seen.add(node)
        frontier += _links(by_subject[node], far, wanted=lines)
    return set(own), lines


def _links(
    lines: Iterable[str],
    predicates: Predicates,
    *,
    wanted: list[str] | None = None,
    also: Predicates = frozenset(),
    into: list[str] | None = None,
) -> list[str]:
    """The nodes (IRIs, blank nodes) that the lines with `predicates` link to, those lines put
    in `wanted`, and the lines with `also` in `into`."""
    links = []
    for line in lines:
        first = line.index(" ")
        start = line.index(" ", first + 1) + 1
        predicate = line[first + 1 : start - 1]
        if into is not None and (also is None or predicate in also):
            into.append(line)
        if predicates is not None and predicate not in predicates:
            continue
        if wanted is not None:
            wanted.append(line)
        if line.startswith("<", start):
            links.append(line[start : line.index(">", start) + 1])
        elif line.startswith("_:", start):
            links.append(line[start : line.index(" ", start)])
    return links


def _wanted(line: str, predicates: Predicates) -> bool:
    if predicates is None:
        return True
    first = line.index(" ")
    return line[first + 1 : line.index(" ", first + 1)] in predicates


def _texts(*sources: Iterable[str]) -> Texts:
    """The texts (nif:isString) of the lines, read once."""
    found = [line for lines in sources for line in lines if TEXT in line and _wanted(line, TEXTS)]
    texts: Texts = {}
    for quad in parse_lines("".join(found).encode("utf-8"), NTRIPLES.parser):
        texts.setdefault(quad.subject, []).append(quad.object)
    return texts


def _encoded(lines: Iterable[str], size: int = 20_000) -> Iterator[bytes]:
    """The lines as N-Triples in pieces of whole lines."""
    lines = iter(lines)
    while batch := list(islice(lines, size)):
        yield "".join(batch).encode("utf-8")
