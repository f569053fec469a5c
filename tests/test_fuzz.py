"""Whatever the bytes, validation returns located problems and never raises."""

from __future__ import annotations

import io
import json
import shutil
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from india_russia_relations import TABLES
from india_russia_relations.checks.validate import Report, validate
from india_russia_relations.cli import main
from india_russia_relations.publish.fmt import formatted

from .conftest import PACKAGE
from .test_validate import _write

FILES = [f"data/{t}.csv" for t in TABLES] + ["datapackage.json"]
ORIGINAL = {name: (PACKAGE / name).read_bytes() for name in FILES}
# 60 examples, or fewer when the profile asks for fewer (mutation runs).
fuzz = settings(
    max_examples=min(60, settings.default.max_examples),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@contextmanager
def _package_with(name: str, data: bytes, rehash: bool = False) -> Iterator[Path]:
    """A copy of the package with ``name`` replaced by ``data``; with ``rehash``, its size and
    hash updated in the descriptor as `irr build` would, so only the content is checked."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "datapackage"
        shutil.copytree(PACKAGE, root)
        if rehash:
            _write(root / name, data)
        else:
            (root / name).write_bytes(data)
        yield root


def _assert_located(root: Path) -> Report:
    report = validate(root, display="pkg")
    for problem in report.problems:
        assert problem.file.startswith("pkg/") and problem.line >= 1 and problem.message
    return report


def _assert_fmt_has_nothing_to_do_unless_reported(name: str, data: bytes, report: Report) -> None:
    """A data file in which validate finds no problem is one that fmt leaves byte for byte."""
    if not any(p.file == f"pkg/{name}" for p in report.problems):
        assert formatted(Path(name).stem, data, name) == (data, [])


def _assert_checked(name: str, data: bytes) -> None:
    """Edited content gives located problems, and fmt agrees with validate about the file."""
    data_file = name != "datapackage.json"
    with _package_with(name, data, rehash=data_file) as root:
        report = _assert_located(root)
    if data_file:
        _assert_fmt_has_nothing_to_do_unless_reported(name, data, report)


byte_edits = st.lists(
    st.tuples(st.floats(0, 1, exclude_max=True), st.binary(max_size=4)), min_size=1, max_size=5
)


def _edited(name: str, edits: list[tuple[float, bytes]]) -> bytes:
    """The file ``name`` with each (relative position, new bytes) edit applied in turn."""
    data = bytearray(ORIGINAL[name])
    for where, new in edits:
        at = int(where * len(data))
        data[at : at + len(new)] = new
    return bytes(data)


@fuzz
@given(
    name=st.sampled_from(FILES),
    edits=byte_edits,
)
def test_random_byte_edits_give_problems_not_exceptions(
    name: str, edits: list[tuple[float, bytes]]
) -> None:
    _assert_checked(name, _edited(name, edits))


@fuzz
@given(name=st.sampled_from(FILES), where=st.floats(0, 1, exclude_max=True))
def test_truncation_gives_problems_not_exceptions(name: str, where: float) -> None:
    _assert_checked(name, ORIGINAL[name][: int(where * len(ORIGINAL[name]))])


@fuzz
@given(table=st.sampled_from(TABLES), data=st.data())
def test_cell_edits_and_row_swaps_give_problems_not_exceptions(
    table: str, data: st.DataObject
) -> None:
    lines = ORIGINAL[f"data/{table}.csv"].decode().split("\n")
    body = lines[1:-1]
    if len(body) >= 2 and data.draw(st.booleans()):
        i, j = data.draw(st.permutations(range(len(body))))[:2]
        body[i], body[j] = body[j], body[i]
    row = data.draw(st.integers(0, len(body) - 1))
    cells = body[row].split(",")
    cells[data.draw(st.integers(0, len(cells) - 1))] = data.draw(st.text(max_size=12))
    body[row] = ",".join(cells)
    _assert_checked(
        f"data/{table}.csv",
        "\n".join([lines[0], *body, ""]).encode("utf-8", errors="surrogatepass"),
    )


@fuzz
@given(table=st.sampled_from(TABLES), data=st.data())
def test_fmt_is_idempotent(table: str, data: st.DataObject) -> None:
    lines = ORIGINAL[f"data/{table}.csv"].decode().split("\n")
    body = data.draw(st.permutations(lines[1:-1]))
    once, problems = formatted(table, "\n".join([lines[0], *body, ""]).encode(), "t.csv")
    assert problems == [] and once == ORIGINAL[f"data/{table}.csv"]
    twice, _ = formatted(table, once, "t.csv")
    assert twice == once


def test_validation_opens_no_network_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("validation tried to open a socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert validate(PACKAGE).problems == []


def test_a_binary_file_is_one_located_problem_per_bad_line() -> None:
    # Lines 2 to 5 each hold the bytes from 0x0b on: 0x80 is the first that is not UTF-8.
    with _package_with("data/events.csv", bytes(range(256)) * 4) as root:
        report = validate(root, display="pkg")
    assert [str(p) for p in report.problems if "UTF-8" in p.message] == [
        f"pkg/data/events.csv:{line}: byte 0x80 at column 118 is not UTF-8; save the file as UTF-8"
        for line in range(2, 6)
    ]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=10,
)


@fuzz
@given(
    path=st.sampled_from(
        [
            (),
            ("resources",),
            ("resources", 0),
            ("resources", 0, "path"),
            ("resources", 0, "name"),
            ("resources", 9, "hash"),
            ("name",),
        ]
    ),
    value=json_values,
)
def test_any_json_in_the_descriptor_gives_problems_not_exceptions(
    path: tuple[str | int, ...], value: object
) -> None:
    descriptor = json.loads(ORIGINAL["datapackage.json"])
    if not path:
        descriptor = value
    else:
        target = descriptor
        for part in path[:-1]:
            target = target[part]
        if isinstance(target, list) and isinstance(path[-1], int) and path[-1] >= len(target):
            target.append(value)
        else:
            target[path[-1]] = value
    with _package_with("datapackage.json", json.dumps(descriptor).encode()) as root:
        _assert_located(root)


def test_a_source_text_over_the_size_limit_is_reported_with_the_limit_and_what_to_do(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("india_russia_relations.io.files.MAX_FILE_BYTES", 100)
    problems = [str(p) for p in validate(PACKAGE, display="pkg").problems]
    size = (PACKAGE / "sources" / "exam-notes.txt").stat().st_size
    assert (
        f"pkg/data/sources.csv:3: path: the source text cannot be used: sources/exam-notes.txt "
        f"is {size:,} bytes, over the limit of 100 bytes (0 MiB) for a file that is read whole; "
        "split it into smaller files" in problems
    ), problems


def test_tables_are_streamed_so_no_size_limit_applies_to_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("india_russia_relations.io.files.MAX_FILE_BYTES", 100)
    problems = [str(p) for p in validate(PACKAGE, display="pkg").problems]
    assert not any("data/citations.csv" in p for p in problems), problems


@fuzz
@given(
    name=st.sampled_from(FILES),
    edits=byte_edits,
)
def test_the_command_prints_a_summary_whatever_the_bytes(
    name: str, edits: list[tuple[float, bytes]]
) -> None:
    data = _edited(name, edits)
    out = io.StringIO()
    with _package_with(name, data) as root, redirect_stdout(out):
        code = main(["validate", str(root)])
    last = out.getvalue().splitlines()[-1]
    assert (code, last.split(":")[0]) in {(0, "valid"), (1, "invalid")}
