"""``irr conflicts``: every record that a source contradicts, with each side's claim."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..io.tables import read_table
from ..schema.models import MODELS, TABLES, Citation, Record


@dataclass(frozen=True)
class Conflict:
    """One field of one record on which sources disagree."""

    table: str
    record_id: str
    field: str
    value: str
    """The record's value: the one most sources state."""
    supports: tuple[Citation, ...]
    contradicts: tuple[Citation, ...]

    def as_dict(self) -> dict[str, Any]:
        """The conflict as a JSON-ready object."""

        def side(c: Citation) -> dict[str, Any]:
            return {
                "citation_id": c.id,
                "source_id": c.source_id,
                "claimed_value": c.claimed_value,
                "quote": c.quote,
                "note": c.note,
            }

        return {
            "table": self.table,
            "record_id": self.record_id,
            "field": self.field,
            "value": self.value,
            "supports": [side(c) for c in self.supports],
            "contradicts": [side(c) for c in self.contradicts],
        }


def find(package: Path) -> list[Conflict]:
    """Every (record, field) with a contradicting citation, in record id order."""
    citations: list[Citation] = read_table(package, "citations")  # type: ignore[assignment]
    records: dict[str, tuple[str, Record]] = {
        r.key()[0]: (t, r) for t in TABLES if MODELS[t].cited for r in read_table(package, t)
    }
    conflicts = []
    keys = sorted({(c.record_id, c.field) for c in citations if c.stance == "contradicts"})
    for record_id, field in keys:
        if record_id not in records or field is None:
            continue
        table, record = records[record_id]
        about = [c for c in citations if c.record_id == record_id]
        value = getattr(record, field, None)
        conflicts.append(
            Conflict(
                table=table,
                record_id=record_id,
                field=field,
                value="" if value is None else str(value),
                supports=_supporting(about, field),
                contradicts=tuple(
                    c for c in about if c.stance == "contradicts" and c.field == field
                ),
            )
        )
    return conflicts


def _supporting(about: list[Citation], field: str) -> tuple[Citation, ...]:
    """Citations that state the record's value of ``field``: those naming the field, else all."""
    supports = [c for c in about if c.stance == "supports"]
    named = [c for c in supports if c.field == field]
    return tuple(named or [c for c in supports if c.field is None])


def text(conflicts: list[Conflict]) -> str:
    """A readable listing: each record, its value, and each source's claim and quote."""
    out: list[str] = []
    for c in conflicts:
        out.append(f"{c.table}/{c.record_id}: {c.field}")
        for s in c.supports:
            out.append(f"  {c.value!r} per {s.source_id}: \u201c{s.quote}\u201d")
        for s in c.contradicts:
            out.append(
                f"  {s.claimed_value!r} per {s.source_id} (contradicts): \u201c{s.quote}\u201d"
            )
            if s.note:
                out.append(f"    note: {s.note}")
    out.append(f"{len(conflicts)} conflict{'s' if len(conflicts) != 1 else ''}")
    return "\n".join(out) + "\n"
