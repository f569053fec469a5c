"""Tables checked in bulk with pyarrow give exactly the findings of the row checks."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from india_russia_relations import TABLES
from india_russia_relations.checks import columnar, quotes
from india_russia_relations.checks.rows import RowChecker
from india_russia_relations.checks.tables import Keys, Report
from india_russia_relations.checks.validate import validate
from india_russia_relations.io.csvfile import write_rows
from india_russia_relations.schema.columns import header
from india_russia_relations.schema.models import MODELS

from .conftest import PACKAGE
from .test_fuzz import ORIGINAL, _edited, byte_edits
from .test_quote_lookup import with_missing_quotes
from .test_validate import _write

DATA_FILES = [f"data/{t}.csv" for t in TABLES]
ORIGINAL_SOURCES = [
    row["id"] for row in csv.DictReader(io.StringIO(ORIGINAL["data/sources.csv"].decode()))
]
checked = settings(
    max_examples=min(40, settings.default.max_examples),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# Cell texts near every rule: formula starts, outer and inner spaces, separators, quotes,
# line breaks, invisible and non-ASCII characters, digits, dates and list delimiters.
cell_texts = st.text(
    alphabet=st.sampled_from(
        [*'aZ09-=+@ ;,"\n\t._:/', "\u00a0", "\u200b", "é", "\u0301", "Ж", "\u2028"]
    ),
    max_size=14,
) | st.sampled_from(
    ["", "1955", "1955-02-29", "1956-02-29", "2000-13", "0", "-0", "1.50", "007", "-12", "10"]
)


def _reports(root: Path, monkeypatch: pytest.MonkeyPatch, block: int) -> tuple[Report, Report]:
    """The report of the row checks alone, and of the bulk checks (blocks of ``block`` bytes)."""
    monkeypatch.setattr(columnar, "COLUMNAR_FROM", 1 << 62)
    rows = validate(root, display="pkg")
    monkeypatch.setattr(columnar, "COLUMNAR_FROM", 0)
    monkeypatch.setattr(columnar, "BLOCK", block)
    return rows, validate(root, display="pkg")


def _bulk_tables(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record which tables the bulk checks vouch for from now on."""
    vouched: list[str] = []
    real = columnar.check_file

    def check_file(table: str, *args: Any, **kwargs: Any) -> tuple[int, str] | None:
        found = real(table, *args, **kwargs)
        if found is not None:
            vouched.append(table)
        return found

    monkeypatch.setattr(columnar, "check_file", check_file)
    return vouched


