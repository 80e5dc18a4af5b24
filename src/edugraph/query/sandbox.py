"""No network for the processes that run queries sent by anyone.

The read-only check refuses SERVICE on the query's parse tree; this is the second line, for
the day a parser difference lets one through. A seccomp filter, loaded in each query worker
after it is forked, makes creating an IPv4, IPv6 or raw packet socket fail with EACCES, so no
query can open a connection, whatever the engine would try. Unix sockets (the worker's channel
to the server) stay allowed. A worker for a remote store needs the network and gets no filter.
"""

from __future__ import annotations

import errno
import logging
import socket

log = logging.getLogger(__name__)

DENIED_FAMILIES = (socket.AF_INET, socket.AF_INET6, socket.AF_PACKET)


def deny_network() -> bool:
    """Load the filter into this process (and its future children); False where the kernel or
    libseccomp cannot, which is logged: the parse-tree check still stands."""
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError) as exc:  # pyseccomp loads libseccomp when imported
        log.warning("query workers keep the network: libseccomp is unavailable (%s)", exc)
        return False
    try:
        rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        refuse = seccomp.ERRNO(errno.EACCES)
        for family in DENIED_FAMILIES:
            rules.add_rule(refuse, "socket", seccomp.Arg(0, seccomp.EQ, family))
        rules.load()
    except (OSError, RuntimeError, ValueError) as exc:
        log.warning("query workers keep the network: seccomp failed (%s)", exc)
        return False
    return True
