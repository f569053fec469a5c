"""The library's exceptions: one base class, so callers can catch everything it raises."""

from __future__ import annotations


class IrrError(Exception):
    """Base class of every error the library raises."""


class UnknownTableError(IrrError, KeyError):
    """A table name that is not one of ``TABLES``."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown table"


class UnknownRecordError(IrrError, KeyError):
    """A record id that no table holds."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown record"


class MissingDependencyError(IrrError, ImportError):
    """An optional extra is needed for this call and is not installed."""


class DataError(IrrError):
    """The data package is missing or invalid; ``irr validate`` lists every problem."""
