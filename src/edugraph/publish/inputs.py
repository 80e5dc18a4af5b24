"""What a build's output depends on, as content hashes: a report's graph is a function of its
source text, its metadata, its curation file and what every report shares (the reference data,
the ontology, the shapes, the edugraph version, the base IRI). Equal hashes, equal graphs: an
unchanged report is taken from the cache, an unchanged input is not built at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from edugraph import __version__
from edugraph.errors import InputError

MANIFEST = "manifest.json"
ABSENT = b"\x00absent"  # a file that is not there hashes unlike any content


@dataclass(frozen=True, slots=True)
class Inputs:
    """The hashes of one build's input: of each report (by slug) and of the whole."""

    shared: str
    reports: Mapping[str, str]
    whole: str

    def as_json(self) -> dict[str, object]:
        return {"sha256": self.whole, "shared": self.shared, "reports": dict(self.reports)}


def hash_inputs(
    files: Iterable[Path], *, curation: Path, shared: Iterable[Path], salt: str = ""
) -> Inputs:
    """Hash each report (`<slug>.txt`, its `.toml`, `curation/<slug>.ttl`) with `shared`
    (files or folders every report depends on) and `salt` (options that change the output)."""
    common = hashlib.sha256(f"edugraph {__version__}\n{salt}\n".encode())
    for path in shared:
        _add_tree(common, path)
    head = common.hexdigest()
    reports: dict[str, str] = {}
    for source in files:
        digest = hashlib.sha256(head.encode())
        for path in (source, source.with_suffix(".toml"), curation / f"{source.stem}.ttl"):
            _add_file(digest, path, name=path.name)
        reports[source.stem] = digest.hexdigest()
    whole = hashlib.sha256(json.dumps([head, sorted(reports.items())]).encode()).hexdigest()
    return Inputs(head, MappingProxyType(reports), whole)


def _add_tree(digest: hashlib._Hash, path: Path) -> None:
    """A file, or every file under a folder, by its relative name and its bytes."""
    if not path.is_dir():
        _add_file(digest, path, name=path.name)
        return
    for file in sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        _add_file(digest, file, name=file.relative_to(path).as_posix())


def _add_file(digest: hashlib._Hash, path: Path, *, name: str) -> None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = ABSENT
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=str(path)) from None
    digest.update(f"{name}\n{len(data)}\n".encode())
    digest.update(data)


def published_inputs(folder: Path) -> str | None:
    """The input hash the manifest of a published version records (None: none recorded)."""
    try:
        document = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        found = document["input"]["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return found if isinstance(found, str) else None
