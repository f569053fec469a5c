"""The release headings of CHANGELOG.md (Keep a Changelog): each version and its date.

A heading ``## [0.1.0] - 2026-12-01`` is a release; ``## [0.2.0]`` without a date is a
version being prepared; ``## [Unreleased]`` is neither. The dates feed the descriptor's
``created``, CITATION.cff's ``date-released`` and the citation, so that none of them comes
from the clock.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_HEADING = re.compile(
    r"^## \[(?P<version>[0-9][^\]]*)\](?:\s+-\s+(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2}))?\s*$"
)


@dataclass(frozen=True)
class Release:
    """One version heading of the changelog: its version text and, once released, its date."""

    version: str
    date: dt.date | None
    line: int


def releases(text: str) -> list[Release]:
    """The version headings of a changelog, in the order they appear (newest first).

    Raises ``ValueError`` naming the line of a heading whose date is not a real date.
    """
    found: list[Release] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADING.match(line)
        if match is None:
            continue
        date = None
        if match["date"] is not None:
            try:
                date = dt.date.fromisoformat(match["date"])
            except ValueError:
                raise ValueError(
                    f"CHANGELOG.md:{number}: {match['date']} is not a real date (YYYY-MM-DD)"
                ) from None
        found.append(Release(match["version"], date, number))
    return found


def released(text: str) -> list[Release]:
    """Only the dated headings: the versions that have been released, newest first."""
    return [r for r in releases(text) if r.date is not None]


def release_date(text: str, version: str) -> dt.date | None:
    """The date ``version`` was released, or None while it is not (yet) dated."""
    return next((r.date for r in released(text) if r.version == version), None)


def first_release_date(text: str) -> dt.date | None:
    """The date of the earliest dated release: when the dataset was first published."""
    dates = [r.date for r in released(text) if r.date is not None]
    return min(dates) if dates else None
