"""Checking a large table in bulk with pyarrow, so that only the rows it cannot clear are
checked one by one.

Where pyarrow is installed and a table's file is large, the file is read in blocks of whole
rows. Each block must be exactly the canonical CSV of the cells pyarrow reads from it (the
text is rebuilt from the cells and compared byte for byte), or the whole table is left to
``tables.check_table``, which then reports what is wrong with its form. A row is *cleared*
when every cell passes bulk checks read off the models' columns (printable ASCII, no formula
start or outer space, pattern, length, vocabulary, range, canonical number, a real date and
its derived days) and no cross-field rule of its model can fail; a cleared row is one the
row checks find nothing wrong with. Every other row goes through ``RowChecker``, so its
problems are the row checks' own, and every row's keys go through the same ``_RowKeys``.
"""

from __future__ import annotations

import hashlib
import importlib
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import annotated_types

from ..io.csvfile import FIELD_LIMIT, MAX_LINE
from ..io.files import open_inside
from ..problems import Problems
from ..schema.columns import LIST_DELIMITER, Column, columns, header
from ..schema.dates import PartialDate, days_in_month
from ..schema.models import MODELS, TABLES
from .provenance import Quotes
from .rows import RowChecker
from .tables import CITED_BITS, CITED_TABLES, TABLE_BIT, Keys, Report, _RowKeys
from .text import NAMING_COLUMNS, mixed_script_problem, text_problem

if TYPE_CHECKING:
    import numpy as np

COLUMNAR_FROM = 4 * 1024 * 1024
"""From this size of a package's table files together on (in bytes), its tables are checked
in bulk where pyarrow is installed; below it, starting pyarrow costs more than it saves."""
TABLE_FROM = 64 * 1024
"""In such a package, the tables whose files are at least this large (or ``COLUMNAR_FROM``,
if smaller) are checked in bulk: once pyarrow is started, the bulk checks of a table cost
less than its row checks from about this size on."""
BLOCK = 4 * 1024 * 1024
"""How many bytes of rows are read and checked at a time."""
GATHER_BLOCK = 2 * 1024 * 1024
"""How many bytes of citations are read at a time for their quotes alone."""
_MOST_BLOCK = 64 * 1024 * 1024
"""A run of rows with no row boundary in this many bytes is left to the row checks."""

_RISKY_START = b"=+-@ "
"""A formula start or a leading space: with a trailing space, what ``text_problem`` reports
in printable ASCII."""
_CONTROL = r"[\x00-\x1f\x7f]"
"""An ASCII control character, which ``unicode_problem`` reports."""
_NEEDS_QUOTES = '[",\n]'


class _RefusedError(Exception):
    """The file is not one the bulk checks can vouch for; the row checks read it instead."""


def available() -> bool:
    """Whether pyarrow can be imported."""
    try:
        for name in ("pyarrow.compute", "pyarrow.csv", "numpy"):
            importlib.import_module(name)
    except ImportError:
        return False
    return True


def chosen(sizes: dict[str, int]) -> frozenset[str]:
    """The tables checked in bulk, by the sizes of their files in bytes.

    When there are any, what the bulk checks use is imported now, so that a process forked
    later has it too.
    """
    if sum(sizes.values()) < COLUMNAR_FROM or not available():
        return frozenset()
    import pyarrow as pa

    pa.array([""], pa.string())  # the first conversion imports pandas, where installed
    return frozenset(t for t, size in sizes.items() if size >= min(TABLE_FROM, COLUMNAR_FROM))


# A model's cross-field rules, by validator name: which rows the rule might refuse. A model
# with a validator not named here is never checked in bulk.
def _before(start: str, end: str) -> Callable[[dict[str, Any]], Any]:
    def rows(cells: dict[str, Any]) -> Any:
        import pyarrow.compute as pc

        # ``ends_before_start``: the end's latest day precedes the start's earliest (ISO
        # days compare as text); an empty end or start is "" and never less.
        late, early = cells[f"{end}_latest"], cells[f"{start}_earliest"]
        return pc.and_(_filled(late), pc.less(late, early))

    return rows


def _together(first: str, second: str) -> Callable[[dict[str, Any]], Any]:
    def rows(cells: dict[str, Any]) -> Any:
        import pyarrow.compute as pc

        return pc.not_equal(_filled(cells[first]), _filled(cells[second]))

    return rows


