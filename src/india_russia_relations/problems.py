"""A located problem: the file, line and field that are wrong, and how to fix them."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import asdict, dataclass

_MAX_SHOWN = 60


def show(value: str) -> str:
    """Quote a value for a message: truncated, with invisible and control characters escaped."""
    text = value if len(value) <= _MAX_SHOWN else value[: _MAX_SHOWN - 1] + "…"
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}:
            out.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""The C0 and C1 control characters, DEL among them, but tab and line feed."""


def inert(text: str) -> str:
    """``text`` with each control character but tab and line feed written as ``\\u001b``, so
    that nothing echoed to a terminal can move its cursor, retitle it or clear it."""
    if _CONTROLS.search(text) is None:
        return text
    return _CONTROLS.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the package, located as precisely as it can be."""

    file: str
    line: int
    field: str | None
    message: str
    fixable: bool = False
    """Whether ``irr fmt`` repairs it."""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:"
        return f"{where} {self.field}: {self.message}" if self.field else f"{where} {self.message}"

    def as_dict(self) -> dict[str, object]:
        """The problem as a JSON-ready object."""
        return asdict(self)

    def as_github(self) -> str:
        """The problem as a GitHub Actions error annotation."""
        message = f"{self.field}: {self.message}" if self.field else self.message
        message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        file = self.file.replace(",", "%2C").replace(":", "%3A")
        return f"::error file={file},line={self.line}::{message}"


def to_json(problems: list[Problem]) -> str:
    """Problems as a JSON array, one object per problem."""
    return json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2)
