"""The on-disk Oxigraph store of a dataset version: its RocksDB folder, bulk-loaded from the
dataset file at publish time and never written again. A server opens it read-only, so its
start-up does not parse the dataset and its memory is the page cache, shared by every worker,
instead of a heap per process that grows with the corpus."""

from __future__ import annotations

import gc
import json
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
