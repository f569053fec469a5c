"""The DuckDB export: DATE, INTEGER, DECIMAL, VARCHAR[] and ENUM columns, the same keys and view as SQLite.

DuckDB's file format is not byte-for-byte reproducible; the tables and values are.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from ...io.files import write_atomic
from ...schema.columns import Column
from .to_sqlite import PACKAGE_TABLE, ident, literal
from .typemap import Export, Table, decimal_type, integer_bits, records_view_sql


def enum_name(table: Table, column: Column) -> str:
    """The ENUM type of a vocabulary column: ``<table>_<column>``."""
    return f"{table.name}_{column.name}"


def column_type(table: Table, column: Column) -> str:
    """The DuckDB type of one column."""
    if column.vocabulary is not None:
        return ident(enum_name(table, column))
    if column.kind == "integer":
        return "INTEGER" if integer_bits(column) == 32 else "BIGINT"
    if column.kind == "number":
        precision, scale = decimal_type(column)
        return f"DECIMAL({precision}, {scale})"
    if column.kind == "date":
        return "DATE"
    if column.kind == "boolean":
        return "BOOLEAN"
    if column.kind == "list":
        return "VARCHAR[]"
    return "VARCHAR"


def create_table_sql(table: Table) -> list[str]:
    """The ``CREATE TYPE`` and ``CREATE TABLE`` statements of ``table``."""
    statements = [
        f"CREATE TYPE {ident(enum_name(table, c))} AS ENUM "
        f"({', '.join(literal(v) for v in c.vocabulary)})"
        for c in table.columns
        if c.vocabulary is not None
    ]
    lines = []
    for column in table.columns:
        line = f"{ident(column.name)} {column_type(table, column)}"
        if column.required or column.kind == "list":
            line += " NOT NULL"
        lines.append(line)
    lines.append(f"PRIMARY KEY ({', '.join(ident(k) for k in table.primary_key)})")
    lines += [
        f"FOREIGN KEY ({ident(column)}) REFERENCES {ident(target)} ({ident('id')})"
        for column, target in table.references
    ]
    statements.append(f"CREATE TABLE {ident(table.name)} (\n  " + ",\n  ".join(lines) + "\n)")
    return statements


def _comments(table: Table) -> list[tuple[str, str]]:
    """``COMMENT ON`` statements and their text: DuckDB keeps descriptions in its catalog."""
    found = [(f"COMMENT ON TABLE {ident(table.name)} IS ?", table.description)]
    found += [
        (f"COMMENT ON COLUMN {ident(table.name)}.{ident(c.name)} IS ?", c.description)
        for c in table.columns
    ]
    return found


def _insert(db: Any, table: Table, values: list[tuple[Any, ...]]) -> None:
    """Insert every row in one statement: one list parameter per column, unnested side by side.

    Row-by-row ``executemany`` checks keys per row and takes seconds for a few hundred rows.
    """
    if not values:
        return
    columns = [list(column) for column in zip(*values, strict=True)]
    selected = ", ".join(
        f"CAST(unnest(${i + 1}) AS {column_type(table, c)})" for i, c in enumerate(table.columns)
    )
    db.execute(f"INSERT INTO {ident(table.name)} SELECT {selected}", columns)


def build(data: Export, path: Path) -> None:
    """Create the database file at ``path`` (which must not exist)."""
    import duckdb

    db = duckdb.connect(str(path))
    try:
        db.execute(
            f"CREATE TABLE {ident(PACKAGE_TABLE)} (name VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)"
        )
        db.executemany(
            f"INSERT INTO {ident(PACKAGE_TABLE)} VALUES (?, ?)",
            [
                ["name", str(data.descriptor.get("name", ""))],
                ["title", str(data.descriptor.get("title", ""))],
                ["version", data.version],
                ["license", str(data.license.get("name", ""))],
            ],
        )
        for table in data.tables:
            for statement in create_table_sql(table):
                db.execute(statement)
            for statement, text in _comments(table):
                db.execute(statement.replace("?", literal(text)))
            _insert(db, table, data.rows(table))
            for column in table.indexed:
                db.execute(
                    f"CREATE INDEX {ident(f'{table.name}_{column}')} "
                    f"ON {ident(table.name)} ({ident(column)})"
                )
        db.execute(records_view_sql(data.tables))
        db.execute("CHECKPOINT")
    finally:
        db.close()


def write(data: Export, out: Path) -> None:
    """Write the DuckDB database ``out``, atomically."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="irr-export-") as temp:
        built = Path(temp) / "export.duckdb"
        build(data, built)
        write_atomic(out, built.read_bytes())
