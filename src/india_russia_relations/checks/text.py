"""Content safety of a cell: no formula start, no invisible or control character, NFC, trimmed."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from itertools import islice

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
    0x85: "NEXT LINE",
}


def character_name(char: str) -> str:
    """``U+001B ESCAPE``: a character's code point and name, as messages give it."""
    code = ord(char)
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(code, "control character")
    return f"U+{code:04X} {name}"


def _bad_character(char: str) -> str:
    return f"contains {character_name(char)}, an invisible or control character; remove it"


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


# --- archived source texts ------------------------------------------------------------------

_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
"""A C0 or C1 control character other than tab and line feed, or a carriage return that does
not end a line (CRLF line endings are kept, as texts are archived byte for byte)."""


def control_in_text(text: str) -> tuple[int, int, str] | None:
    """The first control character a source text may not hold: its line, its column (both
    1-based, in characters) and what to do; None when there is none.

    A terminal runs such characters (ESC starts a sequence that retitles the window or
    clears it) and a page hides them, so a text holding one could not be shown as it is.
    """
    found = _TEXT_CONTROL.search(text)
    if found is None:
        return None
    at = found.start()
    line_start = text.rfind("\n", 0, at) + 1
    line = text.count("\n", 0, at) + 1
    more = sum(1 for _ in islice(_TEXT_CONTROL.finditer(text, at + 1), _MORE_COUNTED))
    char = found.group()
    if char == "\r":
        advice = (
            "a carriage return that does not end a line (old Mac line endings?); "
            "convert its line endings to LF first"
        )
    else:
        starts = " (and the escape sequence it starts)" if char in "\x1b\x9b\x9d" else ""
        advice = (
            f"{character_name(char)}, a control character; an archived text holds none but "
            f"tab and line breaks: remove it{starts}"
        )
    if more:
        advice += f" (and {'at least ' if more == _MORE_COUNTED else ''}{more:,} more like it)"
    return line, at - line_start + 1, advice


_MORE_COUNTED = 10_000
"""How many more control characters a message counts before it says ``or more``."""


_UTF16_ADVICE = "convert the file as received with `iconv -f UTF-16 -t UTF-8`"


def utf16_advice(data: bytes) -> str | None:
    """How to convert ``data`` when it looks like UTF-16 (a byte-order mark, even one read as
    Windows-1252 and saved as UTF-8, or a NUL at every other byte), else None."""
    head = data[:256]
    if head.startswith((b"\xff\xfe", b"\xfe\xff", "\xff\xfe".encode(), "\xfe\xff".encode())):
        return _UTF16_ADVICE
    odd, even = head[1::2], head[0::2]
    for nuls, letters in ((odd, even), (even, odd)):  # UTF-16LE, UTF-16BE
        if len(nuls) >= 2 and nuls.count(0) * 4 >= len(nuls) * 3 >= letters.count(0) * 12:
            return _UTF16_ADVICE
    return None


# --- letters of one script in a word of another ------------------------------------------------

NAMING_COLUMNS = frozenset({"name", "aliases", "title"})
"""The columns whose words are checked for mixed scripts: what records are known and
searched by. Quotes, summaries and notes are not: a quote is the source's own text."""

_WORD = re.compile(r"[^\W\d_]+")
"""A word: a run of letters (anything else, a hyphen or an apostrophe, separates words)."""
_ONE_WRITING = {"HIRAGANA": "CJK", "KATAKANA": "CJK"}
"""Scripts written together within a word, as Japanese mixes kana and kanji."""
_NO_SCRIPT = frozenset({"MODIFIER", "FEMININE", "MASCULINE", "MICRO"})
"""First words of letters' names that name no script (``ʼ`` MODIFIER LETTER APOSTROPHE)."""
_LOOKALIKES = dict(
    zip(
        "аеорсухіјѕԁһӏАВЕКМНОРСТХІЈЅѴΑΒΕΖΗΙΚΜΝΟΡΤΥΧοαν",
        "aeopcyxijsdhlABEKMHOPCTXIJSVABEZHIKMNOPTYXoav",
        strict=True,
    )
)
"""Letters of other scripts that look like a Latin letter, and that letter."""


def _script(char: str) -> str | None:
    """The script of a letter, approximated by the first word of its Unicode name."""
    if unicodedata.category(char) == "Lm":
        return None
    first = unicodedata.name(char, "").split(" ", 1)[0]
    return None if not first or first in _NO_SCRIPT else _ONE_WRITING.get(first, first)


def mixed_script_problem(text: str) -> str | None:
    """A word of ``text`` holding letters of more than one script (``Jаwaharlal`` with a
    Cyrillic ``а``, which looks Latin but sorts, searches and slugs otherwise); None when
    every word is written in one script. A name wholly in another script is fine."""
    if text.isascii():
        return None
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        scripts = [_script(char) for char in word]
        counted = Counter(script for script in scripts if script is not None)
        if len(counted) < 2:
            continue
        # The word's own script is its commonest (Latin first on a tie): the others intrude.
        main = max(counted, key=lambda s: (counted[s], s == "LATIN"))
        odd = [
            char for char, script in zip(word, scripts, strict=True) if script not in (main, None)
        ]
        named = ", ".join(dict.fromkeys(character_name(char) for char in odd))
        fix = "retype it in one script"
        if main == "LATIN" and all(char in _LOOKALIKES for char in odd):
            fixed = "".join(_LOOKALIKES.get(char, char) for char in word)
            fix = f"write it {show(fixed)}, in Latin letters only"
        return (
            f"the word {show(word)} mixes scripts: {named} among {main.title()} letters (a "
            f"letter of another script may look the same, but sorts, searches and makes ids "
            f"otherwise); {fix}"
        )
    return None
