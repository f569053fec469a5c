"""A citation's basis and the words of the notes agree (the rule is in README.md).

- A citation's note says "preview" exactly when its basis is ``preview``. A note may also
  say that its quote runs across, continues after or is split by a link preview: those
  words give none of the value and do not count.
- A citation's note says "inferred" exactly when its basis is ``inferred``.
- A sentence of a record's notes that says one of its values is inferred, or from a
  preview, needs a citation of that record with that basis; a sentence about another
  record names that record's id.
"""

from __future__ import annotations

import re

import pytest

from india_russia_relations import TABLES, Citation, records
from india_russia_relations.checks.provenance import normalize
from india_russia_relations.schema.models import MODELS

from .conftest import PACKAGE

CROSSING = re.compile(
    r"(runs across|continues after|split by) (the |a )?(inline )?link previews?", re.IGNORECASE
)
PREVIEW = re.compile(r"\bpreviews?\b", re.IGNORECASE)
INFERRED = re.compile(r"\binferred\b", re.IGNORECASE)
CITATIONS: list[Citation] = records("citations")
CITED = {r.key()[0]: r for t in TABLES if MODELS[t].cited for r in records(t)}


def _says_preview(note: str | None) -> bool:
    return bool(PREVIEW.search(CROSSING.sub("", note or "")))


def _says_inferred(note: str | None) -> bool:
    return bool(INFERRED.search(note or ""))


@pytest.mark.parametrize("citation", CITATIONS, ids=lambda c: c.id)
def test_a_citation_note_says_preview_exactly_when_its_basis_is_preview(
    citation: Citation,
) -> None:
    assert _says_preview(citation.note) == (citation.basis == "preview"), citation.note


@pytest.mark.parametrize("citation", CITATIONS, ids=lambda c: c.id)
def test_a_citation_note_says_inferred_exactly_when_its_basis_is_inferred(
    citation: Citation,
) -> None:
    assert _says_inferred(citation.note) == (citation.basis == "inferred"), citation.note


def test_the_crossing_words_are_not_mistaken_for_a_preview_basis() -> None:
    assert not _says_preview(
        "Article text; the quote runs across the inline link preview of 'KGB'."
    )
    assert _says_preview("From the mirror's inline link preview, not the article's own text.")


def _sentences(notes: str) -> list[str]:
    return re.split(r"(?<=[.;])\s+", notes)


@pytest.mark.parametrize("record_id", sorted(CITED))
def test_record_notes_say_inferred_or_preview_only_with_a_citation_of_that_basis(
    record_id: str,
) -> None:
    notes: str | None = getattr(CITED[record_id], "notes", None)
    bases = {c.basis for c in CITATIONS if c.record_id == record_id}
    for sentence in _sentences(notes or ""):
        if any(other in sentence for other in CITED if other != record_id):
            continue  # speaks of another record, named by its id
        if _says_preview(sentence):
            assert "preview" in bases, sentence
        if _says_inferred(sentence):
            assert "inferred" in bases, sentence


def _preview_lines(text: str) -> list[str]:
    """The mirror's lines that hold a link preview: a linked name, then a cut-off paragraph."""
    return [normalize(line) for line in text.splitlines() if line.rstrip().endswith("...")]


def test_every_preview_citation_quotes_the_mirror_within_a_preview_line() -> None:
    text = (PACKAGE / "sources" / "wikipedia-mirror.txt").read_text("utf-8")
    lines = _preview_lines(text)
    previews = [c for c in CITATIONS if c.basis == "preview"]
    assert previews
    for citation in previews:
        assert citation.source_id == "wikipedia-mirror", citation.id
        assert any(normalize(citation.quote) in line for line in lines), citation.id


SOURCE_IDS = [s.id for s in records("sources")]


def _named_sources(sentence: str) -> set[str]:
    return {
        source
        for source in SOURCE_IDS
        if re.search(rf"(?<![\w-]){re.escape(source)}(?![\w-])", sentence)
    }


@pytest.mark.parametrize("record_id", sorted(CITED))
def test_record_notes_name_a_source_only_with_a_citation_from_it_or_the_other_record(
    record_id: str,
) -> None:
    """A claim a note attributes to a source is data: that source is cited on the record.

    A sentence that speaks of another record names it by id, and the claim lives there.
    """
    notes: str | None = getattr(CITED[record_id], "notes", None)
    cited_from = {c.source_id for c in CITATIONS if c.record_id == record_id}
    for sentence in re.split(r"(?<=\.)\s+", notes or ""):
        if any(other in sentence for other in CITED if other != record_id):
            continue
        assert _named_sources(sentence) <= cited_from, sentence
