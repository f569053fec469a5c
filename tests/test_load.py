"""records() and load() of any package: a file pinned by its hash is trusted, any other validated."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import india_russia_relations as irr
from india_russia_relations.io.tables import _constructed, validated_rows
from india_russia_relations.schema.columns import columns, header, to_cells, to_values
from india_russia_relations.schema.models import MODELS, Record

from .conftest import PACKAGE
from .test_roundtrip import _cell_strategy


def _csv(table: str, rows: list[list[str]]) -> bytes:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([header(table), *rows])
    return buffer.getvalue().encode("utf-8")


def _set_hash(package: Path, table: str) -> None:
    """Record the current bytes of ``table``'s file in the descriptor, as ``irr build`` would."""
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text("utf-8"))
    data = (package / "data" / f"{table}.csv").read_bytes()
    for resource in descriptor["resources"]:
        if resource["path"] == f"data/{table}.csv":
            resource["hash"] = f"sha256:{hashlib.sha256(data).hexdigest()}"
            resource["bytes"] = len(data)
    path.write_text(json.dumps(descriptor), "utf-8")


def _replace_in_row(package: Path, table: str, line: int, old: str, new: str) -> None:
    path = package / "data" / f"{table}.csv"
    lines = path.read_text("utf-8").split("\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), "utf-8")


def _same_records(left: list[Any], right: list[Any]) -> None:
    assert left == right
    for a, b in zip(left, right, strict=True):
        assert type(a) is type(b)
        assert a.model_fields_set == b.model_fields_set
        assert a.__pydantic_extra__ == b.__pydantic_extra__
        assert a.__pydantic_private__ == b.__pydantic_private__


def test_records_reads_another_package(package_copy: Path) -> None:
    assert irr.records("visits", package=package_copy) == irr.records("visits")


def test_records_takes_the_descriptor_path_too(package_copy: Path) -> None:
    visits = irr.records("visits", package=package_copy / "datapackage.json")
    assert visits == irr.records("visits")


def test_records_of_a_missing_package_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(irr.DataError, match="no data package"):
        irr.records("visits", package=tmp_path)


def test_records_of_an_unknown_table_names_the_choices(package_copy: Path) -> None:
    with pytest.raises(irr.UnknownTableError, match="visits"):
        irr.records("vists", package=package_copy)  # type: ignore[call-overload]


def test_a_file_pinned_by_its_hash_is_not_validated_again(package_copy: Path) -> None:
    # The descriptor vouches for the file, so a value no model would accept comes through.
    _replace_in_row(package_copy, "visits", 2, ",Moscow,", ",Moscow;,")
    _set_hash(package_copy, "visits")
    assert irr.records("visits", package=package_copy)[0].places == ("Moscow", "")


def test_a_file_that_does_not_match_its_hash_is_validated(package_copy: Path) -> None:
    _replace_in_row(package_copy, "visits", 2, ",Moscow,", ",Moscow;,")
    with pytest.raises(irr.DataError, match=r"data/visits\.csv:2: places: ") as caught:
        irr.records("visits", package=package_copy)
    assert "irr validate" in str(caught.value)


def test_a_bad_date_in_an_edited_file_names_file_line_and_field(package_copy: Path) -> None:
    _replace_in_row(package_copy, "visits", 3, ",1927,", ",1927-13,")
    with pytest.raises(irr.DataError, match=r"visits\.csv:3: start: is not a real date"):
        irr.records("visits", package=package_copy)


def test_a_cross_field_error_names_the_field_to_fix(package_copy: Path) -> None:
    _replace_in_row(
        package_copy,
        "visits",
        4,
        ",1930,1930-01-01,1930-12-31,1939,",
        ",1930,1930-01-01,1930-12-31,1920,",
    )
    with pytest.raises(irr.DataError, match=r"visits\.csv:4: end: end 1920 is before start"):
        irr.records("visits", package=package_copy)


def test_a_pinned_file_whose_cells_do_not_parse_is_validated(package_copy: Path) -> None:
    _replace_in_row(package_copy, "visits", 3, ",1927,", ",1927-13,")
    _set_hash(package_copy, "visits")
    with pytest.raises(irr.DataError, match=r"visits\.csv:3: start: "):
        irr.records("visits", package=package_copy)


@pytest.mark.parametrize("table", irr.TABLES)
def test_trusted_and_validated_reads_give_identical_records(table: str, tmp_path: Path) -> None:
    unpinned = tmp_path / "unpinned"
    (unpinned / "data").mkdir(parents=True)
    data = (PACKAGE / "data" / f"{table}.csv").read_bytes()
    (unpinned / "data" / f"{table}.csv").write_bytes(data)  # no descriptor: nothing vouches
    _same_records(irr.records(table, package=PACKAGE), irr.records(table, package=unpinned))


@pytest.mark.parametrize("table", irr.TABLES)
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_building_without_validation_gives_what_validation_gives(
    table: str, data: st.DataObject
) -> None:
    records: list[Record] = []
    for _ in range(data.draw(st.integers(0, 4), label="rows")):
        cells = {
            c.name: data.draw(_cell_strategy(c), label=c.name)
            for c in columns(table)
            if c.derived_from is None
        }
        values, errors = to_values(table, cells)
        assert errors == {}
        try:
            records.append(MODELS[table].model_validate(values))
        except ValidationError:
            assume(False)  # a cross-field rule rejects this row
    file = _csv(table, [to_cells(r) for r in records])
    trusted = _constructed(Path("t.csv"), file, table)
    assert trusted is not None
    _same_records(trusted, validated_rows(Path("t.csv"), file, table))
    _same_records(trusted, records)


# -- load ---------------------------------------------------------------------------------


def test_load_gives_vocabularies_as_categories_in_schema_order() -> None:
    pytest.importorskip("pandas")
    frame = irr.load("events")
    kind = next(c for c in columns("events") if c.name == "kind")
    assert str(frame["kind"].dtype) == "category"
    assert list(frame["kind"].cat.categories) == list(kind.vocabulary or {})
    assert not frame["kind"].cat.ordered


def test_load_keeps_missing_vocabulary_values_missing() -> None:
    pd = pytest.importorskip("pandas")
    frame = irr.load("visits")
    kinds = [v.kind for v in irr.records("visits")]
    assert [None if pd.isna(k) else k for k in frame["kind"]] == kinds


def test_load_can_index_by_id() -> None:
    pytest.importorskip("pandas")
    frame = irr.load("visits", index="id")
    assert list(frame.index) == [v.id for v in irr.records("visits")]
    assert "id" not in frame.columns


def test_load_refuses_an_id_index_on_a_table_without_ids() -> None:
    pytest.importorskip("pandas")
    with pytest.raises(irr.IrrError, match="agreement_id, country_id"):
        irr.load("agreement_parties", index="id")


def test_load_reads_another_package(package_copy: Path) -> None:
    pd = pytest.importorskip("pandas")
    pd.testing.assert_frame_equal(irr.load("events", package=package_copy), irr.load("events"))


def test_load_validates_a_file_that_does_not_match_its_hash(package_copy: Path) -> None:
    pytest.importorskip("pandas")
    _replace_in_row(package_copy, "visits", 2, ",Moscow,", ",Moscow;,")
    with pytest.raises(irr.DataError, match=r"visits\.csv:2: places: "):
        irr.load("visits", package=package_copy)


@pytest.mark.parametrize("table", irr.TABLES)
def test_load_of_a_validated_file_equals_load_of_a_trusted_one(table: str, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    unpinned = tmp_path / "unpinned"
    (unpinned / "data").mkdir(parents=True)
    data = (PACKAGE / "data" / f"{table}.csv").read_bytes()
    (unpinned / "data" / f"{table}.csv").write_bytes(data)
    pd.testing.assert_frame_equal(irr.load(table, package=unpinned), irr.load(table))


def _frame_value(value: Any) -> Any:
    import pandas as pd

    if isinstance(value, list):
        return tuple(value)
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def _record_value(record: Record, name: str) -> Any:
    column = next(c for c in columns(record.table) if c.name == name)
    if column.derived_from is not None:
        source = getattr(record, column.derived_from)
        if source is None:
            return None
        return source.earliest if name.endswith("_earliest") else source.latest
    value = getattr(record, name)
    if value is None:
        return None
    if column.kind == "partial-date":
        return str(value)
    if column.kind == "number":
        return float(value)
    return value


@pytest.mark.parametrize("table", irr.TABLES)
def test_load_holds_the_values_records_holds(table: str) -> None:
    pytest.importorskip("pandas")
    frame = irr.load(table)
    rows = irr.records(table)
    assert list(frame.columns) == header(table)
    for name in header(table):
        assert [_frame_value(v) for v in frame[name]] == [_record_value(r, name) for r in rows]


def test_load_without_pyarrow_says_which_extra_to_install() -> None:
    code = (
        "import sys; sys.modules['pyarrow'] = None\n"
        "import india_russia_relations as irr\n"
        "try:\n    irr.load('visits')\n"
        "except irr.MissingDependencyError as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'india-russia-relations[pandas]'" in out.stdout


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_load_of_any_valid_rows_holds_their_values(data: st.DataObject) -> None:
    pytest.importorskip("pandas")
    table = data.draw(st.sampled_from(irr.TABLES), label="table")
    records: list[Record] = []
    for _ in range(data.draw(st.integers(1, 4), label="rows")):
        cells = {
            c.name: data.draw(_cell_strategy(c), label=c.name)
            for c in columns(table)
            if c.derived_from is None
        }
        try:
            records.append(MODELS[table].model_validate(to_values(table, cells)[0]))
        except ValidationError:
            assume(False)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "data").mkdir()
        (Path(tmp) / "data" / f"{table}.csv").write_bytes(
            _csv(table, [to_cells(r) for r in records])
        )
        frame = irr.load(table, package=tmp)  # type: ignore[arg-type]
    for name in header(table):
        assert [_frame_value(v) for v in frame[name]] == [_record_value(r, name) for r in records]


CSV_PIECES = ["a", "b", ",", '"', '""', "\n", " ", "\t", "é", "–"]


@settings(max_examples=300, deadline=None)
@given(body=st.lists(st.sampled_from(CSV_PIECES), max_size=40).map("".join))
def test_pyarrow_splits_a_file_into_the_cells_csv_does_or_leaves_it_to_csv(body: str) -> None:
    pytest.importorskip("pyarrow")
    from india_russia_relations.io import tables

    data = ("x,y\n" + body).encode("utf-8")
    assume(tables._arrow_splits_as_csv(data))
    by_arrow = tables._arrow_columns(data, ["x", "y"])
    if by_arrow is None:
        return  # csv decides
    import csv
    import io

    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows[0] == ["x", "y"]
    assert all(len(row) == 2 for row in rows[1:])
    assert [list(column) for column in by_arrow] == [
        [row[0] for row in rows[1:]],
        [row[1] for row in rows[1:]],
    ]


@pytest.mark.parametrize("table", irr.TABLES)
def test_a_pinned_file_read_by_pyarrow_gives_the_records_csv_gives(
    table: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pyarrow")
    from india_russia_relations.io import tables

    path = PACKAGE / "data" / f"{table}.csv"
    data = path.read_bytes()
    monkeypatch.setattr(tables, "ARROW_FROM", 1 << 62)
    by_csv = _constructed(path, data, table)
    monkeypatch.setattr(tables, "ARROW_FROM", 0)
    assert tables._arrow_columns(data, header(table)) is not None  # pyarrow read it
    by_arrow = _constructed(path, data, table)
    assert by_csv is not None and by_arrow is not None
    _same_records(by_arrow, by_csv)


def test_blank_lines_are_left_to_csv(monkeypatch: pytest.MonkeyPatch) -> None:
    from india_russia_relations.io import tables

    path = PACKAGE / "data" / "countries.csv"
    data = path.read_bytes() + b"\n"
    monkeypatch.setattr(tables, "ARROW_FROM", 0)
    assert not tables._arrow_splits_as_csv(data)
    assert _constructed(path, data, "countries") is None  # a blank row: validate instead
