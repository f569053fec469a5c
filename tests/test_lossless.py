"""`irr fmt` is lossless: whatever it accepts, it writes every cell back, only in canonical form."""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from india_russia_relations.io.csvfile import read, write_rows
from india_russia_relations.publish.fmt import formatted
from india_russia_relations.schema.columns import columns, parse_cell
from india_russia_relations.schema.models import TABLES

from .conftest import PACKAGE

ORIGINAL = {t: (PACKAGE / "data" / f"{t}.csv").read_bytes() for t in TABLES}
settings_ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _values(table: str, data: bytes) -> Counter[tuple[str, Any]]:
    """The multiset of (column, value) of every non-derived cell, read by the file's own header."""
    raw = read(data, table)
    assert raw.header is not None
    kinds = {c.name: c for c in columns(table)}
    found: Counter[tuple[str, Any]] = Counter()
    for _, cells in raw.rows:
        assert len(cells) == len(raw.header)
        for name, text in zip(raw.header, cells, strict=True):
            column = kinds[name]
            if column.derived_from is None:
                found[(name, parse_cell(column, text) if text else None)] += 1
    return found


@st.composite
def edited_tables(draw: st.DrawFn) -> tuple[str, bytes]:
    """A committed table, changed the ways contributors and their tools change files."""
    table = draw(st.sampled_from(TABLES))
    raw = read(ORIGINAL[table], table)
    assert raw.header is not None
    head = list(raw.header)
    rows = [list(cells) for _, cells in raw.rows]
    if draw(st.booleans()):  # written without the derived date columns
        keep = [i for i, name in enumerate(head) if not name.endswith(("_earliest", "_latest"))]
        head = [head[i] for i in keep]
        rows = [[r[i] for i in keep] for r in rows]
    rows = draw(st.permutations(rows))
    for _ in range(draw(st.integers(0, 3))):
        row = draw(st.integers(0, len(rows) - 1))
        edit = draw(st.sampled_from(["add cell", "drop cell", "unquoted comma", "leading zero"]))
        cells = list(rows[row])
        if edit == "add cell":
            cells.insert(draw(st.integers(0, len(cells))), draw(st.text("abc ,", max_size=5)))
        elif edit == "drop cell":
            del cells[draw(st.integers(0, len(cells) - 1))]
        elif edit == "unquoted comma":
            at = draw(st.integers(0, len(cells) - 1))
            cells[at : at + 1] = [cells[at][:3], cells[at][3:]]  # the comma splits the cell
        elif edit == "leading zero":
            at = draw(st.integers(0, len(cells) - 1))
            if cells[at].isdigit():
                cells[at] = "0" + cells[at]
        rows[row] = cells
    data = write_rows(head, rows)
    if draw(st.booleans()):  # needless quotes around the first cell of each row
        data = b"\n".join(
            b'"' + line.split(b",", 1)[0] + b'",' + line.split(b",", 1)[1]
            if b"," in line and not line.startswith(b'"')
            else line
            for line in data.split(b"\n")
        )
    if draw(st.booleans()):
        data = data.replace(b"\n", b"\r\n")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    if draw(st.booleans()):
        data = data.rstrip(b"\r\n")
    return table, data


@settings_
@given(edited_tables())
def test_whatever_fmt_accepts_keeps_every_cell(case: tuple[str, bytes]) -> None:
    table, data = case
    new, problems = formatted(table, data, f"{table}.csv")
    event("refused" if new is None else "formatted")
    if new is None:
        assert problems and all(p.line >= 1 and p.message for p in problems)
        return
    clean = data.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")
    if not clean.endswith(b"\n"):
        clean += b"\n"
    assert _values(table, new) == _values(table, clean)


@settings_
@given(edited_tables())
def test_fmt_refuses_every_row_whose_cells_do_not_match_the_header(
    case: tuple[str, bytes],
) -> None:
    table, data = case
    raw = read(data.removeprefix(b"\xef\xbb\xbf"), table)
    assert raw.header is not None
    width = len(raw.header)
    if any(len(cells) != width for _, cells in raw.rows):
        new, problems = formatted(table, data, f"{table}.csv")
        assert new is None
        wrong = {line for line, cells in raw.rows if len(cells) != width}
        assert wrong <= {p.line for p in problems if "cells; the header has" in p.message}


def test_a_file_without_derived_columns_gets_them_and_keeps_every_cell() -> None:
    raw = read(ORIGINAL["visits"], "visits")
    assert raw.header is not None
    keep = [i for i, n in enumerate(raw.header) if not n.endswith(("_earliest", "_latest"))]
    data = write_rows([raw.header[i] for i in keep], [[c[i] for i in keep] for _, c in raw.rows])
    new, problems = formatted("visits", data, "visits.csv")
    assert problems == [] and new == ORIGINAL["visits"]
