"""The shape of ``datapackage.json`` as pydantic models, so that validation can check it.

Only what this package relies on is constrained; other Data Package properties are allowed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from .models import TABLES, Source
from .tableschema import table_schema

DESCRIPTOR = "datapackage.json"
"""The descriptor's file name, at the root of a package directory."""

NAME_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
SEMVER_PATTERN = r"^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$"
HASH_PATTERN = r"^sha256:[0-9a-f]{64}$"


class License(BaseModel):
    """A licence of the data: an SPDX name or a URL path."""

    model_config = ConfigDict(extra="allow", defer_build=True)

    name: str | None = None
    path: str | None = None


class Resource(BaseModel):
    """One file of the package, with the size and hash that pin its content."""

    model_config = ConfigDict(extra="allow", defer_build=True)

    name: Annotated[str, Field(pattern=NAME_PATTERN, max_length=100)]
    path: Annotated[str, Field(min_length=1, max_length=300)]
    bytes: Annotated[int, Field(ge=0, strict=True)]
    hash: Annotated[str, Field(pattern=HASH_PATTERN)]


class Package(BaseModel):
    """The descriptor: a named, versioned, licensed list of resources."""

    model_config = ConfigDict(extra="allow", defer_build=True)

    name: Annotated[str, Field(pattern=NAME_PATTERN, max_length=100)]
    version: Annotated[str, Field(pattern=SEMVER_PATTERN)]
    licenses: Annotated[list[License], Field(min_length=1)]
    resources: Annotated[list[Resource], Field(min_length=1)]


HINTS = {
    "hash": "must be 'sha256:' and 64 lowercase hex digits (only SHA-256 is accepted)",
    "bytes": "must be the file's size in bytes, a whole number",
    "version": "must be a semantic version such as 1.2.3",
    "name": "must be lowercase letters, digits, '.', '_' or '-'",
}
"""What to write instead, per property, for the messages of ``irr validate``."""


def dump_json(value: Any) -> str:
    """Canonical JSON: sorted keys, two-space indent, final newline."""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


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


def expected(
    version: str,
    sources: Sequence[Source],
    facts: Callable[[str], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The ``datapackage.json`` of a package with these ``sources`` rows, at ``version``.

    ``facts`` gives each resource path's ``bytes`` and ``hash``; without it the resources
    lack them, so that validation can compare everything else without reading a file.
    """
    rows = sources

    def facts_of(relative: str) -> dict[str, Any]:
        return facts(relative) if facts is not None else {}

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
                **facts_of(path),
            }
        )
    for source in rows:
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
                **facts_of(source.path),
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
        "sources": [{"title": s.title or s.original_filename, "path": s.path} for s in rows]
        + REFERENCE_SOURCES,
        "resources": resources,
    }
