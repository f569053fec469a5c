"""Two commands at once lose nothing: writers of the package take turns, and a write never
deletes the temporary file of another writer that is still running.

Every test starts real processes (an ``irr`` command, a writer), never threads: the lock
is per process, and the lost rows it prevents came from processes.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO

import pytest

from india_russia_relations.io.files import TEMP_SUFFIX, sha256, write_atomic
from india_russia_relations.io.lock import LOCK_NAME, hold, package_lock

from .conftest import REPO, copy_checkout

RECORD = "1900-11-first-russian-consulate-in-mumbai"
SOURCE = "wikipedia-mirror"
WRITERS = 6
"""How many ``irr add`` start at once (without the lock, 20 pairs at once lost 8 of 40 rows)."""
_DEADLINE = 120.0
"""Seconds a test waits for a child before it gives up (a guard against hanging, not a measure)."""


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of the repository's package and of every file ``irr build`` generates."""
    root = tmp_path / "repo"
    copy_checkout(
        root,
        ("pyproject.toml", "README.md", "CHANGELOG.md", "CITATION.cff", "datapackage", "schemas"),
    )
    (root / "docs").mkdir()
    for name in ("codebook.md", "timeline.svg"):
        (root / "docs" / name).write_bytes((REPO / "docs" / name).read_bytes())
    package_lock(root / "datapackage").unlink(missing_ok=True)  # copied from a used checkout
    return root


def _irr(root: Path, *args: str, stderr: int | IO[str] = subprocess.PIPE) -> subprocess.Popen[str]:
    """Start ``irr ARGS`` in ``root``, as a separate process."""
    return subprocess.Popen(
        [sys.executable, "-m", "india_russia_relations", *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
    )


def _finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=_DEADLINE)
    return process.returncode, out, err or ""


def _run(root: Path, *args: str) -> tuple[int, str]:
    code, out, err = _finish(_irr(root, *args))
    return code, out + err


def _quotes(root: Path, n: int) -> list[str]:
    """``n`` different passages of the source, none cited yet."""
    words = (root / "datapackage" / "sources" / f"{SOURCE}.txt").read_text("utf-8").split()
    quotes: list[str] = []
    for start in range(0, len(words) - 6, 7):
        quote = " ".join(words[start : start + 6])
        if re.fullmatch(r"[A-Za-z .]+", quote) and quote not in quotes:  # no CSV quoting
            quotes.append(quote)
        if len(quotes) == n:
            return quotes
    raise AssertionError("the source has too few passages")  # pragma: no cover


def _citation(quote: str) -> list[str]:
    return ["add", "citation", "--basis", "stated", RECORD, SOURCE, quote]


def _lines(root: Path, table: str) -> list[str]:
    return (root / "datapackage" / "data" / f"{table}.csv").read_text("utf-8").splitlines()


def _all_at_once(root: Path, commands: Sequence[list[str]]) -> list[tuple[int, str, str]]:
    started = [_irr(root, *command) for command in commands]
    return [_finish(process) for process in started]


def _valid_and_fresh(root: Path) -> None:
    code, output = _run(root, "validate")
    assert code == 0, output
    code, output = _run(root, "build", "--check", "--no-cache")
    assert code == 0, output
    assert "up to date" in output


def test_writers_started_at_once_each_land_their_row(checkout: Path) -> None:
    before = _lines(checkout, "citations")
    quotes = _quotes(checkout, WRITERS)
    results = _all_at_once(checkout, [_citation(q) for q in quotes])
    assert [code for code, _, _ in results] == [0] * WRITERS, [err for _, _, err in results]
    after = _lines(checkout, "citations")
    assert len(after) == len(before) + WRITERS
    for quote in quotes:
        assert sum(f",{RECORD},{SOURCE},{quote}," in line for line in after) == 1, quote
    _valid_and_fresh(checkout)


