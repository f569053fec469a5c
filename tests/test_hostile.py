"""Hostile or careless input: located problems, right advice, linear time, and no lost cell.

The sizes are the test: each input is large enough that a quadratic algorithm would take
minutes, while a linear one takes about a second (the per-test timeout is the guard; no
test asserts a duration).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from india_russia_relations.checks.validate import validate
from india_russia_relations.cli import main
from india_russia_relations.io.csvfile import FIELD_LIMIT, MAX_LINE, read, write_rows
from india_russia_relations.problems import SHOWN, total
from india_russia_relations.publish.fmt import formatted
from india_russia_relations.schema.columns import header
from india_russia_relations.schema.descriptor import dump_json

from .test_cli import checkout  # noqa: F401  (fixture)
from .test_validate import _write

pytestmark = pytest.mark.timeout(120)


def _problems(package: Path) -> list[str]:
    return [str(p) for p in validate(package, display="pkg").problems]


def _events(package: Path) -> Path:
    return package / "data" / "events.csv"


def test_a_header_of_100_000_columns_is_summarized_in_one_problem(package_copy: Path) -> None:
    path = _events(package_copy)
    head, rest = path.read_text("utf-8").split("\n", 1)
    extra = ",".join(f"c{i}" for i in range(100_000))
    _write(path, f"{head},{extra}\n{rest}".encode())
    problems = _problems(package_copy)
    assert (
        'pkg/data/events.csv:1: header has 100,000 unknown columns, first: "c0", "c1", "c2"; '
        "the columns are in schemas/events.json" in problems
    )
    assert max(len(p) for p in problems) < 300
    width = len(header("events"))
    assert f"pkg/data/events.csv:2: has {width} cells; the header has {width + 100_000}" in problems


def test_a_header_that_repeats_one_label_100_000_times_is_one_problem(
    package_copy: Path,
) -> None:
    path = _events(package_copy)
    head, rest = path.read_text("utf-8").split("\n", 1)
    _write(path, (head + ",id" * 100_000 + "\n" + rest).encode())
    problems = _problems(package_copy)
    assert 'pkg/data/events.csv:1: header label "id" appears more than once' in problems


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            '"a"b,c\n',
            "is not valid CSV (',' expected after '\"'); quote the cell and double any quote inside",
        ),
        ('"a,c\n', "has an unclosed quote: the quoted cell that starts on this line never ends"),
    ],
)
def test_100_000_broken_rows_are_each_counted_once_and_summed_up_after_a_few(
    row: str, message: str
) -> None:
    data = ("id,b\n" + row * 100_000).encode()
    raw = read(data, "t.csv")
    found = [p for p in raw.problems if p.message == message]
    assert [p.line for p in found] == list(range(2, 3 + SHOWN))
    assert total(found) == 100_000 and found[-1].last_line == 100_001


def test_fmt_refuses_100_000_broken_rows_and_says_where() -> None:
    data = (",".join(header("leaders")) + "\n" + '"a"b,c\n' * 100_000).encode()
    new, problems = formatted("leaders", data, "leaders.csv")
    assert new is None
    assert total(p for p in problems if "is not valid CSV" in p.message) == 100_000


def test_an_unclosed_quote_does_not_swallow_the_rows_after_it() -> None:
    data = ("id,b\n" + '"a,c\n' + "x,y\n" * 100_000).encode()
    raw = read(data, "t.csv")
    assert [str(p) for p in raw.problems] == [
        "t.csv:2: has an unclosed quote: the quoted cell that starts on this line never ends"
    ]
    assert len(raw.rows) == 100_000 and raw.rows[0] == (3, ["x", "y"])


def test_a_descriptor_with_20_000_resources_gets_each_one_counted_and_the_first_located(
    package_copy: Path,
) -> None:
    path = package_copy / "datapackage.json"
    descriptor = json.loads(path.read_text("utf-8"))
    template = descriptor["resources"][-1]
    descriptor["resources"] += [
        dict(template, name=f"r{i}", path=f"sources/r{i}.txt") for i in range(20_000)
    ]
    path.write_text(dump_json(descriptor), "utf-8")
    problems = validate(package_copy, display="pkg").problems
    stray = [p for p in problems if p.message.startswith("is neither a table nor a source")]
    assert total(stray) == 20_000 and len(stray) == SHOWN + 1
    text = path.read_text("utf-8").splitlines()
    for problem in stray:
        name = problem.field.removeprefix("resources[").removesuffix("]")  # type: ignore[union-attr]
        assert f'"name": "{name}"' in text[problem.line - 1]


def test_a_cell_over_the_field_limit_is_reported_with_what_to_do() -> None:
    data = b"id,b\nx," + b"y" * (FIELD_LIMIT + 1) + b"\n"
    raw = read(data, "t.csv")
    assert [str(p) for p in raw.problems] == [
        f"t.csv:2: has a cell longer than {FIELD_LIMIT:,} characters, far over any column's "
        "maximum length (see schemas/); shorten it"
    ]


def test_a_line_over_the_line_limit_is_skipped_and_reading_goes_on() -> None:
    data = b"id,b\n" + b"x" * (MAX_LINE + 10) + b"\nz,w\n"
    raw = read(data, "t.csv")
    assert [str(p) for p in raw.problems] == [
        f"t.csv:2: is longer than {MAX_LINE:,} bytes, far longer than any row can be; "
        "it is skipped: put each row on one line of its own"
    ]
    assert raw.rows == [(3, ["z", "w"])]


def test_a_5000_digit_integer_is_out_of_range_not_a_python_error(package_copy: Path) -> None:
    path = package_copy / "data" / "agreements.csv"
    raw = read(path.read_bytes(), "agreements")
    assert raw.header is not None
    at = raw.header.index("duration_years")
    line, cells = next((line, cells) for line, cells in raw.rows if cells[at])
    cells[at] = "9" * 5000
    _write(path, write_rows(raw.header, [c for _, c in raw.rows]))
    problems = _problems(package_copy)
    assert len(problems) == 1
    assert problems[0].startswith(f"pkg/data/agreements.csv:{line}: duration_years: ")
    assert problems[0].endswith("has 5,000 digits, far out of range; the largest allowed is 1000")


def _without_derived_columns(path: Path) -> tuple[list[str], list[list[str]]]:
    raw = read(path.read_bytes(), path.name)
    assert raw.header is not None
    keep = [i for i, name in enumerate(raw.header) if not name.endswith(("_earliest", "_latest"))]
    return [raw.header[i] for i in keep], [[cells[i] for i in keep] for _, cells in raw.rows]


def test_fmt_refuses_a_row_with_a_cell_too_many_in_a_file_without_derived_columns(
    checkout: Path,  # noqa: F811
) -> None:
    path = checkout / "datapackage" / "data" / "events.csv"
    head, rows = _without_derived_columns(path)
    rows[3].append("one cell too many")
    data = write_rows(head, rows)
    path.write_bytes(data)
    assert main(["fmt"]) == 1
    assert path.read_bytes() == data
    problems = _problems(checkout / "datapackage")
    assert f"pkg/data/events.csv:5: has {len(head) + 1} cells; the header has {len(head)}" in (
        problems
    )
    assert any("lacks the derived date columns" in p for p in problems)


def test_fmt_refuses_an_unquoted_comma_that_would_move_a_summary_into_notes(
    checkout: Path,  # noqa: F811
) -> None:
    path = checkout / "datapackage" / "data" / "events.csv"
    head, rows = _without_derived_columns(path)
    summary = head.index("summary")
    lines = write_rows(head, rows).decode().split("\n")
    cells = rows[0]
    cells[summary] = cells[summary].replace(" ", ", ", 1)
    lines[1] = ",".join(cells)  # written by hand: the comma is not quoted
    data = "\n".join(lines).encode()
    path.write_bytes(data)
    assert main(["fmt"]) == 1
    assert path.read_bytes() == data


def test_fmt_formats_a_file_with_a_cross_table_problem_and_says_problems_remain(
    checkout: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = checkout / "datapackage" / "data" / "events.csv"
    raw = read(path.read_bytes(), "events")
    assert raw.header is not None
    rows = [cells for _, cells in raw.rows]
    rows[0][0] = "jawaharlal-nehru"  # an event id that is also a leader id
    path.write_bytes(write_rows(raw.header, rows))  # now out of order too
    assert main(["fmt"]) == 0
    out = capsys.readouterr().out
    assert "reformatted datapackage/data/events.csv" in out
    assert out.splitlines()[-1].startswith("irr fmt: ")
    assert "remain that irr fmt does not fix; run `irr build`, then `irr validate`" in out
    ids = [cells[0] for _, cells in read(path.read_bytes(), "events").rows]
    assert ids == sorted(ids)


@pytest.mark.parametrize("how", ["symlink", "directory"])
def test_build_refuses_a_source_text_it_cannot_read(
    checkout: Path,  # noqa: F811
    tmp_path: Path,
    how: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = checkout / "datapackage" / "sources" / "exam-notes.txt"
    descriptor = checkout / "datapackage" / "datapackage.json"
    before = descriptor.read_bytes()
    if how == "symlink":
        outside = tmp_path / "outside.txt"
        outside.write_bytes(text.read_bytes())
        text.unlink()
        os.symlink(outside, text)
    else:
        text.unlink()
        text.mkdir()
    assert main(["build"]) == 1
    assert main(["build", "--check"]) == 1
    assert descriptor.read_bytes() == before
    reason = (
        "is a link that leads outside the package" if how == "symlink" else "is not a regular file"
    )
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("irr build: datapackage/sources/exam-notes.txt: cannot be used (")
    assert reason in err[0]
    assert "fix or replace the file, then run `irr build` again" in err[1]
