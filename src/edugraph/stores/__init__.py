"""Stage 6, stores: remote SPARQL 1.1 stores. Takes a dataset and a store URL; gives the
dataset pushed to the store, and the query engine interface over it."""

from __future__ import annotations

from pathlib import Path

from edugraph.query import engines
from edugraph.query.engines import Engine
from edugraph.stores.remote import RemoteEngine


def open_engine(name: str, path: Path | str, *, disk: bool = True) -> Engine:
    """The named engine on a dataset file (`disk`: from the on-disk store beside it, if
    any); a store URL (http[s]://…) opens a remote store."""
    if isinstance(path, str) and path.startswith(("http://", "https://")):
        return RemoteEngine(path)
    return engines.open_engine(name, path, disk=disk)
