"""``irr fmt``: the only command that rewrites data files, into their canonical form.

It sorts rows by key, recomputes the derived date columns (adding them when a file was
written without them), writes values in canonical form and fixes quoting, CRLF line
endings, the BOM and the final newline. It is lossless by construction: a file is rewritten
only when every cell of every row maps to a column and every row parses into its model;
otherwise the file is left byte for byte as it was and the problems are reported. It is
about form, not content: problems it cannot fix (a dangling reference, a quote not in its
source) do not stop it, and it says how many remain.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..checks.validate import Report, check_table, validate
from ..io.csvfile import write_rows
from ..io.files import chunks, open_inside, write_inside
from ..io.lock import hold, package_lock
from ..problems import Problem
from ..schema.columns import header, to_cells
from ..schema.models import TABLES, Record


@dataclass
class Result:
    """What formatting found: files changed (or that would change), and what it could not fix."""

    changed: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """Problems that kept a file from being formatted: it was left untouched."""
    remaining: list[Problem] = field(default_factory=list)
    """Every problem that formatting does not fix (the blocking ones included)."""
    diffs: list[str] = field(default_factory=list)
    """With ``check``: for each changed file, the start of a unified diff of the change."""


def formatted(
    table: str, data: bytes | Iterable[bytes], file: str
) -> tuple[bytes | None, list[Problem]]:
    """The canonical bytes of one table's CSV, or None and the problems that prevent it."""
    report = Report()
    records: list[Record] = []
    check_table(
        table,
        data,
        file,
        report,
        on_record=lambda _, record: records.append(record),
    )
    blocking = [p for p in report.problems if not p.fixable]
    if blocking:
        return None, blocking
    if len(records) != report.rows[table]:  # pragma: no cover - every clean row parses
        raise AssertionError(f"{file}: a row without problems did not parse")
    records.sort(key=lambda r: r.key())
    return write_rows(header(table), (to_cells(r) for r in records)), []


def format_package(package: Path, display: str, *, check: bool = False) -> Result:
    """Format every table of ``package``; with ``check``, only say what would change.

    One validation finds which files need formatting; only those are read again. It holds
    the package lock throughout; a check holds it as a reader (shared with other readers,
    never creating the lock file), so that it never sees half of another command's change.
    """
    with hold(package_lock(package), reading=check):
        return _format_package(package, display, check)


def _format_package(package: Path, display: str, check: bool) -> Result:
    result = Result()
    report = validate(package, display=display)
    todo = {p.file for p in report.problems if p.fixable} | report.unformattable
    blocked: set[str] = set()
    for table in TABLES:
        relative = f"data/{table}.csv"
        file = f"{display}/{relative}" if display else relative
        if file not in todo:
            continue
        handle, why = open_inside(package, relative)
        if handle is None:
            result.problems.append(Problem(file, 1, None, f"cannot be used: {why}"))
            blocked.add(file)
            continue
        data = b"".join(chunks(handle))
        new, problems = formatted(table, data, file)
        if new is None:
            result.problems.extend(problems)
            blocked.add(file)
            continue
        if new == data:
            continue
        result.changed.append(package / relative)
        if check:
            result.diffs.append(_diff(data, new, file))
        elif (why := write_inside(package, relative, new)) is not None:
            result.problems.append(Problem(file, 1, None, f"cannot be written: {why}"))
            blocked.add(file)
    result.remaining = [p for p in report.problems if not p.fixable or p.file in blocked]
    return result


_DIFF_LINES = 40
_CONTEXT = 3


def _diff(old: bytes, new: bytes, file: str) -> str:
    """A unified diff of the first changes, at most ``_DIFF_LINES`` lines, in linear time.

    Only a window from the first differing line is compared, so a large reordered file does
    not cost difflib's quadratic worst case.
    """
    a = old.decode("utf-8", errors="replace").splitlines(keepends=True)
    b = new.decode("utf-8").splitlines(keepends=True)
    first = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    start = max(0, first - _CONTEXT)
    window_a, window_b = a[start : first + _DIFF_LINES], b[start : first + _DIFF_LINES]
    lines = [f"--- {file} (now)\n", f"+++ {file} (after irr fmt)\n"]
    matcher = difflib.SequenceMatcher(None, window_a, window_b, autojunk=False)
    for group in matcher.get_grouped_opcodes(_CONTEXT):
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        lines.append(f"@@ -{start + i1 + 1},{i2 - i1} +{start + j1 + 1},{j2 - j1} @@\n")
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                lines += [" " + line for line in window_a[a1:a2]]
                continue
            lines += ["-" + line for line in window_a[a1:a2]]
            lines += ["+" + line for line in window_b[b1:b2]]
    lines = [line if line.endswith("\n") else line + "\n" for line in lines]
    shown = "".join(lines[: _DIFF_LINES + 2])
    more = len(a) + len(b) > 2 * (first + _DIFF_LINES) or len(lines) > _DIFF_LINES + 2
    return shown + ("... (more changes follow)\n" if more else "")
