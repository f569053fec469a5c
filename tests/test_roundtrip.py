"""Every row parses into its model and serializes back to the identical bytes."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from india_russia_relations import TABLES
from india_russia_relations.checks.text import NAMING_COLUMNS, mixed_script_problem
from india_russia_relations.checks.validate import Report, check_table, text_problem
from india_russia_relations.io.csvfile import write_rows
from india_russia_relations.io.tables import read_table
from india_russia_relations.problems import Problem
from india_russia_relations.schema.columns import Column, columns, header, to_cells, to_values
from india_russia_relations.schema.dates import PartialDate
from india_russia_relations.schema.models import ID_PATTERN, MODELS, Event, Record, Visit

from .conftest import PACKAGE


@pytest.mark.parametrize("table", TABLES)
def test_committed_table_round_trips_byte_for_byte(table: str) -> None:
    data = (PACKAGE / "data" / f"{table}.csv").read_bytes()
    records = read_table(PACKAGE, table)
    assert write_rows(header(table), [to_cells(r) for r in records]) == data


# Rows are drawn cell by cell from many strategies: on a loaded machine that is slow to
# draw, which is no failure of the code under test.
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Citation ids join a record id and a source id with "--".
ids = st.from_regex(r"[a-z0-9]{1,8}(-{1,2}[a-z0-9]{1,8}){0,3}", fullmatch=True)
# Words of letters, digits, punctuation, symbols and combining marks, in NFC; between them any
# spaces a cell may hold inside it: runs of spaces and no-break spaces.
_word = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "S", "M"]),
    min_size=1,
    max_size=8,
)
_space = st.sampled_from([" ", "  ", "   ", "\u00a0", " \u00a0", "\u202f", "\u2003"])
safe_text = (
    st.tuples(_word, st.lists(st.tuples(_space, _word), max_size=4))
    .map(lambda t: unicodedata.normalize("NFC", t[0] + "".join(s + w for s, w in t[1])))
    .filter(lambda s: s == s.strip() and not s.startswith(("=", "+", "-", "@")))
)
dates = st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2100, 12, 31)).flatmap(
    lambda d: st.sampled_from(
        [PartialDate(d.year), PartialDate(d.year, d.month), PartialDate(d.year, d.month, d.day)]
    )
)
places = st.lists(safe_text.filter(lambda s: ";" not in s), max_size=4).map(tuple)
# A name, alias or title writes each word in one script (the mixed-script check).
naming_text = safe_text.filter(lambda s: mixed_script_problem(s) is None)


@st.composite
def visits(draw: st.DrawFn) -> Visit:
    start = draw(dates)
    end = draw(st.none() | dates.filter(lambda d: d.latest >= start.earliest))
    return Visit(
        id=draw(ids),
        leader_id=draw(ids),
        host_country_id=draw(ids),
        places=draw(places),
        start=start,
        end=end,
        kind=draw(st.none() | st.sampled_from(["state", "summit", "other"])),
        summary=draw(safe_text),
        notes=draw(st.none() | safe_text),
    )


# Amounts as sources state them: whole, or with up to the places the schema allows (10.10, 0.5).
amounts = st.integers(0, 2).flatmap(
    lambda places: st.decimals(min_value=0, max_value=10**12 - 1, places=places, allow_nan=False)
)


@st.composite
def events(draw: st.DrawFn) -> Event:
    amount = draw(st.none() | amounts)
    return Event(
        id=draw(ids),
        title=draw(naming_text),
        kind=draw(st.sampled_from(["war", "trade-figure", "arms-share"])),
        start=draw(dates),
        value_amount=amount,
        value_unit=None if amount is None else draw(st.sampled_from(["USD", "percent"])),
        summary=draw(safe_text),
    )


def _tables(records: st.SearchStrategy[Record]) -> st.SearchStrategy[list[Record]]:
    """Rows of one table as the files hold them: each id once, sorted by id."""
    return st.lists(records, max_size=5, unique_by=lambda r: r.id).map(
        lambda rows: sorted(rows, key=lambda r: r.id)
    )


@relaxed
@given(_tables(visits()))
def test_visits_survive_write_then_read(rows: list[Visit]) -> None:
    _assert_round_trip("visits", rows)


@relaxed
@given(_tables(events()))
def test_events_survive_write_then_read(rows: list[Event]) -> None:
    _assert_round_trip("events", rows)


def _parsed(table: str, data: bytes) -> list[Record]:
    """The records that the checks of ``table`` read from ``data``, which has no problem."""
    report, records = Report(), []
    check_table(table, data, "t.csv", report, on_record=lambda _, r: records.append(r))
    no_rows = [Problem("t.csv", 1, None, "has a header but no rows")]
    assert report.problems == ([] if records else no_rows)
    return records


def _assert_round_trip(table: str, rows: list[Visit] | list[Event]) -> None:
    data = write_rows(header(table), [to_cells(r) for r in rows])
    parsed = _parsed(table, data)
    assert parsed == rows
    assert write_rows(header(table), [to_cells(r) for r in parsed]) == data


def test_decimal_amounts_keep_their_written_form() -> None:
    event = Event(
        id="x",
        title="t",
        kind="trade-figure",
        start="2019",
        summary="s",
        value_amount=Decimal("10.10"),
        value_unit="USD",
    )
    assert "10.10" in to_cells(event)


@pytest.mark.parametrize("written", ["0.01", "0.00", "120.50", "0", "999999999999.99"])
def test_a_decimal_amount_with_many_places_is_written_as_the_source_gives_it(
    written: str,
) -> None:
    event = Event(
        id="x",
        title="t",
        kind="trade-figure",
        start="2019",
        summary="s",
        value_amount=Decimal(written),
        value_unit="percent",
    )
    data = write_rows(header("events"), [to_cells(event)])
    assert f",{written},percent," in data.decode()
    assert _parsed("events", data) == [event]


def _cell_strategy(column: Column) -> st.SearchStrategy[str]:
    """Text that is a valid cell of ``column`` taken alone (cross-field rules aside)."""
    if column.vocabulary is not None:
        cell = st.sampled_from(list(column.vocabulary))
    elif column.kind == "partial-date":
        cell = dates.map(str)
    elif column.kind == "integer":
        cell = st.integers(column.minimum or 0, column.maximum or 10**6).map(str)
    elif column.kind == "number":
        cell = amounts.map(lambda d: format(d, "f"))  # as a contributor writes it, never 1E-7
    elif column.kind == "list":
        cell = places.map(";".join)
        if column.name in NAMING_COLUMNS:
            cell = cell.filter(lambda s: mixed_script_problem(s) is None)
    elif column.pattern == ID_PATTERN:
        cell = ids
    elif column.pattern is not None:
        cell = st.from_regex(column.pattern, fullmatch=True).filter(
            lambda s: len(s) <= (column.max_length or 1000) and text_problem(s) is None
        )
    else:
        text = naming_text if column.name in NAMING_COLUMNS else safe_text
        cell = text.filter(lambda s: len(s) <= (column.max_length or 1000))
    return cell if column.required else st.just("") | cell


@pytest.mark.parametrize("table", TABLES)
@relaxed
@given(data=st.data())
def test_every_table_round_trips_any_valid_row(table: str, data: st.DataObject) -> None:
    cells = {
        c.name: data.draw(_cell_strategy(c), label=c.name)
        for c in columns(table)
        if c.derived_from is None
    }
    values, errors = to_values(table, cells)
    assert errors == {}
    try:
        record = MODELS[table].model_validate(values)
    except ValidationError:
        assume(False)  # a cross-field rule (such as end before start) rejects this row
        return
    row = to_cells(record)
    data_bytes = write_rows(header(table), [row])
    parsed = _parsed(table, data_bytes)
    assert parsed == [record]
    assert write_rows(header(table), [to_cells(r) for r in parsed]) == data_bytes
