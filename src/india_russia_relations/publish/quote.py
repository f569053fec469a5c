"""Finding words in an archived source text: the exact quote to paste, or the closest passages.

An exact match follows the citation rule of ``checks.provenance`` (any run of whitespace
matches any other; nothing else is normalized), so a quote found here passes ``irr
validate``. Without one, the closest passages are found with the standard library's
``difflib``: windows of the text as many words long as the words sought are ranked by the
words they share (letters and digits only, any case), and the best few are scored by
``SequenceMatcher.ratio`` and widened or narrowed a word at a time while the score rises.
"""

from __future__ import annotations

import difflib
import re
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, islice

from ..checks.provenance import normalize

CONTEXT_WORDS = 6
"""Words of context shown on each side of a passage."""
_SEEDS = 8
"""Passages scored in full after ranking by shared words."""
_BRUTE_FORCE_CHARS = 60
"""Words sought up to this long are scored against every window when no word is shared."""
_BRUTE_FORCE_WINDOWS = 50_000
"""...in a text of at most this many windows (each costs some 30 µs: a second and a half)."""
MIN_SCORE = 0.5
"""Passages less alike than this are not suggested (unless nothing scores higher)."""


@dataclass(frozen=True)
class Passage:
    """A place in a source text: the quote to paste, where it is, and how close it came."""

    quote: str
    """The passage with each run of whitespace as one space: what a citation's quote holds."""
    start: int
    end: int
    """Offsets of the passage in the original text."""
    line: int
    end_line: int
    """Lines of the passage's first and last character (1-based)."""
    context: str
    """The passage in brackets between a few words of the text on each side (normalized)."""
    score: float
    """1.0 for an exact match, else ``difflib.SequenceMatcher.ratio`` with the words sought."""

    def lines(self) -> str:
        """``107`` or ``107-108``."""
        return str(self.line) if self.end_line == self.line else f"{self.line}-{self.end_line}"


