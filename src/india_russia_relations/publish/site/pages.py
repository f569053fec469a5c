"""What each page of the site shows, gathered from the package as plain data for the templates.

Nothing here writes HTML: the templates do. Every field's description and every
vocabulary's meaning comes from the models (``schema.columns``), support counts from
``reports.support``, the conflicts from ``reports.conflicts`` and the citation from
``reports.cite``. URLs are relative to the site's root (``records/ID.html``); a template
prefixes them with the way up from its own page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from ...reports import cite, conflicts, support
from ...schema.columns import Column, columns
from ...schema.dates import PartialDate
from ...schema.models import (
    MODELS,
    TABLES,
    Agreement,
    Citation,
    Country,
    Event,
    Leader,
    Position,
    Record,
    Source,
    Visit,
)
from ..evidence import Evidence
from .passages import Context, Segment, context, segments

PAGED = ("countries", *(t for t in TABLES if MODELS[t].cited))
"""The tables whose records get a page of their own (sources get theirs under sources/)."""
HIDDEN_IN_LISTS = ("notes", "note")
"""Columns left out of a table's list (they are on each record's page)."""

FORMAT_NAMES = {
    "text/csv": "CSV",
    "text/plain": "text",
    "application/json": "JSON",
    "application/ld+json": "JSON-LD",
    "application/vnd.sqlite3": "SQLite",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.apache.parquet": "Parquet",
}
"""What the home page calls each media type of its downloads."""
WIDE = 300
"""Text columns this long or longer (titles, summaries, quotes) get room to wrap in lists."""

Part = tuple[str, str | None]
"""A piece of running text and, where it is an id, the URL of that record or source."""

ValueKind = Literal["empty", "text", "code", "date", "list", "link", "term", "url"]


@dataclass(frozen=True)
class Value:
    """One field's value, as a template shows it."""

    kind: ValueKind
    text: str = ""
    url: str | None = None
    detail: str | None = None
    """A date's bounds, a vocabulary value's meaning, or a link's id."""
    items: tuple[str, ...] = ()
    sort: str = ""
    """The key a table column sorts by."""
    parts: tuple[Part, ...] = ()
    """Running text cut where it names a record or source: (text, URL or None)."""


@dataclass(frozen=True)
class Link:
    """A link inside the site, with what it shows."""

    url: str
    label: str
    detail: str | None = None


@dataclass(frozen=True)
class FieldRow:
    """A field of a record: its name, its codebook description and its value."""

    name: str
    description: str
    value: Value


@dataclass(frozen=True)
class CitationView:
    """One citation on its record's page, with its quote in context."""

    id: str
    record: Link
    source: Link
    at: str
    """The URL of the quoted passage on the source page."""
    stance: str
    stance_meaning: str
    basis: str
    basis_meaning: str
    field: str | None
    claimed_value: str | None
    note: str | None
    note_parts: tuple[Part, ...]
    quote: Context
    occurrences: int


@dataclass(frozen=True)
class SupportView:
    """How well a record is supported, computed from its citations."""

    sources: tuple[Link, ...]
    contradicted_by: tuple[Link, ...]
    inferred: tuple[str, ...]
    previews: tuple[str, ...]

    @property
    def independent(self) -> int:
        """How many distinct sources support the record."""
        return len(self.sources)


@dataclass(frozen=True)
class Related:
    """Records of another table that refer to this one through one of their columns."""

    heading: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class RecordPage:
    """The page of one record."""

    path: str
    id: str
    table: str
    table_title: str
    table_doc: str
    title: str
    fields: tuple[FieldRow, ...]
    citations: tuple[CitationView, ...]
    support: SupportView | None
    related: tuple[Related, ...]
    contested_fields: tuple[str, ...]


@dataclass(frozen=True)
class Row:
    """One row of a table's list."""

    cells: tuple[Value, ...]


@dataclass(frozen=True)
class ListColumn:
    """A column of a table's list: its name, what it holds, and how it sorts."""

    name: str
    description: str
    sort: Literal["text", "number"]
    wide: bool = False
    """Whether it holds running text (a summary, a quote), which needs room to wrap."""


@dataclass(frozen=True)
class CodebookEntry:
    """A column of a table as the codebook describes it."""

    name: str
    kind: str
    required: bool
    description: str
    vocabulary: tuple[tuple[str, str], ...]
    reference: str | None


