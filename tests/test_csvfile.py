"""The CSV reader: the cells as written, and each departure from canonical form a located problem."""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import string
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from india_russia_relations.checks.validate import validate
from india_russia_relations.io import csvfile
from india_russia_relations.io.csvfile import (
    FIELD_LIMIT,
    Lines,
    Reader,
    canonical_row,
    decode,
    read,
    write_rows,
)
from india_russia_relations.problems import Problem, Problems
from india_russia_relations.publish.fmt import formatted

from .conftest import PACKAGE
from .test_validate import _write

FILE = "t.csv"
NOT_CANONICAL = "is not in canonical CSV form (RFC 4180 minimal quoting); run `irr fmt`"
CELL_CHARACTERS = string.printable.replace("\r", "") + "é–“”\u00a0"
cells = st.text(alphabet=CELL_CHARACTERS, max_size=10)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    """A header of any width and rows of that width."""
    width = draw(st.integers(1, 6))
    row = st.lists(cells, min_size=width, max_size=width)
    return draw(row), draw(st.lists(row, max_size=6))


def _lines_of(rows: list[list[str]], first: int) -> list[int]:
    """The physical line each canonical row starts on (cells may hold line breaks)."""
    lines = []
    for row in rows:
        lines.append(first)
        first += canonical_row(row).count("\n")
    return lines


def _quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


def _needs_quotes(cell: str, width: int) -> bool:
    # A lone empty cell is quoted so that its row is not a blank line.
    return canonical_row([cell]) != cell + "\n" and (cell != "" or width == 1)


@given(tables())
def test_the_reader_gives_back_what_the_writer_wrote(
    table: tuple[list[str], list[list[str]]],
) -> None:
    head, rows = table
    raw = read(write_rows(head, rows), FILE)
    assert raw.header == head
    assert raw.rows == list(
        zip(_lines_of(rows, 1 + canonical_row(head).count("\n")), rows, strict=True)
    )
    assert raw.problems == []
    assert raw.broken == []


@given(tables(), st.data())
def test_needless_quotes_give_the_same_cells_and_a_fixable_problem_per_row(
    table: tuple[list[str], list[list[str]]], data: st.DataObject
) -> None:
    head, rows = table
    width = len(head)
    text, expected, line = "", [], 1
    for row in [head, *rows]:
        quote = data.draw(st.lists(st.booleans(), min_size=width, max_size=width))
        written = ",".join(
            _quoted(cell) if q or _needs_quotes(cell, width) else cell
            for cell, q in zip(row, quote, strict=True)
        )
        text += written + "\n"
        if written + "\n" != canonical_row(row):
            expected.append(Problem(FILE, line, None, NOT_CANONICAL, fixable=True))
        line += written.count("\n") + 1
    raw = read(text.encode(), FILE)
    assert raw.header == head
    assert [cells for _, cells in raw.rows] == rows
    assert raw.problems == Problems(expected)  # one per row, a few listed and the rest summed up


def test_a_needlessly_quoted_place_is_reported_and_fmt_unquotes_it(package_copy: Path) -> None:
    path = package_copy / "data" / "visits.csv"
    original = path.read_bytes()
    quoted = original.replace(b"soviet-union,Moscow,1927,", b'soviet-union,"Moscow",1927,', 1)
    _write(path, quoted)
    assert [str(p) for p in validate(package_copy, display="pkg").problems] == [
        f"pkg/data/visits.csv:2: {NOT_CANONICAL}"
    ]
    assert formatted("visits", quoted, "visits.csv") == (original, [])


def test_a_needlessly_quoted_cell_beside_a_cell_holding_a_quote_is_not_a_stray_quote() -> None:
    raw = read(b'a,b\n"x","say ""yes"""\n', FILE)
    assert raw.rows == [(2, ["x", 'say "yes"'])]
    assert raw.problems == [Problem(FILE, 2, None, NOT_CANONICAL, fixable=True)]


@pytest.mark.parametrize("table", ["sources", "citations"])
def test_a_file_with_every_cell_quoted_is_formatted_back_to_canonical_form(table: str) -> None:
    # Spreadsheets can export every cell quoted; these two tables hold cells with quotes.
    original = (PACKAGE / "data" / f"{table}.csv").read_bytes()
    raw = read(original, FILE)
    assert raw.header is not None
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(
        [raw.header, *(cells for _, cells in raw.rows)]
    )
    assert formatted(table, buffer.getvalue().encode(), FILE) == (original, [])


