"""Reading one table's CSV file into its models: the loading path every reader shares.

``read_table`` validates every row. ``read_records`` trusts a file whose SHA-256 is the
hash the package's descriptor records for it: that is the file the package was built and
validated with (``irr validate`` checks the hashes), so its cells are only converted to
their types and the models are built without re-validation, in one pass per column (a
large file is split into cells by pyarrow where it is installed, which gives the same cells).
Any other file (edited, or in a package without hashes) is validated row by row.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import DataError
from ..schema.columns import LIST_DELIMITER, Column, columns, header, to_values
from ..schema.dates import PartialDate
from ..schema.descriptor import DESCRIPTOR
from ..schema.models import MODELS, Record
from .files import read_inside


def table_path(directory: Path, table: str) -> Path:
    """Where ``table``'s CSV file is in the package at ``directory``."""
    return directory / "data" / f"{table}.csv"


def read_bytes(directory: Path, table: str) -> bytes:
    """The bytes of ``table``'s CSV file; raise ``DataError`` when it cannot be read."""
    data, why = read_inside(directory, f"data/{table}.csv")
    if data is None:
        raise DataError(f"{table_path(directory, table)}: cannot be read ({why})")
    return data


def recorded_hash(directory: Path, relative: str) -> str | None:
    """The ``sha256:`` hash the descriptor records for ``relative``, or None when it has none."""
    data, _ = read_inside(directory, DESCRIPTOR)
    if data is None:
        return None
    try:
        descriptor = json.loads(data)
        resources = descriptor["resources"]
        found = [r.get("hash") for r in resources if r.get("path") == relative]
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return found[0] if len(found) == 1 and isinstance(found[0], str) else None


def is_recorded(directory: Path, table: str, data: bytes) -> bool:
    """Whether ``data`` is the file the descriptor of the package at ``directory`` pins."""
    expected = recorded_hash(directory, f"data/{table}.csv")
    return expected == f"sha256:{hashlib.sha256(data).hexdigest()}"


