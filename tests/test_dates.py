"""Partial dates: parsing, calendar rules, precision and bounds."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from india_russia_relations.schema.dates import PartialDate, days_in_month, ends_before_start


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    day = draw(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    if precision == "year":
        return PartialDate(day.year)
    if precision == "month":
        return PartialDate(day.year, day.month)
    return PartialDate(day.year, day.month, day.day)


@given(partial_dates())
def test_text_round_trips(date: PartialDate) -> None:
    assert PartialDate.parse(str(date)) == date


@given(partial_dates())
def test_earliest_is_not_after_latest(date: PartialDate) -> None:
    assert date.earliest <= date.latest


@given(st.dates(min_value=dt.date(1, 1, 1)))
def test_a_full_date_is_its_own_bounds(day: dt.date) -> None:
    date = PartialDate.parse(day.isoformat())
    assert date.earliest == date.latest == day
    assert date.precision == "day"


@given(st.text(max_size=12))
def test_parse_accepts_only_the_three_forms(text: str) -> None:
    try:
        date = PartialDate.parse(text)
    except ValueError:
        return
    assert str(date) == text


def test_a_month_spans_its_days() -> None:
    date = PartialDate.parse("1956-02")
    assert (date.earliest, date.latest, date.precision) == (
        dt.date(1956, 2, 1),
        dt.date(1956, 2, 29),
        "month",
    )


def test_a_year_spans_the_year() -> None:
    date = PartialDate.parse("1955")
    assert (date.earliest, date.latest, date.precision) == (
        dt.date(1955, 1, 1),
        dt.date(1955, 12, 31),
        "year",
    )


@pytest.mark.parametrize("text", ["1955-02-30", "1955-13", "1955-00", "1900-02-29", "0000"])
def test_impossible_dates_are_rejected(text: str) -> None:
    with pytest.raises(ValueError, match="not a real date"):
        PartialDate.parse(text)


@pytest.mark.parametrize("text", ["55", "1955-6", "1955/06", "June 1955", " 1955", "1955-06-07T00"])
def test_other_forms_are_rejected(text: str) -> None:
    with pytest.raises(ValueError, match="not a date"):
        PartialDate.parse(text)


def test_end_before_start_compares_latest_with_earliest() -> None:
    assert ends_before_start(PartialDate.parse("1955-06"), PartialDate.parse("1955-05-31"))
    assert not ends_before_start(PartialDate.parse("1955-06"), PartialDate.parse("1955"))
    assert not ends_before_start(None, PartialDate.parse("1955"))


def test_dates_of_mixed_precision_sort_by_the_days_they_mean() -> None:
    texts = ["1955-02", "1955", "1955-01-15", "1954", "1955-01"]
    ordered = sorted(PartialDate.parse(t) for t in texts)
    assert [str(d) for d in ordered] == ["1954", "1955-01", "1955", "1955-01-15", "1955-02"]


@given(partial_dates(), partial_dates())
def test_ordering_is_total_and_agrees_with_equality(a: PartialDate, b: PartialDate) -> None:
    assert (a < b) + (b < a) + (a == b) == 1


@given(st.integers(1, 9999), st.integers(1, 12))
def test_days_in_month_agrees_with_the_calendar_module(year: int, month: int) -> None:
    assert days_in_month(year, month) == calendar.monthrange(year, month)[1]
