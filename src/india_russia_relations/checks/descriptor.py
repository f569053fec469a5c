"""Checks of ``datapackage.json``: JSON, the Data Package shape, file facts, and what the build writes.

Line numbers of resources and properties come from one scan of the text, so a descriptor
with many resources costs linear time.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..io import csvfile
from ..io.files import read_inside, sha256, unsafe_path
from ..problems import Problem, Problems, show
from ..schema.descriptor import DESCRIPTOR, HASH_PATTERN, HINTS, NAME_PATTERN, dump_json, expected
from ..schema.descriptor import Package as DescriptorModel
from ..schema.models import Source
from .tables import Report

_JSON_STRING = r'"(?:[^"\\\n]|\\.)*"'
_PROPERTY = re.compile(rf"({_JSON_STRING})\s*:")
_NAME = re.compile(rf'"name"\s*:\s*({_JSON_STRING})')


def _first_lines(text: str, pattern: re.Pattern[str]) -> dict[str, int]:
    """The line of the first match of each decoded value of ``pattern``'s group, in one scan."""
    lines: dict[str, int] = {}
    line, at = 1, 0
    for match in pattern.finditer(text):
        line += text.count("\n", at, match.start())
        at = match.start()
        quoted = match.group(1)
        if "\\" not in quoted:
            lines.setdefault(quoted[1:-1], line)
            continue
        try:
            value = json.loads(quoted)
        except ValueError:
            continue
        if isinstance(value, str):
            lines.setdefault(value, line)
    return lines


def _resource_field(name: str, *rest: str) -> str:
    shown = name if re.fullmatch(NAME_PATTERN, name) else show(name)
    return ".".join([f"resources[{shown}]", *rest])


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not allowed in JSON")


def parse_json(text: str) -> tuple[Any, int, str | None]:
    """The value of a descriptor's text, or the line where it is not JSON and why.

    Strict JSON only: ``NaN`` and ``Infinity`` are refused, and so is nesting too deep to
    read, so every reader of a descriptor (``validate``, ``diff``) refuses the same texts.
    """
    try:
        return json.loads(text, parse_constant=_reject_constant), 1, None
    except json.JSONDecodeError as err:
        return None, err.lineno, f"is not valid JSON: {err.msg}"
    except RecursionError:
        return None, 1, "is not valid JSON: nested too deeply"
    except ValueError as err:  # NaN, Infinity, or an integer too long to read
        return None, 1, f"is not valid JSON: {err}"


@dataclass
class Descriptor:
    root: Path
    display: str
    descriptor: dict[str, Any] | None = None
    text: str = ""
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Declared resources by name; paths already checked to stay inside the package."""
    unsafe: set[str] = field(default_factory=set)
    """Names of declared resources whose path was refused."""

    names: dict[str, int] = field(default_factory=dict)
    """The line of the first ``"name": ...`` of each name: where each resource is declared."""
    properties: dict[str, int] = field(default_factory=dict)
    """The line of the first occurrence of each property key."""

    def show_path(self, relative: str) -> str:
        return os.path.join(self.display, relative) if self.display else relative

    def line_of_resource(self, name: str) -> int:
        return self.names.get(name, 1)


def read_descriptor(pkg: Descriptor, report: Report) -> None:
    file = pkg.show_path(DESCRIPTOR)
    data, why = read_inside(pkg.root, DESCRIPTOR)
    if data is None:
        report.problems.append(Problem(file, 1, None, f"cannot be used: {why}; run `irr build`"))
        return
    problems = Problems()
    pkg.text = csvfile.decode(data, file, problems, fixer="irr build")
    report.problems.extend(problems)
    value, line, why = parse_json(pkg.text)
    if why is not None:
        report.problems.append(Problem(file, line, None, why))
        return
    if not isinstance(value, dict) or not isinstance(value.get("resources"), list):
        report.problems.append(
            Problem(file, 1, None, "is not a Data Package: it needs a resources list")
        )
        return
    pkg.descriptor = value
    pkg.names = _first_lines(pkg.text, _NAME)
    pkg.properties = _first_lines(pkg.text, _PROPERTY)
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


def _check_descriptor_shape(
    pkg: Descriptor, value: dict[str, Any], file: str, report: Report
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


Facts = dict[str, tuple[int, str]]
"""Per file path relative to the package, its size and SHA-256, as read by the other checks."""


def check_file_facts(pkg: Descriptor, report: Report, facts: Facts) -> None:
    """Each declared resource's ``bytes`` and ``hash`` must be its file's; unread files are read now."""
    file = pkg.show_path(DESCRIPTOR)
    for name, resource in pkg.resources.items():
        path = resource["path"]
        line = pkg.line_of_resource(name)
        if path not in facts:
            data, why = read_inside(pkg.root, path)
            if data is None:
                report.problems.append(Problem(file, line, _resource_field(name, "path"), f"{why}"))
                continue
            facts[path] = (len(data), sha256(data))
        size, digest = facts[path]
        declared_hash, declared_bytes = resource.get("hash"), resource.get("bytes")
        well_formed = isinstance(declared_hash, str) and re.fullmatch(HASH_PATTERN, declared_hash)
        if well_formed and declared_hash != f"sha256:{digest}":
            report.problems.append(
                Problem(
                    file,
                    line,
                    _resource_field(name, "hash"),
                    f"does not match {show(path)}; run `irr build`",
                )
            )
        if type(declared_bytes) is int and declared_bytes != size:
            report.problems.append(
                Problem(
                    file,
                    line,
                    _resource_field(name, "bytes"),
                    f"is {declared_bytes:,} but {show(path)} has {size:,} bytes; run `irr build`",
                )
            )


def check_descriptor_content(pkg: Descriptor, report: Report, sources: list[Source]) -> None:
    """The descriptor must say exactly what `irr build` writes for this package's files."""
    if pkg.descriptor is None or "sources" in report.unread:
        return
    file = pkg.show_path(DESCRIPTOR)
    version = pkg.descriptor.get("version")
    # bytes and hash are checked against the files already, so the build reads none here.
    wanted_descriptor = expected(version if isinstance(version, str) else "", sources)
    for key in sorted(set(wanted_descriptor) | set(pkg.descriptor)):
        if key not in {"resources", "version"} and pkg.descriptor.get(key) != wanted_descriptor.get(
            key
        ):
            line = pkg.properties.get(key, 1)
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
