"""Generate a synthetic data package of any size, deterministically from a seed.

The package has the real schema (its columns come from the models, so a new column flows
in), realistic ids (date-first slugs, name slugs, ``<record>--<source>`` citations),
partial dates at every precision with their derived columns, every vocabulary, keys that
resolve, and quotations that are found in generated source texts. It is laid out as a
checkout (``pyproject.toml``, ``schemas/``, ``datapackage/``) so that ``irr fmt`` and
``irr build`` run in it as well as ``irr validate``.

    python benchmarks/generate.py --rows 100000 OUT            # a valid package in OUT
    python benchmarks/generate.py --rows 100000 --inject OUT   # with four known errors
    python benchmarks/generate.py --rows 100000 --shape few-sources OUT

Two shapes (``SHAPES``), each deterministic from the seed, with the same schema and the
same guarantees (valid, or with the four injected errors):

- ``default``: one source per 5,000 rows, each text holding every sentence quoted from it,
  and every quote distinct.
- ``few-sources``: every citation quotes one of five short sources (about 13 to 20 KB at
  1M rows), so that each source is cited about 130,000 times and each distinct quote about
  1,500 times; summaries are two to three times longer than in ``default``, and the quoted
  sentences hold them (as in ``default``, a sentence names a record by its summary).

From Python (``benchmarks/`` on ``sys.path``)::

    from generate import generate
    package = generate(Path("OUT"), rows=100_000, seed=0, inject=False, shape="default")
    package.datapackage          # OUT/datapackage
    package.injected             # the injected errors, with the line each is on

``rows`` counts the rows of all tables together. The text is synthetic and says so; it is
for measuring the tools, never for publishing.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import hashlib
import io
import random
import shutil
import sys
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from india_russia_relations.publish.export.to_json import SCHEMA_FILE as JSON_EXPORT_SCHEMA
from india_russia_relations.publish.export.to_json import json_schema
from india_russia_relations.schema.columns import Column, columns, to_cells, to_values
from india_russia_relations.schema.dates import PartialDate
from india_russia_relations.schema.descriptor import DESCRIPTOR, dump_json, expected
from india_russia_relations.schema.models import MODELS, TABLES, Record, Source
from india_russia_relations.schema.tableschema import table_schema

REPO = Path(__file__).resolve().parents[1]

# Shares of the rows after sources and countries, close to the shipped package's.
_SHARES = {
    "leaders": 0.030,
    "positions": 0.033,
    "visits": 0.034,
    "agreements": 0.031,
    "agreement_parties": 0.061,
    "events": 0.151,
}
_ROWS_PER_SOURCE = 5000
SHAPES = ("default", "few-sources")
_FEW_SOURCES = 5
_QUOTE_REPEATS = 1500
"""In ``few-sources``: about how many citations quote each distinct sentence."""

_INDIAN_FIRST = [
    "Jawahar", "Indira", "Rajiv", "Atal", "Manmohan", "Narendra", "Pranab", "Sushma",
    "Kunwar", "Yashwant", "Arun", "Nirmala", "Shyam", "Vikram", "Anand", "Meera",
    "Lakshmi", "Ravi", "Krishna", "Subrahmanyam", "Kamala", "Triloki", "Salman",
]  # fmt: skip
_INDIAN_LAST = [
    "Nehru", "Gandhi", "Rao", "Singh", "Sharma", "Menon", "Iyer", "Chatterjee", "Banerjee",
    "Patel", "Reddy", "Naidu", "Mukherjee", "Swaraj", "Kaul", "Dhar", "Krishnan", "Pillai",
    "Jaishankar", "Khurshid", "Natwar", "Chavan",
]  # fmt: skip
_RUSSIAN_FIRST = [
    "Nikita", "Leonid", "Alexei", "Mikhail", "Boris", "Vladimir", "Dmitry", "Sergei",
    "Andrei", "Yevgeny", "Nikolai", "Anatoly", "Igor", "Olga", "Valentina", "Galina",
]  # fmt: skip
_RUSSIAN_LAST = [
    ("Ivanov", "Иванов"), ("Petrov", "Петров"), ("Sokolov", "Соколов"), ("Volkov", "Волков"),
    ("Kuznetsov", "Кузнецов"), ("Popov", "Попов"), ("Lebedev", "Лебедев"),
    ("Kozlov", "Козлов"), ("Novikov", "Новиков"), ("Morozov", "Морозов"),
    ("Pavlov", "Павлов"), ("Fyodorov", "Фёдоров"), ("Orlov", "Орлов"), ("Zaitsev", "Зайцев"),
]  # fmt: skip
_OFFICES = {
    "india": [
        "Prime Minister of India", "President of India", "Minister of External Affairs",
        "Minister of Defence", "Ambassador to the Soviet Union", "Ambassador to Russia",
        "Foreign Secretary",
    ],
    "soviet-union": [
        "General Secretary of the Communist Party", "Premier of the Soviet Union",
        "Minister of Foreign Affairs", "Ambassador to India", "Minister of Defence",
    ],
    "russia": [
        "President of Russia", "Prime Minister of Russia", "Minister of Foreign Affairs",
        "Ambassador to India", "Deputy Prime Minister",
    ],
}  # fmt: skip
_PLACES = {
    "india": ["New Delhi", "Mumbai", "Kolkata", "Chennai", "Bengaluru", "Hyderabad", "Goa"],
    "soviet-union": ["Moscow", "Leningrad", "Tashkent", "Kyiv", "Stalingrad", "Sochi"],
    "russia": ["Moscow", "Saint Petersburg", "Sochi", "Vladivostok", "Kazan", "Novosibirsk"],
}
_TOPICS = [
    "defence supply", "space research", "nuclear energy", "steel plants", "oil and gas",
    "fertiliser imports", "rupee–rouble trade", "shipbuilding", "pharmaceuticals",
    "fighter aircraft", "a railway line", "tea exports", "diamond cutting", "fisheries",
    "higher education", "film festivals", "hydroelectric dams", "satellite navigation",
]  # fmt: skip
_EVENT_TITLES = {
    "war": "Border war over {topic}",
    "mediation": "Ceasefire talks on {topic} brokered in {place}",
    "veto": "Security Council veto on {topic}",
    "diplomatic-relations": "Relations upgraded after talks on {topic}",
    "consulate": "Consulate opened in {place}",
    "statement": "Joint statement on {topic}",
    "assistance": "Credit line for {topic}",
    "industrial-project": "Plant for {topic} opened in {place}",
    "technology-transfer": "Licence to produce {topic} equipment",
    "arms-trade": "Deliveries for {topic}",
    "trade-figure": "Trade in {topic} measured",
    "arms-share": "Share of arms imports for {topic}",
    "commission": "Joint commission on {topic} meets in {place}",
    "intelligence": "Intelligence contacts over {topic}",
    "political": "Parliament debates {topic}",
    "nuclear": "Reactor milestone in {topic}",
    "institution": "Institute for {topic} founded in {place}",
    "cooperation": "Cooperation in {topic} agreed",
    "dissolution": "Dissolution affects {topic}",
    "sanctions-warning": "Sanctions warning over {topic}",
    "other": "Exhibition on {topic} in {place}",
}
_AGREEMENT_TITLES = {
    "treaty": "Treaty on {topic}",
    "declaration": "Declaration on {topic}",
    "agreement": "Agreement on cooperation in {topic}",
    "contract": "Contract for the supply of {topic} equipment",
    "joint-venture": "Joint venture for {topic}",
    "memorandum": "Memorandum of understanding on {topic}",
    "programme": "Long-term programme for {topic}",
    "target": "Trade target for {topic}",
    "other": "Protocol on {topic}",
}
_FILLER = [
    "Observers in {place} described the relationship as steady.",
    "The text returns to {topic} in a later section.",
    "Figures for the period are given in an appendix that is not reproduced here.",
    "Officials declined to comment on {topic}.",
    "The “special and privileged partnership” is mentioned once more – without detail.",
]
_MONTHS = list(calendar.month_name)


@dataclass(frozen=True)
class Injected:
    """One error put into the package on purpose, and where a report should find it."""

    kind: str
    """``dangling-key``, ``bad-date``, ``duplicate-id`` or ``dangling-record-id``."""
    table: str
    line: int
    field: str | None
    frictionless_sees: bool
    """Whether the standard can express the check (``citations.record_id`` it cannot)."""


@dataclass
class Generated:
    """A generated package: where it is, how many rows each table has, what was injected."""

    root: Path
    rows: dict[str, int]
    injected: list[Injected] = field(default_factory=list)

    @property
    def datapackage(self) -> Path:
        """The package directory (``datapackage.json``, ``data/``, ``sources/``)."""
        return self.root / "datapackage"


def _slug(text: str) -> str:
    out = []
    for char in text.lower():
        out.append(char if char.isascii() and char.isalnum() else " ")
    return "-".join("".join(out).split())


def _date_words(date: PartialDate) -> str:
    if date.month is None:
        return f"in {date.year}"
    if date.day is None:
        return f"in {_MONTHS[date.month]} {date.year}"
    return f"on {date.day} {_MONTHS[date.month]} {date.year}"


class _Generator:
    def __init__(self, rows: int, seed: int, shape: str = "default") -> None:
        if shape not in SHAPES:
            raise ValueError(f"unknown shape {shape!r}: one of {', '.join(SHAPES)}")
        self.random = random.Random(seed)
        self.few = shape == "few-sources"
        self.ids: dict[str, int] = {}
        self.values: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
        self.quotes: dict[str, list[str]] = {}
        """Per source id, the sentences of its text, in order."""
        countries = _shipped_countries()
        self.values["countries"] = countries
        self.country_names = {c["id"]: c["name"] for c in countries}
        for country in countries:
            self.unique(country["id"])
        n_sources = _FEW_SOURCES if self.few else max(5, rows // _ROWS_PER_SOURCE)
        rest = max(0, rows - n_sources - len(countries))
        self.counts = {t: max(1, round(rest * share)) for t, share in _SHARES.items()}
        self.counts["citations"] = max(0, rest - sum(self.counts.values()))
        self.counts["sources"] = n_sources

    # -- helpers -------------------------------------------------------------------------
    def unique(self, base: str) -> str:
        """``base``, or ``base-2``, ``base-3`` ... when taken: ids are unique across tables."""
        base = base[:100].strip("-")
        seen = self.ids.get(base)
        if seen is None:
            self.ids[base] = 1
            return base
        while True:
            seen += 1
            candidate = f"{base}-{seen}"
            if candidate not in self.ids:
                self.ids[base] = seen
                self.ids[candidate] = 1
                return candidate

    def date(self, low: int = 1947, high: int = 2025) -> PartialDate:
        r = self.random
        year = r.randint(low, high)
        roll = r.random()
        if roll < 0.3:
            return PartialDate(year)
        month = r.randint(1, 12)
        if roll < 0.6:
            return PartialDate(year, month)
        return PartialDate(year, month, r.randint(1, calendar.monthrange(year, month)[1]))

    def later(self, start: PartialDate) -> PartialDate:
        """A date that does not end before ``start``."""
        end = self.date(start.year, min(9999, start.year + self.random.randint(0, 6)))
        return end if end.latest >= start.earliest else PartialDate(start.year)

    def text(self, pattern: str) -> str:
        r = self.random
        return pattern.format(
            topic=r.choice(_TOPICS), place=r.choice(_PLACES[r.choice(list(_PLACES))])
        )

    def summary(self, text: str) -> str:
        """``text``, or in ``few-sources`` that with filler sentences after it until it is
        at least twice as long (two to three times, since each sentence is shorter)."""
        if not self.few:
            return text
        parts, length = [text], len(text)
        while length < 2 * len(text):
            parts.append(self.text(self.random.choice(_FILLER)))
            length += len(parts[-1]) + 1
        return " ".join(parts)

    # -- tables ------------------------------------------------------------------------
    def sources(self) -> None:
        kinds = list(_vocabulary("sources", "kind"))
        for n in range(self.counts["sources"]):
            source_id = self.unique(f"synthetic-source-{n + 1}")
            self.quotes[source_id] = []
            self.values["sources"].append(
                {
                    "id": source_id,
                    "title": f"Synthetic source {n + 1} on India–Russia relations",
                    "publisher": self.random.choice([None, "Synthetic Press", "Example Review"]),
                    "published": self.date(1990, 2025) if n % 3 else None,
                    "kind": kinds[n % len(kinds)],
                    "language": "en",
                    "license": "CC-BY-SA-4.0",
                    "path": f"sources/{source_id}.txt",
                    "original_filename": f"{n:03d}_synthetic.txt",
                    "notes": "Generated for benchmarks; not a real document.",
                }
            )

    def leaders(self) -> None:
        r = self.random
        for _ in range(self.counts["leaders"]):
            country = r.choice(["india", "india", "soviet-union", "russia"])
            aliases: tuple[str, ...] = ()
            if country == "india":
                first, last = r.choice(_INDIAN_FIRST), r.choice(_INDIAN_LAST)
                name = f"{first} {last}"
                if r.random() < 0.2:
                    aliases = (f"{first[0]}. {last}",)
            else:
                first, (last, cyrillic) = r.choice(_RUSSIAN_FIRST), r.choice(_RUSSIAN_LAST)
                name = f"{first} {last}"
                if r.random() < 0.3:
                    aliases = (cyrillic, f"{first[0]}. {last}")
            born = self.date(1880, 1975) if r.random() < 0.6 else None
            died = None
            if born is not None and r.random() < 0.5:
                died = PartialDate(min(9999, born.year + r.randint(40, 95)))
            self.values["leaders"].append(
                {
                    "id": self.unique(_slug(name)),
                    "name": name,
                    "aliases": aliases,
                    "country_id": country,
                    "born": born,
                    "died": died,
                    "notes": "Birth year only in the source."
                    if born and born.month is None
                    else None,
                }
            )

    def positions(self) -> None:
        r = self.random
        leaders = self.values["leaders"]
        for _ in range(self.counts["positions"]):
            leader = r.choice(leaders)
            office = r.choice(_OFFICES[leader["country_id"]])
            start = self.date(1947, 2020) if r.random() < 0.9 else None
            end = self.later(start) if start is not None and r.random() < 0.7 else None
            self.values["positions"].append(
                {
                    "id": self.unique(f"{leader['id']}-{_slug(office)}"),
                    "leader_id": leader["id"],
                    "office": office,
                    "country_id": leader["country_id"],
                    "start": start,
                    "end": end,
                }
            )

    def visits(self) -> None:
        r = self.random
        kinds = [None, *_vocabulary("visits", "kind")]
        for _ in range(self.counts["visits"]):
            leader = r.choice(self.values["leaders"])
            host = (
                "india" if leader["country_id"] != "india" else r.choice(["soviet-union", "russia"])
            )
            start = self.date() if r.random() < 0.97 else None
            end = self.later(start) if start is not None and r.random() < 0.3 else None
            places = tuple(r.sample(_PLACES[host], r.randint(0, 2)))
            surname = _slug(leader["name"].split()[-1])
            prefix = f"{start}-" if start is not None else ""
            self.values["visits"].append(
                {
                    "id": self.unique(f"{prefix}{surname}-{host}"),
                    "leader_id": leader["id"],
                    "host_country_id": host,
                    "places": places,
                    "start": start,
                    "end": end,
                    "kind": r.choice(kinds),
                    "summary": self.summary(
                        f"{leader['name']} visited {self.country_names[host]}"
                        + (f" {_date_words(start)}" if start else "")
                        + f" for talks on {r.choice(_TOPICS)}."
                    ),
                }
            )

    def agreements(self) -> None:
        r = self.random
        kinds = list(_vocabulary("agreements", "kind"))
        countries = list(self.country_names)
        for _ in range(self.counts["agreements"]):
            kind = r.choice(kinds)
            title = self.text(_AGREEMENT_TITLES.get(kind, "Agreement on {topic}"))
            signed = self.date() if r.random() < 0.95 else None
            valued = r.random() < 0.2
            prefix = f"{signed}-" if signed is not None else ""
            agreement_id = self.unique(f"{prefix}{_slug(title)}")
            self.values["agreements"].append(
                {
                    "id": agreement_id,
                    "title": title,
                    "kind": kind,
                    "signed": signed,
                    "place": r.choice([None, "New Delhi", "Moscow"]),
                    "duration_years": r.choice([None, None, 5, 10, 20, 25]),
                    "value_amount": Decimal(r.randint(1, 500) * 10_000_000) if valued else None,
                    "value_currency": r.choice(["USD", "INR", "RUB"]) if valued else None,
                    "summary": self.summary(
                        f"The two sides signed {title[0].lower()}{title[1:]}"
                        + (f" {_date_words(signed)}" if signed else "")
                        + "."
                    ),
                }
            )
        # Every agreement has India as a party, and most the other side; then a few more.
        parties: dict[tuple[str, str], None] = {}
        agreements = self.values["agreements"]
        partners = ["soviet-union", "russia", "soviet-union", "russia", *countries]
        for agreement in agreements:
            parties[(agreement["id"], "india")] = None
        while len(parties) < max(len(agreements), self.counts["agreement_parties"]):
            parties[(r.choice(agreements)["id"], r.choice(partners))] = None
        for agreement_id, country in parties:
            self.values["agreement_parties"].append(
                {
                    "agreement_id": agreement_id,
                    "country_id": country,
                    "organisation": r.choice([None, None, f"Ministry of {r.choice(_TOPICS)}"]),
                }
            )

    def events(self) -> None:
        r = self.random
        kinds = list(_vocabulary("events", "kind"))
        for _ in range(self.counts["events"]):
            kind = r.choice(kinds)
            title = self.text(_EVENT_TITLES.get(kind, "Event on {topic}"))
            start = self.date(1900, 2025) if r.random() < 0.97 else None
            end = self.later(start) if start is not None and r.random() < 0.2 else None
            amount = unit = None
            if kind in ("trade-figure", "arms-share"):
                unit = "percent" if kind == "arms-share" else "USD"
                amount = (
                    Decimal(r.randint(1, 9999)) / 100
                    if unit == "percent"
                    else Decimal(r.randint(1, 900) * 1_000_000)
                )
            prefix = f"{start}-" if start is not None else ""
            self.values["events"].append(
                {
                    "id": self.unique(f"{prefix}{_slug(title)}"),
                    "title": title,
                    "kind": kind,
                    "start": start,
                    "end": end,
                    "value_amount": amount,
                    "value_unit": unit,
                    "summary": self.summary(
                        f"{title}" + (f" {_date_words(start)}" if start else "") + "."
                    ),
                }
            )

    def citations(self) -> None:
        r = self.random
        cited = [row for t in TABLES if MODELS[t].cited for row in self.values[t]]
        sources = [s["id"] for s in self.values["sources"]]
        # Every cited record gets one supporting citation; the rest are spread at random.
        owners = list(cited)
        owners += [r.choice(cited) for _ in range(max(0, self.counts["citations"] - len(cited)))]
        pools = self.pools(cited, len(owners)) if self.few else {}
        per_record: dict[str, int] = {}
        for n, record in enumerate(owners):
            source_id = r.choice(sources)
            base = f"{record['id']}--{source_id}"
            count = per_record.get(base, 0) + 1
            per_record[base] = count
            citation_id = base if count == 1 else f"{base}-{count}"
            contradicts = n >= len(cited) and r.random() < 0.04 and record.get("start")
            if contradicts:
                claimed = str(PartialDate(min(9999, record["start"].year + r.randint(1, 3))))
                if pools:
                    quote = r.choice(pools[source_id])
                else:
                    quote = f"{_describe(record)} is dated to {claimed} by this account ({n})."
                values = {
                    "stance": "contradicts",
                    "field": "start",
                    "claimed_value": claimed,
                    "note": "The source gives a later year than the other sources.",
                }
            else:
                date_field = next((k for k in ("start", "signed", "born") if record.get(k)), None)
                when = record[date_field] if date_field else None
                if pools:
                    quote = r.choice(pools[source_id])
                else:
                    quote = f"{_describe(record)}" + (f" {_date_words(when)}" if when else "")
                    quote += f", as this account records ({n})."
                values = {
                    "stance": "supports",
                    "field": date_field if date_field and r.random() < 0.1 else None,
                }
            if not pools:
                self.quotes[source_id].append(quote)
            self.values["citations"].append(
                {
                    "id": citation_id,
                    "record_id": record["id"],
                    "source_id": source_id,
                    "quote": quote,
                    **values,
                }
            )

    def pools(self, cited: list[dict[str, Any]], citations: int) -> dict[str, list[str]]:
        """In ``few-sources``: per source, the distinct sentences its citations quote, which
        are also its text's sentences (``self.quotes``). There are about one per
        ``_QUOTE_REPEATS`` citations, as many for each source."""
        r = self.random
        each = max(3, round(citations / _QUOTE_REPEATS / len(self.quotes)))
        for source_id in self.quotes:
            for k in range(each):
                record = r.choice(cited)
                date_field = next((f for f in ("start", "signed", "born") if record.get(f)), None)
                when = record[date_field] if date_field else None
                sentence = f"{_describe(record)}" + (f" {_date_words(when)}" if when else "")
                self.quotes[source_id].append(f"{sentence}, as this account records ({k + 1}).")
        return self.quotes

    def source_texts(self) -> dict[str, bytes]:
        """Each source's text: its quoted sentences among filler, wrapped at about 80 columns."""
        r = self.random
        texts = {}
        for at, (source_id, sentences) in enumerate(self.quotes.items()):
            parts = [f"Synthetic source text {source_id}, generated for benchmarks.\n\n"]
            for n, sentence in enumerate(sentences):
                parts.append(sentence)
                parts.append(" ")
                # In few-sources, the k-th source has k/4 filler sentences per quoted one,
                # so that the texts' sizes differ (about 13 to 20 KB at 1M rows).
                fillers = (n + 1) * at // 4 - n * at // 4 if self.few else int(n % 3 == 0)
                for _ in range(fillers):
                    parts.append(self.text(r.choice(_FILLER)))
                    parts.append("\n\n" if n % 9 == 0 else " ")
            texts[source_id] = _wrap("".join(parts)).encode("utf-8")
        return texts