def test_a_citation_and_a_leader_added_at_once_both_land_with_their_hashes(
    checkout: Path,
) -> None:
    citations, leaders = len(_lines(checkout, "citations")), len(_lines(checkout, "leaders"))
    (quote,) = _quotes(checkout, 1)
    leader = ["add", "leaders", "--set", "name=Test Person", "--set", "country_id=india"]
    results = _all_at_once(checkout, [_citation(quote), leader])
    assert [code for code, _, _ in results] == [0, 0], [err for _, _, err in results]
    assert len(_lines(checkout, "citations")) == citations + 1
    assert len(_lines(checkout, "leaders")) == leaders + 1
    assert any(line.startswith("test-person,") for line in _lines(checkout, "leaders"))
    package = checkout / "datapackage"
    descriptor = json.loads((package / "datapackage.json").read_text("utf-8"))
    for resource in descriptor["resources"]:  # both files' hashes, as the last build wrote them
        assert resource["hash"] == f"sha256:{sha256((package / resource['path']).read_bytes())}"
    (cited,) = _quotes(checkout, 2)[1:]
    code, output = _run(
        checkout, "add", "citation", "--basis", "stated", "test-person", SOURCE, cited
    )
    assert code == 0, output
    code, output = _run(checkout, "validate")  # the new leader is cited now
    assert code == 0, output


def test_a_second_command_waits_for_the_lock_and_says_so(checkout: Path) -> None:
    before = _lines(checkout, "citations")
    (quote,) = _quotes(checkout, 1)
    stderr = checkout.parent / "stderr.txt"
    with stderr.open("w") as err, hold(package_lock(checkout / "datapackage")):
        waiting = _irr(checkout, *_citation(quote), stderr=err)
        deadline = time.monotonic() + _DEADLINE
        while (
            "waiting for" not in stderr.read_text("utf-8")
            and waiting.poll() is None
            and time.monotonic() < deadline
        ):
            time.sleep(0.05)
        assert _lines(checkout, "citations") == before  # nothing written while the lock is held
    code, _, _ = _finish(waiting)
    message = f"waiting for another irr command (pid {os.getpid()}) to finish"
    assert message in stderr.read_text("utf-8")
    assert code == 0
    assert len(_lines(checkout, "citations")) == len(before) + 1


def test_a_check_waits_for_a_writer_and_creates_no_lock_file(checkout: Path) -> None:
    lock = package_lock(checkout / "datapackage")
    code, output = _run(checkout, "fmt", "--check")
    assert code == 0, output
    assert not lock.exists()  # a check writes nothing, not even the lock file
    stderr = checkout.parent / "stderr.txt"
    with stderr.open("w") as err, hold(lock):
        check = _irr(checkout, "fmt", "--check", stderr=err)
        deadline = time.monotonic() + _DEADLINE
        while (
            "waiting for" not in stderr.read_text("utf-8")
            and check.poll() is None
            and time.monotonic() < deadline
        ):
            time.sleep(0.05)
        assert check.poll() is None  # it does not read the package while a writer holds it
    code, _, _ = _finish(check)
    assert code == 0
    assert "waiting for another irr command" in stderr.read_text("utf-8")


def test_checks_run_at_once_do_not_wait_for_each_other(checkout: Path) -> None:
    lock = package_lock(checkout / "datapackage")
    lock.touch()
    with hold(lock, reading=True):
        code, _, err = _finish(_irr(checkout, "fmt", "--check"))
    assert code == 0
    assert "waiting for" not in err


def test_a_writer_may_hold_the_lock_again_inside_its_own_hold(checkout: Path) -> None:
    lock = package_lock(checkout / "datapackage")
    said: list[str] = []
    with hold(lock), hold(lock, notice_after=0, say=said.append):
        pass
    assert said == []


def test_a_dry_run_and_a_check_run_where_the_lock_cannot_be_created(checkout: Path) -> None:
    package = checkout / "datapackage"
    (package / LOCK_NAME).mkdir()  # the lock file cannot be created, as in a read-only place
    (quote,) = _quotes(checkout, 1)
    for command in (
        [*_citation(quote), "--dry-run"],
        ["fmt", "--check"],
        ["build", "--check", "--no-cache"],
    ):
        code, output = _run(checkout, *command)
        assert code == 0, output


def test_a_writing_command_without_a_writable_lock_says_why(checkout: Path) -> None:
    package = checkout / "datapackage"
    (package / LOCK_NAME).mkdir()  # the lock file cannot be created, as in a read-only place
    (quote,) = _quotes(checkout, 1)
    for command in (_citation(quote), ["fmt"], ["build"]):
        code, output = _run(checkout, *command)
        assert code == 1, output
        assert "cannot create the lock file" in output, output
        assert "Traceback" not in output and "internal error" not in output, output


