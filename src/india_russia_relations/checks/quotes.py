"""Looking each citation's quote up in its source's text, in a second process for a large file.

Quotes are the costliest check of a large package: each source's text is indexed and every
quote of it looked up. Where the platform can fork, this process has one thread and may
use two cores, and ``citations.csv`` is large, a second process reads that file itself and
looks its quotes up while the first checks the tables, so the two run side by side. It
gathers the quotes by the same rules and reports them with the same ``Keys.missing_quotes``,
so the findings do not depend on where they were made. If the second process fails, the
quotes are gathered and looked up in the first after all.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from ..io.csvfile import Reader
from ..io.files import chunks, open_inside
from ..problems import Problem
from . import columnar
from .tables import Keys, header_problems

PARALLEL_FROM = 8 * 1024 * 1024
"""From this size of ``citations.csv`` on (in bytes), its quotes are looked up in a second
process: below it, the second reading of the file and the fork cost about what they save."""
TABLE = "citations"


def gather(root: Path, file: str, keys: Keys) -> None:
    """Read ``citations.csv`` for its quotes alone, into ``keys.quotes``, as ``check_table`` would.

    A row's quote is looked up when the header is one the checks accept and the row has as
    many cells as the header, whatever else is wrong with it.
    """
    handle, _ = open_inside(root, f"data/{TABLE}.csv")
    if handle is None:  # check_table reports why
        return
    reader = Reader(file)
    rows = reader.rows(chunks(handle))
    if reader.header is None or header_problems(TABLE, reader.header, file):
        for _ in rows:  # read to the end, which closes the file
            pass
        return
    names = reader.header
    width, at_quote, at_source = len(names), names.index("quote"), names.index("source_id")
    for line, cells in rows:
        if len(cells) == width:
            keys.want_quote(cells[at_source], line, cells[at_quote])


def _cores() -> int:
    """How many cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _look_up(connection: Connection, root: Path, file: str, keys: Keys, bulk: bool) -> None:
    # Ctrl-C is the first process's to handle; this one ends with it (a daemon).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        # pyarrow reads the file here only where the first process checks it in bulk.
        groups = columnar.gather_quotes(root, f"data/{TABLE}.csv", keys) if bulk else None
        if groups is None:
            gather(root, file, keys)
            connection.send((False, keys.missing_quotes()))
        else:
            connection.send((True, keys.quote_problems(groups)))
    except Exception:  # sending nothing makes the first process look the quotes up
        pass
    finally:
        connection.close()


class QuoteLookup:
    """The missing quotes of a package, looked up in a second process or, failing that, here."""

    def __init__(self, root: Path, file: str, keys: Keys) -> None:
        self.root, self.file, self.keys = root, file, keys
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None

    def start(self, size: int, *, bulk: bool) -> bool:
        """Start the second process when the file (of ``size`` bytes) is large and the
        platform can fork; say whether. ``bulk``: the bulk checks read the file."""
        if (
            size < PARALLEL_FROM
            or _cores() < 2  # one core would run both in turn, and read the file twice
            or "fork" not in multiprocessing.get_all_start_methods()
            or threading.active_count() > 1  # forking a threaded process can deadlock it
            or multiprocessing.current_process().daemon  # which may not start processes
        ):
            return False
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        keys = Keys(texts=dict(self.keys.texts), files={TABLE: self.file})
        self._process = context.Process(
            target=_look_up, args=(send, self.root, self.file, keys, bulk), daemon=True
        )
        try:
            self._process.start()
        except OSError:  # no process to be had (a limit on processes, or on memory)
            self._process = None
            receive.close()
            return False
        finally:
            send.close()
        self._connection = receive
        return True

    def result(self, in_process: Callable[[], list[Problem]], vouched: bool) -> list[Problem]:
        """The second process's findings, or ``in_process()`` when it was not started or failed.

        ``vouched`` says whether the bulk checks vouched for citations.csv: quotes that the
        second process gathered with pyarrow are trusted only then.
        """
        if self._process is None or self._connection is None:
            return in_process()
        try:
            bulk, found = self._connection.recv()
        except (EOFError, OSError):  # it failed: look the quotes up here instead
            found = None
        finally:
            self._connection.close()
        self._process.join()
        if found is None or (bulk and not vouched):
            gather(self.root, self.file, self.keys)
            return in_process()
        result: list[Problem] = found
        return result
