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


WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""The characters ``str.split`` splits on (those for which ``str.isspace`` is true)."""


def _normalized(quote: str) -> str:
    """``normalize(quote)``, in less time for a quote that is already normalized."""
    # Every whitespace character but the space is unprintable, so a printable quote with
    # no double space and no space at either end is its own normal form.
    if quote.isprintable() and "  " not in quote and quote[:1] != " " and quote[-1:] != " ":
        return quote
    return normalize(quote)


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


class Quotes(list[str]):
    """Quotes, made from the distinct ones and which of those each is (None: each once, in
    order): where the quotes were gathered knows them distinct, so ``found_in`` need not
    find out again. Not to be changed once made."""

    def __init__(self, distinct: list[str], which: list[int] | None = None) -> None:
        super().__init__(distinct if which is None else map(distinct.__getitem__, which))
        self.distinct, self.which = distinct, which


def found_in(text: str, quotes: list[str]) -> list[bool]:
    """Whether each of ``quotes`` is in ``text`` by the whitespace rule: ``quote in
    QuoteIndex(text)`` for each, in less time for many quotes.

    Each distinct quote is looked up once, so that the time and memory of the look-up
    depend on the distinct quotes, however often each repeats.
    """
    if isinstance(quotes, Quotes):
        found = _found_distinct(text, quotes.distinct)
        return found if quotes.which is None else list(map(found.__getitem__, quotes.which))
    distinct = list(dict.fromkeys(quotes))
    if len(distinct) == len(quotes):
        return _found_distinct(text, quotes)
    verdicts = dict(zip(distinct, _found_distinct(text, distinct), strict=True))
    return [verdicts[quote] for quote in quotes]


def _found_distinct(text: str, quotes: list[str]) -> list[bool]:
    """``found_in`` of quotes that are all different."""
    if len(quotes) >= BATCH_FROM:
        try:
            import numpy  # noqa: F401
            import pyarrow.compute  # noqa: F401
        except ImportError:
            pass
        else:
            return _found_together(text, quotes)
    index = QuoteIndex(text)
    return [quote in index for quote in quotes]


_SEPARATOR = "|"
"""Joins quotes into one string to be checked and encoded at once (any printable character
but the space would do: one that is in a quote makes the check fail, never pass wrongly)."""


def _normalized_all(quotes: list[str]) -> tuple[list[str], str]:
    """``normalize`` of each quote, and those joined by ``_SEPARATOR``; when every quote is
    already normalized, which one look at the joined quotes tells, the quotes themselves."""
    joined = _SEPARATOR.join(quotes)
    if (
        joined.isprintable()
        and "  " not in joined
        and f" {_SEPARATOR}" not in joined
        and f"{_SEPARATOR} " not in joined
        and joined[:1] != " "
        and joined[-1:] != " "
    ):
        return quotes, joined
    needles = [_normalized(q) for q in quotes]
    return needles, _SEPARATOR.join(needles)


def _found_together(raw: str, quotes: list[str]) -> list[bool]:
    """``found_in`` with the pieces of ``QuoteIndex`` hashed, for many quotes.

    The normalized text's pieces at every ``STEP``-th position and each long quote's pieces
    at its first ``2 * STEP`` offsets are hashed with numpy. Wherever a quote occurs, its
    piece at one of the first ``STEP`` offsets has the hash of the text's piece at that
    place, and its piece ``STEP`` further on the hash of the next piece of the text, where
    the quote is that long: each place where both agree is compared with the whole quote
    (a hash only proposes places, or rules out those where it differs; the comparison
    decides).
    """
    import numpy as np

    span, step = QuoteIndex.SPAN, QuoteIndex.STEP
    codes = _normalized_codes(raw)
    text = codes.tobytes().decode("utf-32-le")
    needles, joined = _normalized_all(quotes)
    found = [False] * len(needles)
    lengths = np.fromiter(map(len, needles), dtype=np.int64, count=len(needles))
    for at in np.flatnonzero((lengths > 0) & (lengths < span + step - 1)).tolist():
        found[at] = needles[at] in text
    long = np.flatnonzero(lengths >= span + step - 1)
    blocks = codes.size // step
    if not long.size or blocks < 2:  # nothing to hash, or a text shorter than each long quote
        return found
    powers, inverse = _powers(span + 2 * step), _inverse_powers(2 * step)
    head = span + 2 * step - 1  # the characters that the pieces hashed of each quote cover
    with np.errstate(over="ignore"):  # the hashes are sums modulo 2**64
        block = codes[: blocks * step].astype(np.uint64).reshape(blocks, step) @ powers[:step]
        pieces = block[:-1] + block[1:] * powers[step]
        # Each long quote's first characters, from one encoding of all (zeros past the end).
        all_codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
        all_codes = np.concatenate([all_codes, np.zeros(head, dtype=np.uint32)])
        starts = np.cumsum(lengths + len(_SEPARATOR)) - lengths - len(_SEPARATOR)
        heads = all_codes[starts[long][:, None] + np.arange(head)] * powers[:head]
        # Each piece's hash from prefix sums: (the sum up to its end - the sum up to its
        # start), brought back to powers from 0 by the inverse of the base's power there.
        prefix = np.zeros((long.size, head + 1), dtype=np.uint64)
        np.cumsum(heads, axis=1, out=prefix[:, 1:])
        ends = prefix[:, span : span + 2 * step]
        hashes = (ends - prefix[:, : 2 * step]) * inverse
        first, second = hashes[:, :step].ravel(), hashes[:, step:].ravel()
    hit, at = _places(pieces, first)
    quote_of, offset = hit // step, hit % step
    after = at + 1
    checkable = (lengths[long][quote_of] >= offset + step + span) & (after < pieces.size)
    agree = second[hit] == pieces[np.minimum(after, pieces.size - 1)]
    keep = ~checkable | agree
    places = at[keep] * step - offset[keep]
    for index, start in zip(long[quote_of[keep]].tolist(), places.tolist(), strict=True):
        if not found[index] and start >= 0 and text.startswith(needles[index], start):
            found[index] = True
    return found


def _normalized_codes(text: str) -> Any:
    """The code points of ``normalize(text)`` as a numpy array, computed without splitting
    the text into words: each run of whitespace becomes one space, and the ends are trimmed."""
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    space = np.take(_space_table(), codes, mode="clip")  # higher code points: the last entry
    keep = ~space  # every other character, and each run's first whitespace character
    keep[1:] |= space[1:] & ~space[:-1]
    keep[:1] |= space[:1]
    kept = np.where(space, np.uint32(32), codes)[keep]
    start = 1 if kept.size and kept[0] == 32 else 0
    end = kept.size - 1 if kept.size > start and kept[-1] == 32 else kept.size
    return kept[start:end]


@lru_cache(maxsize=1)
def _space_table() -> Any:
    """Whether each code point up to the highest whitespace one is whitespace, with one
    more entry (False) that stands for every higher code point."""
    import numpy as np

    points = [ord(c) for c in WHITESPACE]
    table = np.zeros(max(points) + 2, dtype=bool)
    table[points] = True
    return table


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
    order = np.argsort(pieces)  # the order among equal hashes does not matter
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


_BASE = 0x9E3779B97F4A7C15
"""The hash's base: odd, so that it has an inverse modulo 2**64."""


@lru_cache(maxsize=1)
def _powers(count: int) -> Any:
    """The powers of the hash's base from 0 to ``2 * count``, modulo 2**64."""
    import numpy as np

    return np.array([pow(_BASE, k, 1 << 64) for k in range(2 * count + 1)], dtype=np.uint64)


@lru_cache(maxsize=1)
def _inverse_powers(count: int) -> Any:
    """The first ``count`` powers of the base's inverse, modulo 2**64."""
    import numpy as np

    inverse = pow(_BASE, -1, 1 << 64)
    return np.array([pow(inverse, k, 1 << 64) for k in range(count)], dtype=np.uint64)
