"""Reading and writing the canonical CSV form, with every row's physical line number.

Canonical: UTF-8 without BOM, LF line endings, a header row, comma delimiter, RFC 4180
minimal quoting and a final newline. The reader reports each departure from that form as
a located problem and keeps reading; it never raises on bad bytes.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..problems import Problem

_LINE = re.compile(rb"[^\n]*\n|[^\n]+$")
_TEXT_LINE = re.compile(r"[^\n]*\n|[^\n]+$")


@dataclass
class RawTable:
    """A CSV file split into its header and rows, each row with its first physical line."""

    header: list[str] | None
    rows: list[tuple[int, list[str]]]
    problems: list[Problem] = field(default_factory=list)
    broken: list[tuple[int, str]] = field(default_factory=list)
    """Rows that are not valid CSV: their line and first cell, as best it can be read."""


def canonical_row(cells: Sequence[str]) -> str:
    """One row in canonical form, newline included."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()


def write_rows(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """A whole canonical CSV file."""
    return "".join(canonical_row(r) for r in [header, *rows]).encode("utf-8")


def decode(data: bytes, file: str, problems: list[Problem], fixer: str = "irr fmt") -> str:
    """Decode CSV or JSON bytes line by line, reporting each undecodable line, NUL, CR and BOM.

    ``fixer`` is the command that rewrites the file (``irr build`` for the descriptor).
    """
    fixable = fixer == "irr fmt"
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append(
            Problem(file, 1, None, f"starts with a byte order mark (BOM); run `{fixer}`", fixable)
        )
        data = data[3:]
    lines = _LINE.findall(data)
    text: list[str] = []
    crlf: list[int] = []
    lone_cr = False
    for number, raw in enumerate(lines, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            problems.append(
                Problem(
                    file,
                    number,
                    None,
                    f"byte 0x{raw[err.start]:02x} at column {err.start + 1} is not UTF-8; "
                    "save the file as UTF-8",
                )
            )
            line = raw.decode("utf-8", errors="replace")
        if "\x00" in line:
            problems.append(Problem(file, number, None, "contains a NUL byte; remove it"))
            line = line.replace("\x00", "")
        if "\r" in line:
            crlf.append(number)
            lone_cr = lone_cr or "\r" in line.replace("\r\n", "")
            # Keep physical line numbers: a lone CR is not a line break here.
            line = line.replace("\r\n", "\n").replace("\r", " ")
        text.append(line)
    if crlf:
        more = f" (and {len(crlf) - 1} more lines)" if len(crlf) > 1 else ""
        if lone_cr:
            message = f"has a CR line ending or a CR inside a line{more}; use LF (\\n) only"
        else:
            message = f"has a CRLF line ending{more}; use LF (\\n) only: run `{fixer}`"
        problems.append(Problem(file, crlf[0], None, message, fixable and not lone_cr))
    if lines and not lines[-1].endswith(b"\n"):
        problems.append(
            Problem(file, len(lines), None, f"has no final newline; run `{fixer}`", fixable)
        )
    return "".join(text)


def read(data: bytes, file: str) -> RawTable:
    """Split CSV bytes into header and rows, reporting every problem of form and encoding."""
    problems: list[Problem] = []
    if not data:
        return RawTable(
            None, [], [Problem(file, 1, None, "is empty; it needs at least the header row")]
        )
    text = decode(data, file, problems)
    # Split on \n alone: str.splitlines also splits on \x0b, \x1c, \u2028 ..., csv does not.
    lines = _TEXT_LINE.findall(text)
    records: list[tuple[int, list[str]]] = []
    broken: list[tuple[int, str]] = []
    index = 0
    while index < len(lines):
        reader = csv.reader(io.StringIO("".join(lines[index:]), newline=""), strict=True)
        last_end = index  # lines consumed, as a count
        try:
            for cells in reader:
                start = last_end + 1
                last_end = index + reader.line_num
                raw = "".join(lines[start - 1 : last_end])
                if cells:
                    records.append((start, cells))
                    _check_quoting(raw, cells, file, start, problems)
                else:
                    problems.append(Problem(file, start, None, "is a blank row; remove it"))
            index = len(lines)
        except csv.Error as err:
            start = last_end + 1
            end = index + reader.line_num
            opened = lines[start - 1].count('"') % 2 == 1
            if "unexpected end of data" in str(err) or (opened and end > start):
                message = (
                    "has an unclosed quote: the quoted cell that starts on this line never ends"
                )
            else:
                message = f"is not valid CSV ({err}); quote the cell and double any quote inside"
            problems.append(Problem(file, start, None, message))
            broken.append((start, lines[start - 1].split(",", 1)[0].strip('"\n')))
            index = start  # resume on the next line, so no following row is lost
    if not records:
        return RawTable(None, [], [*problems, Problem(file, 1, None, "has no header row")])
    header = records[0][1]
    return RawTable(header, records[1:], problems, broken)


def _check_quoting(
    raw: str, cells: list[str], file: str, line: int, problems: list[Problem]
) -> None:
    if raw.endswith("\n"):
        raw = raw[:-1]
    expected = canonical_row(cells)[:-1]
    if raw == expected:
        return
    if any('"' in cell for cell in cells) and raw.count('"') != expected.count('"'):
        problems.append(
            Problem(
                file,
                line,
                None,
                'has a stray quote: a cell holding " must be quoted and the " doubled',
            )
        )
    else:
        message = "is not in canonical CSV form (RFC 4180 minimal quoting); run `irr fmt`"
        problems.append(Problem(file, line, None, message, fixable=True))
