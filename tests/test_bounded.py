"""Reports stay small whatever the input: a few problems of each kind per file are listed,
and one more sums up the rest with their exact count, as they are found."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from india_russia_relations.checks import columnar
from india_russia_relations.checks.validate import validate
from india_russia_relations.cli import main
from india_russia_relations.io.csvfile import Lines, read
from india_russia_relations.problems import SHOWN, Problem, Problems, kind, total

from .test_validate import _write

BLANK = "is a blank row; remove it"
FLOOD = 200_000


def _events(package: Path) -> Path:
    return package / "data" / "events.csv"


def _flood_of_blank_lines(package: Path, lines: int = FLOOD) -> int:
    """Append ``lines`` newlines to events.csv (its descriptor updated); the first one's line."""
    path = _events(package)
    data = path.read_bytes()
    _write(path, data + b"\n" * lines)
    return data.count(b"\n") + 1


def _blank_rows(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.message == BLANK]


def test_200_000_blank_lines_are_listed_a_few_times_and_counted_exactly(
    package_copy: Path,
) -> None:
    first = _flood_of_blank_lines(package_copy)
    blank = _blank_rows(validate(package_copy, display="pkg").problems)
    assert [p.line for p in blank] == list(range(first, first + SHOWN + 1))
    assert total(blank) == FLOOD
    assert blank[-1].more == FLOOD - SHOWN - 1 and blank[-1].last_line == first + FLOOD - 1


