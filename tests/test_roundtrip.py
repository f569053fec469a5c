"""Every row parses into its model and serializes back to the identical bytes."""

from __future__ import annotations

import datetime as dt
import string
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import ValidationError

from india_russia_relations import TABLES
from india_russia_relations.checks.validate import Report, check_table, text_problem
from india_russia_relations.io.csvfile import read, write_rows
from india_russia_relations.io.tables import read_table
from india_russia_relations.schema.columns import Column, columns, header, to_cells, to_values
from india_russia_relations.schema.dates import PartialDate
from india_russia_relations.schema.models import MODELS, Event, Record, Visit

from .conftest import PACKAGE


@pytest.mark.parametrize("table", TABLES)
def test_committed_table_round_trips_byte_for_byte(table: str) -> None:
    data = (PACKAGE / "data" / f"{table}.csv").read_bytes()
    records = read_table(PACKAGE, table)
    assert write_rows(header(table), [to_cells(r) for r in records]) == data


ids = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True)
safe_text = (
    st.text(
        alphabet=st.characters(
            codec="utf-8",
            categories=["L", "N", "P", "Zs", "S"],
            exclude_characters="\u00a0\u2028\u2029",
        ),
        min_size=1,
        max_size=40,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: bool(s) and not s.startswith(("=", "+", "-", "@")))
)
dates = st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2100, 12, 31)).flatmap(
    lambda d: st.sampled_from(
        [PartialDate(d.year), PartialDate(d.year, d.month), PartialDate(d.year, d.month, d.day)]
    )
)
places = st.lists(safe_text.filter(lambda s: ";" not in s), max_size=4).map(tuple)


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


@st.composite
def events(draw: st.DrawFn) -> Event:
    amount = draw(st.none() | st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False))
    return Event(
        id=draw(ids),
        title=draw(safe_text),
        kind=draw(st.sampled_from(["war", "trade-figure", "arms-share"])),
        start=draw(dates),
        value_amount=amount,
        value_unit=None if amount is None else draw(st.sampled_from(["USD", "percent"])),
        summary=draw(safe_text),
    )


@given(st.lists(visits(), max_size=5))
def test_visits_survive_write_then_read(rows: list[Visit]) -> None:
    _assert_round_trip("visits", rows)


@given(st.lists(events(), max_size=5))
def test_events_survive_write_then_read(rows: list[Event]) -> None:
    _assert_round_trip("events", rows)


def _parsed(table: str, data: bytes) -> list[Record]:
    """The records that the checks of ``table`` read from ``data``."""
    report, records = Report(), []
    check_table(table, data, "t.csv", report, on_record=lambda _, r: records.append(r))
    return records


def _assert_round_trip(table: str, rows: list[Visit] | list[Event]) -> None:
    data = write_rows(header(table), [to_cells(r) for r in rows])
    parsed = _parsed(table, data)
    assert parsed == rows
    assert write_rows(header(table), [to_cells(r) for r in parsed]) == data


CELL_CHARACTERS = string.printable.replace("\r", "") + "é–“”"


@given(
    st.lists(
        st.lists(st.text(alphabet=CELL_CHARACTERS, max_size=10), min_size=3, max_size=3), max_size=6
    )
)
def test_csv_reader_gives_back_what_the_writer_wrote(rows: list[list[str]]) -> None:
    data = write_rows(["a", "b", "c"], rows)
    raw = read(data, "t.csv")
    assert raw.header == ["a", "b", "c"]
    assert [cells for _, cells in raw.rows] == rows
    assert raw.problems == []


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


@pytest.mark.parametrize("written", ["0.0000001", "0.00000000", "120.50000000", "0"])
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
        cell = st.decimals(0, 10**12, places=2, allow_nan=False).map(str)
    elif column.kind == "list":
        cell = places.map(";".join)
    elif column.pattern is not None:
        cell = st.from_regex(column.pattern, fullmatch=True).filter(
            lambda s: len(s) <= (column.max_length or 1000) and text_problem(s) is None
        )
    else:
        cell = safe_text
    return cell if column.required else st.just("") | cell


@pytest.mark.parametrize("table", TABLES)
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
