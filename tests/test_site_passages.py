"""Quoted passages: a quote's context on its record's page, and the marked text of a source page."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from india_russia_relations.checks.provenance import normalize
from india_russia_relations.publish.site.passages import collapse, context, segments, window

_TEXT = st.text(alphabet="ab .!?\n\u2019", max_size=200)


@st.composite
def _text_and_places(draw: st.DrawFn) -> tuple[str, dict[str, tuple[int, int]]]:
    text = draw(_TEXT)
    count = draw(st.integers(0, 8))
    places = {}
    for n in range(count):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, len(text)))
        places[f"q{n}"] = (start, end)
    return text, places


@settings(max_examples=150)
@given(_text_and_places())
def test_the_pieces_of_a_marked_text_join_into_the_text(
    case: tuple[str, dict[str, tuple[int, int]]],
) -> None:
    text, places = case
    assert "".join(s.text for s in segments(text, places)) == text


@settings(max_examples=150)
@given(_text_and_places())
def test_each_quote_covers_exactly_its_own_characters_even_where_quotes_overlap(
    case: tuple[str, dict[str, tuple[int, int]]],
) -> None:
    text, places = case
    pieces = segments(text, places)
    for key, (start, end) in places.items():
        covered = "".join(s.text for s in pieces if key in s.marks)
        assert covered == text[start:end]
        opened = [n for n, s in enumerate(pieces) if key in s.opens]
        closed = [n for n, s in enumerate(pieces) if key in s.closes]
        if start < end:
            assert len(opened) == len(closed) == 1 and opened[0] <= closed[0]
        else:
            assert opened == closed == []


def test_overlapping_quotes_share_the_piece_they_both_cover() -> None:
    text = "one two three four"
    pieces = segments(text, {"a": (0, 13), "b": (4, 18)})
    assert [(s.text, s.marks) for s in pieces] == [
        ("one ", ("a",)),
        ("two three", ("a", "b")),
        (" four", ("b",)),
    ]
    assert pieces[1].opens == ("b",) and pieces[1].closes == ("a",)


def test_the_context_is_the_quotes_sentence_and_one_on_each_side() -> None:
    text = "First one. Second one. The quoted words are here. Fourth one. Fifth one."
    start = text.index("quoted")
    shown = context(text, start, start + len("quoted words"))
    assert shown.before == "Second one. The "
    assert shown.exact == "quoted words"
    assert shown.after == " are here. Fourth one."
    assert shown.cut_before and shown.cut_after


def test_a_long_sentence_is_cut_after_whole_words() -> None:
    text = "word " * 200 + "target" + " word" * 200
    start = text.index("target")
    first, last = window(text, start, start + 6, limit=50)
    assert text[first - 1] == " " and text[last] == " "
    assert start - first <= 50 and last - start - 6 <= 50


@settings(max_examples=150)
@given(text=_TEXT, data=st.data())
def test_the_context_holds_the_quote_and_the_text_around_it(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    first, last = window(text, start, end)
    assert first <= start <= end <= last
    shown = context(text, start, end)
    assert shown.exact == normalize(text[start:end])
    assert collapse(text[first:last]).strip() in collapse(text)
