"""One writer at a time: an advisory lock held for a whole read-modify-write.

Every command that writes the package (or an output directory) holds the lock of that
place while it reads, decides and writes, so that two commands run at once (two
terminals, a shell loop, an editor plugin) never lose each other's rows: the second waits
and says so. The lock is ``fcntl.flock`` (``msvcrt.locking`` on Windows) on a small file
that names its holder's process id; the kernel releases it when its holder ends, however it
ends, so a crashed command never leaves a lock behind.

The lock file lives beside ``datapackage.json`` (``datapackage/.irr-lock``): that is the
directory every writing command already needs to write, it moves with the package, and
``*.irr-lock`` is git-ignored and excluded from the sdist and the wheel. A nested ``hold``
of the same lock in the same thread (``irr add`` runs the build step inside its own hold)
does not wait for itself. On a platform with neither ``fcntl`` nor ``msvcrt`` (WASI,
Emscripten: no second process can run there) the lock is a no-op. A file system that
refuses locks makes a writing command stop with a message, never run unlocked.
"""

from __future__ import annotations

import errno
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from ..errors import IrrError

LOCK_NAME = ".irr-lock"
"""The lock file of a package, beside its ``datapackage.json`` (git-ignored, never packaged)."""

WAIT_NOTICE_SECONDS = 1.0
"""How long a command waits quietly before it says what it waits for."""

_POLL_SECONDS = 0.05


class LockUnavailableError(IrrError):
    """The lock file cannot be created or locked (a read-only place, say)."""


_held: dict[tuple[str, int], int] = {}
"""The locks this process holds, by lock file and thread, with how deeply each is nested."""


def process_alive(pid: int) -> bool:
    """Whether a process with this id is running (on this machine) or cannot be told apart from one."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would end the process there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by someone else
        return True
    except OSError:
        return True
    return True


def _try_lock(fd: int, shared: bool) -> bool:
    """Take the lock without waiting; False when another process holds it.

    ``shared``: beside other shared holders (on Windows every lock is exclusive). Raises
    ``OSError`` when the file system cannot lock at all.
    """
    if sys.platform == "win32":
        import msvcrt

        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        import fcntl
    except ImportError:  # no processes beside this one to exclude
        return True
    try:
        fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except OSError as err:
        if err.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return False
        raise
    return True


def _holder(fd: int) -> int | None:
    """The process id the lock file names, if it names a running one.

    A reader does not write its id, so the file may still name a writer that has ended.
    """
    with suppress(OSError, ValueError, IndexError):
        os.lseek(fd, 0, os.SEEK_SET)
        pid = int(os.read(fd, 64).decode("ascii").split()[0])
        return pid if process_alive(pid) else None
    return None


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextmanager
def hold(
    lock_file: Path,
    *,
    notice_after: float = WAIT_NOTICE_SECONDS,
    say: Callable[[str], None] = _say,
    reading: bool = False,
) -> Iterator[None]:
    """Hold the lock at ``lock_file`` for the block, waiting for another holder to finish.

    After ``notice_after`` seconds of waiting, ``say`` is told which process holds it, once.
    Raises ``LockUnavailableError`` when the lock file cannot be created or locked. Held
    already by this thread, the lock is held once more.

    ``reading`` is for a command that only reads (``--check``, ``--dry-run``): it waits
    for a writer, so that it never sees half of another command's change, but it shares
    the lock with other readers, creates and writes nothing, and runs without the lock
    where there is no lock file yet or it cannot be locked (a read-only checkout).
    """
    key = (os.path.realpath(lock_file), threading.get_ident())
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    try:
        fd = _open_locked(lock_file, notice_after, say, reading)
    except LockUnavailableError:
        if not reading:
            raise
        fd = None
    if fd is None:
        yield
        return
    if reading:  # a writer inside a reader's block would wait for the reader
        try:
            yield
        finally:
            os.close(fd)
        return
    _held[key] = 1
    try:
        yield
    finally:
        del _held[key]
        os.close(fd)  # closing the descriptor releases the lock


def _open_locked(
    lock_file: Path, notice_after: float, say: Callable[[str], None], reading: bool
) -> int | None:
    """A descriptor of ``lock_file`` that holds its lock, once the lock is free.

    None for a reader when there is no lock file.
    """
    try:
        if reading:
            fd = os.open(lock_file, os.O_RDONLY)
        else:
            fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o666)
    except FileNotFoundError:
        if reading:
            return None
        raise LockUnavailableError(
            f"cannot create the lock file {lock_file}: its directory is missing"
        ) from None
    except OSError as err:
        raise LockUnavailableError(
            f"cannot create the lock file {lock_file} ({err.strerror or err}); a command that "
            "writes here holds it while it works: run it where you can write"
        ) from None
    started = time.monotonic()
    told = False
    try:
        while not _try_lock(fd, shared=reading):
            if not told and time.monotonic() - started >= notice_after:
                pid = _holder(fd)
                who = f" (pid {pid})" if pid is not None else ""
                say(f"waiting for another irr command{who} to finish")
                told = True
            time.sleep(_POLL_SECONDS)
    except OSError as err:
        os.close(fd)
        raise LockUnavailableError(
            f"cannot lock {lock_file} ({err.strerror or err}): this file system does not "
            "support locks, so two irr commands could lose each other's changes; work on a "
            "local copy"
        ) from None
    except BaseException:  # interrupted while waiting
        os.close(fd)
        raise
    if not reading:
        with suppress(OSError):  # written before the cut, so that a waiter never reads it empty
            holder = f"{os.getpid()}\n".encode("ascii")
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, holder)
            os.ftruncate(fd, len(holder))
    return fd


def package_lock(package: Path) -> Path:
    """The lock file of the data package whose ``datapackage.json`` is in ``package``."""
    return package / LOCK_NAME


def output_lock(out: Path) -> Path:
    """The lock file of an output (a file or directory that a command replaces), beside it."""
    return out.parent / f".{out.name}{LOCK_NAME}"
