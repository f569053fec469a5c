"""The public loading API: typed records, DataFrames and the data package, offline.

Importing this module costs little: what only some calls need (CSV reading, hashing,
pandas, pyarrow, frictionless) is imported inside the functions that need it.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from .errors import (
    DataError,
    IrrError,
    MissingDependencyError,
    UnknownRecordError,
    UnknownTableError,
)
from .schema.models import (
    MODELS,
    TABLES,
    Agreement,
    AgreementParty,
    Citation,
    Country,
    Event,
    Leader,
    Position,
    Record,
    Source,
    TableName,
    Visit,
)

if TYPE_CHECKING:
    import frictionless
    import pandas

PackagePath = str | os.PathLike[str]
"""A package directory, or the path of its ``datapackage.json``."""


def _checkout_package() -> Path | None:
    """The repository's ``datapackage/`` when running from a source checkout."""
    from .schema.descriptor import DESCRIPTOR

    candidate = Path(__file__).resolve().parents[2] / "datapackage"
    return candidate if (candidate / DESCRIPTOR).is_file() else None


def package_dir() -> Path:
    """The directory of the data package this installation reads."""
    import importlib.resources

    from .schema.descriptor import DESCRIPTOR

    installed = importlib.resources.files(__package__) / "datapackage"
    if isinstance(installed, Path) and (installed / DESCRIPTOR).is_file():
        return installed
    checkout = _checkout_package()
    if checkout is not None:
        return checkout
    raise DataError("the data package is not installed: reinstall india-russia-relations")


def datapackage_path() -> Path:
    """The ``pathlib.Path`` of the installed ``datapackage.json``, for any tool."""
    from .schema.descriptor import DESCRIPTOR

    return package_dir() / DESCRIPTOR


def _root(package: PackagePath | None) -> Path:
    """The package directory that ``package`` names (None: the installed one)."""
    from .schema.descriptor import DESCRIPTOR

    if package is None:
        return package_dir()
    given = Path(package)
    root = given.parent if given.name == DESCRIPTOR else given
    if not (root / DESCRIPTOR).is_file() and not (root / "data").is_dir():
        raise DataError(f"no data package at {package} (expected {DESCRIPTOR} and data/)")
    return root


def _check_table(table: str) -> None:
    if table not in MODELS:
        raise UnknownTableError(f"unknown table {table!r}; choose one of: {', '.join(TABLES)}")


@cache
def _installed(table: str) -> tuple[Record, ...]:
    return tuple(_read(package_dir(), table))


def _read(root: Path, table: str) -> list[Record]:
    from .io.tables import read_records

    return read_records(root, table)


@overload
def records(table: Literal["sources"], package: PackagePath | None = None) -> list[Source]: ...
@overload
def records(table: Literal["countries"], package: PackagePath | None = None) -> list[Country]: ...
@overload
def records(table: Literal["leaders"], package: PackagePath | None = None) -> list[Leader]: ...
@overload
def records(table: Literal["positions"], package: PackagePath | None = None) -> list[Position]: ...
@overload
def records(table: Literal["visits"], package: PackagePath | None = None) -> list[Visit]: ...
@overload
def records(
    table: Literal["agreements"], package: PackagePath | None = None
) -> list[Agreement]: ...
@overload
def records(
    table: Literal["agreement_parties"], package: PackagePath | None = None
) -> list[AgreementParty]: ...
@overload
def records(table: Literal["events"], package: PackagePath | None = None) -> list[Event]: ...
@overload
def records(table: Literal["citations"], package: PackagePath | None = None) -> list[Citation]: ...
@overload
def records(table: str, package: PackagePath | None = None) -> list[Record]: ...
def records(table: str, package: PackagePath | None = None) -> list[Any]:
    """All rows of ``table`` as frozen pydantic models, in file (id) order. Needs only pydantic.

    ``package`` is any package with this schema (its directory or its ``datapackage.json``);
    by default the installed one. A file whose SHA-256 matches the descriptor's hash is read
    without re-validation; any other is validated row by row, and its first bad row raises
    ``DataError`` naming file, line and field.
    """
    _check_table(table)
    if package is None:
        return list(_installed(table))
    return _read(_root(package), table)


def _require(module: str, extra: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(
            f"this needs {module}: pip install 'india-russia-relations[{extra}]'"
        ) from None


def load(
    table: TableName, package: PackagePath | None = None, *, index: Literal["id"] | None = None
) -> pandas.DataFrame:
    """``table`` as a pandas DataFrame with dtypes from the schema (extra: pandas).

    Text is ``string``, vocabularies ``category`` with the schema's values as levels in
    order, integers ``Int64``, numbers ``Float64``; partial dates stay strings and their
    derived ``*_earliest``/``*_latest`` columns are ``datetime64[s]``; list columns hold
    Python lists. ``index="id"`` makes the ``id`` column the index. ``package`` is as for
    ``records``, and a file that does not match its hash is validated first.
    """
    _check_table(table)
    if index is not None and (index != "id" or MODELS[table].primary_key != ("id",)):
        keys = ", ".join(MODELS[table].primary_key)
        raise IrrError(f"index must be 'id' on a table keyed by id; {table} is keyed by {keys}")
    _require("pandas", "pandas")
    _require("pyarrow", "pandas")
    from .io.frames import read_frame

    return read_frame(_root(package), table, index)


def package() -> frictionless.Package:
    """The installed data as a ``frictionless.Package`` (extra: frictionless)."""
    module = _require("frictionless", "frictionless")
    result: frictionless.Package = module.Package(str(datapackage_path()))
    return result


@cache
def _citation_index() -> dict[str, tuple[Citation, ...]]:
    index: dict[str, list[Citation]] = {}
    for citation in records("citations"):
        index.setdefault(citation.record_id, []).append(citation)
    return {key: tuple(value) for key, value in index.items()}


@cache
def _all_ids() -> frozenset[str]:
    return frozenset(
        r.key()[0] for t in TABLES if MODELS[t].primary_key == ("id",) for r in _installed(t)
    )


def citations_for(record_id: str) -> list[Citation]:
    """The citations (source, quote, stance) behind one record, in id order."""
    if record_id not in _all_ids():
        raise UnknownRecordError(f"no record has the id {record_id!r}")
    return list(_citation_index().get(record_id, ()))


def sources_for(record_id: str) -> list[Source]:
    """The source rows behind one record, each once, in id order."""
    wanted = {c.source_id for c in citations_for(record_id)}
    return [s for s in records("sources") if s.id in wanted]
