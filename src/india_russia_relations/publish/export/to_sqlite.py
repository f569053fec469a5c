"""The SQLite export: STRICT tables with keys, a ``records`` view, full-text search, Datasette metadata.

Built in memory with the standard library's ``sqlite3`` and written in one atomic step;
the same package and SQLite version give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

from ...errors import DataError
from ...io.files import write_atomic
from ...schema.columns import Column
from ...schema.descriptor import dump_json
from .typemap import (
    LABEL_COLUMNS,
    RECORDS_VIEW,
    SEARCH_COLUMNS,
    Export,
    Table,
    number,
    records_view,
    records_view_sql,
)

PACKAGE_TABLE = "package_metadata"
"""A two-column table naming the package and version the file was exported from."""


def ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A quoted SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _type(column: Column) -> str:
    return {"integer": "INTEGER", "boolean": "INTEGER", "number": "REAL"}.get(column.kind, "TEXT")


def _checks(column: Column) -> list[str]:
    name = ident(column.name)
    checks: list[str] = []
    if column.vocabulary is not None:
        checks.append(f"{name} IN ({', '.join(literal(v) for v in column.vocabulary)})")
    if column.kind == "boolean":
        checks.append(f"{name} IN (0, 1)")
    if column.kind == "list":
        checks.append(f"json_valid({name}) AND json_type({name}) = 'array'")
    elif column.kind == "date":
        checks.append(f"{name} = date({name})")
    elif column.kind in ("string", "partial-date") and column.max_length is not None:
        checks.append(f"length({name}) <= {column.max_length}")
    if column.minimum is not None:
        checks.append(f"{name} >= {column.minimum}")
    if column.maximum is not None:
        checks.append(f"{name} <= {column.maximum}")
    return checks


def _column_sql(column: Column) -> str:
    parts = [ident(column.name), _type(column)]
    if column.required or column.kind == "list":
        parts.append("NOT NULL")
    checks = _checks(column)
    if checks:
        parts.append(f"CHECK ({' AND '.join(checks)})")
    description = " ".join(column.description.split())
    return " ".join(parts) + f",  -- {description}"


def create_table_sql(table: Table) -> str:
    """``CREATE TABLE`` with types, NOT NULL, CHECKs, keys and each column's description."""
    lines = [f"CREATE TABLE {ident(table.name)} (  -- {table.description}"]
    lines += [f"  {_column_sql(c)}" for c in table.columns]
    constraints = [f"PRIMARY KEY ({', '.join(ident(k) for k in table.primary_key)})"]
    constraints += [
        f"FOREIGN KEY ({ident(column)}) REFERENCES {ident(target)} ({ident('id')})"
        for column, target in table.references
    ]
    lines += [f"  {c}," for c in constraints]
    lines[-1] = lines[-1].removesuffix(",")
    return "\n".join(lines) + "\n) STRICT"


def _value(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if column.kind == "list":
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def search_columns(table: Table) -> list[str]:
    """The text columns of ``table`` that get a full-text index."""
    return [n for n in SEARCH_COLUMNS if table.column(n) is not None]


def build(data: Export) -> sqlite3.Connection:
    """The whole database, in memory."""
    db = sqlite3.connect(":memory:")
    db.execute("PRAGMA foreign_keys = ON")
    with db:
        db.execute(
            f"CREATE TABLE {ident(PACKAGE_TABLE)} (name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT"
        )
        db.executemany(
            f"INSERT INTO {ident(PACKAGE_TABLE)} VALUES (?, ?)",
            [
                ("name", str(data.descriptor.get("name", ""))),
                ("title", str(data.descriptor.get("title", ""))),
                ("version", data.version),
                ("license", str(data.license.get("name", ""))),
            ],
        )
        for table in data.tables:
            db.execute(create_table_sql(table))
            placeholders = ", ".join("?" for _ in table.columns)
            db.executemany(
                f"INSERT INTO {ident(table.name)} VALUES ({placeholders})",
                [
                    tuple(_value(c, v) for c, v in zip(table.columns, row, strict=True))
                    for row in data.rows(table)
                ],
            )
            for column in table.indexed:
                db.execute(
                    f"CREATE INDEX {ident(f'{table.name}_{column}')} "
                    f"ON {ident(table.name)} ({ident(column)})"
                )
            searched = search_columns(table)
            if searched:
                fts = f"{table.name}_fts"
                db.execute(
                    f"CREATE VIRTUAL TABLE {ident(fts)} USING fts5("
                    + ", ".join(ident(c) for c in searched)
                    + f', content="{table.name}")'
                )
                db.execute(f"INSERT INTO {ident(fts)} ({ident(fts)}) VALUES ('rebuild')")
        db.execute(records_view_sql(data.tables))
    problems = db.execute("PRAGMA foreign_key_check").fetchall()
    if problems:  # pragma: no cover - validation checks every reference first
        raise DataError(f"the SQLite export has dangling references: {problems[:3]}")
    db.execute("VACUUM")
    return db


def metadata(data: Export, database: str) -> dict[str, Any]:
    """Datasette's metadata: the package's title, licence and every table's and column's description."""
    tables: dict[str, Any] = {}
    for table in data.tables:
        entry: dict[str, Any] = {
            "title": table.title,
            "description": table.description,
            "columns": {c.name: c.description for c in table.columns},
        }
        label = next((n for n in LABEL_COLUMNS if table.column(n) is not None), None)
        if label is not None:
            entry["label_column"] = label
        if search_columns(table):
            entry["fts_table"] = f"{table.name}_fts"
        tables[table.name] = entry
    tables[RECORDS_VIEW] = {
        "title": "Records",
        "description": "Every cited record of every table, for joining with citations.record_id",
        "columns": {c.name: c.description for c in records_view(data.tables)},
    }
    license = data.license
    return {
        "title": str(data.descriptor.get("title", "")),
        "description": f"{data.descriptor.get('description', '')} Version {data.version}.",
        "license": str(license.get("name", "")),
        "license_url": str(license.get("path", "")),
        "databases": {database: {"tables": tables}},
    }


def write(data: Export, out: Path) -> None:
    """Write ``OUT`` (the database) and ``OUT.metadata.json`` beside it."""
    from . import metadata_path

    db = build(data)
    try:
        content = db.serialize()
    finally:
        db.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, content)
    database = out.stem
    write_atomic(metadata_path(out), dump_json(metadata(data, database)).encode("utf-8"))
