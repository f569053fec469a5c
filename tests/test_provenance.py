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


# --- the quote index at every offset, against the brute force ---------------------------------

SPAN, STEP = QuoteIndex.SPAN, QuoteIndex.STEP


def _brute_force(quote: str, text: str) -> bool:
    """The definition the index must agree with."""
    needle = normalize(quote)
    return bool(needle) and needle in normalize(text)


def _varied(length: int, seed: int) -> str:
    import random

    rng = random.Random(seed)
    spaces = [" ", "  ", "\n", "\t", "\u00a0", "\r\n "]
    out: list[str] = []
    while sum(map(len, out)) < length:
        out.append(
            "".join(rng.choice("abcdefghijklmnopqrstuvwxyz’–") for _ in range(rng.randint(1, 9)))
        )
        out.append(rng.choice(spaces))
    return "".join(out)


INDEX_TEXTS = {
    "varied": _varied(300, 1),
    "varied with spacing at both ends": "\n \u3000" + _varied(250, 2) + " \n",
    "one letter": "a" * 200,
    "period 2": "ab" * 120,
    "period of the step": "abcdefghijklmno " * 16,
    "period of the span": "the quick brown fox jumps over. " * 8,
    "period of the step plus one": "abcdefghijklmnopq" * 14,
    "period 3 then varied": "abc" * 60 + _varied(120, 3),
    "varied then period 5": _varied(120, 4) + "a b c" * 40,
}
# Shorter than the index reads (searched in the whole text), the shortest indexed, and longer.
INDEX_LENGTHS = (SPAN + STEP - 2, SPAN + STEP - 1, SPAN + STEP, 2 * SPAN - 1, 2 * SPAN, 80, 101)


def _slices(text: str) -> list[str]:
    """Every slice of the normalized text of each length in ``INDEX_LENGTHS``: at every start,
    so at every offset class modulo ``STEP``, the first and the last included."""
    flat = normalize(text)
    return [flat[at : at + n] for n in INDEX_LENGTHS for at in range(len(flat) - n + 1)]


def _altered(quotes: list[str]) -> list[str]:
    """Each quote with one character changed at its start, at a piece's edge and at its end."""
    out = []
    for quote in quotes:
        for at in (0, STEP - 1, STEP, SPAN - 1, SPAN, len(quote) - 1):
            if at < len(quote):
                other = "§" if quote[at] != "§" else "a"
                out.append(quote[:at] + other + quote[at + 1 :])
        out.append(quote + "b")
        out.append("b" + quote)
    return out


def test_every_offset_class_is_covered_by_the_slices() -> None:
    flat = normalize(INDEX_TEXTS["varied"])
    assert len(flat) - max(INDEX_LENGTHS) >= 2 * STEP


@pytest.mark.parametrize("name", list(INDEX_TEXTS))
def test_every_slice_of_a_text_is_in_its_index(name: str) -> None:
    text = INDEX_TEXTS[name]
    index = QuoteIndex(text)
    missing = [q for q in _slices(text) if q not in index]
    assert missing == []


@pytest.mark.parametrize("name", list(INDEX_TEXTS))
def test_the_index_agrees_with_the_brute_force_on_altered_slices(name: str) -> None:
    text = INDEX_TEXTS[name]
    index = QuoteIndex(text)
    probes = _altered(_slices(text)[::3])
    wrong = [q for q in probes if (q in index) != _brute_force(q, text)]
    assert wrong == []


@pytest.mark.parametrize("name", list(INDEX_TEXTS))
def test_the_batched_look_up_agrees_with_the_brute_force(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(provenance, "BATCH_FROM", 0)
    text = INDEX_TEXTS[name]
    slices = _slices(text)
    probes = slices + _altered(slices[::3])
    expected = [_brute_force(q, text) for q in probes]
    assert all(expected[: len(slices)])
    got = found_in(text, probes)
    wrong = [q for q, a, b in zip(probes, got, expected, strict=True) if a != b]
    assert wrong == []


@pytest.mark.parametrize("length", INDEX_LENGTHS)
def test_a_quote_at_either_end_of_a_text_is_found_on_both_paths(
    length: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, text in INDEX_TEXTS.items():
        flat = normalize(text)
        ends = [flat[:length], flat[-length:], flat[1 : length + 1], flat[-length - 1 : -1]]
        index = QuoteIndex(text)
        assert [q in index for q in ends] == [True] * 4, name
        monkeypatch.setattr(provenance, "BATCH_FROM", 0)
        assert found_in(text, ends) == [True] * 4, name


def test_a_47_character_quote_ending_the_text_is_found() -> None:
    text = _varied(400, 5)
    quote = normalize(text)[-(SPAN + STEP - 1) :]
    assert len(quote) == 47 and quote in QuoteIndex(text)


def test_a_quote_at_one_past_a_step_where_pieces_repeat_is_found() -> None:
    text = "abcdefghijklmnop" * 12 + "the end of it all"
    flat = normalize(text)
    for offset in range(2 * STEP + 1):
        quote = flat[offset : offset + SPAN + STEP + 5]
        assert quote in QuoteIndex(text), offset


def test_a_text_shorter_than_a_piece_finds_only_its_short_quotes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "a short text"
    assert "short" in QuoteIndex(text) and "a short text" in QuoteIndex(text)
    assert "a short text!" not in QuoteIndex(text)
    monkeypatch.setattr(provenance, "BATCH_FROM", 0)
    assert found_in(text, ["short", "x" * 60, "", " "]) == [True, False, False, False]


@pytest.mark.parametrize(
    "quotes",
    [
        ["signed in ", "the treaty"],  # a space before the separator
        ["the treaty", " signed in"],  # a space after it
        ["the  treaty", "signed in"],
        ["signed\nin", "the treaty"],
        [" the treaty", "signed in"],
        ["the treaty", "signed in "],
    ],
)
def test_quotes_spaced_around_the_separator_are_normalized_each(quotes: list[str]) -> None:
    needles, joined = provenance._normalized_all(quotes)
    assert needles == [normalize(q) for q in quotes]
    assert joined == "|".join(normalize(q) for q in quotes)


def test_long_quotes_with_a_space_at_either_end_are_found_together(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = _varied(400, 6)
    flat = normalize(text)
    middle = flat[100:160]
    quotes = [middle + " ", " " + middle, middle, flat[200:260] + " ", " " + flat[:55]]
    monkeypatch.setattr(provenance, "BATCH_FROM", 0)
    assert found_in(text, quotes) == [True] * len(quotes)


def test_normalized_quotes_joined_are_returned_as_they_are() -> None:
    quotes = ["the treaty", "signed in"]
    needles, joined = provenance._normalized_all(quotes)
    assert needles is quotes and joined == "the treaty|signed in"


def test_a_few_quotes_are_looked_up_one_by_one_with_the_same_answers() -> None:
    text = INDEX_TEXTS["varied"]
    quotes = _slices(text)[:40:7] + _altered(_slices(text)[:2])
    assert len(quotes) < provenance.BATCH_FROM
    assert found_in(text, quotes) == [_brute_force(q, text) for q in quotes]
    assert any(found_in(text, quotes)) and not all(found_in(text, quotes))


@pytest.mark.parametrize("length", [SPAN + STEP - 1, 2 * SPAN, 2 * SPAN + STEP - 1])
def test_a_quote_that_is_the_whole_text_is_found_together(
    length: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = normalize(_varied(200, 7))[: length - 1] + "z"
    assert len(text) == length
    monkeypatch.setattr(provenance, "BATCH_FROM", 0)
    assert found_in(text, [text, text[1:], text[:-1], text + "z"]) == [True, True, True, False]
