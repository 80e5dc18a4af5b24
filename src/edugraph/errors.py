"""One exception tree, translated once at each surface (CLI exit codes, HTTP JSON errors)."""

from __future__ import annotations


class EdugraphError(Exception):
    """Base of every error edugraph reports to a user."""

    exit_code = 2

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


class ConfigError(EdugraphError):
    """A setting or command-line parameter is invalid."""


class QueryError(EdugraphError):
    """A SPARQL query or a saved query's parameters are invalid."""


class NotAcceptable(EdugraphError):
    """The answer cannot be given in the format asked for (ASK as CSV, a control character in
    XML); another format can."""


class NotFound(EdugraphError):
    """A named resource (saved query, IRI, graph) does not exist."""


class ValidationFailed(EdugraphError):
    """The graph has SHACL Violations and must not be published."""

    exit_code = 1
