"""The `irr` command: exit codes, output formats, and what each subcommand may write."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from india_russia_relations.cli import main
from india_russia_relations.errors import DataError
from india_russia_relations.io.csvfile import read, write_rows

from .conftest import REPO


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's data and metadata, as the working directory."""
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root)
    shutil.copytree(REPO / "datapackage", root / "datapackage")
    shutil.copytree(REPO / "schemas", root / "schemas")
    monkeypatch.chdir(root)
    return root


def test_validate_exits_0_on_the_committed_package(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.startswith("valid: datapackage:")


def test_validate_accepts_the_descriptor_path(checkout: Path) -> None:
    assert main(["validate", "datapackage/datapackage.json"]) == 0


def test_validate_exits_1_and_ends_with_a_summary(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = checkout / "datapackage" / "data" / "events.csv"
    _break_first_event(path)
    assert main(["validate"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("datapackage/data/events.csv:2: kind:") for line in lines)
    assert lines[-1].startswith("invalid: ")


def test_validate_json_lists_problems_as_objects(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = checkout / "datapackage" / "data" / "events.csv"
    _break_first_event(path)
    assert main(["validate", "--format", "json"]) == 1
    problems = json.loads(capsys.readouterr().out)
    assert {"file", "line", "field", "message"} <= set(problems[0])


def test_validate_github_prints_annotations(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = checkout / "datapackage" / "data" / "events.csv"
    _break_first_event(path)
    assert main(["validate", "--format", "github"]) == 1
    assert "::error file=datapackage/data/events.csv,line=2::kind:" in capsys.readouterr().out


def test_validate_exits_2_when_no_package_is_found(tmp_path: Path) -> None:
    assert main(["validate", str(tmp_path / "nowhere")]) == 2


def test_bad_arguments_exit_2() -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--format", "xml"])
    assert exit_info.value.code == 2


def test_fmt_check_reports_without_writing(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = checkout / "datapackage" / "data" / "leaders.csv"
    head, *rows = path.read_text("utf-8").splitlines(keepends=True)
    shuffled = "".join([head, *reversed(rows)])
    path.write_text(shuffled, "utf-8")
    assert main(["fmt", "--check"]) == 1
    assert path.read_text("utf-8") == shuffled
    out = capsys.readouterr().out
    assert "would reformat datapackage/data/leaders.csv" in out
    assert "datapackage/data/leaders.csv (after irr fmt)" in out


def test_fmt_sorts_rows_and_fills_derived_dates(checkout: Path) -> None:
    path = checkout / "datapackage" / "data" / "visits.csv"
    original = path.read_text("utf-8")
    head, *rows = original.splitlines(keepends=True)
    broken = "".join([head, *reversed(rows)]).replace("1955-06-01", "")
    path.write_text(broken, "utf-8")
    assert main(["fmt"]) == 0
    assert path.read_text("utf-8") == original


def test_fmt_is_idempotent(checkout: Path) -> None:
    assert main(["fmt"]) == 0
    before = {p: p.read_bytes() for p in (checkout / "datapackage").rglob("*") if p.is_file()}
    assert main(["fmt", "--check"]) == 0
    assert {
        p: p.read_bytes() for p in (checkout / "datapackage").rglob("*") if p.is_file()
    } == before


def test_fmt_leaves_a_file_it_cannot_parse_untouched(checkout: Path) -> None:
    path = checkout / "datapackage" / "data" / "events.csv"
    _break_first_event(path)
    broken = path.read_text("utf-8")
    assert main(["fmt"]) == 1
    assert path.read_text("utf-8") == broken


def test_build_check_shows_the_difference(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    descriptor = checkout / "datapackage" / "datapackage.json"
    descriptor.write_text(
        descriptor.read_text("utf-8").replace('"version": "', '"version": "9'), "utf-8"
    )
    assert main(["build", "--check"]) == 1
    out = capsys.readouterr().out
    assert "datapackage/datapackage.json (built)" in out and '+  "version"' in out


def test_build_fails_check_when_the_project_version_changes(checkout: Path) -> None:
    pyproject = checkout / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text("utf-8").replace('version = "', 'version = "9', 1), "utf-8"
    )
    assert main(["build", "--check"]) == 1
    assert main(["build"]) == 0
    assert main(["build", "--check"]) == 0


def test_python_dash_m_runs_the_command() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "india_russia_relations", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.startswith("irr ")


def _break_first_event(path: Path) -> None:
    """Give the first event an out-of-vocabulary kind."""
    raw = read(path.read_bytes(), str(path))
    assert raw.header is not None
    rows = [cells for _, cells in raw.rows]
    rows[0][raw.header.index("kind")] = "vetoed"
    path.write_bytes(write_rows(raw.header, rows))


def test_fmt_refuses_to_write_through_a_link_outside_the_package(
    checkout: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.csv"
    path = checkout / "datapackage" / "data" / "countries.csv"
    outside.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    path.unlink()
    path.symlink_to(outside)
    before = outside.read_bytes()
    assert main(["fmt"]) == 1
    assert outside.read_bytes() == before


def test_fmt_adds_missing_derived_columns_even_to_a_file_without_final_newline(
    checkout: Path,
) -> None:
    path = checkout / "datapackage" / "data" / "visits.csv"
    original = path.read_bytes()
    raw = read(original, "visits")
    assert raw.header is not None
    keep = [i for i, name in enumerate(raw.header) if not name.endswith(("_earliest", "_latest"))]
    rows = [[cells[i] for i in keep] for _, cells in raw.rows]
    path.write_bytes(write_rows([raw.header[i] for i in keep], rows).rstrip(b"\n"))
    assert main(["fmt"]) == 0
    assert path.read_bytes() == original


def test_validate_exits_2_when_no_package_is_installed_or_checked_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing() -> Path:
        raise DataError("the data package is not installed")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("india_russia_relations.cli.package_dir", missing)
    assert main(["validate"]) == 2


def test_a_closed_pipe_ends_quietly(checkout: Path) -> None:
    (checkout / "datapackage" / "data" / "events.csv").write_bytes(bytes(range(256)) * 400)
    irr = Path(sys.executable).with_name("irr")
    result = subprocess.run(
        f"'{irr}' validate | head -1", shell=True, capture_output=True, text=True, check=False
    )
    assert result.stdout.count("\n") == 1
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
