"""What ``irr build`` derived from the rows last time, kept so that an unchanged package is not read again.

The README's counts, the codebook and the timeline are the generated texts that need every
row. They are kept in ``.irr-cache/build.json`` (beside ``pyproject.toml``, ignored by git)
under one key: the SHA-256 of the descriptor the build makes (which holds the version and
every file's size and hash), of this package's code and of the versions of the libraries
that format and draw them. The same key gives the same texts, so the build stays
deterministic; any change of the data, the code or those libraries computes them again.

Anyone can compute the key, so the key alone would let a cache that came with a checkout
(committed, copied, unpacked) decide what the build writes. Each text is therefore
authenticated with an HMAC-SHA256 under a secret of the user's own, kept outside every
checkout (``$XDG_CACHE_HOME/india-russia-relations/key``, default ``~/.cache``, created
with mode 0600): a text irr did not write for this user is simply a miss, and is computed.
``irr build --check`` never reads the cache at all: it proves freshness by recomputing.
The cache only saves time: when it (or the secret) cannot be read or written, everything is
computed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from ..checks.checkout import CACHE_FOLDER
from ..io.files import write_atomic

CACHE = Path(CACHE_FOLDER) / "build.json"
"""Where the cache is kept, relative to the repository's root."""
_LIBRARIES = ("pydantic", "pydantic-core", "matplotlib")
"""The libraries whose versions are part of the key: they validate, format or draw."""
SECRET_BYTES = 32
"""The size of the user's secret that authenticates the kept texts."""


def secret_file() -> Path:
    """Where the user's secret is kept: in the user's cache folder, outside every checkout."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    folder = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return folder / "india-russia-relations" / "key"


def _read_secret(path: Path) -> bytes | None:
    try:
        text = path.read_text(encoding="ascii").strip()
        found = bytes.fromhex(text)
    except (OSError, ValueError):
        return None
    return found if len(found) == SECRET_BYTES else None


def secret() -> bytes | None:
    """The user's secret, made (mode 0600) on first use; None when it cannot be read or made."""
    try:
        path = secret_file()
    except RuntimeError:  # no home folder
        return None
    found = _read_secret(path)
    if found is not None:
        return found
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".key.")  # mode 0600
        try:
            with os.fdopen(fd, "w", encoding="ascii") as file:
                file.write(secrets.token_hex(SECRET_BYTES) + "\n")
                file.flush()
                os.fsync(file.fileno())
            if path.exists():  # unreadable or malformed: replace it
                os.replace(temp, path)
            else:
                try:  # never over the secret another build made at the same time
                    os.link(temp, path)
                except FileExistsError:
                    pass
                except OSError:  # a file system without hard links
                    os.replace(temp, path)
        finally:
            Path(temp).unlink(missing_ok=True)
    except OSError:
        return None
    return _read_secret(path)


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


def _mac(secret: bytes, key: str, name: str, text: str) -> str:
    """The HMAC of the text ``name`` kept under ``key``: bound to both, so none can be moved."""
    message = f"{key}\0{name}\0{text}".encode("utf-8", "surrogatepass")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


class BuildCache:
    """The texts kept for one key: read from the cache file when its key is the same and
    each text's HMAC under the user's secret holds. With no key, or no secret, nothing is
    read or kept: every text is computed."""

    def __init__(self, root: Path, key: str | None) -> None:
        self.path, self.key = root / CACHE, key
        self.texts: dict[str, str] = {}
        self._changed = False
        self._secret = secret() if key is not None else None
        if key is None or self._secret is None:
            return
        try:
            kept = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if not isinstance(kept, dict) or kept.get("key") != key:
            return
        entries = kept.get("texts")
        if not isinstance(entries, dict):
            return
        for name, entry in entries.items():
            if not isinstance(entry, dict):
                continue
            text, mac = entry.get("text"), entry.get("mac")
            if (
                isinstance(text, str)
                and isinstance(mac, str)
                and hmac.compare_digest(
                    mac.encode("utf-8", "surrogatepass"),
                    _mac(self._secret, key, name, text).encode(),
                )
            ):
                self.texts[name] = text

    def get(self, name: str, make: Callable[[], str]) -> str:
        """The text kept as ``name``, or ``make()``'s (kept from now on)."""
        text = self.texts.get(name)
        if text is None:
            text = self.texts[name] = make()
            self._changed = True
        return text

    def save(self) -> None:
        """Write the cache file when a text was computed; give up quietly when it cannot."""
        if not self._changed or self.key is None or self._secret is None:
            return
        entries = {
            name: {"mac": _mac(self._secret, self.key, name, text), "text": text}
            for name, text in sorted(self.texts.items())
        }
        kept = {"key": self.key, "texts": entries}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, json.dumps(kept, ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass
