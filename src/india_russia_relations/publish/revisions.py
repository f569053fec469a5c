"""The two sides of ``irr diff``: a package directory, ``empty``, or a git revision.

A revision's ``datapackage/`` is listed with ``git ls-tree`` (so each file's size is known
before any is read) and written into a temporary directory blob by blob with ``git
cat-file``, a piece at a time (and its changelog read with ``git show``), so the working
tree, the index and HEAD are never touched and memory does not follow the files' sizes. A
file over the size limit for files read whole is not written at all, and is refused with
the words ``irr validate`` uses; a symbolic link is written as the link it is, so that the
readers refuse one leading out of the package as they do in a checkout. Each side also
knows its last release: the highest ``vX.Y.Z`` tag it contains or its newest dated
CHANGELOG heading, whichever is higher.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
import threading
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from ..errors import DataError
from ..io.changelog import released
from ..io.files import MAX_FILE_BYTES, too_large
from ..problems import show
from ..schema.descriptor import DESCRIPTOR
from .diff import Snapshot, empty_snapshot, read_snapshot
from .versions import ZERO, Version

EMPTY = "empty"
"""The argument that names the empty package."""

_GIT_TIMEOUT = 60


@dataclass(frozen=True)
class Side:
    """One side of a comparison: its package and the last release it contains."""

    snapshot: Snapshot
    release: Version | None
    release_from: str
    """Where the release was found: a tag, CHANGELOG.md, or '' when there is none."""


def _last_release(changelog: str | None, tags: list[str]) -> tuple[Version | None, str]:
    found: list[tuple[Version, str]] = []
    for tag in tags:
        try:
            version = Version.parse(tag.removeprefix("v"))
        except ValueError:
            continue
        if not version.prerelease:
            found.append((version, f"tag {tag}"))
    if changelog is not None:
        try:
            dated = released(changelog)
        except ValueError as err:
            raise DataError(str(err)) from None
        for release in dated:
            try:
                found.append((Version.parse(release.version), "CHANGELOG.md"))
            except ValueError:
                continue
    if not found:
        return None, ""
    return max(found, key=lambda f: f[0]._order())


def _git(checkout: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args], cwd=checkout, capture_output=True, timeout=_GIT_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise DataError(f"git could not run ({err})") from None


def _revision(checkout: Path | None, name: str) -> str | None:
    """The commit ``name`` stands for in the repository at ``checkout``, or None."""
    if checkout is None or name.startswith("-") or shutil.which("git") is None:
        return None
    result = _git(checkout, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}")
    return result.stdout.decode().strip() or None if result.returncode == 0 else None


_LINK = "120000"
_FILES = ("100644", "100755")
_MOST_LINK = 4096
"""The longest link target written (a path no longer than the platform's longest)."""
_PIECE = 1024 * 1024


@dataclass(frozen=True)
class _Entry:
    mode: str
    object: str
    size: int
    path: str


def _entries(checkout: Path, tree: str, name: str) -> list[_Entry]:
    """The files and links of ``tree``, with their sizes; ``DataError`` for a path that no
    checkout could hold."""
    listed = _git(checkout, "ls-tree", "-r", "-l", "-z", tree)
    if listed.returncode != 0:
        raise DataError(f"revision {name} has no datapackage/ ({listed.stderr.decode().strip()})")
    entries = []
    for record in listed.stdout.split(b"\0"):
        if not record:
            continue
        info, _, raw_path = record.partition(b"\t")
        mode, kind, obj, size = info.decode().split()
        path = raw_path.decode("utf-8", errors="surrogateescape")
        if kind != "blob" or mode not in (_LINK, *_FILES):
            continue  # a submodule: no file in a checkout either
        parts = path.split("/")
        if any(part in ("", ".", "..", ".git") for part in parts) or "\\" in path:
            raise DataError(
                f"revision {name} holds datapackage/{show(path)[1:-1]}, a path no checkout can hold"
            )
        entries.append(_Entry(mode, obj, int(size), path))
    return entries


class _Blobs:
    """``git cat-file --batch``: the bytes of blobs, one at a time, read in pieces."""

    def __init__(self, checkout: Path) -> None:
        try:
            self.process = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=checkout,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError as err:
            raise DataError(f"git could not run ({err})") from None
        self.timer = threading.Timer(_GIT_TIMEOUT, self.process.kill)
        self.timer.start()

    def write(self, obj: str, size: int, out: BinaryIO) -> None:
        """Write the blob ``obj`` of ``size`` bytes to ``out``."""
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        try:
            stdin.write(obj.encode() + b"\n")
            stdin.flush()
            header = stdout.readline().split()
            if len(header) != 3 or header[1] != b"blob" or int(header[2]) != size:
                raise DataError(f"git could not read the object {obj}")
            left = size
            while left:
                piece = stdout.read(min(left, _PIECE))
                if not piece:
                    raise DataError(f"git could not read the object {obj} (timed out)")
                out.write(piece)
                left -= len(piece)
            stdout.read(1)  # the newline after the content
        except (OSError, ValueError) as err:
            raise DataError(f"git could not read the object {obj} ({err})") from None

    def close(self) -> None:
        self.timer.cancel()
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.kill()
        self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def _materialize(checkout: Path, entries: list[_Entry], root: Path, name: str) -> dict[str, str]:
    """Write the revision's files and links under ``root``; return why each file left out
    (over the size limit) cannot be used, by path."""
    withheld: dict[str, str] = {}
    links = {e.path for e in entries if e.mode == _LINK}
    blobs = _Blobs(checkout)
    try:
        # Files first, links last, so that nothing is ever written through a link.
        for entry in sorted(entries, key=lambda e: (e.mode == _LINK, e.path)):
            parents = PurePosixPath(entry.path).parents
            if any(str(parent) in links for parent in parents):
                raise DataError(
                    f"revision {name} holds datapackage/{show(entry.path)[1:-1]} under a link"
                )
            target = root.joinpath(*entry.path.split("/"))
            if entry.mode != _LINK and entry.size > MAX_FILE_BYTES:
                withheld[entry.path] = too_large(entry.path, entry.size)
                continue
            if entry.mode == _LINK and entry.size > _MOST_LINK:
                withheld[entry.path] = (
                    f"path {show(entry.path)} is a link that leads outside the package"
                )
                continue
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
                if entry.mode == _LINK:
                    held = io.BytesIO()
                    blobs.write(entry.object, entry.size, held)
                    os.symlink(os.fsdecode(held.getvalue()), target)
                    continue
                mode = 0o755 if entry.mode == "100755" else 0o644
                with os.fdopen(os.open(target, flags, mode), "wb") as out:
                    blobs.write(entry.object, entry.size, out)
            except (OSError, ValueError) as err:
                raise DataError(
                    f"revision {name}: datapackage/{show(entry.path)[1:-1]} cannot be "
                    f"written to a temporary directory ({err})"
                ) from None
    finally:
        blobs.close()
    return withheld


def _from_revision(checkout: Path, name: str, commit: str, stack: ExitStack) -> Side:
    prefix = _git(checkout, "rev-parse", "--show-prefix").stdout.decode().strip()
    entries = _entries(checkout, f"{commit}:{prefix}datapackage", name)
    temp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="irr-diff-")))
    root = temp / "datapackage"
    root.mkdir()
    withheld = _materialize(checkout, entries, root, name)
    shown = _git(checkout, "show", f"{commit}:{prefix}CHANGELOG.md")
    changelog = shown.stdout.decode("utf-8", errors="replace") if shown.returncode == 0 else None
    tags = _git(checkout, "tag", "--list", "v[0-9]*", "--merged", commit).stdout.decode().split()
    release, found_in = _last_release(changelog, tags)
    label = name[:12] if re.fullmatch(r"[0-9a-f]{40}", name) else name  # a full SHA, shortened
    display = f"{label}:{prefix}datapackage"
    return Side(read_snapshot(root, label, display=display, withheld=withheld), release, found_in)


