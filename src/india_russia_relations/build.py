"""The deterministic build of ``schemas/`` and ``datapackage/datapackage.json``.

Both are generated from the models, the CSVs and ``pyproject.toml``; ``--check`` regenerates
them in memory and shows the difference from the committed files instead of writing.
"""

from __future__ import annotations

import difflib
import json
import tomllib
from pathlib import Path
from typing import Any

from .load import DESCRIPTOR, TABLES, read_table
from .models import Source
from .provenance import sha256
from .tableschema import table_schema

DATAPACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"

REFERENCE_SOURCES = [
    {
        "title": "ISO 3166 country codes (ISO 3166-1 alpha-3; ISO 3166-3 for former countries)",
        "path": "https://www.iso.org/iso-3166-country-codes.html",
    },
    {
        "title": "Correlates of War Project, State System Membership (COW country codes)",
        "path": "https://correlatesofwar.org/data-sets/state-system-membership/",
    },
]


def dump_json(value: Any) -> str:
    """Canonical JSON: sorted keys, two-space indent, final newline."""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def project_version(root: Path) -> str:
    """``[project].version`` from ``pyproject.toml``: the one source of the version."""
    with (root / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def _file_facts(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    return {"bytes": len(data), "hash": f"sha256:{sha256(data)}"}


def descriptor(package: Path, version: str) -> dict[str, Any]:
    """The ``datapackage.json`` of the package directory ``package``."""
    sources: list[Source] = read_table(package, "sources")  # type: ignore[assignment]
    resources: list[dict[str, Any]] = []
    for table in TABLES:
        path = f"data/{table}.csv"
        resources.append(
            {
                "name": table,
                "type": "table",
                "path": path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {
                    "$schema": "https://datapackage.org/profiles/2.0/tabledialect.json",
                    "delimiter": ",",
                    "header": True,
                    "lineTerminator": "\n",
                    "quoteChar": '"',
                    "doubleQuote": True,
                },
                "schema": table_schema(table),
                **_file_facts(package / path),
            }
        )
    for source in sources:
        resources.append(
            {
                "name": source.id,
                "type": "file",
                "title": source.title or source.original_filename,
                "description": "Archived source text, byte-for-byte as received",
                "path": source.path,
                "format": "txt",
                "mediatype": "text/plain",
                "encoding": "utf-8",
                **_file_facts(package / source.path),
            }
        )
    return {
        "$schema": DATAPACKAGE_PROFILE,
        "name": "india-russia-relations",
        "title": "India–Soviet Union and India–Russia relations",
        "description": (
            "Leaders, positions, visits, agreements and events of India–Soviet Union and "
            "India–Russia relations, each record cited to an archived source text by a "
            "verbatim quotation."
        ),
        "version": version,
        "keywords": ["India", "Russia", "Soviet Union", "bilateral relations", "diplomacy"],
        "licenses": [
            {
                "name": "CC-BY-SA-4.0",
                "path": "https://creativecommons.org/licenses/by-sa/4.0/",
                "title": "Creative Commons Attribution-ShareAlike 4.0",
            }
        ],
        "contributors": [{"title": "india-russia-relations contributors", "roles": ["creator"]}],
        "sources": [{"title": s.title or s.original_filename, "path": s.path} for s in sources]
        + REFERENCE_SOURCES,
        "resources": resources,
    }


def expected_files(root: Path) -> dict[Path, str]:
    """Every generated file of the repository at ``root`` and the text it should hold."""
    files = {root / "schemas" / f"{table}.json": dump_json(table_schema(table)) for table in TABLES}
    package = root / "datapackage"
    files[package / DESCRIPTOR] = dump_json(descriptor(package, project_version(root)))
    return files


def stale(root: Path) -> list[str]:
    """Unified diffs of each generated file that differs from what the build would write."""
    diffs: list[str] = []
    for path, text in expected_files(root).items():
        current = path.read_text(encoding="utf-8") if path.is_file() else ""
        if current != text:
            name = str(path.relative_to(root))
            diffs.append(
                "".join(
                    difflib.unified_diff(
                        current.splitlines(keepends=True),
                        text.splitlines(keepends=True),
                        f"{name} (committed)",
                        f"{name} (built)",
                    )
                )
            )
    return diffs


def write(root: Path) -> list[Path]:
    """Write every generated file that changed; return their paths."""
    changed = []
    for path, text in expected_files(root).items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            changed.append(path)
    return changed
