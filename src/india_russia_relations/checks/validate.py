"""Every check of a data package, returning located problems; it never stops at the first.

``irr validate`` runs these checks, which are stricter than ``frictionless validate``: bytes
and encoding, CSV form, values against the models, keys across tables, provenance (quotes and
hashes), content safety and the descriptor. Nothing here writes a file or opens a socket,
and only regular files inside the package are read.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..io import csvfile
from ..io.files import read_inside, sha256, unsafe_path
from ..problems import Problem, show
from ..schema.columns import Column, columns, header, to_cells, to_values
from ..schema.descriptor import DESCRIPTOR, HASH_PATTERN, HINTS, NAME_PATTERN, dump_json, expected
from ..schema.descriptor import Package as DescriptorModel
from ..schema.models import MODELS, TABLES, Record, Source
from .provenance import find_quote

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_BAD_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CITED_TABLES = tuple(t for t in TABLES if MODELS[t].cited)
_CONTROL_NAMES = {
    0x00: "NULL",
    0x09: "CHARACTER TABULATION",
    0x0A: "LINE FEED",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
}


@dataclass
class Report:
    """What validation found: the problems, and what of each table could be read."""

    problems: list[Problem] = field(default_factory=list)
    tables: dict[str, list[tuple[int, Record]]] = field(default_factory=dict)
    """Per table, the rows that parsed into their model, with their lines."""
    rows: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    """Per table, every row with the right number of cells, parsed or not, by column."""
    ids: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    """Every row's id cell, so that one bad row does not make references to it dangle."""
    unread: set[str] = field(default_factory=set)
    """Tables whose rows could not be read at all; checks that rely on them are skipped."""


def _bad_character(char: str) -> str:
    code = ord(char)
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(code, "control character")
    return f"contains U+{code:04X} {name}, an invisible or control character; remove it"


def _unicode_problem(text: str) -> str | None:
    if text.isascii():  # the common case: only ASCII control characters can be wrong
        bad = _ASCII_CONTROL.search(text)
        return None if bad is None else _bad_character(bad.group())
    for char in text:
        if unicodedata.category(char) in _BAD_CATEGORIES:
            return _bad_character(char)
    if not unicodedata.is_normalized("NFC", text):
        return f"{show(text)} is not in Unicode NFC; normalize it (NFC)"
    return None


def text_problem(text: str) -> str | None:
    """What makes a text cell unsafe or non-canonical, or None when it is fine."""
    if text.startswith(_FORMULA_STARTS):
        return (
            f"{show(text)} starts with {show(text[0])}, which spreadsheets run as a formula; "
            "reword it to start otherwise"
        )
    unicode = _unicode_problem(text)
    if unicode:
        return unicode
    if text != text.strip():
        return f"{show(text)} has leading or trailing spaces; remove them"
    return None


def _pydantic_message(error: Any, cells: dict[str, str]) -> tuple[str | None, str]:
    loc = error.get("loc") or ()
    ctx = error.get("ctx") or {}
    name = str(loc[0]) if loc else ctx.get("field")
    kind = error.get("type")
    value = str(error.get("input", cells.get(name, "") if name else ""))
    if kind == "missing":
        return name, "is required; fill it in"
    if kind == "string_pattern_mismatch":
        hint = ""
        if name and (name == "id" or name.endswith("_id")):
            hint = "; use lowercase ASCII letters and digits joined by hyphens"
        return name, f"{show(value)} does not match the pattern {ctx.get('pattern')}{hint}"
    if kind == "string_too_long":
        limit = ctx.get("max_length")
        return name, f"is {len(value)} characters long; the maximum is {limit}: shorten it"
    if kind == "string_too_short":
        return name, "is empty; leave the cell empty only where the field is optional"
    if kind == "literal_error":
        return name, f"{show(value)} is not one of: {ctx.get('expected')}"
    if kind in {"greater_than_equal", "less_than_equal"}:
        return name, f"{show(value)} is out of range: {error.get('msg')}"
    return name, str(error.get("msg"))


