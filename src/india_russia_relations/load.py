"""The public loading API: typed records, DataFrames and the data package, offline."""

from __future__ import annotations

import importlib.resources
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from .errors import DataError, MissingDependencyError, UnknownRecordError, UnknownTableError
from .io.tables import read_table
from .schema.columns import columns
from .schema.descriptor import DESCRIPTOR
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


def _checkout_package() -> Path | None:
    """The repository's ``datapackage/`` when running from a source checkout."""
    candidate = Path(__file__).resolve().parents[2] / "datapackage"
    return candidate if (candidate / DESCRIPTOR).is_file() else None


def package_dir() -> Path:
    """The directory of the data package this installation reads."""
    installed = importlib.resources.files(__package__) / "datapackage"
    if isinstance(installed, Path) and (installed / DESCRIPTOR).is_file():
        return installed
    checkout = _checkout_package()
    if checkout is not None:
        return checkout
    raise DataError("the data package is not installed: reinstall india-russia-relations")


def datapackage_path() -> Path:
    """The ``pathlib.Path`` of the installed ``datapackage.json``, for any tool."""
    return package_dir() / DESCRIPTOR


@cache
def _records(table: str) -> tuple[Record, ...]:
    _check_table(table)
    return tuple(read_table(package_dir(), table))


def _check_table(table: str) -> None:
    if table not in MODELS:
        raise UnknownTableError(f"unknown table {table!r}; choose one of: {', '.join(TABLES)}")


@overload
def records(table: Literal["sources"]) -> list[Source]: ...
@overload
def records(table: Literal["countries"]) -> list[Country]: ...
@overload
def records(table: Literal["leaders"]) -> list[Leader]: ...
@overload
def records(table: Literal["positions"]) -> list[Position]: ...
@overload
def records(table: Literal["visits"]) -> list[Visit]: ...
@overload
def records(table: Literal["agreements"]) -> list[Agreement]: ...
@overload
def records(table: Literal["agreement_parties"]) -> list[AgreementParty]: ...
@overload
def records(table: Literal["events"]) -> list[Event]: ...
@overload
def records(table: Literal["citations"]) -> list[Citation]: ...
@overload
def records(table: str) -> list[Record]: ...
def records(table: str) -> list[Any]:
    """All rows of ``table`` as frozen pydantic models, in id order. Needs only pydantic."""
    _check_table(table)
    return list(_records(table))


def _require(module: str, extra: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(
            f"this needs {module}: pip install 'india-russia-relations[{extra}]'"
        ) from None


_PANDAS_DTYPES = {
    "string": "string",
    "integer": "Int64",
    "number": "Float64",
    "partial-date": "string",
    "date": "datetime64[s]",
}


def load(table: TableName) -> pandas.DataFrame:
    """``table`` as a pandas DataFrame with dtypes from the schema (extra: pandas).

    Partial dates stay strings; their derived ``*_earliest``/``*_latest`` columns are real
    dates. List columns hold Python lists.
    """
    _records(table)  # validates the rows, raising DataError on a bad one
    pd = _require("pandas", "pandas")
    frame = pd.read_csv(
        package_dir() / "data" / f"{table}.csv",
        dtype=str,
        keep_default_na=False,
        na_values=[""],
        encoding="utf-8",
    )
    for column in columns(table):
        series = frame[column.name]
        if column.kind == "list":
            frame[column.name] = [[] if pd.isna(v) else v.split(";") for v in series]
        elif column.kind == "date":
            frame[column.name] = pd.to_datetime(series, format="%Y-%m-%d").astype(
                _PANDAS_DTYPES["date"]
            )
        elif column.kind == "number":
            frame[column.name] = pd.to_numeric(series).astype(_PANDAS_DTYPES["number"])
        else:
            frame[column.name] = series.astype(_PANDAS_DTYPES[column.kind])
    result: pandas.DataFrame = frame
    return result


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
        r.key()[0] for t in TABLES if MODELS[t].primary_key == ("id",) for r in _records(t)
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
