"""``docs/codebook.md``: every table and column, with its type in each tool, generated from the models.

``irr build`` writes it and ``irr build --check`` fails when it drifts from the models or
from the example values in the data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ..io.tables import read_table
from ..reports.support import Support, from_tables
from ..schema.columns import LIST_DELIMITER, Column
from ..schema.dates import PATTERN as DATE_PATTERN
from ..schema.models import Record
from .export.typemap import (
    RECORD_REFERENCE,
    RECORDS_VIEW,
    TYPE_NAMES,
    Table,
    cell,
    decimal_type,
    export_tables,
    is_computed,
    records_view,
)

EXAMPLE_LENGTH = 60
TOOLS = {
    "sqlite": "SQLite",
    "duckdb": "DuckDB",
    "arrow": "Parquet / Arrow",
    "json": "JSON",
    "xlsx": "xlsx",
    "pandas": "pandas (`irr.load`)",
    "r": "R (`read_datapackage`)",
}
KIND_NAMES = {
    "string": "text",
    "integer": "integer",
    "number": "decimal number",
    "partial-date": "partial date",
    "date": "date",
    "list": "list of text",
    "boolean": "true or false",
}


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    """``text`` as a Markdown code span, which shows it literally whatever it holds (HTML
    included): fenced by one backtick more than its longest run of them (CommonMark's rule:
    a span ends at a run as long as the one it starts with), and padded with a space where
    it starts or ends with a backtick, or with a space at both ends (one is stripped)."""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = text.startswith("`") or text.endswith("`")
    pad = pad or (text.startswith(" ") and text.endswith(" ") and bool(text.strip(" ")))
    space = " " if pad else ""
    return f"{fence}{space}{text}{space}{fence}"


def _type(column: Column) -> str:
    if column.kind == "number":
        precision, scale = decimal_type(column)
        return f"decimal number ({precision} digits, {scale} after the point)"
    return KIND_NAMES[column.kind]


def _constraints(table: Table, column: Column) -> str:
    found: list[str] = []
    if is_computed(column):
        found.append("in the exports only, computed from `citations`")
    if column.name in table.primary_key:
        found.append("primary key" if len(table.primary_key) == 1 else "part of the primary key")
    if column.foreign_key is not None:
        found.append(f"refers to `{column.foreign_key}.id`")
    if (table.name, column.name) == RECORD_REFERENCE:
        found.append(
            "refers to the `id` of a record of any cited table (checked by `irr validate`)"
        )
    if column.vocabulary is not None:
        found.append("one of the values below")
    if column.kind == "partial-date":
        found.append(f"pattern `{DATE_PATTERN}`, a real calendar date")
    if column.derived_from is not None:
        bound = "first" if column.name.endswith("_earliest") else "last"
        found.append(f"the {bound} day `{column.derived_from}` can mean")
    if column.pattern is not None and column.vocabulary is None:
        found.append(f"pattern `{column.pattern}`")
    if column.max_length is not None and column.vocabulary is None:
        what = "each item at most" if column.kind == "list" else "at most"
        found.append(f"{what} {column.max_length} characters")
    if column.kind == "list":
        found.append(f"items separated by `{LIST_DELIMITER}` in the CSV")
    if column.minimum is not None:
        found.append(f"at least {column.minimum}")
    if column.maximum is not None:
        found.append(f"at most {column.maximum}")
    return "; ".join(found)


def _missing(table: Table, column: Column) -> str:
    if is_computed(column):
        return "never empty"
    if column.kind == "list":
        return "empty cell: no items (an empty list in every export, never NULL)"
    if column.derived_from is not None:
        return f"empty exactly when `{column.derived_from}` is empty"
    if column.required:
        return "never empty"
    if table.cited:
        return "empty (NULL) when no source states it"
    return "empty (NULL) when not known"


def _example(column: Column, records: Sequence[Record], support: dict[str, Support]) -> str:
    for record in records:
        value = cell(column, record, support.get(record.key()[0]))
        if value is None or value == []:
            continue
        text = LIST_DELIMITER.join(value) if isinstance(value, list) else str(value)
        if len(text) > EXAMPLE_LENGTH:
            text = text[: EXAMPLE_LENGTH - 1].rstrip() + "…"
        return _code(_escape(text))
    return "(empty in every row)"


def _table_section(
    table: Table, records: Sequence[Record], support: dict[str, Support]
) -> list[str]:
    lines = [
        f"## `{table.name}`: {table.title}",
        "",
        f"{table.description} {len(records)} rows, in primary-key order.",
        "",
        f"- Primary key: {', '.join(f'`{k}`' for k in table.primary_key)}",
    ]
    if table.references:
        refs = ", ".join(f"`{c}` → `{t}.id`" for c, t in table.references)
        lines.append(f"- Foreign keys: {refs}")
    if table.cited:
        lines.append("- Every row has at least one `supports` citation in `citations`.")
    lines += [
        "",
        "| column | type | description | constraints | when empty | example |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for column in table.columns:
        lines.append(
            f"| `{column.name}` | {_type(column)} | {_escape(column.description)} | "
            f"{_escape(_constraints(table, column))} | {_missing(table, column)} | "
            f"{_example(column, records, support)} |"
        )
    for column in table.columns:
        if column.vocabulary is None:
            continue
        lines += [
            "",
            f"Values of `{table.name}.{column.name}`, in the schema's order (the levels of "
            "factors, categories and ENUMs):",
            "",
            "| value | meaning |",
            "| --- | --- |",
        ]
        lines += [f"| `{v}` | {_escape(label)} |" for v, label in column.vocabulary.items()]
    return [*lines, ""]


def codebook(package: Path, support: dict[str, Support] | None = None) -> str:
    """The codebook of the package at ``package``, as Markdown (``support``: its records'
    support, when already computed)."""
    tables = export_tables()
    kinds = list(TYPE_NAMES)
    lines = [
        "# Codebook",
        "",
        "<!-- generated by `irr build` from the models; do not edit -->",
        "",
        "Every table and column of the data package, generated from the pydantic models in "
        "`src/india_russia_relations/schema/models.py` (the same source as `schemas/*.json`), "
        "with one real value from the data as an example. The exports add to every cited "
        "table the support that `irr.support` computes from its citations.",
        "",
        "## Types in every tool",
        "",
        "Each column has one of these types, and the same type wherever it is loaded:",
        "",
        "| type | " + " | ".join(TOOLS.values()) + " |",
        "| --- | " + " | ".join("---" for _ in TOOLS) + " |",
    ]
    for kind in kinds:
        row = [_escape(TYPE_NAMES[kind][tool]) for tool in TOOLS]
        lines.append(f"| {KIND_NAMES[kind]} | " + " | ".join(row) + " |")
    lines += [
        "",
        'In the CSV files an empty cell is unknown (`missingValues` is `[""]`). Partial dates '
        "are as precise as the source (`1955`, `1955-06`, `1955-06-07`); each is followed by "
        "its derived `_earliest` and `_latest` real dates.",
        "",
    ]
    rows = {table.name: read_table(package, table.name) for table in tables}
    if support is None:
        support = from_tables(rows)  # type: ignore[arg-type]
    for table in tables:
        lines += _table_section(table, rows[table.name], support)
    cited = ", ".join(f"`{t.name}`" for t in tables if t.cited)
    lines += [
        f"## `{RECORDS_VIEW}`: every cited record (SQLite and DuckDB exports)",
        "",
        f"A view uniting {cited}, so that `citations JOIN {RECORDS_VIEW} ON "
        f"{RECORDS_VIEW}.id = citations.record_id` is one step.",
        "",
        "| column | type | description | taken from |",
        "| --- | --- | --- | --- |",
    ]
    for col in records_view(tables):
        sources = "; ".join(f"{t}: `{s}`" for t, s in col.sources.items() if s is not None)
        if col.name == "table":
            sources = "the table's name"
        lines.append(
            f"| `{col.name}` | {KIND_NAMES[col.kind]} | {col.description} | {sources or 'NULL'} |"
        )
    return "\n".join(lines) + "\n"
