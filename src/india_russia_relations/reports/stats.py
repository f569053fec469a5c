"""``irr stats``: how much the dataset holds, per table, decade and source."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..io.tables import read_table
from ..schema.models import MODELS, TABLES, Citation, Record
from . import support

_DATE_FIELDS = ("start", "signed")


@dataclass(frozen=True)
class Stats:
    """Counts that describe the package."""

    tables: dict[str, int]
    decades: dict[str, int]
    sources: dict[str, tuple[int, int]]
    """Per source id: (citations, records cited)."""
    cited_records: int
    single_source: int
    on_inference: int
    """Records with a value that only inferred citations give."""
    on_preview: int
    """Records with a value that only the mirror's link previews give."""

    def as_dict(self) -> dict[str, Any]:
        """The counts as a JSON-ready object."""
        return {
            "tables": self.tables,
            "decades": self.decades,
            "sources": {k: {"citations": c, "records": r} for k, (c, r) in self.sources.items()},
            "cited_records": self.cited_records,
            "single_source_records": self.single_source,
            "records_resting_on_inference": self.on_inference,
            "records_resting_on_previews": self.on_preview,
        }


def _decade(record: Record) -> str | None:
    for name in _DATE_FIELDS:
        value = getattr(record, name, None)
        if value is not None:
            return f"{value.year // 10 * 10}s"
    return None


def compute(package: Path, supports: dict[str, support.Support] | None = None) -> Stats:
    """Count the rows of every table of the package at ``package`` (``supports``: its
    records' support, when already computed)."""
    rows = {table: read_table(package, table) for table in TABLES}
    citations: list[Citation] = rows["citations"]  # type: ignore[assignment]
    cited = [r for t in TABLES if MODELS[t].cited for r in rows[t]]
    decades = Counter(d for r in cited if (d := _decade(r)) is not None)
    supported = (support.from_tables(rows) if supports is None else supports).values()
    # One pass over the citations: a pass per source made large packages quadratic.
    quoted = Counter(c.source_id for c in citations)
    records_cited = Counter(source for source, _ in {(c.source_id, c.record_id) for c in citations})
    per_source = {
        s.key()[0]: (quoted[s.key()[0]], records_cited[s.key()[0]]) for s in rows["sources"]
    }
    return Stats(
        tables={t: len(rows[t]) for t in TABLES},
        decades=dict(sorted(decades.items())),
        sources=per_source,
        cited_records=len(cited),
        single_source=sum(1 for s in supported if s.independent_sources == 1),
        on_inference=sum(1 for s in supported if s.rests_on_inference),
        on_preview=sum(1 for s in supported if s.rests_on_preview),
    )


def markdown(stats: Stats) -> str:
    """The counts as the Markdown of the README's "What's in the data" section."""
    lines = ["| table | rows |", "| --- | ---: |"]
    lines += [f"| `{t}` | {n} |" for t, n in stats.tables.items()]
    lines += [
        "",
        "| decade | visits, agreements, events and positions dated in it |",
        "| --- | ---: |",
    ]
    lines += [f"| {d} | {n} |" for d, n in stats.decades.items()]
    lines += ["", "| source | citations | records cited |", "| --- | ---: | ---: |"]
    lines += [f"| `{s}` | {c} | {r} |" for s, (c, r) in stats.sources.items()]
    lines += [
        "",
        f"{stats.cited_records} cited records: {stats.single_source} rest on a single source,"
        f" {stats.on_inference} on an inference and {stats.on_preview} on the mirror's link"
        " previews (a value that only inferred, or only preview, citations give).",
    ]
    return "\n".join(lines) + "\n"