@dataclass(frozen=True)
class TablePage:
    """The page listing every row of one table."""

    path: str
    table: str
    title: str
    doc: str
    columns: tuple[ListColumn, ...]
    rows: tuple[Row, ...]
    codebook: tuple[CodebookEntry, ...]
    download: Link


@dataclass(frozen=True)
class Passage:
    """A quoted passage listed under a source's text."""

    number: int
    citation: str
    record: Link
    field: str | None
    stance: str
    basis: str


@dataclass(frozen=True)
class SourcePage:
    """The page of one archived source: its metadata, then its whole text with every quote marked."""

    path: str
    id: str
    title: str
    fields: tuple[FieldRow, ...]
    segments: tuple[Segment, ...]
    passages: tuple[Passage, ...]
    numbers: dict[str, int]
    """Each citation's number on the page, in the order the quotes begin."""
    backlinks: dict[str, Link]
    """Each citation's place on its record's page."""
    download: Link
    characters: int


@dataclass(frozen=True)
class Side:
    """One source's claim in a conflict."""

    source: Link
    value: str
    quote: str
    at: str
    note: str | None
    note_parts: tuple[Part, ...] = ()


@dataclass(frozen=True)
class ConflictView:
    """One field of one record on which sources disagree."""

    record: Link
    table_title: str
    field: str
    supports: tuple[Side, ...]
    contradicts: tuple[Side, ...]


@dataclass(frozen=True)
class Download:
    """A file of the site to download."""

    label: str
    url: str
    """Empty for a download of several files (``parts``)."""
    format: str
    size: int
    description: str
    parts: tuple[Link, ...] = ()
    """The files of a download that is several, such as one Parquet file per table."""

    @property
    def kind(self) -> str:
        """The format's everyday name."""
        return FORMAT_NAMES.get(self.format.split(";")[0], self.format)


@dataclass(frozen=True)
class Count:
    """A table on the home page: its name, link and rows."""

    link: Link
    rows: int
    doc: str


@dataclass
class Site:
    """Everything the templates need, page by page."""

    descriptor: dict[str, Any]
    version: str
    citation_text: str
    citation_bibtex: str
    counts: tuple[Count, ...]
    cited_records: int
    single_source: int
    contested: int
    on_inference: int
    on_preview: int
    tables: tuple[TablePage, ...]
    records: tuple[RecordPage, ...]
    sources: tuple[SourcePage, ...]
    conflicts: tuple[ConflictView, ...]
    search: list[list[str]]
    base_url: str
    downloads: list[Download] = field(default_factory=list)
    dataset: dict[str, Any] = field(default_factory=dict)


def record_path(record_id: str) -> str:
    """The stable URL of a record's page."""
    return f"records/{record_id}.html"


def source_path(source_id: str) -> str:
    """The stable URL of a source's page."""
    return f"sources/{source_id}.html"


def table_path(table: str) -> str:
    """The stable URL of a table's page."""
    return f"tables/{table}.html"


def _first_line(doc: str | None) -> str:
    return (doc or "").strip().splitlines()[0] if doc else ""


_TOKEN = re.compile(r"[a-z0-9-]+")


