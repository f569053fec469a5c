"""`irr diff`: keyed record comparison, schema changes and the bump each needs."""

from __future__ import annotations

import copy
import csv
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from india_russia_relations.publish.diff import (
    Snapshot,
    TableData,
    compare,
    empty_snapshot,
    read_snapshot,
)
from india_russia_relations.publish.diffreport import as_json

from .conftest import PACKAGE

# --- in-memory packages for the properties ----------------------------------------------------


def _table(name: str, columns: tuple[str, ...], rows: list[dict[str, str]]) -> TableData:
    schema = {
        "fields": [{"name": c, "type": "string"} for c in columns],
        "primaryKey": ["id"],
    }
    return TableData(name, columns, ("id",), {(r["id"],): r for r in rows}, schema)


def _snapshot(tables: Mapping[str, TableData], label: str = "x") -> Snapshot:
    resources = {name: {"path": f"data/{name}.csv"} for name in tables}
    return Snapshot(label, "0.1.0", {"name": "p"}, resources, dict(tables), {})


COLUMNS = ("id", "a", "b")
_ids = st.sampled_from([f"r{n}" for n in range(12)])
_cells = st.sampled_from(["", "x", "y", "a longer value with several words in it"])


@st.composite
def packages(draw: st.DrawFn) -> Snapshot:
    """A package of two tables with a few rows each, ids drawn from a small pool."""
    tables = {}
    for name in ("t1", "t2"):
        ids = draw(st.sets(_ids, max_size=8))
        rows = [{"id": i, "a": draw(_cells), "b": draw(_cells)} for i in sorted(ids)]
        tables[name] = _table(name, COLUMNS, rows)
    return _snapshot(tables)


def _records(snapshot: Snapshot) -> dict[str, dict[tuple[str, ...], dict[str, str]]]:
    return {name: {k: dict(r) for k, r in t.rows.items()} for name, t in snapshot.tables.items()}


def apply_json(document: Mapping[str, Any], records: Mapping[str, Any]) -> dict[str, Any]:
    """Apply a JSON diff to a package's records: what a user of the JSON would do."""
    result = copy.deepcopy(dict(records))
    for table in document["tables"]:
        rows = result.setdefault(table["table"], {})
        key = table["key"]

        def key_of(obj: Mapping[str, Any], key: list[str] = key) -> tuple[str, ...]:
            return tuple(obj[k] or "" for k in key)

        for row in table["removed"]:
            del rows[key_of(row)]
        for pair in table["ids_changed"]:
            row = rows.pop(key_of(pair["old"]))
            rows[key_of(pair["new"])] = {**row, **pair["new"]}
        for change in table["changed"]:
            row = rows[key_of(change["key"])]
            for field in change["fields"]:
                row[field["column"]] = field["new"] or ""
        for row in table["added"]:
            rows[key_of(row)] = {c: v or "" for c, v in row.items()}
    return result


@settings(max_examples=60, deadline=None)
@given(packages())
def test_a_package_compared_with_itself_has_no_difference(package: Snapshot) -> None:
    diff = compare(package, package)
    assert diff.empty and diff.bump == "none"
    assert diff.tables == () and diff.schema == ()


@settings(max_examples=80, deadline=None)
@given(packages(), packages())
def test_the_json_diff_applied_to_old_gives_new_records(old: Snapshot, new: Snapshot) -> None:
    document = as_json(compare(old, new))
    expected = {n: rows for n, rows in _records(new).items() if rows}
    got = {n: rows for n, rows in apply_json(document, _records(old)).items() if rows}
    assert got == expected


@settings(max_examples=60, deadline=None)
@given(packages(), packages())
def test_swapping_the_sides_swaps_added_and_removed(old: Snapshot, new: Snapshot) -> None:
    forward, backward = compare(old, new), compare(new, old)
    fwd = {t.table: t for t in forward.tables}
    bwd = {t.table: t for t in backward.tables}
    assert fwd.keys() == bwd.keys()
    for name, table in fwd.items():
        assert table.added == bwd[name].removed
        assert table.removed == bwd[name].added
        assert set(table.renamed) == {(n, o) for o, n in bwd[name].renamed}
        assert [c.key for c in table.changed] == [c.key for c in bwd[name].changed]


# --- the shipped package, modified on disk ----------------------------------------------------


def _read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text("utf-8"), newline="")))