def _header_problems(table: str, found: list[str], file: str) -> list[Problem]:
    expected = header(table)
    if found == expected:
        return []
    if len(found) == 1:
        for delimiter, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "pipes")):
            if delimiter in found[0]:
                return [
                    Problem(file, 1, None, f"separates cells with {name}; use commas (RFC 4180)")
                ]
    problems: list[Problem] = []
    for label in found:
        if label == "":
            problems.append(Problem(file, 1, None, "has a blank header label"))
        elif label != label.strip():
            problems.append(
                Problem(file, 1, None, f"header label {show(label)} has surrounding spaces")
            )
    for label in sorted({label for label in found if found.count(label) > 1}):
        problems.append(
            Problem(file, 1, None, f"header label {show(label)} appears more than once")
        )
    missing = [label for label in expected if label not in found]
    extra = [show(label) for label in found if label.strip() and label not in expected]
    if missing:
        problems.append(Problem(file, 1, None, f"header lacks the columns {', '.join(missing)}"))
    if extra:
        problems.append(
            Problem(
                file,
                1,
                None,
                f"header has unknown columns {', '.join(extra)}; the columns are in schemas/{table}.json",
            )
        )
    if not problems:
        problems.append(
            Problem(
                file, 1, None, f"header columns are out of order; expected {','.join(expected)}"
            )
        )
    return problems


def check_table(table: str, data: bytes, file: str, report: Report) -> None:
    """Check one CSV file's bytes against its model, recording its rows for the key checks."""
    raw = csvfile.read(data, file)
    report.problems.extend(raw.problems)
    report.tables[table] = []
    report.rows[table] = []
    if raw.header is None:
        report.unread.add(table)
        return
    header_problems = _header_problems(table, raw.header, file)
    report.problems.extend(header_problems)
    if header_problems:
        report.unread.add(table)  # cells cannot be matched to columns
        return
    if not raw.rows:
        report.problems.append(Problem(file, 1, None, "has a header but no rows"))
    model = MODELS[table]
    cols = columns(table)
    names = [c.name for c in cols]
    if "id" in names:
        report.ids.setdefault(table, []).extend((line, cell) for line, cell in raw.broken if cell)
    seen: dict[tuple[str, ...], int] = {}
    previous: tuple[str, ...] | None = None
    for line, cells in raw.rows:
        if "id" in names and cells[0]:
            report.ids.setdefault(table, []).append((line, cells[0]))
        if len(cells) != len(names):
            report.problems.append(
                Problem(file, line, None, f"has {len(cells)} cells; the header has {len(names)}")
            )
            continue
        row = dict(zip(names, cells, strict=True))
        report.rows[table].append((line, row))
        report.problems.extend(_row_problems(table, row, file, line, report))
        key = tuple(row[name] for name in model.primary_key)
        first = model.primary_key[0]
        if key in seen:
            report.problems.append(
                Problem(
                    file,
                    line,
                    first,
                    f"duplicate key {show('/'.join(key))} (also on line {seen[key]})",
                )
            )
        elif previous is not None and key < previous:
            report.problems.append(
                Problem(
                    file,
                    line,
                    first,
                    f"{show('/'.join(key))} is out of order: rows are sorted by {', '.join(model.primary_key)}; run `irr fmt`",
                    fixable=True,
                )
            )
        seen.setdefault(key, line)
        previous = key if previous is None else max(previous, key)


def _row_problems(
    table: str, row: dict[str, str], file: str, line: int, report: Report
) -> list[Problem]:
    """Every problem of one row: cells, the model's rules, canonical and derived values."""
    model, cols = MODELS[table], columns(table)
    problems = _cell_problems(cols, row, file, line)
    values, errors = to_values(table, row)
    for name, message in errors.items():
        problems.append(Problem(file, line, name, f"{show(row[name])} {message}"))
    try:
        record = model.model_validate(values)
    except ValidationError as err:
        for error in err.errors():
            field_name, message = _pydantic_message(error, row)
            if field_name not in errors:  # a cell that did not parse is reported once, above
                problems.append(Problem(file, line, field_name, message))
        return problems
    if errors:
        return problems
    report.tables[table].append((line, record))
    for column, canonical in zip(cols, to_cells(record), strict=True):
        written = row[column.name]
        if written == canonical:
            continue
        if column.derived_from is not None:
            message = f"{show(written)} should be {show(canonical)} (derived from {column.derived_from}); run `irr fmt`"
        else:
            message = (
                f"{show(written)} is written {show(canonical)} in canonical form; run `irr fmt`"
            )
        problems.append(Problem(file, line, column.name, message, fixable=True))
    return problems


