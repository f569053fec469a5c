"""`irr quote` and its matcher: the exact quote to paste under the whitespace rule, or the
closest passages with a score."""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from india_russia_relations.checks.provenance import find_quote, normalize, spans
from india_russia_relations.cli import main
from india_russia_relations.publish.quote import Passage, closest, occurrences

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


# --- the matcher agrees with the reference: the same passages, contexts, lines and scores ---

# Words that fold and filter differently (ß folds to ss, İ to i̇, _ and ’ are left out of keys),
# between runs of whitespace of every kind, leading and trailing ones included.
_WORDS = st.sampled_from(["a", "ab", "b", "Ab", "ß", "ss", "İ", "a_b", "’b", "1", "c-", "Ⅻ"])
_GAPS = st.sampled_from([" ", " ", "\n", "  ", "\n\n", "\t \u00a0", "\u2028", ""])
_shaped = st.lists(st.tuples(_GAPS, _WORDS), max_size=40).map(
    lambda parts: "".join(gap + word for gap, word in parts)
) | st.builds(lambda a, b: a + b, _texts, _GAPS)


def _same(passages: list[Passage], reference: list[Any]) -> bool:
    """Whether the passages are the reference's: text, offsets, lines, context and score."""
    return [dataclasses.astuple(p) for p in passages] == [dataclasses.astuple(p) for p in reference]


_chunks = st.sampled_from([3, 1 << 20])
"""How many characters of a text are split into words at once: a few, and all."""


@settings(max_examples=150)
@given(text=_shaped, data=st.data())
def test_occurrences_agree_with_the_reference(text: str, data: st.DataObject) -> None:
    from . import quote_reference

    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    sought = data.draw(st.just(text[start:end]) | _texts)
    assert _same(occurrences(text, sought), quote_reference.occurrences(text, sought))


@settings(max_examples=200)
@given(text=_shaped, sought=_shaped | _texts, chunk=_chunks)
def test_closest_passages_agree_with_the_reference(text: str, sought: str, chunk: int) -> None:
    from india_russia_relations.publish import quote

    from . import quote_reference

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(quote, "_CHUNK", chunk)
        for limit in (1, 3):
            assert _same(closest(text, sought, limit), quote_reference.closest(text, sought, limit))


@settings(max_examples=100)
@given(text=_shaped, sought=_shaped)
def test_the_first_occurrences_are_those_of_all(text: str, sought: str) -> None:
    from india_russia_relations.publish.quote import count

    every = occurrences(text, sought)
    assert count(text, sought) == len(every)
    for limit in (0, 1, 2):
        assert occurrences(text, sought, limit) == every[:limit]


def test_closest_agrees_with_the_reference_on_the_archived_texts() -> None:
    from . import quote_reference

    sought = "the Soviet Union helped build the steel plant at Bhilai in the nineteen fifties"
    for path in sorted((PACKAGE / "sources").glob("*.txt")):
        text = path.read_text("utf-8")
        assert _same(closest(text, sought), quote_reference.closest(text, sought)), path.name


def test_quote_builds_the_context_of_the_occurrence_it_shows_only(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from india_russia_relations.publish import quote

    built: list[int] = []
    real = quote._context

    def counted(normalized: str, at: int, end: int) -> str:
        built.append(at)
        return real(normalized, at, end)

    monkeypatch.setattr(quote, "_context", counted)
    assert main(["quote", "fdi-paper", "the"]) == 0
    out = capsys.readouterr().out
    assert "(occurrence 1 of " in out
    assert len(built) == 1


def test_no_word_in_common_with_a_long_text_gives_no_passage_rather_than_a_look_at_each(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from india_russia_relations.publish import quote

    assert closest(FDI, "zqxj wvvk")  # scored against every window of the text
    monkeypatch.setattr(quote, "_BRUTE_FORCE_WINDOWS", len(FDI.split()) - 10)
    assert closest(FDI, "zqxj wvvk") == []


@settings(max_examples=200)
@given(st.lists(st.integers(0, 4), min_size=1, max_size=60), st.integers(1, 70))
def test_the_best_ranked_windows_are_the_first_of_them_all_sorted(
    shared: list[int], wanted: int
) -> None:
    from array import array

    from india_russia_relations.publish.quote import _best_ranked

    everything = sorted(range(len(shared)), key=lambda i: (-shared[i], i))
    assert _best_ranked(array("q", shared), wanted) == everything[:wanted]


def test_quote_says_so_when_no_passage_shares_a_word(capsys: pytest.CaptureFixture[str]) -> None:
    words = "zqxj wvvk " * 10  # longer than the look at every window is made for
    assert main(["quote", "fdi-paper", words]) == 1
    out = capsys.readouterr().out
    assert out.endswith("(only whitespace may differ); no passage of it shares a word with them\n")
