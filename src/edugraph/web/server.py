"""The HTTP server: waitress, with two guards it lacks against slow and greedy clients.

Waitress reads sockets in one asynchronous loop, so a slow client holds no thread; what it
holds is a connection, and waitress stops accepting any once `connection_limit` are open, so
a few hundred sockets that trickle a header line now and then lock everyone out (its
`channel_timeout` counts inactivity, which a trickle never reaches). Here a request must
arrive whole (headers and body) within `read_timeout` seconds of its first byte, and one
client address may hold at most `client_connections` connections: more are closed as soon as
they are accepted, before they count against anyone else. A client the query admission holds
(`edugraph.query.admission`: refused with 429, told to retry after a second) has none of its
requests read until then.
"""

from __future__ import annotations

import errno
import socket
import time
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer

from edugraph.errors import ConfigError

CLEANUP_INTERVAL = 1  # seconds between checks of every connection's deadline


class GuardedChannel(HTTPChannel):  # type: ignore[misc]
    """A connection that must deliver each request within the server's read timeout."""

    def __init__(self, server: GuardedServer, sock: socket.socket, *args: Any, **kw: Any) -> None:
        super().__init__(server, sock, *args, **kw)
        self.started: float | None = None  # when the request being read began to arrive

    def readable(self) -> bool:
        if self.server.held(self.client):
            return False
        ready: bool = super().readable()
        return ready

    @property
    def client(self) -> str:
        return self.addr[0] if isinstance(self.addr, tuple) else str(self.addr)

    def received(self, data: bytes) -> bool:
        if self.request is None and data:
            self.started = time.monotonic()
        done: bool = super().received(data)
        if self.request is None:  # nothing half read
            self.started = None
        return done


class GuardedServer(TcpWSGIServer):  # type: ignore[misc]
    """waitress's TCP server with a per-client connection limit and a request read deadline."""

    channel_class = GuardedChannel

    def __init__(
        self,
        app: Any,
        *,
        read_timeout: float,
        per_client: int,
        held: Callable[[str], bool] = lambda client: False,
        **kw: Any,
    ) -> None:
        self.read_timeout = read_timeout
        self.per_client = per_client
        self.held = held
        super().__init__(app, adj=Adjustments(cleanup_interval=CLEANUP_INTERVAL, **kw))

    def handle_accept(self) -> None:
        try:
            accepted = self.accept()
        except OSError:
            return
        if accepted is None:
            return
        conn, addr = accepted
        host = addr[0] if isinstance(addr, tuple) else str(addr)
        open_ = Counter(c.client for c in self.active_channels.values())
        if open_[host] >= self.per_client:
            conn.close()  # before it can hold anything
            return
        self.set_socket_options(conn)
        self.channel_class(self, conn, self.fix_addr(addr), self.adj, map=self._map)

    def maintenance(self, now: float) -> None:
        """waitress's idle check, and the read deadline for requests still arriving."""
        super().maintenance(now)
        cutoff = time.monotonic() - self.read_timeout
        for channel in list(self.active_channels.values()):
            started = getattr(channel, "started", None)
            if started is not None and started < cutoff and not channel.requests:
                channel.will_close = True


def make_server(
    app: Any,
    *,
    host: str,
    port: int,
    config: Mapping[str, Any],
    held: Callable[[str], bool] = lambda client: False,
) -> GuardedServer:
    """The server, bound and listening; a port in use or out of range is a ConfigError.
    `held` says which clients' requests to leave unread for now."""
    if not 0 < port < 65536:
        raise ConfigError(f"--port must be between 1 and 65535, not {port}")
    minimum = config["query_workers"] + config["query_queue"] + 1
    if config["threads"] < minimum:
        raise ConfigError(
            f"threads must be at least query_workers + query_queue + 1 = {minimum}, so that "
            "routes that run no query always find a thread"
        )
    try:
        return GuardedServer(
            app,
            read_timeout=config["read_timeout"],
            per_client=config["client_connections"],
            held=held,
            host=host,
            port=port,
            threads=config["threads"],
            connection_limit=config["connection_limit"],
            ident="edugraph",
            # waitress buffers a body whole: it refuses huge ones, the app answers 413 as JSON
            max_request_body_size=2 * config["max_request_bytes"],
        )
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(f"port {port} on {host} is in use") from None
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
