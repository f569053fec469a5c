"""``irr diff``: what changed between two versions of a data package, and the bump it needs.

Both sides are read as the package they are, not through today's models: each table's
columns come from its CSV header, its key and constraints from the Table Schema in its own
``datapackage.json``. So a package from before a column existed compares with one after it
(the column shows as added), and nothing here names a table or column of this dataset.
Records are compared cell by cell, keyed by each table's primary key.
"""

from __future__ import annotations

import csv
import io
import json
import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..checks.descriptor import parse_json
from ..checks.provenance import find_quote
from ..errors import DataError
from ..io.files import read_inside, sha256
from ..schema.descriptor import DESCRIPTOR
from .versions import Bump, larger

Key = tuple[str, ...]
Row = Mapping[str, str]


@dataclass(frozen=True)
class TableData:
    """One table as a package holds it: header, key, rows by key, and its Table Schema."""

    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]
    rows: Mapping[Key, Row]
    schema: Mapping[str, Any]


@dataclass(frozen=True)
class TextFile:
    """An archived file of the package (a resource without a schema)."""

    name: str
    path: str
    sha256: str
    text: str


@dataclass(frozen=True)
class Snapshot:
    """Everything ``irr diff`` compares of one package."""

    label: str
    version: str | None
    metadata: Mapping[str, Any]
    """The descriptor's properties other than ``resources`` and ``version``."""
    resources: Mapping[str, Mapping[str, Any]]
    """Each resource's properties other than its schema, size and hash."""
    tables: Mapping[str, TableData]
    texts: Mapping[str, TextFile]


def empty_snapshot() -> Snapshot:
    """The package with nothing in it: what a first release is compared against."""
    return Snapshot("empty", None, {}, {}, {}, {})


@dataclass(frozen=True)
class _Files:
    """How a snapshot's files are read, and shown in messages."""

    root: Path
    display: str
    withheld: Mapping[str, str]

    def show(self, relative: str) -> str:
        return posixpath.join(self.display, relative)

    def read(self, relative: str, name: str) -> bytes:
        """The bytes of a file of the package, or ``DataError`` naming the resource."""
        data, why = read_inside(self.root, relative)
        if data is None:
            if why is not None and why.endswith("is missing"):
                why = self.withheld.get(posixpath.normpath(relative), why)
            raise DataError(f"{self.show(DESCRIPTOR)}: resource {name}: {why}")
        return data


def _read_table(files: _Files, name: str, resource: Mapping[str, Any]) -> TableData:
    relative = str(resource.get("path", ""))
    data = files.read(relative, name)
    where = files.show(relative)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise DataError(f"{where}: is not UTF-8 ({err}); run `irr validate`") from None
    schema: Mapping[str, Any] = resource["schema"]
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = tuple(next(reader, []))
        declared = schema.get("primaryKey") or []
        key = (declared,) if isinstance(declared, str) else tuple(declared)
        if not key:
            raise DataError(f"{files.show(DESCRIPTOR)}: resource {name} has no schema.primaryKey")
        missing = [k for k in key if k not in header]
        if missing:
            raise DataError(f"{where}:1: the key column {missing[0]} is not in the header")
        if len(set(header)) != len(header):
            raise DataError(f"{where}:1: the header names a column twice")
        rows: dict[Key, Row] = {}
        for cells in reader:
            if len(cells) != len(header):
                raise DataError(
                    f"{where}:{reader.line_num}: has {len(cells)} cells, the header "
                    f"{len(header)}; run `irr validate`"
                )
            row = dict(zip(header, cells, strict=True))
            row_key = tuple(row[k] for k in key)
            if row_key in rows:
                raise DataError(
                    f"{where}:{reader.line_num}: key {'/'.join(row_key)} appears twice; "
                    "run `irr validate`"
                )
            rows[row_key] = row
    except csv.Error as err:
        raise DataError(f"{where}:{reader.line_num}: {err}; run `irr validate`") from None
    return TableData(name, header, key, rows, schema)