class _Names:
    """The label of every record with an id: a name, a title, or what a row is about."""

    def __init__(self, evidence: Evidence) -> None:
        self.tables = evidence.table_of()
        self.records: dict[str, Record] = {
            r.key()[0]: r for t in TABLES if t in self.tables.values() for r in evidence.tables[t]
        }
        self.labels: dict[str, str] = {}
        for record_id, record in self.records.items():
            self.labels[record_id] = self._label(record)
        # Notes name other records and sources by id; ids of one word ("india") are left
        # alone, as they are also ordinary words. An id is a whole run of [a-z0-9-].
        self._named = frozenset(i for i in self.records if "-" in i)

    def parts(self, text: str | None) -> tuple[Part, ...]:
        """``text`` cut where it names a record or source by id, each id with its page."""
        if not text:
            return ()
        result: list[Part] = []
        last = 0
        for found in _TOKEN.finditer(text):
            if found.group() not in self._named:
                continue
            if found.start() > last:
                result.append((text[last : found.start()], None))
            result.append((found.group(), self.link(found.group()).url))
            last = found.end()
        if last < len(text):
            result.append((text[last:], None))
        return tuple(result)

    def _name(self, record_id: str) -> str:
        record = self.records.get(record_id)
        return getattr(record, "name", record_id) if record is not None else record_id

    def _label(self, record: Record) -> str:
        if isinstance(record, Leader | Country):
            return record.name
        if isinstance(record, Source | Agreement | Event):
            return record.title
        if isinstance(record, Position):
            return f"{self._name(record.leader_id)}, {record.office}{_period(record.start, record.end)}"
        if isinstance(record, Visit):
            when = (
                f", {_period(record.start, record.end).strip(' ,()')}"
                if record.start
                else ", undated"
            )
            return f"{self._name(record.leader_id)} to {self._name(record.host_country_id)}{when}"
        return record.key()[0]  # pragma: no cover - every table with an id is named above

    def link(self, record_id: str) -> Link:
        """A link to the page of the record (or source) with this id."""
        table = self.tables.get(record_id)
        path = source_path(record_id) if table == "sources" else record_path(record_id)
        return Link(url=path, label=self.labels.get(record_id, record_id), detail=record_id)


def _period(start: PartialDate | None, end: PartialDate | None) -> str:
    if start is None and end is None:
        return ""
    if end is None or end == start:
        return f" ({start})"
    return f" ({start or '?'}–{end})"


def _bounds(date: PartialDate) -> str | None:
    if date.precision == "day":
        return None
    return f"{date.earliest.isoformat()} to {date.latest.isoformat()}"


def value_of(column: Column, value: Any, names: _Names, table: str) -> Value:
    """How one field's value is shown: a link for a reference, a date with its bounds, ..."""
    if value is None or value == ():
        return Value(kind="empty")
    if column.foreign_key is not None:
        link = names.link(str(value))
        return Value(kind="link", text=link.label, url=link.url, detail=str(value), sort=link.label)
    if isinstance(value, PartialDate):
        return Value(
            kind="date", text=str(value), detail=_bounds(value), sort=value.earliest.isoformat()
        )
    if isinstance(value, tuple):
        return Value(kind="list", items=tuple(str(v) for v in value), sort="; ".join(value))
    if column.vocabulary is not None:
        meaning = column.vocabulary.get(str(value))
        return Value(kind="term", text=str(value), detail=meaning, sort=str(value))
    if isinstance(value, int | Decimal):
        return Value(kind="text", text=str(value), sort=str(value))
    text = str(value)
    if (column.max_length or 0) >= WIDE and column.name != "title":
        return Value(kind="text", text=text, sort=text, parts=names.parts(text))
    if table == "sources" and column.name == "url":
        return Value(kind="url", text=text, url=text, sort=text)
    if table == "sources" and column.name == "path":
        return Value(kind="link", text=text, url=f"datapackage/{text}", sort=text)
    if column.name in ("sha256", "id", "original_filename", "field"):
        return Value(kind="code", text=text, sort=text)
    return Value(kind="text", text=text, sort=text)


def _fields(record: Record, names: _Names) -> tuple[FieldRow, ...]:
    return tuple(
        FieldRow(
            name=c.name,
            description=c.description,
            value=value_of(c, getattr(record, c.name), names, record.table),
        )
        for c in columns(record.table)
        if c.derived_from is None
    )


def _vocabulary(table: str, name: str) -> dict[str, str]:
    for column in columns(table):
        if column.name == name and column.vocabulary is not None:
            return column.vocabulary
    return {}  # pragma: no cover - stance and basis are vocabularies


def _citation_views(
    evidence: Evidence, citations: Sequence[Citation], names: _Names
) -> tuple[CitationView, ...]:
    stances = _vocabulary("citations", "stance")
    bases = _vocabulary("citations", "basis")
    views = []
    for c in citations:
        where = evidence.places[c.id]
        views.append(
            CitationView(
                id=c.id,
                record=names.link(c.record_id),
                source=names.link(c.source_id),
                at=f"{source_path(c.source_id)}#{c.id}",
                stance=c.stance,
                stance_meaning=stances.get(c.stance, ""),
                basis=c.basis,
                basis_meaning=bases.get(c.basis, ""),
                field=c.field,
                claimed_value=c.claimed_value,
                note=c.note,
                note_parts=names.parts(c.note),
                quote=context(evidence.texts[c.source_id], where.start, where.end),
                occurrences=where.occurrences,
            )
        )
    return tuple(views)


