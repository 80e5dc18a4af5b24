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

import pyoxigraph as ox

from edugraph import __version__, formats
from edugraph.errors import InputError
from edugraph.graph.quads import Quads
from edugraph.publish import docs, export, stream, void
from edugraph.publish.graph_cache import Kept
from edugraph.publish.inputs import Inputs
from edugraph.publish.store import STORE, update_store, write_store
from edugraph.publish.summary import Summary
from edugraph.publish.timings import Timings, maybe
from edugraph.publish.write import umask

MANIFEST = "manifest.json"
VERSIONS = "versions"
CURRENT = "current"
DOWNLOADS = "download"
KEEP = 3  # versions kept: the current one, and older ones a running server may still read
DOCS = {"ontology": "ontology.html", "shapes": "shapes.html"}
STORE_ENGINE = f"pyoxigraph {ox.__version__}"
GRAPH_CACHE = Path("cache") / "graphs"  # under the output's folder, beside the report cache
BLOCKS = ".dataset-blocks"  # the dataset file's blocks, from the dump pass, while publishing


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
    inputs: Inputs | None = None,
    summarise: Callable[[Path], object] | None = None,
    timings: Timings | None = None,
) -> Path:
    """Write every served file for `quads` and make it current; `out` (a .trig or .nq path)
    stays the path of the current dataset file. Returns the new version's directory. The
    manifest records `inputs`, the hashes the next build compares its input with."""
    fmt = formats.dataset_format(out)
    if fmt is None:
        raise InputError("the dataset must be TriG (.trig) or N-Quads (.nq)", source=str(out))
    versions = out.parent / VERSIONS
    try:
        versions.mkdir(parents=True, exist_ok=True)
        made = _write_version(
            versions,
            quads,
            out.name,
            base=base,
            sources=sources,
            inputs=inputs,
            summarise=summarise,
            timings=timings,
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
    quads: Quads,
    name: str,
    *,
    base: str,
    sources: Path | None,
    inputs: Inputs | None,
    summarise: Callable[[Path], object] | None = None,
    timings: Timings | None = None,
) -> Path:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=versions))
    try:
        tmp.chmod(0o777 & ~umask())
        reuse = _reusable(versions.parent / CURRENT, inputs)
        kept = Kept(versions.parent / GRAPH_CACHE, inputs.shared) if inputs is not None else None
        blocks = tmp / BLOCKS if formats.dataset_format(tmp / name) is formats.TRIG else None
        with maybe(timings, "dumps, description, docs"):
            files = write_served(
                tmp, name, base=base, sources=sources, quads=quads, reuse=reuse, kept=kept,
                blocks=blocks,
            )  # fmt: skip
        with maybe(timings, "dataset file"):
            version = _write_dataset(quads, tmp / name, blocks=blocks)
        with maybe(timings, "store"):
            _store(tmp / name, quads, files, versions.parent / CURRENT, inputs)
        if summarise is not None:  # the query stage's listing summaries, beside the store
            with maybe(timings, "listing summaries"):
                summarise(tmp / name)
        with maybe(timings, "checksums"):
            _checksums(tmp, files, versions.parent / CURRENT)
        manifest = _manifest(tmp, version=version, dataset=name, base=base, files=files)
        manifest["input"] = inputs.as_json() if inputs is not None else None
        _write(tmp / MANIFEST, _json(manifest))
        final = versions / f"{stamp}-{version}"
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def _write_dataset(quads: Quads, path: Path, *, blocks: Path | None = None) -> str:
    """The dataset file (N-Quads sorted as a whole, TriG graph by graph, from the blocks
    the dump pass left in `blocks`, which is then removed); its version."""
    with path.open("wb") as f:
        if formats.dataset_format(path) is formats.NQUADS:
            f.write(quads.nquads())
        else:
            stream.write_trig(quads, f, blocks=blocks)
        f.flush()
        os.fsync(f.fileno())
    if blocks is not None:
        shutil.rmtree(blocks, ignore_errors=True)
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


Entry = dict[str, Any]  # one file in the manifest


def _reusable(current: Path, inputs: Inputs | None) -> stream.Reuse | None:
    """The current version's graph dumps, if what they were made with (the code, reference
    data, ontology, shapes: `Inputs.shared`) is what this build has: a graph with the same
    lines has the same dumps."""
    digests = _digests(current, inputs, store=False)
    return (current / DOWNLOADS, digests) if digests else None


def _store(
    dataset: Path, quads: Quads, files: list[Entry], current: Path, inputs: Inputs | None
) -> None:
    """The on-disk store: the current version's, checkpointed, with only the graphs whose
    lines changed loaded again, when it was made by this Oxigraph from the same shared
    input and few graphs changed (none of them with blank nodes); else bulk-loaded whole."""
    old = _digests(current, inputs, store=True)
    new = {f["graph"]: f["lines_sha256"] for f in files if f.get("lines_sha256")}
    names = {export.short_name(n): n for n in quads.names()}
    changed = {n for short, n in names.items() if old.get(short) is None or
               old.get(short) != new.get(short)}  # fmt: skip
    folder = current / STORE
    fresh = not old or not (folder / "CURRENT").is_file() or 2 * len(changed) > len(names)
    add = {n: quads.text([n]) for n in changed} if not fresh else {}
    if fresh or any(b"_:" in text for text in add.values()):
        write_store(dataset)
    else:
        update_store(dataset, folder.resolve(), keep=set(names.values()), add=add)


