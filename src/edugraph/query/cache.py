"""Answers remembered between requests. The dataset changes only when a new version is
published, so an answer is a function of the version and of what ran: the checked query
text, its bound terms, the format and the limits. Repeated questions (the first page of a
listing, a page's labels) then cost a lookup instead of a worker.

The cache is bounded by the bytes its answers take (least recently used out first), and a
new dataset version empties it: no answer of an old version survives a swap."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from edugraph.query.engines import binding_bytes
from edugraph.query.tasks import Answer

ENTRY_OVERHEAD = 512  # bytes an entry costs beside its answer: key, dicts, bookkeeping


@dataclass(slots=True)
class Stats:
    hits: int = 0
    misses: int = 0
    evictions: int = 0
    clears: int = 0  # times a new dataset version emptied it


def answer_bytes(answer: Answer) -> int:
    """About the memory an answer holds: its rows as `binding_bytes` counts them, or its
    serialized graph."""
    rows = answer.results.get("results", {}).get("bindings", []) if answer.results else []
    return ENTRY_OVERHEAD + len(answer.data) + sum(binding_bytes(row) for row in rows)


class ResultCache:
    """Answers by key for one dataset version at a time, within `max_bytes` (0: off)."""

    def __init__(self, *, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.stats = Stats()
        self._version = ""
        self._entries: OrderedDict[Hashable, tuple[Answer, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        """Bytes held now."""
        return self._size

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, version: str, key: Hashable) -> Answer | None:
        """The answer remembered for `key` under dataset `version`, if any."""
        with self._lock:
            self._follow(version)
            found = self._entries.get(key)
            if found is None:
                self.stats.misses += 1
                return None
            self._entries.move_to_end(key)
            self.stats.hits += 1
            return found[0]

    def put(self, version: str, key: Hashable, answer: Answer) -> None:
        """Remember an answer; an answer larger than the whole cache is not kept."""
        size = answer_bytes(answer)
        if size > self.max_bytes:
            return
        with self._lock:
            self._follow(version)
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= old[1]
            self._entries[key] = (answer, size)
            self._size += size
            while self._size > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._size -= dropped
                self.stats.evictions += 1

    def _follow(self, version: str) -> None:
        """Empty the cache when the dataset's version is not the one its answers are of."""
        if version == self._version:
            return
        if self._entries:
            self.stats.clears += 1
        self._entries.clear()
        self._size = 0
        self._version = version
