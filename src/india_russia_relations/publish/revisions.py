"""The two sides of ``irr diff``: a package directory, ``empty``, or a git revision.

A revision is read with ``git archive`` into a temporary directory (and its changelog with
``git show``), so the working tree, the index and HEAD are never touched. Each side also
knows its last release: the highest ``vX.Y.Z`` tag it contains or its newest dated
CHANGELOG heading, whichever is higher.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tarfile
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError
from ..io.changelog import released
from ..schema.descriptor import DESCRIPTOR
from .diff import Snapshot, empty_snapshot, read_snapshot
from .versions import ZERO, Version

EMPTY = "empty"
"""The argument that names the empty package."""

_GIT_TIMEOUT = 60


@dataclass(frozen=True)
class Side:
    """One side of a comparison: its package and the last release it contains."""

    snapshot: Snapshot
    release: Version | None
    release_from: str
    """Where the release was found: a tag, CHANGELOG.md, or '' when there is none."""


def _last_release(changelog: str | None, tags: list[str]) -> tuple[Version | None, str]:
    found: list[tuple[Version, str]] = []
    for tag in tags:
        try:
            version = Version.parse(tag.removeprefix("v"))
        except ValueError:
            continue
        if not version.prerelease:
            found.append((version, f"tag {tag}"))
    if changelog is not None:
        try:
            dated = released(changelog)
        except ValueError as err:
            raise DataError(str(err)) from None
        for release in dated:
            try:
                found.append((Version.parse(release.version), "CHANGELOG.md"))
            except ValueError:
                continue
    if not found:
        return None, ""
    return max(found, key=lambda f: f[0]._order())


def _git(checkout: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args], cwd=checkout, capture_output=True, timeout=_GIT_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise DataError(f"git could not run ({err})") from None


def _revision(checkout: Path | None, name: str) -> str | None:
    """The commit ``name`` stands for in the repository at ``checkout``, or None."""
    if checkout is None or name.startswith("-") or shutil.which("git") is None:
        return None
    result = _git(checkout, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}")
    return result.stdout.decode().strip() or None if result.returncode == 0 else None


def _extract(archive: bytes, target: Path) -> None:
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:") as tar:
        # The "data" filter refuses absolute paths, links out of target and special files.
        tar.extractall(target, filter="data")


def _from_revision(checkout: Path, name: str, commit: str, stack: ExitStack) -> Side:
    prefix = _git(checkout, "rev-parse", "--show-prefix").stdout.decode().strip()
    archived = _git(checkout, "archive", "--format=tar", f"{commit}:{prefix}datapackage")
    if archived.returncode != 0:
        raise DataError(f"revision {name} has no datapackage/ ({archived.stderr.decode().strip()})")
    temp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="irr-diff-")))
    root = temp / "datapackage"
    root.mkdir()
    _extract(archived.stdout, root)
    shown = _git(checkout, "show", f"{commit}:{prefix}CHANGELOG.md")
    changelog = shown.stdout.decode("utf-8", errors="replace") if shown.returncode == 0 else None
    tags = _git(checkout, "tag", "--list", "v[0-9]*", "--merged", commit).stdout.decode().split()
    release, found_in = _last_release(changelog, tags)
    label = name[:12] if re.fullmatch(r"[0-9a-f]{40}", name) else name  # a full SHA, shortened
    return Side(read_snapshot(root, label), release, found_in)


def _from_directory(path: Path, label: str) -> Side:
    root = path.parent if path.name == DESCRIPTOR else path
    changelog_path = root.parent / "CHANGELOG.md"
    changelog = (
        changelog_path.read_text(encoding="utf-8", errors="replace")
        if changelog_path.is_file()
        else None
    )
    release, found_in = _last_release(changelog, [])
    return Side(read_snapshot(root, label), release, found_in)


def resolve(argument: str, checkout: Path | None, stack: ExitStack) -> Side:
    """The side named by ``argument``: ``empty``, a package directory, or a git revision.

    Temporary directories live as long as ``stack``. Raises ``DataError`` saying which
    of the three it tried and why each failed.
    """
    if argument == EMPTY:
        return Side(empty_snapshot(), ZERO, "the empty package")
    path = Path(argument)
    if (path / DESCRIPTOR).is_file() or (path.name == DESCRIPTOR and path.is_file()):
        return _from_directory(path, argument)
    commit = _revision(checkout, argument)
    if commit is not None and checkout is not None:
        return _from_revision(checkout, argument, commit, stack)
    where = f"the git repository at {checkout}" if checkout else "a git checkout"
    raise DataError(
        f"{argument!r} is not a package directory (with {DESCRIPTOR}), "
        f"not {EMPTY!r}, and not a revision of {where}"
    )


def working_tree(checkout: Path | None, installed: Path) -> Side:
    """The default NEW side: this checkout's ``datapackage/``, else the installed package."""
    if checkout is not None:
        return _from_directory(checkout / "datapackage", "working tree")
    return Side(read_snapshot(installed, "installed package"), None, "")