class _Text:
    """A text's normal form (``normalize``) and how to map its offsets back to the text.

    Offsets shift only where a run of whitespace is not one character (and at a leading
    run), so only those runs are kept: ``at`` from ``runs[i]`` on is ``at + shifts[i]`` in
    the text. Nothing here is kept per word.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        # ``normalize`` without a list of every word: only whitespace that is not one space
        # is replaced (re's \s is what str.split splits on: both are Py_UNICODE_ISSPACE).
        self.normalized = _OTHER_SPACE.sub(" ", text).strip()
        self._runs: tuple[array[int], array[int]] | None = None

    def _shifts(self) -> tuple[array[int], array[int]]:
        """Where offsets shift, and by how much (found when first needed: a text searched
        in vain never needs them)."""
        if self._runs is None:
            text = self.text
            lead = len(text) - len(text.lstrip())
            runs, shifts = array("q", [0]), array("q", [lead])
            shift = lead
            for run in _LONG_RUN.finditer(text):
                begin, end = run.span()
                if begin == 0 or end == len(text):
                    continue  # the leading run is counted above; a trailing one has no word after
                shift += end - begin - 1
                runs.append(end - shift)
                shifts.append(shift)
            self._runs = runs, shifts
        return self._runs

    def to_text(self, at: int) -> int:
        """The offset in the text of the normalized text's character ``at``.

        A separating space maps to the character after its word (the whitespace run's start).
        """
        runs, shifts = self._shifts()
        return at + shifts[bisect_right(runs, at) - 1]


_LONG_RUN = re.compile(r"\s{2,}")
_OTHER_SPACE = re.compile(r"\s{2,}|[^\S ]")
"""A run of whitespace that is not one space."""


@lru_cache(maxsize=4)
def _read(text: str) -> _Text:
    # ``irr quote`` looks for the exact words and then for the closest: read the text once.
    return _Text(text)


def _before(normalized: str, at: int) -> str:
    """``…six words`` before ``at`` in the normalized text (a word cut by ``at`` counts)."""
    end = at - 1 if at and normalized[at - 1] == " " else at
    cut = end
    for _ in range(CONTEXT_WORDS):
        space = normalized.rfind(" ", 0, cut)
        if space < 0:
            return normalized[:end]
        cut = space
    # A space at ``cut`` has a word before it: the text goes on.
    return "…" + normalized[cut + 1 : end]


def _after(normalized: str, at: int) -> str:
    """``six words…`` from ``at`` in the normalized text (a word cut by ``at`` counts)."""
    begin = at + 1 if normalized[at : at + 1] == " " else at
    cut = begin
    for _ in range(CONTEXT_WORDS):
        space = normalized.find(" ", cut)
        if space < 0:
            return normalized[begin:]
        cut = space + 1
    return normalized[begin : cut - 1] + "…"


def _context(normalized: str, at: int, end: int) -> str:
    """``…six words [the passage] six words…``, the ellipses only where the text goes on.

    ``at`` and ``end`` are the passage's offsets in the normalized text; a passage may start
    or end inside a word, and then no space separates it from its neighbour.
    """
    before, after = _before(normalized, at), _after(normalized, end)
    if before and normalized[at - 1] == " ":
        before += " "
    if after and normalized[end] == " ":
        after = " " + after
    return f"{before}[{normalized[at:end]}]{after}"


def _passages(read: _Text, places: Iterable[tuple[int, int, float]]) -> list[Passage]:
    """The passages between normalized offsets ``(at, end, score)``, ``at`` never decreasing."""
    text, normalized = read.text, read.normalized
    result: list[Passage] = []
    line, counted = 1, 0  # lines before ``counted``: each text is counted through once
    for at, end, score in places:
        start, stop = read.to_text(at), read.to_text(end - 1) + 1
        line += text.count("\n", counted, start)
        counted = start
        result.append(
            Passage(
                quote=normalized[at:end],
                start=start,
                end=stop,
                line=line,
                end_line=line + text.count("\n", start, max(start, stop - 1)),
                context=_context(normalized, at, end),
                score=score,
            )
        )
    return result


def _found(normalized: str, needle: str) -> Iterator[int]:
    """Where ``needle`` starts in the normalized text, overlapping places included."""
    at = normalized.find(needle) if needle else -1
    while at >= 0:
        yield at
        at = normalized.find(needle, at + 1)


def occurrences(text: str, sought: str, limit: int | None = None) -> list[Passage]:
    """Every exact occurrence of ``sought`` in ``text`` under the whitespace rule, in order
    (the first ``limit`` of them when it is given)."""
    read = _read(text)
    needle = normalize(sought)
    found = islice(_found(read.normalized, needle), limit)
    return _passages(read, ((at, at + len(needle), 1.0) for at in found))


def count(text: str, sought: str) -> int:
    """How many times ``sought`` occurs in ``text`` under the whitespace rule."""
    return sum(1 for _ in _found(_read(text).normalized, normalize(sought)))


_CHUNK = 4096
"""Characters of the normalized text split into words at once (bounds the words held, and
the words walked to find where one starts)."""


def _key(word: str) -> str:
    """A word as the ranking compares it: letters and digits only, in lower case."""
    return "".join(char for char in word.casefold() if char.isalnum())


class _Words:
    """The words of a normalized text: the code of each one's key in ``codes`` (an index,
    or ``len(codes)`` for a key not there), and where each starts, found from the start of
    its chunk (a few thousand characters) rather than kept for every word."""

    def __init__(self, normalized: str, codes: dict[str, int]) -> None:
        self.normalized = normalized
        self.keys: list[int] = []
        self.chunks: array[int] = array("q")
        """Where each chunk starts in the normalized text."""
        self.firsts: array[int] = array("q")
        """The number of each chunk's first word."""
        other = len(codes)
        known: dict[str, int] = {}  # a text has few distinct words: each is keyed once
        at = 0
        while at < len(normalized):
            end = normalized.find(" ", min(at + _CHUNK, len(normalized)))
            end = len(normalized) if end < 0 else end
            words = normalized[at:end].split(" ")
            for word in set(words).difference(known):
                known[word] = codes.get(_key(word), other)
            self.chunks.append(at)
            self.firsts.append(len(self.keys))
            self.keys.extend(map(known.__getitem__, words))
            at = end + 1
        self.count = len(self.keys)

    def start(self, word: int) -> int:
        """Where word number ``word`` starts in the normalized text."""
        chunk = bisect_right(self.firsts, word) - 1
        at, find = self.chunks[chunk], self.normalized.find
        for _ in range(word - self.firsts[chunk]):
            at = find(" ", at) + 1
        return at

    def end(self, word: int) -> int:
        """Where word number ``word`` ends in the normalized text."""
        return self.start(word + 1) - 1 if word + 1 < self.count else len(self.normalized)