def _references(evidence: Evidence) -> dict[tuple[str, str], dict[str, list[Record]]]:
    """For each (table, reference column), the rows of that table by the id they refer to."""
    index: dict[tuple[str, str], dict[str, list[Record]]] = {}
    for table in TABLES:
        for column in columns(table):
            if column.foreign_key is None:
                continue
            by_id = index.setdefault((table, column.name), {})
            for row in evidence.tables[table]:
                by_id.setdefault(str(getattr(row, column.name)), []).append(row)
    return index


def _related(
    record: Record, references: dict[tuple[str, str], dict[str, list[Record]]], names: _Names
) -> tuple[Related, ...]:
    """Every row of another table whose reference column names this record."""
    result = []
    own = record.key()[0]
    for table in TABLES:
        for column in columns(table):
            if column.foreign_key != record.table:
                continue
            others = references[(table, column.name)].get(own, [])
            if not others:
                continue
            links = []
            for other in others:
                if MODELS[table].primary_key == ("id",):
                    links.append(names.link(other.key()[0]))
                    continue
                # A link table (agreement_parties): link what the row joins this record to.
                for far in columns(table):
                    target = getattr(other, far.name)
                    if far.foreign_key is not None and far.name != column.name:
                        base = names.link(str(target))
                        body = getattr(other, "organisation", None)
                        acting = f" (acting for it: {body})" if body else ""
                        links.append(Link(base.url, base.label, f"{base.detail}{acting}"))
            heading = f"{MODELS[table].table_title}: {column.description.lower()}"
            result.append(Related(heading=heading, links=tuple(links)))
    return tuple(result)


def _support_view(found: support.Support | None, names: _Names) -> SupportView | None:
    if found is None:
        return None
    return SupportView(
        sources=tuple(names.link(s) for s in found.sources),
        contradicted_by=tuple(names.link(s) for s in found.contradicted_by),
        inferred=found.inferred,
        previews=found.previews,
    )


def _list_columns(table: str) -> list[Column]:
    return [c for c in columns(table) if c.derived_from is None and c.name not in HIDDEN_IN_LISTS]


def _table_page(
    table: str, evidence: Evidence, names: _Names, supports: dict[str, support.Support]
) -> TablePage:
    model = MODELS[table]
    shown = _list_columns(table)
    list_columns = [
        ListColumn(
            c.name,
            c.description,
            "number" if c.kind in ("integer", "number") else "text",
            wide=(c.max_length or 0) >= WIDE and c.vocabulary is None,
        )
        for c in shown
    ]
    if model.cited:
        list_columns += [
            ListColumn("sources", "Distinct sources that support the record", "number"),
            ListColumn("contested", "A source states another value", "text"),
            ListColumn("weak", "A value only inferred, or only from link previews", "text"),
        ]
    rows = []
    for record in evidence.tables[table]:
        cells = []
        for column in shown:
            value = value_of(column, getattr(record, column.name), names, table)
            if column.name == "id":
                if table == "citations":
                    assert isinstance(record, Citation)
                    url = f"{record_path(record.record_id)}#{record.id}"
                else:
                    url = names.link(value.text).url
                value = Value(kind="link", text=value.text, url=url, sort=value.text)
            cells.append(value)
        if model.cited:
            found = supports.get(record.key()[0])
            weak = []
            if found is not None and found.rests_on_inference:
                weak.append("inferred")
            if found is not None and found.rests_on_preview:
                weak.append("preview")
            count = found.independent_sources if found is not None else 0
            cells += [
                Value(kind="text", text=str(count), sort=str(count)),
                Value(kind="text", text="contested" if found and found.contested else ""),
                Value(kind="text", text=", ".join(weak), sort=", ".join(weak)),
            ]
        rows.append(Row(cells=tuple(cells)))
    codebook = tuple(
        CodebookEntry(
            name=c.name,
            kind=c.kind,
            required=c.required,
            description=c.description,
            vocabulary=tuple((c.vocabulary or {}).items()),
            reference=c.foreign_key,
        )
        for c in columns(table)
    )
    return TablePage(
        path=table_path(table),
        table=table,
        title=model.table_title,
        doc=_first_line(model.__doc__),
        columns=tuple(list_columns),
        rows=tuple(rows),
        codebook=codebook,
        download=Link(f"datapackage/data/{table}.csv", f"{table}.csv"),
    )


