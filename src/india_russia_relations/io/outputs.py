"""Where a command's output goes, and what ``--force`` may replace there: only irr's own files.

An output is a file (``irr export --format json OUT``, ``irr plot timeline OUT``) or a
directory (``irr site OUT``, ``irr export --format parquet OUT``). Every output is written
under the lock of its place (``io.lock.output_lock``: a file beside it), so two commands
writing it at once take turns.

A directory records what irr wrote in a manifest inside it, ``.irr-manifest.json``, written
last: each file's relative path and SHA-256, the kind of output and the irr version. With
``--force`` irr replaces exactly the files the manifest names, removes those it names that
the new output no longer has, and keeps every other entry (a gh-pages checkout's ``.git``,
its ``CNAME`` and ``.nojekyll``, a person's ``keep.txt``). It refuses, naming the entry,
when a file of the new output would land on an entry that is not its own. A directory with
no manifest is replaced only when it is empty or holds an output of the earlier format
(recognised by its file names and marks; see ``Layout``), whose files irr then claims.

A new directory is built in a temporary sibling and appears whole, in one rename. An
existing directory is updated in place, file by file, each file replaced atomically: a
reader sees each file old or new, never a part, and the manifest says ``"complete":
false`` until the last file is written. Creating and keeping the directory in place keeps
what the person gave it: its inode, owner, mode, a shell's working directory in it.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

from ..errors import IrrError
from ..problems import show
from .files import MAX_FILE_BYTES, atomic_directory, sha256, umask, write_atomic, write_tree
from .lock import LockUnavailableError, hold, output_lock

MANIFEST = ".irr-manifest.json"
"""The manifest of an output directory: what irr wrote there."""
GENERATOR = "india-russia-relations"
ALWAYS_KEPT = frozenset({".git", "CNAME", ".nojekyll"})
"""Entries irr never writes, claims or removes, and which alone do not make a directory foreign."""


class OutputError(IrrError):
    """An output cannot be written where asked; nothing was changed."""


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version(GENERATOR)
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"


def _reason(err: OSError) -> str:
    return err.strerror or str(err)


def prepare(out: Path, error: type[IrrError] = OutputError) -> None:
    """Make sure the folder that holds ``out`` exists and is a folder, creating it with the user's umask."""
    parent = out.parent
    for ancestor in [parent, *parent.parents]:
        try:
            mode = ancestor.stat().st_mode
        except FileNotFoundError:
            continue
        except NotADirectoryError:
            continue  # an ancestor further up is a file: found below
        except OSError as err:
            raise error(f"{out}: cannot look at {ancestor} ({_reason(err)})") from None
        if not stat.S_ISDIR(mode):
            raise error(
                f"{out}: {ancestor} is a file, not a directory; choose a path outside it"
            ) from None
        break
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise error(f"{out}: cannot create the directory {parent} ({_reason(err)})") from None


@contextmanager
def locked(out: Path, error: type[IrrError] = OutputError) -> Iterator[None]:
    """Hold the lock of the output ``out`` for the block (its folder is created first)."""
    prepare(out, error)
    whole = Path(os.path.abspath(out))  # "." names its folder: the lock goes beside it, not in it
    with ExitStack() as stack:
        try:
            stack.enter_context(hold(output_lock(whole)))
        except LockUnavailableError as err:
            raise error(f"{out}: cannot write in {out.parent} ({err})") from None
        yield


def check_file(
    out: Path, force: bool, error: type[IrrError] = OutputError, *, example: str = "NAME"
) -> None:
    """Refuse ``out`` as a file output when it exists (unless ``force``) or is not a regular file.

    ``example`` is the file name suggested inside ``out`` when ``out`` is a directory."""
    try:
        mode = out.lstat().st_mode
    except FileNotFoundError:
        return
    except NotADirectoryError:
        prepare(out, error)  # raises: an ancestor is a file
        return
    except OSError as err:
        raise error(f"{out}: cannot look at it ({_reason(err)})") from None
    if stat.S_ISDIR(mode):
        raise error(
            f"{out} is a directory; this command writes a file: name one, such as {out / example}"
        )
    if not force:
        raise error(f"{out} exists; pass --force to replace it")
    if not stat.S_ISREG(mode):
        raise error(f"{out} is not a regular file; remove it to write there")


def write_file(out: Path, data: bytes, error: type[IrrError] = OutputError) -> None:
    """Replace the file ``out`` with ``data`` atomically, or say why it cannot be written."""
    try:
        write_atomic(out, data)
    except OSError as err:
        raise error(f"{out} cannot be written ({_reason(err)})") from None


