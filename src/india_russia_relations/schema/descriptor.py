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

PACKAGE_ID = "da21b15e-ab4c-449d-a81c-d5cdf22116a3"
"""The package's ``id``: a UUID generated once and kept for every version (until a DOI)."""

FIRST_RELEASE = "2026-12-01"
"""The date of the first release, the descriptor's ``created``. It never changes once made;
``irr build`` checks that it is CHANGELOG.md's earliest dated heading, once there is one.
Kept here, not read from the changelog, because an installed package has no changelog."""

TITLE = "India–Soviet Union and India–Russia relations"
DESCRIPTION = (
    "Leaders, positions, visits, agreements and events of India–Soviet Union and "
    "India–Russia relations, each record cited to an archived source text by a "
    "verbatim quotation."
)
NAME = "india-russia-relations"
DATA_LICENSE = {
    "name": "CC-BY-SA-4.0",
    "path": "https://creativecommons.org/licenses/by-sa/4.0/",
    "title": "Creative Commons Attribution-ShareAlike 4.0: the data (records and quotations)",
}
CODE_LICENSE = {
    "name": "MIT",
    "path": "https://opensource.org/license/mit",
    "title": "MIT License: the code that validates, builds and loads the package",
}
CONTRIBUTORS = [
    {"title": "india-russia-relations contributors", "roles": ["creator", "rightsHolder"]}
]
KEYWORDS = [
    "India",
    "Russia",
    "Soviet Union",
    "USSR",
    "bilateral relations",
    "diplomacy",
    "international relations",
    "treaties",
    "state visits",
    "provenance",
]

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
                "title": source.title,
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
        "id": PACKAGE_ID,
        "name": NAME,
        "title": TITLE,
        "created": f"{FIRST_RELEASE}T00:00:00Z",
        "description": DESCRIPTION,
        "version": version,
        "keywords": KEYWORDS,
        "licenses": [DATA_LICENSE, CODE_LICENSE],
        "contributors": CONTRIBUTORS,
        "sources": [{"title": s.title, "path": s.path} for s in rows] + REFERENCE_SOURCES,
        "resources": resources,
    }
