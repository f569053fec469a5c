"""The CSV columns of each table, read off the models, and the conversion of cells to values.

Each model field is one column, in model order; each partial-date column ``x`` is followed by
two derived real-date columns ``x_earliest`` and ``x_latest`` for tools without partial dates.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any, Literal

import annotated_types
from pydantic.fields import FieldInfo

from .dates import PartialDate
from .models import MODELS, ForeignKey, Record, Vocabulary

Kind = Literal["string", "integer", "number", "partial-date", "list", "date", "boolean"]
"""A column's type; ``boolean`` only for values the exports compute, never for a CSV column."""

LIST_DELIMITER = ";"
_INTEGER = re.compile(r"^-?[0-9]+$")
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_MAX_DIGITS = 18
"""Longer integers are refused before conversion (Python itself refuses over 4,300 digits)."""


@dataclass(frozen=True)
class Column:
    """One CSV column: its name, type and constraints, as the model declares them."""

    name: str
    kind: Kind
    description: str
    required: bool
    max_length: int | None = None
    pattern: str | None = None
    vocabulary: dict[str, str] | None = None
    foreign_key: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    derived_from: str | None = None
    """For a derived date column, the partial-date column it is computed from."""
    max_digits: int | None = None
    decimal_places: int | None = None
    """For a number column, its precision and scale (what DECIMAL(p, s) types need)."""


def _unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def _metadata(annotation: Any, info: FieldInfo) -> list[Any]:
    found: list[Any] = list(info.metadata)
    while typing.get_origin(annotation) is typing.Annotated:
        found.extend(annotation.__metadata__)
        annotation = typing.get_args(annotation)[0]
    return found


def _strip_annotated(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _column(name: str, info: FieldInfo) -> Column:
    base, optional = _unwrap_optional(info.annotation)
    meta = _metadata(base, info)
    base = _strip_annotated(base)
    kind: Kind
    max_length = pattern = vocabulary = foreign_key = minimum = maximum = None
    max_digits = decimal_places = None
    if typing.get_origin(base) is tuple:
        kind = "list"
        item = typing.get_args(base)[0]
        for m in _metadata(item, FieldInfo()):
            if isinstance(m, annotated_types.MaxLen):
                max_length = m.max_length
    elif base is PartialDate:
        kind = "partial-date"
    elif base is int:
        kind = "integer"
    elif base is Decimal:
        kind = "number"
    elif base is str or typing.get_origin(base) is Literal:
        kind = "string"
        if typing.get_origin(base) is Literal:
            values = [str(v) for v in typing.get_args(base)]
            labels = next((m.labels for m in meta if isinstance(m, Vocabulary)), {})
            if sorted(labels) != sorted(values):
                raise TypeError(f"{name}: vocabulary labels do not match the Literal values")
            vocabulary = {v: labels[v] for v in values}
    else:  # pragma: no cover - a model author's mistake, caught at import in tests
        raise TypeError(f"{name}: unsupported column type {base!r}")
    for m in meta:
        if isinstance(m, annotated_types.MaxLen) and kind != "list":
            max_length = m.max_length
        elif isinstance(m, ForeignKey):
            foreign_key = m.table
        elif isinstance(m, annotated_types.Ge):
            minimum = int(m.ge)  # type: ignore[call-overload]
        elif isinstance(m, annotated_types.Le):
            maximum = int(m.le)  # type: ignore[call-overload]
        elif hasattr(m, "pattern") and isinstance(m.pattern, str):
            pattern = m.pattern
        if getattr(m, "max_digits", None) is not None:
            max_digits = m.max_digits
        if getattr(m, "decimal_places", None) is not None:
            decimal_places = m.decimal_places
    if kind == "number" and (max_digits is None or decimal_places is None):
        raise TypeError(f"{name}: a number column needs max_digits and decimal_places")
    if kind == "list" and optional:  # pragma: no cover - lists are never optional
        raise TypeError(f"{name}: a list column is empty, not None")
    return Column(
        name=name,
        kind=kind,
        description=info.description or "",
        required=info.is_required(),
        max_length=max_length,
        pattern=pattern,
        vocabulary=vocabulary,
        foreign_key=foreign_key,
        minimum=minimum,
        maximum=maximum,
        max_digits=max_digits,
        decimal_places=decimal_places,
    )


@cache
def columns(table: str) -> tuple[Column, ...]:
    """The columns of ``table``, in file order, derived date columns included."""
    model = MODELS[table]
    result: list[Column] = []
    for name, info in model.model_fields.items():
        column = _column(name, info)
        result.append(column)
        if column.kind == "partial-date":
            for bound in ("earliest", "latest"):
                result.append(
                    Column(
                        name=f"{name}_{bound}",
                        kind="date",
                        description=f"The {bound} day {name} can mean (derived by irr fmt)",
                        required=column.required,
                        derived_from=name,
                    )
                )
    return tuple(result)


def header(table: str) -> list[str]:
    """The header row of ``table``'s CSV file."""
    return [c.name for c in columns(table)]


def parse_cell(column: Column, text: str) -> Any:
    """Turn one non-empty CSV cell into the value its model field takes.

    Raises ``ValueError`` with a message that says what the cell should look like.
    """
    if column.kind == "integer":
        if not _INTEGER.match(text):
            raise ValueError("is not a whole number (digits only, such as 20)")
        if len(text.lstrip("-")) > _MAX_DIGITS:
            bound = f"; the largest allowed is {column.maximum}" if column.maximum else ""
            raise ValueError(f"has {len(text.lstrip('-')):,} digits, far out of range{bound}")
        return int(text)
    if column.kind == "number":
        if not _NUMBER.match(text):
            raise ValueError("is not a plain decimal number (such as 5000000000 or 10.11)")
        return Decimal(text)
    if column.kind == "partial-date":
        return PartialDate.parse(text)
    if column.kind == "list":
        return tuple(text.split(LIST_DELIMITER))
    return text


def format_cell(column: Column, value: Any) -> str:
    """The canonical text of one value (empty for None and empty lists)."""
    if value is None:
        return ""
    if column.kind == "list":
        return LIST_DELIMITER.join(value)
    if isinstance(value, Decimal):
        return format(value, "f")  # str() writes 1E-7 and 0E-8, which no cell may hold
    return str(value)


def to_values(table: str, cells: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Convert a row's cells to model input; return the values and per-column errors."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for column in columns(table):
        if column.derived_from is not None:
            continue
        text = cells.get(column.name, "")
        if text == "":
            continue
        try:
            values[column.name] = parse_cell(column, text)
        except ValueError as err:
            errors[column.name] = str(err)
    return values, errors


def derived_cell(column: Column, record: Record) -> str:
    """The text of a derived date column for ``record``."""
    assert column.derived_from is not None
    source: PartialDate | None = getattr(record, column.derived_from)
    if source is None:
        return ""
    day: dt.date = source.earliest if column.name.endswith("_earliest") else source.latest
    return day.isoformat()


def to_cells(record: Record) -> list[str]:
    """Serialize ``record`` to its canonical CSV row, derived columns included."""
    cells: list[str] = []
    for column in columns(record.table):
        if column.derived_from is not None:
            cells.append(derived_cell(column, record))
        else:
            cells.append(format_cell(column, getattr(record, column.name)))
    return cells
