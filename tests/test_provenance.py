"""Finding a quotation in its source: any run of whitespace matches any other, nothing else differs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from india_russia_relations.checks import provenance
from india_russia_relations.checks.provenance import (
    QuoteIndex,
    Quotes,
    find_quote,
    found_in,
    normalize,
    spans,
)

# Curly quotes, dashes and hyphens are in the texts; their straight or plain look-alikes and
# "§" are not, so a quote holding one of those differs from the text in more than whitespace.
TEXT_CHARACTERS = "abcxyzÄé’“”–—-.,;:()0123456789"
FOREIGN = "'\"§_"
WHITESPACE = [
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "\r\n",
    "\u00a0",
    " \u00a0",
    "\u2003",
    "\u3000",
    "\x0b",
]

words = st.lists(st.text(alphabet=TEXT_CHARACTERS, min_size=1, max_size=6), min_size=1, max_size=30)
spacing = st.sampled_from(WHITESPACE)


@st.composite
def texts_and_quotes(draw: st.DrawFn) -> tuple[str, str, list[str]]:
    """A text, a run of its words spaced otherwise (with whitespace around it), and those words."""
    text_words = draw(words)
    text = draw(spacing) + "".join(w + draw(spacing) for w in text_words)
    start = draw(st.integers(0, len(text_words) - 1))
    end = draw(st.integers(start + 1, len(text_words)))
    quoted = text_words[start:end]
    quote = draw(st.sampled_from(["", " ", "\n"])) + "".join(w + draw(spacing) for w in quoted)
    return text, quote, quoted


@given(texts_and_quotes())
def test_a_quote_is_found_whatever_its_whitespace(case: tuple[str, str, list[str]]) -> None:
    text, quote, quoted = case
    at = find_quote(quote, text)
    assert at is not None
    assert normalize(text)[at:].startswith(" ".join(quoted))


@given(texts_and_quotes())
def test_each_place_a_quote_is_found_is_the_quote_in_the_text_s_own_spacing(
    case: tuple[str, str, list[str]],
) -> None:
    text, quote, quoted = case
    found = spans(quote, text)
    assert found
    for start, end in found:
        assert text[start:end].split() == " ".join(quoted).split()
        assert text[start:end] == text[start:end].strip()


@given(texts_and_quotes(), st.data())
def test_a_quote_that_differs_in_anything_but_whitespace_is_not_found(
    case: tuple[str, str, list[str]], data: st.DataObject
) -> None:
    text, quote, _ = case
    at = data.draw(st.sampled_from([i for i, c in enumerate(quote) if not c.isspace()]))
    foreign = data.draw(st.sampled_from(FOREIGN))
    replace = data.draw(st.booleans())
    changed = quote[:at] + foreign + quote[at + 1 if replace else at :]
    assert find_quote(changed, text) is None
    assert spans(changed, text) == []


@given(st.text(alphabet="".join(WHITESPACE), max_size=6), words.map(" ".join))
def test_a_quote_of_only_whitespace_is_never_found(quote: str, text: str) -> None:
    assert find_quote(quote, text) is None
    assert spans(quote, text) == []


def test_every_occurrence_is_found_overlapping_ones_included() -> None:
    text = "aba\u00a0aba\naba"
    assert spans("aba  aba", text) == [(0, 7), (4, 11)]
    assert find_quote("aba\taba", text) == 0


def test_the_whitespace_of_the_batch_look_up_is_what_str_split_splits_on() -> None:
    assert set(provenance.WHITESPACE) == {chr(c) for c in range(0x110000) if chr(c).isspace()}


any_spacing = st.text(alphabet=provenance.WHITESPACE + "ab\u00e9\u201c\U0001f600\x00", max_size=30)


@given(any_spacing)
def test_the_quick_normal_form_of_a_quote_is_its_normal_form(quote: str) -> None:
    assert provenance._normalized(quote) == normalize(quote)


@given(st.lists(any_spacing, max_size=8))
def test_quotes_normalized_together_are_each_normalized(quotes: list[str]) -> None:
    needles, joined = provenance._normalized_all(quotes)
    assert needles == [normalize(q) for q in quotes]
    assert joined == provenance._SEPARATOR.join(needles)


@given(any_spacing)
def test_the_code_points_of_a_normalized_text_are_those_of_its_normal_form(text: str) -> None:
    codes = provenance._normalized_codes(text)
    assert codes.tobytes().decode("utf-32-le") == normalize(text)


@st.composite
def long_texts_and_probes(draw: st.DrawFn) -> tuple[str, str]:
    """A repetitive text (so that indexed pieces repeat) and a probe: a slice of it, maybe altered."""
    unit = draw(st.text(alphabet="ab \n", min_size=1, max_size=40))
    text = unit * draw(st.integers(1, 40)) + draw(st.text(alphabet="abc \n\u3000é", max_size=200))
    flat = normalize(text)
    start = draw(st.integers(0, max(0, len(flat) - 1)))
    probe = flat[start : start + draw(st.integers(0, 200))]
    if probe and draw(st.booleans()):
        at = draw(st.integers(0, len(probe) - 1))
        probe = probe[:at] + draw(st.sampled_from("abc")) + probe[at + 1 :]
    return text, probe


@given(long_texts_and_probes())
def test_the_quote_index_finds_exactly_what_find_quote_finds(case: tuple[str, str]) -> None:
    text, probe = case
    assert (probe in QuoteIndex(text)) == (find_quote(probe, text) is not None)


@settings(deadline=None)  # the first example imports numpy and pyarrow
@given(long_texts_and_probes(), st.lists(long_texts_and_probes(), max_size=30))
def test_quotes_looked_up_together_are_found_exactly_as_one_by_one(
    case: tuple[str, str], more: list[tuple[str, str]]
) -> None:
    text, probe = case
    # Probes of other texts are mostly missing here; slices of this one are found.
    probes = [probe, *(other for _, other in more), *(text[at:] for at in range(0, 200, 7))]
    # Spaced otherwise, with the separator the batch joins quotes by, or empty.
    probes += [probe.replace(" ", "\n\u00a0"), f" {probe}", f"{probe}|", "|", ""]
    index = QuoteIndex(text)
    expected = [p in index for p in probes]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(provenance, "BATCH_FROM", 0)
        assert found_in(text, probes) == expected


def test_many_quotes_of_a_long_text_are_looked_up_together_and_found() -> None:
    words = [f"word{n % 97} {'x' * (n % 13)}" for n in range(20_000)]
    text = " ".join(words)
    quotes = [" ".join(words[at : at + 12]) for at in range(0, 19_000, 9)]
    quotes += [q.replace("word", "w0rd", 1) for q in quotes[:50]]
    found = found_in(text, quotes)
    assert len(quotes) >= provenance.BATCH_FROM
    assert found == [True] * (len(quotes) - 50) + [False] * 50


def test_a_quote_that_repeats_is_looked_up_once(monkeypatch: pytest.MonkeyPatch) -> None:
    looked_up: list[str] = []
    real = QuoteIndex.__contains__

    def contains(self: QuoteIndex, quote: object) -> bool:
        looked_up.append(str(quote))
        return real(self, quote)

    monkeypatch.setattr(QuoteIndex, "__contains__", contains)
    text = "The two sides signed a treaty on steel plants in New Delhi in 1955."
    quotes = ["a treaty on steel plants", "a treaty on tea"] * 100
    assert found_in(text, quotes) == [True, False] * 100
    assert sorted(looked_up) == ["a treaty on steel plants", "a treaty on tea"]


@settings(deadline=None)  # the first example imports numpy and pyarrow
@given(long_texts_and_probes(), st.lists(st.integers(0, 5), min_size=1, max_size=60))
def test_quotes_that_repeat_are_each_found_as_alone(
    case: tuple[str, str], picks: list[int]
) -> None:
    text, probe = case
    choices = [probe, f"{probe}§", text[:40], text[7:90], f" {probe}", ""]
    probes = [choices[at] for at in picks]
    index = QuoteIndex(text)
    expected = [p in index for p in probes]
    gathered = Quotes(choices, picks)  # as the bulk gathering hands them over
    assert gathered == probes
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(provenance, "BATCH_FROM", 0)  # the batch, on the distinct quotes
        assert found_in(text, probes) == expected
        assert found_in(text, gathered) == expected
    assert found_in(text, probes) == expected
    assert found_in(text, gathered) == expected
