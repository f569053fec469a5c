"""What ``irr build`` derived from the rows last time, kept so that an unchanged package is not read again.

The README's counts, the codebook and the timeline are the generated texts that need every
row. They are kept in ``.irr-cache/build.json`` (beside ``pyproject.toml``, ignored by git)
under one key: the SHA-256 of the descriptor the build makes (which holds the version and
every file's size and hash), of this package's code and of the versions of the libraries
that format and draw them. The same key gives the same texts, so the build stays
deterministic; any change of the data, the code or those libraries computes them again.
The cache only saves time: when it cannot be read or written, everything is computed.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from ..io.files import write_atomic

CACHE = Path(".irr-cache") / "build.json"
"""Where the cache is kept, relative to the repository's root."""
_LIBRARIES = ("pydantic", "pydantic-core", "matplotlib")
"""The libraries whose versions are part of the key: they validate, format or draw."""


def _code_digest() -> str:
    """SHA-256 of every Python file of this package, by path."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _version(library: str) -> str:
    try:
        return metadata.version(library)
    except metadata.PackageNotFoundError:
        return "-"


def key(descriptor: str) -> str:
    """The cache key of a build whose descriptor is ``descriptor`` (its JSON text)."""
    digest = hashlib.sha256(descriptor.encode("utf-8"))
    digest.update(_code_digest().encode())
    for library in _LIBRARIES:
        digest.update(f"\0{library}={_version(library)}".encode())
    digest.update(f"\0python={sys.version_info[0]}.{sys.version_info[1]}".encode())
    return digest.hexdigest()


class BuildCache:
    """The texts kept for one key: read from the cache file when its key is the same.
    With no key, nothing is read or kept: every text is computed."""

    def __init__(self, root: Path, key: str | None) -> None:
        self.path, self.key = root / CACHE, key
        self.texts: dict[str, str] = {}
        self._changed = False
        if key is None:
            return
        try:
            kept = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(kept, dict) and kept.get("key") == key:
            texts = kept.get("texts")
            if isinstance(texts, dict):
                self.texts = {k: v for k, v in texts.items() if isinstance(v, str)}

    def get(self, name: str, make: Callable[[], str]) -> str:
        """The text kept as ``name``, or ``make()``'s (kept from now on)."""
        text = self.texts.get(name)
        if text is None:
            text = self.texts[name] = make()
            self._changed = True
        return text

    def save(self) -> None:
        """Write the cache file when a text was computed; give up quietly when it cannot."""
        if not self._changed or self.key is None:
            return
        kept = {"key": self.key, "texts": dict(sorted(self.texts.items()))}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, json.dumps(kept, ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass
