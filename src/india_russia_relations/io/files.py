"""Reading the files of a package safely: only regular files inside it, of bounded size.

Every command reads data through here, so a resource path that is absolute, climbs out
with ``..``, is a URL, or is a symbolic link leading outside the package is refused, and a
FIFO or device is never opened.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path, PurePosixPath

from ..problems import show

MAX_FILE_BYTES = 256 * 1024 * 1024
"""Files larger than this are reported, not read."""


def unsafe_path(root: Path, path: object) -> str | None:
    """Why ``path`` cannot be a file of the package at ``root``, or None when it can."""
    if not isinstance(path, str) or not path:
        return "path must be a relative file path"
    if "\x00" in path:
        return f"path {show(path)} contains a NUL character"
    if "://" in path or path.startswith(("//", "\\")) or ":" in path:
        return (
            f"path {show(path)} is a URL or has a drive; resources must be files inside the package"
        )
    pure = PurePosixPath(path)
    if pure.is_absolute() or "\\" in path:
        return f"path {show(path)} is absolute; make it relative to datapackage.json"
    if ".." in pure.parts:
        return f"path {show(path)} contains '..'; resources must be inside the package"
    try:
        inside = (root / path).resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError, ValueError):
        return f"path {show(path)} cannot be resolved"
    if not inside:
        return f"path {show(path)} is a link that leads outside the package"
    return None


def read_inside(root: Path, relative: str) -> tuple[bytes | None, str | None]:
    """The bytes of a file of the package, or None and why it cannot be used."""
    unsafe = unsafe_path(root, relative)
    if unsafe:
        return None, unsafe
    path = root / relative
    try:
        if not path.is_file():
            state = "is missing" if not path.exists() else "is not a regular file"
            return None, f"{relative} {state}"
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, f"{relative} is {size} bytes; the limit is {MAX_FILE_BYTES} bytes"
        return path.read_bytes(), None
    except (OSError, ValueError) as err:
        return None, f"{relative} cannot be read ({getattr(err, 'strerror', None) or err})"


TEMP_SUFFIX = ".irr-tmp"
"""Temporary files and directories of an unfinished write end with this; the next write removes them."""


def write_inside(root: Path, relative: str, data: bytes) -> str | None:
    """Write a file of the package atomically, refusing the paths ``read_inside`` refuses.

    Returns None on success, else why the file cannot be written.
    """
    unsafe = unsafe_path(root, relative)
    if unsafe:
        return unsafe
    path = root / relative
    if path.exists() and not path.is_file():
        return f"{relative} is not a regular file"
    try:
        write_atomic(path, data)
    except OSError as err:
        return f"{relative} cannot be written ({err.strerror or err})"
    return None


def _leftovers(directory: Path, name: str) -> list[Path]:
    return sorted(directory.glob(f".{name}.*{TEMP_SUFFIX}"))


def _remove(path: Path) -> None:
    with suppress(FileNotFoundError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def _fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable (where the platform allows opening a directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace the content of ``path`` with ``data`` so that a reader sees the old or the new, never a part.

    The bytes go to a temporary file in the same directory, are flushed to disk, then renamed
    over ``path`` (keeping its permissions); the directory is synced so the rename survives a
    crash. Leftovers of an interrupted earlier write of the same file are removed first.
    Raises ``OSError`` when the file cannot be written; ``path`` is then unchanged.
    """
    directory = path.parent
    for leftover in _leftovers(directory, path.name):
        _remove(leftover)
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, temp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        _remove(Path(temp))
        raise
    _fsync_directory(directory)


@contextmanager
def atomic_directory(path: Path) -> Iterator[Path]:
    """Build a directory in a temporary sibling, then move it to ``path`` in one rename.

    Yields the temporary directory to fill. An existing ``path`` is replaced only when the
    block finishes without error; on error the temporary directory is removed and ``path``
    is left as it was. (Callers decide beforehand whether replacing is allowed.)
    """
    parent = path.parent
    parent.mkdir(parents=True, exist_ok=True)
    for leftover in _leftovers(parent, path.name):
        _remove(leftover)
    temp = Path(tempfile.mkdtemp(dir=parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX))
    try:
        yield temp
        if path.exists() or path.is_symlink():
            old = Path(
                tempfile.mkdtemp(dir=parent, prefix=f".{path.name}.old.", suffix=TEMP_SUFFIX)
            )
            old.rmdir()
            os.replace(path, old)
            os.replace(temp, path)
            _remove(old)
        else:
            os.replace(temp, path)
    except BaseException:
        _remove(temp)
        raise
    _fsync_directory(parent)


def sha256(data: bytes) -> str:
    """Hex SHA-256 of ``data``, as ``sources.csv`` records it."""
    return hashlib.sha256(data).hexdigest()
