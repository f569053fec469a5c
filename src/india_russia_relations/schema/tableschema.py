"""Table Schema (v2) of each table, generated from the models' columns."""

from __future__ import annotations

from typing import Any

from .columns import LIST_DELIMITER, Column, columns
from .dates import PATTERN as DATE_PATTERN
from .models import MODELS

TABLESCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"


def _xsd_pattern(pattern: str) -> str:
    """Table Schema patterns are XML Schema regexes: implicitly anchored, no ^ or $."""
    return pattern.removeprefix("^").removesuffix("$")


def field_descriptor(column: Column) -> dict[str, Any]:
    """The Table Schema field of one column."""
    field: dict[str, Any] = {"name": column.name, "description": column.description}
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.kind == "string":
        field["type"] = "string"
        if column.max_length is not None:
            constraints["maxLength"] = column.max_length
        if column.pattern is not None:
            constraints["pattern"] = _xsd_pattern(column.pattern)
        if column.vocabulary is not None:
            # Frictionless 5 does not enforce v2 categories, so the enum says it too.
            field["categories"] = [
                {"value": value, "label": label} for value, label in column.vocabulary.items()
            ]
            constraints["enum"] = list(column.vocabulary)
            constraints.setdefault("maxLength", max(len(v) for v in column.vocabulary))
    elif column.kind == "partial-date":
        field["type"] = "string"
        field["format"] = "default"
        constraints["maxLength"] = 10
        constraints["pattern"] = _xsd_pattern(DATE_PATTERN)
        field["description"] += " (partial ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD)"
    elif column.kind == "list":
        field["type"] = "list"
        field["delimiter"] = LIST_DELIMITER
        field["itemType"] = "string"
    elif column.kind == "date":
        field["type"] = "date"
    else:
        field["type"] = column.kind
        if column.kind == "number":
            field["bareNumber"] = True
        if column.minimum is not None:
            constraints["minimum"] = column.minimum
        if column.maximum is not None:
            constraints["maximum"] = column.maximum
    if constraints:
        field["constraints"] = constraints
    return field


def table_schema(table: str) -> dict[str, Any]:
    """The complete Table Schema of ``table``: fields, keys and foreign keys."""
    model = MODELS[table]
    cols = columns(table)
    schema: dict[str, Any] = {
        "$schema": TABLESCHEMA_PROFILE,
        "fields": [field_descriptor(c) for c in cols],
        "missingValues": [""],
        "primaryKey": list(model.primary_key),
    }
    foreign_keys = [
        {"fields": [c.name], "reference": {"resource": c.foreign_key, "fields": ["id"]}}
        for c in cols
        if c.foreign_key is not None
    ]
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema
