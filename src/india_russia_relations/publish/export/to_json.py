"""The JSON export: one document holding every record with its citations nested, and its JSON Schema.

The JSON Schema is generated from the models (through ``typemap``) and committed as
``schemas/json-export.schema.json``, apart from the Table Schemas of the CSV files.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from ...io.files import write_atomic
from ...schema.columns import LIST_DELIMITER, Column
from ...schema.dates import PATTERN as DATE_PATTERN
from ...schema.descriptor import SEMVER_PATTERN
from .typemap import RECORD_REFERENCE, Export, Table, export_tables, number

SCHEMA_FILE = "json-export.schema.json"
"""The JSON Schema's file name in ``schemas/``."""
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
CITATIONS_KEY = "citations"
"""The key under which each cited record holds its citations."""


def _value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _row(data: Export, table: Table, record: Any) -> dict[str, Any]:
    return {c.name: _value(data.cell(table, c, record)) for c in table.columns}


def document(data: Export) -> dict[str, Any]:
    """The export: package metadata, then each table's rows; citations nest in their record."""
    citing, referring = RECORD_REFERENCE
    by_record: dict[str, list[dict[str, Any]]] = {}
    citation_table = next(t for t in data.tables if t.name == citing)
    for citation in data.records[citing]:
        by_record.setdefault(getattr(citation, referring), []).append(
            _row(data, citation_table, citation)
        )
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in data.tables:
        if table.name == citing:
            continue
        rows = []
        for record in data.records[table.name]:
            row = _row(data, table, record)
            if table.cited:
                row[CITATIONS_KEY] = by_record.get(record.key()[0], [])
            rows.append(row)
        tables[table.name] = rows
    descriptor = data.descriptor
    return {
        "name": descriptor.get("name"),
        "title": descriptor.get("title"),
        "description": descriptor.get("description"),
        "version": data.version,
        "license": data.license,
        "tables": tables,
    }


def dumps(value: Any) -> str:
    """The export's JSON text: UTF-8, two-space indent, keys in column order, final newline."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def write(data: Export, out: Path) -> None:
    """Write the JSON document ``out``, atomically."""
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, dumps(document(data)).encode("utf-8"))


def column_schema(column: Column) -> dict[str, Any]:
    """The JSON Schema of one column's value in the export."""
    schema: dict[str, Any] = {"description": column.description}
    if column.kind == "list":
        item: dict[str, Any] = {
            "type": "string",
            "minLength": 1,
            "pattern": f"^[^{LIST_DELIMITER}]+$",
        }
        if column.max_length is not None:
            item["maxLength"] = column.max_length
        schema.update({"type": "array", "items": item})
        return schema
    kind = {"integer": "integer", "number": "number", "boolean": "boolean"}.get(
        column.kind, "string"
    )
    schema["type"] = kind if column.required else [kind, "null"]
    if column.vocabulary is not None:
        schema["enum"] = list(column.vocabulary) + ([] if column.required else [None])
    if column.kind in ("string", "partial-date"):
        schema["minLength"] = 1
    if column.kind == "string":
        if column.max_length is not None:
            schema["maxLength"] = column.max_length
        if column.pattern is not None:
            schema["pattern"] = column.pattern
    elif column.kind == "partial-date":
        schema["pattern"] = DATE_PATTERN
    elif column.kind == "date":
        schema["format"] = "date"
        schema["pattern"] = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
    if column.minimum is not None:
        schema["minimum"] = column.minimum
    if column.maximum is not None:
        schema["maximum"] = column.maximum
    return schema


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the export document, generated from the models."""
    tables = export_tables()
    citing = RECORD_REFERENCE[0]
    defs: dict[str, Any] = {}
    for table in tables:
        properties = {c.name: column_schema(c) for c in table.columns}
        if table.cited:
            properties[CITATIONS_KEY] = {
                "description": f"Every row of {citing} whose {RECORD_REFERENCE[1]} is this record",
                "type": "array",
                "items": {"$ref": f"#/$defs/{citing}"},
            }
        defs[table.name] = {
            "title": table.title,
            "description": table.description,
            "type": "object",
            "properties": properties,
            "required": list(properties),
            "additionalProperties": False,
        }
    listed = [t.name for t in tables if t.name != citing]
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": "india-russia-relations JSON export",
        "description": (
            "The document written by `irr export --format json`: every table's rows, typed as "
            "in the models, with each cited record's citations nested under 'citations'."
        ),
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "version": {"type": "string", "pattern": SEMVER_PATTERN},
            "license": {"type": "object"},
            "tables": {
                "type": "object",
                "properties": {
                    name: {"type": "array", "items": {"$ref": f"#/$defs/{name}"}} for name in listed
                },
                "required": listed,
                "additionalProperties": False,
            },
        },
        "required": ["name", "title", "description", "version", "license", "tables"],
        "additionalProperties": False,
        "$defs": defs,
    }