def test_needless_quotes_after_a_quoted_cell_holding_quotes_are_not_a_stray_quote() -> None:
    raw = read(b'a,b,c\n"x ""1""","y ""2""","z"\n"""","y""z","w"\n', FILE)
    assert raw.rows == [(2, ['x "1"', 'y "2"', "z"]), (3, ['"', 'y"z', "w"])]
    assert raw.problems == [
        Problem(FILE, 2, None, NOT_CANONICAL, fixable=True),
        Problem(FILE, 3, None, NOT_CANONICAL, fixable=True),
    ]


@pytest.mark.parametrize("row", ['a "X",b', 'a,b"', 'x"y""z,b', '"a""b",c"d', '"a","b",c"'])
def test_a_quote_in_an_unquoted_cell_is_a_stray_quote(row: str) -> None:
    raw = read(f"h1,h2\n{row}\n".encode(), FILE)
    assert raw.problems == [
        Problem(
            FILE, 2, None, 'has a stray quote: a cell holding " must be quoted and the " doubled'
        )
    ]


def test_a_cell_over_the_limit_is_refused_whatever_limit_another_library_set() -> None:
    previous = csv.field_size_limit(2**31 - 2)  # what importing frictionless's CSV parser sets
    try:
        raw = read(b"id,b\nx," + b"y" * (FIELD_LIMIT + 1) + b"\nz,1\n", FILE)
        assert csv.field_size_limit() == 2**31 - 2
    finally:
        csv.field_size_limit(previous)
    assert FIELD_LIMIT == 131_072
    assert raw.rows == [(3, ["z", "1"])]
    assert raw.problems == [
        Problem(
            FILE,
            2,
            None,
            "has a cell longer than 131,072 characters, far over any column's maximum length "
            "(see schemas/); shorten it",
        )
    ]


def test_a_cell_of_the_limit_is_read() -> None:
    raw = read(b"id,b\nx," + b"y" * FIELD_LIMIT + b"\n", FILE)
    assert (raw.rows, raw.problems) == ([(2, ["x", "y" * FIELD_LIMIT])], [])


@given(tables(), st.data())
def test_an_unclosed_quote_costs_only_its_own_row(
    table: tuple[list[str], list[list[str]]], data: st.DataObject
) -> None:
    head, rows = table
    plain = st.text(alphabet=string.ascii_letters + string.digits + " ", min_size=1, max_size=8)
    rows = [data.draw(st.lists(plain, min_size=len(r), max_size=len(r))) for r in rows]
    bad = data.draw(st.integers(0, len(rows)))  # which row gets a quote that never ends
    rows.insert(bad, ["x", *rows[0][1:]] if rows else ["x"] * len(head))
    lines = [canonical_row(r) for r in [head, *rows]]
    text = "".join(lines[: bad + 1]) + '"' + "".join(lines[bad + 1 :])
    raw = read(text.encode(), FILE)
    head_line = 1 + lines[0].count("\n")
    expected = _lines_of(rows, head_line)
    assert raw.rows == [(expected[i], r) for i, r in enumerate(rows) if i != bad]
    assert raw.broken == [(expected[bad], "x")]
    assert raw.problems == [
        Problem(
            FILE,
            expected[bad],
            None,
            "has an unclosed quote: the quoted cell that starts on this line never ends",
        )
    ]


def test_a_row_that_is_not_csv_is_reported_and_the_next_row_read() -> None:
    raw = read(b'id,b\n"x"y,2\nz,3\n', FILE)
    assert raw.rows == [(3, ["z", "3"])]
    assert raw.broken == [(2, 'x"y')]
    assert raw.problems == [
        Problem(
            FILE,
            2,
            None,
            "is not valid CSV (',' expected after '\"'); quote the cell and double any quote inside",
        )
    ]


def test_a_row_of_one_line_with_an_odd_number_of_quotes_is_not_an_unclosed_quote() -> None:
    raw = read(b'id,b\n"a"b",c\nz,1\n', FILE)
    assert raw.rows == [(3, ["z", "1"])]
    assert [p.message for p in raw.problems] == [
        "is not valid CSV (',' expected after '\"'); quote the cell and double any quote inside"
    ]


@pytest.mark.parametrize("quotes", ['"a""b', '"a""b""c'])  # three quotes, five quotes
def test_a_quoted_cell_that_runs_into_the_next_line_is_an_unclosed_quote(quotes: str) -> None:
    raw = read(f'id,b\nx,{quotes}\nc"d,e\nz,1\n'.encode(), FILE)
    assert raw.rows == [(3, ['c"d', "e"]), (4, ["z", "1"])]
    assert [(p.line, p.message) for p in raw.problems] == [
        (2, "has an unclosed quote: the quoted cell that starts on this line never ends"),
        (3, 'has a stray quote: a cell holding " must be quoted and the " doubled'),
    ]


def test_a_broken_row_keeps_its_first_cell_as_written() -> None:
    assert read(b'id,b\nXy,"a"b\n', FILE).broken == [(2, "Xy")]
    assert read(b'id,b\n"Xy","a"b\n', FILE).broken == [(2, "Xy")]


