"""Every exception edugraph raises on purpose, in one tree. Each class says how each surface
reports it: `exit_code` for the command line (1: the graph does not conform, 2: bad input or
usage, 3: the query or the store could not answer now) and `http_status` for the web. The CLI
and the web each translate once, by reading these attributes, so a new error class needs no
table anywhere else."""

from __future__ import annotations

EXIT_INVALID = 1  # the graph does not conform
EXIT_USAGE = 2  # bad input, settings, query or parameters
EXIT_UNANSWERED = 3  # a timeout, a worker or store failure: the same request may work later


class EdugraphError(Exception):
    """Base of every error edugraph reports to a user."""

    exit_code = EXIT_USAGE
    http_status = 500

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line

    def __str__(self) -> str:
        where = self.source or ""
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class InputError(EdugraphError):
    """A source report, its metadata or a reference file cannot be used as it is."""


class UnsupportedShape(InputError):
    """The shapes graph uses a SHACL feature this engine does not compile."""


class ConfigError(EdugraphError):
    """A setting or command-line parameter is invalid."""


class QueryError(EdugraphError):
    """A SPARQL query or a saved query's parameters are invalid."""

    http_status = 400


class NotAcceptable(EdugraphError):
    """The answer cannot be given in the format asked for (ASK as CSV, a control character in
    XML); another format can."""

    http_status = 406


class NotFound(EdugraphError):
    """A named resource (saved query, IRI, graph) does not exist."""

    http_status = 404


class ValidationFailed(EdugraphError):
    """The graph has SHACL Violations and must not be published."""

    exit_code = EXIT_INVALID


class Unanswered(EdugraphError):
    """The request was fine but could not be answered now; the same one may work later."""

    exit_code = EXIT_UNANSWERED
    http_status = 503


class QueryTimeout(Unanswered):
    """A query ran past the timeout and its worker was killed."""

    http_status = 504


class QueryAborted(Unanswered):
    """A worker died under a query (most often: the query hit the memory cap)."""


class Overloaded(Unanswered):
    """Every worker is busy and the queue is full, or the wait was too long: retry later."""


class TooManyQueries(Unanswered):
    """This client already has as many queries running or waiting as one client may."""

    http_status = 429


class Unavailable(Unanswered):
    """The server cannot make this now (a new version of the dataset is being loaded, or the
    file is not the one it serves)."""


class StoreError(Unanswered):
    """The remote store is unreachable, too slow, or answered something that is not SPARQL."""

    http_status = 502


class StoreTimeout(StoreError):
    """The store did not answer in time: a write it was sent may still be applied."""

    http_status = 504


class PushError(StoreError):
    """A push stopped; the message says which graphs are pushed, which one is in what state,
    and which are untouched."""