def _cell_problems(
    cols: Iterable[Column], row: dict[str, str], file: str, line: int
) -> list[Problem]:
    problems = []
    for column in cols:
        text = row[column.name]
        if not text:
            continue
        if column.kind == "list":
            message = next(
                (m for item in text.split(";") if (m := text_problem(item)) is not None), None
            )
        elif column.kind == "string":
            message = text_problem(text)
        else:
            message = _unicode_problem(text)
        if message:
            problems.append(Problem(file, line, column.name, message))
    return problems


def _line_of(text: str, needle: str) -> int:
    at = text.find(needle)
    return 1 if at < 0 else text.count("\n", 0, at) + 1


def _resource_field(name: str, *rest: str) -> str:
    shown = name if re.fullmatch(NAME_PATTERN, name) else show(name)
    return ".".join([f"resources[{shown}]", *rest])


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not allowed in JSON")


@dataclass
class _Package:
    root: Path
    display: str
    descriptor: dict[str, Any] | None = None
    text: str = ""
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Declared resources by name; paths already checked to stay inside the package."""
    unsafe: set[str] = field(default_factory=set)
    """Names of declared resources whose path was refused."""

    def show_path(self, relative: str) -> str:
        return os.path.join(self.display, relative) if self.display else relative

    def line_of_resource(self, name: str) -> int:
        return _line_of(self.text, '"name": ' + json.dumps(name, ensure_ascii=False))


def _read_descriptor(pkg: _Package, report: Report) -> None:
    file = pkg.show_path(DESCRIPTOR)
    data, why = read_inside(pkg.root, DESCRIPTOR)
    if data is None:
        report.problems.append(Problem(file, 1, None, f"cannot be used: {why}; run `irr build`"))
        return
    problems: list[Problem] = []
    pkg.text = csvfile.decode(data, file, problems, fixer="irr build")
    report.problems.extend(problems)
    try:
        value = json.loads(pkg.text, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        report.problems.append(Problem(file, err.lineno, None, f"is not valid JSON: {err.msg}"))
        return
    except RecursionError:
        report.problems.append(Problem(file, 1, None, "is not valid JSON: nested too deeply"))
        return
    except ValueError as err:  # NaN, Infinity, or an integer too long to read
        report.problems.append(Problem(file, 1, None, f"is not valid JSON: {err}"))
        return
    if not isinstance(value, dict) or not isinstance(value.get("resources"), list):
        report.problems.append(
            Problem(file, 1, None, "is not a Data Package: it needs a resources list")
        )
        return
    pkg.descriptor = value
    if not problems and pkg.text != dump_json(value):
        report.problems.append(
            Problem(
                file,
                1,
                None,
                "is not canonical JSON (sorted keys, 2-space indent); run `irr build`",
            )
        )
    _check_descriptor_shape(pkg, value, file, report)
    for resource in value["resources"]:
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
            continue  # reported by the shape check
        name = resource["name"]
        line = pkg.line_of_resource(name)
        if name in pkg.resources or name in pkg.unsafe:
            report.problems.append(
                Problem(file, line, _resource_field(name), "is declared twice; keep one")
            )
            continue
        unsafe = unsafe_path(pkg.root, resource.get("path"))
        if unsafe:
            pkg.unsafe.add(name)
            report.problems.append(Problem(file, line, _resource_field(name, "path"), unsafe))
            continue
        pkg.resources[name] = resource
        _check_file_facts(pkg, resource, line, report)


def _check_descriptor_shape(
    pkg: _Package, value: dict[str, Any], file: str, report: Report
) -> None:
    """Check the descriptor against the Data Package model, each problem at its resource."""
    try:
        DescriptorModel.model_validate(value)
    except ValidationError as err:
        for error in err.errors():
            loc = list(error["loc"])
            if loc and loc[-1] == "path":
                continue  # the path check below says more
            line, where = 1, ".".join(str(part) for part in loc)
            if len(loc) >= 2 and loc[0] == "resources" and isinstance(loc[1], int):
                resource = value["resources"][loc[1]]
                name = resource.get("name") if isinstance(resource, dict) else None
                if isinstance(name, str):
                    line = pkg.line_of_resource(name)
                    where = _resource_field(name, *(str(p) for p in loc[2:]))
            message = (
                "is required"
                if error["type"] == "missing"
                else HINTS.get(str(loc[-1]) if loc else "", error["msg"])
            )
            report.problems.append(Problem(file, line, where or None, message))


def _check_file_facts(pkg: _Package, resource: dict[str, Any], line: int, report: Report) -> None:
    name, path = resource["name"], resource["path"]
    file = pkg.show_path(DESCRIPTOR)
    data, why = read_inside(pkg.root, path)
    if data is None:
        report.problems.append(Problem(file, line, _resource_field(name, "path"), f"{why}"))
        return
    declared_hash, declared_bytes = resource.get("hash"), resource.get("bytes")
    well_formed = isinstance(declared_hash, str) and re.fullmatch(HASH_PATTERN, declared_hash)
    if well_formed and declared_hash != f"sha256:{sha256(data)}":
        report.problems.append(
            Problem(
                file,
                line,
                _resource_field(name, "hash"),
                f"does not match {show(path)}; run `irr build`",
            )
        )
    if type(declared_bytes) is int and declared_bytes != len(data):
        report.problems.append(
            Problem(
                file,
                line,
                _resource_field(name, "bytes"),
                f"is {declared_bytes} but {show(path)} has {len(data)} bytes; run `irr build`",
            )
        )


def _check_descriptor_content(pkg: _Package, report: Report) -> None:
    """The descriptor must say exactly what `irr build` writes for this package's files."""
    if pkg.descriptor is None or "sources" in report.unread:
        return
    file = pkg.show_path(DESCRIPTOR)
    version = pkg.descriptor.get("version")
    sources: list[Source] = [r for _, r in report.tables["sources"]]  # type: ignore[misc]
    # bytes and hash are checked against the files already, so the build reads none here.
    wanted_descriptor = expected(version if isinstance(version, str) else "", sources)
    for key in sorted(set(wanted_descriptor) | set(pkg.descriptor)):
        if key not in {"resources", "version"} and pkg.descriptor.get(key) != wanted_descriptor.get(
            key
        ):
            line = _line_of(pkg.text, json.dumps(key) + ":")
            report.problems.append(
                Problem(
                    file,
                    line,
                    show(key)[1:-1],
                    "differs from what `irr build` writes; run `irr build`",
                )
            )
    wanted = {r["name"]: r for r in wanted_descriptor["resources"]}
    for name in [*pkg.resources, *sorted(pkg.unsafe)]:
        line = pkg.line_of_resource(name)
        if name not in wanted:
            report.problems.append(
                Problem(
                    file,
                    line,
                    _resource_field(name),
                    "is neither a table nor a source in sources.csv; run `irr build`",
                )
            )
            continue
        declared = pkg.resources.get(name)
        if declared is None:
            continue  # its path was refused, and said so
        for key in sorted((set(wanted[name]) | set(declared)) - {"bytes", "hash"}):
            if declared.get(key) != wanted[name].get(key):
                report.problems.append(
                    Problem(
                        file,
                        line,
                        _resource_field(name, key),
                        "differs from what `irr build` writes; run `irr build`",
                    )
                )
    declared_names = set(pkg.resources) | pkg.unsafe
    for name in wanted:
        if name not in declared_names:
            report.problems.append(
                Problem(file, 1, None, f"declares no resource {show(name)}; run `irr build`")
            )


