"""Queries run in worker processes, so that a timeout really stops the work.

Neither embedded engine can cancel a running query, and a thread cannot be killed, so each
query is handed to a worker process and a worker that overruns is killed and replaced.
Workers are forked, never started afresh, so they share the loaded store with the process
that loaded it (copy-on-write) and a replacement is ready in milliseconds.

Forking a process that runs threads can copy a lock some other thread held, so the server
never forks its workers itself: at start, while it is still single-threaded, it forks one
*spawner*, and the spawner (single-threaded for ever) forks every worker and hands the
server one end of a socket pair per worker. The spawner also kills and reaps workers, so a
process id is never reused while the server still refers to it.

A worker answers with plain data (`edugraph.query.tasks`: the SPARQL JSON dict or the
serialized graph bytes, cut at the row cap). Its address space is capped too (`query_memory`),
so a query that would fill the machine's memory fails alone, and it cannot open network
sockets (`edugraph.query.sandbox`).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import queue
import resource
import signal
import socket
import struct
import threading
import traceback
import weakref
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from edugraph.errors import (
    ConfigError,
    EdugraphError,
    Overloaded,
    QueryAborted,
    QueryError,
    QueryTimeout,
)
from edugraph.query.engines import Engine
from edugraph.query.sandbox import deny_network
from edugraph.query.tasks import Answer, Task, execute

log = logging.getLogger(__name__)

PID = struct.Struct("q")
STOP = -1  # the message that stops the spawner
WORKER_NICENESS = 10  # queries wait for the CPU while the server answers (ping, 429, 503)
OUT_OF_MEMORY = "the query was stopped: it needed more memory than a query may use"


_OPEN: weakref.WeakSet[QueryPool] = weakref.WeakSet()


@dataclass(slots=True)
class _Worker:
    pid: int
    conn: Connection


@dataclass(frozen=True, slots=True)
class Health:
    """The pool as /api/ping reports it."""

    size: int
    alive: int  # worker processes that exist and have not exited
    idle: int
    spawner: bool

    @property
    def ok(self) -> bool:
        """A query can run: some worker lives, or the spawner can fork one."""
        return self.alive > 0 or self.spawner


class QueryPool:
    """A fixed number of worker processes forked (through the spawner) from this process."""

    def __init__(self, engine: Engine, *, size: int, memory_mb: int = 0) -> None:
        if size < 1:
            raise ConfigError("query_workers must be at least 1")
        self.size = size
        self._engine = engine
        self._memory = memory_mb
        self._lock = threading.Lock()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: dict[int, _Worker] = {}
        self._closed = False
        self._start_spawner()
        _OPEN.add(self)
        for _ in range(size):
            self._idle.put(self._fork(0))

    def _start_spawner(self) -> None:
        """Fork the spawner. At start the server is single-threaded; a restart (the spawner
        was killed) forks the threaded server, which is safe here because the child only
        closes descriptors and forks: it takes no lock another thread could have held."""
        others = [pool for pool in list(_OPEN) if pool is not self]
        inherited = [fd for pool in others for fd in pool._fds()]
        inherited += [w.conn.fileno() for w in self._workers.values() if not w.conn.closed]
        self._control, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        inherited.append(self._control.fileno())
        context = multiprocessing.get_context("fork")
        self._spawner = context.Process(
            target=_spawner,
            args=(self._engine, child, inherited, self._memory),
            name="edugraph-spawner",
            daemon=True,
        )
        self._spawner.start()
        child.close()

    def health(self) -> Health:
        """Workers alive and idle, and whether the spawner is there to replace them; cheap
        (no worker is asked anything)."""
        with self._lock:
            pids = list(self._workers)
            spawner = not self._closed and self._spawner.is_alive()
        alive = sum(_alive(pid) for pid in pids)
        return Health(self.size, alive, self._idle.qsize(), spawner)

    def pids(self) -> set[int]:
        """The workers' process ids (they change when a worker is replaced)."""
        with self._lock:
            return set(self._workers)

    def _fds(self) -> list[int]:
        """This pool's ends of its channels, which no other pool's processes should hold."""
        with self._lock:
            if self._closed:
                return []
            mine = [w.conn.fileno() for w in self._workers.values() if not w.conn.closed]
            return [self._control.fileno(), *mine]

    def run(self, task: Task, *, timeout: float) -> Answer:
        """Run a task in a free worker; kill and replace the worker if it overruns."""
        if self._closed:
            raise QueryAborted("the query service is shutting down")
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise Overloaded(f"all {self.size} query workers are busy; try again shortly") from None
        healthy = False
        try:
            try:
                worker.conn.send(task)
            except OSError:  # the worker died while idle: replace it and try once more
                worker = self._replace(worker)
                worker.conn.send(task)
            if not worker.conn.poll(timeout):
                raise QueryTimeout(f"the query was stopped after {timeout:g} s (query_timeout)")
            try:
                reply = worker.conn.recv()
            except (EOFError, OSError):  # it died under the query: the kernel or the cap
                raise QueryAborted(OUT_OF_MEMORY) from None
            healthy = reply[0] not in ("retire", "crash")  # those two have exited
        finally:
            self._release(worker, healthy=healthy)
        return _answer(reply)

    def _release(self, worker: _Worker, *, healthy: bool) -> None:
        """Back to the idle queue; a worker in doubt is killed and replaced first."""
        if self._closed:
            return
        if not healthy:
            try:
                worker = self._replace(worker)
            except QueryAborted:  # no spawner any more: the pool shrinks, and says so
                log.error("a query worker could not be replaced")
                return
        self._idle.put(worker)

    def close(self) -> None:
        """Stop the spawner (which kills its workers) and close every channel."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            _OPEN.discard(self)
            with contextlib.suppress(OSError):
                self._control.send(PID.pack(STOP))
            self._control.close()
            for worker in self._workers.values():
                worker.conn.close()
            self._workers.clear()
        self._spawner.join(timeout=5)
        if self._spawner.is_alive():
            self._spawner.kill()
            self._spawner.join()

    def _fork(self, old: int) -> _Worker:
        """Ask the spawner to kill worker `old` (0: none) and fork a new one; a spawner that
        is gone (killed from outside) is started again, once."""
        with self._lock:
            if self._closed:
                raise QueryAborted("the query service is shutting down")
            found = self._ask(old)
            if found is None:
                log.error("the query spawner is gone: starting it again")
                self._restart_spawner()
                found = self._ask(0)
            if found is None:
                raise QueryAborted("the query workers cannot be restarted; restart the server")
            pid, fd = found
            self._workers.pop(old, None)
            worker = self._workers[pid] = _Worker(pid, Connection(fd))
            return worker

    def _ask(self, old: int) -> tuple[int, int] | None:
        try:
            self._control.send(PID.pack(old))
            message, fds, _, _ = socket.recv_fds(self._control, PID.size, 1)
        except OSError:
            return None
        if not fds:
            return None
        (pid,) = PID.unpack(message)
        return pid, fds[0]

    def _restart_spawner(self) -> None:
        """A new spawner. The old one's workers are nobody's to kill or reap any more, so they
        are stopped now (a query running on one fails with 503) and replaced as they are next
        used."""
        for pid in self._workers:
            if _alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        self._control.close()
        self._spawner.join(timeout=1)
        self._start_spawner()

    def _replace(self, worker: _Worker) -> _Worker:
        worker.conn.close()
        return self._fork(worker.pid)


def _answer(reply: tuple[Any, ...]) -> Answer:
    kind, value = reply
    if kind == "ok" and isinstance(value, Answer):
        return value
    if kind == "error" and isinstance(value, EdugraphError):
        raise value
    if kind == "retire":
        log.warning("a query worker ran out of memory:\n%s", value)
        raise QueryAborted(OUT_OF_MEMORY)
    log.error("a query worker failed:\n%s", value)
    raise RuntimeError("a query worker failed")


def _spawner(engine: Engine, control: socket.socket, inherited: list[int], memory: int) -> None:
    """The spawner's loop: each message names a worker to kill (or 0) and asks for a new one.
    When told to stop, or when the server goes away (end of file), it kills its workers."""
    for fd in inherited:  # the server's ends, and other pools': only the server holds them
        with contextlib.suppress(OSError):
            os.close(fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()  # inherited objects: no collection walks them, so their pages stay shared
    children: set[int] = set()
    try:
        while message := control.recv(PID.size):
            (old,) = PID.unpack(message)
            if old == STOP:
                break
            if old in children:
                _kill(old)
                children.discard(old)
            ours, theirs = socket.socketpair()
            pid = os.fork()
            if pid == 0:  # the worker
                control.close()
                ours.close()
                _work(engine, theirs, memory)
            theirs.close()
            children.add(pid)
            socket.send_fds(control, [PID.pack(pid)], [ours.fileno()])
            ours.close()
    finally:
        for pid in children:
            _kill(pid)


def _alive(pid: int) -> bool:
    """The process exists and has not exited (a zombie has: only its status is left)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except (OSError, IndexError):  # no /proc: ask the kernel whether the pid exists
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _work(engine: Engine, channel: socket.socket, memory: int) -> None:
    """A worker's loop: run tasks until the server closes the channel; never returns."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError):  # the server's threads come first for the CPU
        os.nice(WORKER_NICENESS)
    reopen = getattr(engine, "after_fork", None)
    if reopen is not None:  # an on-disk store is opened again, before the memory cap
        reopen()
    if memory > 0:
        _cap_memory(memory)
    if not getattr(engine, "needs_network", False):
        deny_network()
    conn = Connection(channel.detach())
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        reply: tuple[Any, ...]
        try:
            reply = ("ok", execute(engine, task))
        except EdugraphError as error:  # pickled whole: the server raises it again
            reply = ("error", error)
        except (MemoryError, SystemError):  # SystemError: an extension failed to allocate
            reply = ("retire", traceback.format_exc())
        except Exception:  # the server logs it and answers 500
            reply = ("crash", traceback.format_exc())
        try:
            conn.send(reply)
        except (OSError, MemoryError):
            os._exit(1)
        except Exception:  # an error that does not pickle: send its message
            conn.send(("error", QueryError(str(reply[1]))))
        if reply[0] in ("retire", "crash"):
            os._exit(0)  # the heap may be in a sorry state: the server forks a fresh worker


def _cap_memory(megabytes: int) -> None:
    """Cap the address space at what the worker maps now plus `megabytes`."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            mapped = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return
    limit = mapped + megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
