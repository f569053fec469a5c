"""Reading and writing the files of a package safely: only regular files inside it.

Every command reads data through here, so a resource path that is absolute, climbs out
with ``..``, is a URL, or is a symbolic link leading outside the package is refused, and a
FIFO or device is never opened. Files read whole (the descriptor, source texts) are bounded
in size; tables are streamed and have no size limit. Every write is atomic.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from ..problems import show
from .lock import process_alive

MAX_FILE_BYTES = 256 * 1024 * 1024
"""Files that are read whole (the descriptor, archived source texts) are refused over this size."""


@lru_cache(maxsize=16)
def _resolved(root: str) -> str:
    return os.path.realpath(root)


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
        real_root = _resolved(str(root))
        real = os.path.realpath(os.path.join(real_root, path))
        inside = real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)
    except (OSError, RuntimeError, ValueError):
        return f"path {show(path)} cannot be resolved"
    if not inside:
        return f"path {show(path)} is a link that leads outside the package"
    return None


def too_large(relative: str, size: int) -> str:
    """Why a file of ``size`` bytes is not read whole."""
    return (
        f"{relative} is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,} bytes "
        f"({MAX_FILE_BYTES // 2**20} MiB) for a file that is read whole; split it into smaller files"
    )


def open_inside(root: Path, relative: str) -> tuple[BinaryIO | None, str | None]:
    """An open regular file of the package, to stream, or None and why it cannot be used."""
    unsafe = unsafe_path(root, relative)
    if unsafe:
        return None, unsafe
    path = root / relative
    try:
        if not path.exists():
            return None, f"{relative} is missing"
        # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError) as err:
        return None, f"{relative} cannot be read ({getattr(err, 'strerror', None) or err})"
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None, f"{relative} is not a regular file"
    return os.fdopen(fd, "rb"), None


def size_of(path: Path) -> int:
    """The size of the file at ``path`` in bytes; 0 when it cannot be read."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def chunks(file: BinaryIO, size: int = 1024 * 1024) -> Iterator[bytes]:
    """The bytes of an open file in pieces of ``size``; the file is closed at the end."""
    with file:
        while piece := file.read(size):
            yield piece


def facts_inside(root: Path, relative: str) -> tuple[tuple[int, str] | None, str | None]:
    """The size and SHA-256 of a file of the package, read as a stream, or None and why not."""
    file, why = open_inside(root, relative)
    if file is None:
        return None, why
    digest, size = hashlib.sha256(), 0
    try:
        for piece in chunks(file):
            digest.update(piece)
            size += len(piece)
    except OSError as err:
        return None, f"{relative} cannot be read ({err.strerror or err})"
    return (size, digest.hexdigest()), None


def read_inside(root: Path, relative: str) -> tuple[bytes | None, str | None]:
    """The bytes of a file of the package, or None and why it cannot be used."""
    file, why = open_inside(root, relative)
    if file is None:
        return None, why
    with file:
        try:
            size = os.fstat(file.fileno()).st_size
            if size > MAX_FILE_BYTES:
                return None, too_large(relative, size)
            return file.read(), None
        except (OSError, ValueError) as err:
            return None, f"{relative} cannot be read ({getattr(err, 'strerror', None) or err})"


TEMP_SUFFIX = ".irr-tmp"
"""Temporary files and directories of an unfinished write end with this.

Their names are ``.NAME.PID.RANDOM.irr-tmp`` (``.NAME.old.PID.RANDOM.irr-tmp`` for a
replaced directory on its way out): PID is the writer's process id, so that the next
write of NAME removes a leftover only once its writer is gone.
"""

OLD_LEFTOVER_SECONDS = 3600
"""A leftover named without a process id (by an earlier version of irr) is removed once it
is this old: no write of one file or directory takes that long, so its writer is gone."""

_TEMP_NAME = re.compile(r"(?:old\.)?(?:(?P<pid>[0-9]+)\.)?[a-z0-9_]+")
"""What follows ``.NAME.`` in a temporary name, before the suffix."""


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


def _temp_prefix(name: str) -> str:
    """The start of the temporary name of a write of ``name`` by this process."""
    return f".{name}.{os.getpid()}."


def _leftovers(directory: Path, name: str) -> list[Path]:
    """The temporary files and directories of writes of ``name`` whose writer is gone.

    A temporary name of a live process (this one included: another thread may be writing)
    is never a leftover; nor is a name of another file (``.NAME.csv.PID...`` when NAME is
    being written), nor a young one without a process id.
    """
    prefix = f".{name}."
    found = []
    try:
        entries = os.listdir(directory)
    except OSError:
        return []
    for entry in entries:
        if not (entry.startswith(prefix) and entry.endswith(TEMP_SUFFIX)):
            continue
        middle = _TEMP_NAME.fullmatch(entry[len(prefix) : -len(TEMP_SUFFIX)])
        if middle is None:
            continue
        path = directory / entry
        if middle["pid"] is not None:
            if process_alive(int(middle["pid"])):
                continue
        else:
            try:
                age = time.time() - path.lstat().st_mtime
            except OSError:
                continue
            if age < OLD_LEFTOVER_SECONDS:
                continue
        found.append(path)
    return sorted(found)


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


def umask() -> int:
    """The process's umask, which new files and directories are created with."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Replace the content of ``path`` with ``data`` so that a reader sees the old or the new, never a part.

    The bytes go to a temporary file in the same directory, are flushed to disk, then renamed
    over ``path`` (keeping its permissions); the directory is synced so the rename survives a
    crash. Leftovers of an interrupted earlier write of the same file are removed first, once
    their writer is gone; the temporary file of a write running in another process is kept.
    Raises ``OSError`` when the file cannot be written; ``path`` is then unchanged.
    """
    directory = path.parent
    for leftover in _leftovers(directory, path.name):
        _remove(leftover)
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~umask()
    fd, temp = tempfile.mkstemp(dir=directory, prefix=_temp_prefix(path.name), suffix=TEMP_SUFFIX)
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
    temp = Path(tempfile.mkdtemp(dir=parent, prefix=_temp_prefix(path.name), suffix=TEMP_SUFFIX))
    try:
        yield temp
        if path.exists() or path.is_symlink():
            old = Path(
                tempfile.mkdtemp(
                    dir=parent, prefix=f".{path.name}.old.{os.getpid()}.", suffix=TEMP_SUFFIX
                )
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


def write_tree(directory: Path, files: Mapping[str, bytes]) -> None:
    """Fill ``directory`` (the temporary one of ``atomic_directory``) with new ``files``.

    ``files`` maps relative POSIX paths to bytes. Each file is created (never overwritten)
    and flushed to disk, and each folder is synced once, so that the rename which makes the
    directory visible publishes it whole; that rename is what makes the write atomic.
    """
    folders = {directory}
    for relative, data in sorted(files.items()):
        pure = PurePosixPath(relative)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts:
            raise ValueError(f"{relative!r} is not a relative path inside the directory")
        path = directory.joinpath(*pure.parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        folders.update(p for p in path.parents if p.is_relative_to(directory))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
    for folder in sorted(folders, reverse=True):
        _fsync_directory(folder)


def sha256(data: bytes) -> str:
    """Hex SHA-256 of ``data``, as ``sources.csv`` records it."""
    return hashlib.sha256(data).hexdigest()
