"""Matching a citation's quotation against its archived source text.

Every run of whitespace (what ``str.split`` splits on, non-breaking spaces and line breaks
included) counts as one space; nothing else is normalized, so curly quotes, dashes and
hyphens must match exactly.
"""

from __future__ import annotations

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
