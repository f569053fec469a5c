"""The bump of every change `irr diff` knows, as a table: the project's versioning rule as data.

MAJOR: a column or table removed, renamed or retyped, a constraint tightened, an id removed
or changed, what identifies the package or lets it be used (name, id, a licence) changed.
MINOR: records, columns, tables or source texts added, a constraint loosened, a licence
added. PATCH: corrections of values, quotes, source texts and metadata. Nothing: what
`irr build` writes by itself (``bytes``, ``hash``) and the version.

Each case edits a small package written to disk and read with ``read_snapshot``; the test
checks every (kind of change, bump) that ``Diff.reasons`` gives, and the diff's bump.
"""

from __future__ import annotations

import copy
import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from india_russia_relations.errors import DataError
from india_russia_relations.publish.diff import Diff, compare, empty_snapshot, read_snapshot
from india_russia_relations.publish.versions import BUMPS, Bump

Package = dict[str, Any]
"""``descriptor``: the datapackage.json; ``tables``: header and rows of each CSV file by
resource name; ``texts``: each text file's content by path."""

TEXT = "The treaty of peace, friendship and cooperation was signed in New Delhi in 1971."


def _base() -> Package:
    parents = {
        "name": "parents",
        "type": "table",
        "path": "data/parents.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": "Parents",
        "description": "One row per parent.",
        "dialect": {"header": True},
        "bytes": 100,
        "hash": "sha256:" + "0" * 64,
        "schema": {
            "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
            "title": "Parents",
            "description": "The parents' schema.",
            "missingValues": [""],
            "primaryKey": ["id"],
            "fields": [
                {
                    "name": "id",
                    "type": "string",
                    "format": "default",
                    "description": "The id.",
                    "constraints": {"required": True, "unique": True, "pattern": "^[a-z0-9-]+$"},
                },
                {
                    "name": "name",
                    "type": "string",
                    "title": "Name",
                    "description": "The name.",
                    "constraints": {"minLength": 1, "maxLength": 50},
                },
                {
                    "name": "kind",
                    "type": "string",
                    "description": "The kind.",
                    "constraints": {"enum": ["a", "b"]},
                    "categories": ["a", "b"],
                },
                {
                    "name": "year",
                    "type": "integer",
                    "description": "The year.",
                    "constraints": {"minimum": 1900, "maximum": 2100},
                },
                {
                    "name": "tag",
                    "type": "string",
                    "description": "A tag.",
                    "categories": [{"value": "x", "label": "Ex"}, {"value": "y", "label": "Why"}],
                },
                {"name": "amount", "type": "number", "description": "An amount."},
            ],
        },
    }
    children = {
        "name": "children",
        "type": "table",
        "path": "data/children.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": 200,
        "hash": "sha256:" + "1" * 64,
        "schema": {
            "primaryKey": ["id"],
            "foreignKeys": [
                {"fields": ["parent_id"], "reference": {"resource": "parents", "fields": ["id"]}}
            ],
            "fields": [
                {"name": "id", "type": "string"},
                {"name": "parent_id", "type": "string"},
                {"name": "source_id", "type": "string"},
                {"name": "quote", "type": "string"},
            ],
        },
    }
    source = {
        "name": "treaty",
        "type": "file",
        "path": "sources/treaty.txt",
        "format": "txt",
        "mediatype": "text/plain",
        "encoding": "utf-8",
        "title": "The treaty",
        "bytes": len(TEXT),
        "hash": "sha256:" + "2" * 64,
    }
    descriptor = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "pkg",
        "id": "https://example.org/pkg",
        "title": "A package",
        "description": "For the tests.",
        "version": "1.2.3",
        "created": "2026-01-01T00:00:00Z",
        "keywords": ["a", "b"],
        "contributors": [{"title": "Someone"}],
        "sources": [{"title": "Somewhere"}],
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "resources": [parents, children, source],
    }
    tables = {
        "parents": [
            ["id", "name", "kind", "year", "tag", "amount"],
            ["p1", "First", "a", "1955", "x", "2.5"],
            ["p2", "Second", "b", "1971", "y", "-10"],
            ["p3", "Third", "a", "", "", ""],
        ],
        "children": [
            ["id", "parent_id", "source_id", "quote"],
            ["c1", "p1", "treaty", "signed in New Delhi"],
            ["c2", "p2", "treaty", "peace, friendship and cooperation"],
        ],
    }
    return {"descriptor": descriptor, "tables": tables, "texts": {"sources/treaty.txt": TEXT}}


