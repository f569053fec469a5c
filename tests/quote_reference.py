"""The closest-passage and occurrence search as first written, one window and one passage
at a time in whole-text slices: slow (quadratic in the matches), plainly right, and kept
here as the reference that ``publish.quote`` must agree with."""

# ruff: noqa
from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from india_russia_relations.checks.provenance import normalize, spans, words

CONTEXT_WORDS = 6
"""Words of context shown on each side of a passage."""
_SEEDS = 8
"""Passages scored in full after ranking by shared words."""
_BRUTE_FORCE_CHARS = 60
"""Words sought up to this long are scored against every window when no word is shared."""
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


def _context(text: str, start: int, end: int) -> str:
    """``…six words [the passage] six words…``, the ellipses only where the text goes on."""
    left, right = text[:start].split(), text[end:].split()
    before = " ".join(left[-CONTEXT_WORDS:])
    after = " ".join(right[:CONTEXT_WORDS])
    # A passage may start or end inside a word: then no space separates it from its neighbour.
    if before and text[start - 1].isspace():
        before += " "
    if after and text[end].isspace():
        after = " " + after
    if len(left) > CONTEXT_WORDS:
        before = "…" + before
    if len(right) > CONTEXT_WORDS:
        after += "…"
    return f"{before}[{normalize(text[start:end])}]{after}"


def _passage(text: str, start: int, end: int, score: float) -> Passage:
    """The passage of ``text`` between original offsets ``start`` and ``end``."""
    return Passage(
        quote=normalize(text[start:end]),
        start=start,
        end=end,
        line=text.count("\n", 0, start) + 1,
        end_line=text.count("\n", 0, max(start, end - 1)) + 1,
        context=_context(text, start, end),
        score=score,
    )


def occurrences(text: str, sought: str) -> list[Passage]:
    """Every exact occurrence of ``sought`` in ``text`` under the whitespace rule, in order."""
    return [_passage(text, start, end, 1.0) for start, end in spans(sought, text)]


def _key(word: str) -> str:
    """A word as the ranking compares it: letters and digits only, in lower case."""
    return "".join(char for char in word.casefold() if char.isalnum())


def closest(text: str, sought: str, limit: int = 3) -> list[Passage]:
    """Up to ``limit`` passages of ``text`` most like ``sought``, best first, none overlapping.

    Each passage is a run of whole words of the text, so its ``quote`` matches exactly.
    Passages scoring under ``MIN_SCORE`` are left out, unless none scores more (then the
    best alone is given, so the caller always sees how far off the words are).
    """
    needle = normalize(sought)
    index = words(text)
    text_words = index.normalized.split(" ") if index.normalized else []
    count = len(text_words)
    if not needle or count == 0:
        return []
    size = min(len(needle.split(" ")), count)
    keys = [_key(word) for word in text_words]
    shared = _shared_words(keys, [_key(word) for word in needle.split(" ")], size)
    if max(shared) == 0 and len(needle) > _BRUTE_FORCE_CHARS:
        return []  # not one word in common: nothing here is close
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(needle)  # the needle is fixed: SequenceMatcher indexes its second sequence
    ends = [at + len(word) for at, word in zip(index.in_normalized, text_words, strict=True)]
    scores: dict[tuple[int, int], float] = {}

    def score(first: int, last: int) -> float:
        """The ratio of the window of words ``first`` to ``last`` (memoized)."""
        if (first, last) not in scores:
            matcher.set_seq1(index.normalized[index.in_normalized[first] : ends[last]])
            scores[first, last] = matcher.ratio()
        return scores[first, last]

    starts = range(count - size + 1)
    if max(shared) == 0:  # a short needle with no word in common: score every window
        ranked = sorted(starts, key=lambda i: (-score(i, i + size - 1), i))
    else:
        ranked = sorted(starts, key=lambda i: (-shared[i], i))
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
    return [
        _passage(
            text,
            index.to_text(index.in_normalized[first]),
            index.to_text(ends[last] - 1) + 1,
            best,
        )
        for best, first, last in kept
    ]


def _shared_words(keys: list[str], needle: list[str], size: int) -> list[int]:
    """For each window of ``size`` words starting at each word, how many needle words it holds."""
    wanted = Counter(key for key in needle if key)
    have: Counter[str] = Counter()
    shared = 0
    result: list[int] = []
    for position, key in enumerate(keys):
        if key in wanted:
            have[key] += 1
            if have[key] <= wanted[key]:
                shared += 1
        if position >= size:
            gone = keys[position - size]
            if gone in wanted:
                if have[gone] <= wanted[gone]:
                    shared -= 1
                have[gone] -= 1
        if position >= size - 1:
            result.append(shared)
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