@pytest.mark.parametrize("block", [64, 1000, columnar.BLOCK])
def test_the_shipped_package_is_checked_in_bulk_and_found_valid(
    monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    vouched = _bulk_tables(monkeypatch)
    rows, bulk = _reports(PACKAGE, monkeypatch, block)
    assert bulk == rows and bulk.problems == []
    assert vouched == [t for t in TABLES if t != "sources"]


def test_a_large_package_has_each_of_its_tables_but_the_smallest_checked_in_bulk() -> None:
    big, small = columnar.COLUMNAR_FROM, columnar.TABLE_FROM
    sizes = {"events": big - small, "leaders": small, "countries": small - 1}
    assert columnar.chosen(sizes) == {"events", "leaders"}


def test_a_small_package_is_left_to_the_row_checks() -> None:
    big, small = columnar.COLUMNAR_FROM, columnar.TABLE_FROM
    assert columnar.chosen({"events": big - small - 1, "leaders": small}) == set()


@given(
    st.lists(st.text(alphabet='ab,"\n é', max_size=5), max_size=8),
    st.integers(0, 8),
    st.integers(0, 8),
)
def test_a_column_may_need_quotes_exactly_when_a_cell_holds_a_character_csv_quotes(
    cells: list[str], start: int, length: int
) -> None:
    import pyarrow as pa

    array = pa.array(cells, pa.string()).slice(start, length)  # a slice keeps the buffers
    held = any(c in cell for cell in array.to_pylist() for c in '",\n')
    assert columnar._may_need_quotes(array) == held


@given(
    st.lists(
        st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
        | st.sampled_from(
            [
                "0000-01-01",
                "1900-02-29",
                "2000-02-29",
                "2023-02-29",
                "2024-02-29",
                "1955-04-31",
                "1955-12-31",
                "1955-00-10",
                "1955-13-01",
                "9999-12-31",
            ]
        ),
        min_size=1,
        max_size=20,
    )
)
def test_a_day_is_real_in_bulk_exactly_when_a_partial_date_parses_it(days: list[str]) -> None:
    import pyarrow as pa

    from india_russia_relations.schema.dates import PartialDate

    def parses(text: str) -> bool:
        try:
            PartialDate.parse(text)
        except ValueError:
            return False
        return True

    assert columnar._real_days(pa.array(days)).tolist() == [parses(d) for d in days]


@given(
    st.lists(st.text(alphabet="a =+-@é\u00a0", max_size=4), max_size=8),
    st.integers(0, 8),
    st.integers(0, 8),
)
def test_a_cell_is_risky_exactly_when_it_starts_like_a_formula_or_has_an_outer_space(
    cells: list[str], start: int, length: int
) -> None:
    import pyarrow as pa

    array = pa.array(cells, pa.string()).slice(start, length)
    risky = [c[:1] in list("=+-@ ") or c.endswith(" ") for c in array.to_pylist()]
    assert columnar._risky(array).tolist() == risky


def test_every_cross_field_rule_of_the_models_is_known_to_the_bulk_checks() -> None:
    assert all(columnar.rules(table) is not None for table in TABLES)


def test_a_table_with_a_rule_unknown_to_the_bulk_checks_is_left_to_the_row_checks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(columnar, "_RULES", {})
    vouched = _bulk_tables(monkeypatch)
    rows, bulk = _reports(PACKAGE, monkeypatch, columnar.BLOCK)
    assert bulk == rows
    assert "events" not in vouched and "agreement_parties" in vouched


def test_a_file_not_in_canonical_form_is_left_to_the_row_checks_unchanged(
    package_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = package_copy / "data" / "events.csv"
    head, first, rest = path.read_bytes().split(b"\n", 2)
    _write(path, b"\n".join([head, b'"' + first.replace(b",", b'",', 1), rest]))
    vouched = _bulk_tables(monkeypatch)
    rows, bulk = _reports(package_copy, monkeypatch, 64)
    assert bulk == rows
    assert [p.message for p in bulk.problems if p.line == 2 and "events" in p.file] == [
        "is not in canonical CSV form (RFC 4180 minimal quoting); run `irr fmt`"
    ]
    assert "events" not in vouched and "citations" in vouched


def test_a_refused_file_leaves_the_keys_as_they_were(package_copy: Path) -> None:
    keys = Keys()
    keys.ids["kept"] = 5
    path = package_copy / "data" / "events.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    report = Report()
    found = columnar.check_file(
        "events", package_copy, "data/events.csv", "e", report=report, keys=keys
    )
    assert found is None and keys.ids == {"kept": 5} and report == Report()


@checked
@given(name=st.sampled_from(DATA_FILES), edits=byte_edits, block=st.sampled_from([64, 4096]))
def test_any_byte_edit_validates_the_same_in_bulk(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    edits: list[tuple[float, bytes]],
    block: int,
) -> None:
    root = tmp_path_factory.mktemp("pkg") / "datapackage"
    shutil.copytree(PACKAGE, root)
    _write(root / name, _edited(name, edits))
    rows, bulk = _reports(root, monkeypatch, block)
    assert bulk == rows


def _edit_cells(table: str, data: st.DataObject) -> bytes:
    """The table's file with a few cells replaced by texts near the rules, and maybe two
    rows swapped, written in canonical form so that the bulk checks read it."""
    head, *body = list(csv.reader(io.StringIO(ORIGINAL[f"data/{table}.csv"].decode())))
    for _ in range(data.draw(st.integers(1, 4))):
        row = body[data.draw(st.integers(0, len(body) - 1))]
        row[data.draw(st.integers(0, len(row) - 1))] = data.draw(cell_texts)
    if len(body) >= 2 and data.draw(st.booleans()):
        i, j = data.draw(st.permutations(range(len(body))))[:2]
        body[i], body[j] = body[j], body[i]
    return write_rows(head, body)


@checked
@given(table=st.sampled_from([t for t in TABLES if t != "sources"]), data=st.data())
def test_any_cell_edit_validates_the_same_in_bulk(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    table: str,
    data: st.DataObject,
) -> None:
    root = tmp_path_factory.mktemp("pkg") / "datapackage"
    shutil.copytree(PACKAGE, root)
    _write(root / f"data/{table}.csv", _edit_cells(table, data))
    vouched = _bulk_tables(monkeypatch)
    rows, bulk = _reports(root, monkeypatch, data.draw(st.sampled_from([64, 4096])))
    assert bulk == rows
    assert table in vouched  # canonical, so read in bulk whatever its cells


@settings(max_examples=min(300, settings.default.max_examples), deadline=None)
@given(table=st.sampled_from([t for t in TABLES if t != "sources"]), data=st.data())
def test_a_row_the_bulk_checks_clear_is_one_the_row_checks_accept(
    table: str, data: st.DataObject
) -> None:
    names = header(table)
    body = list(csv.reader(io.StringIO(ORIGINAL[f"data/{table}.csv"].decode())))[1:]
    row = list(data.draw(st.sampled_from(body)))
    for _ in range(data.draw(st.integers(1, 3))):
        row[data.draw(st.integers(0, len(row) - 1))] = data.draw(cell_texts)
    cells = {name: pa.array([cell], pa.string()) for name, cell in zip(names, row, strict=True)}
    rules = columnar.rules(table)
    assert rules is not None
    if columnar.cleared(table, cells, rules)[0].as_py():
        record, problems = RowChecker(table).check(row, "t.csv", 2)
        assert problems == [] and record is not None


def test_the_quotes_gathered_with_pyarrow_are_those_the_row_reader_gathers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(columnar, "GATHER_BLOCK", 64)
    citations = list(csv.reader(io.StringIO(ORIGINAL["data/citations.csv"].decode())))
    at = citations[0].index("source_id")
    by_reader, by_arrow = Keys(), Keys()
    for keys in (by_reader, by_arrow):
        keys.texts = {row[at]: str for row in citations[1:]}
    quotes.gather(PACKAGE, "c", by_reader)
    groups = columnar.gather_quotes(PACKAGE, "data/citations.csv", by_arrow)
    assert groups is not None
    expected = [
        (s, list(by_reader.quotes[s][0]), by_reader.quotes[s][1]) for s in sorted(by_reader.quotes)
    ]
    assert list(groups) == expected
    assert sum(len(lines) for lines, _ in by_reader.quotes.values()) == len(citations) - 1


def test_quotes_gathered_with_pyarrow_from_a_file_not_vouched_for_are_looked_up_again(
    package_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = package_copy / "data" / "citations.csv"
    text = with_missing_quotes(path, [0])
    head, first, rest = text.split("\n", 2)
    # Needless quotes around the first cell: pyarrow reads the same cells, yet the file is
    # not canonical, so the bulk checks do not vouch for it.
    _write(path, "\n".join([head, '"' + first.replace(",", '",', 1), rest]).encode())
    monkeypatch.setattr(columnar, "COLUMNAR_FROM", 1 << 62)
    monkeypatch.setattr(quotes, "PARALLEL_FROM", 1 << 62)
    expected = validate(package_copy, display="pkg")
    assert [p.line for p in expected.problems if p.field == "quote"] == [2]
    record = package_copy.parent / "gathered"
    real = columnar.gather_quotes

    def gather_quotes(*args: Any) -> Any:  # runs in the second process: it leaves a file
        found = real(*args)
        record.write_text(str(found is not None))
        return found

    monkeypatch.setattr(columnar, "gather_quotes", gather_quotes)
    monkeypatch.setattr(columnar, "COLUMNAR_FROM", 0)
    monkeypatch.setattr(quotes, "PARALLEL_FROM", 0)
    monkeypatch.setattr(quotes, "_cores", lambda: 2)
    assert validate(package_copy, display="pkg") == expected
    assert record.read_text() == "True"  # the second process read it with pyarrow


def _with(row: dict[str, str], table: str, changes: dict[str, str]) -> dict[str, str]:
    """``row`` with ``changes``; a changed date's derived columns follow it when it is real."""
    from india_russia_relations.schema.dates import PartialDate

    row = dict(row)
    for name, value in changes.items():
        row[name] = value
        if f"{name}_earliest" in row and name not in ("id",):
            try:
                date = PartialDate.parse(value) if value else None
            except ValueError:
                continue
            row[f"{name}_earliest"] = date.earliest.isoformat() if date else ""
            row[f"{name}_latest"] = date.latest.isoformat() if date else ""
    return row


# Each edit breaks one rule in one row (chosen by ``has``) and must be reported alike.
EDITS: list[tuple[str, str, dict[str, str]]] = [
    ("events", "value_unit", {"value_amount": "007"}),
    ("events", "value_unit", {"value_amount": "1.234"}),
    ("events", "value_unit", {"value_amount": "12345678901234"}),
    ("events", "value_unit", {"value_amount": ""}),
    ("events", "start", {"end": "1000"}),
    ("events", "start", {"start": "1955-02-29"}),
    ("events", "start", {"start_latest": "1000-01-01"}),
    ("events", "id", {"value_unit": "USD"}),
    ("events", "id", {"title": "=SUM(A1)"}),
    ("events", "id", {"title": "a title "}),
    ("events", "id", {"summary": "zero\u200bwidth"}),
    ("events", "id", {"summary": "e\u0301 not NFC"}),
    ("events", "id", {"notes": "line\nbreak"}),
    ("events", "id", {"notes": "a\ttab"}),
    ("events", "id", {"notes": "a bell\x07"}),
    ("events", "id", {"summary": "del\x7fete"}),
    ("citations", "id", {"quote": "unit\x1fseparator"}),
    ("events", "id", {"kind": "bogus"}),
    ("events", "id", {"title": ""}),
    ("events", "id", {"title": "x" * 301}),
    ("leaders", "born", {"died": "1000"}),
    ("leaders", "id", {"aliases": "one;;two"}),
    ("leaders", "id", {"aliases": "one; two"}),
    ("leaders", "id", {"aliases": "-one"}),
    ("leaders", "id", {"aliases": "x" * 101}),
    ("leaders", "id", {"country_id": "XXX"}),
    ("agreements", "id", {"value_currency": "USD", "value_amount": ""}),
    ("agreements", "value_currency", {"value_amount": "-5"}),
    ("agreements", "value_currency", {"value_amount": "-1234567890123.45"}),
    ("agreements", "id", {"duration_years": "0"}),
    ("agreements", "id", {"duration_years": "1001"}),
    ("agreements", "id", {"duration_years": "020"}),
    ("visits", "id", {"places": "Delhi;Delhi "}),
    ("visits", "id", {"leader_id": "no-such-leader"}),
    ("citations", "id", {"stance": "contradicts", "field": "", "claimed_value": "", "note": ""}),
    ("citations", "id", {"stance": "contradicts", "field": "start", "claimed_value": "1"}),
    ("citations", "id", {"record_id": "no-such-record"}),
    ("citations", "id", {"field": "no_such_field"}),
    ("citations", "id", {"source_id": "no-such-source"}),
    ("citations", "id", {"quote": "words no source holds"}),
    ("citations", "id", {"basis": "guessed"}),
]


# Unusual, yet what the row checks accept: reported alike, that is, not at all.
UNUSUAL: list[tuple[str, str, dict[str, str]]] = [
    ("events", "value_unit", {"value_amount": "1.50"}),
    ("events", "value_unit", {"value_amount": "-0"}),
    ("events", "id", {"summary": "Ж, é and \u00e9 in NFC"}),
]


@pytest.mark.parametrize(("table", "has", "changes"), EDITS + UNUSUAL)
def test_a_broken_rule_is_reported_alike_in_bulk(
    package_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
    table: str,
    has: str,
    changes: dict[str, str],
) -> None:
    path = package_copy / f"data/{table}.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))
    at = next(i for i, row in enumerate(rows) if row[has])
    rows[at] = _with(rows[at], table, changes)
    names = header(table)
    _write(path, write_rows(names, [[row[n] for n in names] for row in rows]))
    by_rows, bulk = _reports(package_copy, monkeypatch, 1000)
    assert bulk == by_rows
    assert any(p.line == at + 2 and table in p.file for p in bulk.problems) == (
        (table, has, changes) not in UNUSUAL
    )


def _keys_broken(table: str, body: list[list[str]]) -> None:
    """Give the third row the second's key."""
    key = len(MODELS[table].primary_key)
    body[2][:key] = body[1][:key]


@pytest.mark.parametrize(
    ("table", "case"),
    [
        (table, case)
        for table in ("events", "agreement_parties", "citations")
        for case in ("duplicate", "out of order", "id of another table")
        if "id" in MODELS[table].model_fields or case != "id of another table"
    ],
)
def test_broken_keys_are_reported_alike_in_bulk(
    package_copy: Path, monkeypatch: pytest.MonkeyPatch, table: str, case: str
) -> None:
    path = package_copy / f"data/{table}.csv"
    head, *body = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
    if case == "duplicate":
        _keys_broken(table, body)
    elif case == "out of order":
        body[1], body[2] = body[2], body[1]
    else:
        body[2][head.index("id")] = "india"  # the id of a country
    _write(path, write_rows(head, body))
    by_rows, bulk = _reports(package_copy, monkeypatch, 1000)
    assert bulk == by_rows
    assert any(p.line in (3, 4) and table in p.file for p in bulk.problems)


@pytest.mark.parametrize("broken_keys", [False, True])
def test_a_file_refused_after_some_blocks_is_read_again_from_the_keys_it_started_with(
    package_copy: Path, monkeypatch: pytest.MonkeyPatch, broken_keys: bool
) -> None:
    path = package_copy / "data" / "events.csv"
    head, *body = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
    if broken_keys:  # an early block's keys are then checked row by row
        body[2][0] = body[1][0]
    data = write_rows(head, body)
    cut = data.rindex(b"\n", 0, len(data) - 1)
    _write(path, data[:cut] + b"\r" + data[cut:])  # a CR in the last row: refused there
    vouched = _bulk_tables(monkeypatch)
    by_rows, bulk = _reports(package_copy, monkeypatch, 64)
    assert bulk == by_rows and "events" not in vouched
    assert any("CR" in p.message for p in bulk.problems)


def _quoting_alike(path: Path, missing: int) -> list[int]:
    """Rewrite citations.csv at ``path`` so that every citation of each source quotes what
    that source's first citation quotes, and the ``missing`` citations after each first one
    quote it with a character no source holds; return the lines of those."""
    head, *body = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
    at_source, at_quote = head.index("source_id"), head.index("quote")
    first: dict[str, str] = {}
    seen: dict[str, int] = {}
    lines = []
    for line, row in enumerate(body, start=2):
        quote = first.setdefault(row[at_source], row[at_quote])
        count = seen[row[at_source]] = seen.get(row[at_source], 0) + 1
        row[at_quote] = f"{quote} §" if 1 < count <= missing + 1 else quote
        if 1 < count <= missing + 1:
            lines.append(line)
    _write(path, write_rows(head, body))
    return lines


def test_a_block_keeps_each_distinct_quote_of_a_source_once() -> None:
    import numpy as np

    kept = columnar._distinct_quotes(
        np.array([1, 0, 1, 1, 0]), pa.array(["a", "a", "b", "a", "a"]), np.arange(2, 7), 2
    )
    assert kept.pairs.to_pylist() == ["a", "a", "b"]  # source 0: a; source 1: a, b
    assert kept.pair_bounds == [0, 1, 3]
    assert kept.lines.tolist() == [3, 6, 2, 4, 5]  # by source, in file order
    assert kept.row_pair is not None and kept.row_pair.tolist() == [0, 0, 1, 2, 1]


def test_quotes_that_repeat_are_gathered_with_pyarrow_as_one_string_each(
    package_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(columnar, "GATHER_BLOCK", 1000)  # some blocks hold a quote twice
    _quoting_alike(package_copy / "data" / "citations.csv", missing=3)
    by_reader, by_arrow = Keys(), Keys()
    for keys in (by_reader, by_arrow):
        keys.texts = dict.fromkeys(ORIGINAL_SOURCES, str)
    quotes.gather(package_copy, "c", by_reader)
    groups = columnar.gather_quotes(package_copy, "data/citations.csv", by_arrow)
    assert groups is not None
    expected = [
        (s, list(by_reader.quotes[s][0]), by_reader.quotes[s][1]) for s in sorted(by_reader.quotes)
    ]
    found = list(groups)
    assert found == expected
    for _, _, texts in found:
        assert len({id(text) for text in texts}) == len(set(texts)) <= 2


@pytest.mark.parametrize("block", [1000, columnar.BLOCK])
def test_quotes_that_repeat_are_reported_alike_in_bulk_and_by_the_rows(
    package_copy: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    lines = _quoting_alike(package_copy / "data" / "citations.csv", missing=2)
    monkeypatch.setattr(quotes, "PARALLEL_FROM", 1 << 62)
    by_rows, bulk = _reports(package_copy, monkeypatch, block)
    assert bulk == by_rows
    assert sorted(p.line for p in bulk.problems if p.field == "quote") == sorted(lines)
    assert len(lines) > 2


@pytest.mark.skipif(
    "fork" not in __import__("multiprocessing").get_all_start_methods(),
    reason="the second process needs fork, which this platform lacks",
)
def test_quotes_that_repeat_are_reported_alike_by_a_second_process(
    package_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _quoting_alike(package_copy / "data" / "citations.csv", missing=2)
    monkeypatch.setattr(columnar, "COLUMNAR_FROM", 0)
    monkeypatch.setattr(columnar, "GATHER_BLOCK", 1000)
    monkeypatch.setattr(quotes, "PARALLEL_FROM", 1 << 62)
    here = validate(package_copy, display="pkg")
    monkeypatch.setattr(quotes, "PARALLEL_FROM", 0)
    monkeypatch.setattr(quotes, "_cores", lambda: 2)
    assert validate(package_copy, display="pkg") == here
    assert any(p.field == "quote" for p in here.problems)


def test_quotes_that_repeat_in_a_block_are_kept_as_one_string_each_in_bulk(
    package_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _quoting_alike(package_copy / "data" / "citations.csv", missing=0)
    monkeypatch.setattr(columnar, "COLUMNAR_FROM", 0)  # one block holds every citation
    monkeypatch.setattr(quotes, "PARALLEL_FROM", 1 << 62)
    kept: list[list[str]] = []
    real = Keys.quote_problems

    def quote_problems(self: Keys, groups: Any) -> Any:
        groups = list(groups)
        kept.extend(texts for _, _, texts in groups)
        return real(self, groups)

    monkeypatch.setattr(Keys, "quote_problems", quote_problems)
    assert validate(package_copy, display="pkg").problems == []
    assert kept and all(len({id(text) for text in texts}) == 1 for texts in kept)
