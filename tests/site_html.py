"""Reading the site's HTML in tests: ids, links, marked passages and the archived text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path


@dataclass
class Page:
    """What a test needs of one HTML page."""

    ids: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    """(tag, URL) of every href and src."""
    marks: list[tuple[str, str]] = field(default_factory=list)
    """(data-c, text) of every mark."""
    archived: str = ""
    """The text of the archived-text block, footnote numbers left out."""
    text: str = ""
    scripts: list[str] = field(default_factory=list)
    """The content of inline scripts, by type."""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._stack: list[str] = []
        self._archived = 0
        self._sup = 0
        self._mark: tuple[str, list[str]] | None = None
        self._script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if "id" in values:
            self.page.ids.append(values["id"])
        for name in ("href", "src"):
            if name in values:
                self.page.links.append((tag, values[name]))
        if tag == "div" and "archived" in values.get("class", "").split():
            self._archived = 1
        elif self._archived and tag == "div":
            self._archived += 1
        if self._archived and tag == "sup":
            self._sup += 1
        if tag == "mark" and "data-c" in values:
            self._mark = (values["data-c"], [])
        if tag == "script" and "src" not in values:
            self._script = []

    def handle_endtag(self, tag: str) -> None:
        if self._archived and tag == "div":
            self._archived -= 1
        if self._archived and tag == "sup":
            self._sup -= 1
        if tag == "mark" and self._mark is not None:
            self.page.marks.append((self._mark[0], "".join(self._mark[1])))
            self._mark = None
        if tag == "script" and self._script is not None:
            self.page.scripts.append("".join(self._script))
            self._script = None

    def handle_data(self, data: str) -> None:
        self.page.text += data
        if self._archived and not self._sup:
            self.page.archived += data
        if self._mark is not None:
            self._mark[1].append(data)
        if self._script is not None:
            self._script.append(data)


def read(path: Path) -> Page:
    """Parse one page of the site."""
    reader = _Reader()
    reader.feed(path.read_text("utf-8"))
    reader.close()
    return reader.page


def words(text: str) -> str:
    """Whitespace collapsed, as quotes are matched."""
    return " ".join(text.split())


def is_external(url: str) -> bool:
    """Whether a link leaves the site (a scheme other than a relative path or data:)."""
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:", url)) and not url.startswith("data:")