_WRITER = """
import os, sys, time
from pathlib import Path
from india_russia_relations.io import files

go = Path(sys.argv[2])
real_fsync = os.fsync


def paused_fsync(fd):  # the temp file is written: wait here until told to go on
    while not go.exists():
        time.sleep(0.01)
    real_fsync(fd)


os.fsync = paused_fsync
files.write_atomic(Path(sys.argv[1]), b"from the writer\\n")
"""


@pytest.fixture
def paused_writer(tmp_path: Path) -> Iterator[Callable[[Path], tuple[subprocess.Popen[str], Path]]]:
    """Start a process stopped inside ``write_atomic(path)``; get it and its temporary file.

    Touching ``go`` lets it finish; one still running at the end of the test is killed.
    """
    started: list[subprocess.Popen[str]] = []

    def start(path: Path) -> tuple[subprocess.Popen[str], Path]:
        writer = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path), str(tmp_path / "go")],
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(writer)
        deadline = time.monotonic() + _DEADLINE
        pattern = f".{path.name}.*{TEMP_SUFFIX}"
        while not (temps := list(path.parent.glob(pattern))) and time.monotonic() < deadline:
            assert writer.poll() is None, writer.communicate()
            time.sleep(0.01)
        assert len(temps) == 1, "the writer never began writing"
        return writer, temps[0]

    yield start
    for writer in started:
        if writer.poll() is None:
            writer.kill()
        writer.communicate()


def test_a_live_writers_temp_file_survives_another_write_of_the_same_file(
    tmp_path: Path, paused_writer: Callable[[Path], tuple[subprocess.Popen[str], Path]]
) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"old\n")
    writer, temp = paused_writer(path)
    write_atomic(path, b"from this test\n")
    assert temp.exists()
    (tmp_path / "go").touch()
    _, err = writer.communicate(timeout=_DEADLINE)
    assert writer.returncode == 0, err  # its rename found its temp file
    assert path.read_bytes() == b"from the writer\n"


def test_a_dead_writers_temp_file_is_removed_by_the_next_write(
    tmp_path: Path, paused_writer: Callable[[Path], tuple[subprocess.Popen[str], Path]]
) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"old\n")
    writer, temp = paused_writer(path)
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    assert temp.exists()
    write_atomic(path, b"new\n")
    assert not temp.exists()
    assert path.read_bytes() == b"new\n"


def test_the_lock_and_temp_files_stay_out_of_the_wheel_and_the_sdist(checkout: Path) -> None:
    pytest.importorskip("hatchling")
    from hatchling.builders.sdist import SdistBuilder
    from hatchling.builders.wheel import WheelBuilder

    package = checkout / "datapackage"
    (package / LOCK_NAME).write_text("1\n")
    (package / "data" / f".citations.csv.1.abc123{TEMP_SUFFIX}").write_text("half")
    for builder in (WheelBuilder(str(checkout)), SdistBuilder(str(checkout))):
        included = [f.distribution_path for f in builder.recurse_included_files()]
        assert any(p.endswith("datapackage.json") for p in included), included
        assert not [p for p in included if p.endswith((LOCK_NAME, TEMP_SUFFIX))]


def test_the_lock_file_is_no_file_of_the_package(checkout: Path) -> None:
    (checkout / "datapackage" / LOCK_NAME).write_text("1\n")
    for command in (["validate"], ["fmt", "--check"], ["build", "--check", "--no-cache"]):
        code, output = _run(checkout, *command)
        assert code == 0, output
        assert LOCK_NAME not in output
    pytest.importorskip("frictionless")
    from frictionless import Package

    report = Package(str(checkout / "datapackage" / "datapackage.json")).validate()
    assert report.valid, report.flatten(["type", "note"])


def test_a_change_planned_before_another_writer_wrote_is_refused_not_applied(
    checkout: Path,
) -> None:
    from india_russia_relations.errors import DataError
    from india_russia_relations.publish.add import add_citation, apply, locked

    first, second = _quotes(checkout, 2)
    values: dict[str, str | None] = {"basis": "stated"}
    late = add_citation(checkout, RECORD, SOURCE, second, values)  # planned outside the lock
    with locked(checkout):  # planned and applied as one, as `irr add` does
        apply(checkout, add_citation(checkout, RECORD, SOURCE, first, values))
    after_first = _lines(checkout, "citations")
    with pytest.raises(DataError, match=r"citations\.csv changed since this change was planned"):
        apply(checkout, late)
    assert _lines(checkout, "citations") == after_first  # the first row is kept