def _describe(record: dict[str, Any]) -> str:
    """How a source's sentence names a record."""
    for key in ("summary", "title", "office", "name"):
        if key in record:
            return str(record[key]).rstrip(".")
    return str(record["id"])


def _wrap(text: str, width: int = 80) -> str:
    """Break lines at spaces near ``width`` columns: quotes still match, whitespace aside."""
    out: list[str] = []
    for paragraph in text.split("\n\n"):
        line_length = 0
        words = paragraph.split(" ")
        for n, word in enumerate(words):
            if n and line_length + len(word) >= width:
                out.append("\n")
                line_length = 0
            elif n:
                out.append(" ")
                line_length += 1
            out.append(word)
            line_length += len(word)
        out.append("\n\n")
    return "".join(out).rstrip("\n") + "\n"


def _vocabulary(table: str, name: str) -> dict[str, str]:
    column = next(c for c in columns(table) if c.name == name)
    assert column.vocabulary is not None
    return column.vocabulary


def _shipped_countries() -> list[dict[str, Any]]:
    """The shipped reference table of countries (real ISO and Correlates of War codes)."""
    with (REPO / "datapackage" / "data" / "countries.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return [
            {
                "id": row["id"],
                "name": row["name"],
                "iso3": row["iso3"],
                "cow_code": int(row["cow_code"]) if row["cow_code"] else None,
                "notes": row["notes"] or None,
            }
            for row in reader
        ]


