"""The Parquet export: a directory with one ``TABLE.parquet`` per table, Arrow types from the models.

Dates are ``date32``, lists ``list<string>``, vocabularies dictionary-encoded, nullable
integers stay integers, numbers are ``decimal128``; each field carries its description and
each file its table's description, keys and the package version in the schema metadata.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ...schema.columns import Column
from .typemap import Export, Table, decimal_type, integer_bits


def arrow_type(column: Column) -> Any:
    """The Arrow type of one column."""
    import pyarrow as pa

    if column.vocabulary is not None:
        return pa.dictionary(pa.int8(), pa.string())
    if column.kind == "integer":
        return pa.int32() if integer_bits(column) == 32 else pa.int64()
    if column.kind == "number":
        return pa.decimal128(*decimal_type(column))
    if column.kind == "date":
        return pa.date32()
    if column.kind == "boolean":
        return pa.bool_()
    if column.kind == "list":
        return pa.list_(pa.field("element", pa.string(), nullable=False))
    return pa.string()


def field_metadata(column: Column) -> dict[bytes, bytes]:
    """What a field's Arrow metadata says: its description, and a vocabulary's values and labels."""
    meta = {b"description": column.description.encode("utf-8")}
    if column.vocabulary is not None:
        meta[b"vocabulary"] = json.dumps(column.vocabulary, ensure_ascii=False).encode("utf-8")
    if column.kind == "partial-date":
        meta[b"format"] = b"partial ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD"
    return meta


def arrow_schema(table: Table, version: str) -> Any:
    """The Arrow schema of ``table``, with descriptions and keys in its metadata."""
    import pyarrow as pa

    fields = [
        pa.field(
            c.name,
            arrow_type(c),
            nullable=not (c.required or c.kind == "list"),
            metadata=field_metadata(c),
        )
        for c in table.columns
    ]
    meta = {
        "table": table.name,
        "title": table.title,
        "description": table.description,
        "primary_key": json.dumps(list(table.primary_key)),
        "foreign_keys": json.dumps(
            [
                {"fields": [col], "reference": {"resource": ref, "fields": ["id"]}}
                for col, ref in table.references
            ]
        ),
        "version": version,
    }
    return pa.schema(fields, metadata={k: v.encode("utf-8") for k, v in meta.items()})


def _array(column: Column, values: list[Any], kind: Any) -> Any:
    import pyarrow as pa

    if column.vocabulary is not None:
        levels = list(column.vocabulary)
        indices = pa.array([None if v is None else levels.index(v) for v in values], pa.int8())
        return pa.DictionaryArray.from_arrays(indices, pa.array(levels, pa.string()))
    return pa.array(values, type=kind)


def arrow_table(table: Table, data: Export) -> Any:
    """The records of ``table`` as a ``pyarrow.Table``."""
    import pyarrow as pa

    schema = arrow_schema(table, data.version)
    table_rows = data.rows(table)
    arrays = [
        _array(column, [row[i] for row in table_rows], schema.field(i).type)
        for i, column in enumerate(table.columns)
    ]
    return pa.Table.from_arrays(arrays, schema=schema)


def write(data: Export, out: Path) -> None:
    """Write the new directory ``out`` of Parquet files (``irr export`` builds it in a temporary
    place and then publishes it with its manifest, ``io.outputs``)."""
    import pyarrow.parquet as pq

    out.mkdir(parents=True)
    for table in data.tables:
        pq.write_table(
            arrow_table(table, data),
            out / f"{table.name}.parquet",
            compression="zstd",
            store_schema=True,
        )