@dataclass(frozen=True)
class Layout:
    """How to recognise, without a manifest, a directory that irr's earlier format wrote.

    ``marker`` is a file whose presence (and, with ``mark``, whose first 64 KiB holding
    ``mark``) says the directory is an earlier output; ``patterns`` are the paths (one
    ``*`` per segment at most, as in ``records/*.html``) whose regular files it claims,
    and ``marked`` the patterns whose files must also hold ``mark``.
    """

    patterns: tuple[str, ...]
    marker: str | None = None
    mark: bytes | None = None
    marked: tuple[str, ...] = ()
    magic: bytes | None = None
    """When set, a claimed file must begin with these bytes (Parquet's ``PAR1``)."""


def _matches(relative: str, patterns: tuple[str, ...]) -> bool:
    parts = relative.split("/")
    for pattern in patterns:
        pieces = pattern.split("/")
        if len(pieces) == len(parts) and all(map(fnmatchcase, parts, pieces)):
            return True
    return False


def _head(path: Path, size: int = 65536) -> bytes:
    try:
        with path.open("rb") as file:
            return file.read(size)
    except OSError:
        return b""


def _files_below(directory: Path) -> Iterator[str]:
    """The relative paths of the regular files below ``directory``, never following a link."""
    for folder, subfolders, names in os.walk(directory):
        base = Path(folder)
        subfolders[:] = sorted(
            d for d in subfolders if not (base / d).is_symlink() and d not in ALWAYS_KEPT
        )
        for name in sorted(names):
            path = base / name
            if name in ALWAYS_KEPT and base == directory:
                continue
            with suppress(OSError):
                if stat.S_ISREG(path.lstat().st_mode):
                    yield path.relative_to(directory).as_posix()


def _earlier(directory: Path, layout: Layout) -> dict[str, str] | None:
    """The files an earlier-format output in ``directory`` holds, or None when it is none."""
    if layout.marker is not None:
        marker = directory / layout.marker
        if marker.is_symlink() or not marker.is_file():
            return None
        if layout.mark is not None and layout.mark not in _head(marker):
            return None
    claimed: dict[str, str] = {}
    for relative in _files_below(directory):
        if not _matches(relative, layout.patterns):
            continue
        head = None
        if layout.mark is not None and _matches(relative, layout.marked):
            head = _head(directory / relative)
            if layout.mark not in head:
                continue
        if layout.magic is not None:
            head = head if head is not None else _head(directory / relative, len(layout.magic))
            if not head.startswith(layout.magic):
                continue
        claimed[relative] = ""
    return claimed or None


def _unsafe(relative: object) -> str | None:
    """Why ``relative`` cannot name a file irr writes in an output directory, or None."""
    if not isinstance(relative, str) or not relative:
        return "is not a relative path"
    if "\x00" in relative or "\\" in relative:
        return "holds a NUL or a backslash"
    pure = PurePosixPath(relative)
    if pure.is_absolute() or any(p in ("..", ".", "") for p in relative.split("/")):
        return "is not a plain relative path inside the directory"
    if pure.parts[0] in ALWAYS_KEPT or relative == MANIFEST or ".git" in pure.parts:
        return "is an entry irr never writes"
    return None


