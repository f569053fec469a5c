"""`irr quote` and its matcher: the exact quote to paste under the whitespace rule, or the
closest passages with a score."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from india_russia_relations.checks.provenance import find_quote, normalize, spans
from india_russia_relations.cli import main
from india_russia_relations.publish.quote import closest, occurrences

from .conftest import PACKAGE, REPO

FDI = (PACKAGE / "sources" / "fdi-paper.txt").read_text("utf-8")

# Text with the whitespace the archived sources hold: line breaks, runs of spaces, NBSP.
_texts = st.text(alphabet="ab c-’.\n\u00a0\t\u2028", max_size=60)


@settings(max_examples=80)
@given(_texts, st.data())
def test_every_slice_of_a_text_is_found_where_it_is(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    quote = text[start:end]
    if not normalize(quote):
        assert spans(quote, text) == []
        return
    found = spans(quote, text)
    assert found, (quote, text)
    for first, last in found:
        assert normalize(text[first:last]) == normalize(quote)
        assert not text[first].isspace() and not text[last - 1].isspace()


@settings(max_examples=80)
@given(_texts, _texts)
def test_spans_and_find_quote_agree_on_every_quote(quote: str, text: str) -> None:
    assert bool(spans(quote, text)) == (find_quote(quote, text) is not None)


@settings(max_examples=60)
@given(_texts, st.text(alphabet="ab c’.\n", max_size=20))
def test_every_suggested_passage_is_an_exact_quote_of_the_text(text: str, sought: str) -> None:
    passages = closest(text, sought)
    # Something is always suggested for a short search in a text with words, so that the
    # checks below are never checks of an empty list.
    assert bool(passages) == bool(normalize(sought) and normalize(text))
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)
    for passage in passages:
        assert (passage.start, passage.end) in spans(passage.quote, text)
        assert 0.0 <= passage.score <= 1.0


@settings(max_examples=60)
@given(_texts, st.data())
def test_a_quote_that_is_in_the_text_is_its_own_closest_passage(
    text: str, data: st.DataObject
) -> None:
    words = normalize(text).split()
    if not words:
        return
    start = data.draw(st.integers(0, len(words) - 1))
    end = data.draw(st.integers(start + 1, len(words)))
    sought = " ".join(words[start:end])
    (best, *_) = closest(text, sought)
    assert best.score == 1.0
    assert normalize(best.quote) == sought


def test_any_run_of_whitespace_matches_any_other() -> None:
    text = "peaceful co-\n\nexistence and\u00a0friendship"
    assert spans("co- existence and friendship", text) == [(9, len(text))]


def test_nothing_but_whitespace_is_normalized() -> None:
    assert spans("India's", "India’s relationship") == []
    assert spans("india’s", "India’s relationship") == []


def test_overlapping_occurrences_are_all_found() -> None:
    assert spans("aa", "aaa") == [(0, 2), (1, 3)]


def test_an_occurrence_knows_its_lines_in_the_original_text() -> None:
    text = "first line\nthe Soviet\n\nUnion in 1955\n"
    (passage,) = occurrences(text, "Soviet Union")
    assert (passage.line, passage.end_line, passage.lines()) == (2, 4, "2-4")
    assert passage.quote == "Soviet Union"
    assert passage.context == "first line the [Soviet Union] in 1955"


def test_context_is_cut_to_a_few_words_with_ellipses() -> None:
    text = "one two three four five six seven target eight nine ten eleven twelve thirteen"
    (passage,) = occurrences(text, "target")
    assert (
        passage.context
        == "…two three four five six seven [target] eight nine ten eleven twelve thirteen"
    )


def test_context_joins_a_passage_that_starts_inside_a_word() -> None:
    (passage,) = occurrences("India and Russia share", "ssia sh")
    assert passage.context == "India and Ru[ssia sh]are"


def test_the_closest_passage_to_reworded_words_is_the_real_one() -> None:
    (best, *_) = closest(FDI, "Nehru visited the Soviet Union in June 1955")
    assert best.quote == "Nehru visited the then Soviet Union in June 1955"
    assert best.line == 107
    assert 0.9 < best.score < 1.0


def test_closest_passages_are_exact_quotes_best_first_and_apart() -> None:
    passages = closest(FDI, "India's relationship with the Soviet Union")
    assert len(passages) > 1
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)
    for passage in passages:
        assert find_quote(passage.quote, FDI) is not None
    for one, other in itertools.combinations(passages, 2):
        assert one.end <= other.start or other.end <= one.start


def test_closest_ignores_case_and_apostrophes_when_ranking() -> None:
    (best, *_) = closest(FDI, "india's relationship with russia")
    assert best.quote == "India’s relationship with Russia"


def test_closest_finds_a_misspelt_single_word() -> None:
    (best, *_) = closest(FDI, "Bulganim")
    assert best.quote == "Bulganin"


def test_closest_gives_nothing_for_no_words() -> None:
    assert closest(FDI, " \n ") == []


# --- the command ------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _in_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # paths are shown relative to the working directory


def test_quote_prints_the_exact_quote_its_line_and_context(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["quote", "fdi-paper", "Nehru visited the then\n Soviet Union"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "datapackage/sources/fdi-paper.txt:107: found",
        "quote: Nehru visited the then Soviet Union",
        "context: …to let go. Prime Minister Jawaharlal [Nehru visited the then Soviet Union]"
        " in June 1955 and, in turn,…",
    ]


def test_quote_shows_the_first_of_several_and_how_many_there_are(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["quote", "fdi-paper", "Soviet Union"]) == 0
    out = capsys.readouterr().out
    assert out.count("quote: Soviet Union") == 1
    assert f"(occurrence 1 of {len(spans('Soviet Union', FDI))}; --all lists every one)" in out


def test_quote_all_lists_every_occurrence(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quote", "fdi-paper", "Soviet Union", "--all"]) == 0
    out = capsys.readouterr().out
    count = len(spans("Soviet Union", FDI))
    assert count > 2
    assert out.count("quote: Soviet Union") == count
    assert f"(occurrence {count} of {count})" in out


def test_quote_without_a_match_shows_the_closest_with_scores_and_exits_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["quote", "fdi-paper", "Nehru visited the Soviet Union in June 1955"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith('"Nehru visited the Soviet Union in June 1955" is not in ')
    assert lines[1] == "datapackage/sources/fdi-paper.txt:107: score 0.95"
    assert lines[2] == "quote: Nehru visited the then Soviet Union in June 1955"


def test_quote_of_an_unknown_source_names_the_sources_and_exits_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["quote", "fdi", "Nehru"]) == 2
    assert "the sources are boundless-ocean, exam-notes, fdi-paper" in capsys.readouterr().err


def test_quote_of_no_words_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quote", "fdi-paper", "  "]) == 2
    assert "give the words" in capsys.readouterr().err