def _edit_csv(path: Path, edit: Any) -> None:
    header, *rows = _read_csv(path)
    header, rows = edit(header, rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    path.write_text(out.getvalue(), encoding="utf-8")


def _edit_descriptor(package: Path, edit: Any) -> None:
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text("utf-8"))
    edit(descriptor)
    path.write_text(json.dumps(descriptor), encoding="utf-8")


def _resource(descriptor: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in descriptor["resources"] if r["name"] == name)


def _field(descriptor: dict[str, Any], table: str, column: str) -> dict[str, Any]:
    fields = _resource(descriptor, table)["schema"]["fields"]
    return next(f for f in fields if f["name"] == column)


def _diff_with(package_copy: Path) -> Any:
    return compare(read_snapshot(PACKAGE, "old"), read_snapshot(package_copy, "new"))


def test_the_shipped_package_against_itself_is_empty() -> None:
    snapshot = read_snapshot(PACKAGE, "here")
    assert compare(snapshot, snapshot).empty


def test_a_new_column_is_reported_as_added_without_naming_it_in_code(
    package_copy: Path,
) -> None:
    def add_column(header: list[str], rows: list[list[str]]) -> Any:
        at = header.index("note")
        header.insert(at, "reviewed")
        for row in rows:
            row.insert(at, "yes")
        return header, rows

    _edit_csv(package_copy / "data" / "citations.csv", add_column)

    def add_field(descriptor: dict[str, Any]) -> None:
        fields = _resource(descriptor, "citations")["schema"]["fields"]
        at = [f["name"] for f in fields].index("note")
        fields.insert(at, {"name": "reviewed", "type": "string", "constraints": {"required": True}})

    _edit_descriptor(package_copy, add_field)
    diff = _diff_with(package_copy)
    assert [(c.table, c.column, c.kind, c.bump) for c in diff.schema] == [
        ("citations", "reviewed", "column added", "minor")
    ]
    assert diff.bump == "minor"
    assert diff.tables == ()  # the new column's cells are part of the column, not record changes


def test_a_removed_column_is_major(package_copy: Path) -> None:
    def drop(header: list[str], rows: list[list[str]]) -> Any:
        at = header.index("notes")
        return header[:at] + header[at + 1 :], [r[:at] + r[at + 1 :] for r in rows]

    _edit_csv(package_copy / "data" / "visits.csv", drop)
    _edit_descriptor(
        package_copy,
        lambda d: _resource(d, "visits")["schema"].update(
            fields=[f for f in _resource(d, "visits")["schema"]["fields"] if f["name"] != "notes"]
        ),
    )
    diff = _diff_with(package_copy)
    assert ("visits", "notes", "column removed", "major") in [
        (c.table, c.column, c.kind, c.bump) for c in diff.schema
    ]
    assert diff.bump == "major"


def test_a_column_with_the_same_values_under_a_new_name_is_renamed(package_copy: Path) -> None:
    _edit_csv(
        package_copy / "data" / "visits.csv",
        lambda h, rows: ([("synopsis" if c == "summary" else c) for c in h], rows),
    )
    _edit_descriptor(package_copy, lambda d: _field(d, "visits", "summary").update(name="synopsis"))
    diff = _diff_with(package_copy)
    assert [(c.kind, c.detail) for c in diff.schema] == [("column renamed", "summary → synopsis")]
    assert diff.bump == "major" and diff.tables == ()


@pytest.mark.parametrize(
    ("edit", "kind", "bump"),
    [
        (lambda f: f["constraints"]["enum"].remove("other"), "constraint tightened", "major"),
        (lambda f: f["constraints"]["enum"].append("private"), "constraint loosened", "minor"),
        (lambda f: f["constraints"].update(required=True), "constraint tightened", "major"),
        (lambda f: f["constraints"].update(maxLength=3), "constraint tightened", "major"),
        (lambda f: f["constraints"].update(maxLength=99), "constraint loosened", "minor"),
        (lambda f: f["constraints"].update(pattern="[a-z]+"), "constraint tightened", "major"),
        (lambda f: f.update(type="integer"), "column retyped", "major"),
        (lambda f: f.update(description="Kind"), "description changed", "patch"),
    ],
    ids=[
        "enum-value-removed",
        "enum-value-added",
        "required-added",
        "max-length-lowered",
        "max-length-raised",
        "pattern-added",
        "type-changed",
        "description",
    ],
)
def test_each_constraint_change_needs_its_bump(
    package_copy: Path, edit: Any, kind: str, bump: str
) -> None:
    def change(descriptor: dict[str, Any]) -> None:
        field = _field(descriptor, "visits", "kind")
        field.setdefault("constraints", {})
        edit(field)

    _edit_descriptor(package_copy, change)
    diff = _diff_with(package_copy)
    assert (kind, bump) in [(c.kind, c.bump) for c in diff.schema if c.column == "kind"]
    assert diff.bump == bump