def _source_page(source: Source, evidence: Evidence, names: _Names) -> SourcePage:
    cited = [c for c in evidence.citations if c.source_id == source.id]
    places = {c.id: (evidence.places[c.id].start, evidence.places[c.id].end) for c in cited}
    ordered = sorted(cited, key=lambda c: (places[c.id][0], -places[c.id][1], c.id))
    numbers = {c.id: n for n, c in enumerate(ordered, start=1)}
    text = evidence.texts[source.id]
    return SourcePage(
        path=source_path(source.id),
        id=source.id,
        title=source.title,
        fields=_fields(source, names),
        segments=tuple(segments(text, places)),
        passages=tuple(
            Passage(
                number=numbers[c.id],
                citation=c.id,
                record=names.link(c.record_id),
                field=c.field,
                stance=c.stance,
                basis=c.basis,
            )
            for c in ordered
        ),
        numbers=numbers,
        backlinks={
            c.id: Link(f"{record_path(c.record_id)}#{c.id}", names.labels[c.record_id])
            for c in cited
        },
        download=Link(f"datapackage/{source.path}", source.path.split("/")[-1]),
        characters=len(text),
    )


def _conflict_views(evidence: Evidence, names: _Names) -> tuple[ConflictView, ...]:
    views = []
    for found in conflicts.find(evidence.root):

        def side(c: Citation, value: str) -> Side:
            return Side(
                source=names.link(c.source_id),
                value=value,
                quote=c.quote,
                at=f"{record_path(c.record_id)}#{c.id}",
                note=c.note,
                note_parts=names.parts(c.note),
            )

        views.append(
            ConflictView(
                record=names.link(found.record_id),
                table_title=MODELS[found.table].table_title,
                field=found.field,
                supports=tuple(side(c, found.value) for c in found.supports),
                contradicts=tuple(side(c, c.claimed_value or "") for c in found.contradicts),
            )
        )
    return tuple(views)


def _search_entries(
    evidence: Evidence, names: _Names, pages: Iterable[RecordPage]
) -> list[list[str]]:
    """[url, title, table, words]: the titles, names, summaries and quotes to search."""
    quotes: dict[str, list[str]] = {}
    for c in evidence.citations:
        quotes.setdefault(c.record_id, []).append(c.quote)
    searched = ("name", "aliases", "title", "office", "summary", "places")
    entries = []
    for page in pages:
        record = names.records[page.id]
        words = [names.labels[page.id]]
        for name in searched:
            value = getattr(record, name, None)
            if isinstance(value, tuple):
                words.extend(value)
            elif value:
                words.append(str(value))
        words.extend(quotes.get(page.id, ()))
        entries.append([page.path, page.title, page.table_title, " ".join(" ".join(words).split())])
    for source in evidence.sources:
        entries.append(
            [source_path(source.id), source.title, "Sources", " ".join(source.title.split())]
        )
    return entries


def _released(evidence: Evidence) -> dt.date | None:
    from ...io.changelog import release_date
    from ...io.files import read_inside

    data, _ = read_inside(evidence.root.parent, "CHANGELOG.md")
    if data is None:
        return None
    try:
        return release_date(data.decode("utf-8"), str(evidence.descriptor.get("version", "")))
    except (UnicodeDecodeError, ValueError):
        return None


