"""Matching a citation's quotation against its archived source text.

Every run of whitespace (what ``str.split`` splits on, non-breaking spaces and line breaks
included) counts as one space; nothing else is normalized, so curly quotes, dashes and
hyphens must match exactly.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache


def normalize(text: str) -> str:
    """Collapse every run of whitespace to one space and trim the ends."""
    return " ".join(text.split())


def find_quote(quote: str, text: str) -> int | None:
    """Where ``quote`` starts in the normalized ``text``, or None when it is not there."""
    needle = normalize(quote)
    if not needle:
        return None
    at = _normalized_text(text).find(needle)
    return None if at < 0 else at


@lru_cache(maxsize=64)
def _normalized_text(text: str) -> str:
    # Source texts are few and quotes many: normalize each text once.
    return normalize(text)


@dataclass(frozen=True)
class Words:
    """A text's words (its runs of non-whitespace), where each starts in the text and in its
    normalized form, so that a place in one can be mapped to the other."""

    normalized: str
    in_text: tuple[int, ...]
    """Offset of each word in the original text."""
    in_normalized: tuple[int, ...]
    """Offset of each word in the normalized text."""

    def to_text(self, at: int) -> int:
        """The offset in the original text of the normalized text's character ``at``.

        A separating space maps to the character after its word (the whitespace run's start).
        """
        word = bisect_right(self.in_normalized, at) - 1
        return self.in_text[word] + (at - self.in_normalized[word])


@lru_cache(maxsize=64)
def words(text: str) -> Words:
    """The words of ``text`` with their offsets (cached: a text is searched many times)."""
    in_text: list[int] = []
    in_normalized: list[int] = []
    position = length = 0
    for word in text.split():
        # str.split and str.find agree on what a word is: the next word starts at the first
        # non-whitespace character after the previous one.
        position = text.find(word, position)
        in_text.append(position)
        in_normalized.append(length)
        position += len(word)
        length += len(word) + 1
    return Words(_normalized_text(text), tuple(in_text), tuple(in_normalized))


def spans(quote: str, text: str) -> list[tuple[int, int]]:
    """Every place ``quote`` occurs in ``text`` by the whitespace rule, as (start, end) offsets
    into ``text`` itself; empty when ``find_quote`` finds nothing. Overlapping places count."""
    needle = normalize(quote)
    if not needle:
        return []
    index = words(text)
    found: list[tuple[int, int]] = []
    at = index.normalized.find(needle)
    while at >= 0:
        # A normalized needle neither starts nor ends with a space, so both ends are in words.
        found.append((index.to_text(at), index.to_text(at + len(needle) - 1) + 1))
        at = index.normalized.find(needle, at + 1)
    return found


class QuoteIndex:
    """Tells whether quotes are in one text, in time that does not grow with the text.

    Every ``STEP``-th position of the normalized text is indexed by the ``SPAN`` characters
    that start there. Wherever a quote of at least ``SPAN + STEP - 1`` characters occurs,
    the indexed positions inside it fall at one of ``STEP`` offsets from its start; for
    each offset, the quote's pieces at that offset and every ``STEP`` after must all be
    indexed, and only the rarest piece's positions are compared with the whole quote.
    Shorter quotes are searched for in the whole text.
    """

    SPAN = 32
    STEP = 16

    def __init__(self, text: str) -> None:
        self.text = normalized = normalize(text)
        span = self.SPAN
        positions = range(0, len(normalized) - span + 1, self.STEP)
        pieces = [normalized[at : at + span] for at in positions]
        index: dict[str, int | list[int]] = dict(zip(pieces, positions, strict=True))
        if len(index) < len(pieces):  # some pieces repeat: keep every position of those
            repeated: dict[str, list[int]] = {p: [] for p, n in Counter(pieces).items() if n > 1}
            for piece, at in [
                (p, a) for p, a in zip(pieces, positions, strict=True) if p in repeated
            ]:
                repeated[piece].append(at)
            index.update(repeated)
        self._index = index

    def __contains__(self, quote: str) -> bool:
        needle = normalize(quote)
        if not needle:
            return False
        text, span, step = self.text, self.SPAN, self.STEP
        if len(needle) < span + step - 1:
            return needle in text
        get = self._index.get
        # The common case first: a piece found at one place only, which is checked at once.
        for offset, hits in enumerate(map(get, [needle[at : at + span] for at in range(step)])):
            if isinstance(hits, int) and hits >= offset and text.startswith(needle, hits - offset):
                return True
        last = len(needle) - span
        for offset in range(step):
            rarest: list[int] | None = None
            rarest_at = offset
            for at in range(offset, last + 1, step):
                hits = get(needle[at : at + span])
                if hits is None:
                    rarest = None
                    break
                found = [hits] if isinstance(hits, int) else hits
                if rarest is None or len(found) < len(rarest):
                    rarest, rarest_at = found, at
                    if len(found) == 1:
                        break
            if rarest is None:
                continue
            for position in rarest:
                start = position - rarest_at
                if start >= 0 and text.startswith(needle, start):
                    return True
        return False
