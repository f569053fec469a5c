"""Semantic versions of the data: parsing, ordering, and the version a bump requires.

Semver's own rule for ``0.y.z`` is that anything may change; we follow the convention
Cargo and npm's caret ranges use for it, so that a user can still pin a compatible range
before 1.0.0: while the major version is 0, a breaking change bumps ``y`` (0.1.3 → 0.2.0)
and any other change bumps ``z`` (0.1.3 → 0.1.4). From 1.0.0 on, major, minor and patch
mean what semver says. No bump ever demands 1.0.0: leaving initial development is a
decision, made by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Bump = Literal["none", "patch", "minor", "major"]
BUMPS: tuple[Bump, ...] = ("none", "patch", "minor", "major")
"""The bumps, smallest first."""

_NUMBER = r"(?:0|[1-9][0-9]*)"
_IDENTIFIER = rf"(?:{_NUMBER}|[0-9]*[A-Za-z-][0-9A-Za-z-]*)"
"""A pre-release identifier: a number without leading zeros, or one that is not a number."""
_VERSION = re.compile(
    rf"({_NUMBER})\.({_NUMBER})\.({_NUMBER})"
    rf"(?:-({_IDENTIFIER}(?:\.{_IDENTIFIER})*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?"
)
"""Semver 2.0.0's grammar, matched against the whole text (``fullmatch``)."""


def larger(a: Bump, b: Bump) -> Bump:
    """The larger of two bumps."""
    return a if BUMPS.index(a) >= BUMPS.index(b) else b


@dataclass(frozen=True)
class Version:
    """A semantic version ``MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]``."""

    major: int
    minor: int
    patch: int
    prerelease: str = ""

    @classmethod
    def parse(cls, text: str) -> Version:
        """Parse ``text``; raise ``ValueError`` saying what a version looks like.

        The whole text must be the version: no space or line break around it, no leading
        zero in a number, and build metadata (``+...``) is read but ignored, as in precedence.
        """
        match = _VERSION.fullmatch(text)
        if match is None:
            raise ValueError(f"{text!r} is not a semantic version such as 1.2.3")
        major, minor, patch, pre = match.groups()
        return cls(int(major), int(minor), int(patch), pre or "")

    def __str__(self) -> str:
        core = f"{self.major}.{self.minor}.{self.patch}"
        return f"{core}-{self.prerelease}" if self.prerelease else core

    def _order(self) -> tuple[object, ...]:
        # A pre-release sorts before its release; its identifiers compare numerically
        # when they are digits, otherwise as text, numbers first (semver §11).
        pre = tuple(
            (0, int(part), "") if part.isdigit() else (1, 0, part)
            for part in self.prerelease.split(".")
            if self.prerelease
        )
        return (self.major, self.minor, self.patch, 0 if pre else 1, pre)

    def __lt__(self, other: Version) -> bool:
        return self._order() < other._order()

    def __le__(self, other: Version) -> bool:
        return self._order() <= other._order()

    def bumped(self, bump: Bump) -> Version:
        """The smallest release after this one that a change of size ``bump`` needs."""
        if bump == "none":
            return self
        if self.major == 0:
            if bump == "major":
                return Version(0, self.minor + 1, 0)
            return Version(0, self.minor, self.patch + 1)
        if bump == "major":
            return Version(self.major + 1, 0, 0)
        if bump == "minor":
            return Version(self.major, self.minor + 1, 0)
        return Version(self.major, self.minor, self.patch + 1)


ZERO = Version(0, 0, 0)
"""The version of the empty package, before any release."""


@dataclass(frozen=True)
class BumpCheck:
    """Whether a declared version is large enough for the change since the last release."""

    needed: Bump
    release: Version | None
    """The last release before the change; None when nothing has been released yet."""
    required: Version | None
    declared: Version | None
    ok: bool

    def message(self) -> str:
        """One line saying what was required and whether the declared version meets it."""
        declared = "no version" if self.declared is None else f"version {self.declared}"
        if self.required is None:
            return f"{declared}: nothing released yet, so no bump is required"
        since = (
            "nothing released yet, and versions never go back"
            if self.release is None
            else f"a {self.needed} change since release {self.release}"
            if self.needed != "none"
            else f"no change since release {self.release} needs a bump"
        )
        verdict = "ok" if self.ok else "too small"
        return f"{declared} {verdict}: at least {self.required} is needed ({since})"


def check_bump(
    needed: Bump, release: Version | None, old: Version | None, declared: Version | None
) -> BumpCheck:
    """Check ``declared`` against the bump ``needed`` since ``release``.

    The bump counts from the last release, not from the compared version, so that a second
    change in one unreleased cycle needs no second bump; a version never goes back below
    ``old``. With no release at all, only that last rule applies.
    """
    floor = [v for v in (old,) if v is not None]
    if release is not None:
        floor.append(release.bumped(needed))
    required = max(floor, key=Version._order) if floor else None
    ok = required is None or (declared is not None and required <= declared)
    return BumpCheck(needed, release, required, declared, ok)
