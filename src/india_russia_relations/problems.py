"""A located problem: the file, line and field that are wrong, and how to fix them."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any, SupportsIndex

_MAX_SHOWN = 60

SHOWN = 5
"""How many problems of one kind a file lists one by one; one more line sums up the rest."""


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
    more: int = 0
    """How many more problems of the same kind in the same file this one sums up (they are
    not listed); 0 for a problem that stands for itself alone."""
    last_line: int | None = None
    """With ``more``: the line of the last problem it sums up."""

    @property
    def count(self) -> int:
        """How many problems this one stands for: itself and the ``more`` it sums up."""
        return 1 + self.more

    def _text(self) -> str:
        message = f"{self.field}: {self.message}" if self.field else self.message
        if self.more:
            message += f" (and {self.more:,} more like it, up to line {self.last_line:,})"
        return message

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self._text()}"

    def as_dict(self) -> dict[str, object]:
        """The problem as a JSON-ready object."""
        return asdict(self)

    def as_github(self) -> str:
        """The problem as a GitHub Actions error annotation."""
        message = self._text()
        message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        file = self.file.replace(",", "%2C").replace(":", "%3A")
        return f"::error file={file},line={self.line}::{message}"


def to_json(problems: list[Problem]) -> str:
    """Problems as a JSON array, one object per problem listed (a summary counts ``more``)."""
    return json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2)


def total(problems: Iterable[Problem]) -> int:
    """How many problems ``problems`` stand for, those summed up included."""
    return sum(p.count for p in problems)


_VALUE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[0-9][0-9,]*')
"""What varies between problems of one kind: a quoted value (as ``show`` writes it), a number."""
_INDEX = re.compile(r"\[[^\]]*\]")
"""What varies between fields of one kind: a resource's name or an item's index."""


def kind(problem: Problem) -> Hashable:
    """What problems of one kind share: the file, the field and the message but for its values."""
    field = problem.field
    if field and "[" in field:
        field = _INDEX.sub("[]", field)
    return problem.file, field, _VALUE.sub("#", problem.message), problem.fixable


class Problems(list[Problem]):
    """Problems as they are found, bounded: at most ``SHOWN`` of each kind per file are kept
    one by one, and one more problem of the kind sums up the rest (its ``more`` counts them).

    So memory follows the kinds of problems, not their number. Problems are listed in the
    order found; a summary stands where the first problem past the few was found. Adding a
    summary (of another list) to the kind's own sums them up together.
    """

    def __init__(self, problems: Iterable[Problem] = ()) -> None:
        super().__init__()
        self._listed: dict[Hashable, int] = {}
        """Per kind, how many problems are kept one by one."""
        self._summaries: dict[Hashable, int] = {}
        """Per kind past its few, where its summary is in the list."""
        self.extend(problems)

    def append(self, problem: Problem) -> None:
        key = kind(problem)
        listed = self._listed.get(key, 0)
        if listed < SHOWN and not problem.more:
            self._listed[key] = listed + 1
            super().append(problem)
            return
        at = self._summaries.get(key)
        if at is None:
            self._summaries[key] = len(self)
            super().append(problem)
            return
        held = self[at]
        first = problem if problem.line < held.line else held
        last = max(held.last_line or held.line, problem.last_line or problem.line)
        more = held.more + 1 + problem.more
        # Built directly: dataclasses.replace costs several times more, once per problem.
        self[at] = Problem(
            first.file, first.line, first.field, first.message, first.fixable, more, last
        )

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.append(problem)

    def __iadd__(self, problems: Iterable[Problem]) -> Problems:  # type: ignore[override,misc]
        self.extend(problems)
        return self

    def repeated(self, problem: Problem, lines: int) -> None:
        """Add ``problem`` as found on each of ``lines`` lines from its own on, at once."""
        one_by_one = min(lines, SHOWN + 1)
        for offset in range(one_by_one):
            self.append(replace(problem, line=problem.line + offset))
        if lines > one_by_one:
            last = problem.line + lines - 1
            rest = lines - one_by_one
            self.append(replace(problem, line=last - rest + 1, more=rest - 1, last_line=last))

    def sort(self, *, key: Callable[[Problem], Any] | None = None, reverse: bool = False) -> None:
        summaries = {id(self[at]): found for found, at in self._summaries.items()}
        super().sort(key=key, reverse=reverse)
        self._summaries = {
            summaries[id(problem)]: at
            for at, problem in enumerate(self)
            if id(problem) in summaries
        }

    def insert(self, index: SupportsIndex, problem: Problem) -> None:
        raise TypeError("Problems are added in the order found: use append")

    def __reduce__(self) -> tuple[type[Problems], tuple[list[Problem]]]:
        return Problems, (list(self),)