def closest(text: str, sought: str, limit: int = 3) -> list[Passage]:
    """Up to ``limit`` passages of ``text`` most like ``sought``, best first, none overlapping.

    Each passage is a run of whole words of the text, so its ``quote`` matches exactly.
    Passages scoring under ``MIN_SCORE`` are left out, unless none scores more (then the
    best alone is given, so the caller always sees how far off the words are).
    """
    needle = normalize(sought)
    read = _read(text)
    normalized = read.normalized
    if not needle or not normalized:
        return []
    wanted = Counter(key for key in map(_key, needle.split(" ")) if key)
    codes = {key: code for code, key in enumerate(wanted)}
    words = _Words(normalized, codes)
    count = words.count
    size = min(len(needle.split(" ")), count)
    shared = _shared_words(words.keys, [wanted[key] for key in codes], size)
    words.keys = []  # all the ranking needs is in ``shared``: let the codes go
    most = max(shared)
    if most == 0 and (len(needle) > _BRUTE_FORCE_CHARS or len(shared) > _BRUTE_FORCE_WINDOWS):
        return []  # not one word in common: nothing here is close (or worth a look at each)
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(needle)  # the needle is fixed: SequenceMatcher indexes its second sequence

    scores: dict[tuple[int, int], float] = {}

    def score(first: int, last: int) -> float:
        """The ratio of the window of words ``first`` to ``last`` (memoized)."""
        if (first, last) not in scores:
            matcher.set_seq1(normalized[words.start(first) : words.end(last)])
            scores[first, last] = matcher.ratio()
        return scores[first, last]

    if most == 0:  # a short needle with no word in common: score every window
        ranked = sorted(range(len(shared)), key=lambda i: (-score(i, i + size - 1), i))
    else:
        ranked = _best_ranked(shared, _SEEDS * (2 * size - 1))
    seeds = sorted(_separated(ranked, size, _SEEDS), key=lambda i: (-score(i, i + size - 1), i))[
        : limit + 1
    ]
    found = sorted(
        (_climb(first, first + size - 1, count, score) for first in seeds),
        key=lambda item: (-item[0], item[1]),
    )
    chosen: list[tuple[float, int, int]] = []
    for best, first, last in found:
        if all(last < other_first or first > other_last for _, other_first, other_last in chosen):
            chosen.append((best, first, last))
    kept = [item for item in chosen if item[0] >= MIN_SCORE][:limit] or chosen[:1]
    # Each passage is counted for its line from the text's start: there are at most a few.
    return [
        _passages(read, [(words.start(first), words.end(last), best)])[0]
        for best, first, last in kept
    ]


def _best_ranked(shared: array[int], wanted: int) -> list[int]:
    """The first ``wanted`` window starts in order of most shared words, then position.

    ``_separated`` takes ``_SEEDS`` windows from this order, each ruling out fewer than
    ``2 * size`` others: the first ``_SEEDS * (2 * size - 1)`` of the order are all it can
    reach, and they are found without sorting every window.
    """
    windows = range(len(shared))
    if len(shared) <= wanted:
        return sorted(windows, key=lambda i: (-shared[i], i))
    tally = Counter(shared)
    # The count the ``wanted``-th window has, and how many windows have more: as there are
    # more windows than that, the loop always stops at one.
    threshold, above = 0, 0
    for value in sorted(tally, reverse=True):
        threshold = value
        if above + tally[value] >= wanted:
            break
        above += tally[value]
    picked = list(compress(windows, map(threshold.__lt__, shared)))
    picked += islice(compress(windows, map(threshold.__eq__, shared)), wanted - above)
    return sorted(picked, key=lambda i: (-shared[i], i))


def _shared_words(keys: list[int], wanted: list[int], size: int) -> array[int]:
    """For each window of ``size`` words starting at each word, how many needle words it
    holds; ``keys`` holds each word's code, an index into ``wanted`` (the times each is
    sought), or ``len(wanted)`` for a word not sought."""
    # What each code may still add to a window: it counts while this stays at or above 0.
    # The code of the words not sought starts too low ever to count.
    room = [*wanted, -len(keys) - 1]
    shared = 0
    for key in islice(keys, size):
        room[key] -= 1
        if room[key] >= 0:
            shared += 1
    result = array("q", [shared])
    append = result.append
    for key, gone in zip(islice(keys, size, None), keys, strict=False):
        room[key] -= 1
        if room[key] >= 0:
            shared += 1
        if room[gone] >= 0:
            shared -= 1
        room[gone] += 1
        append(shared)
    return result


def _separated(ranked: list[int], size: int, wanted: int) -> list[int]:
    """The first ``wanted`` window starts of ``ranked`` that do not overlap a better one."""
    chosen: list[int] = []
    for first in ranked:
        if all(abs(first - other) >= size for other in chosen):
            chosen.append(first)
            if len(chosen) == wanted:
                break
    return chosen


def _climb(
    first: int, last: int, count: int, score: Callable[[int, int], float]
) -> tuple[float, int, int]:
    """Move either end of the window (words ``first`` to ``last``) a word at a time while the
    score rises."""
    best = score(first, last)
    while True:
        moves = [
            (a, b)
            for a, b in ((first - 1, last), (first + 1, last), (first, last - 1), (first, last + 1))
            if 0 <= a <= b < count
        ]
        scored = [(score(a, b), a, b) for a, b in moves]
        top = max(scored, default=None)
        if top is None or top[0] <= best:
            return best, first, last
        best, first, last = top
