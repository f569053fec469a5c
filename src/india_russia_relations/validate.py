"""Every check of a data package, returning located problems; it never stops at the first.

``irr validate`` runs these checks, which are stricter than ``frictionless validate``: bytes
and encoding, CSV form, values against the models, keys across tables, provenance (quotes and
hashes), content safety and descriptor safety. Nothing here writes a file or opens a socket.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError

from . import csvfile
from .build import dump_json
from .columns import Column, columns, derived_cell, header, to_values
from .descriptor import HINTS
from .descriptor import Package as DescriptorModel
from .load import DESCRIPTOR, TABLES
from .models import MODELS, Citation, Record, Source
from .problems import Problem, show
from .provenance import find_quote, sha256
from .tableschema import table_schema

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_BAD_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CITED_TABLES = tuple(t for t in TABLES if MODELS[t].cited)


@dataclass
class Report:
    """What validation found: the problems, and the records that parsed."""

    problems: list[Problem] = field(default_factory=list)
    tables: dict[str, list[tuple[int, Record]]] = field(default_factory=dict)
    ids: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    """Every row's id cell, parsed or not, so one bad row does not make its id dangle."""

    @property
    def valid(self) -> bool:
        """True when no problem was found."""
        return not self.problems


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


def _bad_character(char: str) -> str:
    name = unicodedata.name(char, "unnamed character")
    return f"contains U+{ord(char):04X} {name}, an invisible or control character; remove it"


def text_problem(text: str) -> str | None:
    """What makes a text cell unsafe or non-canonical, or None when it is fine."""
    if text.startswith(_FORMULA_STARTS):
        return (
            f"{show(text)} starts with {show(text[0])}, which spreadsheets run as a formula; "
            "reword it to start otherwise"
        )
    if text != text.strip():
        return f"{show(text)} has leading or trailing spaces; remove them"
    return _unicode_problem(text)