def _contradicting(cells: dict[str, Any]) -> Any:
    import pyarrow.compute as pc

    lacking = pc.or_(_empty(cells["field"]), _empty(cells["claimed_value"]))
    lacking = pc.or_(lacking, _empty(cells["note"]))
    return pc.and_(pc.equal(cells["stance"], "contradicts"), lacking)


_RULES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "_end_not_before_start": _before("start", "end"),
    "_died_not_before_born": _before("born", "died"),
    "_currency_with_amount": _together("value_amount", "value_currency"),
    "_unit_with_amount": _together("value_amount", "value_unit"),
    "_contradiction_is_explicit": _contradicting,
}


def rules(table: str) -> list[Callable[[dict[str, Any]], Any]] | None:
    """The suspect-row tests of ``table``'s cross-field rules; None when one is unknown here."""
    decorators = MODELS[table].__pydantic_decorators__
    if decorators.field_validators or decorators.field_serializers:
        return None
    found = []
    for name in decorators.model_validators:
        if name not in _RULES:
            return None
        found.append(_RULES[name])
    return found


@cache
def _cell_pattern(table: str, name: str) -> str | None:
    """A pattern that a non-empty printable-ASCII cell of the column matching it surely passes."""
    column = next(c for c in columns(table) if c.name == name)
    if column.kind == "integer":
        return r"^(?:0|-?[1-9][0-9]{0,17})$"
    if column.kind == "number":
        assert column.max_digits is not None and column.decimal_places is not None
        whole = column.max_digits - column.decimal_places
        # No trailing zero after the point, no leading zero, no "-0": forms whose canonical
        # text might differ are left to the row checks.
        fraction = f"(?:\\.[0-9]{{0,{column.decimal_places - 1}}}[1-9])?"
        sign = "" if column.minimum is not None and column.minimum >= 0 else "-?"
        return f"^(?:0|{sign}[1-9][0-9]{{0,{whole - 1}}}){fraction}$"
    if column.kind == "list":
        longest = _item_max_length(table, name)
        if longest is None or longest < 2:
            return _NEVER
        item = f"[^;=+\\-@ ](?:[^;]{{0,{longest - 2}}}[^; ])?"
        return f"^{item}(?:;{item})*$"
    return column.pattern


_NEVER = "^$"
"""Matches no non-empty cell: such cells are left to the row checks."""


def _item_max_length(table: str, name: str) -> int | None:
    """The longest item of a list column, as its model's item type declares it."""
    annotation = MODELS[table].model_fields[name].annotation
    for item in typing.get_args(annotation)[:1]:
        for meta in getattr(item, "__metadata__", ()):
            for constraint in getattr(meta, "metadata", [meta]):
                if isinstance(constraint, annotated_types.MaxLen):
                    return int(constraint.max_length)
    return None


