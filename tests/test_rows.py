"""One row against its model: a date cell seen before is checked exactly as a new one."""

from __future__ import annotations

from india_russia_relations import records
from india_russia_relations.checks.rows import RowChecker
from india_russia_relations.schema.columns import header, to_cells


def _event_rows() -> list[list[str]]:
    dated = [e for e in records("events") if e.start is not None]
    return [to_cells(e) for e in dated]


def test_a_wrong_derived_day_is_reported_on_a_row_whose_date_was_seen_before() -> None:
    checker = RowChecker("events")
    names = header("events")
    row = _event_rows()[0]
    assert checker.check(row, "e.csv", 2)[1] == []
    wrong = list(row)
    wrong[names.index("start_latest")] = "1800-01-01"
    record, problems = checker.check(wrong, "e.csv", 3)
    assert record is not None
    assert [(p.line, p.field) for p in problems] == [(3, "start_latest")]
    assert checker.check(row, "e.csv", 4)[1] == []


def test_an_impossible_date_is_reported_each_time_it_appears() -> None:
    checker = RowChecker("events")
    names = header("events")
    row = list(_event_rows()[0])
    row[names.index("start")] = "1955-02-30"
    first = checker.check(row, "e.csv", 2)
    second = checker.check(row, "e.csv", 3)
    assert first[0] is None and second[0] is None
    assert [p.message for p in first[1]] == [p.message for p in second[1]]
    assert [p.field for p in second[1]] == ["start"]


def test_every_event_checks_the_same_with_a_fresh_checker_and_a_used_one() -> None:
    used = RowChecker("events")
    rows = _event_rows()
    for row in rows:
        used.check(row, "e.csv", 2)
    for line, row in enumerate(rows, start=2):
        assert used.check(row, "e.csv", line) == RowChecker("events").check(row, "e.csv", line)