def _pydantic_message(error: Any, cells: dict[str, str]) -> tuple[str | None, str]:
    loc = error.get("loc") or ()
    name = str(loc[0]) if loc else (error.get("ctx") or {}).get("field")
    kind = error.get("type")
    ctx = error.get("ctx") or {}
    value = cells.get(name, "") if name else ""
    if kind == "missing":
        return name, "is required; fill it in"
    if kind == "string_pattern_mismatch":
        hint = ""
        if name and (name == "id" or name.endswith("_id")):
            hint = "; use lowercase ASCII letters and digits joined by hyphens"
        shown = show(str(error.get("input", value)))
        return name, f"{shown} does not match the pattern {ctx.get('pattern')}{hint}"
    if kind == "string_too_long":
        return (
            name,
            f"is {len(str(error.get('input')))} characters long; the maximum is {ctx.get('max_length')}",
        )
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
    problems: list[Problem] = []
    if len(found) == 1:
        for delimiter, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "pipes")):
            if delimiter in found[0]:
                return [
                    Problem(file, 1, None, f"separates cells with {name}; use commas (RFC 4180)")
                ]
    for label in found:
        if label != label.strip():
            problems.append(
                Problem(file, 1, None, f"header label {show(label)} has surrounding spaces")
            )
        elif label == "":
            problems.append(Problem(file, 1, None, "has a blank header label"))
    duplicates = sorted({label for label in found if found.count(label) > 1})
    for label in duplicates:
        problems.append(
            Problem(file, 1, None, f"header label {show(label)} appears more than once")
        )
    missing = [label for label in expected if label not in found]
    extra = [label for label in found if label.strip() and label not in expected]
    if missing:
        problems.append(Problem(file, 1, None, f"header lacks the columns {', '.join(missing)}"))
    if extra:
        problems.append(
            Problem(
                file,
                1,
                None,
                f"header has unknown columns {', '.join(extra)}; the schema is in schemas/{table}.json",
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
    """Check one CSV file's bytes against its model and record its parsed rows."""
    raw = csvfile.read(data, file)
    report.problems.extend(raw.problems)
    parsed: list[tuple[int, Record]] = []
    report.tables[table] = parsed
    if raw.header is None:
        return
    header_problems = _header_problems(table, raw.header, file)
    report.problems.extend(header_problems)
    if header_problems:
        return  # cells cannot be matched to columns
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
        row_problems = _cell_problems(cols, row, file, line)
        values, errors = to_values(table, row)
        for name, message in errors.items():
            row_problems.append(Problem(file, line, name, f"{show(row[name])} {message}"))
        if not errors:
            try:
                record = model.model_validate(values)
            except ValidationError as err:
                for error in err.errors():
                    field_name, message = _pydantic_message(error, row)
                    row_problems.append(Problem(file, line, field_name, message))
            else:
                row_problems.extend(_derived_problems(cols, row, record, file, line))
                parsed.append((line, record))
                key = record.key()
                if key in seen:
                    row_problems.append(
                        Problem(
                            file,
                            line,
                            model.primary_key[0],
                            f"duplicate key {show('/'.join(key))} (also on line {seen[key]})",
                        )
                    )
                elif previous is not None and key < previous:
                    row_problems.append(
                        Problem(
                            file,
                            line,
                            model.primary_key[0],
                            f"{show('/'.join(key))} is out of order: rows are sorted by {', '.join(model.primary_key)}; run `irr fmt`",
                        )
                    )
                seen.setdefault(key, line)
                previous = max(previous, key) if previous is not None else key
        report.problems.extend(row_problems)


def _cell_problems(
    cols: Iterable[Column], row: dict[str, str], file: str, line: int
) -> list[Problem]:
    problems = []
    for column in cols:
        text = row[column.name]
        if not text:
            continue
        message = (
            text_problem(text) if column.kind in {"string", "list"} else _unicode_problem(text)
        )
        if message:
            problems.append(Problem(file, line, column.name, message))
    return problems


def _derived_problems(
    cols: Iterable[Column], row: dict[str, str], record: Record, file: str, line: int
) -> list[Problem]:
    problems = []
    for column in cols:
        if column.derived_from is None:
            continue
        expected = derived_cell(column, record)
        if row[column.name] != expected:
            problems.append(
                Problem(
                    file,
                    line,
                    column.name,
                    f"{show(row[column.name])} should be {show(expected)} (derived from {column.derived_from}); run `irr fmt`",
                )
            )
    return problems


def _line_of(text: str, needle: str) -> int:
    at = text.find(needle)
    return 1 if at < 0 else text.count("\n", 0, at) + 1


def _safe_path(base: Path, path: object) -> str | None:
    """Why a resource path is unsafe, or None when it stays inside the package."""
    if not isinstance(path, str) or not path:
        return "path must be a relative file path"
    if "://" in path or path.startswith(("//", "\\")) or ":" in path:
        return (
            f"path {show(path)} is a URL or has a drive; resources must be files inside the package"
        )
    pure = PurePosixPath(path)
    if pure.is_absolute() or "\\" in path:
        return f"path {show(path)} is absolute; make it relative to datapackage.json"
    if ".." in pure.parts:
        return f"path {show(path)} contains '..'; resources must be inside the package"
    try:
        resolved = (base / path).resolve()
        inside = resolved.is_relative_to(base.resolve())
    except (OSError, RuntimeError):
        return f"path {show(path)} cannot be resolved"
    if not inside:
        return f"path {show(path)} is a link that leads outside the package"
    return None


MAX_FILE_BYTES = 256 * 1024 * 1024
"""Files larger than this are reported, not read."""


def read_inside(root: Path, relative: str) -> tuple[bytes | None, str | None]:
    """Read a file of the package, refusing paths that lead outside it, huge files and devices.

    Returns the bytes, or None and why the file cannot be used.
    """
    unsafe = _safe_path(root, relative)
    if unsafe:
        return None, unsafe
    path = root / relative
    try:
        if not path.is_file():
            return (
                None,
                f"{relative} is missing"
                if not path.exists()
                else f"{relative} is not a regular file",
            )
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, f"{relative} is {size} bytes; the limit is {MAX_FILE_BYTES} bytes"
        return path.read_bytes(), None
    except OSError as err:
        return None, f"{relative} cannot be read ({err.strerror})"


@dataclass
class _Package:
    root: Path
    display: str
    descriptor: dict[str, Any] | None = None
    descriptor_text: str = ""
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)

    def show_path(self, relative: str) -> str:
        return os.path.join(self.display, relative) if self.display else relative


def _check_descriptor_shape(value: dict[str, Any], text: str, file: str, report: Report) -> None:
    """Check the descriptor against the Data Package model, each problem at its resource."""
    try:
        DescriptorModel.model_validate(value)
    except ValidationError as err:
        for error in err.errors():
            loc = list(error["loc"])
            line, where = 1, ".".join(str(part) for part in loc)
            if len(loc) >= 2 and loc[0] == "resources" and isinstance(loc[1], int):
                resource = value["resources"][loc[1]]
                name = resource.get("name") if isinstance(resource, dict) else None
                if isinstance(name, str):
                    line = _line_of(text, f'"name": "{name}"')
                    where = ".".join([f"resources[{name}]", *(str(p) for p in loc[2:])])
            hint = HINTS.get(str(loc[-1]), error["msg"]) if loc else error["msg"]
            if error["type"] == "missing":
                hint = "is required"
            report.problems.append(Problem(file, line, where or None, hint))


def _read_descriptor(pkg: _Package, report: Report) -> None:
    file = pkg.show_path(DESCRIPTOR)
    data, why = read_inside(pkg.root, DESCRIPTOR)
    if data is None:
        report.problems.append(Problem(file, 1, None, f"cannot be used: {why}; run `irr build`"))
        return
    problems: list[Problem] = []
    text = csvfile.decode(data, file, problems)
    report.problems.extend(problems)
    pkg.descriptor_text = text
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        report.problems.append(Problem(file, err.lineno, None, f"is not valid JSON: {err.msg}"))
        return
    if not isinstance(value, dict) or not isinstance(value.get("resources"), list):
        report.problems.append(
            Problem(file, 1, None, "is not a Data Package: it needs a resources list")
        )
        return
    pkg.descriptor = value
    if not problems and text != dump_json(value):
        report.problems.append(
            Problem(
                file,
                1,
                None,
                "is not canonical JSON (sorted keys, 2-space indent); run `irr build`",
            )
        )
    _check_descriptor_shape(value, text, file, report)
    for resource in value["resources"]:
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
            report.problems.append(Problem(file, 1, None, "every resource needs a name"))
            continue
        name = resource["name"]
        line = _line_of(text, f'"name": "{name}"')
        if name in pkg.resources:
            report.problems.append(
                Problem(file, line, None, f"resource {show(name)} is declared twice")
            )
            continue
        unsafe = _safe_path(pkg.root, resource.get("path"))
        if unsafe:
            report.problems.append(Problem(file, line, f"resources[{name}].path", unsafe))
            continue
        pkg.resources[name] = resource
        _check_file_facts(pkg, resource, line, report)
    for table in TABLES:
        resource = pkg.resources.get(table)
        if resource is None:
            report.problems.append(
                Problem(file, 1, None, f"declares no resource {table}; run `irr build`")
            )
        elif resource.get("path") != f"data/{table}.csv":
            report.problems.append(
                Problem(
                    file,
                    _line_of(text, f'"name": "{table}"'),
                    f"resources[{table}].path",
                    f"must be data/{table}.csv",
                )
            )
        elif resource.get("schema") != table_schema(table):
            report.problems.append(
                Problem(
                    file,
                    _line_of(text, f'"name": "{table}"'),
                    f"resources[{table}].schema",
                    "differs from the library's models; run `irr build`",
                )
            )


def _check_file_facts(pkg: _Package, resource: dict[str, Any], line: int, report: Report) -> None:
    name = resource["name"]
    file = pkg.show_path(DESCRIPTOR)
    data, why = read_inside(pkg.root, resource["path"])
    if data is None:
        report.problems.append(Problem(file, line, f"resources[{name}].path", f"{why}"))
        return
    declared_hash = resource.get("hash")
    if not isinstance(declared_hash, str) or not declared_hash.startswith("sha256:"):
        pass  # reported by the descriptor model
    elif declared_hash != f"sha256:{sha256(data)}":
        report.problems.append(
            Problem(
                file,
                line,
                f"resources[{name}].hash",
                f"does not match {resource['path']}; run `irr build`",
            )
        )
    if isinstance(resource.get("bytes"), int) and resource.get("bytes") != len(data):
        report.problems.append(
            Problem(
                file,
                line,
                f"resources[{name}].bytes",
                f"is {resource.get('bytes')!r} but {resource['path']} has {len(data)} bytes; run `irr build`",
            )
        )


def _check_keys(pkg: _Package, report: Report, texts: dict[str, str]) -> None:
    file_of = {t: pkg.show_path(f"data/{t}.csv") for t in TABLES}
    ids: dict[str, tuple[str, int]] = {}
    for table in TABLES:
        for line, rid in report.ids.get(table, []):
            if rid in ids and ids[rid][0] != table:
                other, other_line = ids[rid]
                report.problems.append(
                    Problem(
                        file_of[table],
                        line,
                        "id",
                        f"{show(rid)} is also an id in {other}.csv (line {other_line}); ids are unique across tables",
                    )
                )
            ids.setdefault(rid, (table, line))
    for table in TABLES:
        fks = [c for c in columns(table) if c.foreign_key]
        for line, record in report.tables.get(table, []):
            for column in fks:
                value = getattr(record, column.name)
                if value is not None and ids.get(value, ("", 0))[0] != column.foreign_key:
                    report.problems.append(
                        Problem(
                            file_of[table],
                            line,
                            column.name,
                            f"{show(value)} is not an id in {column.foreign_key}.csv",
                        )
                    )
    supported: set[str] = set()
    for line, record in report.tables.get("citations", []):
        cite: Citation = record  # type: ignore[assignment]
        target = ids.get(cite.record_id)
        if target is None or target[0] not in _CITED_TABLES:
            report.problems.append(
                Problem(
                    file_of["citations"],
                    line,
                    "record_id",
                    f"{show(cite.record_id)} is not the id of a record in {', '.join(_CITED_TABLES)}",
                )
            )
            continue
        if cite.field is not None and cite.field not in MODELS[target[0]].model_fields:
            report.problems.append(
                Problem(
                    file_of["citations"],
                    line,
                    "field",
                    f"{show(cite.field)} is not a field of {target[0]}",
                )
            )
        if cite.stance == "supports":
            supported.add(cite.record_id)
        text = texts.get(cite.source_id)
        if text is not None and find_quote(cite.quote, text) is None:
            report.problems.append(
                Problem(
                    file_of["citations"],
                    line,
                    "quote",
                    f"{show(cite.quote)} is not in the text of source {cite.source_id}; quote it verbatim (only whitespace may differ)",
                )
            )
    for table in _CITED_TABLES:
        for line, record in report.tables.get(table, []):
            if str(record.id) not in supported:  # type: ignore[attr-defined]
                report.problems.append(
                    Problem(
                        file_of[table],
                        line,
                        "id",
                        "has no supports citation; add a row to citations.csv that quotes a source",
                    )
                )


def _check_undeclared_resources(pkg: _Package, report: Report) -> None:
    """Every resource is a table or an archived source listed in sources.csv."""
    known = set(TABLES) | {r.key()[0] for _, r in report.tables.get("sources", [])}
    known |= {cell for _, cell in report.ids.get("sources", [])}
    for name in pkg.resources:
        if name not in known:
            report.problems.append(
                Problem(
                    pkg.show_path(DESCRIPTOR),
                    _line_of(pkg.descriptor_text, f'"name": "{name}"'),
                    f"resources[{name}]",
                    "is neither a table nor a source in sources.csv; run `irr build`",
                )
            )


def _source_texts(pkg: _Package, report: Report) -> dict[str, str]:
    texts: dict[str, str] = {}
    file = pkg.show_path("data/sources.csv")
    for line, record in report.tables.get("sources", []):
        source: Source = record  # type: ignore[assignment]
        if source.id not in pkg.resources or pkg.resources[source.id].get("path") != source.path:
            report.problems.append(
                Problem(
                    file,
                    line,
                    "path",
                    f"{source.path} is not declared as resource {source.id} in datapackage.json; run `irr build`",
                )
            )
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
        texts[source.id] = data.decode("utf-8", errors="replace")
    return texts


def validate(path: Path, display: str | None = None) -> Report:
    """Check the package at ``path`` (a directory or its datapackage.json) and report every problem.

    ``display`` is how file names start in messages (default: ``path`` as given).
    """
    root = path.parent if path.name == DESCRIPTOR or path.is_file() else path
    shown = display if display is not None else str(root)
    pkg = _Package(root=root, display=shown)
    report = Report()
    _read_descriptor(pkg, report)
    for table in TABLES:
        relative = f"data/{table}.csv"
        file = pkg.show_path(relative)
        data, why = read_inside(root, relative)
        if data is None:
            report.problems.append(Problem(file, 1, None, f"cannot be used: {why}"))
            report.tables[table] = []
            continue
        check_table(table, data, file, report)
    texts = _source_texts(pkg, report)
    _check_undeclared_resources(pkg, report)
    _check_keys(pkg, report, texts)
    report.problems.sort(key=lambda p: (p.file, p.line, p.field or "", p.message))
    return report
