"""Semantic versions, the bump a change needs under the 0.y.z convention, and the changelog."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from india_russia_relations.io.changelog import first_release_date, release_date, releases
from india_russia_relations.publish.versions import (
    BUMPS,
    ZERO,
    Version,
    check_bump,
    larger,
)

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


# --- semver 2.0.0, exactly -----------------------------------------------------------------

# Section 11's own example, in increasing precedence.
SEMVER_ORDER = [
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-alpha.beta",
    "1.0.0-beta",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0",
    "2.0.0",
    "2.1.0",
    "2.1.1",
]


@settings(max_examples=100)
@given(st.integers(0, len(SEMVER_ORDER) - 1), st.integers(0, len(SEMVER_ORDER) - 1))
def test_precedence_follows_the_examples_of_semver_section_11(i: int, j: int) -> None:
    a, b = V(SEMVER_ORDER[i]), V(SEMVER_ORDER[j])
    assert (a < b) == (i < j)
    assert (a <= b) == (i <= j)
    assert (a == b) == (i == j)


def test_the_examples_of_semver_section_11_sort_into_their_order() -> None:
    shuffled = list(reversed(SEMVER_ORDER))
    assert [str(v) for v in sorted(map(V, shuffled))] == SEMVER_ORDER


def test_a_version_is_not_less_than_itself() -> None:
    assert not V("1.0.0") < V("1.0.0")
    assert not V("1.0.0-rc.1") < V("1.0.0-rc.1")
    assert V("1.0.0") <= V("1.0.0")


@pytest.mark.parametrize(
    ("lower", "higher"),
    [
        ("1.0.0-2", "1.0.0-11"),  # numeric identifiers compare as numbers
        ("1.0.0-11", "1.0.0-a"),  # numeric identifiers are lower than alphanumeric ones
        ("1.0.0-999", "1.0.0-0a"),  # a digit-led identifier with a letter is alphanumeric
        ("1.0.0-B", "1.0.0-a"),  # alphanumeric identifiers compare in ASCII order
        ("1.0.0-alpha", "1.0.0-alpha.0"),  # more fields are higher when the rest are equal
        ("1.0.0-rc.1", "1.0.0"),  # a pre-release is lower than its release
        ("1.0.0", "1.0.1-alpha"),  # ... and higher than the previous release
        ("1.9.0", "1.10.0"),  # each number compares as a number
        ("1.2.9", "1.2.10"),
        ("9.9.9", "10.0.0"),
    ],
)
def test_one_version_precedes_another(lower: str, higher: str) -> None:
    assert V(lower) < V(higher) and V(lower) <= V(higher)
    assert not V(higher) < V(lower) and not V(higher) <= V(lower)


def test_build_metadata_is_ignored_in_precedence() -> None:
    assert V("1.0.0+20130313144700") == V("1.0.0") == V("1.0.0+exp.sha.5114f85")
    assert not V("1.0.0+b") < V("1.0.0+a") and not V("1.0.0+a") < V("1.0.0+b")
    assert V("1.0.0-beta+exp.sha.5114f85") == V("1.0.0-beta")


@pytest.mark.parametrize(
    "text",
    [
        "1.0.0",
        "0.0.0",
        "10.20.30",
        "1.1.2-prerelease+meta",
        "1.0.0-alpha.beta.1",
        "1.0.0-alpha0.valid",
        "1.0.0-0A.is.legal",
        "1.0.0-x-y-z.--",
        "1.0.0+0.build.1-rc.10000aaa-kk-0.1",
        "1.0.0-0",
        "99999999999999999999.0.0",
    ],
)
def test_a_valid_semantic_version_is_accepted(text: str) -> None:
    assert str(V(text)) == text.partition("+")[0]


@pytest.mark.parametrize(
    "text",
    [
        "1.2",
        "1.2.3x",
        "1.2.3\n",
        " 1.2.3",
        "1.2.3 ",
        "x1.2.3",
        "01.2.3",
        "1.02.3",
        "1.2.03",
        "1.0.0-01",  # a numeric pre-release identifier with a leading zero
        "1.0.0-alpha.01",
        "1.0.0-",
        "1.0.0+",
        "1.0.0-alpha..1",
        "1.0.0+build..1",
        "1.0.0-al_pha",
        "v1.2.3",
        "-1.2.3",
        "1.2.3.4",
    ],
)
def test_an_invalid_semantic_version_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"not a semantic version such as 1\.2\.3"):
        V(text)


@settings(max_examples=100)
@given(
    st.integers(0, 10**6),
    st.integers(0, 10**6),
    st.integers(0, 10**6),
    st.lists(
        st.one_of(
            st.integers(0, 10**6).map(str),
            st.from_regex(r"[0-9]*[A-Za-z-][0-9A-Za-z-]*", fullmatch=True),
        ),
        max_size=3,
    ),
)
def test_any_semantic_version_is_read_back_as_its_parts(
    major: int, minor: int, patch: int, pre: list[str]
) -> None:
    text = f"{major}.{minor}.{patch}" + (f"-{'.'.join(pre)}" if pre else "")
    assert V(text) == Version(major, minor, patch, ".".join(pre))
    with pytest.raises(ValueError):
        V(text + "\n")


def test_the_bumps_are_ordered_smallest_first() -> None:
    assert BUMPS == ("none", "patch", "minor", "major")


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("none", "patch", "patch"),
        ("patch", "minor", "minor"),
        ("minor", "major", "major"),
        ("major", "none", "major"),
        ("minor", "patch", "minor"),
        ("patch", "patch", "patch"),
    ],
)
def test_the_larger_of_two_bumps(a: str, b: str, expected: str) -> None:
    assert larger(a, b) == expected  # type: ignore[arg-type]
    assert larger(b, a) == expected  # type: ignore[arg-type]


def test_the_zero_version_is_0_0_0_and_precedes_every_release() -> None:
    assert Version(0, 0, 0) == ZERO
    assert str(ZERO) == "0.0.0"
    assert ZERO.__lt__(V("0.0.1")) and ZERO.__lt__(V("0.1.0"))
    assert not V("0.0.1") < ZERO


def test_a_first_release_passes_against_the_empty_package() -> None:
    # What `irr diff empty --require-bump` checks: everything was added since 0.0.0.
    for bump, declared in (("minor", "0.0.1"), ("major", "0.1.0"), ("major", "1.0.0")):
        check = check_bump(bump, ZERO, None, V(declared))  # type: ignore[arg-type]
        assert check.ok, (bump, declared)
    assert not check_bump("major", ZERO, None, V("0.0.1")).ok
    assert str(check_bump("major", ZERO, None, V("0.1.0")).required) == "0.1.0"


def test_without_a_declared_version_a_required_bump_fails() -> None:
    check = check_bump("patch", V("1.0.0"), None, None)
    assert not check.ok and check.message().startswith("no version too small")


def test_a_declared_version_equal_to_the_required_one_is_enough() -> None:
    check = check_bump("minor", V("1.2.3"), V("1.2.3"), V("1.3.0"))
    assert check.ok and str(check.required) == "1.3.0"
    assert check.message() == (
        "version 1.3.0 ok: at least 1.3.0 is needed (a minor change since release 1.2.3)"
    )


def test_the_messages_say_why_a_version_is_needed() -> None:
    assert check_bump("none", V("1.2.3"), V("1.2.3"), V("1.2.3")).message() == (
        "version 1.2.3 ok: at least 1.2.3 is needed (no change since release 1.2.3 needs a bump)"
    )
    assert check_bump("major", None, V("0.2.0"), V("0.1.0")).message() == (
        "version 0.1.0 too small: at least 0.2.0 is needed "
        "(nothing released yet, and versions never go back)"
    )
    assert check_bump("major", None, None, V("0.1.0")).message() == (
        "version 0.1.0: nothing released yet, so no bump is required"
    )


def test_the_required_version_is_the_larger_of_the_bump_and_the_old_version() -> None:
    assert str(check_bump("patch", V("1.0.0"), V("1.4.0"), V("1.4.0")).required) == "1.4.0"
    assert str(check_bump("major", V("1.0.0"), V("1.4.0"), V("2.0.0")).required) == "2.0.0"


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
        ("0.0.0", "major", "0.1.0"),
        ("0.1.3-rc.1", "patch", "0.1.4"),
        ("1.2.3-rc.1", "major", "2.0.0"),
        ("1.2.3-rc.1", "minor", "1.3.0"),
        ("1.2.3-rc.1", "patch", "1.2.4"),
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
