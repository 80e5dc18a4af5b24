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
from edugraph.publish.cache import ReportCache
from edugraph.publish.inputs import Inputs, hash_inputs
from edugraph.publish.timings import Timings, maybe
from edugraph.rdf import parse_into
from edugraph.records import Report
from edugraph.reference import Reference, load_reference
from edugraph.resources import ROOT, resource
from edugraph.validate.findings import SHARED
from edugraph.validate.shapes import Outcome, add_findings, load_shapes
from edugraph.validate.shapes import validate as run_validation
from edugraph.vocab import PREFIXES, Iris

FINDINGS = ".findings"  # a report's validation result, in the cache's validation/ folder
PACKAGE = Path(__file__).resolve().parents[1]  # the code: a change to it is a change of input
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
    inputs: Inputs | None = None  # the input's hashes, when the build had a cache
    ingested: list[str] = field(default_factory=list)  # slugs built anew (not from the cache)

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


def input_hashes(paths: Paths, *, iris: Iris) -> Inputs:
    """The hashes of every report's input and of the whole, as the manifest records them. The
    code counts as input (its version number would not change between two commits)."""
    return hash_inputs(
        source_files(paths.sources),
        curation=paths.curation,
        shared=(paths.reference, paths.ontology, paths.shapes, ONTOLOGY, PACKAGE),
        salt=iris.base,
    )


Progress = Callable[[int, int, str], None]  # done, total, what was just done


def build(
    paths: Paths | None = None,
    *,
    iris: Iris | None = None,
    validate: bool = True,
    workers: int | None = None,
    progress: Progress | None = None,
    cache: Path | None = None,
    inputs: Inputs | None = None,
    timings: Timings | None = None,
) -> BuildResult:
    """Ingest every report and build the dataset; with `validate`, also run the shapes and add
    each report's findings as a graph. Publishing (or refusing to) is the caller's decision.

    Reports are independent until they meet in the dataset, so each is ingested and turned
    into triples in a worker process (`workers`, default: every core). With a `cache` folder,
    a report whose input hash (`inputs`, computed if not given) is there is read back, not
    ingested."""
    paths = paths or Paths()
    iris = iris or Iris()
    shapes = load_shapes(paths.shapes) if validate else None
    reference = load_reference(paths.reference)
    files = source_files(paths.sources)
    quads = Quads({prefix: str(ns) for prefix, ns in PREFIXES.items()})
    quads.add_graph(iris.graph("ontology"), parsed(paths.ontology))
    reports: list[Report] = []
    if cache is not None and inputs is None:
        inputs = input_hashes(paths, iris=iris)
    job = _Job(reference, paths, iris, workers, None if cache is None else ReportCache(cache))
    ingested: list[str] = []
    with maybe(timings, "ingest and graph"):
        _collect(job.run(files, inputs), quads, reports, ingested, iris, progress, len(files))
    shared = Graph()
    reference_graph(shared, reference, reports, iris)
    quads.add_graph(iris.graph("reference"), shared)
    result = BuildResult(quads, reports, count_classes(quads), inputs=inputs, ingested=ingested)
    if shapes is not None:
        quads.add_graph(iris.graph("shapes"), shapes)
        found = None if cache is None else ReportCache(cache / "validation", suffix=FINDINGS)
        keys = None if inputs is None else {SHARED: inputs.shared, **inputs.reports}
        with maybe(timings, "validation"):
            result.outcome = run_validation(quads, shapes, iris=iris, cache=found, keys=keys)
            add_findings(quads, result.outcome, iris=iris)
    return result


def _collect(
    built: Iterator[tuple[Built, bool]],
    quads: Quads,
    reports: list[Report],
    ingested: list[str],
    iris: Iris,
    progress: Progress | None,
    total: int,
) -> None:
    """Each report's lines into the dataset, as the workers or the cache give them."""
    for n, ((report, lines, shared_lines, curated), fresh) in enumerate(built, start=1):
        reports.append(report)
        slug = report.meta.slug
        if fresh:
            ingested.append(slug)
        quads.add_lines(iris.graph(f"report/{slug}"), lines)
        quads.add_lines(iris.graph("shared"), shared_lines)
        if curated is not None:
            quads.add_graph(iris.graph(f"curation/{slug}"), curated)
        if progress:
            progress(n, total, slug)


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


@dataclass(frozen=True, slots=True)
class _Job:
    """What every report's build shares, and the cache its results are kept in."""

    reference: Reference
    paths: Paths
    iris: Iris
    workers: int | None
    cache: ReportCache | None

    def run(self, files: list[Path], inputs: Inputs | None) -> Iterator[tuple[Built, bool]]:
        """Each report's result in file order, and whether it was built anew: the reports
        the cache lacks are built in workers while the cached ones are read, one at a time."""
        cache = self.cache if inputs is not None else None
        keys = {p: inputs.reports[p.stem] for p in files} if inputs is not None else {}
        missing = [p for p in files if cache is None or not cache.has(keys[p])]
        fresh, todo = self._built(missing), set(missing)
        for path in files:
            built = None if path in todo else self._cached(path, keys[path])
            if built is not None:
                yield built, False
                continue
            built = next(fresh) if path in todo else next(self._built([path]))
            if cache is not None:
                cache.put(keys[path], built)
            yield built, True
        if cache is not None:
            cache.keep(keys.values())

    def _cached(self, path: Path, key: str) -> Built | None:
        found = self.cache.get(key) if self.cache is not None else None
        if not (isinstance(found, tuple) and len(found) == 4 and isinstance(found[0], Report)):
            return None  # not there, unreadable, or of another shape: built again
        return found if found[0].meta.slug == path.stem else None

    def _built(self, files: list[Path]) -> Iterator[Built]:
        """In file order; in worker processes when there are several reports and several
        cores. The first bad input stops the build with its error, as in one process."""
        reference, paths, iris = self.reference, self.paths, self.iris
        count = min(len(files), self.workers or os.cpu_count() or 1)
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
    for name in quads.names():
        for line in quads.lines(name):
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