def read_snapshot(
    root: Path,
    label: str,
    *,
    display: str | None = None,
    withheld: Mapping[str, str] | None = None,
) -> Snapshot:
    """Read the package directory ``root`` (holding ``datapackage.json``) for comparison.

    ``display`` is how the directory is shown in messages (default: ``root``); ``withheld``
    says, per path relative to ``root``, why a file that is not there cannot be used (it
    was too large to be read). Raises ``DataError`` naming the file (and line) that cannot
    be read, with the words ``irr validate`` uses for it.
    """
    files = _Files(root, str(root) if display is None else display, withheld or {})
    data, why = read_inside(root, DESCRIPTOR)
    if data is None:
        if why is not None and why.endswith("is missing"):
            why = files.withheld.get(DESCRIPTOR, why)
        raise DataError(f"{label}: no data package ({why})")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise DataError(f"{files.show(DESCRIPTOR)}: is not UTF-8 ({err})") from None
    descriptor, line, why = parse_json(text)
    if why is not None:
        raise DataError(f"{files.show(DESCRIPTOR)}:{line}: {why}")
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise DataError(f"{files.show(DESCRIPTOR)}: has no list of resources")
    version = descriptor.get("version")
    metadata = {k: v for k, v in descriptor.items() if k not in {"resources", "version"}}
    tables: dict[str, TableData] = {}
    texts: dict[str, TextFile] = {}
    resources: dict[str, Mapping[str, Any]] = {}
    for number, resource in enumerate(descriptor["resources"]):
        if not isinstance(resource, dict):
            raise DataError(f"{files.show(DESCRIPTOR)}: resources[{number}] is not an object")
        name = str(resource.get("name", number))
        resources[name] = {
            k: v for k, v in resource.items() if k not in {"schema", "bytes", "hash", "name"}
        }
        if isinstance(resource.get("schema"), dict):
            tables[name] = _read_table(files, name, resource)
        else:
            relative = str(resource.get("path", ""))
            content = files.read(relative, name)
            texts[name] = TextFile(
                name, relative, sha256(content), content.decode("utf-8", errors="replace")
            )
    return Snapshot(
        label, str(version) if version is not None else None, metadata, resources, tables, texts
    )


# --- the comparison -------------------------------------------------------------------------

SchemaKind = Literal[
    "table added",
    "table removed",
    "column added",
    "column removed",
    "column renamed",
    "column retyped",
    "columns reordered",
    "key changed",
    "constraint tightened",
    "constraint loosened",
    "description changed",
    "resource changed",
]


@dataclass(frozen=True)
class SchemaChange:
    """One change to the shape of the data: a table, a column, a constraint."""

    table: str
    column: str | None
    kind: SchemaKind
    detail: str
    bump: Bump


@dataclass(frozen=True)
class FieldChange:
    """One cell of a record that differs: its column, the old and the new text."""

    column: str
    old: str
    new: str


@dataclass(frozen=True)
class RecordChange:
    """A record present on both sides whose cells differ."""

    key: Key
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class TableDiff:
    """The records of one table that were added, removed or changed."""

    table: str
    key: tuple[str, ...]
    added: tuple[Row, ...] = ()
    removed: tuple[Row, ...] = ()
    changed: tuple[RecordChange, ...] = ()
    renamed: tuple[tuple[Key, Key], ...] = ()
    """Records whose key changed and nothing else: (old key, new key)."""
    note: str | None = None

    @property
    def empty(self) -> bool:
        """Whether no record of the table differs."""
        return not (self.added or self.removed or self.changed or self.renamed)


@dataclass(frozen=True)
class TextChange:
    """An archived text added, removed or changed, and the citations that quote it."""

    name: str
    path: str
    kind: Literal["added", "removed", "changed"]
    old_sha256: str | None
    new_sha256: str | None
    citations: tuple[str, ...] = ()
    lost_quotes: tuple[str, ...] = ()
    """Citations whose quote is no longer found in the new text."""


@dataclass(frozen=True)
class MetadataChange:
    """A descriptor property (title, licences, keywords, ...) that differs."""

    name: str
    old: Any
    new: Any
    bump: Bump