def _write(root: Path, package: Package) -> Path:
    paths = {r["name"]: r["path"] for r in package["descriptor"]["resources"]}
    for name, table in package["tables"].items():
        path = root / paths[name]
        path.parent.mkdir(parents=True, exist_ok=True)
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(table)
        path.write_text(out.getvalue(), encoding="utf-8")
    for relative, text in package["texts"].items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "datapackage.json").write_text(json.dumps(package["descriptor"]), encoding="utf-8")
    return root


def _diff(root: Path, old: Package, new: Package) -> Diff:
    before = read_snapshot(_write(root / "old", old), "old")
    after = read_snapshot(_write(root / "new", new), "new")
    return compare(before, after)


# --- edits -----------------------------------------------------------------------------------


def resource(p: Package, name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(r for r in p["descriptor"]["resources"] if r["name"] == name)
    return found


def schema(p: Package, table: str = "parents") -> dict[str, Any]:
    found: dict[str, Any] = resource(p, table)["schema"]
    return found


def field(p: Package, column: str, table: str = "parents") -> dict[str, Any]:
    found: dict[str, Any] = next(f for f in schema(p, table)["fields"] if f["name"] == column)
    return found


def constraints(p: Package, column: str, table: str = "parents") -> dict[str, Any]:
    found: dict[str, Any] = field(p, column, table).setdefault("constraints", {})
    return found


def rows(p: Package, table: str = "parents") -> list[list[str]]:
    found: list[list[str]] = p["tables"][table]
    return found


def setting(where: Callable[[Package], dict[str, Any]], name: str, value: Any) -> Edit:
    """An edit that sets (or, with ``value`` None, deletes) one property."""

    def edit(p: Package) -> None:
        target = where(p)
        if value is None:
            del target[name]
        else:
            target[name] = value

    return edit


Edit = Callable[[Package], None]


def _column_removed(p: Package, column: str = "tag") -> None:
    schema(p)["fields"] = [f for f in schema(p)["fields"] if f["name"] != column]
    at = rows(p)[0].index(column)
    for row in rows(p):
        del row[at]


def _column_added(p: Package, required: bool = False) -> None:
    new = {"name": "note", "type": "string", "description": "A note."}
    if required:
        new["constraints"] = {"required": True}
    schema(p)["fields"].append(new)
    for n, row in enumerate(rows(p)):
        row.append("note" if n == 0 else f"note {n}")


def _column_renamed(p: Package) -> None:
    field(p, "name")["name"] = "label"
    rows(p)[0][1] = "label"


def _columns_reordered(p: Package) -> None:
    fields = schema(p)["fields"]
    fields[1], fields[2] = fields[2], fields[1]
    for row in rows(p):
        row[1], row[2] = row[2], row[1]


def _table_added(p: Package) -> None:
    p["descriptor"]["resources"].append(
        {
            "name": "others",
            "path": "data/others.csv",
            "schema": {"primaryKey": ["id"], "fields": [{"name": "id", "type": "string"}]},
        }
    )
    p["tables"]["others"] = [["id"], ["o1"]]


def _table_removed(p: Package) -> None:
    p["descriptor"]["resources"].remove(resource(p, "children"))
    del p["tables"]["children"]


def _table_renamed(p: Package) -> None:
    resource(p, "children")["name"] = "kids"
    resource(p, "kids")["path"] = "data/kids.csv"
    p["tables"]["kids"] = p["tables"].pop("children")


def _key_changed(p: Package) -> None:
    schema(p)["primaryKey"] = ["id", "name"]


def _record_added(p: Package) -> None:
    row = ["p4", "Fourth", "b", "2001", "x", "1"]
    rows(p).append(row + [""] * (len(rows(p)[0]) - len(row)))  # after a column added


def _record_removed(p: Package) -> None:
    del rows(p)[3]


def _record_changed(p: Package) -> None:
    rows(p)[1][1] = "First, corrected"


def _id_changed(p: Package) -> None:
    rows(p)[3][0] = "p9"


def _quote_corrected(p: Package) -> None:
    rows(p, "children")[1][3] = "signed in New Delhi in 1971"


def _text_changed(p: Package) -> None:
    p["texts"]["sources/treaty.txt"] = TEXT.replace("1971", "August 1971")


def _text_added(p: Package) -> None:
    p["descriptor"]["resources"].append({"name": "speech", "path": "sources/speech.txt"})
    p["texts"]["sources/speech.txt"] = "A speech."


def _text_removed(p: Package) -> None:
    p["descriptor"]["resources"].remove(resource(p, "treaty"))
    del p["texts"]["sources/treaty.txt"]


def _foreign_key_added(p: Package) -> None:
    schema(p, "children")["foreignKeys"].append(
        {"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["id"]}}
    )


def _foreign_key_written_as_strings(p: Package) -> None:
    schema(p, "children")["foreignKeys"] = [
        {"fields": "parent_id", "reference": {"resource": "parents", "fields": "id"}}
    ]


def _everything_rebuilt(p: Package) -> None:
    for r in p["descriptor"]["resources"]:
        r["bytes"] = r.get("bytes", 0) + 1
        r["hash"] = "sha256:" + "f" * 64


def _descriptor(p: Package) -> dict[str, Any]:
    found: dict[str, Any] = p["descriptor"]
    return found


def _parents(p: Package) -> dict[str, Any]:
    return resource(p, "parents")


def _treaty(p: Package) -> dict[str, Any]:
    return resource(p, "treaty")


def _c(column: str) -> Callable[[Package], dict[str, Any]]:
    return lambda p: constraints(p, column)


def _f(column: str) -> Callable[[Package], dict[str, Any]]:
    return lambda p: field(p, column)


@dataclass(frozen=True)
class Case:
    name: str
    edit: Edit
    bump: Bump
    reasons: frozenset[tuple[str, Bump]]
    """Every (kind of change, bump) that ``Diff.reasons`` gives."""


def case(name: str, edit: Edit, bump: Bump, *reasons: tuple[str, Bump]) -> Case:
    return Case(name, edit, bump, frozenset(reasons))


TIGHTENED = ("constraint tightened", "major")
LOOSENED = ("constraint loosened", "minor")
RETYPED = ("column retyped", "major")
DESCRIBED = ("description changed", "patch")
RESOURCE_PATCH = ("resource changed", "patch")
RESOURCE_MAJOR = ("resource changed", "major")
METADATA_PATCH = ("metadata changed", "patch")
METADATA_MINOR = ("metadata changed", "minor")
METADATA_MAJOR = ("metadata changed", "major")

CASES = [
    # Tables and columns.
    case(
        "table added", _table_added, "minor", ("table added", "minor"), ("records added", "minor")
    ),
    case(
        "table removed",
        _table_removed,
        "major",
        ("table removed", "major"),
        ("records removed", "major"),
    ),
    case(
        "table renamed",
        _table_renamed,
        "major",
        ("table added", "minor"),
        ("records added", "minor"),
        ("table removed", "major"),
        ("records removed", "major"),
    ),
    case("column added", _column_added, "minor", ("column added", "minor")),
    case(
        "required column added",
        lambda p: _column_added(p, required=True),
        "minor",
        ("column added", "minor"),
    ),
    case("column removed", _column_removed, "major", ("column removed", "major")),
    case("column renamed", _column_renamed, "major", ("column renamed", "major")),
    case("columns reordered", _columns_reordered, "major", ("columns reordered", "major")),
    case("primary key changed", _key_changed, "major", ("key changed", "major")),
    # A field's type and how its values are read.
    case("type changed", setting(_f("amount"), "type", "integer"), "major", RETYPED),
    case("format added", setting(_f("name"), "format", "email"), "major", RETYPED),
    case("format removed", setting(_f("id"), "format", None), "major", RETYPED),
    case("itemType added", setting(_f("name"), "itemType", "string"), "major", RETYPED),
    case("delimiter added", setting(_f("name"), "delimiter", ";"), "major", RETYPED),
    case("bareNumber added", setting(_f("amount"), "bareNumber", False), "major", RETYPED),
    case("trueValues added", setting(_f("name"), "trueValues", ["yes"]), "major", RETYPED),
    # A field's description.
    case("field title changed", setting(_f("name"), "title", "Label"), "patch", DESCRIBED),
    case("field title added", setting(_f("year"), "title", "Year"), "patch", DESCRIBED),
    case("field description changed", setting(_f("name"), "description", "N."), "patch", DESCRIBED),
    case("field description removed", setting(_f("name"), "description", None), "patch", DESCRIBED),
    case("field example added", setting(_f("name"), "example", "First"), "patch", DESCRIBED),
    case("field rdfType added", setting(_f("name"), "rdfType", "schema:name"), "patch", DESCRIBED),
    # Constraints: required and unique.
    case("required added", setting(_c("name"), "required", True), "major", TIGHTENED),
    case("required removed", setting(_c("id"), "required", None), "minor", LOOSENED),
    case("required made false", setting(_c("id"), "required", False), "minor", LOOSENED),
    case("required false added", setting(_c("name"), "required", False), "none"),
    case("unique added", setting(_c("name"), "unique", True), "major", TIGHTENED),
    case("unique removed", setting(_c("id"), "unique", None), "minor", LOOSENED),
    # Lengths and bounds.
    case("minLength raised", setting(_c("name"), "minLength", 3), "major", TIGHTENED),
    case("minLength lowered", setting(_c("name"), "minLength", 0), "minor", LOOSENED),
    case("minLength removed", setting(_c("name"), "minLength", None), "minor", LOOSENED),
    case("minLength added", setting(_c("tag"), "minLength", 1), "major", TIGHTENED),
    case("maxLength lowered", setting(_c("name"), "maxLength", 20), "major", TIGHTENED),
    case("maxLength raised", setting(_c("name"), "maxLength", 80), "minor", LOOSENED),
    case("maxLength removed", setting(_c("name"), "maxLength", None), "minor", LOOSENED),
    case("maxLength added", setting(_c("tag"), "maxLength", 5), "major", TIGHTENED),
    case("minimum raised", setting(_c("year"), "minimum", 1950), "major", TIGHTENED),
    case("minimum lowered", setting(_c("year"), "minimum", 1800), "minor", LOOSENED),
    case("minimum removed", setting(_c("year"), "minimum", None), "minor", LOOSENED),
    case("minimum added", setting(_c("amount"), "minimum", 0), "major", TIGHTENED),
    case("maximum lowered", setting(_c("year"), "maximum", 2050), "major", TIGHTENED),
    case("maximum raised", setting(_c("year"), "maximum", 2200), "minor", LOOSENED),
    case("maximum removed", setting(_c("year"), "maximum", None), "minor", LOOSENED),
    case("maximum added", setting(_c("amount"), "maximum", 100), "major", TIGHTENED),
    case(
        "exclusiveMinimum added", setting(_c("amount"), "exclusiveMinimum", 0), "major", TIGHTENED
    ),
    case(
        "exclusiveMaximum added", setting(_c("amount"), "exclusiveMaximum", 9), "major", TIGHTENED
    ),
    # Patterns and enums.
    case("pattern added", setting(_c("name"), "pattern", "^[A-Z]"), "major", TIGHTENED),
    case("pattern changed", setting(_c("id"), "pattern", "^[a-z0-9-_]+$"), "major", TIGHTENED),
    case("pattern removed", setting(_c("id"), "pattern", None), "minor", LOOSENED),
    case(
        "enum added", setting(_c("name"), "enum", ["First", "Second", "Third"]), "major", TIGHTENED
    ),
    case("enum removed", setting(_c("kind"), "enum", None), "minor", LOOSENED),
    case("enum value removed", setting(_c("kind"), "enum", ["a"]), "major", TIGHTENED),
    case("enum value added", setting(_c("kind"), "enum", ["a", "b", "c"]), "minor", LOOSENED),
    case(
        "enum value replaced", setting(_c("kind"), "enum", ["a", "c"]), "major", TIGHTENED, LOOSENED
    ),
    case("unknown constraint added", setting(_c("name"), "jsonSchema", {}), "major", TIGHTENED),
    # Categories: a constraint where no enum governs the values, a description where one does.
    case(
        "category removed",
        setting(_f("tag"), "categories", [{"value": "x", "label": "Ex"}]),
        "major",
        TIGHTENED,
    ),
    case(
        "category added",
        setting(
            _f("tag"),
            "categories",
            [{"value": "x", "label": "Ex"}, {"value": "y", "label": "Why"}, "z"],
        ),
        "minor",
        LOOSENED,
    ),
    case(
        "category relabelled",
        setting(
            _f("tag"), "categories", [{"value": "x", "label": "Ex"}, {"value": "y", "label": "Y"}]
        ),
        "patch",
        DESCRIBED,
    ),
    case(
        "categories added",
        setting(_f("name"), "categories", ["First", "Second"]),
        "major",
        TIGHTENED,
    ),
    case("categories removed", setting(_f("tag"), "categories", None), "minor", LOOSENED),
    case(
        "category removed beside an enum",
        setting(_f("kind"), "categories", ["a"]),
        "patch",
        DESCRIBED,
    ),
    case(
        "category removed with its enum value",
        lambda p: (
            setting(_f("kind"), "categories", ["a"])(p),
            setting(_c("kind"), "enum", ["a"])(p),
        ),
        "major",
        TIGHTENED,
        DESCRIBED,
    ),
    case(
        "enum removed and a category with it",
        lambda p: (
            setting(_f("kind"), "categories", ["a"])(p),
            setting(_c("kind"), "enum", None)(p),
        ),
        "minor",
        LOOSENED,
        DESCRIBED,
    ),
    # Foreign keys.
    case(
        "foreign key written in another order",
        lambda p: schema(p, "children").update(
            foreignKeys=[
                {"reference": {"fields": ["id"], "resource": "parents"}, "fields": ["parent_id"]}
            ]
        ),
        "none",
    ),
    case("foreign key added", _foreign_key_added, "major", TIGHTENED),
    case(
        "foreign key removed",
        lambda p: schema(p, "children").pop("foreignKeys"),
        "minor",
        LOOSENED,
    ),
    case("foreign key written with strings", _foreign_key_written_as_strings, "none"),
    # The schema's own properties.
    case(
        "schema description changed", setting(schema, "description", "Other."), "patch", DESCRIBED
    ),
    case("schema title changed", setting(schema, "title", "Other"), "patch", DESCRIBED),
    case(
        "schema $schema changed",
        setting(schema, "$schema", "https://x/1.0/tableschema.json"),
        "patch",
        DESCRIBED,
    ),
    case("missingValues changed", setting(schema, "missingValues", ["", "NA"]), "major", RETYPED),
    case(
        "unknown schema property added", setting(schema, "fieldsMatch", "subset"), "major", RETYPED
    ),
    # A resource's properties.
    case("resource title changed", setting(_parents, "title", "Others"), "patch", RESOURCE_PATCH),
    case(
        "resource description changed",
        setting(_parents, "description", "Other."),
        "patch",
        RESOURCE_PATCH,
    ),
    case(
        "resource sources added",
        setting(_parents, "sources", [{"title": "S"}]),
        "patch",
        RESOURCE_PATCH,
    ),
    case(
        "text resource title changed",
        setting(_treaty, "title", "A treaty"),
        "patch",
        RESOURCE_PATCH,
    ),
    case(
        "resource path changed", setting(_parents, "path", "parents.csv"), "major", RESOURCE_MAJOR
    ),
    case("resource format changed", setting(_parents, "format", "tsv"), "major", RESOURCE_MAJOR),
    case(
        "resource mediatype changed",
        setting(_parents, "mediatype", "text/tsv"),
        "major",
        RESOURCE_MAJOR,
    ),
    case(
        "resource encoding changed",
        setting(_parents, "encoding", "latin-1"),
        "major",
        RESOURCE_MAJOR,
    ),
    case(
        "resource dialect changed",
        setting(_parents, "dialect", {"delimiter": ";"}),
        "major",
        RESOURCE_MAJOR,
    ),
    case(
        "resource licence added",
        setting(_parents, "licenses", [{"name": "CC0-1.0"}]),
        "minor",
        ("resource changed", "minor"),
    ),
    case("resource bytes changed", setting(_parents, "bytes", 101), "none"),
    case("resource hash changed", setting(_parents, "hash", "sha256:" + "9" * 64), "none"),
    case("every resource rebuilt", _everything_rebuilt, "none"),
    # The descriptor's properties.
    case("version changed", setting(_descriptor, "version", "2.0.0"), "none"),
    case("name changed", setting(_descriptor, "name", "other"), "major", METADATA_MAJOR),
    case("name removed", setting(_descriptor, "name", None), "major", METADATA_MAJOR),
    case(
        "descriptor id changed",
        setting(_descriptor, "id", "https://example.org/other"),
        "major",
        METADATA_MAJOR,
    ),
    case("descriptor id removed", setting(_descriptor, "id", None), "major", METADATA_MAJOR),
    case(
        "descriptor title changed",
        setting(_descriptor, "title", "Another"),
        "patch",
        METADATA_PATCH,
    ),
    case(
        "descriptor description changed",
        setting(_descriptor, "description", "Other."),
        "patch",
        METADATA_PATCH,
    ),
    case("keywords changed", setting(_descriptor, "keywords", ["c"]), "patch", METADATA_PATCH),
    case("contributors changed", setting(_descriptor, "contributors", []), "patch", METADATA_PATCH),
    case("sources changed", setting(_descriptor, "sources", None), "patch", METADATA_PATCH),
    case(
        "created changed",
        setting(_descriptor, "created", "2027-01-01T00:00:00Z"),
        "patch",
        METADATA_PATCH,
    ),
    case(
        "descriptor $schema changed",
        setting(_descriptor, "$schema", "https://x/dp.json"),
        "patch",
        METADATA_PATCH,
    ),
    case(
        "homepage added",
        setting(_descriptor, "homepage", "https://example.org"),
        "patch",
        METADATA_PATCH,
    ),
    case(
        "licence replaced",
        setting(_descriptor, "licenses", [{"name": "CC0-1.0"}]),
        "major",
        METADATA_MAJOR,
    ),
    case("licences removed", setting(_descriptor, "licenses", None), "major", METADATA_MAJOR),
    case(
        "licence added beside the other",
        lambda p: _descriptor(p)["licenses"].append({"name": "CC0-1.0"}),
        "minor",
        METADATA_MINOR,
    ),
    case(
        "licence's link corrected",
        lambda p: _descriptor(p)["licenses"][0].update(
            path="https://creativecommons.org/licenses/by/4.0/legalcode"
        ),
        "patch",
        METADATA_PATCH,
    ),
    # Records, ids and source texts.
    case("record added", _record_added, "minor", ("records added", "minor")),
    case("record removed", _record_removed, "major", ("records removed", "major")),
    case("value corrected", _record_changed, "patch", ("records changed", "patch")),
    case("id changed", _id_changed, "major", ("ids changed", "major")),
    case("quote corrected", _quote_corrected, "patch", ("records changed", "patch")),
    case("source text corrected", _text_changed, "patch", ("source text changed", "patch")),
    case("source text added", _text_added, "minor", ("source text added", "minor")),
    case("source text removed", _text_removed, "major", ("source text removed", "major")),
    case("nothing changed", lambda p: None, "none"),
]
BY_NAME = {c.name: c for c in CASES}


def _edited(edit: Edit, base: Package | None = None) -> Package:
    package = copy.deepcopy(base or _base())
    edit(package)
    return package


@pytest.mark.parametrize("spec", CASES, ids=[c.name for c in CASES])
def test_each_change_gets_its_kind_and_bump(spec: Case, tmp_path: Path) -> None:
    old = _base()
    diff = _diff(tmp_path, old, _edited(spec.edit, old))
    assert {(kind, bump) for bump, kind, _ in diff.reasons()} == spec.reasons
    assert diff.bump == spec.bump
    assert diff.empty == (spec.bump == "none")


def test_the_table_names_every_bump() -> None:
    assert {c.bump for c in CASES} == set(BUMPS)
    assert len(BY_NAME) == len(CASES)


@pytest.mark.parametrize("spec", CASES, ids=[c.name for c in CASES])
def test_a_rebuilt_descriptor_changes_no_bump(spec: Case, tmp_path: Path) -> None:
    old = _base()
    new = _edited(spec.edit, old)
    _everything_rebuilt(new)
    assert _diff(tmp_path, old, new).bump == spec.bump


# Changes to separate parts of the package, which can be made together.
COMBINABLE = [
    "column added",
    "field title changed",
    "required added",
    "maxLength raised",
    "enum value added",
    "category relabelled",
    "foreign key removed",
    "schema description changed",
    "text resource title changed",
    "version changed",
    "descriptor title changed",
    "licence added beside the other",
    "record added",
    "id changed",
    "quote corrected",
    "source text corrected",
    "resource bytes changed",
    "nothing changed",
]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(COMBINABLE), unique=True, max_size=5))
def test_a_diffs_bump_is_the_largest_of_its_parts(tmp_path: Path, names: list[str]) -> None:
    old = _base()
    new = copy.deepcopy(old)
    for name in names:
        BY_NAME[name].edit(new)
    diff = _diff(tmp_path, old, new)
    expected = max([BY_NAME[n].bump for n in names] or ["none"], key=BUMPS.index)
    assert diff.bump == expected
    assert {(kind, bump) for bump, kind, _ in diff.reasons()} == set().union(
        *(BY_NAME[n].reasons for n in names)
    )


