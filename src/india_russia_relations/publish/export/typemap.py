"""What every export writes, read off ``schema/columns.py``: tables, keys, cell values and types.

Each export target (SQLite, DuckDB, Parquet, JSON, xlsx) takes its column types from the
maps here, so a column has the same type in every tool and a new model field flows into
every export without code changes.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ...errors import DataError
from ...io.files import read_inside
from ...reports.support import Support, from_tables
from ...schema.columns import Column, Kind, columns
from ...schema.dates import PartialDate
from ...schema.descriptor import DESCRIPTOR
from ...schema.models import MODELS, TABLES, Record

RECORD_REFERENCE = ("citations", "record_id")
"""The one reference into several tables (any cited record), which no foreign key can state."""

LABEL_COLUMNS = ("title", "name", "office", "summary")
"""The ``records`` view's ``label``: the first of these that a cited table has."""
START_COLUMNS = ("start", "signed", "born")
END_COLUMNS = ("end", "died")
SEARCH_COLUMNS = ("title", "summary", "quote")
"""Text columns that the SQLite export indexes for full-text search."""

RECORDS_VIEW = "records"
"""The view that unites every cited table, so that ``citations JOIN records`` is one step."""

TYPE_NAMES: dict[Kind, dict[str, str]] = {
    "string": {
        "sqlite": "TEXT",
        "duckdb": "VARCHAR (ENUM for a vocabulary)",
        "arrow": "string (dictionary<int8, string> for a vocabulary)",
        "json": "string",
        "xlsx": "text",
        "pandas": "string (category for a vocabulary)",
        "r": "character (factor for a vocabulary)",
    },
    "integer": {
        "sqlite": "INTEGER",
        "duckdb": "INTEGER",
        "arrow": "int32",
        "json": "integer",
        "xlsx": "number",
        "pandas": "Int64",
        "r": "integer",
    },
    "number": {
        "sqlite": "REAL",
        "duckdb": "DECIMAL(p, s)",
        "arrow": "decimal128(p, s)",
        "json": "number",
        "xlsx": "number",
        "pandas": "Float64",
        "r": "double",
    },
    "partial-date": {
        "sqlite": "TEXT",
        "duckdb": "VARCHAR",
        "arrow": "string",
        "json": "string",
        "xlsx": "text",
        "pandas": "string",
        "r": "character",
    },
    "date": {
        "sqlite": "TEXT (YYYY-MM-DD)",
        "duckdb": "DATE",
        "arrow": "date32",
        "json": "string (YYYY-MM-DD)",
        "xlsx": "date from 1 March 1900 on, YYYY-MM-DD text before",
        "pandas": "datetime64[s]",
        "r": "Date",
    },
    "boolean": {
        "sqlite": "INTEGER (0 or 1)",
        "duckdb": "BOOLEAN",
        "arrow": "bool",
        "json": "boolean",
        "xlsx": "TRUE or FALSE",
        "pandas": "boolean",
        "r": "logical",
    },
    "list": {
        "sqlite": "TEXT (a JSON array)",
        "duckdb": "VARCHAR[]",
        "arrow": "list<string>",
        "json": "array of strings",
        "xlsx": "text, items joined by ;",
        "pandas": "object (Python lists)",
        "r": "list of character vectors",
    },
}
"""The type a column of each kind has in each tool: the codebook's table, and the exports' rule."""

INT32_MAX = 2**31 - 1


def _support_column(name: str, kind: Kind) -> Column:
    doc = inspect.getdoc(getattr(Support, name)) or name
    return Column(
        name=name,
        kind=kind,
        description=f"{doc.rstrip('.')} (computed from citations; not in the CSV files)",
        required=True,
        minimum=0 if kind == "integer" else None,
    )


SUPPORT_COLUMNS = (
    _support_column("independent_sources", "integer"),
    _support_column("contested", "boolean"),
    _support_column("rests_on_inference", "boolean"),
    _support_column("rests_on_preview", "boolean"),
)
"""What the exports add to every cited table: its support, computed by ``reports/support.py``."""


