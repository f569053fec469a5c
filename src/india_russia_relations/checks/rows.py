"""The checks of one row against its model: cells, the model's rules, canonical and derived values.

A ``RowChecker`` is built once per table from the models' columns, so the per-row work is a
loop over precomputed column facts, pydantic's validation, and a comparison of the few
columns whose text can differ from its canonical form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ..problems import Problem, show
from ..schema.columns import LIST_DELIMITER, Column, columns, derived_cell, format_cell, parse_cell
from ..schema.models import MODELS, Record
from .text import NAMING_COLUMNS, mixed_script_problem, text_problem, unicode_problem


def pydantic_message(error: Any, cells: dict[str, str]) -> tuple[str | None, str]:
    """The field and the message of one pydantic error, worded for a contributor."""
    loc = error.get("loc") or ()
    ctx = error.get("ctx") or {}
    name = str(loc[0]) if loc else ctx.get("field")
    kind = error.get("type")
    value = str(error.get("input", cells.get(name, "") if name else ""))
    if kind == "missing":
        return name, "is required; fill it in"
    if kind == "string_pattern_mismatch":
        hint = ""
        if name and (name == "id" or name.endswith("_id")):
            hint = "; use lowercase ASCII letters and digits joined by hyphens"
        return name, f"{show(value)} does not match the pattern {ctx.get('pattern')}{hint}"
    if kind == "string_too_long":
        limit = ctx.get("max_length")
        return name, f"is {len(value):,} characters long; the maximum is {limit}: shorten it"
    if kind == "string_too_short":
        return name, "is empty; leave the cell empty only where the field is optional"
    if kind == "literal_error":
        return name, f"{show(value)} is not one of: {ctx.get('expected')}"
    if kind in {"greater_than_equal", "less_than_equal"}:
        return name, f"{show(value)} is out of range: {error.get('msg')}"
    return name, str(error.get("msg"))


_REMEMBERED = 65_536
"""How many distinct date cells a checker keeps parsed, so that memory stays bounded."""

_CONTENT = {"string": "text", "list": "list", "partial-date": "date"}
"""The content check of each kind of column; every other kind is "plain"."""

_RISKY_FIRST = frozenset("=+-@ ")
"""First characters that make a printable ASCII cell wrong: a formula start, or a space."""


@dataclass(frozen=True)
class _Cell:
    column: Column
    index: int
    """Position in the row as written (derived columns included when present)."""
    content: str
    """Which content check applies: "text", "list", or "date" and "plain" (no text check)."""
    canonical: bool
    """Whether the written text can differ from the value's canonical text."""


class RowChecker:
    """Checks rows of one table, written with the full header or without the derived columns."""

    def __init__(self, table: str, derived: bool = True) -> None:
        self.table = table
        self.model = MODELS[table]
        self.columns = tuple(c for c in columns(table) if derived or c.derived_from is None)
        self.names = [c.name for c in self.columns]
        self._values = [
            _Cell(
                c,
                i,
                _CONTENT.get(c.kind, "plain"),
                c.kind in ("integer", "number"),
            )
            for i, c in enumerate(self.columns)
            if c.derived_from is None
        ]
        self._derived = [
            (i, c, self.names.index(c.derived_from), c.name.endswith("_earliest"))
            for i, c in enumerate(self.columns)
            if c.derived_from is not None
        ]
        # Dates repeat from row to row: each distinct cell is parsed, and its derived days
        # written, once (the values are immutable, so records may share them).
        self._dates: dict[str, Any] = {}
        self._days: dict[str, tuple[str, str]] = {}

    def check(self, cells: list[str], file: str, line: int) -> tuple[Record | None, list[Problem]]:
        """The row's record (None when it does not parse) and every problem of the row."""
        problems: list[Problem] = []
        values: dict[str, Any] = {}
        unparsed: set[str] = set()
        joined = "".join(cells)
        # Printable ASCII holds no invisible character and needs no NFC check, so for such
        # a row only a formula start or an outer space can be wrong with a text cell.
        plain = joined.isascii() and joined.isprintable()
        for cell in self._values:
            text = cells[cell.index]
            if not text:
                continue
            name = cell.column.name
            message: str | None
            if cell.content == "text":
                if not plain or text[0] in _RISKY_FIRST or text[-1] == " ":
                    message = text_problem(text)
                    if not message and not plain and name in NAMING_COLUMNS:
                        message = mixed_script_problem(text)
                    if message:
                        problems.append(Problem(file, line, name, message))
                values[name] = text
                continue
            if cell.content == "list":
                message = next(
                    (m for item in text.split(LIST_DELIMITER) if (m := text_problem(item))), None
                )
                if not message and not plain and name in NAMING_COLUMNS:
                    message = mixed_script_problem(text)
            else:
                message = None if plain else unicode_problem(text)
            if message:
                problems.append(Problem(file, line, name, message))
            try:
                if cell.content == "date":
                    value = self._dates.get(text)
                    if value is None:
                        value = parse_cell(cell.column, text)
                        if len(self._dates) < _REMEMBERED:
                            self._dates[text] = value
                    values[name] = value
                else:
                    values[name] = parse_cell(cell.column, text)
            except ValueError as err:
                problems.append(Problem(file, line, name, f"{show(text)} {err}"))
                unparsed.add(name)
        try:
            record = self.model.model_validate(values)
        except ValidationError as err:
            row = dict(zip(self.names, cells, strict=True))
            for error in err.errors():
                field, message = pydantic_message(error, row)
                if field not in unparsed:  # a cell that did not parse is reported once, above
                    problems.append(Problem(file, line, field, message))
            return None, problems
        if unparsed:
            return None, problems
        for cell in self._values:
            if cell.canonical:
                written = cells[cell.index]
                canonical = format_cell(cell.column, getattr(record, cell.column.name))
                if written != canonical:
                    problems.append(
                        Problem(
                            file,
                            line,
                            cell.column.name,
                            f"{show(written)} is written {show(canonical)} in canonical form; run `irr fmt`",
                            fixable=True,
                        )
                    )
        for index, column, at, earliest in self._derived:
            written = cells[index]
            canonical = self._derived_cell(column, record, cells[at], earliest)
            if written != canonical:
                problems.append(
                    Problem(
                        file,
                        line,
                        column.name,
                        f"{show(written)} should be {show(canonical)} (derived from {column.derived_from}); run `irr fmt`",
                        fixable=True,
                    )
                )
        return record, problems

    def _derived_cell(self, column: Column, record: Record, text: str, earliest: bool) -> str:
        """The derived column's text: the first or last day its date cell ``text`` can mean."""
        value = self._dates.get(text)
        # A date parsed here from ``text`` and kept by the model is known by its text.
        if value is None or getattr(record, column.derived_from or "") is not value:
            return derived_cell(column, record)
        days = self._days.get(text)
        if days is None:  # at most one entry per remembered date
            days = self._days[text] = (value.earliest.isoformat(), value.latest.isoformat())
        return days[0] if earliest else days[1]