def cleared(
    table: str,
    cells: dict[str, Any],
    rules: list[Callable[[dict[str, Any]], Any]],
    *,
    control_free: bool = False,
) -> Any:
    """Which rows of the columns ``cells`` (pyarrow string arrays by column name) are cleared.

    ``control_free`` says that no cell holds an ASCII control character, when known.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    ok: Any = None
    for column in columns(table):
        array = cells[column.name]
        safe = _safe(column, array, control_free)
        ok = safe if ok is None else pc.and_(ok, safe)
        if column.derived_from is not None:
            continue
        if column.kind == "partial-date":
            ok = pc.and_(ok, _dates_cleared(column, array, cells))
            continue
        good = pa.scalar(True)
        if column.kind == "string":
            good = pa.array(~_risky(array))
            if column.vocabulary is not None:
                good = pc.and_(good, pc.is_in(array, pa.array(list(column.vocabulary))))
            if column.max_length is not None:
                good = pc.and_(good, pc.less_equal(pc.utf8_length(array), column.max_length))
        pattern = _cell_pattern(table, column.name)
        if pattern is not None:
            good = pc.and_(good, pc.match_substring_regex(array, pattern))
        if column.kind == "number" and (column.maximum is not None or (column.minimum or 0) < 0):
            good = pa.scalar(False)  # no such bound today: leave it to the row checks
        if column.kind == "integer" and (column.minimum is not None or column.maximum is not None):
            numbers = pc.cast(pc.if_else(good, array, "0"), pa.int64())
            if column.minimum is not None:
                good = pc.and_(good, pc.greater_equal(numbers, column.minimum))
            if column.maximum is not None:
                good = pc.and_(good, pc.less_equal(numbers, column.maximum))
        # An empty cell is fine where the field is optional (it is left out, so None).
        ok = pc.and_(ok, pc.if_else(_empty(array), pa.scalar(not column.required), good))
    for suspect in rules:
        ok = pc.and_(ok, pc.invert(suspect(cells)))
    return ok


def _empty(array: Any) -> Any:
    """Which cells are empty (by their length: cheaper than comparing text)."""
    import pyarrow.compute as pc

    return pc.equal(pc.binary_length(array), 0)


def _filled(array: Any) -> Any:
    import pyarrow.compute as pc

    return pc.greater(pc.binary_length(array), 0)


def _safe(column: Column, array: Any, control_free: bool) -> Any:
    """Cells that hold no control or invisible character, are NFC and, for text and list
    items, start with no formula character and have no outer space.

    Printable ASCII needs no more look than ``_RISKY_START``'s (applied to text cells by the
    caller); each distinct other cell is judged by ``text_problem`` itself.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    ascii_ = pc.string_is_ascii(array)
    fine = pa.scalar(True) if control_free else pc.invert(pc.match_substring_regex(array, _CONTROL))
    if pc.all(ascii_).as_py():
        return fine
    distinct = pc.unique(pc.filter(array, pc.invert(ascii_)))
    kind = column.kind if column.derived_from is None else "date"
    naming = column.name in NAMING_COLUMNS
    verdicts = pa.array([_fine_beyond_ascii(kind, text, naming) for text in distinct.to_pylist()])
    beyond = pc.take(verdicts, pc.index_in(array, value_set=distinct))
    return pc.if_else(ascii_, fine, beyond)


def _fine_beyond_ascii(kind: str, text: str, naming: bool) -> bool:
    if naming and mixed_script_problem(text) is not None:
        return False  # as the row checks do for a column records are named by
    if kind == "string":
        return text_problem(text) is None
    if kind == "list":
        return all(text_problem(item) is None for item in text.split(LIST_DELIMITER))
    return False  # no pattern of such a column admits more than ASCII: the row checks say why


def _dates_cleared(column: Column, array: Any, cells: dict[str, Any]) -> Any:
    """Rows whose date cell is a real partial date (or an allowed empty cell) and whose
    derived columns hold its first and last day. Dates to the day are judged by their
    digits, at once; each distinct other cell is parsed once."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    earliest, latest = cells[f"{column.name}_earliest"], cells[f"{column.name}_latest"]
    full = pc.match_substring_regex(array, _FULL_DATE).to_numpy(zero_copy_only=False)
    ok = np.zeros(len(array), dtype=bool)
    if full.any():
        at = pa.array(np.flatnonzero(full))
        days = pc.take(array, at)
        ok[full] = _real_days(days) & pc.and_(
            pc.equal(pc.take(earliest, at), days), pc.equal(pc.take(latest, at), days)
        ).to_numpy(zero_copy_only=False)
    if not full.all():
        at = pa.array(np.flatnonzero(~full))
        rest = [pc.take(a, at) for a in (array, earliest, latest)]
        ok[~full] = _partial_dates_cleared(column, *rest).to_numpy(zero_copy_only=False)
    return pa.array(ok)


_FULL_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _real_days(days: Any) -> Any:
    """Which ``YYYY-MM-DD`` cells are days of the calendar ``PartialDate`` accepts."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    def part(start: int, length: int) -> Any:
        digits = pc.utf8_slice_codeunits(days, start, start + length)
        return pc.cast(digits, pa.int64()).to_numpy(zero_copy_only=False)

    year, month, day = part(0, 4), part(5, 2), part(8, 2)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    real_month = (month >= 1) & (month <= 12)
    ordinary = np.array([0, *(days_in_month(1, m) for m in range(1, 13))])  # 1 is no leap year
    longest = ordinary[np.where(real_month, month, 0)] + (leap & (month == 2))
    return (year >= 1) & real_month & (day >= 1) & (day <= longest)


