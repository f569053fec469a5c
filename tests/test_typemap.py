"""The exports' numbers: every decimal written as the number it equals, whole or not."""

from __future__ import annotations

from decimal import Decimal

import pytest

from india_russia_relations.errors import DataError
from india_russia_relations.publish.export.typemap import (
    INT32_MAX,
    SUPPORT_COLUMNS,
    Table,
    _support_column,
    cell,
    decimal_type,
    export_tables,
    integer_bits,
    is_computed,
    is_vocabulary,
    number,
    rows,
)
from india_russia_relations.reports.support import Support
from india_russia_relations.schema.columns import Column


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2.5", 2.5),
        ("-2.5", -2.5),
        ("0.01", 0.01),
        ("-0.01", -0.01),
        ("0.1", 0.1),
        ("1234.56", 1234.56),
        ("9999999999999.99", 9999999999999.99),  # the largest of 15 digits, 2 decimal places
        ("-9999999999999.99", -9999999999999.99),
        ("0.5", 0.5),
    ],
)
def test_a_fractional_decimal_is_written_as_the_float_it_equals(
    value: str, expected: float
) -> None:
    written = number(Decimal(value))
    assert type(written) is float
    assert written == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2", 2),
        ("2.00", 2),
        ("-10", -10),
        ("0", 0),
        ("-0", 0),
        ("0.00", 0),
        ("999999999999999", 999_999_999_999_999),  # 15 digits, the most a column holds
        ("-999999999999999", -999_999_999_999_999),
        ("1E+3", 1000),
    ],
)
def test_a_whole_decimal_is_written_as_an_integer(value: str, expected: int) -> None:
    written = number(Decimal(value))
    assert type(written) is int
    assert written == expected


def test_a_decimal_no_float_equals_is_refused() -> None:
    with pytest.raises(DataError, match="cannot be written exactly"):
        number(Decimal("0.12345678901234567890123"))


def _numeric_columns() -> list[Column]:
    return [c for t in export_tables() for c in t.columns if c.kind == "number"]


def test_the_number_columns_are_the_amounts_of_15_digits_and_2_places() -> None:
    columns = _numeric_columns()
    assert columns
    for column in columns:
        assert decimal_type(column) == (15, 2)


@pytest.mark.parametrize("column", _numeric_columns(), ids=lambda c: c.name)
def test_the_extremes_of_each_number_column_are_written_exactly(column: Column) -> None:
    precision, scale = decimal_type(column)
    largest = Decimal(10) ** (precision - scale) - Decimal(10) ** -scale
    smallest_step = Decimal(10) ** -scale
    low = Decimal(column.minimum) if column.minimum is not None else -largest
    for value, expected in [
        (largest, 9999999999999.99),
        (smallest_step, 0.01),
        (largest - smallest_step, 9999999999999.98),
        (Decimal(10) ** (precision - scale) - 1, 9_999_999_999_999),
        (low, float(low) if low != low.to_integral_value() else int(low)),
    ]:
        written = number(value)
        assert written == expected, (column.name, value)
        assert type(written) is (int if value == value.to_integral_value() else float)


def _column(**bounds: int | None) -> Column:
    return Column(name="n", kind="integer", description="A number.", required=False, **bounds)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("minimum", "maximum", "bits"),
    [
        (0, INT32_MAX, 32),
        (-INT32_MAX - 1, 0, 32),
        (-INT32_MAX - 1, INT32_MAX, 32),
        (0, INT32_MAX + 1, 64),
        (-INT32_MAX - 2, 0, 64),
        (None, 10, 64),
        (0, None, 64),
        (None, None, 64),
        (1, 999, 32),
    ],
)
def test_an_integer_column_is_32_bits_only_when_both_bounds_fit(
    minimum: int | None, maximum: int | None, bits: int
) -> None:
    assert integer_bits(_column(minimum=minimum, maximum=maximum)) == bits


