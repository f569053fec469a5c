"""Partial dates: parsing, calendar rules, precision and bounds."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from india_russia_relations.schema.dates import (
    PATTERN,
    PartialDate,
    days_in_month,
    ends_before_start,
)


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


def _is_real(text: str) -> bool:
    """Whether a ``YYYY[-MM[-DD]]`` string names a real year, month or day, by the calendar."""
    year, month, day = [*(int(p) for p in text.split("-")), 1, 1][:3]
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


@given(st.from_regex(r"\d{4}(-\d{2}(-\d{2})?)?", fullmatch=True, alphabet=string.digits + "-"))
def test_parse_accepts_the_three_forms_exactly_when_the_calendar_has_the_date(text: str) -> None:
    if _is_real(text):
        assert str(PartialDate.parse(text)) == text
    else:
        with pytest.raises(ValueError, match=r"^is not a real date: "):
            PartialDate.parse(text)


@given(st.text(max_size=12).filter(lambda s: re.fullmatch(r"[0-9]{4}(-[0-9]{2}){0,2}", s) is None))
def test_parse_refuses_any_other_text_as_not_a_date(text: str) -> None:
    with pytest.raises(ValueError, match=r"^is not a date \(YYYY, YYYY-MM or YYYY-MM-DD\)$"):
        PartialDate.parse(text)


@pytest.mark.parametrize("value", [1955, None, b"1955", dt.date(1955, 6, 7)])
def test_parse_refuses_what_is_not_a_string(value: object) -> None:
    with pytest.raises(ValueError, match="is not a date"):
        PartialDate.parse(value)  # type: ignore[arg-type]


def test_digits_of_other_scripts_are_not_a_date() -> None:
    with pytest.raises(ValueError, match="is not a date"):
        PartialDate.parse("\u0661\u0669\u0665\u0665")  # 1955 in Arabic-Indic digits


def test_a_month_spans_its_days() -> None:
    date = PartialDate.parse("1956-02")
    assert (date.earliest, date.latest, date.precision) == (
        dt.date(1956, 2, 1),
        dt.date(1956, 2, 29),
        "month",
    )


@pytest.mark.parametrize(
    ("text", "last"),
    [("1955-02", 28), ("1956-02", 29), ("1900-02", 28), ("2000-02", 29), ("1955-12", 31)]
    + [(f"1955-{m:02d}", 31) for m in (1, 3, 5, 7, 8, 10)]
    + [(f"1955-{m:02d}", 30) for m in (4, 6, 9, 11)],
)
def test_a_month_ends_on_its_last_day_in_the_gregorian_calendar(text: str, last: int) -> None:
    assert PartialDate.parse(text).latest.day == last


def test_a_year_spans_the_year() -> None:
    date = PartialDate.parse("1955")
    assert (date.earliest, date.latest, date.precision) == (
        dt.date(1955, 1, 1),
        dt.date(1955, 12, 31),
        "year",
    )


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("1955-02-30", "day 30 does not exist in 1955-02"),
        ("1955-06-00", "day 00 does not exist in 1955-06"),
        ("1955-06-31", "day 31 does not exist in 1955-06"),
        ("1900-02-29", "day 29 does not exist in 1900-02"),
        ("1955-02-29", "day 29 does not exist in 1955-02"),
        ("2100-02-29", "day 29 does not exist in 2100-02"),
        ("1955-04-31", "day 31 does not exist in 1955-04"),
        ("1955-11-31", "day 31 does not exist in 1955-11"),
        ("1955-13", "month 13 does not exist"),
        ("1955-00", "month 00 does not exist"),
        ("1955-00-10", "month 00 does not exist"),
        ("0000", "year 0 is outside 0001-9999"),
    ],
)
def test_impossible_dates_are_rejected_saying_which_part_does_not_exist(
    text: str, why: str
) -> None:
    with pytest.raises(ValueError) as raised:
        PartialDate.parse(text)
    assert str(raised.value) == f"is not a real date: {why}"


def test_the_last_days_of_the_months_are_real() -> None:
    assert [str(PartialDate.parse(t)) for t in ["1955-01-31", "1956-02-29", "2000-02-29"]] == [
        "1955-01-31",
        "1956-02-29",
        "2000-02-29",
    ]


def test_a_day_needs_a_month() -> None:
    with pytest.raises(ValueError, match=r"^a day needs a month$"):
        PartialDate(1955, None, 5)


def test_year_9999_is_the_last_year() -> None:
    assert PartialDate(9999, 12, 31).latest == dt.date(9999, 12, 31)
    assert PartialDate.parse("9999").latest == dt.date(9999, 12, 31)
    with pytest.raises(ValueError, match=r"^year 10000 is outside 0001-9999$"):
        PartialDate(10000)


def test_year_1_is_the_first_year() -> None:
    assert PartialDate.parse("0001").earliest == dt.date(1, 1, 1)
    with pytest.raises(ValueError, match=r"^year 0 is outside 0001-9999$"):
        PartialDate(0)


def test_months_1_to_12_exist_and_no_others() -> None:
    assert PartialDate(1955, 1).earliest == dt.date(1955, 1, 1)
    assert PartialDate(1955, 12).latest == dt.date(1955, 12, 31)
    with pytest.raises(ValueError, match=r"^month 13 does not exist$"):
        PartialDate(1955, 13)


def test_the_text_form_pads_with_zeros() -> None:
    assert str(PartialDate(33, 2, 3)) == "0033-02-03"
    assert repr(PartialDate(1955, 6)) == "PartialDate('1955-06')"


@pytest.mark.parametrize("text", ["55", "1955-6", "1955/06", "June 1955", " 1955", "1955-06-07T00"])
def test_other_forms_are_rejected(text: str) -> None:
    with pytest.raises(ValueError, match="not a date"):
        PartialDate.parse(text)


def test_end_before_start_compares_latest_with_earliest() -> None:
    assert ends_before_start(PartialDate.parse("1955-06"), PartialDate.parse("1955-05-31"))
    assert not ends_before_start(PartialDate.parse("1955-06"), PartialDate.parse("1955"))
    assert not ends_before_start(None, PartialDate.parse("1955"))
    assert not ends_before_start(PartialDate.parse("1955"), None)


def test_an_end_on_the_start_day_is_not_before_it() -> None:
    day = PartialDate.parse("1955-06-07")
    assert not ends_before_start(day, day)
    assert ends_before_start(day, PartialDate.parse("1955-06-06"))


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


def test_pydantic_validates_a_date_from_text_or_a_date_and_serializes_it_as_text() -> None:
    # Built here rather than at import, so that the schema's own code runs in the test.
    adapter = TypeAdapter(PartialDate)
    june = PartialDate(1955, 6)
    assert adapter.validate_python("1955-06") == june
    assert adapter.validate_python(june) is june
    assert adapter.validate_json('"1955-06"') == june
    assert adapter.dump_python(june) == "1955-06"
    assert adapter.dump_json(june) == b'"1955-06"'


@pytest.mark.parametrize("value", [1955, "1955-13", None])
def test_pydantic_refuses_what_is_not_a_partial_date(value: object) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(PartialDate).validate_python(value)


def test_pydantic_refuses_json_that_is_not_a_string() -> None:
    with pytest.raises(ValidationError, match="Input should be a valid string"):
        TypeAdapter(PartialDate).validate_json("1955")


def test_the_json_schema_of_a_partial_date_is_a_pattern_string() -> None:
    assert TypeAdapter(PartialDate).json_schema() == {
        "type": "string",
        "pattern": PATTERN,
        "format": "partial-date",
    }
    assert re.fullmatch(PATTERN, "1955-06-07") and not re.fullmatch(PATTERN, "1955-13")