def _partial_dates_cleared(column: Column, array: Any, earliest: Any, latest: Any) -> Any:
    """``_dates_cleared`` of cells and their derived cells, parsing each distinct cell once."""
    import pyarrow as pa
    import pyarrow.compute as pc

    distinct = pc.unique(array)
    valid, first, last = [], [], []
    for text in distinct.to_pylist():
        if text == "":
            valid.append(not column.required)
            first.append("")
            last.append("")
            continue
        try:
            date = PartialDate.parse(text)
        except ValueError:
            valid.append(False)
            first.append("")
            last.append("")
            continue
        valid.append(True)
        first.append(date.earliest.isoformat())
        last.append(date.latest.isoformat())
    at = pc.index_in(array, value_set=distinct)
    ok = pc.take(pa.array(valid, pa.bool_()), at)
    ok = pc.and_(ok, pc.equal(earliest, pc.take(pa.array(first, pa.string()), at)))
    return pc.and_(ok, pc.equal(latest, pc.take(pa.array(last, pa.string()), at)))


@dataclass
class _Block:
    """One block of rows as pyarrow read it, with each row's first physical line."""

    cells: dict[str, Any]
    lines: np.ndarray[Any, Any]
    size: int
    control_free: bool
    """No cell holds an ASCII control character."""


def _row_blocks(handle: Any, head: bytes, digest: Any | None, size: int) -> Iterator[bytes]:
    """The file's bytes after ``head`` in runs of whole rows, each ending with a newline,
    all of them hashed by ``digest`` when one is given.

    A newline ends a row where an even number of quotes precede it in the run: true of a
    canonical file, and the rebuilt text of each run checks it.
    """
    first = handle.read(len(head))
    if digest is not None:
        digest.update(first)
    if first != head:
        raise _RefusedError
    pending = b""
    while True:
        chunk = handle.read(size)
        if digest is not None:
            digest.update(chunk)
        data = pending + chunk if pending else chunk
        if not chunk:
            if data:
                raise _RefusedError  # no final newline
            return
        cut = data.rfind(b"\n") + 1
        quotes = data.count(b'"', 0, cut)
        while cut and quotes % 2:
            previous = data.rfind(b"\n", 0, cut - 1) + 1
            quotes -= data.count(b'"', previous, cut)
            cut = previous
        if not cut:
            if len(data) > _MOST_BLOCK:
                raise _RefusedError
            pending = data
            continue
        pending = data[cut:]
        yield data[:cut]


def _blank_row(data: bytes) -> bool:
    """Whether a run of whole rows holds a blank line that is not inside a quoted cell."""
    if data.startswith(b"\n"):
        return True
    quotes, counted = 0, 0
    at = data.find(b"\n\n")
    while at >= 0:
        quotes += data.count(b'"', counted, at)
        if quotes % 2 == 0:
            return True
        counted = at
        at = data.find(b"\n\n", at + 2)  # the next newline of this run is as quoted
    return False


def _parse(data: bytes, names: list[str], only: list[str] | None = None) -> dict[str, Any]:
    """The cells of a run of rows, by column (those named ``only``, if given), as pyarrow
    splits them; every row must have a cell for each of ``names``."""
    import pyarrow as pa
    from pyarrow import csv as arrow_csv

    if b"\r" in data or b"\x00" in data:
        raise _RefusedError  # line endings and NULs are the reader's to report
    if _blank_row(data):
        # The reader's to report: pyarrow would read each blank line as a row of empty
        # cells, at great cost for a flood of them.
        raise _RefusedError
    try:
        read = arrow_csv.read_csv(
            pa.py_buffer(data),
            read_options=arrow_csv.ReadOptions(
                column_names=names, use_threads=False, block_size=len(data) + 1
            ),
            parse_options=arrow_csv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=arrow_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                include_columns=names if only is None else only,
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowException, ValueError) as err:
        raise _RefusedError from err
    return {name: read.column(name).combine_chunks() for name in read.column_names}


def _first_lines(first_line: int, inner: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Each row's first line, from the line breaks inside each row (``inner``)."""
    import numpy as np

    lines = first_line + np.arange(len(inner), dtype=np.int64)
    if inner.any():
        lines[1:] += np.cumsum(inner)[:-1]
    return lines


def _cell_bytes(array: Any) -> tuple[Any, Any] | None:
    """The bytes of a string array's cells and where each cell starts and ends in them (two
    numpy arrays), or None when no cell holds a byte."""
    import numpy as np
    import pyarrow as pa

    if array.type != pa.string():  # the offsets below are 32 bits
        array = array.cast(pa.string())
    _, offsets, chars = array.buffers()
    if chars is None or not len(array):
        return None
    bounds = np.frombuffer(offsets, dtype=np.int32)[array.offset : array.offset + len(array) + 1]
    if bounds[-1] == bounds[0]:
        return None
    return np.frombuffer(chars, dtype=np.uint8), bounds


def _risky(array: Any) -> Any:
    """Which cells of a string array start with a byte of ``_RISKY_START`` or end with a
    space, read off the bytes of all cells at once (a numpy array)."""
    import numpy as np

    found = _cell_bytes(array)
    if found is None:
        return np.zeros(len(array), dtype=bool)
    data, bounds = found
    filled = bounds[1:] > bounds[:-1]
    first = data[np.where(filled, bounds[:-1], 0)]
    last = data[np.where(filled, bounds[1:] - 1, 0)]
    starts = np.isin(first, np.frombuffer(_RISKY_START, dtype=np.uint8))
    return filled & (starts | (last == ord(" ")))


def _may_need_quotes(array: Any) -> bool:
    """False when no cell of a string array holds a character that CSV must quote: one look
    at the bytes of all its cells, which costs far less than looking at each cell."""
    found = _cell_bytes(array)
    if found is None:
        return False
    data, bounds = found
    held = data[int(bounds[0]) : int(bounds[-1])].tobytes()
    return b'"' in held or b"," in held or b"\n" in held


def _read_block(data: bytes, names: list[str], first_line: int) -> _Block:
    """Split a run of rows into cells, and prove that it is their canonical CSV text."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    cells = _parse(data, names)
    written = []
    for name in names:
        array = cells[name]
        if pc.max(pc.binary_length(array)).as_py() > FIELD_LIMIT:
            raise _RefusedError  # the reader reports the cell as over its limit
        if not _may_need_quotes(array):
            written.append(array)
            continue
        quoted = pc.match_substring_regex(array, _NEEDS_QUOTES)
        if pc.any(quoted).as_py():
            wrapped = pc.binary_join_element_wise(
                '"', pc.replace_substring(array, '"', '""'), '"', ""
            )
            array = pc.if_else(quoted, wrapped, array)
        written.append(array)
    rows = pc.binary_join_element_wise(*written, ",")
    if pc.max(pc.binary_length(rows)).as_py() >= MAX_LINE:
        raise _RefusedError
    text = pc.binary_join(
        pa.ListArray.from_arrays(pa.array([0, len(rows)], pa.int32()), rows), "\n"
    )
    if text[0].as_buffer() != pa.py_buffer(data)[:-1]:
        raise _RefusedError  # not canonical: the reader says how
    newlines = data.count(b"\n")
    breaks = newlines - len(rows)  # the line breaks inside cells
    if breaks:
        inner = pc.count_substring(rows, "\n").to_numpy()
    else:
        inner = np.zeros(len(rows), dtype=np.int64)
    # Without line breaks inside cells, every byte below 32 but the rows' newlines, and
    # DEL, is a control character in a cell.
    below = np.count_nonzero(np.frombuffer(data, dtype=np.uint8) < 32)
    free = not breaks and below == newlines and b"\x7f" not in data
    return _Block(cells, _first_lines(first_line, inner), len(rows) + breaks, free)


def check_file(
    table: str, root: Path, relative: str, file: str, *, report: Report, keys: Keys
) -> tuple[int, str] | None:
    """Check ``table``'s file in bulk, as ``check_table`` would; return its size and SHA-256.

    Returns None, having changed nothing, when the file is not one it can vouch for.
    """
    suspects = rules(table)
    if suspects is None or table == "sources":  # sources' records are kept: row checks
        return None
    handle, _ = open_inside(root, relative)
    if handle is None:
        return None
    quotes = {k: (v[0][:], v[1][:]) for k, v in keys.quotes.items()}
    bulk = _Bulk(table, file, keys, suspects)
    try:
        with handle:
            size = bulk.read(handle)
    except (_RefusedError, OSError):
        bulk.restore()
        keys.quotes.clear()
        keys.quotes.update(quotes)
        return None
    finally:
        _release()
    report.rows[table] = bulk.rows
    report.records[table] = bulk.records
    if any(not p.fixable for p in bulk.problems):
        report.unformattable.add(file)
    report.problems.extend(bulk.problems)
    report.problems.extend(bulk.cross)
    return size, bulk.digest.hexdigest()


class _Bulk:
    """The bulk checks of one table's file, with what they found so far."""

    def __init__(
        self, table: str, file: str, keys: Keys, suspects: list[Callable[[dict[str, Any]], Any]]
    ) -> None:
        self.table, self.file, self.suspects = table, file, suspects
        self.names = header(table)
        self.checker = RowChecker(table)
        self.key_names = _key_columns(table)
        self.problems = Problems()
        self.cross = Problems()
        self.registry = keys
        self.keys = _RowKeys(
            table, self.key_names, keys, file, problems=self.problems, cross=self.cross
        )
        self._holders: dict[str, Any] = {}
        self.digest = hashlib.sha256()
        self.rows = self.records = 0
        # No table is read after the last one, so no later check needs its ids: they are
        # kept compactly, and put into the keys only if a block must be checked row by row.
        self.deferred: list[tuple[Any, Any]] | None = [] if table == TABLES[-1] else None
        # To put the keys back if the file is refused: the ids added in bulk, or (once a
        # block is checked row by row) a copy of the keys as they were before this table.
        self.added: list[list[str]] = []
        self.before: dict[str, int] | None = None

    def read(self, handle: Any) -> int:
        """Check every row of the open file; return its size in bytes."""
        head = (",".join(self.names) + "\n").encode()
        line, size = 2, len(head)
        for data in _row_blocks(handle, head, self.digest, BLOCK):
            size += len(data)
            block = _read_block(data, self.names, line)
            line += block.size
            self._check(block)
        if not self.rows:
            raise _RefusedError  # the row checks report a header with no rows
        return size

    def _check(self, block: _Block) -> None:
        import pyarrow.compute as pc

        count = len(block.lines)
        self.rows += count
        self.records += count
        ok = cleared(self.table, block.cells, self.suspects, control_free=block.control_free)
        failed = pc.invert(ok)
        if pc.any(failed).as_py():
            at = pc.indices_nonzero(failed)
            values = [block.cells[n].take(at).to_pylist() for n in self.names]
            for index, cells in zip(at.to_pylist(), zip(*values, strict=True), strict=True):
                record, problems = self.checker.check(
                    list(cells), self.file, int(block.lines[index])
                )
                self.problems.extend(problems)
                if record is None:
                    self.records -= 1
        if self._keys_in_bulk(block):
            return
        self._undefer()
        values = [block.cells[n].to_pylist() for n in self.key_names]
        check = self.keys.check
        for number, cells in zip(block.lines.tolist(), zip(*values, strict=True), strict=True):
            check(number, cells)

    def _keys_in_bulk(self, block: _Block) -> bool:
        """Check the block's keys at once and keep them, when none of its rows can have a
        problem of keys; otherwise change nothing, and say so (each row is then checked)."""
        import pyarrow.compute as pc

        rows, registry, cells = self.keys, self.registry, block.cells
        key = [cells[name] for name in rows.primary_key]
        if not all(pc.all(_filled(array)).as_py() for array in key):
            return False
        first = tuple(array[0].as_py() for array in key)
        if not _increasing(key) or (rows.previous is not None and not first > rows.previous):
            return False
        for _, name, target, _ in rows.refs:
            column = cells[name]
            found = pc.or_(_empty(column), pc.is_in(column, value_set=self._held(target)))
            if not pc.all(found).as_py():
                return False
        citing = rows.citation is not None
        if citing and not self._citations_hold(cells):
            return False
        lines = block.lines.tolist()
        if rows.has_id:
            rids = cells["id"].to_pylist()
            if not registry.fresh(rids):
                return False
            if self.deferred is not None:
                self.deferred.append((cells["id"], block.lines))  # both compact
            else:
                registry.add_rows(self.table, rids, lines)
                self.added.append(rids)
        else:
            tuples = zip(*(array.to_pylist() for array in key), strict=True)
            rows.seen.update(zip(tuples, lines, strict=True))
        rows.previous = tuple(array[-1].as_py() for array in key)
        if citing:
            supports = pc.filter(cells["record_id"], pc.equal(cells["stance"], "supports"))
            registry.support_all(pc.unique(supports).to_pylist())
            if not registry.quotes_elsewhere:
                want = registry.want_quote
                # A quote that repeats in the block is kept as one string.
                encoded = pc.dictionary_encode(cells["quote"])
                texts = encoded.dictionary.to_pylist()
                quotes = list(map(texts.__getitem__, encoded.indices.to_numpy().tolist()))
                sources = cells["source_id"].to_pylist()
                for line, source, quote in zip(lines, sources, quotes, strict=True):
                    want(source, line, quote)
        return True

    def _undefer(self) -> None:
        """Before a block's keys are checked row by row: keep what restoring the keys needs
        (row by row, any id may change), and keep the ids deferred so far."""
        if self.before is None:
            self.before = dict(self.registry.ids)
            for rids in self.added:
                for rid in rids:
                    del self.before[rid]
        for rids, lines in self.deferred or ():
            self.registry.add_rows(self.table, rids.to_pylist(), lines.tolist())
        self.deferred = None

    def restore(self) -> None:
        """Put the ids back as they were before this table. Marks of support may stay:
        they are for rows read again alike, which set them again."""
        if self.before is not None:  # which holds none of the ids added since
            self.registry.ids.clear()
            self.registry.ids.update(self.before)
            return
        for rids in self.added:
            for rid in rids:
                del self.registry.ids[rid]

    def _citations_hold(self, cells: dict[str, Any]) -> bool:
        """Whether every citation cites a record, and a field of it where it names one."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        bits = np.array(self.registry.tables_of(cells["record_id"].to_pylist()), dtype=np.int64)
        if not (bits & CITED_BITS).all():
            return False
        field = cells["field"]
        fitting = _empty(field).to_numpy(zero_copy_only=False)
        for table in CITED_TABLES:
            fields = pa.array(list(MODELS[table].model_fields))
            named = pc.is_in(field, value_set=fields).to_numpy(zero_copy_only=False)
            fitting |= (bits & TABLE_BIT[table] != 0) & named
        return bool(fitting.all())

    def _held(self, table: str) -> Any:
        """The ids of an earlier table, as a pyarrow array (the tables it is read after do
        not change while this one is read)."""
        import pyarrow as pa

        held = self._holders.get(table)
        if held is None:
            held = self._holders[table] = pa.array(self.registry.held_by(table), pa.string())
        return held


def gather_quotes(
    root: Path, relative: str, keys: Keys
) -> Iterator[tuple[str, list[int], list[str]]] | None:
    """The quotes of citations.csv that ``quotes.gather`` would gather, by source in order of
    source id, each with its lines, read with pyarrow; None when it cannot read them.

    Until each source's turn, a block keeps each distinct (source, quote) pair of its rows
    once (pyarrow strings) and, per row, only its line and which pair it has: what is kept
    grows with the distinct quotes, not with how often each is cited. The cells are those
    of canonical CSV only when ``check_file`` vouched for the file, so a caller trusts them
    only then.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    names = header("citations")
    head = (",".join(names) + "\n").encode()
    handle, _ = open_inside(root, relative)
    if handle is None:
        return None
    wanted = pa.array(sorted(keys.texts), pa.string())
    line = 2
    kept: list[_Quotes] = []
    try:
        with handle:
            for data in _row_blocks(handle, head, None, GATHER_BLOCK):
                cells = _parse(data, names, ["source_id", "quote"])
                if data.count(b"\n") > len(cells["quote"]):  # line breaks inside cells
                    every = _parse(data, names)
                    inner = sum(pc.count_substring(every[n], "\n").to_numpy() for n in names)
                    del every
                else:
                    inner = np.zeros(len(cells["quote"]), dtype=np.int64)
                lines = _first_lines(line, inner)
                line += len(lines) + int(inner.sum())
                source = pc.index_in(cells["source_id"], value_set=wanted)
                # As Keys.want_quote: a quote, of a source whose text is read.
                take = pc.and_(pc.is_valid(source), _filled(cells["quote"]))
                chosen = np.asarray(take.to_numpy(zero_copy_only=False), dtype=bool)
                kept.append(
                    _distinct_quotes(
                        pc.filter(source, take).to_numpy(),
                        pc.filter(cells["quote"], take),
                        lines[chosen],
                        len(wanted),
                    )
                )
                del cells, source, take
    except (_RefusedError, OSError):
        return None
    finally:
        _release()
    return _by_source(kept, wanted.to_pylist())


@dataclass
class _Quotes:
    """One block's quotes: each distinct (source, quote) pair once, and each row's line and
    pair, with the pairs and the rows in order of source number (rows in file order)."""

    pairs: Any
    """The quote of each distinct pair (a pyarrow string array)."""
    pair_bounds: list[int]
    """Where each source's pairs start in ``pairs``, and the end."""
    row_pair: np.ndarray[Any, Any] | None
    """The pair of each row, by its index in ``pairs``; None when every row's pair is
    distinct, so that rows and pairs are one."""
    lines: np.ndarray[Any, Any]
    row_bounds: list[int]
    """Where each source's rows start in ``row_pair`` and ``lines``, and the end."""


def _distinct_quotes(number: Any, quotes: Any, lines: Any, sources: int) -> _Quotes:
    """A block's quotes (the source number of each, its text and its line) kept as ``_Quotes``."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(quotes)
    texts = encoded.dictionary
    order = np.argsort(number, kind="stable")  # by source, in file order
    row_bounds = np.searchsorted(number[order], np.arange(sources + 1)).tolist()
    if len(texts) == len(quotes):  # no quote repeats in the block
        return _Quotes(quotes.take(pa.array(order)), row_bounds, None, lines[order], row_bounds)
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    pair_codes = number.astype(np.int64) * max(1, len(texts)) + codes
    distinct, row_pair = np.unique(pair_codes, return_inverse=True)
    return _Quotes(
        pairs=texts.take(pa.array(distinct % max(1, len(texts)))),
        pair_bounds=np.searchsorted(
            distinct // max(1, len(texts)), np.arange(sources + 1)
        ).tolist(),
        row_pair=row_pair.reshape(-1)[order].astype(np.int32),
        lines=lines[order],
        row_bounds=row_bounds,
    )


def _by_source(
    kept: list[_Quotes], sources: list[str]
) -> Iterator[tuple[str, list[int], list[str]]]:
    """Each source's quotes and lines, in file order; the quotes are ``Quotes``, each
    distinct one a single string, found distinct by pyarrow."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    # Where no block holds a quote twice, the quotes are (nearly) all distinct: holding
    # them as they are costs about what finding so would. Otherwise each source's quotes
    # that blocks share are found, to be held once.
    repeats = any(block.row_pair is not None for block in kept)
    for at, source in enumerate(sources):
        lines: list[int] = []
        pieces = []
        # Per block, where its pairs start among the pieces' and, for each of its rows,
        # which of its pairs it has (a count: its rows and pairs are one, in order).
        which: list[tuple[int, Any]] = []
        held = 0
        for block in kept:
            low, high = block.row_bounds[at], block.row_bounds[at + 1]
            if high == low:
                continue
            first, last = block.pair_bounds[at], block.pair_bounds[at + 1]
            pieces.append(block.pairs.slice(first, last - first))
            lines += block.lines[low:high].tolist()
            if block.row_pair is None:
                which.append((held, high - low))
            else:
                which.append((held, block.row_pair[low:high].astype(np.int64) - first))
            held += last - first
        if not lines:
            continue
        pairs = pa.concat_arrays(pieces)
        if not repeats:
            yield source, lines, Quotes(pairs.to_pylist())
            continue
        encoded = pc.dictionary_encode(pairs)
        rows = np.concatenate(
            [start + (np.arange(r) if isinstance(r, int) else r) for start, r in which]
        )
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        yield source, lines, Quotes(encoded.dictionary.to_pylist(), codes[rows].tolist())


def _release() -> None:
    """Give the memory pyarrow took for the blocks back to the system."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def _increasing(key: list[Any]) -> bool:
    """Whether the rows' keys (one array per key column) strictly increase, as tuples do."""
    import pyarrow.compute as pc

    if len(key[0]) < 2:
        return True
    earlier, later = [a[:-1] for a in key], [a[1:] for a in key]
    rising = pc.less(earlier[-1], later[-1])
    for before, after in zip(earlier[-2::-1], later[-2::-1], strict=True):
        rising = pc.or_(pc.less(before, after), pc.and_(pc.equal(before, after), rising))
    return bool(pc.all(rising).as_py())


def _key_columns(table: str) -> list[str]:
    """The columns ``_RowKeys`` reads: the primary key, references and what citations cite."""
    model = MODELS[table]
    wanted = set(model.primary_key) | {c.name for c in columns(table) if c.foreign_key}
    if "id" in model.model_fields:
        wanted.add("id")
    if table == "citations":
        wanted |= {"record_id", "source_id", "quote", "stance", "field"}
    return [name for name in header(table) if name in wanted]


__all__ = [
    "COLUMNAR_FROM",
    "TABLE_FROM",
    "available",
    "check_file",
    "chosen",
    "cleared",
    "gather_quotes",
    "rules",
]