def _from_directory(path: Path, label: str) -> Side:
    root = path.parent if path.name == DESCRIPTOR else path
    changelog_path = root.parent / "CHANGELOG.md"
    changelog = (
        changelog_path.read_text(encoding="utf-8", errors="replace")
        if changelog_path.is_file()
        else None
    )
    release, found_in = _last_release(changelog, [])
    return Side(read_snapshot(root, label), release, found_in)


def resolve(argument: str, checkout: Path | None, stack: ExitStack) -> Side:
    """The side named by ``argument``: ``empty``, a package directory, or a git revision.

    Temporary directories live as long as ``stack``. Raises ``DataError`` saying which
    of the three it tried and why each failed.
    """
    if argument == EMPTY:
        return Side(empty_snapshot(), ZERO, "the empty package")
    path = Path(argument)
    if (path / DESCRIPTOR).is_file() or (path.name == DESCRIPTOR and path.is_file()):
        return _from_directory(path, argument)
    commit = _revision(checkout, argument)
    if commit is not None and checkout is not None:
        return _from_revision(checkout, argument, commit, stack)
    where = f"the git repository at {checkout}" if checkout else "a git checkout"
    raise DataError(
        f"{argument!r} is not a package directory (with {DESCRIPTOR}), "
        f"not {EMPTY!r}, and not a revision of {where}"
    )


def working_tree(checkout: Path | None, installed: Path) -> Side:
    """The default NEW side: this checkout's ``datapackage/``, else the installed package."""
    if checkout is not None:
        return _from_directory(checkout / "datapackage", "working tree")
    return Side(read_snapshot(installed, "installed package"), None, "")
