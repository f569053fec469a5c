"""How well each record is supported, computed from its citations when it is asked for.

Nothing here is stored in the package: the number of independent sources, whether a
source contradicts the record, and whether a value rests only on citations whose basis is
``inferred`` or ``preview`` all follow from ``citations.csv``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..schema.models import MODELS, TABLES, Citation, Record, TableName


@dataclass(frozen=True)
class Support:
    """What the citations of one record say about how well it is supported."""

    table: str
    record_id: str
    sources: tuple[str, ...]
    """The distinct sources with a ``supports`` citation, in id order."""
    contradicted_by: tuple[str, ...]
    """The distinct sources with a ``contradicts`` citation, in id order."""
    inferred: tuple[str, ...]
    """The ``inferred`` supporting citations that no ``stated`` citation backs (see ``backed``)."""
    previews: tuple[str, ...]
    """The ``preview`` supporting citations that no ``stated`` citation backs."""

    @property
    def independent_sources(self) -> int:
        """How many distinct sources support the record."""
        return len(self.sources)

    @property
    def contested(self) -> bool:
        """Whether any source contradicts the record."""
        return bool(self.contradicted_by)

    @property
    def rests_on_inference(self) -> bool:
        """Whether some value of the record is given only by inferred citations."""
        return bool(self.inferred)

    @property
    def rests_on_preview(self) -> bool:
        """Whether some value of the record is given only by the mirror's link previews."""
        return bool(self.previews)

    def as_dict(self) -> dict[str, Any]:
        """The support as a JSON-ready object."""
        return {
            "table": self.table,
            "record_id": self.record_id,
            "independent_sources": self.independent_sources,
            "sources": list(self.sources),
            "contested": self.contested,
            "contradicted_by": list(self.contradicted_by),
            "rests_on_inference": self.rests_on_inference,
            "inferred_citations": list(self.inferred),
            "rests_on_preview": self.rests_on_preview,
            "preview_citations": list(self.previews),
        }


def backed(citation: Citation, others: list[Citation]) -> bool:
    """Whether a ``stated`` supporting citation among ``others`` gives the same value.

    Only a citation that names its ``field`` can be matched: a weak citation without a
    field may give any value of the record, so it is never taken as backed.
    """
    return citation.field is not None and any(
        o.stance == "supports" and o.basis == "stated" and o.field == citation.field for o in others
    )


def of_record(table: str, record_id: str, citations: list[Citation]) -> Support:
    """The support of one record from its own citations."""
    supports = [c for c in citations if c.stance == "supports"]

    def unbacked(basis: str) -> tuple[str, ...]:
        return tuple(c.id for c in supports if c.basis == basis and not backed(c, citations))

    return Support(
        table=table,
        record_id=record_id,
        sources=tuple(sorted({c.source_id for c in supports})),
        contradicted_by=tuple(
            sorted({c.source_id for c in citations if c.stance == "contradicts"})
        ),
        inferred=unbacked("inferred"),
        previews=unbacked("preview"),
    )


def compute(package: Path) -> dict[str, Support]:
    """The support of every cited record of the package at ``package``, by record id."""
    from ..io.tables import read_table  # here, so that importing the package stays light

    return from_tables({t: read_table(package, t) for t in TABLES})


def from_tables(rows: Mapping[TableName, Sequence[Record]]) -> dict[str, Support]:
    """The support of every cited record of tables already read, by record id."""
    citations: Sequence[Citation] = rows["citations"]  # type: ignore[assignment]
    by_record: dict[str, list[Citation]] = {}
    for citation in citations:
        by_record.setdefault(citation.record_id, []).append(citation)
    result = {}
    for table in TABLES:
        if not MODELS[table].cited:
            continue
        for record in rows[table]:
            record_id = record.key()[0]
            result[record_id] = of_record(table, record_id, by_record.get(record_id, []))
    return dict(sorted(result.items()))
