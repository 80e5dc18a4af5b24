"""The per-report build cache: each report's built lines, its records and its curation graph,
in one file named by the report's input hash (`publish.inputs`). A report whose hash is
unchanged is read back instead of ingested again; a file that cannot be read is a miss.

The files are this build folder's own (pickles, compressed): the cache is as trusted as the
build folder, like any build tool's. Entries no report of the last build used are removed.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

SUFFIX = ".report"
FORMAT = b"edugraph-report-cache 1\n"  # changes when what an entry holds changes


class ReportCache:
    """Entries keyed by a report's input hash, in `folder` (made when first written); the
    validation results are kept the same way, under their own `suffix`."""

    def __init__(self, folder: Path, *, suffix: str = SUFFIX):
        self.folder = folder
        self.suffix = suffix

    def _path(self, digest: str) -> Path:
        return self.folder / f"{digest}{self.suffix}"

    def has(self, digest: str) -> bool:
        return self._path(digest).is_file()

    def get(self, digest: str) -> Any | None:
        try:
            data = self._path(digest).read_bytes()
            if not data.startswith(FORMAT):
                return None
            return pickle.loads(zlib.decompress(data[len(FORMAT) :]))
        except (OSError, zlib.error, pickle.UnpicklingError, EOFError, AttributeError):
            return None

    def put(self, digest: str, value: object) -> None:
        """Written under a temporary name and renamed: a reader never sees half an entry. A
        cache that cannot be written only costs the next build time, so errors are ignored."""
        data = FORMAT + zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), 1)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".", suffix=self.suffix, dir=self.folder)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, self._path(digest))
        except OSError:
            return

    def keep(self, digests: Iterable[str]) -> None:
        """Remove every entry but those of `digests` (the reports of the last build)."""
        wanted = {f"{d}{self.suffix}" for d in digests}
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.name.endswith(self.suffix) and path.name not in wanted:
                path.unlink(missing_ok=True)
