"""Domain exceptions. The library raises these; the CLI maps them to messages and exit codes."""

from __future__ import annotations


class UnkgError(Exception):
    """Base class of every error unkg reports to a user."""


class InputError(UnkgError):
    """An input could not be read or parsed (exit code 3)."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.path = path
        self.line = line
        self.detail = message
        where = path or "<input>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")


class ParseError(InputError):
    """A resolution text could not be parsed (or, with --strict, had text the parser could not place)."""


class FormatError(UnkgError):
    """An unknown or unsupported format name or MIME type (usage error, exit code 2)."""


class UsageError(UnkgError):
    """The command cannot run as asked, e.g. its output folder is not empty (exit code 2)."""


class StoreError(UnkgError):
    """The store could not be opened or written."""


class StoreLockedError(StoreError):
    """Another process holds the store."""


class QueryError(UnkgError):
    """A SPARQL query is invalid, unknown or failed."""


class RemoteError(UnkgError):
    """A remote SPARQL endpoint answered with an error or could not be reached."""
