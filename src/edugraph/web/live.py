"""One dataset version at a time. The service answers every route from one loaded version:
when the dataset file changes under a running server (a new build is published), the new
version is loaded beside the old one while every route that depends on the dataset refuses
with 503, and then swapped in at once. No response mixes versions: there is never a moment
when queries answer from the old graph and dumps from the new file.

The file is looked at (its size, time and inode: no read) at most once per `CHECK_EVERY`
seconds, on a request. A file that cannot be loaded keeps every route refusing, with its
error, until a loadable one replaces it. The old version's workers are stopped once queries
that may still run on them have had their time.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from edugraph.errors import EdugraphError, Unavailable
from edugraph.web.service import Service

log = logging.getLogger(__name__)
CHECK_EVERY = 0.5  # seconds


def signature(path: Path) -> tuple[int, int, int] | None:
    """What changes when a file is replaced or rewritten, without reading it."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_ino, found.st_size, found.st_mtime_ns


class Live:
    """The service of the version being served, and the watch on its file (none: remote)."""

    def __init__(
        self, service: Service, *, path: Path | None, load: Callable[[], Service], grace: float
    ) -> None:
        self._service = service
        self._path = path
        self._load = load
        self._grace = grace
        self._seen = signature(path) if path else None
        self._checked = time.monotonic()
        self._lock = threading.Lock()
        self._loading: threading.Thread | None = None
        self._problem: str | None = None

    def current(self) -> Service:
        """The service to answer from; Unavailable while a new version is being loaded."""
        self._watch()
        if self._problem is not None:
            raise Unavailable(self._problem)
        return self._service

    @property
    def latest(self) -> Service:
        """The last service loaded, even while its file is being replaced (health, shutdown)."""
        return self._service

    @property
    def reloading(self) -> bool:
        return self._problem is not None

    def _watch(self) -> None:
        if self._path is None or time.monotonic() - self._checked < CHECK_EVERY:
            return
        with self._lock:
            self._checked = time.monotonic()
            now = signature(self._path)
            if now == self._seen or self._loading is not None:
                return
            self._seen = now
            self._problem = "a new version of the dataset is being loaded; retry shortly"
            self._loading = threading.Thread(target=self._reload, name="edugraph-reload")
            self._loading.start()

    def _reload(self) -> None:
        """Load the file as it is now, then swap; again if it changed meanwhile."""
        assert self._path is not None
        while True:
            before = signature(self._path)
            try:
                fresh: Service | None = self._load()
                problem = None
            except EdugraphError as error:
                fresh, problem = None, f"the dataset file cannot be served: {error}"
            except Exception as error:  # a half-written file can fail in any parser
                log.exception("loading the new dataset failed")
                fresh, problem = None, f"the dataset file cannot be served: {error}"
            with self._lock:
                if signature(self._path) != before:  # replaced while loading: load it again
                    if fresh is not None:
                        fresh.pool.close()
                    self._seen = signature(self._path)
                    continue
                if fresh is not None:
                    old, self._service = self._service, fresh
                    self._retire(old)
                    log.warning("now serving dataset version %s", fresh.engine.version)
                self._problem = problem
                self._loading = None
                return

    def _retire(self, old: Service) -> None:
        """Stop the old version's workers once its last queries have had their time."""
        timer = threading.Timer(self._grace, old.pool.close)
        timer.daemon = True
        timer.start()

    def close(self) -> None:
        with self._lock:
            loading = self._loading
        if loading is not None:
            loading.join(timeout=60)
        self._service.pool.close()
