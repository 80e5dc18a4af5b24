"""The on-disk Oxigraph store of a dataset version: its RocksDB folder, bulk-loaded from the
dataset file at publish time and never written again. A server opens it read-only, so its
start-up does not parse the dataset and its memory is the page cache, shared by every worker,
instead of a heap per process that grows with the corpus."""

from __future__ import annotations

import gc
import json
import shutil
from pathlib import Path

import pyoxigraph as ox

from edugraph import formats
from edugraph.rdf import bulk_load

STORE = "store"  # the folder, beside the dataset file in its version directory
MANIFEST = "manifest.json"


def write_store(dataset: Path) -> Path:
    """Bulk-load the dataset file into `<its folder>/store` and close the store."""
    folder = dataset.parent / STORE
    store = ox.Store(str(folder))
    bulk_load(store, dataset, formats.dataset_format_of(dataset).parser)
    del store  # closed when dropped: nothing may hold it open for writing once published
    gc.collect()
    return folder


def update_store(dataset: Path, old: Path, *, keep: set[str], add: dict[str, bytes]) -> Path:
    """The store beside `dataset` made from the store `old` of a previous version: a
    checkpoint of it (its files linked, the old store untouched), without the graphs not in
    `keep`, with each graph of `add` (its N-Triples lines) loaded anew. The same quads as a
    bulk load of the dataset file, for a cost that follows what changed. Blank nodes keep
    their labels as loaded, so graphs added here must have none (the caller's to check)."""
    folder = dataset.parent / STORE
    try:
        source = ox.Store.read_only(str(old))
        source.backup(str(folder))
        del source
        store = ox.Store(str(folder))
        for name in {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}:
            if name not in keep or name in add:
                store.remove_graph(ox.NamedNode(name))
        for name, text in sorted(add.items()):
            suffix = f" {ox.NamedNode(name)} .\n".encode()
            store.bulk_load(text.replace(b" .\n", suffix), format=formats.NQUADS.parser)
        store.flush()
        del store
        gc.collect()
    except OSError:  # no usable old store (pruned meanwhile): loaded whole
        shutil.rmtree(folder, ignore_errors=True)
        return write_store(dataset)
    return folder


def store_beside(dataset: Path) -> Path | None:
    """The published store of the dataset file (its link resolved), if the build wrote one."""
    folder = dataset.resolve().parent / STORE
    return folder if (folder / "CURRENT").is_file() else None


def published_version(dataset: Path) -> str | None:
    """The version the manifest beside the dataset file records (None: no manifest)."""
    try:
        document = json.loads((dataset.resolve().parent / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    version = document.get("version") if isinstance(document, dict) else None
    return version if isinstance(version, str) else None
