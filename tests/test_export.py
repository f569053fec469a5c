"""``irr export``: every format opened with its own tool has the records, types, NULLs and keys."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import india_russia_relations as irr
from india_russia_relations.cli import main
from india_russia_relations.errors import DataError, MissingDependencyError
from india_russia_relations.publish.export import ExportError, export, load_export
from india_russia_relations.publish.export.to_json import SCHEMA_FILE, json_schema
from india_russia_relations.publish.export.typemap import (
    RECORD_REFERENCE,
    SUPPORT_COLUMNS,
    Export,
    cell,
    export_tables,
    make_export,
    records_view,
)
from india_russia_relations.schema.columns import columns
from india_russia_relations.schema.models import MODELS, TABLES, Country, Leader, Visit

from .conftest import PACKAGE, REPO
from .test_roundtrip import visits as visit_strategy

CITED = [t for t in TABLES if MODELS[t].cited]


def _records_by_id() -> dict[str, tuple[str, Any]]:
    return {r.key()[0]: (t, r) for t in CITED for r in irr.records(t)}


def _expected_nulls(table: str, column: str) -> int:
    return sum(1 for r in irr.records(table) if cell(_column(table, column), r) is None)


def _export_columns(table: str) -> tuple[Any, ...]:
    return next(t for t in export_tables() if t.name == table).columns


def _column(table: str, name: str) -> Any:
    return next(c for c in columns(table) if c.name == name)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("export")


@pytest.fixture(scope="module")
def sqlite_db(out: Path) -> sqlite3.Connection:
    export(PACKAGE, "sqlite", out / "irr.db")
    db = sqlite3.connect(out / "irr.db")
    db.execute("PRAGMA foreign_keys = ON")
    return db


# --- SQLite --------------------------------------------------------------------------


@pytest.mark.parametrize("table", TABLES)
def test_sqlite_tables_are_strict_and_hold_every_record(
    sqlite_db: sqlite3.Connection, table: str
) -> None:
    (sql,) = sqlite_db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    assert sql.rstrip().endswith("STRICT")
    (count,) = sqlite_db.execute(f'SELECT count(*) FROM "{table}"').fetchone()
    assert count == len(irr.records(table))


@pytest.mark.parametrize("table", TABLES)
def test_sqlite_column_types_come_from_the_models(
    sqlite_db: sqlite3.Connection, table: str
) -> None:
    declared = {row[1]: row[2] for row in sqlite_db.execute(f'PRAGMA table_info("{table}")')}
    expected = {"integer": "INTEGER", "boolean": "INTEGER", "number": "REAL"}
    assert declared == {c.name: expected.get(c.kind, "TEXT") for c in _export_columns(table)}


def test_sqlite_empty_cells_are_null_not_empty_text(sqlite_db: sqlite3.Connection) -> None:
    (nulls,) = sqlite_db.execute("SELECT count(*) FROM visits WHERE kind IS NULL").fetchone()
    assert nulls == _expected_nulls("visits", "kind") > 0
    for table in TABLES:
        for column in columns(table):
            (empty,) = sqlite_db.execute(
                f'SELECT count(*) FROM "{table}" WHERE "{column.name}" = \'\''
            ).fetchone()
            assert empty == 0, (table, column.name)


def test_sqlite_integers_sort_as_numbers(sqlite_db: sqlite3.Connection) -> None:
    codes = [r[0] for r in sqlite_db.execute("SELECT cow_code FROM countries ORDER BY cow_code")]
    present = [c for c in codes if c is not None]
    assert present == sorted(c.cow_code for c in irr.records("countries") if c.cow_code)
    assert all(isinstance(c, int) for c in present)


def test_sqlite_foreign_keys_are_declared_and_clean(sqlite_db: sqlite3.Connection) -> None:
    assert sqlite_db.execute("PRAGMA foreign_key_check").fetchall() == []
    for table in export_tables():
        declared = {
            (r[3], r[2]) for r in sqlite_db.execute(f'PRAGMA foreign_key_list("{table.name}")')
        }
        assert declared == set(table.references), table.name


def test_sqlite_a_dangling_reference_is_refused(sqlite_db: sqlite3.Connection) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        sqlite_db.execute("UPDATE visits SET leader_id = 'nobody' WHERE rowid = 1")
    sqlite_db.rollback()


def test_sqlite_references_are_indexed(sqlite_db: sqlite3.Connection) -> None:
    for table in export_tables():
        indexed = {
            sqlite_db.execute(f'PRAGMA index_info("{r[1]}")').fetchone()[2]
            for r in sqlite_db.execute(f'PRAGMA index_list("{table.name}")')
            if r[3] == "c"
        }
        assert set(table.indexed) <= indexed, table.name
    assert RECORD_REFERENCE[1] in [
        sqlite_db.execute(f'PRAGMA index_info("{r[1]}")').fetchone()[2]
        for r in sqlite_db.execute(f'PRAGMA index_list("{RECORD_REFERENCE[0]}")')
    ]


def test_sqlite_lists_are_json_arrays(sqlite_db: sqlite3.Connection) -> None:
    for visit in irr.records("visits"):
        items = [
            r[0]
            for r in sqlite_db.execute(
                "SELECT j.value FROM visits, json_each(visits.places) AS j WHERE visits.id = ?",
                (visit.id,),
            )
        ]
        assert items == list(visit.places)


def test_sqlite_dates_are_iso_text_and_numbers_are_exact(sqlite_db: sqlite3.Connection) -> None:
    rows = dict(sqlite_db.execute("SELECT id, start_earliest FROM events").fetchall())
    for event in irr.records("events"):
        expected = None if event.start is None else event.start.earliest.isoformat()
        assert rows[event.id] == expected
    amounts = dict(sqlite_db.execute("SELECT id, value_amount FROM agreements").fetchall())
    for agreement in irr.records("agreements"):
        if agreement.value_amount is not None:
            assert Decimal(repr(amounts[agreement.id])) == agreement.value_amount


def test_sqlite_citations_join_records_in_one_step(sqlite_db: sqlite3.Connection) -> None:
    joined = sqlite_db.execute(
        'SELECT c.id, r.id, r."table", r.label FROM citations c JOIN records r ON r.id = c.record_id'
    ).fetchall()
    assert len(joined) == len(irr.records("citations"))
    by_id = _records_by_id()
    view = {c.name: c for c in records_view(export_tables())}
    for _, record_id, table, label in joined:
        expected_table, record = by_id[record_id]
        assert table == expected_table
        assert label == getattr(record, view["label"].sources[table])


def test_sqlite_full_text_search_finds_quotes_and_summaries(sqlite_db: sqlite3.Connection) -> None:
    hits = sqlite_db.execute(
        "SELECT c.id FROM citations_fts JOIN citations c ON c.rowid = citations_fts.rowid "
        "WHERE citations_fts MATCH 'Bhilai'"
    ).fetchall()
    assert {h[0] for h in hits} == {c.id for c in irr.records("citations") if "Bhilai" in c.quote}
    hits = sqlite_db.execute(
        "SELECT count(*) FROM events_fts WHERE events_fts MATCH 'summary: consulate'"
    ).fetchone()
    assert hits[0] == sum(1 for e in irr.records("events") if "consulate" in e.summary.lower())


def test_sqlite_metadata_describes_every_table_and_column(out: Path, sqlite_db: object) -> None:
    meta = json.loads((out / "irr.metadata.json").read_text("utf-8"))
    tables = meta["databases"]["irr"]["tables"]
    for table in TABLES:
        assert tables[table]["columns"] == {c.name: c.description for c in _export_columns(table)}
    assert meta["license"] == "CC-BY-SA-4.0"


# --- DuckDB --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def duck(out: Path) -> Any:
    duckdb = pytest.importorskip("duckdb")
    export(PACKAGE, "duckdb", out / "irr.duckdb")
    return duckdb.connect(str(out / "irr.duckdb"), read_only=True)


def _duck_types(duck: Any, table: str) -> dict[str, str]:
    return {row[0]: row[1] for row in duck.execute(f'DESCRIBE "{table}"').fetchall()}


def test_duckdb_types_come_from_the_models(duck: Any) -> None:
    types = _duck_types(duck, "agreements")
    assert types["signed_earliest"] == "DATE"
    assert types["duration_years"] == "INTEGER"
    assert types["value_amount"] == "DECIMAL(15,2)"
    assert types["signed"] == "VARCHAR"
    assert _duck_types(duck, "visits")["places"] == "VARCHAR[]"


def test_duckdb_vocabularies_are_enums_with_the_schemas_levels(duck: Any) -> None:
    for table in TABLES:
        for column in columns(table):
            if column.vocabulary is not None:
                levels = list(column.vocabulary)
                assert _duck_types(duck, table)[column.name] == (
                    "ENUM(" + ", ".join(f"'{v}'" for v in levels) + ")"
                )


@pytest.mark.parametrize("table", TABLES)
def test_duckdb_holds_every_record_with_its_nulls(duck: Any, table: str) -> None:
    (count,) = duck.execute(f'SELECT count(*) FROM "{table}"').fetchone()
    assert count == len(irr.records(table))
    for column in columns(table):
        if column.kind != "list":
            (nulls,) = duck.execute(
                f'SELECT count(*) FROM "{table}" WHERE "{column.name}" IS NULL'
            ).fetchone()
            assert nulls == _expected_nulls(table, column.name), column.name


def test_duckdb_keys_are_declared(duck: Any) -> None:
    constraints = duck.execute(
        "SELECT table_name, constraint_type, constraint_column_names, referenced_table "
        "FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')"
    ).fetchall()
    for table in export_tables():
        assert (table.name, "PRIMARY KEY", list(table.primary_key), None) in constraints
        for column, target in table.references:
            assert (table.name, "FOREIGN KEY", [column], target) in constraints


def test_duckdb_citations_join_records_in_one_step(duck: Any) -> None:
    joined = duck.execute(
        'SELECT r."table", count(*) FROM citations c JOIN records r ON r.id = c.record_id GROUP BY 1'
    ).fetchall()
    expected: dict[str, int] = {}
    by_id = _records_by_id()
    for citation in irr.records("citations"):
        table = by_id[citation.record_id][0]
        expected[table] = expected.get(table, 0) + 1
    assert dict(joined) == expected


def test_duckdb_values_match_the_records(duck: Any) -> None:
    rows = {
        r[0]: r[1:]
        for r in duck.execute("SELECT id, places, start_earliest FROM visits").fetchall()
    }
    for visit in irr.records("visits"):
        places, earliest = rows[visit.id]
        assert places == list(visit.places)
        assert earliest == (visit.start.earliest if visit.start else None)


# --- Parquet -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def parquet_dir(out: Path) -> Path:
    pytest.importorskip("pyarrow")
    export(PACKAGE, "parquet", out / "parquet")
    return out / "parquet"


@pytest.mark.parametrize("table", TABLES)
def test_parquet_files_have_arrow_types_and_descriptions(parquet_dir: Path, table: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    read = pq.read_table(parquet_dir / f"{table}.parquet")
    assert read.num_rows == len(irr.records(table))
    assert read.schema.metadata[b"table"] == table.encode()
    for column in columns(table):
        field = read.schema.field(column.name)
        assert field.metadata[b"description"].decode() == column.description
        expected = {
            "integer": pa.int32(),
            "date": pa.date32(),
            "number": pa.decimal128(15, 2),
            "string": pa.string(),
            "partial-date": pa.string(),
        }
        if column.vocabulary is not None:
            assert pa.types.is_dictionary(field.type)
        elif column.kind == "list":
            assert pa.types.is_list(field.type) and field.type.value_type == pa.string()
        else:
            assert field.type == expected[column.kind], column.name
        assert field.nullable == (not column.required and column.kind != "list")


def test_parquet_values_and_nulls_match_the_records(parquet_dir: Path) -> None:
    import pyarrow.parquet as pq

    for table in TABLES:
        read = pq.read_table(parquet_dir / f"{table}.parquet").to_pylist()
        for row, record in zip(read, irr.records(table), strict=True):
            for column in columns(table):
                assert row[column.name] == cell(column, record), (table, column.name)


def test_parquet_vocabularies_keep_every_level_in_order(parquet_dir: Path) -> None:
    import pyarrow.parquet as pq

    kind = pq.read_table(parquet_dir / "events.parquet").column("kind").chunk(0)
    assert kind.dictionary.to_pylist() == list(_column("events", "kind").vocabulary)


# --- JSON ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def json_doc(out: Path) -> Any:
    export(PACKAGE, "json", out / "irr.json")
    return json.loads((out / "irr.json").read_text("utf-8"))


def test_json_schema_in_schemas_is_generated_from_the_models() -> None:
    committed = json.loads((REPO / "schemas" / SCHEMA_FILE).read_text("utf-8"))
    assert committed == json_schema()


def test_json_export_validates_against_its_schema(json_doc: Any) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((REPO / "schemas" / SCHEMA_FILE).read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert list(validator.iter_errors(json_doc)) == []


def test_json_nests_each_records_citations(json_doc: Any) -> None:
    assert "citations" not in json_doc["tables"]
    nested = 0
    for table in CITED:
        for row in json_doc["tables"][table]:
            expected = [c.id for c in irr.citations_for(row["id"])]
            assert [c["id"] for c in row["citations"]] == expected
            nested += len(expected)
    assert nested == len(irr.records("citations"))


def test_json_values_are_typed(json_doc: Any) -> None:
    countries = {c["id"]: c for c in json_doc["tables"]["countries"]}
    assert isinstance(countries["india"]["cow_code"], int)
    events = json_doc["tables"]["events"]
    assert all(
        e["value_amount"] is None or isinstance(e["value_amount"], int | float) for e in events
    )
    visit = json_doc["tables"]["visits"][0]
    assert isinstance(visit["places"], list) and visit["kind"] is None
    assert json_doc["version"] == irr.__version__


# --- xlsx ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook(out: Path) -> Any:
    pytest.importorskip("xlsxwriter")
    openpyxl = pytest.importorskip("openpyxl")
    export(PACKAGE, "xlsx", out / "irr.xlsx")
    return openpyxl.load_workbook(out / "irr.xlsx")


def test_xlsx_has_a_readme_and_a_sheet_per_table(workbook: Any) -> None:
    assert workbook.sheetnames == ["README", *TABLES]
    for table in TABLES:
        sheet = workbook[table]
        assert [c.value for c in sheet[1]] == [c.name for c in _export_columns(table)]
        assert sheet.max_row == len(irr.records(table)) + 1
        assert sheet.freeze_panes == "B2"


def test_xlsx_partial_dates_are_text_and_derived_dates_real_from_1900(workbook: Any) -> None:
    sheet = workbook["leaders"]
    header = [c.value for c in sheet[1]]
    born, earliest = header.index("born"), header.index("born_earliest")
    for row, leader in zip(
        sheet.iter_rows(min_row=2, values_only=True), irr.records("leaders"), strict=True
    ):
        assert row[born] == (None if leader.born is None else str(leader.born))
        if leader.born is None:
            assert row[earliest] is None
        elif leader.born.earliest < dt.date(1900, 3, 1):
            assert row[earliest] == leader.born.earliest.isoformat()
        else:
            assert row[earliest] == dt.datetime.combine(leader.born.earliest, dt.time())
    assert any(r.born and r.born.earliest.year < 1900 for r in irr.records("leaders"))


def test_xlsx_no_cell_is_a_formula_and_numbers_are_numbers(workbook: Any) -> None:
    for table in TABLES:
        for row in workbook[table].iter_rows(min_row=2):
            assert all(c.data_type != "f" for c in row), table
    sheet = workbook["countries"]
    header = [c.value for c in sheet[1]]
    codes = [r[header.index("cow_code")] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert all(c is None or isinstance(c, int) for c in codes)


def test_xlsx_text_that_looks_like_a_formula_stays_text() -> None:
    pytest.importorskip("xlsxwriter")
    openpyxl = pytest.importorskip("openpyxl")
    import io

    from india_russia_relations.publish.export.to_xlsx import workbook_bytes

    data = load_export(PACKAGE)
    visit = data.records["visits"][0]
    data.records["visits"][0] = visit.model_copy(update={"summary": "=1+1 http://x.example 007"})
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(data)))
    header = [c.value for c in book["visits"][1]]
    summary = book["visits"].cell(2, header.index("summary") + 1)
    assert (summary.data_type, summary.value) == ("s", "=1+1 http://x.example 007")


# --- every format --------------------------------------------------------------------

DETERMINISTIC = {"sqlite": "irr.db", "parquet": "parquet", "json": "irr.json", "xlsx": "irr.xlsx"}
NEEDS = {"parquet": "pyarrow", "xlsx": "xlsxwriter", "duckdb": "duckdb"}


def _bytes(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.iterdir())}
    return {path.name: path.read_bytes()}


@pytest.mark.parametrize("fmt", sorted(DETERMINISTIC))
def test_the_same_package_exports_to_the_same_bytes(fmt: str, tmp_path: Path) -> None:
    if fmt in NEEDS:
        pytest.importorskip(NEEDS[fmt])
    name = DETERMINISTIC[fmt]
    export(PACKAGE, fmt, tmp_path / "a" / name)
    export(PACKAGE, fmt, tmp_path / "b" / name)
    assert _bytes(tmp_path / "a" / name) == _bytes(tmp_path / "b" / name)


def test_an_existing_output_is_refused_and_left_untouched(tmp_path: Path) -> None:
    target = tmp_path / "irr.json"
    target.write_text("mine", "utf-8")
    with pytest.raises(ExportError, match="--force"):
        export(PACKAGE, "json", target)
    assert target.read_text("utf-8") == "mine"


def test_sqlite_refuses_when_only_its_metadata_file_exists(tmp_path: Path) -> None:
    (tmp_path / "irr.metadata.json").write_text("{}", "utf-8")
    with pytest.raises(ExportError, match="metadata"):
        export(PACKAGE, "sqlite", tmp_path / "irr.db")
    assert not (tmp_path / "irr.db").exists()


def test_force_replaces_an_existing_output(tmp_path: Path) -> None:
    target = tmp_path / "irr.json"
    target.write_text("old", "utf-8")
    export(PACKAGE, "json", target, force=True)
    assert json.loads(target.read_text("utf-8"))["name"] == "india-russia-relations"


def test_force_replaces_only_a_directory_of_parquet_files(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "thesis.tex").write_text("precious", "utf-8")
    with pytest.raises(ExportError, match="holds no parquet written by irr"):
        export(PACKAGE, "parquet", folder, force=True)
    assert (folder / "thesis.tex").read_text("utf-8") == "precious"
    export(PACKAGE, "parquet", tmp_path / "pq")
    export(PACKAGE, "parquet", tmp_path / "pq", force=True)
    written = sorted(p.stem for p in (tmp_path / "pq").iterdir() if p.suffix == ".parquet")
    assert written == sorted(TABLES)


def test_an_invalid_package_is_not_exported(package_copy: Path, tmp_path: Path) -> None:
    visits = package_copy / "data" / "visits.csv"
    visits.write_text(visits.read_text("utf-8").replace(",soviet-union,", ",atlantis,", 1), "utf-8")
    with pytest.raises(DataError, match="irr validate"):
        export(package_copy, "sqlite", tmp_path / "irr.db")
    assert not (tmp_path / "irr.db").exists()


@pytest.mark.parametrize("fmt", sorted(NEEDS))
def test_a_missing_extra_is_named(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, NEEDS[fmt], None)  # makes the import fail
    with pytest.raises(MissingDependencyError, match=r"india-russia-relations\[export\]"):
        export(PACKAGE, fmt, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_cli_export_writes_and_then_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "irr.json"
    args = ["export", "--format", "json", str(target), "--package", str(PACKAGE)]
    assert main(args) == 0
    assert "wrote" in capsys.readouterr().out
    assert main(args) == 1
    assert "exists; pass --force" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0


# --- any valid rows ------------------------------------------------------------------


def _synthetic(visits: list[Visit]) -> Export:
    """An export of ``visits`` with the leaders and countries they refer to."""
    unique = list({v.id: v for v in visits}.values())
    country_ids = sorted({v.host_country_id for v in unique} | {"home"})
    leaders = [
        Leader(id=i, name=i, country_id="home") for i in sorted({v.leader_id for v in unique})
    ]
    countries = [Country(id=i, name=i, iso3="AAA") for i in country_ids]
    records: dict[str, list[Any]] = {t: [] for t in TABLES}
    records.update(visits=unique, leaders=leaders, countries=countries)
    return make_export({"name": "x", "version": "1.0.0"}, records)


@settings(max_examples=25, deadline=None)
@given(st.lists(visit_strategy(), max_size=5))
def test_any_valid_visits_come_back_from_sqlite_and_json(visits: list[Visit]) -> None:
    from india_russia_relations.publish.export import to_json, to_sqlite

    data = _synthetic(visits)
    db = to_sqlite.build(data)
    cols = columns("visits")
    doc = to_json.document(data)
    for record, json_row in zip(data.records["visits"], doc["tables"]["visits"], strict=True):
        names = ", ".join(f'"{c.name}"' for c in cols)
        row = db.execute(f"SELECT {names} FROM visits WHERE id = ?", (record.id,)).fetchone()
        for column, stored in zip(cols, row, strict=True):
            value = cell(column, record)
            if column.kind == "list":
                assert json.loads(stored) == value
            elif isinstance(value, dt.date):
                assert stored == value.isoformat() == json_row[column.name]
            else:
                assert stored == value == json_row[column.name]


@settings(max_examples=25, deadline=None)
@given(st.lists(visit_strategy(), max_size=5))
def test_any_valid_visits_come_back_from_arrow(visits: list[Visit]) -> None:
    pytest.importorskip("pyarrow")
    from india_russia_relations.publish.export.to_parquet import arrow_table

    data = _synthetic(visits)
    table = next(t for t in data.tables if t.name == "visits")
    read = arrow_table(table, data).to_pylist()
    assert read == [
        {c.name: data.cell(table, c, r) for c in table.columns} for r in data.records["visits"]
    ]


def test_parquet_metadata_names_the_keys_and_citations_join_the_records(parquet_dir: Path) -> None:
    import pyarrow.parquet as pq

    for table in export_tables():
        meta = pq.read_schema(parquet_dir / f"{table.name}.parquet").metadata
        assert json.loads(meta[b"primary_key"]) == list(table.primary_key)
        keys = [
            (k["fields"][0], k["reference"]["resource"]) for k in json.loads(meta[b"foreign_keys"])
        ]
        assert keys == table.references
    citations = pq.read_table(parquet_dir / "citations.parquet").to_pylist()
    by_id = _records_by_id()
    assert {c["record_id"] for c in citations} <= set(by_id)
    assert len(citations) == len(irr.records("citations"))


def test_xlsx_empty_cells_are_empty_and_citations_join_the_records(workbook: Any) -> None:
    sheet = workbook["visits"]
    header = [c.value for c in sheet[1]]
    kinds = [r[header.index("kind")] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert kinds.count(None) == _expected_nulls("visits", "kind")
    assert "" not in kinds
    citations = workbook["citations"]
    header = [c.value for c in citations[1]]
    record_ids = [
        r[header.index("record_id")] for r in citations.iter_rows(min_row=2, values_only=True)
    ]
    assert record_ids == [c.record_id for c in irr.records("citations")]
    assert set(record_ids) <= set(_records_by_id())
    quotes = [r[header.index("quote")] for r in citations.iter_rows(min_row=2, values_only=True)]
    assert quotes == [c.quote for c in irr.records("citations")]
    assert any(not q.isascii() for q in quotes)  # curly quotes and dashes come through intact


# --- support ---------------------------------------------------------------------------


def _expected_support() -> dict[str, tuple[int, bool, bool, bool]]:
    result = {}
    for table in CITED:
        for record in irr.records(table):
            s = irr.support(record.id)
            result[record.id] = (
                s.independent_sources,
                s.contested,
                s.rests_on_inference,
                s.rests_on_preview,
            )
    return result


SUPPORT_NAMES = ", ".join(c.name for c in SUPPORT_COLUMNS)


def test_sqlite_records_carry_their_support(sqlite_db: sqlite3.Connection) -> None:
    rows = sqlite_db.execute(f"SELECT id, {SUPPORT_NAMES} FROM records").fetchall()
    assert {r[0]: (r[1], bool(r[2]), bool(r[3]), bool(r[4])) for r in rows} == _expected_support()
    (contested,) = sqlite_db.execute("SELECT count(*) FROM events WHERE contested").fetchone()
    assert contested == sum(1 for e in irr.records("events") if irr.support(e.id).contested) > 0


def test_duckdb_records_carry_their_support_as_booleans(duck: Any) -> None:
    assert _duck_types(duck, "visits")["contested"] == "BOOLEAN"
    rows = duck.execute(f"SELECT id, {SUPPORT_NAMES} FROM records").fetchall()
    assert {r[0]: tuple(r[1:]) for r in rows} == _expected_support()


def test_parquet_json_and_xlsx_carry_the_support(
    parquet_dir: Path, json_doc: Any, workbook: Any
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    expected = _expected_support()
    names = [c.name for c in SUPPORT_COLUMNS]
    for table in CITED:
        read = pq.read_table(parquet_dir / f"{table}.parquet")
        assert read.schema.field("contested").type == pa.bool_()
        for row in read.to_pylist():
            assert tuple(row[n] for n in names) == expected[row["id"]]
        for row in json_doc["tables"][table]:
            assert tuple(row[n] for n in names) == expected[row["id"]]
        sheet = workbook[table]
        header = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2, values_only=True):
            assert tuple(row[header.index(n)] for n in names) == expected[row[0]]