def _check_keys(pkg: _Package, report: Report, texts: dict[str, str]) -> None:
    file_of: dict[str, str] = {t: pkg.show_path(f"data/{t}.csv") for t in TABLES}
    tables_of: dict[str, dict[str, int]] = {}
    for table in TABLES:
        for line, rid in report.ids.get(table, []):
            where = tables_of.setdefault(rid, {})
            if where and table not in where:
                other, other_line = next(iter(where.items()))
                report.problems.append(
                    Problem(
                        file_of[table],
                        line,
                        "id",
                        f"{show(rid)} is also an id in {other}.csv (line {other_line}); ids are unique across tables",
                    )
                )
            where.setdefault(table, line)
    for table in TABLES:
        for column in (c for c in columns(table) if c.foreign_key):
            target = column.foreign_key
            if target in report.unread:
                continue
            for line, row in report.rows.get(table, []):
                value = row[column.name]
                if value and target not in tables_of.get(value, {}):
                    report.problems.append(
                        Problem(
                            file_of[table],
                            line,
                            column.name,
                            f"{show(value)} is not an id in {target}.csv",
                        )
                    )
    _check_citations(report, texts, tables_of, file_of)


def _check_citations(
    report: Report,
    texts: dict[str, str],
    tables_of: dict[str, dict[str, int]],
    file_of: dict[str, str],
) -> None:
    file = file_of["citations"]
    complete = not any(t in report.unread for t in _CITED_TABLES)
    supported: set[str] = set()
    for line, row in report.rows.get("citations", []):
        record_id = row["record_id"]
        targets = [t for t in tables_of.get(record_id, {}) if t in _CITED_TABLES]
        if not targets:
            if complete and record_id:
                report.problems.append(
                    Problem(
                        file,
                        line,
                        "record_id",
                        f"{show(record_id)} is not the id of a record in {', '.join(_CITED_TABLES)}",
                    )
                )
        elif row["field"] and all(row["field"] not in MODELS[t].model_fields for t in targets):
            report.problems.append(
                Problem(file, line, "field", f"{show(row['field'])} is not a field of {targets[0]}")
            )
        if row["stance"] == "supports":
            supported.add(record_id)
        text = texts.get(row["source_id"])
        if text is not None and row["quote"] and find_quote(row["quote"], text) is None:
            report.problems.append(
                Problem(
                    file,
                    line,
                    "quote",
                    f"{show(row['quote'])} is not in the text of source {row['source_id']}; quote it verbatim (only whitespace may differ)",
                )
            )
    if "citations" in report.unread:
        return
    for table in _CITED_TABLES:
        for line, rid in report.ids.get(table, []):
            if rid not in supported:
                report.problems.append(
                    Problem(
                        file_of[table],
                        line,
                        "id",
                        "has no supports citation; add a row to citations.csv that quotes a source",
                    )
                )