@dataclass(frozen=True)
class Diff:
    """Everything that differs between two packages, and the smallest bump it needs."""

    old: str
    new: str
    old_version: str | None
    new_version: str | None
    schema: tuple[SchemaChange, ...] = ()
    tables: tuple[TableDiff, ...] = ()
    texts: tuple[TextChange, ...] = ()
    metadata: tuple[MetadataChange, ...] = ()

    def reasons(self) -> list[tuple[Bump, str, str]]:
        """Why the bump is what it is: (bump, kind of change, table or text it happened in)."""
        found: list[tuple[Bump, str, str]] = []
        for change in self.schema:
            found.append((change.bump, change.kind, change.table))
        for table in self.tables:
            if table.removed:
                found.append(("major", "records removed", table.table))
            if table.renamed:
                found.append(("major", "ids changed", table.table))
            if table.added:
                found.append(("minor", "records added", table.table))
            if table.changed:
                found.append(("patch", "records changed", table.table))
        bumps: dict[str, Bump] = {"removed": "major", "added": "minor", "changed": "patch"}
        for text in self.texts:
            found.append((bumps[text.kind], f"source text {text.kind}", text.name))
        for meta in self.metadata:
            found.append((meta.bump, "metadata changed", meta.name))
        return list(dict.fromkeys(found))

    @property
    def bump(self) -> Bump:
        """The smallest semver bump the change needs: none, patch, minor or major."""
        result: Bump = "none"
        for bump, _, _ in self.reasons():
            result = larger(result, bump)
        return result

    @property
    def empty(self) -> bool:
        """Whether the two packages hold the same data, schema and metadata."""
        return self.bump == "none"


_UPPER_BOUNDS = ("maxLength", "maximum", "exclusiveMaximum")
_LOWER_BOUNDS = ("minLength", "minimum", "exclusiveMinimum")
_DESCRIPTIVE = ("title", "description", "example", "rdfType")
_RETYPING = ("type", "format", "itemType", "delimiter")
_RESOURCE_DESCRIPTIVE = ("sources", "homepage", "keywords", "contributors")
"""A resource's properties, beside ``_DESCRIPTIVE``, that say where it comes from."""


