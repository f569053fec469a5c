"""The package read for publishing: every table, every archived text, and each quote's place.

The site and the Web Annotations show each citation where its words are in the archived
text. A quote matches the text with every run of whitespace counted as one space, so its
place is found in the normalized text and mapped back to raw character offsets
(``checks.provenance.spans``); ``text[start:end]``, normalized, is the normalized quote.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..checks.provenance import spans
from ..checks.validate import validate
from ..errors import DataError
from ..io.files import read_inside
from ..io.tables import read_table
from ..problems import total
from ..schema.descriptor import DESCRIPTOR
from ..schema.models import MODELS, TABLES, Citation, Record, Source


@dataclass(frozen=True)
class Place:
    """Where a citation's quote is in its source's archived text, in raw character offsets."""

    start: int
    end: int
    occurrences: int
    """How many times the quote's words occur in the text; ``start`` is the first."""


@dataclass(frozen=True)
class Evidence:
    """A valid package, read whole: what every published page and annotation is made from."""

    root: Path
    descriptor: dict[str, Any]
    tables: dict[str, list[Record]]
    texts: dict[str, str]
    """Each source's archived text, by source id."""
    places: dict[str, Place]
    """Each citation's place in its source's text, by citation id."""

    @property
    def citations(self) -> list[Citation]:
        """Every citation, in id order."""
        return self.tables["citations"]  # type: ignore[return-value]

    @property
    def sources(self) -> list[Source]:
        """Every source, in id order."""
        return self.tables["sources"]  # type: ignore[return-value]

    def table_of(self) -> dict[str, str]:
        """The table of each record that has an ``id``."""
        return {
            r.key()[0]: t
            for t in TABLES
            if MODELS[t].primary_key == ("id",)
            for r in self.tables[t]
        }


def place(quote: str, text: str) -> Place | None:
    """The first place of ``quote`` in ``text`` by the whitespace rule, or None."""
    found = spans(quote, text)
    if not found:
        return None
    start, end = found[0]
    return Place(start=start, end=end, occurrences=len(found))


def read(package: Path) -> Evidence:
    """Validate the package at ``package`` and read it whole.

    Raises ``DataError`` when it has any problem, so nothing is published from a package
    that ``irr validate`` refuses.
    """
    report = validate(package)
    if report.problems:
        count = total(report.problems)
        raise DataError(
            f"{package} has {count:,} problem{'s' if count != 1 else ''}; "
            "run `irr validate` and fix them first"
        )
    data, why = read_inside(package, DESCRIPTOR)
    if data is None:  # pragma: no cover - validate has just read it
        raise DataError(f"{package / DESCRIPTOR}: {why}")
    descriptor: dict[str, Any] = json.loads(data)
    tables: dict[str, list[Record]] = {table: read_table(package, table) for table in TABLES}
    texts: dict[str, str] = {}
    for source in tables["sources"]:
        assert isinstance(source, Source)
        raw, why = read_inside(package, source.path)
        if raw is None:  # pragma: no cover - validate has just read it
            raise DataError(f"{package / source.path}: {why}")
        texts[source.id] = raw.decode("utf-8")
    places: dict[str, Place] = {}
    for citation in tables["citations"]:
        assert isinstance(citation, Citation)
        found = place(citation.quote, texts[citation.source_id])
        if found is None:  # pragma: no cover - validate checks every quote
            raise DataError(f"citation {citation.id}: its quote is not in {citation.source_id}")
        places[citation.id] = found
    return Evidence(root=package, descriptor=descriptor, tables=tables, texts=texts, places=places)
