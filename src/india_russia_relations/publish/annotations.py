"""Every citation as a W3C Web Annotation: its quotation's place in the archived text, as JSON-LD.

One ``AnnotationCollection`` holds an annotation per citation. Its target is the archived
source text, selected twice: a ``TextQuoteSelector`` (the raw words, with the characters
just before and after) and a ``TextPositionSelector`` (code-point offsets into the text);
a ``TimeState`` names the archived copy and its SHA-256. Its body is the record, and the
field when the citation names one. The stance is a CiTO citation characterization: the
record ``cito:citesAsEvidence`` a passage that ``supports`` it, and ``cito:disputes`` a
passage that ``contradicts`` it (the record keeps the value most sources state).

Links are relative to the site ``irr site`` writes (``records/ID.html``,
``datapackage/sources/ID.txt``) unless a base URL makes them absolute.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..io import outputs
from ..problems import show
from ..schema.models import Citation, Source
from .evidence import Evidence

FILENAME = "annotations.jsonld"
"""The collection's name in the site."""
MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
AFFIX = 32
"""Characters of text kept before and after a quote (``prefix``, ``suffix``)."""
CHARACTERIZATION = {"supports": "cito:citesAsEvidence", "contradicts": "cito:disputes"}
"""The CiTO characterization of each stance: how the record cites the passage."""


class AnnotationsError(outputs.OutputError):
    """The annotations cannot be written where asked."""


_NOT_IN_URLS = '"<>\\^`{|}'
"""Characters RFC 3986 leaves out of URLs (a browser reads a backslash as a slash)."""


def unusable_base(url: str | None) -> str | None:
    """Why ``url`` cannot be the base of the site's links, or None when it can (or is absent).

    Only an absolute ``http://`` or ``https://`` URL with a host is taken: the base goes into
    every canonical link, the JSON-LD and the sitemap, where ``javascript:`` would run.
    """
    if url is None:
        return None
    if any(ord(c) < 0x21 or 0x7F <= ord(c) <= 0x9F or c in _NOT_IN_URLS for c in url):
        return (
            f"{show(url)} holds a space, a control character or one of {_NOT_IN_URLS} "
            "(percent-encode it); give an http(s) URL"
        )
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as err:
        return f"{show(url)} is not a URL ({err}); give one such as https://example.org/irr/"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return (
            f"{show(url)} is not an absolute http:// or https:// URL with a host; "
            "give one such as https://example.org/irr/"
        )
    if parts.query or parts.fragment:
        return f"{show(url)} has a query or fragment; give the site's folder, such as https://example.org/irr/"
    return None


def base(url: str | None) -> str:
    """A base URL ending in ``/`` (or the empty string: links stay relative)."""
    if not url:
        return ""
    return url if url.endswith("/") else url + "/"


def context(descriptor: dict[str, Any]) -> list[Any]:
    """The JSON-LD context: the Web Annotation vocabulary, CiTO, schema.org and the
    dataset's own terms, named under its stable package id."""
    own = f"urn:uuid:{descriptor.get('id', '')}#"
    return [
        "http://www.w3.org/ns/anno.jsonld",
        {
            "cito": "http://purl.org/spar/cito/",
            "schema": "https://schema.org/",
            "irr": own,
            "characterization": {"@id": "cito:hasCitationCharacterization", "@type": "@id"},
            "sha256": "schema:sha256",
            "citation": "irr:citation",
            "record": "irr:record",
            "table": "irr:table",
            "field": "irr:field",
            "claimedValue": "irr:claimedValue",
            "stance": "irr:stance",
            "basis": "irr:basis",
            "note": "irr:note",
        },
    ]


def annotation(
    evidence: Evidence, citation: Citation, table: str, source: Source, root: str
) -> dict[str, Any]:
    """The Web Annotation of one citation."""
    text = evidence.texts[source.id]
    where = evidence.places[citation.id]
    archived = f"{root}datapackage/{source.path}"
    body: dict[str, Any] = {
        "type": "SpecificResource",
        "source": f"{root}records/{citation.record_id}.html",
        "record": citation.record_id,
        "table": table,
    }
    if citation.field is not None:
        body["field"] = citation.field
        body["selector"] = {
            "type": "FragmentSelector",
            "conformsTo": "http://tools.ietf.org/rfc/rfc3986",
            "value": f"field-{citation.field}",
        }
    if citation.claimed_value is not None:
        body["claimedValue"] = citation.claimed_value
    result: dict[str, Any] = {
        "id": f"{root}{FILENAME}#{citation.id}",
        "type": "Annotation",
        "motivation": "linking",
        "citation": citation.id,
        "stance": citation.stance,
        "characterization": CHARACTERIZATION[citation.stance],
        "basis": citation.basis,
        "body": body,
        "target": {
            "type": "SpecificResource",
            "source": {
                "id": source.url or archived,
                "type": "Text",
                "format": "text/plain",
                "language": source.language,
            },
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": text[where.start : where.end],
                    "prefix": text[max(0, where.start - AFFIX) : where.start],
                    "suffix": text[where.end : where.end + AFFIX],
                },
                {"type": "TextPositionSelector", "start": where.start, "end": where.end},
            ],
            "state": {"type": "TimeState", "cached": archived, "sha256": source.sha256},
        },
    }
    if citation.note is not None:
        result["note"] = citation.note
    return result


def collection(evidence: Evidence, base_url: str | None = None) -> dict[str, Any]:
    """Every citation of the package as one ``AnnotationCollection`` with one page."""
    root = base(base_url)
    sources = {s.id: s for s in evidence.sources}
    tables = evidence.table_of()
    items = [
        annotation(evidence, c, tables[c.record_id], sources[c.source_id], root)
        for c in evidence.citations
    ]
    descriptor = evidence.descriptor
    return {
        "@context": context(descriptor),
        "id": f"{root}{FILENAME}",
        "type": "AnnotationCollection",
        "label": (
            f"{descriptor.get('title', '')} {descriptor.get('version', '')}: "
            "each citation's quotation in its archived source text"
        ),
        "total": len(items),
        "first": {
            "id": f"{root}{FILENAME}#page-1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }


def dumps(document: dict[str, Any]) -> bytes:
    """Canonical JSON: sorted keys, two-space indent, UTF-8, final newline."""
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def write(
    evidence: Evidence, out: Path, *, force: bool = False, base_url: str | None = None
) -> Path:
    """Write the collection to ``out`` atomically; an existing file only with ``force``."""
    why = unusable_base(base_url)
    if why is not None:
        raise AnnotationsError(f"--base-url {why}")
    outputs.check_file(out, force, AnnotationsError)
    with outputs.locked(out, AnnotationsError):
        outputs.check_file(out, force, AnnotationsError)
        outputs.write_file(out, dumps(collection(evidence, base_url)), AnnotationsError)
    return out