def _fields(schema: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    fields = schema.get("fields") or []
    return {str(f.get("name")): f for f in fields if isinstance(f, dict)}


def _constraint_changes(table: str, column: str, old: Any, new: Any) -> list[SchemaChange]:
    """Each constraint of a column that was tightened (major) or loosened (minor)."""
    old_c: Mapping[str, Any] = old.get("constraints") or {}
    new_c: Mapping[str, Any] = new.get("constraints") or {}
    found: list[SchemaChange] = []

    def add(tightened: bool, detail: str) -> None:
        kind: SchemaKind = "constraint tightened" if tightened else "constraint loosened"
        found.append(SchemaChange(table, column, kind, detail, "major" if tightened else "minor"))

    for name in sorted(set(old_c) | set(new_c)):
        before, after = old_c.get(name), new_c.get(name)
        if before == after:
            continue
        if name in ("required", "unique"):
            if bool(before) != bool(after):  # false and absent mean the same
                add(bool(after), f"{name}: {bool(before)} → {bool(after)}")
        elif name == "enum":
            gone = [v for v in before or [] if v not in (after or [])]
            new_values = [v for v in after or [] if v not in (before or [])]
            if after is None:
                add(False, "enum removed: any value allowed")
            elif before is None:
                add(True, f"enum added: {', '.join(map(str, after))}")
            else:
                if gone:
                    add(True, f"enum values removed: {', '.join(map(str, gone))}")
                if new_values:
                    add(False, f"enum values added: {', '.join(map(str, new_values))}")
        elif name in _UPPER_BOUNDS or name in _LOWER_BOUNDS:
            upper = name in _UPPER_BOUNDS
            if after is None or before is None:
                tightened = before is None
            else:
                tightened = after < before if upper else after > before
            add(tightened, f"{name}: {before} → {after}")
        elif name == "pattern" and after is None:
            add(False, f"pattern removed (was {before})")
        else:
            # A changed pattern cannot be proven to accept everything the old one did,
            # so it counts as a tightening; so does any constraint this code does not know.
            add(True, f"{name}: {before} → {after}")
    return found


def _categories(field_: Mapping[str, Any]) -> dict[str, Any]:
    categories = field_.get("categories") or []
    return {
        str(c.get("value") if isinstance(c, dict) else c): (
            c.get("label") if isinstance(c, dict) else None
        )
        for c in categories
    }


def _field_changes(table: str, column: str, old: Any, new: Any) -> list[SchemaChange]:
    found: list[SchemaChange] = []
    retyped = [p for p in _RETYPING if old.get(p) != new.get(p)]
    if retyped:
        detail = "; ".join(f"{p}: {old.get(p)} → {new.get(p)}" for p in retyped)
        found.append(SchemaChange(table, column, "column retyped", detail, "major"))
    found.extend(_constraint_changes(table, column, old, new))
    old_cat, new_cat = _categories(old), _categories(new)
    if old_cat != new_cat:
        has_enum = "enum" in (old.get("constraints") or {}) or "enum" in (
            new.get("constraints") or {}
        )
        gone = [v for v in old_cat if v not in new_cat]
        added = [v for v in new_cat if v not in old_cat]
        if has_enum and (gone or added):
            # The enum says which values are allowed; the categories only describe them.
            found.append(
                SchemaChange(
                    table,
                    column,
                    "description changed",
                    f"categories: {', '.join(old_cat) or 'none'} → {', '.join(new_cat) or 'none'}",
                    "patch",
                )
            )
        elif not old_cat or not new_cat:
            # Categories where there were none restrict the values; none left frees them.
            found.append(
                SchemaChange(
                    table,
                    column,
                    "constraint loosened" if not new_cat else "constraint tightened",
                    f"categories {'removed' if not new_cat else 'added'}: "
                    f"{', '.join(old_cat or new_cat)}",
                    "minor" if not new_cat else "major",
                )
            )
            gone = added = []
        if not has_enum and gone:
            found.append(
                SchemaChange(
                    table,
                    column,
                    "constraint tightened",
                    f"categories removed: {', '.join(gone)}",
                    "major",
                )
            )
        if not has_enum and added:
            found.append(
                SchemaChange(
                    table,
                    column,
                    "constraint loosened",
                    f"categories added: {', '.join(added)}",
                    "minor",
                )
            )
        relabelled = [v for v in new_cat if v in old_cat and old_cat[v] != new_cat[v]]
        if relabelled:
            found.append(
                SchemaChange(
                    table,
                    column,
                    "description changed",
                    f"category labels of {', '.join(relabelled)}",
                    "patch",
                )
            )
    described = [p for p in _DESCRIPTIVE if old.get(p) != new.get(p)]
    if described:
        found.append(
            SchemaChange(table, column, "description changed", ", ".join(described), "patch")
        )
    known = {"name", "constraints", "categories", *_RETYPING, *_DESCRIPTIVE}
    other = sorted(p for p in set(old) | set(new) if p not in known and old.get(p) != new.get(p))
    for name in other:
        found.append(
            SchemaChange(
                table,
                column,
                "column retyped",
                f"{name}: {old.get(name)} → {new.get(name)} (changes how values are read)",
                "major",
            )
        )
    return found


def _renamed_columns(
    old: TableData, new: TableData, removed: list[str], added: list[str]
) -> dict[str, str]:
    """Removed and added columns that hold the same values in every shared record."""
    old_fields, new_fields = _fields(old.schema), _fields(new.schema)
    shared = [k for k in new.rows if k in old.rows]
    candidates: dict[str, list[str]] = {}
    for gone in removed:
        for came in added:
            if old_fields[gone].get("type") != new_fields[came].get("type"):
                continue
            if gone not in old.columns or came not in new.columns or not shared:
                continue
            values = [(old.rows[k][gone], new.rows[k][came]) for k in shared]
            if all(a == b for a, b in values) and any(a for a, _ in values):
                candidates.setdefault(gone, []).append(came)
    targets = [c for cs in candidates.values() for c in cs]
    return {
        gone: cs[0] for gone, cs in candidates.items() if len(cs) == 1 and targets.count(cs[0]) == 1
    }


def _schema_changes(old: TableData, new: TableData) -> tuple[list[SchemaChange], dict[str, str]]:
    """The schema changes of a table on both sides, and its renamed columns (old → new)."""
    table = new.name
    old_fields, new_fields = _fields(old.schema), _fields(new.schema)
    removed = [c for c in old_fields if c not in new_fields]
    added = [c for c in new_fields if c not in old_fields]
    renamed = _renamed_columns(old, new, removed, added)
    found: list[SchemaChange] = []
    for gone, came in renamed.items():
        found.append(SchemaChange(table, came, "column renamed", f"{gone} → {came}", "major"))
        found.extend(_field_changes(table, came, old_fields[gone], new_fields[came]))
    for column in removed:
        if column not in renamed:
            found.append(SchemaChange(table, column, "column removed", column, "major"))
    for column in added:
        if column not in renamed.values():
            required = bool((new_fields[column].get("constraints") or {}).get("required"))
            detail = f"{column} (required)" if required else column
            found.append(SchemaChange(table, column, "column added", detail, "minor"))
    for column in new_fields:
        if column in old_fields:
            found.extend(_field_changes(table, column, old_fields[column], new_fields[column]))
    reverse = {v: k for k, v in renamed.items()}
    shared_old = [c for c in old_fields if c in new_fields or c in renamed]
    shared_new = [reverse.get(c, c) for c in new_fields if c in old_fields or c in reverse]
    if shared_old != shared_new:
        found.append(
            SchemaChange(table, None, "columns reordered", f"{', '.join(shared_new)}", "major")
        )
    if old.key != new.key:
        found.append(
            SchemaChange(
                table, None, "key changed", f"{', '.join(old.key)} → {', '.join(new.key)}", "major"
            )
        )
    old_fk, new_fk = _foreign_keys(old.schema), _foreign_keys(new.schema)
    for fk in sorted(new_fk - old_fk):
        found.append(
            SchemaChange(table, None, "constraint tightened", f"foreign key added: {fk}", "major")
        )
    for fk in sorted(old_fk - new_fk):
        found.append(
            SchemaChange(table, None, "constraint loosened", f"foreign key removed: {fk}", "minor")
        )
    for name in sorted(set(old.schema) | set(new.schema)):
        if name in {"fields", "primaryKey", "foreignKeys"}:
            continue
        before, after = old.schema.get(name), new.schema.get(name)
        if before != after:
            # $schema names the profile the schema follows, not how values are read.
            described = name in _DESCRIPTIVE or name == "$schema"
            kind: SchemaKind = "description changed" if described else "column retyped"
            bump: Bump = "patch" if described else "major"
            found.append(
                SchemaChange(table, None, kind, f"schema {name}: {before} → {after}", bump)
            )
    return found, renamed


def _foreign_keys(schema: Mapping[str, Any]) -> set[str]:
    """Each foreign key as one text; ``"a"`` and ``["a"]`` name the same fields."""

    def listed(value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    found = set()
    for declared in schema.get("foreignKeys") or []:
        fk = declared
        if isinstance(declared, dict):
            reference = declared.get("reference")
            if isinstance(reference, dict):
                reference = {**reference, "fields": listed(reference.get("fields"))}
            fk = {**declared, "fields": listed(declared.get("fields")), "reference": reference}
        found.add(json.dumps(fk, sort_keys=True))
    return found


def _resource_changes(
    name: str, old: Mapping[str, Any], new: Mapping[str, Any]
) -> list[SchemaChange]:
    found = []
    for prop in sorted(set(old) | set(new)):
        if old.get(prop) != new.get(prop):
            bump: Bump = (
                "patch"
                if prop in _DESCRIPTIVE or prop in _RESOURCE_DESCRIPTIVE
                else _metadata_bump(prop, old.get(prop), new.get(prop))
                if prop == "licenses"
                else "major"  # path, format, encoding, dialect...: how the file is read
            )
            found.append(
                SchemaChange(
                    name,
                    None,
                    "resource changed",
                    f"{prop}: {old.get(prop)} → {new.get(prop)}",
                    bump,
                )
            )
    return found


def _ordered(rows: Mapping[Key, Row], keys: Iterable[Key]) -> tuple[Row, ...]:
    return tuple(rows[k] for k in sorted(keys))


def _record_diff(old: TableData, new: TableData, renamed_columns: Mapping[str, str]) -> TableDiff:
    """Records added, removed and changed, keyed by the new side's primary key."""
    key = new.key
    if old.key != new.key and not set(new.key) <= set(old.columns):
        return TableDiff(
            new.name,
            key,
            note="records not compared: the key changed to columns the old table lacks",
        )
    old_rows: dict[Key, Row] = (
        dict(old.rows)
        if old.key == key
        else {tuple(r[k] for k in key): r for r in old.rows.values()}
    )
    pairs = [(c, c) for c in new.columns if c in old.columns]
    pairs += [(gone, came) for gone, came in renamed_columns.items() if came in new.columns]
    pairs.sort(key=lambda p: new.columns.index(p[1]))
    added_keys = [k for k in new.rows if k not in old_rows]
    removed_keys = [k for k in old_rows if k not in new.rows]
    changed: list[RecordChange] = []
    same_columns = old.columns == new.columns
    for k in sorted(k for k in new.rows if k in old_rows):
        before, after = old_rows[k], new.rows[k]
        if same_columns and before == after:  # most rows: one comparison of two dicts
            continue
        fields = tuple(
            FieldChange(came, before[gone], after[came])
            for gone, came in pairs
            if before[gone] != after[came]
        )
        if fields:
            changed.append(RecordChange(k, fields))
    renamed = _renamed_records(
        old_rows, new.rows, removed=removed_keys, added=added_keys, key=key, pairs=pairs
    )
    renamed_old = {o for o, _ in renamed}
    renamed_new = {n for _, n in renamed}
    return TableDiff(
        new.name,
        key,
        added=_ordered(new.rows, (k for k in added_keys if k not in renamed_new)),
        removed=_ordered(old_rows, (k for k in removed_keys if k not in renamed_old)),
        changed=tuple(changed),
        renamed=tuple(sorted(renamed)),
    )


def _renamed_records(
    old_rows: Mapping[Key, Row],
    new_rows: Mapping[Key, Row],
    *,
    removed: list[Key],
    added: list[Key],
    key: tuple[str, ...],
    pairs: list[tuple[str, str]],
) -> list[tuple[Key, Key]]:
    """Removed and added records that are one record whose id changed and nothing else.

    Only for a single-column key and only where the match is unique both ways: link tables
    keyed by several columns have too little else in them to tell rows apart.
    """
    if len(key) != 1 or not removed or not added:
        return []
    rest = [(gone, came) for gone, came in pairs if came not in key]
    if not rest:
        return []

    def signature_old(k: Key) -> tuple[str, ...]:
        return tuple(old_rows[k][gone] for gone, _ in rest)

    def signature_new(k: Key) -> tuple[str, ...]:
        return tuple(new_rows[k][came] for _, came in rest)

    by_old: dict[tuple[str, ...], list[Key]] = {}
    for k in removed:
        by_old.setdefault(signature_old(k), []).append(k)
    by_new: dict[tuple[str, ...], list[Key]] = {}
    for k in added:
        by_new.setdefault(signature_new(k), []).append(k)
    return [
        (olds[0], by_new[sig][0])
        for sig, olds in by_old.items()
        if len(olds) == 1 and len(by_new.get(sig, [])) == 1 and any(sig)
    ]


def _all_added(table: TableData) -> TableDiff:
    return TableDiff(table.name, table.key, added=_ordered(table.rows, table.rows))


def _all_removed(table: TableData) -> TableDiff:
    return TableDiff(table.name, table.key, removed=_ordered(table.rows, table.rows))


def _citing(snapshot: Snapshot, source: str) -> list[tuple[str, str]]:
    """(citation key, quote) of every row of any table whose ``source_id`` is ``source``."""
    found = []
    for table in snapshot.tables.values():
        if "source_id" not in table.columns:
            continue
        for k, row in table.rows.items():
            if row["source_id"] == source:
                found.append(("/".join(k), row.get("quote", "")))
    return sorted(found)


def _text_changes(old: Snapshot, new: Snapshot) -> list[TextChange]:
    found: list[TextChange] = []
    for name in [*new.texts, *(n for n in old.texts if n not in new.texts)]:
        before, after = old.texts.get(name), new.texts.get(name)
        if before is not None and after is not None and before.sha256 == after.sha256:
            continue
        if after is None:
            assert before is not None
            citing = _citing(old, name)
            found.append(
                TextChange(
                    name,
                    before.path,
                    "removed",
                    before.sha256,
                    None,
                    tuple(k for k, _ in citing),
                    tuple(k for k, _ in _citing(new, name)),
                )
            )
            continue
        citing = _citing(new, name)
        lost = tuple(k for k, quote in citing if quote and find_quote(quote, after.text) is None)
        found.append(
            TextChange(
                name,
                after.path,
                "added" if before is None else "changed",
                None if before is None else before.sha256,
                after.sha256,
                tuple(k for k, _ in citing) if before is not None else (),
                lost,
            )
        )
    return found


def _metadata_bump(name: str, old: Any, new: Any) -> Bump:
    """Who the package is and what users may do with it break users when they change."""
    if name in ("name", "id"):
        return "minor" if old is None else "major"
    if name == "licenses":

        def names(value: Any) -> set[str]:
            return {str(v.get("name")) for v in value or [] if isinstance(v, dict)}

        if names(old) - names(new):
            return "major"
        return "minor" if names(new) - names(old) else "patch"
    return "patch"


def _metadata_changes(old: Snapshot, new: Snapshot) -> list[MetadataChange]:
    if not old.metadata:  # the empty package has no metadata to compare
        return []
    changes = []
    for name in sorted(set(old.metadata) | set(new.metadata)):
        before, after = old.metadata.get(name), new.metadata.get(name)
        if before != after:
            changes.append(MetadataChange(name, before, after, _metadata_bump(name, before, after)))
    return changes


def compare(old: Snapshot, new: Snapshot) -> Diff:
    """The difference from ``old`` to ``new``: schema, records, source texts and metadata."""
    schema: list[SchemaChange] = []
    tables: list[TableDiff] = []
    for name, table in new.tables.items():
        before = old.tables.get(name)
        if before is None:
            schema.append(SchemaChange(name, None, "table added", name, "minor"))
            tables.append(_all_added(table))
            continue
        changes, renamed = _schema_changes(before, table)
        schema.extend(changes)
        schema.extend(_resource_changes(name, old.resources[name], new.resources[name]))
        tables.append(_record_diff(before, table, renamed))
    for name, table in old.tables.items():
        if name not in new.tables:
            schema.append(SchemaChange(name, None, "table removed", name, "major"))
            tables.append(_all_removed(table))
    for name in new.texts:
        if name in old.texts:
            schema.extend(_resource_changes(name, old.resources[name], new.resources[name]))
    return Diff(
        old=old.label,
        new=new.label,
        old_version=old.version,
        new_version=new.version,
        schema=tuple(schema),
        tables=tuple(t for t in tables if not t.empty or t.note),
        texts=tuple(_text_changes(old, new)),
        metadata=tuple(_metadata_changes(old, new)),
    )


@dataclass(frozen=True)
class Counts:
    """Records added, removed (ids changed count as both) and changed."""

    added: int = 0
    removed: int = 0
    changed: int = 0
    renamed: int = 0
    per_table: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)


def counts(diff: Diff) -> Counts:
    """Per-table and total counts of records added, removed, changed and re-keyed."""
    per_table = {
        t.table: (len(t.added), len(t.removed), len(t.changed), len(t.renamed)) for t in diff.tables
    }
    return Counts(
        added=sum(v[0] for v in per_table.values()),
        removed=sum(v[1] for v in per_table.values()),
        changed=sum(v[2] for v in per_table.values()),
        renamed=sum(v[3] for v in per_table.values()),
        per_table=per_table,
    )