@dataclass(frozen=True)
class Table:
    """One table as the exports write it."""

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    cited: bool

    @property
    def references(self) -> list[tuple[str, str]]:
        """``(column, table)`` of each foreign key, in column order."""
        return [(c.name, c.foreign_key) for c in self.columns if c.foreign_key is not None]

    @property
    def indexed(self) -> list[str]:
        """The columns that refer to other rows, which the databases index."""
        names = [name for name, _ in self.references]
        if self.name == RECORD_REFERENCE[0]:
            names.append(RECORD_REFERENCE[1])
        return names

    def column(self, name: str) -> Column | None:
        """The column called ``name``, or None."""
        return next((c for c in self.columns if c.name == name), None)


def description_of(model: type[Record]) -> str:
    """The first line of a model's docstring: what one row is."""
    return (model.__doc__ or "").strip().splitlines()[0]


def export_tables() -> list[Table]:
    """Every table, in an order where each one comes after the tables it refers to."""
    result = [
        Table(
            name=name,
            title=MODELS[name].table_title,
            description=description_of(MODELS[name]),
            columns=columns(name) + (SUPPORT_COLUMNS if MODELS[name].cited else ()),
            primary_key=MODELS[name].primary_key,
            cited=MODELS[name].cited,
        )
        for name in TABLES
    ]
    done: set[str] = set()
    ordered: list[Table] = []
    pending = list(result)
    while pending:
        ready = [t for t in pending if all(ref in done for _, ref in t.references)]
        if not ready:  # pragma: no cover - a model author's mistake: a reference cycle
            raise TypeError(f"foreign keys form a cycle among {[t.name for t in pending]}")
        ordered.append(ready[0])
        done.add(ready[0].name)
        pending.remove(ready[0])
    return ordered


def is_vocabulary(column: Column) -> bool:
    """Whether the column takes one of a fixed list of values."""
    return column.vocabulary is not None


def integer_bits(column: Column) -> int:
    """32 when the column's declared bounds fit a 32-bit integer, else 64."""
    low, high = column.minimum, column.maximum
    if low is not None and high is not None and low >= -INT32_MAX - 1 and high <= INT32_MAX:
        return 32
    return 64


def decimal_type(column: Column) -> tuple[int, int]:
    """``(precision, scale)`` of a number column, as the model declares it."""
    assert column.max_digits is not None and column.decimal_places is not None
    return column.max_digits, column.decimal_places


def is_computed(column: Column) -> bool:
    """Whether the exports compute the column (it is not in the CSV files)."""
    return column in SUPPORT_COLUMNS


def cell(column: Column, record: Record, support: Support | None = None) -> Any:
    """The value of one column of ``record``, typed for an export.

    None for an empty cell, ``str`` for text and partial dates, ``int``, ``Decimal``,
    ``datetime.date`` for derived dates, ``list[str]`` for lists (empty, never None), and
    for a support column the value ``support`` gives.
    """
    if is_computed(column):
        if support is None:  # pragma: no cover - every cited record has its support
            raise DataError(f"{record.key()[0]}: no support computed for {column.name}")
        return getattr(support, column.name)
    if column.derived_from is not None:
        source: PartialDate | None = getattr(record, column.derived_from)
        if source is None:
            return None
        return source.earliest if column.name.endswith("_earliest") else source.latest
    value = getattr(record, column.name)
    if column.kind == "list":
        return list(value)
    if value is None:
        return None
    if column.kind == "partial-date":
        return str(value)
    return value


def rows(
    table: Table, records: Sequence[Record], support: dict[str, Support]
) -> list[tuple[Any, ...]]:
    """Every record of ``table`` as a tuple of export values, in column order."""
    result = []
    for record in records:
        of = support.get(record.key()[0]) if table.cited else None
        result.append(tuple(cell(c, record, of) for c in table.columns))
    return result


def number(value: Decimal) -> int | float:
    """A decimal as the JSON, SQLite and spreadsheet number it is exactly equal to.

    The models allow at most 15 significant digits, which a double represents exactly.
    """
    if value == value.to_integral_value():
        return int(value)
    result = float(value)
    if Decimal(repr(result)) != value:  # pragma: no cover - the models' max_digits prevent it
        raise DataError(f"{value} cannot be written exactly as a floating-point number")
    return result


