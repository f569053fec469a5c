"""How to cite the dataset and the sources behind a record: text, BibTeX, CSL-JSON, CFF.

Everything comes from the descriptor (title, version, licence, id, contributors) and the
release date of the version in CHANGELOG.md, so the citation names exactly the version a
user has; nothing comes from the clock.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ..schema.models import Source

CiteFormat = Literal["text", "bibtex", "csl-json"]
CITE_FORMATS: tuple[CiteFormat, ...] = ("text", "bibtex", "csl-json")

_LICENSE_NAMES = {"CC-BY-SA-4.0": "CC BY-SA 4.0", "MIT": "MIT"}


@dataclass(frozen=True)
class Dataset:
    """What a citation of the dataset needs, read from its descriptor and changelog."""

    title: str
    name: str
    version: str
    released: dt.date | None
    """The date of this version's dated CHANGELOG heading; None while it is unreleased."""
    author: str
    license: str
    identifier: str
    keywords: tuple[str, ...]
    abstract: str


def dataset(descriptor: Mapping[str, Any], released: dt.date | None) -> Dataset:
    """The dataset's citation facts from a ``datapackage.json`` and its version's date."""
    licenses = descriptor.get("licenses") or [{}]
    contributors = descriptor.get("contributors") or [{}]
    return Dataset(
        title=str(descriptor.get("title", "")),
        name=str(descriptor.get("name", "")),
        version=str(descriptor.get("version", "")),
        released=released,
        author=str(contributors[0].get("title", "")),
        license=str(licenses[0].get("name", "")),
        identifier=str(descriptor.get("id", "")),
        keywords=tuple(str(k) for k in descriptor.get("keywords") or ()),
        abstract=str(descriptor.get("description", "")),
    )


def _year(data: Dataset) -> str:
    return str(data.released.year) if data.released else "unreleased"


def _source_text(source: Source) -> str:
    who = source.author or source.publisher
    when = f" ({source.published})" if source.published else ""
    parts = [f"{who}{when}. {source.title}." if who else f"{source.title}{when}."]
    if source.author and source.publisher:
        parts.append(f"{source.publisher}.")
    if source.url:
        parts.append(source.url)
    parts.append(
        f"Archived in the dataset as {source.path} (SHA-256 {source.sha256[:12]}…), "
        f"licence {source.license}."
    )
    return " ".join(parts)


def text(data: Dataset, record_id: str | None = None, sources: Sequence[Source] = ()) -> str:
    """The citation as a sentence, then, for a record, one line per source it rests on."""
    licence = _LICENSE_NAMES.get(data.license, data.license)
    lines = [
        f"{data.author} ({_year(data)}). {data.title} (version {data.version}) [Data set]. "
        f"{licence}." + (f" Package id {data.identifier}." if data.identifier else "")
    ]
    if record_id is not None:
        lines.append("")
        lines.append(f"Record {record_id} rests on these sources:")
        lines.extend(f"- {_source_text(s)}" for s in sources)
    return "\n".join(lines) + "\n"


def _bibtex_escape(value: str) -> str:
    escaped = "".join("\\" + c if c in "&%$#_{}" else c for c in value)
    return escaped.replace("~", "\\textasciitilde{}").replace("^", "\\textasciicircum{}")


def _bibtex_entry(kind: str, key: str, fields: Mapping[str, str | None]) -> str:
    body = ",\n".join(
        f"  {name} = {{{value}}}" for name, value in fields.items() if value is not None
    )
    return f"@{kind}{{{key},\n{body}\n}}\n"


def bibtex(data: Dataset, record_id: str | None = None, sources: Sequence[Source] = ()) -> str:
    """BibTeX entries: the dataset, then, for a record, each source it rests on."""
    entries = [
        _bibtex_entry(
            "misc",
            f"{data.name}-{data.version}",
            {
                # Double braces keep a group author from being split into given and family names.
                "author": "{" + _bibtex_escape(data.author) + "}",
                "title": "{" + _bibtex_escape(data.title) + "}",
                "year": str(data.released.year) if data.released else None,
                "version": data.version,
                "note": f"Data set. Package id {data.identifier}",
                "howpublished": "Frictionless Data Package",
            },
        )
    ]
    for source in sources if record_id is not None else ():
        entries.append(
            _bibtex_entry(
                "misc",
                source.id,
                {
                    "author": "{" + _bibtex_escape(source.author) + "}" if source.author else None,
                    "title": "{" + _bibtex_escape(source.title) + "}",
                    "publisher": _bibtex_escape(source.publisher) if source.publisher else None,
                    "year": str(source.published.earliest.year) if source.published else None,
                    "url": source.url,
                    "note": _bibtex_escape(
                        f"Archived in {data.name} as {source.path}, SHA-256 {source.sha256}"
                    ),
                },
            )
        )
    return "\n".join(entries)


_CSL_TYPES = {
    "analysis": "report",
    "encyclopedia": "entry-encyclopedia",
    "news": "article-newspaper",
    "notes": "document",
    "opinion": "article",
}


def _csl_date(value: dt.date | None, precision: str = "day") -> dict[str, Any] | None:
    if value is None:
        return None
    parts = [value.year, value.month, value.day][: {"year": 1, "month": 2, "day": 3}[precision]]
    return {"date-parts": [parts]}


def csl_items(
    data: Dataset, record_id: str | None = None, sources: Sequence[Source] = ()
) -> list[dict[str, Any]]:
    """CSL-JSON items (what Zotero and pandoc read): the dataset, then each source."""
    item: dict[str, Any] = {
        "id": f"{data.name}-{data.version}",
        "type": "dataset",
        "title": data.title,
        "author": [{"literal": data.author}],
        "version": data.version,
        "license": data.license,
        "note": f"Package id {data.identifier}",
        "keyword": ", ".join(data.keywords),
        "abstract": data.abstract,
    }
    issued = _csl_date(data.released)
    if issued:
        item["issued"] = issued
    items = [item]
    for source in sources if record_id is not None else ():
        entry: dict[str, Any] = {
            "id": source.id,
            "type": _CSL_TYPES.get(source.kind, "document"),
            "title": source.title,
            "note": f"Archived in {data.name} as {source.path}, SHA-256 {source.sha256}",
        }
        if source.author:
            entry["author"] = [{"literal": source.author}]
        if source.publisher:
            entry["publisher"] = source.publisher
        if source.url:
            entry["URL"] = source.url
        if source.published:
            entry["issued"] = _csl_date(source.published.earliest, source.published.precision)
        items.append(entry)
    return items


def render(
    data: Dataset, fmt: CiteFormat, record_id: str | None = None, sources: Sequence[Source] = ()
) -> str:
    """The citation in ``fmt``."""
    if fmt == "bibtex":
        return bibtex(data, record_id, sources)
    if fmt == "csl-json":
        items = csl_items(data, record_id, sources)
        return json.dumps(items, indent=2, ensure_ascii=False) + "\n"
    return text(data, record_id, sources)


def _yaml(value: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar.
    return json.dumps(value, ensure_ascii=False)


def citation_cff(data: Dataset) -> str:
    """``CITATION.cff`` (Citation File Format 1.2.0) for this version of the dataset."""
    lines = [
        "# Generated by `irr build` from datapackage.json and CHANGELOG.md; do not edit.",
        "cff-version: 1.2.0",
        "message: "
        + _yaml(
            "If you use this dataset, please cite it as below, with the version you used, "
            "and cite the sources of the records you rely on (irr cite RECORD_ID)."
        ),
        "type: dataset",
        f"title: {_yaml(data.title)}",
        f"abstract: {_yaml(data.abstract)}",
        "authors:",
        f"  - name: {_yaml(data.author)}",
        f"version: {_yaml(data.version)}",
    ]
    if data.released is not None:
        lines.append(f"date-released: {_yaml(data.released.isoformat())}")
    lines += [
        f"license: {_yaml(data.license)}",
        "identifiers:",
        "  - type: other",
        f"    value: {_yaml(data.identifier)}",
        f"    description: {_yaml('The id of the data package (datapackage.json), kept across versions')}",
        "keywords:",
        *(f"  - {_yaml(k)}" for k in data.keywords),
    ]
    return "\n".join(lines) + "\n"