def _text(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise DataError(f"{path}: cannot be read ({err}); run `irr validate`") from None


def read_table(directory: Path, table: str) -> list[Record]:
    """Read one table's CSV into models, validating every row; ``DataError`` names the first bad one.

    Inside ``read_once()``, an unchanged file is read only the first time.
    """
    if _shared is None:
        return validated_rows(table_path(directory, table), read_bytes(directory, table), table)
    path = table_path(directory, table)
    try:
        state = path.stat()
        stamp = (state.st_ino, state.st_size, state.st_mtime_ns)
    except OSError:
        stamp = None
    key = (str(path.resolve()), table)
    held = _shared.get(key)
    if held is None or stamp is None or held[0] != stamp:
        rows = validated_rows(path, read_bytes(directory, table), table)
        if stamp is not None:
            _shared[key] = (stamp, rows)
        return list(rows)
    return list(held[1])


_shared: dict[tuple[str, str], tuple[tuple[int, int, int], list[Record]]] | None = None


@contextmanager
def read_once() -> Iterator[None]:
    """Share each table's models among the readers inside the block (the models are frozen).

    ``irr build`` reads every table for the statistics, the codebook and the timeline;
    without this it would parse and validate each file once for each of them.
    """
    global _shared  # noqa: PLW0603 - one build's reads, released when the block ends
    outer = _shared
    _shared = {} if outer is None else outer
    try:
        yield
    finally:
        _shared = outer


def validated_rows(path: Path, data: bytes, table: str) -> list[Record]:
    """Every row of ``data`` (the CSV file at ``path``) validated into its model."""
    with collector_paused():
        return _validated(path, data, table)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many acyclic objects are made.

    Each burst of new models would make it rescan the growing heap again and again for
    nothing: for the 150,000 events of a 1M-row package, building the models took 7.0 s
    with it and 2.0 s without, validating them 4.0 s and 2.9 s.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _validated(path: Path, data: bytes, table: str) -> list[Record]:
    model = MODELS[table]
    reader = csv.reader(io.StringIO(_text(path, data), newline=""))
    expected = header(table)
    try:
        if next(reader, None) != expected:
            raise DataError(f"{path}:1: the header is not {','.join(expected)}; run `irr validate`")
        result: list[Record] = []
        for cells in reader:
            if len(cells) != len(expected):
                raise _row_error(path, reader.line_num, None, "has the wrong number of cells")
            values, errors = to_values(table, dict(zip(expected, cells, strict=True)))
            if errors:
                column, message = next(iter(errors.items()))
                raise _row_error(path, reader.line_num, column, message)
            try:
                result.append(model.model_validate(values))
            except ValidationError as err:
                first = err.errors()[0]
                name = _error_field(first)
                raise _row_error(path, reader.line_num, name, first["msg"]) from None
    except csv.Error as err:
        raise _row_error(path, reader.line_num, None, f"is not valid CSV ({err})") from None
    return result


def _error_field(error: Any) -> str | None:
    context = error.get("ctx") or {}
    if isinstance(context.get("field"), str):
        return str(context["field"])  # a cross-field check names the field to fix
    location = error.get("loc") or ()
    return str(location[0]) if location else None


def _row_error(path: Path, line: int, field: str | None, message: str) -> DataError:
    where = f"{path}:{line}: {field}: " if field else f"{path}:{line}: "
    return DataError(f"{where}{message}; run `irr validate` to see every problem")


def read_records(directory: Path, table: str) -> list[Record]:
    """``table``'s rows as models: built directly from a file the descriptor pins, else validated."""
    path = table_path(directory, table)
    data = read_bytes(directory, table)
    if not is_recorded(directory, table, data):
        return validated_rows(path, data, table)
    return _constructed(path, data, table) or validated_rows(path, data, table)


def _converter(column: Column) -> Callable[[str], Any] | None:
    """How one non-empty cell of ``column`` becomes its value; None for text kept as it is."""
    if column.kind == "integer":
        return int
    if column.kind == "number":
        return Decimal
    if column.kind == "partial-date":
        return PartialDate.parse
    if column.kind == "list":
        return lambda text: tuple(text.split(LIST_DELIMITER))
    return None


def _column_values(cells: Sequence[str], column: Column, default: Any) -> list[Any]:
    convert = _converter(column)
    if convert is None:
        return [cell or default for cell in cells]
    # Dates, numbers and lists repeat: convert each distinct cell once. Every value is
    # immutable, so rows may share one.
    lookup = {cell: convert(cell) for cell in set(cells) if cell}
    lookup[""] = default
    return list(map(lookup.__getitem__, cells))


def _constructed(path: Path, data: bytes, table: str) -> list[Record] | None:
    """The rows as models built without validation, or None when a row does not even parse.

    Builds each model as ``model_construct`` would (its ``__dict__``, the fields set, no
    extra, no private attributes), but column by column instead of field by field.
    """
    with collector_paused():
        return _construct(path, data, table)


ARROW_FROM = 4 * 1024 * 1024
"""From this size on (in bytes), a pinned file is split into cells by pyarrow where it is
installed: several times faster than csv, and importing it costs less than it saves."""


def _cells_by_column(path: Path, data: bytes, table: str) -> list[Sequence[str]] | None:
    """The cells of each column, or None unless the file is its header and rows of its width."""
    names = header(table)
    if len(data) >= ARROW_FROM and _arrow_splits_as_csv(data):
        found = _arrow_columns(data, names)
        if found is not None:
            return found
    reader = csv.reader(io.StringIO(_text(path, data), newline=""))
    try:
        if next(reader, None) != names:
            return None
        rows = list(reader)
    except csv.Error:
        return None
    if any(len(row) != len(names) for row in rows):
        return None
    return list(zip(*rows, strict=True)) if rows else [()]


def _arrow_splits_as_csv(data: bytes) -> bool:
    """Whether pyarrow's reader splits ``data`` into the cells csv's does (or refuses it).

    They differ on blank lines (csv gives an empty row, pyarrow a row of empty cells), on
    CR and on a byte order mark, none of which a canonical file has; with those left to
    csv, they agreed on 200,000 random files of commas, quotes, newlines, tabs and spaces.
    """
    return not (
        data.startswith(b"\xef\xbb\xbf") or b"\n\n" in data or b"\r" in data or b"\0" in data
    )


def _arrow_columns(data: bytes, names: list[str]) -> list[Sequence[str]] | None:
    """The cells of each column as pyarrow reads them, every cell text; None when it cannot."""
    try:
        import pyarrow as pa
        from pyarrow import csv as arrow_csv
    except ImportError:
        return None
    try:
        read = arrow_csv.read_csv(
            pa.py_buffer(data),
            parse_options=arrow_csv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=arrow_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowException:  # not CSV of one width, or not UTF-8: csv decides
        return None
    if read.column_names != names:
        return None
    return [read.column(i).to_pylist() for i in range(len(names))]


def _construct(path: Path, data: bytes, table: str) -> list[Record] | None:
    model = MODELS[table]
    fields = model.model_fields
    if model.__pydantic_post_init__ or any(f.alias for f in fields.values()):
        return None  # model_construct would do more than set the fields: validate instead
    cells_by_column = _cells_by_column(path, data, table)
    if cells_by_column is None:
        return None
    if not cells_by_column[0]:
        return []
    names: list[str] = []
    values: list[list[Any]] = []
    required: list[str] = []
    optional: list[str] = []
    given: list[list[bool]] = []  # per optional column, whether each row has a cell
    try:
        for index, column in enumerate(columns(table)):
            if column.derived_from is not None:
                continue
            info = fields[column.name]
            default = None if info.is_required() else info.get_default(call_default_factory=True)
            cells = cells_by_column[index]
            names.append(column.name)
            values.append(_column_values(cells, column, default))
            if info.is_required():
                required.append(column.name)
            else:
                optional.append(column.name)
                given.append(list(map(bool, cells)))
    except ValueError:
        return None
    # The fields set are the required ones and the optional ones with a cell, as validation
    # would have it; rows share few patterns, so each set is made once and copied.
    sets: dict[tuple[bool, ...], frozenset[str]] = {}
    patterns = zip(*given, strict=True) if given else iter(lambda: (), None)
    new = object.__new__
    set_attribute = object.__setattr__
    result: list[Record] = []
    for row, pattern in zip(zip(*values, strict=True), patterns, strict=False):  # () forever
        fields_set = sets.get(pattern)
        if fields_set is None:
            fields_set = sets[pattern] = frozenset(
                required + [n for n, g in zip(optional, pattern, strict=True) if g]
            )
        record = new(model)
        set_attribute(record, "__dict__", dict(zip(names, row, strict=True)))
        set_attribute(record, "__pydantic_fields_set__", set(fields_set))
        set_attribute(record, "__pydantic_extra__", None)
        set_attribute(record, "__pydantic_private__", None)
        result.append(record)
    return result
