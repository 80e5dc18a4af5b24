"""Publish a built dataset: everything the server serves, written once per dataset version
into a directory of its own, and then made current by swapping one symbolic link.

    <root>/versions/<time>-<version>/   edugraph.trig, store/ (Oxigraph, on disk),
                                        download/<dumps>, void.<ext>,
                                        ontology.html, shapes.html, manifest.json
    <root>/current -> versions/<…>      swapped atomically (a rename), last
    <root>/edugraph.trig -> current/edugraph.trig

A version directory is written under a temporary name and renamed whole, so a failed build
leaves no half-written output and the previous version current; a reader that resolved
`current` keeps one consistent version. The server only reads these files (`web.published`).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph

from edugraph import __version__, formats
from edugraph.errors import InputError
from edugraph.graph.quads import Quads
from edugraph.publish import docs, export, void
from edugraph.publish.store import STORE, write_store
from edugraph.publish.write import umask

MANIFEST = "manifest.json"
VERSIONS = "versions"
CURRENT = "current"
DOWNLOADS = "download"
KEEP = 3  # versions kept: the current one, and older ones a running server may still read
DOCS = {"ontology": "ontology.html", "shapes": "shapes.html"}


def description_file(fmt: str) -> str:
    """The file of the VoID description in `fmt` (void.ttl, void.rdf …)."""
    return f"void.{formats.get(fmt).extension}"


def dataset_version(data: bytes) -> str:
    """The version of a dataset file: what `query.engines.dataset_version` reads from it."""
    return hashlib.sha256(data).hexdigest()[:16]


def publish(
    quads: Quads,
    out: Path,
    *,
    base: str,
    sources: Path | None = None,
    summarise: Callable[[Path], object] | None = None,
) -> Path:
    """Write every served file for `quads` and make it current; `out` (a .trig or .nq path)
    stays the path of the current dataset file. Returns the new version's directory."""
    fmt = formats.dataset_format(out)
    if fmt is None:
        raise InputError("the dataset must be TriG (.trig) or N-Quads (.nq)", source=str(out))
    data = quads.nquads() if fmt is formats.NQUADS else quads.trig()
    versions = out.parent / VERSIONS
    try:
        versions.mkdir(parents=True, exist_ok=True)
        made = _write_version(
            versions, data, out.name, base=base, sources=sources, summarise=summarise
        )
        _swap(out.parent / CURRENT, Path(VERSIONS) / made.name)
        if not (out.is_symlink() and os.readlink(out) == f"{CURRENT}/{out.name}"):
            _swap(out, Path(CURRENT) / out.name)
    except OSError as exc:
        raise InputError(f"cannot publish: {exc.strerror or exc}", source=str(out)) from None
    _prune(versions, keep=made)
    return made


def _write_version(
    versions: Path,
    data: bytes,
    name: str,
    *,
    base: str,
    sources: Path | None,
    summarise: Callable[[Path], object] | None = None,
) -> Path:
    version = dataset_version(data)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=versions))
    try:
        tmp.chmod(0o777 & ~umask())
        _write(tmp / name, data)
        write_store(tmp / name)
        if summarise is not None:  # the query stage's listing summaries, beside the store
            summarise(tmp / name)
        files = write_served(tmp, name, base=base, sources=sources)
        manifest = _manifest(tmp, version=version, dataset=name, base=base, files=files)
        _write(tmp / MANIFEST, manifest)
        final = versions / f"{stamp}-{version}"
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


Entry = dict[str, Any]  # one file in the manifest


def write_served(folder: Path, name: str, *, base: str, sources: Path | None) -> list[Entry]:
    """Dumps, the description and the docs of the dataset file `folder/name`, written into
    `folder`; each file's manifest entry (its size and checksum are added after)."""
    dataset = export.load(folder / name)
    return [
        {"path": name, "kind": "dataset"},
        *_dumps(folder, name),
        *_description(folder, dataset, base=base, sources=sources),
        *_docs(folder, dataset),
    ]


def _dumps(folder: Path, name: str) -> Iterator[Entry]:
    (folder / DOWNLOADS).mkdir()
    for made in export.every_dump(folder / name):
        _write(folder / DOWNLOADS / made.name, made.data)
        media = formats.get(made.fmt).media_type
        entry = {"path": f"{DOWNLOADS}/{made.name}", "kind": "dump", "format": made.fmt}
        yield entry | {"graph": made.graph, "media_type": media}


def _description(
    folder: Path, dataset: Dataset, *, base: str, sources: Path | None
) -> Iterator[Entry]:
    description = void.describe(dataset, base=base, sources=sources)
    for fmt in formats.ALL:
        _write(folder / description_file(fmt.key), export.serialize(description, fmt=fmt.key))
        yield {"path": description_file(fmt.key), "kind": "description", "format": fmt.key}


def _docs(folder: Path, dataset: Dataset) -> Iterator[Entry]:
    graphs = export.graph_names(dataset)
    for short, page in DOCS.items():
        if short in graphs:
            graph = Graph()
            for triple in dataset.graph(graphs[short]):
                graph.add(triple)
            render = docs.ontology_html if short == "ontology" else docs.shapes_html
            _write(folder / page, render(graph).encode("utf-8"))
            yield {"path": page, "kind": "docs", "graph": short}


def _manifest(folder: Path, *, version: str, dataset: str, base: str, files: list[Entry]) -> bytes:
    for entry in files:
        data = (folder / entry["path"]).read_bytes()
        entry.update(bytes=len(data), sha256=hashlib.sha256(data).hexdigest())
    document = {
        "version": version,
        "dataset": dataset,
        "base": base,
        "built_with": __version__,
        "files": files,
        "store": STORE,  # a folder: its files change when opened, so they have no checksum
    }
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _write(path: Path, data: bytes) -> None:
    with path.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _swap(link: Path, target: Path) -> None:
    """Point `link` at `target` atomically: a new link under a temporary name, renamed."""
    tmp = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(target)
    os.replace(tmp, link)


def _prune(versions: Path, *, keep: Path) -> None:
    """Remove all but the newest KEEP versions (never `keep`); a server still reading a
    removed one finds its pointer changed and loads the current one."""
    done = sorted(p for p in versions.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in done[:-KEEP]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def rebase(data: bytes, *, built: str, served: str) -> bytes:
    """The description written at base `built`, for a server at `served`: its own IRIs (the
    description, the SPARQL endpoint, the downloads, the home page) move; the dataset's IRIs,
    which the description only names, do not. Byte replacement: no RDF is parsed or written."""
    if built == served:
        return data
    old, new = built.encode("utf-8"), served.encode("utf-8")
    for tail in (b".well-known/void", b"sparql", b"download/"):
        data = data.replace(old + tail, new + tail)
    for left, right in ((b"<", b">"), (b'"', b'"')):
        data = data.replace(left + old + right, left + new + right)
    return data
