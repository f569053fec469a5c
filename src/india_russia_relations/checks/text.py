"""Content safety of a cell: no formula start, no invisible or control character, NFC, trimmed."""

from __future__ import annotations

import re
import unicodedata

from ..problems import show

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_BAD_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_NAMES = {
    0x00: "NULL",
    0x09: "CHARACTER TABULATION",
    0x0A: "LINE FEED",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
}


def _bad_character(char: str) -> str:
    code = ord(char)
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(code, "control character")
    return f"contains U+{code:04X} {name}, an invisible or control character; remove it"


def unicode_problem(text: str) -> str | None:
    """An invisible or control character in ``text``, or text not in NFC; None when fine."""
    if text.isascii():  # the common case: only ASCII control characters can be wrong
        if text.isprintable():
            return None
        bad = _ASCII_CONTROL.search(text)
        return None if bad is None else _bad_character(bad.group())
    # isprintable() is False exactly for the bad categories and for spaces other than U+0020,
    # so only text holding one of those needs the look at each character.
    if not text.isprintable():
        for char in text:
            if unicodedata.category(char) in _BAD_CATEGORIES:
                return _bad_character(char)
    if not unicodedata.is_normalized("NFC", text):
        return f"{show(text)} is not in Unicode NFC; normalize it (NFC)"
    return None


def text_problem(text: str) -> str | None:
    """What makes a text cell unsafe or non-canonical, or None when it is fine."""
    if text.startswith(FORMULA_STARTS):
        return (
            f"{show(text)} starts with {show(text[0])}, which spreadsheets run as a formula; "
            "reword it to start otherwise"
        )
    unicode = unicode_problem(text)
    if unicode:
        return unicode
    if text != text.strip():
        return f"{show(text)} has leading or trailing spaces; remove them"
    return None
