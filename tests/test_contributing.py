"""CONTRIBUTING.md's walk-through runs as written, output and all, on a copy of the repository.

The walk-through re-creates a visit that is in the data, so the copy starts without that
visit and its citations, and ends with every committed file rebuilt byte for byte: the
commands add exactly the committed rows, and the committed data is never touched.
"""

from __future__ import annotations

import re
import shlex
import textwrap
from pathlib import Path

import pytest

from india_russia_relations.cli import main
from india_russia_relations.io.csvfile import read, write_rows
from india_russia_relations.io.lock import LOCK_NAME
from india_russia_relations.publish import build
from india_russia_relations.schema.columns import header

from .conftest import REPO, copy_checkout

GUIDE = (REPO / "CONTRIBUTING.md").read_text("utf-8")
SECTION = "## Add a visit, step by step"
RECORD = "1964-brezhnev-india"
"""The visit the walk-through adds (it is in the committed data)."""
COPIED = ("pyproject.toml", "README.md", "datapackage", "schemas", "docs")


def walkthrough() -> list[tuple[str, list[str]]]:
    """Each ``$ command`` of the section's console blocks, with the output shown under it."""
    start = GUIDE.index(SECTION)
    end = GUIDE.find("\n## ", start + len(SECTION))
    blocks = re.findall(r"```console\n(.*?)```", GUIDE[start:end], flags=re.DOTALL)
    steps: list[tuple[str, list[str]]] = []
    for block in blocks:
        lines = textwrap.dedent(block).splitlines()
        while lines:
            line = lines.pop(0)
            assert line.startswith("$ "), line
            command = line[2:]
            while command.endswith("\\"):
                command = command[:-1] + lines.pop(0).strip()
            output: list[str] = []
            while lines and not lines[0].startswith("$ "):
                output.append(lines.pop(0))
            steps.append((command, output))
    return steps


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` lines match: a line ``...`` stands for any lines, ``...`` in a line
    for any text."""
    pattern = "".join(
        r"(?:.*\n)*?" if line == "..." else ".*".join(map(re.escape, line.split("..."))) + r"\n"
        for line in expected
    )
    return re.fullmatch(pattern, "".join(line + "\n" for line in actual)) is not None


def _without_the_record(root: Path) -> None:
    """Remove the walk-through's visit and its citations, then rebuild."""
    for table, column in (("visits", "id"), ("citations", "record_id")):
        path = root / "datapackage" / "data" / f"{table}.csv"
        raw = read(path.read_bytes(), table)
        index = header(table).index(column)
        kept = [cells for _, cells in raw.rows if cells[index] != RECORD]
        assert len(kept) < len(raw.rows)
        path.write_bytes(write_rows(header(table), kept))
    build.write(root)


def _tree(root: Path) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for name in COPIED:
        path = root / name
        for file in [path] if path.is_file() else sorted(path.rglob("*")):
            if file.is_file() and file.name != LOCK_NAME:  # git-ignored: names its last holder
                found[str(file.relative_to(root))] = file.read_bytes()
    return found


def test_the_walkthrough_is_found() -> None:
    commands = [command for command, _ in walkthrough()]
    assert all(command.startswith("irr ") for command in commands)
    assert any(command.startswith("irr quote ") for command in commands)
    assert any(command.startswith("irr add visits ") for command in commands)
    assert any(command.startswith(f"irr add citation {RECORD} ") for command in commands)
    assert commands[-1] == "irr validate"


def test_the_walkthrough_runs_as_written_and_rebuilds_the_committed_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "repo"
    copy_checkout(root, COPIED)
    committed = _tree(root)
    _without_the_record(root)
    monkeypatch.chdir(root)
    for command, expected in walkthrough():
        capsys.readouterr()
        main(shlex.split(command)[1:])
        captured = capsys.readouterr()
        actual = (captured.out + captured.err).splitlines()
        assert matches(expected, actual), (command, actual)
    assert actual[-1].startswith("valid: ")
    assert _tree(root) == committed


@pytest.mark.parametrize(
    ("expected", "actual", "wanted"),
    [
        (["a", "...", "d"], ["a", "b", "c", "d"], True),
        (["a", "...", "d"], ["a", "d"], True),
        (["line ...:"], ["line 12:"], True),
        (["line ...:"], ["column 12:"], False),
        (["a"], ["a", "b"], False),
    ],
)
def test_output_matching_treats_dots_as_a_wildcard(
    expected: list[str], actual: list[str], wanted: bool
) -> None:
    assert matches(expected, actual) is wanted
