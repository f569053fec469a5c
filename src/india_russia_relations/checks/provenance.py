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
from typing import Any


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


BATCH_FROM = 2048
"""From this many quotes of one text on, they are looked up together with numpy and pyarrow
where they are installed; fewer are looked up one by one in a ``QuoteIndex``, which costs
less than importing those two."""


def found_in(text: str, quotes: list[str]) -> list[bool]:
    """Whether each of ``quotes`` is in ``text`` by the whitespace rule: ``quote in
    QuoteIndex(text)`` for each, in less time for many quotes."""
    if len(quotes) >= BATCH_FROM:
        try:
            import numpy  # noqa: F401
            import pyarrow.compute  # noqa: F401
        except ImportError:
            pass
        else:
            return _found_together(normalize(text), [normalize(q) for q in quotes])
    index = QuoteIndex(text)
    return [quote in index for quote in quotes]


def _found_together(text: str, needles: list[str]) -> list[bool]:
    """``found_in`` for normalized text and quotes, with the pieces of ``QuoteIndex`` hashed.

    The text's pieces at every ``STEP``-th position and each long quote's pieces at its first
    ``STEP`` offsets are hashed with numpy; wherever a quote occurs, one of its pieces has
    the hash of a piece of the text at that place, so every place whose hash matches is
    compared with the whole quote (a hash only proposes places; the comparison decides).
    """
    import numpy as np

    span, step = QuoteIndex.SPAN, QuoteIndex.STEP
    found = [False] * len(needles)
    long: list[int] = []
    for at, needle in enumerate(needles):
        if len(needle) >= span + step - 1:
            long.append(at)
        elif needle:
            found[at] = needle in text
    blocks = len(text) // step
    if not long or blocks < 2:  # nothing to hash, or a text shorter than each long quote
        return found
    powers = _powers(span)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    with np.errstate(over="ignore"):  # the hashes are sums modulo 2**64
        block = codes[: blocks * step].reshape(blocks, step) @ powers[:step]
        pieces = block[:-1] + block[1:] * powers[step]
        head = b"".join(needles[at][: span + step - 1].encode("utf-32-le") for at in long)
        heads = np.frombuffer(head, dtype=np.uint32).astype(np.uint64).reshape(len(long), -1)
        windows = np.lib.stride_tricks.sliding_window_view(heads, span, axis=1)
        wanted = (windows @ powers[:span]).ravel()
    hit, starts = _places(pieces, wanted)
    starts = starts * step - hit % step
    quote_of = hit // step
    for index, start in zip(quote_of.tolist(), starts.tolist(), strict=True):
        at = long[index]
        if not found[at] and start >= 0 and text.startswith(needles[at], start):
            found[at] = True
    return found


def _places(pieces: Any, wanted: Any) -> tuple[Any, Any]:
    """Every (i, j) where ``wanted[i] == pieces[j]``, as two arrays: a hash table finds the
    first such j, and only hashes that the text repeats are looked for again."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    first = pc.index_in(pa.array(wanted), value_set=pa.array(pieces)).to_numpy(zero_copy_only=False)
    known = ~np.isnan(first) if first.dtype.kind == "f" else np.ones(len(first), dtype=bool)
    hit = np.flatnonzero(known)
    at = first[hit].astype(np.int64)
    order = np.argsort(pieces, kind="stable")
    ranked = pieces[order]
    repeated = np.zeros(len(pieces), dtype=bool)
    same = ranked[1:] == ranked[:-1]
    repeated[order[1:][same]] = repeated[order[:-1][same]] = True
    again = repeated[at]
    if not again.any():
        return hit, at
    queries = hit[again]
    low = np.searchsorted(ranked, wanted[queries], "left")
    counts = np.searchsorted(ranked, wanted[queries], "right") - low
    firsts = np.cumsum(counts) - counts
    rank = np.repeat(low, counts) + np.arange(counts.sum()) - np.repeat(firsts, counts)
    return (
        np.concatenate([hit[~again], np.repeat(queries, counts)]),
        np.concatenate([at[~again], order[rank]]),
    )


@lru_cache(maxsize=1)
def _powers(count: int) -> Any:
    """The first ``count`` powers of the hash's odd base, modulo 2**64."""
    import numpy as np

    base = 0x9E3779B97F4A7C15
    return np.array([pow(base, k, 1 << 64) for k in range(count + 1)], dtype=np.uint64)