def _source_texts(pkg: _Package, report: Report) -> dict[str, str]:
    texts: dict[str, str] = {}
    file = pkg.show_path("data/sources.csv")
    for line, record in report.tables.get("sources", []):
        source: Source = record  # type: ignore[assignment]
        data, why = read_inside(pkg.root, source.path)
        if data is None:
            report.problems.append(
                Problem(
                    file, line, "path", f"the source text cannot be used: {why}; archive it there"
                )
            )
            continue
        if sha256(data) != source.sha256:
            report.problems.append(
                Problem(
                    file,
                    line,
                    "sha256",
                    f"does not match {source.path} (its SHA-256 is {sha256(data)}); archived texts stay byte-for-byte",
                )
            )
        try:
            texts[source.id] = data.decode("utf-8")
        except UnicodeDecodeError as err:
            report.problems.append(
                Problem(
                    file,
                    line,
                    "path",
                    f"{source.path} is not UTF-8 text (byte {err.start}); archive the text as UTF-8",
                )
            )
            texts[source.id] = data.decode("utf-8", errors="replace")
    return texts


def validate(path: Path, display: str | None = None) -> Report:
    """Check the package at ``path`` (a directory or its datapackage.json) and report every problem.

    ``display`` is how file names start in messages (default: ``path`` as given).
    """
    root = path.parent if path.name == DESCRIPTOR or path.is_file() else path
    pkg = _Package(root=root, display=display if display is not None else str(root))
    report = Report()
    _read_descriptor(pkg, report)
    for table in TABLES:
        relative = f"data/{table}.csv"
        data, why = read_inside(root, relative)
        if data is None:
            report.problems.append(
                Problem(pkg.show_path(relative), 1, None, f"cannot be used: {why}")
            )
            report.tables[table], report.rows[table] = [], []
            report.unread.add(table)
            continue
        check_table(table, data, pkg.show_path(relative), report)
    texts = _source_texts(pkg, report)
    _check_descriptor_content(pkg, report)
    _check_keys(pkg, report, texts)
    report.problems.sort(key=lambda p: (p.file, p.line, p.field or "", p.message))
    return report
