"""Semantic versions, the bump a change needs under the 0.y.z convention, and the changelog."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from india_russia_relations.io.changelog import first_release_date, release_date, releases
from india_russia_relations.publish.versions import Version, check_bump

V = Version.parse


@settings(max_examples=50)
@given(
    st.integers(0, 99),
    st.integers(0, 99),
    st.integers(0, 99),
    st.sampled_from(["", "rc.1", "alpha", "1"]),
)
def test_a_version_survives_printing_and_parsing(
    major: int, minor: int, patch: int, pre: str
) -> None:
    version = Version(major, minor, patch, pre)
    assert Version.parse(str(version)) == version


def test_a_prerelease_sorts_before_its_release() -> None:
    assert V("1.0.0-rc.1") < V("1.0.0") and V("1.0.0-rc.2") < V("1.0.0-rc.10")
    assert V("0.9.9") < V("0.10.0")


def test_a_malformed_version_is_refused() -> None:
    with pytest.raises(ValueError, match="not a semantic version"):
        V("1.2")


@pytest.mark.parametrize(
    ("version", "bump", "expected"),
    [
        ("1.2.3", "major", "2.0.0"),
        ("1.2.3", "minor", "1.3.0"),
        ("1.2.3", "patch", "1.2.4"),
        ("1.2.3", "none", "1.2.3"),
        # 0.y.z: a breaking change bumps y, anything else bumps z (Cargo's convention).
        ("0.1.3", "major", "0.2.0"),
        ("0.1.3", "minor", "0.1.4"),
        ("0.1.3", "patch", "0.1.4"),
        ("0.0.0", "minor", "0.0.1"),
    ],
)
def test_the_bumped_version(version: str, bump: str, expected: str) -> None:
    assert str(V(version).bumped(bump)) == expected  # type: ignore[arg-type]


def test_a_major_change_never_forces_1_0_0() -> None:
    assert V("0.9.0").bumped("major") == V("0.10.0")


def test_a_bump_too_small_for_the_change_fails() -> None:
    check = check_bump("major", V("0.1.0"), V("0.1.0"), V("0.1.1"))
    assert not check.ok and str(check.required) == "0.2.0"
    assert "too small: at least 0.2.0" in check.message()


def test_a_second_change_in_one_unreleased_cycle_needs_no_second_bump() -> None:
    # Released 0.1.0; the first change bumped to 0.1.1; another addition keeps 0.1.1.
    assert check_bump("minor", V("0.1.0"), V("0.1.1"), V("0.1.1")).ok


def test_a_version_never_goes_back() -> None:
    assert not check_bump("none", V("0.1.0"), V("0.3.0"), V("0.2.0")).ok


def test_before_any_release_no_bump_is_required() -> None:
    assert check_bump("major", None, V("0.1.0"), V("0.1.0")).ok


CHANGELOG = """# Changelog

## [Unreleased]

## [0.3.0]

## [0.2.0] - 2027-02-01

## [0.1.0] - 2026-12-01
"""


def test_changelog_headings_give_versions_and_dates() -> None:
    found = [(r.version, r.date) for r in releases(CHANGELOG)]
    assert found == [
        ("0.3.0", None),
        ("0.2.0", dt.date(2027, 2, 1)),
        ("0.1.0", dt.date(2026, 12, 1)),
    ]


def test_the_first_release_date_is_the_earliest_dated_heading() -> None:
    assert first_release_date(CHANGELOG) == dt.date(2026, 12, 1)
    assert release_date(CHANGELOG, "0.3.0") is None


def test_an_impossible_changelog_date_names_its_line() -> None:
    with pytest.raises(ValueError, match=r"CHANGELOG.md:2: 2026-13-01"):
        releases("# x\n## [0.1.0] - 2026-13-01\n")
