"""Writes are atomic: a reader, or a crash, sees the old file or the new one, never a part."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from india_russia_relations.io import files
from india_russia_relations.io.files import TEMP_SUFFIX, atomic_directory, write_atomic, write_tree


def _leftovers(directory: Path) -> list[Path]:
    return [p for p in directory.iterdir() if p.name.endswith(TEMP_SUFFIX)]


def test_write_atomic_replaces_the_content(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"old\n")
    write_atomic(path, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert _leftovers(tmp_path) == []


def test_write_atomic_keeps_the_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"old\n")
    path.chmod(0o640)
    write_atomic(path, b"new\n")
    assert path.stat().st_mode & 0o777 == 0o640


def test_write_atomic_creates_a_new_file_with_the_default_mode(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "new.csv", b"x\n")
    finally:
        os.umask(umask)
    assert (tmp_path / "new.csv").stat().st_mode & 0o777 == 0o644


def test_a_failed_rename_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"old\n")

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="No space"):
        write_atomic(path, b"new\n")
    assert path.read_bytes() == b"old\n"
    assert _leftovers(tmp_path) == []


def _gone_pid() -> int:
    """The process id of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_temp_file_names_its_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names: list[str] = []
    real = os.replace

    def replace(source: str, target: Path) -> None:
        names.append(Path(source).name)
        real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    write_atomic(tmp_path / "t.csv", b"new\n")
    assert len(names) == 1
    assert names[0].startswith(f".t.csv.{os.getpid()}.")
    assert names[0].endswith(TEMP_SUFFIX)


def test_the_next_write_removes_a_leftover_whose_writer_is_gone(tmp_path: Path) -> None:
    leftover = tmp_path / f".t.csv.{_gone_pid()}.abc123{TEMP_SUFFIX}"
    leftover.write_bytes(b"half a ro")
    write_atomic(tmp_path / "t.csv", b"new\n")
    assert not leftover.exists()


def test_the_next_write_keeps_the_temp_file_of_a_live_writer(tmp_path: Path) -> None:
    live = tmp_path / f".t.csv.{os.getppid()}.abc123{TEMP_SUFFIX}"
    live.write_bytes(b"being writt")
    write_atomic(tmp_path / "t.csv", b"new\n")
    assert live.read_bytes() == b"being writt"


def test_the_next_write_keeps_the_temp_files_of_other_files(tmp_path: Path) -> None:
    gone = _gone_pid()
    others = [
        tmp_path / f".other.csv.{gone}.abc123{TEMP_SUFFIX}",
        tmp_path / f".t.csv.5.{gone}.abc123{TEMP_SUFFIX}",  # of the file t.csv.5
    ]
    for other in others:
        other.write_bytes(b"not ours")
    write_atomic(tmp_path / "t.csv", b"new\n")
    assert all(other.exists() for other in others)


def test_a_leftover_without_a_pid_is_kept_while_young_and_removed_once_old(
    tmp_path: Path,
) -> None:
    young = tmp_path / f".t.csv.abc123{TEMP_SUFFIX}"
    old = tmp_path / f".t.csv.def456{TEMP_SUFFIX}"
    for path in (young, old):
        path.write_bytes(b"half a ro")
    long_ago = time.time() - files.OLD_LEFTOVER_SECONDS - 60
    os.utime(old, (long_ago, long_ago))
    write_atomic(tmp_path / "t.csv", b"new\n")
    assert young.exists()
    assert not old.exists()


def test_atomic_directory_keeps_a_live_writers_directory_and_removes_a_gone_ones(
    tmp_path: Path,
) -> None:
    out = tmp_path / "site"
    live = tmp_path / f".site.{os.getppid()}.abc123{TEMP_SUFFIX}"
    gone = tmp_path / f".site.old.{_gone_pid()}.abc123{TEMP_SUFFIX}"
    for directory in (live, gone):
        directory.mkdir()
        (directory / "index.html").write_text("page")
    with atomic_directory(out) as temp:
        (temp / "index.html").write_text("new")
    assert (live / "index.html").exists()
    assert not gone.exists()
    assert (out / "index.html").read_text() == "new"


_CHILD = """
import sys
from pathlib import Path
from india_russia_relations.io.files import write_atomic
write_atomic(Path(sys.argv[1]), b"n" * int(sys.argv[2]))
"""


def test_killing_a_write_midway_leaves_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    old = b"o" * 1000
    path.write_bytes(old)
    size = 512 * 1024 * 1024
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(path), str(size)])
    deadline = time.monotonic() + 60
    while not _leftovers(tmp_path) and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    started = bool(_leftovers(tmp_path))
    child.send_signal(signal.SIGKILL)
    child.wait()
    data = path.read_bytes()
    assert data in (old, b"n" * size)  # never a part
    if started and _leftovers(tmp_path):  # killed before the rename: the old file stands
        assert data == old
        write_atomic(path, b"next\n")
        assert _leftovers(tmp_path) == []
    assert started, "the child never began writing"


def test_atomic_directory_replaces_a_directory_only_on_success(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "old.html").write_text("old")
    with pytest.raises(RuntimeError), atomic_directory(out) as temp:
        (temp / "new.html").write_text("new")
        raise RuntimeError("a page failed to render")
    assert sorted(p.name for p in out.iterdir()) == ["old.html"]
    with atomic_directory(out) as temp:
        (temp / "new.html").write_text("new")
    assert sorted(p.name for p in out.iterdir()) == ["new.html"]
    assert _leftovers(tmp_path) == []


def test_write_tree_fills_a_directory_with_new_files(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.txt": b"a", "sub/deeper/b.txt": b"b"})
    assert (tmp_path / "a.txt").read_bytes() == b"a"
    assert (tmp_path / "sub" / "deeper" / "b.txt").read_bytes() == b"b"
    with pytest.raises(FileExistsError):
        write_tree(tmp_path, {"a.txt": b"again"})
    assert (tmp_path / "a.txt").read_bytes() == b"a"


def test_write_tree_refuses_a_path_outside_the_directory(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a relative path"):
        write_tree(tmp_path / "d", {"../escape.txt": b"x"})
    assert not (tmp_path / "escape.txt").exists()