def gather(evidence: Evidence, base_url: str = "") -> Site:
    """Every page's data, from a package read whole."""
    names = _Names(evidence)
    supports = support.from_tables(evidence.tables)  # type: ignore[arg-type]
    by_record: dict[str, list[Citation]] = {}
    for c in evidence.citations:
        by_record.setdefault(c.record_id, []).append(c)
    found_conflicts = _conflict_views(evidence, names)
    contested_fields: dict[str, list[str]] = {}
    for conflict in found_conflicts:
        contested_fields.setdefault(str(conflict.record.detail), []).append(conflict.field)
    references = _references(evidence)
    records = []
    for table in PAGED:
        model = MODELS[table]
        for record in evidence.tables[table]:
            record_id = record.key()[0]
            records.append(
                RecordPage(
                    path=record_path(record_id),
                    id=record_id,
                    table=table,
                    table_title=model.table_title,
                    table_doc=_first_line(model.__doc__),
                    title=names.labels[record_id],
                    fields=_fields(record, names),
                    citations=_citation_views(evidence, by_record.get(record_id, []), names),
                    support=_support_view(supports.get(record_id), names),
                    related=_related(record, references, names),
                    contested_fields=tuple(contested_fields.get(record_id, ())),
                )
            )
    data = cite.dataset(evidence.descriptor, _released(evidence))
    values = list(supports.values())
    return Site(
        descriptor=evidence.descriptor,
        version=data.version,
        citation_text=cite.text(data),
        citation_bibtex=cite.bibtex(data),
        counts=tuple(
            Count(
                Link(table_path(t), MODELS[t].table_title, t),
                len(evidence.tables[t]),
                _first_line(MODELS[t].__doc__),
            )
            for t in TABLES
        ),
        cited_records=len(values),
        single_source=sum(1 for s in values if s.independent_sources == 1),
        contested=sum(1 for s in values if s.contested),
        on_inference=sum(1 for s in values if s.rests_on_inference),
        on_preview=sum(1 for s in values if s.rests_on_preview),
        tables=tuple(_table_page(t, evidence, names, supports) for t in TABLES),
        records=tuple(records),
        sources=tuple(_source_page(s, evidence, names) for s in evidence.sources),
        conflicts=found_conflicts,
        search=_search_entries(evidence, names, records),
        base_url=base_url,
    )


def temporal_coverage(evidence: Evidence) -> str | None:
    """The days the dated records span, as an ISO 8601 interval."""
    days: list[dt.date] = []
    for table in TABLES:
        if not MODELS[table].cited:
            continue
        for record in evidence.tables[table]:
            for name in ("start", "end", "signed"):
                value = getattr(record, name, None)
                if isinstance(value, PartialDate):
                    days += [value.earliest, value.latest]
    if not days:
        return None
    return f"{min(days).isoformat()}/{max(days).isoformat()}"


def dataset_jsonld(site: Site, evidence: Evidence) -> dict[str, Any]:
    """schema.org ``Dataset`` metadata for the home page, so that dataset search engines find it."""
    descriptor = evidence.descriptor
    root = site.base_url
    licenses = descriptor.get("licenses") or [{}]
    contributors = descriptor.get("contributors") or [{}]
    variables = [
        {
            "@type": "PropertyValue",
            "name": f"{table}.{c.name}",
            "description": c.description,
        }
        for table in TABLES
        for c in columns(table)
    ]
    distribution = []
    for d in site.downloads:
        for url, name in [(p.url, p.url.rsplit("/", 1)[-1]) for p in d.parts] or [(d.url, d.label)]:
            entry = {
                "@type": "DataDownload",
                "name": name,
                "description": d.description,
                "encodingFormat": d.format,
                "contentUrl": f"{root}{url}",
            }
            if not d.parts:
                entry["contentSize"] = f"{d.size} B"
            distribution.append(entry)
    result: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": descriptor.get("title", ""),
        "alternateName": descriptor.get("name", ""),
        "description": descriptor.get("description", ""),
        "version": descriptor.get("version", ""),
        "identifier": f"urn:uuid:{descriptor.get('id', '')}",
        "license": licenses[0].get("path", ""),
        "isAccessibleForFree": True,
        "creator": {"@type": "Organization", "name": contributors[0].get("title", "")},
        "keywords": list(descriptor.get("keywords") or ()),
        "distribution": distribution,
        "variableMeasured": variables,
        "isBasedOn": [
            {"@type": "CreativeWork", "name": s.title, **({"url": s.url} if s.url else {})}
            for s in evidence.sources
        ],
    }
    coverage = temporal_coverage(evidence)
    if coverage is not None:
        result["temporalCoverage"] = coverage
    released = _released(evidence)
    if released is not None:
        result["datePublished"] = released.isoformat()
    if root:
        result["url"] = root
    return result