def test_a_first_release_against_the_empty_package_adds_everything(tmp_path: Path) -> None:
    new = read_snapshot(_write(tmp_path / "new", _base()), "new")
    diff = compare(empty_snapshot(), new)
    assert diff.bump == "minor"
    assert {(kind, bump) for bump, kind, _ in diff.reasons()} == {
        ("table added", "minor"),
        ("records added", "minor"),
        ("source text added", "minor"),
    }
    assert diff.metadata == ()


def test_everything_removed_is_major(tmp_path: Path) -> None:
    old = read_snapshot(_write(tmp_path / "old", _base()), "old")
    assert compare(old, empty_snapshot()).bump == "major"


def _details(diff: Diff) -> set[tuple[str, str | None, str]]:
    return {(c.kind, c.column, c.detail) for c in diff.schema}


def test_the_details_name_what_changed(tmp_path: Path) -> None:
    old = _base()
    new = _edited(lambda p: _column_added(p, required=True), old)
    setting(_f("tag"), "categories", [{"value": "x", "label": "Ex"}])(new)
    setting(_f("kind"), "categories", None)(new)
    setting(_c("name"), "maxLength", 20)(new)
    assert _details(_diff(tmp_path, old, new)) == {
        ("column added", "note", "note (required)"),
        ("constraint tightened", "tag", "categories removed: y"),
        ("description changed", "kind", "categories: a, b → none"),
        ("constraint tightened", "name", "maxLength: 50 → 20"),
    }
    new = _edited(_column_added, old)
    setting(_f("name"), "categories", ["First"])(new)
    diff = _diff(tmp_path, old, new)
    assert _details(diff) == {
        ("column added", "note", "note"),
        ("constraint tightened", "name", "categories added: First"),
    }
    assert (diff.old, diff.new) == ("old", "new")


