"""Quoted passages in an archived text: a quote's context, and the text cut where quotes begin and end.

A record page shows each quote with a sentence or so of the text around it; a source page
shows the whole text with every quoted passage marked. Quotes may overlap (two records
citing one sentence, or a longer quote around a shorter one), so the text is cut at every
place a quote begins or ends, and each piece knows which quotes cover it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass

SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s)|\n[ \t\r\f\v]*\n")
"""The end of a sentence (a stop, with any closing quote or bracket, before whitespace) or a blank line."""
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Context:
    """A quote and the text around it, whitespace collapsed for reading."""

    before: str
    exact: str
    after: str
    cut_before: bool
    """Whether the text goes on before ``before`` (shown with an ellipsis)."""
    cut_after: bool


def collapse(text: str) -> str:
    """Every run of whitespace as one space (the ends kept, as one space)."""
    return _WHITESPACE.sub(" ", text)


def _skip_space(text: str, at: int, end: int) -> int:
    while at < end and text[at].isspace():
        at += 1
    return at


def window(
    text: str, start: int, end: int, sentences: int = 1, limit: int = 320
) -> tuple[int, int]:
    """Where the context of ``text[start:end]`` begins and ends: the sentences the quote is
    in and ``sentences`` more on each side, but at most ``limit`` characters each side
    (then cut after a whole word)."""
    low = max(0, start - limit)
    ends = [m.end() for m in SENTENCE_END.finditer(text, low, start)]
    if len(ends) > sentences:
        first = ends[-(sentences + 1)]
    elif low == 0:
        first = 0
    else:
        space = _WHITESPACE.search(text, low, start)
        first = space.end() if space else start
    first = min(_skip_space(text, first, start), start)
    high = min(len(text), end + limit)
    # From the quote's last character, so that a quote ending in a full stop ends its sentence.
    ends = [m.end() for m in SENTENCE_END.finditer(text, max(start, end - 1), high)]
    if len(ends) > sentences:
        last = ends[sentences]
    elif high == len(text):
        last = len(text)
    else:
        cut = max((m.start() for m in _WHITESPACE.finditer(text, end, high)), default=end)
        last = cut
    last = max(len(text[:last].rstrip()), end)
    return first, last


def context(text: str, start: int, end: int) -> Context:
    """The quote at ``text[start:end]`` with its context, ready to show."""
    first, last = window(text, start, end)
    return Context(
        before=collapse(text[first:start]).lstrip(),
        exact=" ".join(text[start:end].split()),
        after=collapse(text[end:last]).rstrip(),
        cut_before=bool(text[:first].strip()),
        cut_after=bool(text[last:].strip()),
    )


@dataclass(frozen=True)
class Segment:
    """A piece of text between two places where quotes begin or end."""

    text: str
    marks: tuple[str, ...]
    """The quotes (citation ids) that cover the piece, in the order they begin."""
    opens: tuple[str, ...]
    """The quotes that begin at the piece."""
    closes: tuple[str, ...]
    """The quotes that end with the piece."""


def segments(text: str, places: Mapping[str, tuple[int, int]]) -> list[Segment]:
    """``text`` cut at every quote's start and end; joined, the pieces are ``text``.

    ``places`` maps each quote's id to its (start, end) offsets in ``text``; an empty
    quote marks nothing. Quotes that begin together are ordered longest first, then by id.
    """
    order = sorted(
        ((s, e, key) for key, (s, e) in places.items() if s < e), key=lambda p: (p[0], -p[1], p[2])
    )
    opening: dict[int, list[str]] = {}
    closing: dict[int, list[str]] = {}
    for s, _, key in order:
        opening.setdefault(s, []).append(key)
    for _, e, key in sorted(order, key=lambda p: (p[1], -p[0], p[2])):
        closing.setdefault(e, []).append(key)
    cuts = sorted({0, len(text), *opening, *closing})
    active: list[str] = []
    result: list[Segment] = []
    for low, high in itertools.pairwise(cuts):
        active.extend(opening.get(low, ()))
        closes = closing.get(high, [])
        result.append(
            Segment(
                text=text[low:high],
                marks=tuple(active),
                opens=tuple(opening.get(low, ())),
                closes=tuple(closes),
            )
        )
        for key in closes:
            active.remove(key)
    return result