def read_manifest(
    directory: Path, kind: str, error: type[IrrError] = OutputError
) -> dict[str, str] | None:
    """The files (path to SHA-256) the manifest of ``directory`` names, or None without one."""
    path = directory / MANIFEST
    where = f"{path}"
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return None
    except OSError as err:
        raise error(f"{where}: cannot be read ({_reason(err)})") from None
    fix = f"remove {MANIFEST} only if every file it names is irr's, or choose another directory"
    if not stat.S_ISREG(mode):
        raise error(f"{where}: is not a regular file; {fix}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise error(f"{where}: is over {MAX_FILE_BYTES // 2**20} MiB; {fix}")
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError) as err:
        raise error(f"{where}: is not a manifest irr wrote ({err}); {fix}") from None
    if not isinstance(document, dict) or document.get("generator") != GENERATOR:
        raise error(f"{where}: is not a manifest irr wrote (no generator {GENERATOR!r}); {fix}")
    if document.get("kind") != kind:
        raise error(
            f"{where}: names a {show(str(document.get('kind')))} output, not a {kind}; "
            "choose another directory"
        )
    files = document.get("files")
    if not isinstance(files, dict):
        raise error(f"{where}: files: is not an object of paths; {fix}")
    for relative, digest in files.items():
        why = _unsafe(relative)
        if why is None and not isinstance(digest, str):
            why = "has no SHA-256 text"
        if why is not None:
            raise error(f"{where}: files: {show(relative)} {why}; {fix}")
    return dict(files)


def manifest_bytes(kind: str, files: Mapping[str, str], *, complete: bool = True) -> bytes:
    """The manifest of an output directory holding ``files`` (path to SHA-256)."""
    document = {
        "complete": complete,
        "files": dict(sorted(files.items())),
        "generator": GENERATOR,
        "kind": kind,
        "version": _version(),
    }
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _kind_of(path: Path) -> str | None:
    """``file``, ``dir``, ``link``, ``other``, or None when nothing is there."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return "below-file"
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_ISDIR(mode):
        return "dir"
    return "file" if stat.S_ISREG(mode) else "other"


def _in_the_way(directory: Path, relative: str, owned: Mapping[str, str]) -> str | None:
    """The entry that keeps irr from writing ``relative`` in ``directory``, or None."""
    parts = relative.split("/")
    for depth in range(1, len(parts)):
        folder = "/".join(parts[:depth])
        kind = _kind_of(directory / folder)
        if kind is None:
            return None
        if kind != "dir":
            return folder
    kind = _kind_of(directory / relative)
    if kind is None or (kind == "file" and relative in owned):
        return None
    return relative


def check_directory(
    directory: Path,
    kind: str,
    force: bool,
    layout: Layout | None = None,
    error: type[IrrError] = OutputError,
) -> dict[str, str] | None:
    """The files irr owns in ``directory`` (None when it does not exist), refusing what ``--force`` may not touch."""
    what = _kind_of(directory)
    if what == "below-file":
        prepare(directory, error)  # raises: names the file
    if what is None:
        return None
    if not force:
        raise error(f"{directory} exists; pass --force to replace it")
    if what != "dir":
        raise error(f"{directory} is not a directory; remove it to write the {kind} there")
    owned = read_manifest(directory, kind, error)
    if owned is not None:
        return owned
    try:
        entries = sorted(e.name for e in os.scandir(directory))
    except OSError as err:
        raise error(f"{directory}: cannot be read ({_reason(err)})") from None
    if not [e for e in entries if e not in ALWAYS_KEPT]:
        return {}
    earlier = _earlier(directory, layout) if layout is not None else None
    if earlier is None:
        raise error(
            f"{directory} is not empty and holds no {kind} written by irr (no {MANIFEST}); "
            f"--force replaces only irr's own output: choose another directory"
        )
    return earlier


def write_directory(
    out: Path,
    files: Mapping[str, bytes],
    *,
    kind: str,
    force: bool,
    layout: Layout | None = None,
    error: type[IrrError] = OutputError,
) -> int:
    """Write the output directory ``out`` holding ``files`` (relative path to bytes), and its manifest.

    The caller holds ``locked(out)``. Returns how many files were written or removed.
    """
    for relative in files:
        why = _unsafe(relative)
        if why is not None:
            raise error(f"{out}: will not write {show(relative)} there: it {why}")
    owned = check_directory(out, kind, force, layout, error)
    digests = {relative: sha256(data) for relative, data in files.items()}
    if owned is None:
        with atomic_directory(out) as temp:
            temp.chmod(0o777 & ~umask())  # a directory like any other, not a temporary 0700
            write_tree(temp, {**files, MANIFEST: manifest_bytes(kind, digests)})
        return len(files)
    for relative in sorted(files):
        entry = _in_the_way(out, relative, owned)
        if entry is not None:
            raise error(
                f"{out / entry} is in the way: irr did not write it (it is not in "
                f"{out / MANIFEST}) and will not replace it; move it away or choose another directory"
            )
    return _update(out, files, digests=digests, owned=owned, kind=kind, error=error)


def _update(
    out: Path,
    files: Mapping[str, bytes],
    *,
    digests: Mapping[str, str],
    owned: Mapping[str, str],
    kind: str,
    error: type[IrrError],
) -> int:
    """Bring the existing directory ``out`` to ``files``, file by file, the manifest first and last."""
    stale = sorted(set(owned) - set(files))
    changed = 0
    try:
        write_atomic(out / MANIFEST, manifest_bytes(kind, {**owned, **digests}, complete=False))
        for relative in sorted(files):
            path = out / relative
            if _kind_of(path) == "file" and _same(path, files[relative]):
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, files[relative])
            changed += 1
        for relative in stale:
            changed += _remove_owned(out, relative)
        write_atomic(out / MANIFEST, manifest_bytes(kind, digests))
    except OSError as err:
        raise error(
            f"{out}: cannot be written ({_reason(err)}); its {MANIFEST} says it is incomplete: "
            "run the command again with --force"
        ) from None
    return changed


def _same(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _remove_owned(out: Path, relative: str) -> int:
    """Remove an earlier file of irr's that the new output lacks, and the folders it leaves empty."""
    parts = relative.split("/")
    for depth in range(1, len(parts)):
        if _kind_of(out / "/".join(parts[:depth])) != "dir":
            return 0  # a link or a file now stands on its way: not irr's to follow
    path = out / relative
    if _kind_of(path) != "file":
        return 0
    path.unlink()
    for depth in range(len(parts) - 1, 0, -1):
        try:
            (out / "/".join(parts[:depth])).rmdir()
        except OSError:  # not empty: it holds something else
            break
    return 1


def collect(directory: Path) -> dict[str, bytes]:
    """The files below a freshly built ``directory`` (a temporary one), by relative POSIX path."""
    return {relative: (directory / relative).read_bytes() for relative in _files_below(directory)}
