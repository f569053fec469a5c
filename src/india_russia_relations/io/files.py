"""Reading the files of a package safely: only regular files inside it, of bounded size.

Every command reads data through here, so a resource path that is absolute, climbs out
with ``..``, is a URL, or is a symbolic link leading outside the package is refused, and a
FIFO or device is never opened.
"""

from __future__ import annotations

import hashlib
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


def write_inside(root: Path, relative: str, data: bytes) -> str | None:
    """Write a file of the package, refusing the paths ``read_inside`` refuses; None on success."""
    unsafe = unsafe_path(root, relative)
    if unsafe:
        return unsafe
    path = root / relative
    if path.exists() and not path.is_file():
        return f"{relative} is not a regular file"
    try:
        path.write_bytes(data)
    except OSError as err:
        return f"{relative} cannot be written ({err.strerror})"
    return None


def sha256(data: bytes) -> str:
    """Hex SHA-256 of ``data``, as ``sources.csv`` records it."""
    return hashlib.sha256(data).hexdigest()