@dataclass(frozen=True)
class RecordsColumn:
    """One column of the ``records`` view and, per cited table, the column it comes from."""

    name: str
    kind: Kind
    description: str
    sources: dict[str, str | None]


def records_view(tables: Sequence[Table]) -> list[RecordsColumn]:
    """The columns of the ``records`` view over the cited tables."""
    cited = [t for t in tables if t.cited]

    def pick(names: Sequence[str], suffix: str = "") -> dict[str, str | None]:
        found: dict[str, str | None] = {}
        for table in cited:
            name = next((n for n in names if table.column(n) is not None), None)
            found[table.name] = None if name is None else name + suffix
        return found

    return [
        RecordsColumn("id", "string", "The record's id", {t.name: "id" for t in cited}),
        RecordsColumn("table", "string", "The table the record is in", {}),
        RecordsColumn("label", "string", "Its title, name, office or summary", pick(LABEL_COLUMNS)),
        RecordsColumn(
            "start", "partial-date", "When it began (born, for a leader)", pick(START_COLUMNS)
        ),
        RecordsColumn(
            "start_earliest",
            "date",
            "The earliest day start can mean",
            pick(START_COLUMNS, "_earliest"),
        ),
        RecordsColumn(
            "end", "partial-date", "When it ended (died, for a leader)", pick(END_COLUMNS)
        ),
        RecordsColumn(
            "end_latest", "date", "The latest day end can mean", pick(END_COLUMNS, "_latest")
        ),
        *(
            RecordsColumn(c.name, c.kind, c.description, {t.name: c.name for t in cited})
            for c in SUPPORT_COLUMNS
        ),
    ]


def records_view_sql(tables: Sequence[Table], quote: str = '"') -> str:
    """``CREATE VIEW records``: one SELECT per cited table, united; the same SQL in SQLite and DuckDB."""

    def ident(name: str) -> str:
        return quote + name.replace(quote, quote * 2) + quote

    view = records_view(tables)
    selects = []
    for table in (t for t in tables if t.cited):
        parts = []
        for col in view:
            if col.name == "table":
                expr = f"'{table.name}'"
            else:
                source = col.sources.get(table.name)
                expr = "NULL" if source is None else ident(source)
            parts.append(f"{expr} AS {ident(col.name)}")
        selects.append(f"SELECT {', '.join(parts)} FROM {ident(table.name)}")
    return f"CREATE VIEW {ident(RECORDS_VIEW)} AS\n" + "\nUNION ALL\n".join(selects)


@dataclass(frozen=True)
class Export:
    """What an export writes: the package's metadata and every table's records."""

    descriptor: dict[str, Any]
    tables: list[Table]
    records: dict[str, list[Record]]
    support: dict[str, Support]

    def cell(self, table: Table, column: Column, record: Record) -> Any:
        """The export value of one column of one record of ``table``."""
        of = self.support.get(record.key()[0]) if table.cited else None
        return cell(column, record, of)

    def rows(self, table: Table) -> list[tuple[Any, ...]]:
        """Every record of ``table`` as export values, in column order."""
        return rows(table, self.records[table.name], self.support)

    @property
    def version(self) -> str:
        """The package version, from its descriptor."""
        return str(self.descriptor.get("version", ""))

    @property
    def license(self) -> dict[str, Any]:
        """The data licence, from the descriptor."""
        licenses = self.descriptor.get("licenses") or [{}]
        return dict(licenses[0])


def make_export(descriptor: dict[str, Any], records: dict[str, list[Record]]) -> Export:
    """An export of these records, their support computed."""
    support = from_tables(records)  # type: ignore[arg-type]
    return Export(descriptor=descriptor, tables=export_tables(), records=records, support=support)


def read_descriptor(package: Path) -> dict[str, Any]:
    """The package's ``datapackage.json`` as a dict."""
    data, why = read_inside(package, DESCRIPTOR)
    if data is None:
        raise DataError(f"{package / DESCRIPTOR}: {why}")
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise DataError(f"{package / DESCRIPTOR}: not JSON ({err}); run `irr validate`") from None
    if not isinstance(value, dict):
        raise DataError(f"{package / DESCRIPTOR}: not a JSON object; run `irr validate`")
    return value