def test_irr_validate_prints_a_few_lines_and_the_exact_count_for_200_000_blank_lines(
    package_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _flood_of_blank_lines(package_copy)
    assert main(["validate", str(package_copy)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == SHOWN + 2
    assert out[SHOWN].endswith(
        f"{BLANK} (and {FLOOD - SHOWN - 1:,} more like it, up to line {first + FLOOD - 1:,})"
    )
    assert out[-1] == f"invalid: {FLOOD:,} problems in 1 file"


def test_the_json_report_sums_up_in_more_and_last_line(
    package_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _flood_of_blank_lines(package_copy)
    assert main(["validate", str(package_copy), "--format", "json"]) == 1
    problems = json.loads(capsys.readouterr().out)
    assert len(problems) == SHOWN + 1
    assert [p["more"] for p in problems] == [0] * SHOWN + [FLOOD - SHOWN - 1]
    assert problems[-1]["last_line"] == first + FLOOD - 1
    assert sum(1 + p["more"] for p in problems) == FLOOD


def test_the_github_annotations_carry_the_summary(
    package_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _flood_of_blank_lines(package_copy)
    assert main(["validate", str(package_copy), "--format", "github"]) == 1
    out = capsys.readouterr().out.splitlines()
    annotations = [line for line in out if line.startswith("::error ")]
    assert len(annotations) == SHOWN + 1
    assert f"(and {FLOOD - SHOWN - 1:,} more like it" in annotations[-1]
    assert out[-1] == f"invalid: {FLOOD:,} problems in 1 file"


def test_a_flood_of_blank_lines_is_summed_up_in_bulk_as_row_by_row(
    package_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pyarrow")
    _flood_of_blank_lines(package_copy)
    monkeypatch.setattr(columnar, "COLUMNAR_FROM", 1 << 62)
    rows = validate(package_copy, display="pkg")
    monkeypatch.setattr(columnar, "COLUMNAR_FROM", 0)
    assert validate(package_copy, display="pkg") == rows


def test_blank_lines_inside_a_quoted_cell_stay_in_the_cell() -> None:
    raw = read(b'id,b\n"a\n\n\n\nb",c\nd,e\n', "t.csv")
    assert raw.rows == [(2, ["a\n\n\n\nb", "c"]), (7, ["d", "e"])]
    assert raw.problems == []


def test_blank_lines_that_an_unclosed_quote_swallowed_are_each_read_again_as_blank_rows() -> None:
    raw = read(b'id,b\n"a,c\n' + b"\n" * 1000 + b"d,e\n", "t.csv")
    assert raw.rows == [(1003, ["d", "e"])]
    blank = _blank_rows(raw.problems)
    assert [p.line for p in blank] == list(range(3, 4 + SHOWN))
    assert total(blank) == 1000 and blank[-1].last_line == 1002


@given(st.lists(st.sampled_from(["\n", "\n\n\n", "a\n", "b,c\n", '"\n', "\r\n", "\x00\n"])))
def test_runs_of_blank_lines_are_the_lines_read_one_by_one(pieces: list[str]) -> None:
    data = "".join(pieces).encode()
    one_by_one = list(Lines("t.csv", []).read([data]))
    expanded: list[tuple[int, str]] = []
    for line, text in Lines("t.csv", []).read_runs([data]):
        if isinstance(text, int):
            expanded += [(line + n, "\n") for n in range(text)]
        else:
            expanded.append((line, text))
    assert expanded == one_by_one


@given(st.lists(st.sampled_from(["\n", "a\n", "b\r\n", "\r\n", "c\rd\n", "\r\r\n", "é\r\n"])))
def test_crlf_line_endings_read_at_once_are_those_read_one_by_one(pieces: list[str]) -> None:
    data = "".join(pieces).encode()
    problems: list[Problem] = []
    lines = list(Lines("t.csv", problems).read([data]))
    raw = data.decode().split("\n")[:-1]
    assert lines == [
        (n, line.removesuffix("\r").replace("\r", " ") + "\n") for n, line in enumerate(raw, 1)
    ]
    with_cr = [n for n, line in enumerate(raw, 1) if "\r" in line]
    found = [p for p in problems if "CR" in p.message]
    assert [p.line for p in found] == with_cr[:1]
    if len(with_cr) > 1:
        assert f"(and {len(with_cr) - 1:,} more lines)" in found[0].message


def test_a_flood_of_crlf_blank_lines_is_read_at_once(package_copy: Path) -> None:
    path = _events(package_copy)
    data = path.read_bytes()
    _write(path, data + b"\r\n" * FLOOD)
    problems = validate(package_copy, display="pkg").problems
    blank = _blank_rows(problems)
    assert total(blank) == FLOOD and len(blank) == SHOWN + 1
    assert any(f"CRLF line ending (and {FLOOD - 1:,} more lines)" in p.message for p in problems)


messages = st.sampled_from(["is wrong", '"x" is not a date', '"yy" is not a date', "has 3 cells"])
problems = st.builds(
    Problem,
    file=st.sampled_from(["a.csv", "b.csv"]),
    line=st.integers(1, 50),
    field=st.sampled_from([None, "start"]),
    message=messages,
)


@given(st.lists(problems, max_size=60))
def test_problems_count_every_problem_and_list_the_first_few_of_each_kind(
    found: list[Problem],
) -> None:
    kept = Problems(found)
    assert total(kept) == len(found)
    for each in {kind(p) for p in found}:
        of_kind = [p for p in found if kind(p) == each]
        listed = [p for p in kept if kind(p) == each]
        assert listed[:SHOWN] == of_kind[:SHOWN]
        assert len(listed) == min(len(of_kind), SHOWN + 1)


@given(st.lists(problems, max_size=60), st.lists(problems, max_size=60))
def test_problems_summed_up_apart_add_up_together(
    first: list[Problem], second: list[Problem]
) -> None:
    together = Problems(Problems(first))
    together.extend(Problems(second))
    assert total(together) == len(first) + len(second)
    assert all(len([p for p in together if kind(p) == k]) <= SHOWN + 1 for k in map(kind, together))


def test_a_million_problems_of_one_kind_keep_a_few_objects() -> None:
    kept = Problems()
    for line in range(2, 1_000_002):
        kept.append(Problem("t.csv", line, "start", f'"{line}" is not a date'))
    assert len(kept) == SHOWN + 1 and total(kept) == 1_000_000
    assert str(kept[-1]) == (
        f't.csv:{SHOWN + 2}: start: "{SHOWN + 2}" is not a date '
        f"(and {1_000_000 - SHOWN - 1:,} more like it, up to line 1,000,001)"
    )


ROWS = 20_000


def _rows_like(path: Path, change: dict[str, str], ids: bool = True) -> int:
    """Append ``ROWS`` copies of the file's last row, with ``change`` and new sorted ids."""
    text = path.read_text("utf-8")
    head, *rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for n in range(ROWS):
        row = dict(zip(head, rows[-1], strict=True))
        if ids:
            row["id"] = f"zzzz-{n:06d}"
        writer.writerow([change.get(name, row[name]) for name in head])
    _write(path, text.encode() + out.getvalue().encode())
    return len(rows) + 2


def _floods(package: Path, monkeypatch: pytest.MonkeyPatch) -> list[Problem]:
    """The problems of the package, which the bulk checks find too."""
    monkeypatch.setattr(columnar, "COLUMNAR_FROM", 1 << 62)
    rows = validate(package, display="pkg")
    if columnar.available():
        monkeypatch.setattr(columnar, "COLUMNAR_FROM", 0)
        assert validate(package, display="pkg") == rows
    return rows.problems


@pytest.mark.parametrize(
    "flood",
    [
        ("events", {"start": "1955-13"}, True, "start", '"1955-13" is not a real date'),
        ("events", {}, False, "id", "duplicate key"),
        ("visits", {"leader_id": "nobody"}, True, "leader_id", '"nobody" is not an id'),
    ],
    ids=["bad dates", "duplicate ids", "dangling keys"],
)
def test_20_000_rows_with_one_problem_each_are_listed_a_few_times_and_counted(
    package_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
    flood: tuple[str, dict[str, str], bool, str, str],
) -> None:
    table, change, ids, field, message = flood
    first = _rows_like(package_copy / "data" / f"{table}.csv", change, ids)
    found = [p for p in _floods(package_copy, monkeypatch) if p.field == field]
    assert [p.line for p in found] == list(range(first, first + SHOWN + 1))
    assert all(p.message.startswith(message) for p in found)
    assert total(found) == ROWS and found[-1].last_line == first + ROWS - 1