def test_the_empty_package_has_nothing(tmp_path: Path) -> None:
    empty = empty_snapshot()
    assert (empty.label, empty.version) == ("empty", None)
    assert empty.metadata == empty.resources == empty.tables == empty.texts == {}


def test_a_record_of_a_two_column_key_that_changed_its_key_is_removed_and_added(
    tmp_path: Path,
) -> None:
    old = _base()
    _key_changed(old)
    diff = _diff(tmp_path, old, _edited(_id_changed, old))
    (table,) = diff.tables
    assert table.renamed == ()
    assert [r["id"] for r in table.removed] == ["p3"] and [r["id"] for r in table.added] == ["p9"]
    assert diff.bump == "major"


def test_a_header_naming_a_column_twice_is_an_error_naming_the_file(tmp_path: Path) -> None:
    package = _base()
    rows(package)[0][1] = "id"
    with pytest.raises(DataError, match=r"parents\.csv:1: the header names a column twice$"):
        read_snapshot(_write(tmp_path, package), "x")


def test_records_are_compared_by_a_new_key_of_old_columns(tmp_path: Path) -> None:
    old = _base()
    diff = _diff(tmp_path, old, _edited(_key_changed, old))
    assert diff.tables == ()


def test_records_are_not_compared_when_the_key_moves_to_a_new_column(tmp_path: Path) -> None:
    old = _base()

    def edit(p: Package) -> None:
        _column_added(p)
        schema(p)["primaryKey"] = ["note"]

    diff = _diff(tmp_path, old, _edited(edit, old))
    (table,) = diff.tables
    assert table.key == ("note",)
    assert table.note == "records not compared: the key changed to columns the old table lacks"
    assert table.empty
    assert diff.bump == "major"


def test_a_name_or_id_given_for_the_first_time_is_minor(tmp_path: Path) -> None:
    old = _base()
    setting(_descriptor, "id", None)(old)
    setting(_descriptor, "name", None)(old)
    diff = _diff(tmp_path, old, _base())
    assert [(m.name, m.bump) for m in diff.metadata] == [("id", "minor"), ("name", "minor")]
    assert diff.bump == "minor"


def test_a_diff_gives_both_versions_and_the_counts_per_table(tmp_path: Path) -> None:
    from india_russia_relations.publish.diff import counts

    old = _base()
    new = _edited(lambda p: (_record_added(p), _record_changed(p), _table_removed(p)), old)
    setting(_descriptor, "version", "2.0.0")(new)
    diff = _diff(tmp_path, old, new)
    assert (diff.old_version, diff.new_version) == ("1.2.3", "2.0.0")
    assert ("table removed", "children", "children") in {
        (c.kind, c.table, c.detail) for c in diff.schema
    }
    counted = counts(diff)
    assert counted.per_table == {"parents": (1, 0, 1, 0), "children": (0, 2, 0, 0)}
    assert (counted.added, counted.removed, counted.changed, counted.renamed) == (1, 2, 1, 0)