def test_a_broken_row_after_an_unclosed_quote_of_many_lines_reads_the_lines_again() -> None:
    raw = read(b'id,b\n"x,1\ny,2\n"z"w,3\nv,4\n', FILE)
    assert [line for line, _ in raw.rows] == [3, 5]
    assert raw.broken == [(2, "x"), (4, 'z"w')]


def test_a_file_of_blank_lines_has_no_header_row() -> None:
    raw = read(b"\n\n", FILE)
    assert raw.header is None
    assert raw.rows == []
    assert raw.problems == [
        Problem(FILE, 1, None, "is a blank row; remove it"),
        Problem(FILE, 2, None, "is a blank row; remove it"),
        Problem(FILE, 1, None, "has no header row"),
    ]


def test_an_empty_file_needs_a_header_row() -> None:
    raw = read(b"", FILE)
    assert (raw.header, raw.rows) == (None, [])
    assert raw.problems == [Problem(FILE, 1, None, "is empty; it needs at least the header row")]


def test_a_lone_cr_is_reported_and_is_not_a_line_break() -> None:
    raw = read(b"a,b\n1\r2,3\n4,5\r\n", FILE)
    assert raw.rows == [(2, ["1 2", "3"]), (3, ["4", "5"])]
    assert raw.problems == [
        Problem(
            FILE,
            2,
            None,
            "has a CR line ending or a CR inside a line (and 1 more lines); use LF (\\n) only",
        )
    ]


def test_crlf_line_endings_are_one_fixable_problem() -> None:
    raw = read(b"a,b\r\n1,2\r\n3,4\r\n", FILE)
    assert raw.rows == [(2, ["1", "2"]), (3, ["3", "4"])]
    assert raw.problems == [
        Problem(
            FILE,
            1,
            None,
            "has a CRLF line ending (and 2 more lines); use LF (\\n) only: run `irr fmt`",
            fixable=True,
        )
    ]


def test_one_crlf_line_is_named_alone() -> None:
    assert read(b"a,b\n1,2\r\n", FILE).problems == [
        Problem(
            FILE, 2, None, "has a CRLF line ending; use LF (\\n) only: run `irr fmt`", fixable=True
        )
    ]


def test_decoding_a_data_file_says_fmt_fixes_its_line_ends() -> None:
    problems: list[Problem] = []
    assert decode(b"a\r\n", FILE, problems) == "a\n"
    assert problems == [
        Problem(
            FILE, 1, None, "has a CRLF line ending; use LF (\\n) only: run `irr fmt`", fixable=True
        )
    ]


def test_a_descriptor_s_crlf_is_not_fixed_by_fmt() -> None:
    problems: list[Problem] = []
    assert decode(b"{}\r\n", "datapackage.json", problems, "irr build") == "{}\n"
    assert problems == [
        Problem(
            "datapackage.json",
            1,
            None,
            "has a CRLF line ending; use LF (\\n) only: run `irr build`",
        )
    ]


# Lines: a model of what the streaming decoder must do, one physical line at a time.

LINE_BYTES = ["a", "é", ",", '"', " ", "\r", "\x00", "\x0b", "\u2028", "\x85", "\x1c"]
MAX = 24


def _expected_lines(data: bytes, max_line: int) -> tuple[list[tuple[int, str]], list[Problem]]:
    """What Lines yields and reports for ``data``, worked out line by line."""
    problems: list[Problem] = []
    out: list[tuple[int, str]] = []
    raws = data.split(b"\n")
    final = raws.pop() if raws else b""
    if final:
        raws.append(final)
    crs, lone = [], False
    for number, whole in enumerate(raws, 1):
        raw = whole
        if len(raw) > max_line:
            problems.append(
                Problem(
                    FILE,
                    number,
                    None,
                    f"is longer than {max_line:,} bytes, far longer than any row can be; "
                    "it is skipped: put each row on one line of its own",
                )
            )
            continue
        if number == 1 and raw.startswith(csvfile.BOM):
            problems.append(
                Problem(FILE, 1, None, "starts with a byte order mark (BOM); run `irr fmt`", True)
            )
            raw = raw[3:]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            problems.append(
                Problem(
                    FILE,
                    number,
                    None,
                    f"byte 0x{raw[err.start]:02x} at column {err.start + 1} is not UTF-8; "
                    "save the file as UTF-8",
                )
            )
            line = raw.decode("utf-8", errors="replace")
        if "\x00" in line:
            problems.append(Problem(FILE, number, None, "contains a NUL byte; remove it"))
            line = line.replace("\x00", "")
        if "\r" in line:
            crs.append(number)
            line = line.removesuffix("\r")
            lone = lone or "\r" in line
            line = line.replace("\r", " ")
        out.append((number, line + "\n"))
    if final:
        problems.append(Problem(FILE, len(raws), None, "has no final newline; run `irr fmt`", True))
    if crs:
        more = f" (and {len(crs) - 1:,} more lines)" if len(crs) > 1 else ""
        if lone:
            message = f"has a CR line ending or a CR inside a line{more}; use LF (\\n) only"
        else:
            message = f"has a CRLF line ending{more}; use LF (\\n) only: run `irr fmt`"
        problems.append(Problem(FILE, crs[0], None, message, not lone))
    return out, problems


