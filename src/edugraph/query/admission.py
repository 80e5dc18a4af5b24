"""Admission to the query workers: who may wait for one, for how long, and who goes first.

A request that needs a query holds a server thread while it waits, so waiting is what one
client could use to stall everyone. Here it is bounded three ways: a client (an address) has
at most `per_client` queries running or waiting, more are refused at once (429); at most
`queue` requests wait at all, more are refused at once (503); and none waits longer than
`wait` seconds (503, with Retry-After). When a worker frees up it goes to the waiting client
that has the fewest queries running, so a client that sends many heavy queries gets no more
than its share while others wait. Routes that run no query never come here.

A refusal costs the server about as much as a cheap answer, so a client that resends at once
whatever it is told would keep the server busy refusing it. A client refused at once (429, or
503 for a full queue) is therefore held for `RETRY_AFTER` seconds: the HTTP server reads none
of its requests until then (`held`), which costs nothing, and is what Retry-After told it.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from edugraph.errors import ConfigError, Overloaded, TooManyQueries

RETRY_AFTER = 1.0  # seconds; the Retry-After of a 429 or 503
MAX_HELD = 4096  # clients held at once (expired holds are dropped first)


@dataclass(frozen=True, slots=True)
class Load:
    """What /api/ping reports: queries running, and requests waiting for a worker."""

    running: int
    queued: int


@dataclass(frozen=True, slots=True)
class _Ticket:
    client: str
    order: int


class Admission:
    """`slots` queries run at once (one per worker); the others wait as described above."""

    def __init__(self, *, slots: int, per_client: int, queue: int, wait: float) -> None:
        if slots < 1 or per_client < 1 or queue < 0 or wait < 0:
            raise ConfigError("query admission needs slots ≥ 1, client_queries ≥ 1, queue ≥ 0")
        self.slots = slots
        self.per_client = per_client
        self.queue = queue
        self.wait = wait
        self._cond = threading.Condition()
        self._running: Counter[str] = Counter()
        self._waiting: list[_Ticket] = []
        self._order = itertools.count()
        self._held: dict[str, float] = {}  # client → when its requests are read again

    def held(self, client: str) -> bool:
        """Whether the server should leave this client's requests unread for now (no lock:
        a read of a dict the admission replaces whole, for the server's event loop)."""
        until = self._held.get(client)
        return until is not None and until > time.monotonic()

    def _hold(self, client: str) -> None:
        now = time.monotonic()
        held = {c: t for c, t in self._held.items() if t > now}
        if len(held) < MAX_HELD:
            held[client] = now + RETRY_AFTER
        self._held = held

    def load(self) -> Load:
        with self._cond:
            return Load(sum(self._running.values()), len(self._waiting))

    @contextmanager
    def enter(self, client: str) -> Iterator[None]:
        """Hold a slot for one query of `client`, or raise at once or after the wait."""
        self._admit(client)
        try:
            yield
        finally:
            with self._cond:
                self._running[client] -= 1
                if self._running[client] <= 0:
                    del self._running[client]
                self._cond.notify_all()

    def _admit(self, client: str) -> None:
        with self._cond:
            mine = self._running[client] + sum(t.client == client for t in self._waiting)
            if mine >= self.per_client:
                self._hold(client)
                raise TooManyQueries(
                    f"this client already has {mine} queries running or waiting "
                    f"(client_queries = {self.per_client}); wait for one to finish"
                )
            if len(self._waiting) >= self.queue and self._free() == 0:
                self._hold(client)
                raise Overloaded("every query worker is busy and the queue is full; retry shortly")
            ticket = _Ticket(client, next(self._order))
            self._waiting.append(ticket)
            deadline = time.monotonic() + self.wait
            try:
                while not self._first(ticket):
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise Overloaded(
                            f"no query worker came free within {self.wait:g} s; retry shortly"
                        )
                    self._cond.wait(left)
            finally:
                self._waiting.remove(ticket)
            self._running[client] += 1
            self._cond.notify_all()  # the next in line may have a free slot too

    def _free(self) -> int:
        return self.slots - sum(self._running.values())

    def _first(self, ticket: _Ticket) -> bool:
        """A slot is free and this ticket is next: fewest running for its client, then oldest."""
        if self._free() <= 0:
            return False
        best = min(self._waiting, key=lambda t: (self._running[t.client], t.order))
        return best is ticket