def test_the_shipped_integer_columns_get_their_widths() -> None:
    found = {
        (t.name, c.name): integer_bits(c)
        for t in export_tables()
        for c in t.columns
        if c.kind == "integer" and not is_computed(c)
    }
    assert found == {("countries", "cow_code"): 32, ("agreements", "duration_years"): 32}


def test_the_support_columns_are_computed_and_no_other() -> None:
    computed = [c for t in export_tables() for c in t.columns if is_computed(c)]
    assert {c.name for c in computed} == {c.name for c in SUPPORT_COLUMNS}
    assert [c.name for c in SUPPORT_COLUMNS] == [
        "independent_sources",
        "contested",
        "rests_on_inference",
        "rests_on_preview",
    ]
    assert [c.kind for c in SUPPORT_COLUMNS] == ["integer", "boolean", "boolean", "boolean"]
    assert [c.minimum for c in SUPPORT_COLUMNS] == [0, None, None, None]
    assert all(c.required for c in SUPPORT_COLUMNS)
    assert SUPPORT_COLUMNS[0].description == (
        "How many distinct sources support the record (computed from citations; not in the CSV files)"
    )


def _table(name: str) -> Table:
    return next(t for t in export_tables() if t.name == name)


def test_the_cells_of_a_record_are_typed_for_the_exports() -> None:
    import india_russia_relations as irr

    table = _table("agreements")
    record = next(r for r in irr.records("agreements") if getattr(r, "signed", None) is not None)
    support = Support("agreements", record.key()[0], ("a", "b"), ("c",), ("i",), ())
    values = dict(
        zip(
            [c.name for c in table.columns],
            rows(table, [record], {record.key()[0]: support})[0],
            strict=True,
        )
    )
    assert values["independent_sources"] == 2
    assert values["contested"] is True
    assert values["rests_on_inference"] is True
    assert values["rests_on_preview"] is False
    assert values["id"] == record.key()[0]
    signed = record.signed  # type: ignore[attr-defined]
    assert values["signed"] == str(signed)
    assert values["signed_earliest"] == signed.earliest
    assert values["signed_latest"] == signed.latest


def test_an_empty_cell_is_none_and_a_list_is_a_list() -> None:
    import india_russia_relations as irr

    lists = empties = 0
    for table in export_tables():
        for record in irr.records(table.name):  # type: ignore[arg-type]
            for column in table.columns:
                if is_computed(column):
                    continue
                value = cell(column, record)
                if column.kind == "list":
                    assert type(value) is list
                    assert value == list(getattr(record, column.name))
                    lists += bool(value)
                elif column.derived_from is not None:
                    if getattr(record, column.derived_from) is None:
                        assert value is None
                elif getattr(record, column.name) is None:
                    assert value is None
                    empties += 1
    assert lists and empties


def test_a_support_column_without_a_support_is_an_error_naming_the_record() -> None:
    import india_russia_relations as irr

    record = irr.records("events")[0]
    with pytest.raises(DataError, match=f"^{record.key()[0]}: no support computed for contested$"):
        cell(SUPPORT_COLUMNS[1], record)


def test_a_support_column_is_described_by_its_property() -> None:
    column = _support_column("contested", "boolean")
    assert column == Column(
        name="contested",
        kind="boolean",
        description="Whether any source contradicts the record "
        "(computed from citations; not in the CSV files)",
        required=True,
        minimum=None,
    )
    assert _support_column("independent_sources", "integer").minimum == 0


def test_a_number_column_needs_both_its_digits_and_its_places() -> None:
    column = Column(name="n", kind="number", description="N.", required=False, max_digits=15)
    with pytest.raises(AssertionError):
        decimal_type(column)


def test_a_column_with_a_vocabulary_takes_a_fixed_list_of_values() -> None:
    kind = _table("events").column("kind")
    summary = _table("events").column("summary")
    assert kind is not None and summary is not None
    assert is_vocabulary(kind) and not is_vocabulary(summary)
