"""Turn ingested records into an RDF dataset: one named graph per report, plus the
ontology, the reference data and each report's curation file, each in its own graph so that
extraction, reference knowledge and human judgement stay apart and can be traced.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.namespace import RDF

from edugraph.errors import InputError
from edugraph.graph.curation import check_curation, curated_pairs, load_curation
from edugraph.graph.quads import Lines, Quads
from edugraph.graph.reference import reference_graph
from edugraph.graph.report import ReportGraph
from edugraph.ingest.report import ingest
from edugraph.rdf import parse_into
from edugraph.records import Report
from edugraph.reference import Reference, load_reference
from edugraph.resources import ROOT, resource
from edugraph.validate.shapes import Outcome, add_findings, load_shapes
from edugraph.validate.shapes import validate as run_validation
from edugraph.vocab import PREFIXES, Iris

ONTOLOGY = resource("ontology")
REFERENCE = resource("reference")


@dataclass(frozen=True, slots=True)
class Paths:
    """Where a build reads from; every folder can be overridden for tests and deployments."""

    sources: Path = ROOT / "data" / "sources"
    reference: Path = REFERENCE
    curation: Path = ROOT / "data" / "curation"
    ontology: Path = ONTOLOGY / "edugraph.ttl"
    shapes: Path = ONTOLOGY / "shapes.ttl"


@dataclass(slots=True)
class BuildResult:
    quads: Quads
    reports: list[Report]
    counts: Counter[str] = field(default_factory=Counter)
    outcome: Outcome | None = None  # validation, when the build ran it

    @property
    def dataset(self) -> Dataset:
        """The dataset in rdflib (made on first use: the build itself never needs it)."""
        return self.quads.dataset


def source_files(sources: Path) -> list[Path]:
    if not sources.is_dir():
        raise InputError("sources folder does not exist", source=str(sources))
    files = sorted(sources.glob("*.txt"))
    if not files:
        raise InputError("no source reports (*.txt) in the sources folder", source=str(sources))
    return files


Progress = Callable[[int, int, str], None]  # done, total, what was just done


def build(
    paths: Paths | None = None,
    *,
    iris: Iris | None = None,
    validate: bool = True,
    workers: int | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Ingest every report and build the dataset; with `validate`, also run the shapes and add
    each report's findings as a graph. Publishing (or refusing to) is the caller's decision.

    Reports are independent until they meet in the dataset, so each is ingested and turned
    into triples in a worker process (`workers`, default: every core)."""
    paths = paths or Paths()
    iris = iris or Iris()
    shapes = load_shapes(paths.shapes) if validate else None
    reference = load_reference(paths.reference)
    files = source_files(paths.sources)
    quads = Quads({prefix: str(ns) for prefix, ns in PREFIXES.items()})
    quads.add_graph(iris.graph("ontology"), parsed(paths.ontology))
    reports: list[Report] = []
    for n, (report, lines, shared_lines, curated) in enumerate(
        _report_graphs(files, reference, paths, iris, workers), start=1
    ):
        reports.append(report)
        slug = report.meta.slug
        quads.add_lines(iris.graph(f"report/{slug}"), lines)
        quads.add_lines(iris.graph("shared"), shared_lines)
        if curated is not None:
            quads.add_graph(iris.graph(f"curation/{slug}"), curated)
        if progress:
            progress(n, len(files), slug)
    shared = Graph()
    reference_graph(shared, reference, reports, iris)
    quads.add_graph(iris.graph("reference"), shared)
    result = BuildResult(quads, reports, count_classes(quads))
    if shapes is not None:
        quads.add_graph(iris.graph("shapes"), shapes)
        result.outcome = run_validation(quads, shapes, iris=iris)
        add_findings(quads, result.outcome, iris=iris)
    return result


def parsed(path: Path) -> Graph:
    graph = Graph()
    parse_into(graph, path)
    return graph


Built = tuple[Report, list[str], list[str], Graph | None]  # report, its lines, shared, curation


def one_report(path: Path, reference: Reference, paths: Paths, iris: Iris) -> Built:
    """Ingest one report and make its triples as N-Triples lines: a worker's whole job. Its
    curation graph comes back as a graph (it is small and may have blank nodes)."""
    report = ingest(path, reference)
    curation_file = paths.curation / f"{report.meta.slug}.ttl"
    curated = load_curation(curation_file, iris)
    lines, shared = Lines(), Lines()
    ReportGraph(lines, report, reference, iris, shared=shared).build(skip=curated_pairs(curated))
    if curated is not None:
        check_curation(curated, lines.subjects(), report, iris, curation_file)
    return report, list(lines.lines), list(shared.lines), curated


def _report_graphs(
    files: list[Path], reference: Reference, paths: Paths, iris: Iris, workers: int | None
) -> Iterator[Built]:
    """In file order; in worker processes when there are several reports and several cores.
    The first bad input stops the build with its error, as in one process."""
    count = min(len(files), workers or os.cpu_count() or 1)
    if count < 2:
        for path in files:
            yield one_report(path, reference, paths, iris)
        return
    with ProcessPoolExecutor(count) as pool:
        yield from pool.map(one_report, files, repeat(reference), repeat(paths), repeat(iris))


def count_classes(quads: Quads) -> Counter[str]:
    """Instances per class (instances only: IRIs under id/), as the build summary prints."""
    names = {str(ns): prefix for prefix, ns in PREFIXES.items()}
    counts: Counter[str] = Counter()
    seen: set[tuple[str, str]] = set()
    for lines in quads.graphs.values():
        for line in lines:
            subject, predicate, rest = line.split(" ", 2)
            if predicate == RDF_TYPE and "/id/" in subject and rest.startswith("<"):
                seen.add((subject, rest[1 : rest.index(">")]))
    for _, cls in seen:
        counts[_short(cls, names)] += 1
    return counts


RDF_TYPE = f"<{RDF.type}>"


def _short(iri: str, names: dict[str, str]) -> str:
    for namespace, prefix in names.items():
        if iri.startswith(namespace) and prefix:
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri
