"""Every citation as a W3C Web Annotation: selectors that find the quote in the archived text."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from india_russia_relations.checks.provenance import normalize
from india_russia_relations.cli import main
from india_russia_relations.publish import annotations
from india_russia_relations.publish.evidence import Evidence, place, read

from .conftest import PACKAGE


@pytest.fixture(scope="module")
def evidence() -> Evidence:
    return read(PACKAGE)


@pytest.fixture(scope="module")
def items(evidence: Evidence) -> list[dict[str, Any]]:
    document = annotations.collection(evidence)
    result: list[dict[str, Any]] = document["first"]["items"]
    return result


def _selector(item: dict[str, Any], kind: str) -> dict[str, Any]:
    (found,) = [s for s in item["target"]["selector"] if s["type"] == kind]
    return found


def test_the_raw_text_at_every_position_selector_is_the_quote(
    evidence: Evidence, items: list[dict[str, Any]]
) -> None:
    quotes = {c.id: c for c in evidence.citations}
    assert len(items) == len(quotes)
    for item in items:
        citation = quotes[item["citation"]]
        position = _selector(item, "TextPositionSelector")
        raw = evidence.texts[citation.source_id][position["start"] : position["end"]]
        assert normalize(raw) == normalize(citation.quote), citation.id


def test_the_quote_selector_is_the_raw_text_with_what_comes_before_and_after(
    evidence: Evidence, items: list[dict[str, Any]]
) -> None:
    sources = {c.id: c.source_id for c in evidence.citations}
    for item in items:
        text = evidence.texts[sources[item["citation"]]]
        quote = _selector(item, "TextQuoteSelector")
        position = _selector(item, "TextPositionSelector")
        start, end = position["start"], position["end"]
        assert quote["exact"] == text[start:end]
        assert text[:start].endswith(quote["prefix"])
        assert text[end:].startswith(quote["suffix"])
        assert len(quote["prefix"]) == min(start, annotations.AFFIX)


def test_the_time_state_names_the_archived_copy_and_its_sha256(
    evidence: Evidence, items: list[dict[str, Any]]
) -> None:
    sources = {s.id: s for s in evidence.sources}
    by_citation = {c.id: sources[c.source_id] for c in evidence.citations}
    for item in items:
        source = by_citation[item["citation"]]
        state = item["target"]["state"]
        assert state["type"] == "TimeState"
        assert state["cached"] == f"datapackage/{source.path}"
        data = (PACKAGE / source.path).read_bytes()
        assert state["sha256"] == hashlib.sha256(data).hexdigest() == source.sha256


def test_the_stance_is_a_cito_characterization_and_the_body_is_the_record_and_field(
    evidence: Evidence, items: list[dict[str, Any]]
) -> None:
    quotes = {c.id: c for c in evidence.citations}
    stances = set()
    for item in items:
        citation = quotes[item["citation"]]
        stances.add(citation.stance)
        expected = {"supports": "cito:citesAsEvidence", "contradicts": "cito:disputes"}
        assert item["characterization"] == expected[citation.stance]
        assert item["body"]["source"] == f"records/{citation.record_id}.html"
        assert item["body"].get("field") == citation.field
        if citation.field is not None:
            assert item["body"]["selector"]["value"] == f"field-{citation.field}"
        assert item["body"].get("claimedValue") == citation.claimed_value
    assert stances == {"supports", "contradicts"}


def test_the_collection_is_a_web_annotation_collection_with_unique_ids(
    evidence: Evidence,
) -> None:
    document = annotations.collection(evidence)
    assert document["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert document["type"] == "AnnotationCollection"
    assert document["total"] == len(evidence.citations)
    page = document["first"]
    assert page["type"] == "AnnotationPage" and page["startIndex"] == 0
    ids = [item["id"] for item in page["items"]]
    assert len(set(ids)) == len(ids)
    assert all(item["type"] == "Annotation" for item in page["items"])


def test_a_base_url_makes_every_link_absolute(evidence: Evidence) -> None:
    document = annotations.collection(evidence, "https://example.org/irr")
    item = document["first"]["items"][0]
    assert document["id"] == "https://example.org/irr/annotations.jsonld"
    assert item["id"].startswith("https://example.org/irr/annotations.jsonld#")
    assert item["body"]["source"].startswith("https://example.org/irr/records/")
    assert item["target"]["state"]["cached"].startswith("https://example.org/irr/datapackage/")


def test_irr_export_writes_the_annotations_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "annotations.jsonld"
    args = ["export", "--format", "annotations", str(out), "--package", str(PACKAGE)]
    assert main(args) == 0
    first = out.read_bytes()
    assert json.loads(first)["total"] > 0
    capsys.readouterr()
    assert main(args) == 1
    assert "exists; pass --force" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0
    assert out.read_bytes() == first
    assert main([*args, "--force", "--base-url", "https://example.org/irr/"]) == 0
    assert json.loads(out.read_bytes())["id"] == "https://example.org/irr/annotations.jsonld"


_WORD = st.text(alphabet="abcxyz.,’", min_size=1, max_size=6)
_SPACE = st.sampled_from([" ", "  ", "\n", "\n\n", "\t", "\u00a0", " \n "])


@settings(max_examples=60)
@given(
    words=st.lists(_WORD, min_size=1, max_size=30),
    gaps=st.lists(_SPACE, min_size=31, max_size=31),
    lead=_SPACE,
    data=st.data(),
)
def test_a_quote_is_placed_at_raw_offsets_whatever_the_whitespace(
    words: list[str], gaps: list[str], lead: str, data: st.DataObject
) -> None:
    text = lead + "".join(w + g for w, g in zip(words, gaps, strict=False))
    first = data.draw(st.integers(0, len(words) - 1))
    last = data.draw(st.integers(first, len(words) - 1))
    quote = " ".join(words[first : last + 1])
    found = place(quote, text)
    assert found is not None
    assert normalize(text[found.start : found.end]) == quote
    assert not text[found.start].isspace() and not text[found.end - 1].isspace()
    assert found.occurrences >= 1
