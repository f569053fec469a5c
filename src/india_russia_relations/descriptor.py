"""The shape of ``datapackage.json`` as pydantic models, so that validation can check it.

Only what this package relies on is constrained; other Data Package properties are allowed.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

NAME_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
SEMVER_PATTERN = r"^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$"
HASH_PATTERN = r"^sha256:[0-9a-f]{64}$"


class License(BaseModel):
    """A licence of the data: an SPDX name or a URL path."""

    model_config = ConfigDict(extra="allow")

    name: str | None = None
    path: str | None = None


class Resource(BaseModel):
    """One file of the package, with the size and hash that pin its content."""

    model_config = ConfigDict(extra="allow")

    name: Annotated[str, Field(pattern=NAME_PATTERN, max_length=100)]
    path: Annotated[str, Field(min_length=1, max_length=300)]
    bytes: Annotated[int, Field(ge=0, strict=True)]
    hash: Annotated[str, Field(pattern=HASH_PATTERN)]


class Package(BaseModel):
    """The descriptor: a named, versioned, licensed list of resources."""

    model_config = ConfigDict(extra="allow")

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