def test_a_removed_record_is_a_major_change_listed_first(package_copy: Path) -> None:
    removed: list[str] = []

    def drop_first(header: list[str], rows: list[list[str]]) -> Any:
        removed.append(rows[0][0])
        return header, rows[1:]

    _edit_csv(package_copy / "data" / "events.csv", drop_first)
    diff = _diff_with(package_copy)
    document = as_json(diff)
    assert document["ids_removed"] == [{"table": "events", "key": {"id": removed[0]}}]
    assert document["reasons"][0] == {
        "bump": "major",
        "change": "records removed",
        "where": ["events"],
    }


def test_a_record_whose_id_alone_changed_is_an_id_change(package_copy: Path) -> None:
    def rename(header: list[str], rows: list[list[str]]) -> Any:
        rows[0][0] = "zz-" + rows[0][0]
        return header, sorted(rows)

    old_id = _read_csv(PACKAGE / "data" / "leaders.csv")[1][0]
    _edit_csv(package_copy / "data" / "leaders.csv", rename)
    diff = _diff_with(package_copy)
    (table,) = diff.tables
    assert table.renamed == (((old_id,), ("zz-" + old_id,)),)
    assert table.added == table.removed == ()
    assert diff.reasons() == [("major", "ids changed", "leaders")]
    assert diff.bump == "major"


def test_a_changed_value_is_a_patch_with_old_and_new(package_copy: Path) -> None:
    def change(header: list[str], rows: list[list[str]]) -> Any:
        rows[0][header.index("summary")] += " More."
        return header, rows

    _edit_csv(package_copy / "data" / "visits.csv", change)
    diff = _diff_with(package_copy)
    ((record,),) = [t.changed for t in diff.tables]
    (field,) = record.fields
    assert field.column == "summary" and field.new == field.old + " More."
    assert diff.bump == "patch"


def test_a_changed_source_text_names_its_citations_and_lost_quotes(package_copy: Path) -> None:
    path = package_copy / "sources" / "exam-notes.txt"
    path.write_bytes(path.read_bytes()[:200])
    diff = _diff_with(package_copy)
    (text,) = diff.texts
    assert text.kind == "changed" and text.old_sha256 != text.new_sha256
    assert text.citations and all(
        c.endswith("exam-notes") or "exam-notes-" in c for c in text.citations
    )
    assert set(text.lost_quotes) <= set(text.citations) and text.lost_quotes
    assert diff.bump == "patch"


def test_metadata_changes_are_patches_but_a_replaced_licence_is_major(
    package_copy: Path,
) -> None:
    _edit_descriptor(package_copy, lambda d: d.update(title="Another title"))
    assert _diff_with(package_copy).bump == "patch"
    _edit_descriptor(package_copy, lambda d: d.update(licenses=[{"name": "CC0-1.0"}]))
    assert _diff_with(package_copy).bump == "major"


def test_a_licence_added_beside_the_others_is_minor(package_copy: Path) -> None:
    _edit_descriptor(package_copy, lambda d: d["licenses"].append({"name": "CC0-1.0"}))
    assert _diff_with(package_copy).bump == "minor"


def test_the_empty_package_gives_every_table_and_record_as_added() -> None:
    new = read_snapshot(PACKAGE, "here")
    diff = compare(empty_snapshot(), new)
    assert diff.bump == "minor"
    assert {c.kind for c in diff.schema} == {"table added"}
    assert sum(len(t.added) for t in diff.tables) == sum(len(t.rows) for t in new.tables.values())
    assert {t.kind for t in diff.texts} == {"added"}


def test_an_unreadable_row_is_an_error_naming_file_and_line(package_copy: Path) -> None:
    from india_russia_relations.errors import DataError

    path = package_copy / "data" / "visits.csv"
    path.write_bytes(path.read_bytes() + b"only,three,cells\n")
    lines = path.read_bytes().count(b"\n")
    with pytest.raises(DataError, match=rf"visits\.csv:{lines}: has 3 cells"):
        read_snapshot(package_copy, "new")
