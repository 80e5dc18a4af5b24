"""What the service serves from files rather than from the store: the dumps, the VoID
description and the vocabulary documentation, all written by `edugraph build` (publish.site)
into the dataset's version directory. Nothing here makes them: a request reads a file.

The version directory is the one the dataset file resolved to when the store loaded it, and
its manifest must name the version the store reports; a version directory is never rewritten,
so every file served is of the version the queries answer from.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph

from edugraph import formats
from edugraph.errors import NotFound, Unavailable
from edugraph.publish import export, site


@dataclass(frozen=True, slots=True)
class Dump:
    """A published file to stream: where it is, what it is and its checksum (the ETag)."""

    path: Path
    media_type: str
    disposition: str
    sha256: str
    size: int


@dataclass(slots=True)
class Published:
    """The published files of the dataset file `path` (None when the store is remote), of
    the version the store reports."""

    path: Path | None
    version: str
    _manifest: dict[str, Any] | None = None
    _folder: Path | None = None
    _description: Graph | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        # The version directory the dataset file points into now, as the store has just
        # loaded it: a later rebuild swaps the pointer, never this directory's files.
        if self.path is not None:
            self._folder = self.path.resolve().parent

    def manifest(self) -> dict[str, Any]:
        """The version's manifest, read once; Unavailable when it is not the store's version."""
        with self._lock:
            if self._manifest is None:
                self._folder, self._manifest = self._read()
            return self._manifest

    @property
    def folder(self) -> Path:
        self.manifest()
        assert self._folder is not None
        return self._folder

    def _read(self) -> tuple[Path, dict[str, Any]]:
        if self.path is None:
            raise Unavailable(
                "dumps and the dataset description are published beside a dataset file; "
                "this server answers from a remote SPARQL store"
            )
        folder = self._folder or self.path.resolve().parent
        try:
            manifest: dict[str, Any] = json.loads((folder / site.MANIFEST).read_text("utf-8"))
        except (OSError, ValueError):
            raise Unavailable(
                f"no published files beside {self.path.name} (run `edugraph build`)"
            ) from None
        if manifest.get("version") != self.version:
            raise Unavailable(
                f"the dataset file {self.path.name} has changed since the server loaded it; "
                "the new build is being loaded: retry shortly"
            )
        return folder, manifest

    def _entry(self, path: str) -> dict[str, Any]:
        files: list[dict[str, Any]] = self.manifest()["files"]
        found = next((f for f in files if f["path"] == path), None)
        if found is None:
            raise NotFound(f"no such file in this build: {path!r}")
        return found

    @property
    def base(self) -> str:
        """The base the description was written at (the setting at build)."""
        return str(self.manifest()["base"])

    def dump(self, name: str) -> Dump:
        """A download by file name (`edugraph.ttl`, `chongqing-2020.nq` …)."""
        try:
            entry = self._entry(f"{site.DOWNLOADS}/{name}")
        except NotFound:
            raise NotFound(f"no such download: {name!r}") from None
        disposition = export.content_disposition(fmt=entry["format"], graph=entry["graph"])
        path = self._file(entry)
        return Dump(path, entry["media_type"], disposition, entry["sha256"], entry["bytes"])

    def _file(self, entry: dict[str, Any]) -> Path:
        """A file of this version; gone only when a newer version has replaced it."""
        path = self.folder / str(entry["path"])
        if not path.is_file():
            raise Unavailable(
                "this version's published files are gone (a newer build replaced them); "
                "the new version is being loaded: retry shortly"
            )
        return path

    def graph_dump(self, short_name: str, fmt: str) -> Dump:
        """One named graph (`ontology`, `shapes` …) in `fmt`, as its download."""
        return self.dump(export.filename(fmt=fmt, graph=short_name))

    def description_data(self, root: str, fmt: str) -> bytes:
        """The description in `fmt`, with this server's URLs (`root`) for its own."""
        data = self._file(self._entry(site.description_file(fmt))).read_bytes()
        return site.rebase(data, built=self.base, served=root)

    def description(self) -> Graph:
        """The description as written at build (at `base`), read once: for the dataset's page."""
        if self._description is None:
            data = self.description_data(self.base, formats.TURTLE.key)
            self._description = Graph().parse(data=data, format=formats.TURTLE.rdflib)
        return self._description

    def page(self, short_name: str) -> str:
        """The documentation page of the ontology or the shapes."""
        return self._file(self._entry(site.DOCS[short_name])).read_text("utf-8")