def _fill(table: str, values: dict[str, Any], choose: Callable[[list[str]], str]) -> None:
    """Give a required column this generator does not know (a newly added one) a valid value."""
    for column in columns(table):
        if column.derived_from is not None or column.name in values or not column.required:
            continue
        values[column.name] = _any_value(column, choose)


def _any_value(column: Column, choose: Callable[[list[str]], str]) -> Any:
    if column.vocabulary is not None:
        return choose(list(column.vocabulary))
    if column.kind == "integer":
        return column.minimum or 1
    if column.kind == "number":
        return Decimal(1)
    if column.kind == "partial-date":
        return PartialDate(2000)
    if column.kind == "list":
        return ()
    return "synthetic"


def _csv(header: list[str], rows: Iterator[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _inject(cells: dict[str, list[list[str]]], gen: _Generator) -> list[Injected]:
    """Put one dangling key, bad date, duplicate id and dangling citation record_id in place."""
    names = {t: [c.name for c in columns(t)] for t in TABLES}
    injected: list[Injected] = []

    def column(table: str, name: str) -> int:
        return names[table].index(name)

    # A visit whose leader does not exist (a foreign key the descriptor declares).
    visits = cells["visits"]
    at = len(visits) // 2
    visits[at][column("visits", "leader_id")] = "no-such-leader"
    injected.append(Injected("dangling-key", "visits", at + 2, "leader_id", True))
    # A month 13: the partial-date pattern rejects it, and so does the calendar.
    positions = cells["positions"]
    at = next(i for i, row in enumerate(positions) if row[column("positions", "start")])
    positions[at][column("positions", "start")] = (
        positions[at][column("positions", "start")][:4] + "-13"
    )
    injected.append(Injected("bad-date", "positions", at + 2, "start", True))
    # An event id twice in a row (the copy right after the original keeps the order).
    events = cells["events"]
    at = len(events) // 3
    events.insert(at + 1, list(events[at]))
    injected.append(Injected("duplicate-id", "events", at + 3, "id", True))
    # A citation of a record no table holds: only the library can check record_id.
    citations = cells["citations"]
    source_id = next(iter(gen.quotes))
    record_id = "1999-no-such-record"
    row = list(citations[0])
    row[column("citations", "id")] = f"{record_id}--{source_id}"
    row[column("citations", "record_id")] = record_id
    row[column("citations", "source_id")] = source_id
    row[column("citations", "quote")] = gen.quotes[source_id][0]
    row[column("citations", "stance")] = "supports"
    for name in ("field", "claimed_value", "note"):
        row[column("citations", name)] = ""
    key = row[column("citations", "id")]
    at = next((i for i, r in enumerate(citations) if r[0] > key), len(citations))
    citations.insert(at, row)
    injected.append(Injected("dangling-record-id", "citations", at + 2, "record_id", False))
    return injected


def generate(
    out: Path, rows: int, seed: int = 0, inject: bool = False, shape: str = "default"
) -> Generated:
    """Write a synthetic package of about ``rows`` rows (all tables together) into ``out``.

    The same ``rows``, ``seed`` and ``shape`` (one of ``SHAPES``) give byte-identical files.
    With ``inject``, four known errors are put in (see ``Injected``); without, ``irr
    validate`` finds it valid.
    """
    gen = _Generator(rows, seed, shape)
    for step in (
        gen.sources,
        gen.leaders,
        gen.positions,
        gen.visits,
        gen.agreements,
        gen.events,
        gen.citations,
    ):
        step()
    texts = gen.source_texts()
    for source in gen.values["sources"]:
        source["sha256"] = hashlib.sha256(texts[source["id"]]).hexdigest()
    cells: dict[str, list[list[str]]] = {}
    for table in TABLES:
        model = MODELS[table]
        records: list[Record] = []
        for values in gen.values[table]:
            _fill(table, values, gen.random.choice)
            records.append(model.model_validate(values))
        records.sort(key=Record.key)
        cells[table] = [to_cells(r) for r in records]
        gen.values[table] = []  # the cells are all that is needed from here on
    injected = _inject(cells, gen) if inject else []

    if out.exists():
        shutil.rmtree(out)
    package = out / "datapackage"
    (package / "data").mkdir(parents=True)
    (package / "sources").mkdir()
    (out / "schemas").mkdir()
    facts: dict[str, dict[str, Any]] = {}

    def put(relative: str, data: bytes) -> None:
        (package / relative).write_bytes(data)
        facts[relative] = {"bytes": len(data), "hash": f"sha256:{hashlib.sha256(data).hexdigest()}"}

    for source_id, data in texts.items():
        put(f"sources/{source_id}.txt", data)
    counts = {}
    for table in TABLES:
        put(f"data/{table}.csv", _csv([c.name for c in columns(table)], iter(cells[table])))
        counts[table] = len(cells[table])
        del cells[table]
    version = _project_version()
    sources = [
        Source.model_validate({**_source_values(row)})
        for row in csv.DictReader(io.StringIO((package / "data/sources.csv").read_text("utf-8")))
    ]
    (package / DESCRIPTOR).write_text(
        dump_json(expected(version, sources, lambda relative: facts.get(relative, {}))),
        encoding="utf-8",
    )
    for table in TABLES:
        (out / "schemas" / f"{table}.json").write_text(dump_json(table_schema(table)), "utf-8")
    (out / "schemas" / JSON_EXPORT_SCHEMA).write_text(dump_json(json_schema()), "utf-8")
    # The repository's README, so that irr build regenerates what it regenerates there
    # (the counts, the snippets) and costs what it costs there.
    shutil.copyfile(REPO / "README.md", out / "README.md")
    (out / "pyproject.toml").write_text(
        f'[project]\nname = "india-russia-relations-synthetic"\nversion = "{version}"\n', "utf-8"
    )
    return Generated(out, counts, injected)


def _source_values(row: dict[str, str]) -> dict[str, Any]:
    values, errors = to_values("sources", row)
    assert not errors, errors
    return values


def _project_version() -> str:
    with (REPO / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="directory to write (replaced if it exists)")
    parser.add_argument("--rows", type=int, default=10_000, help="rows of all tables together")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--inject", action="store_true", help="put four known errors in")
    parser.add_argument("--shape", choices=SHAPES, default="default", help="see the docstring")
    args = parser.parse_args(argv)
    result = generate(args.out, args.rows, args.seed, args.inject, args.shape)
    print(f"wrote {result.datapackage}: {sum(result.rows.values())} rows", file=sys.stderr)
    for error in result.injected:
        print(f"injected {error.kind}: data/{error.table}.csv:{error.line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