line_texts = st.lists(
    st.lists(st.sampled_from(LINE_BYTES), max_size=MAX + 4).map("".join).map(str.encode)
    | st.binary(max_size=MAX + 4).map(lambda b: b.replace(b"\n", b"")),
    max_size=8,
)


@given(
    lines=line_texts,
    bom=st.booleans(),
    final_newline=st.booleans(),
    cuts=st.lists(st.integers(0, 300), max_size=12),
)
def test_lines_are_decoded_alike_however_the_bytes_are_split(
    lines: list[bytes], bom: bool, final_newline: bool, cuts: list[int]
) -> None:
    data = (csvfile.BOM if bom else b"") + b"\n".join(lines)
    if lines and (final_newline or not lines[-1]):
        data += b"\n"
    bounds = sorted({0, len(data), *(c for c in cuts if c < len(data))})
    chunks = [data[a:b] for a, b in itertools.pairwise(bounds)]
    problems: list[Problem] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csvfile, "CHUNK", 8)  # chunks smaller than a line, as for a large file
        reader = Lines(FILE, problems, max_line=MAX)
        got = list(reader.read(chunks))
    assert (got, problems) == _expected_lines(data, MAX)
    assert reader.size == len(data)
    assert reader.hash.hexdigest() == hashlib.sha256(data).hexdigest()
    assert reader.count == len(data.split(b"\n")) - (1 if data.endswith(b"\n") or not data else 0)


def test_a_large_chunk_is_read_in_pieces_of_at_most_chunk_bytes() -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csvfile, "CHUNK", 4)
        assert list(csvfile._sized([b"abcdefghij", b"", b"kl"])) == [b"abcd", b"efgh", b"ij", b"kl"]


def test_a_line_of_exactly_the_limit_is_read() -> None:
    problems: list[Problem] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csvfile, "CHUNK", 2)
        got = list(Lines(FILE, problems, max_line=4).read([b"abcd\nabcde\nab\n"]))
    assert got == [(1, "abcd\n"), (3, "ab\n")]
    assert [(p.line, p.message.split(",")[0]) for p in problems] == [(2, "is longer than 4 bytes")]


def test_a_line_of_exactly_the_limit_after_a_chunk_that_ends_a_line_is_read() -> None:
    problems: list[Problem] = []
    got = list(Lines(FILE, problems, max_line=4).read([b"ab\n", b"cd", b"ef\n"]))
    assert got == [(1, "ab\n"), (2, "cdef\n")]
    assert problems == []


def test_a_bom_at_the_start_of_a_later_chunk_is_text_not_the_file_s_bom() -> None:
    problems: list[Problem] = []
    got = list(Lines(FILE, problems).read([b"a\n", csvfile.BOM + b"b\n"]))
    assert got == [(1, "a\n"), (2, "\ufeffb\n")]
    assert problems == []


@given(st.binary(max_size=200), st.lists(st.integers(0, 200), max_size=8))
def test_the_reader_gives_the_same_rows_and_problems_however_the_bytes_are_split(
    data: bytes, cuts: list[int]
) -> None:
    bounds = sorted({0, len(data), *(c for c in cuts if c < len(data))})
    whole, split = Reader(FILE), Reader(FILE)
    rows = list(whole.rows([data]))
    assert list(split.rows(data[a:b] for a, b in itertools.pairwise(bounds))) == rows
    assert (split.header, split.problems, split.broken) == (
        whole.header,
        whole.problems,
        whole.broken,
    )


@given(st.lists(st.text(alphabet='ab ,"\n\r\t;é', max_size=6), min_size=1, max_size=5))
def test_canonical_row_is_what_csv_writer_writes(row: list[str]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(row)
    assert canonical_row(row) == buffer.getvalue()


def test_canonical_row_of_a_cell_holding_a_cr_is_what_csv_writer_writes() -> None:
    # csv's writer quotes such a cell from CPython 3.11.9 and 3.12.3 on (gh-67044), not before.
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(["a\rb", "c"])
    assert canonical_row(["a\rb", "c"]) == buffer.getvalue()