def _digests(current: Path, inputs: Inputs | None, *, store: bool) -> dict[str, str]:
    """Each graph's lines digest in the current version, if its shared input is this
    build's and (with `store`) its store was made by this Oxigraph; else none."""
    try:
        document = json.loads((current / MANIFEST).read_text(encoding="utf-8"))
        same = inputs is not None and document["input"]["shared"] == inputs.shared
        same = same and (not store or document.get("store_engine") == STORE_ENGINE)
        files = document["files"] if same else []
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return {
        f["graph"]: f["lines_sha256"]
        for f in files
        if isinstance(f, dict)
        and f.get("kind") == "dump"
        and f.get("graph")
        and f.get("lines_sha256")
    }


def write_served(
    folder: Path,
    name: str,
    *,
    base: str,
    sources: Path | None,
    quads: Quads | None = None,
    reuse: stream.Reuse | None = None,
    kept: Kept | None = None,
    blocks: Path | None = None,
) -> list[Entry]:
    """Dumps, the description and the docs of the dataset file `folder/name` (whose lines are
    `quads`, read from the file if not given), written into `folder`; each file's manifest
    entry (its size and checksum are added after). A graph's dumps `reuse` has are linked."""
    quads = quads if quads is not None else Quads.load(folder / name)
    summary = Summary(void.uri_space(base=base, iri_base=None, graphs=quads.names()))
    return [
        {"path": name, "kind": "dataset"},
        *_dumps(folder, quads, summary, reuse, kept, blocks),  # the summary is gathered meanwhile
        *_description(folder, summary, base=base, sources=sources),
        *_docs(folder, quads),
    ]


def _dumps(
    folder: Path,
    quads: Quads,
    summary: Summary,
    reuse: stream.Reuse | None,
    kept: Kept | None,
    blocks: Path | None,
) -> list[Entry]:
    (folder / DOWNLOADS).mkdir()
    if blocks is not None:
        blocks.mkdir()
    dataset = (blocks, dict(sorted(quads.prefixes.items()))) if blocks is not None else None
    made = stream.write_dumps(
        quads, folder / DOWNLOADS, summary=summary, reuse=reuse, kept=kept, dataset=dataset
    )
    entries: list[Entry] = []
    for file, fmt, graph, digest in made:
        media = formats.get(fmt).media_type
        entry: Entry = {"path": f"{DOWNLOADS}/{file}", "kind": "dump", "format": fmt}
        entry |= {"graph": graph, "media_type": media}
        entries.append(entry | ({"lines_sha256": digest} if digest else {}))
    return entries


def _description(
    folder: Path, summary: Summary, *, base: str, sources: Path | None
) -> Iterator[Entry]:
    description = void.from_summary(summary, base=base, sources=sources)
    for fmt in formats.ALL:
        _write(folder / description_file(fmt.key), export.serialize(description, fmt=fmt.key))
        yield {"path": description_file(fmt.key), "kind": "description", "format": fmt.key}


def _docs(folder: Path, quads: Quads) -> Iterator[Entry]:
    graphs = {export.short_name(iri): iri for iri in quads.names()}
    for short, page in DOCS.items():
        if short in graphs:
            render = docs.ontology_html if short == "ontology" else docs.shapes_html
            _write(folder / page, render(quads.graph([graphs[short]])).encode("utf-8"))
            yield {"path": page, "kind": "docs", "graph": short}


def _checksums(folder: Path, files: list[Entry], current: Path) -> None:
    """Each file's size and checksum: the current version's for a file linked from it (the
    same inode: no file of a version is ever written through), else read."""
    try:
        document = json.loads((current / MANIFEST).read_text(encoding="utf-8"))
        old = {f["path"]: f for f in document["files"] if "sha256" in f and "bytes" in f}
    except (OSError, ValueError, KeyError, TypeError):
        old = {}
    for entry in files:
        path, known = folder / entry["path"], old.get(entry["path"])
        if known is not None and _same_file(path, current / entry["path"]):
            entry.update(bytes=known["bytes"], sha256=known["sha256"])
        else:
            digest, size = hashlib.sha256(), 0
            with path.open("rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    digest.update(block)
                    size += len(block)
            entry.update(bytes=size, sha256=digest.hexdigest())


def _same_file(path: Path, other: Path) -> bool:
    try:
        return os.path.samefile(path, other)
    except OSError:
        return False


def _manifest(folder: Path, *, version: str, dataset: str, base: str, files: list[Entry]) -> Entry:
    return {
        "version": version,
        "dataset": dataset,
        "base": base,
        "built_with": __version__,
        "files": files,
        "store": STORE,  # a folder: its files change when opened, so they have no checksum
        "store_engine": STORE_ENGINE,  # another may not read it, nor update it
    }


def _json(document: Entry) -> bytes:
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
