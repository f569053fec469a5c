"""Checks of the git checkout around a package: what must never be committed.

The build cache (``.irr-cache/``, beside ``pyproject.toml``) belongs to each user and is
git-ignored; committed, it would travel with every clone. ``irr validate`` and
``irr build --check`` report it as an error. Where the package is not in a git checkout,
or ``git`` is not installed, there is nothing to check and nothing is reported.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

from ..problems import Problem

CACHE_FOLDER = ".irr-cache"
"""The build cache's folder, in a checkout's root (beside ``pyproject.toml``)."""
_GIT_SECONDS = 30
"""How long ``git ls-files`` may take before the check gives up (and reports nothing)."""


def _in_git_checkout(folder: Path) -> bool:
    """Whether ``folder`` or a folder above it holds ``.git`` (a folder, or a worktree's file)."""
    try:
        here = folder.resolve()
    except (OSError, RuntimeError):
        return False
    return any((place / ".git").exists() for place in (here, *here.parents))


def tracked_files(checkout: Path, folder: str = CACHE_FOLDER) -> list[str] | None:
    """The paths at or under ``checkout/folder`` that git tracks (relative to ``checkout``),
    or None when it cannot be told: not a git checkout, no ``git``, or ``git`` failed."""
    git = shutil.which("git")
    if git is None or not _in_git_checkout(checkout):
        return None
    try:
        done = subprocess.run(
            # No fsmonitor: a checkout's own configuration never runs a program here.
            [git, "-c", "core.fsmonitor=false", "ls-files", "-z", "--", folder],
            cwd=checkout,
            capture_output=True,
            timeout=_GIT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return sorted(name for name in os.fsdecode(done.stdout).split("\0") if name)


def tracked_cache(checkout: Path, display: str) -> list[Problem]:
    """An error when git tracks files of the build cache in ``checkout``.

    ``display`` is how the cache's folder is shown (and named in the ``git rm`` advice).
    """
    tracked = tracked_files(checkout)
    if not tracked:
        return []
    count = f"{len(tracked)} file" + ("s" if len(tracked) != 1 else "")
    first = tracked[0].removeprefix(CACHE_FOLDER).lstrip("/")
    # A name that is not plain text is not echoed: the folder names the problem.
    shown = os.path.join(display, first) if first and first.isprintable() else display
    return [
        Problem(
            shown,
            1,
            None,
            f"is tracked by git ({count} in {display}/): the build cache belongs to each "
            "user and must never be committed (irr build does not trust one it did not write, "
            f"and irr build --check never reads it); run `git rm -r --cached {shlex.quote(display)}` "
            "and commit",
        )
    ]
