"""``irr fmt``: the only command that rewrites data files, into their canonical form.

It sorts rows by key, recomputes the derived date columns (adding them when a file was
written without them), writes values in canonical form and fixes quoting, CRLF line
endings, the BOM and the final newline. A file with a problem it cannot repair is left
untouched and the problem reported.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ..checks.validate import Report, check_table
from ..io.csvfile import read, write_rows
from ..io.files import read_inside, write_inside
from ..problems import Problem
from ..schema.columns import columns, header, to_cells
from ..schema.models import TABLES


@dataclass
class Result:
    """What formatting found: files changed (or that would change), and blocking problems."""

    changed: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)
    """With ``check``: for each changed file, the start of a unified diff of the change."""


def _with_derived_columns(table: str, data: bytes, file: str) -> bytes:
    """Add empty derived date columns to a file written without them, for fmt to fill."""
    raw = read(data, file)
    full = header(table)
    base = [c.name for c in columns(table) if c.derived_from is None]
    if raw.header != base or base == full or any(not p.fixable for p in raw.problems):
        return data
    rows = [dict(zip(base, cells, strict=False)) for _, cells in raw.rows]
    return write_rows(full, ([row.get(name, "") for name in full] for row in rows))


def formatted(table: str, data: bytes, file: str) -> tuple[bytes | None, list[Problem]]:
    """The canonical bytes of one table's CSV, or None and the problems that prevent it."""
    data = data.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")
    data = _with_derived_columns(table, data, file)
    report = Report()
    check_table(table, data, file, report)
    blocking = [p for p in report.problems if not p.fixable]
    if blocking:
        return None, blocking
    rows = sorted((record for _, record in report.tables[table]), key=lambda r: r.key())
    return write_rows(header(table), (to_cells(r) for r in rows)), []


def format_package(package: Path, display: str, *, check: bool = False) -> Result:
    """Format every table of ``package``; with ``check``, only say what would change."""
    result = Result()
    for table in TABLES:
        relative = f"data/{table}.csv"
        file = f"{display}/{relative}"
        data, why = read_inside(package, relative)
        if data is None:
            result.problems.append(Problem(file, 1, None, f"cannot be used: {why}"))
            continue
        new, problems = formatted(table, data, file)
        result.problems.extend(problems)
        if new is None or new == data:
            continue
        result.changed.append(package / relative)
        if check:
            result.diffs.append(_diff(data, new, file))
        elif (why := write_inside(package, relative, new)) is not None:
            result.problems.append(Problem(file, 1, None, f"cannot be written: {why}"))
    return result


_DIFF_LINES = 40


def _diff(old: bytes, new: bytes, file: str) -> str:
    lines = list(
        difflib.unified_diff(
            old.decode("utf-8", errors="replace").splitlines(keepends=True),
            new.decode("utf-8").splitlines(keepends=True),
            f"{file} (now)",
            f"{file} (after irr fmt)",
        )
    )
    more = len(lines) - _DIFF_LINES
    shown = "".join(lines[:_DIFF_LINES])
    if not shown.endswith("\n"):
        shown += "\n"
    return shown + (f"... {more} more diff lines\n" if more > 0 else "")
