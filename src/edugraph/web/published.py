"""What the service makes from the published dataset file rather than from the store: the
dumps, the VoID description and the vocabulary documentation. A download is then byte for
byte what `edugraph export` writes from the same file.

The graph changes only at build, so each artefact is made on first request and kept in
memory for the life of the process, keyed by the dataset's version. The file is checked
against the version the store loaded before anything is made from it, so a rebuild under a
running server is refused rather than served beside answers from the old graph.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from rdflib import Dataset, Graph

from edugraph.errors import NotFound, Unavailable
from edugraph.publish import docs, export, void
from edugraph.query.engines import dataset_version

T = TypeVar("T")
MAX_BASES = 8  # server roots (host names) whose descriptions are kept at once


@dataclass(frozen=True, slots=True)
class Dump:
    data: bytes
    media_type: str
    disposition: str


@dataclass(slots=True)
class Published:
    """The dataset file the store was loaded from (None when the store is remote) and the
    version the store reports; artefacts are cached per version."""

    path: Path | None
    version: str
    _cache: dict[tuple[str, ...], object] = field(default_factory=dict)
    _bases: OrderedDict[str, None] = field(default_factory=OrderedDict)
    _lock: threading.RLock = field(default_factory=threading.RLock)

    def _memo(self, key: tuple[str, ...], make: Callable[[], T]) -> T:
        """One computation per key, even when several requests ask at once (re-entrant: one
        artefact is made from another)."""
        with self._lock:
            if key not in self._cache:
                self._cache[key] = make()
            found: T = self._cache[key]  # type: ignore[assignment]
            return found

    def _admit(self, base: str) -> None:
        """Keep descriptions for the last few bases only: the base comes from the request's
        Host header, which any client may set to anything."""
        with self._lock:
            self._bases[base] = None
            self._bases.move_to_end(base)
            while len(self._bases) > MAX_BASES:
                old, _ = self._bases.popitem(last=False)
                for key in [k for k in self._cache if k[0] == "void" and k[2] == old]:
                    del self._cache[key]

    def _file(self) -> Path:
        """The dataset file, once it is known to be the one the store serves."""
        if self.path is None:
            raise Unavailable(
                "dumps and the dataset description are made from a dataset file; "
                "this server answers from a remote SPARQL store"
            )
        if not self.path.is_file() or dataset_version(self.path) != self.version:
            raise Unavailable(
                f"the dataset file {self.path.name} has changed since the server loaded it; "
                "the new build is being loaded: retry shortly"
            )
        return self.path

    def dataset(self) -> Dataset:
        return self._memo(("dataset", self.version), lambda: export.load(self._file()))

    def dump(self, name: str) -> Dump:
        """A download by file name (`edugraph.ttl`, `chongqing-2020.nq` …)."""
        wanted = export.parse_download(name, self.dataset())

        def make() -> Dump:
            data = export.dump(self._file(), fmt=wanted.fmt, graph=wanted.graph)
            disposition = export.content_disposition(fmt=wanted.fmt, graph=wanted.graph)
            return Dump(data, export.MEDIA_TYPES[wanted.fmt], disposition)

        return self._memo(("dump", self.version, name), make)

    def graph_dump(self, short_name: str, fmt: str) -> Dump:
        """One named graph (`ontology`, `shapes` …) in `fmt`, as its download."""
        return self.dump(export.filename(fmt=fmt, graph=self.graph_iri(short_name)))

    def graph_iri(self, short_name: str) -> str:
        names = export.graph_names(self.dataset())
        if short_name not in names:
            raise NotFound(f"this dataset has no {short_name} graph")
        return str(names[short_name])

    def graph(self, short_name: str) -> Graph:
        """A named graph by its short name, as an rdflib graph of its own."""
        iri = self.graph_iri(short_name)

        def make() -> Graph:
            out = Graph()
            for triple in self.dataset().graph(export.resolve_graph(self.dataset(), iri)):
                out.add(triple)
            return out

        return self._memo(("graph", self.version, short_name), make)

    def description(self, base: str) -> Graph:
        """VoID + DCAT, published at `base` (the server's own root), so its links work."""
        self._admit(base)
        key = ("void", self.version, base)
        return self._memo(key, lambda: void.describe(self.dataset(), base=base))

    def description_data(self, base: str, fmt: str) -> bytes:
        """The description in `fmt`, written as the dumps are."""
        self._admit(base)
        key = ("void", self.version, base, fmt)
        return self._memo(key, lambda: export.serialize(self.description(base), fmt=fmt))

    def ontology_html(self) -> str:
        key = ("ontology.html", self.version)
        return self._memo(key, lambda: docs.ontology_html(self.graph("ontology")))

    def shapes_html(self) -> str:
        key = ("shapes.html", self.version)
        return self._memo(key, lambda: docs.shapes_html(self.graph("shapes")))
