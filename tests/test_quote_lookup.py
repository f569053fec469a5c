"""Quotes looked up in a second process give exactly the findings of the lookup in one."""

from __future__ import annotations

import csv
import io
import shutil
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from india_russia_relations.checks import quotes
from india_russia_relations.checks.validate import Report, validate
from india_russia_relations.io.csvfile import write_rows

from .conftest import PACKAGE
from .test_fuzz import ORIGINAL, _edited, byte_edits

CITATIONS = "data/citations.csv"
needs_fork = pytest.mark.skipif(
    "fork" not in __import__("multiprocessing").get_all_start_methods(),
    reason="the second process needs fork, which this platform lacks",
)


def with_missing_quotes(path: Path, rows: list[int], extra_cell: int | None = None) -> str:
    """Rewrite citations.csv at ``path`` with a character no source holds added to the
    quotes of the data rows numbered ``rows`` (from 0), and a cell too many in row
    ``extra_cell``; return the text written."""
    header, *body = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
    for row in rows:
        body[row][header.index("quote")] += " §"
    if extra_cell is not None:
        body[extra_cell].append("extra")
    text = write_rows(header, body).decode()
    path.write_text(text, "utf-8")
    return text


def _both(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Report, Report]:
    """The report with the quotes looked up here, and with them looked up in a second process."""
    monkeypatch.setattr(quotes, "PARALLEL_FROM", 1 << 62)
    here = validate(root, display="pkg")
    _in_a_second_process(monkeypatch)
    there = validate(root, display="pkg")
    return here, there


def _in_a_second_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every lookup run in a second process, on any size of file and number of cores."""
    monkeypatch.setattr(quotes, "PARALLEL_FROM", 0)
    monkeypatch.setattr(quotes, "_cores", lambda: 2)


@needs_fork
def test_a_large_citations_file_is_looked_up_in_a_second_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started: list[int] = []
    real = quotes.QuoteLookup.start

    def start(self: quotes.QuoteLookup, size: int, *, bulk: bool) -> bool:
        started.append(real(self, size, bulk=bulk))
        return started[-1]

    monkeypatch.setattr(quotes.QuoteLookup, "start", start)
    monkeypatch.setattr(quotes, "_cores", lambda: 2)
    validate(PACKAGE)
    monkeypatch.setattr(quotes, "PARALLEL_FROM", 1)
    validate(PACKAGE)
    monkeypatch.setattr(quotes, "_cores", lambda: 1)
    validate(PACKAGE)
    monkeypatch.setattr(quotes, "_cores", lambda: 2)
    waiting = threading.Event()
    other = threading.Thread(target=waiting.wait)
    other.start()
    try:
        validate(PACKAGE)  # a process with another thread is not forked
    finally:
        waiting.set()
        other.join()
    assert started == [False, True, False, False]


@needs_fork
def test_the_shipped_package_validates_the_same_either_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    here, there = _both(PACKAGE, monkeypatch)
    assert here == there and here.problems == []


@needs_fork
def test_missing_quotes_are_found_by_the_second_process(
    package_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two quotes no source holds, and one row with a cell too many (not looked up).
    with_missing_quotes(package_copy / CITATIONS, [0, 4, 6], extra_cell=6)
    here, there = _both(package_copy, monkeypatch)
    assert here == there
    assert [p.line for p in there.problems if p.field == "quote"] == [2, 6]


@needs_fork
def test_a_citations_header_the_checks_refuse_looks_no_quote_up_either_way(
    package_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = package_copy / CITATIONS
    text = path.read_text("utf-8")
    path.write_text(text.replace("quote", "quotation", 1), "utf-8")
    here, there = _both(package_copy, monkeypatch)
    assert here == there
    assert not any(p.field == "quote" for p in there.problems)


@needs_fork
def test_a_second_process_that_fails_leaves_the_lookup_to_the_first(
    package_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_missing_quotes(package_copy / CITATIONS, [0])
    monkeypatch.setattr(quotes, "PARALLEL_FROM", 1 << 62)
    expected = validate(package_copy, display="pkg")
    assert [p.line for p in expected.problems if p.field == "quote"] == [2]

    monkeypatch.setattr(quotes, "gather", _failing_in_child(quotes.gather))
    _in_a_second_process(monkeypatch)
    assert validate(package_copy, display="pkg") == expected


def _failing_in_child(real: object) -> object:
    import os

    parent = os.getpid()

    def gather(*args: object) -> None:
        if os.getpid() != parent:
            raise RuntimeError("the second process fails")
        real(*args)  # type: ignore[operator]

    return gather


@needs_fork
@settings(
    max_examples=min(30, settings.default.max_examples),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(edits=byte_edits)
def test_any_edit_of_citations_validates_the_same_either_way(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    edits: list[tuple[float, bytes]],
) -> None:
    root = tmp_path_factory.mktemp("pkg") / "datapackage"
    shutil.copytree(PACKAGE, root)
    (root / CITATIONS).write_bytes(_edited(CITATIONS, edits))
    here, there = _both(root, monkeypatch)
    assert here == there
    assert ORIGINAL[CITATIONS] != (root / CITATIONS).read_bytes() or here.problems == []


def _validate_shipped() -> Report:
    return validate(PACKAGE, display="pkg")


@needs_fork
def test_a_worker_of_a_process_pool_looks_quotes_up_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import multiprocessing

    expected = validate(PACKAGE, display="pkg")
    _in_a_second_process(monkeypatch)  # the forked worker inherits this
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.apply(_validate_shipped) == expected


@needs_fork
def test_a_process_that_cannot_be_started_leaves_the_lookup_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import multiprocessing.process

    expected = validate(PACKAGE, display="pkg")
    _in_a_second_process(monkeypatch)

    def refuse(self: object) -> None:
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refuse)
    assert validate(PACKAGE, display="pkg") == expected
