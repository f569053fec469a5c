"""The build cache: an unchanged checkout is not read again, and any change is built anew."""

from __future__ import annotations

from pathlib import Path

import pytest

from india_russia_relations.publish import buildcache
from india_russia_relations.publish.build import expected_files, stale, write
from india_russia_relations.publish.buildcache import CACHE, BuildCache

from .conftest import copy_checkout

COPIED = (
    "pyproject.toml",
    "README.md",
    "CHANGELOG.md",
    "CITATION.cff",
    "datapackage",
    "schemas",
    "docs",
)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of the files the build reads and writes, with no cache."""
    root = tmp_path / "repo"
    copy_checkout(root, COPIED)
    return root


def test_a_second_build_of_an_unchanged_checkout_reads_only_the_sources(
    checkout: Path, reads: list[str]
) -> None:
    first = expected_files(checkout)
    assert (checkout / CACHE).is_file()
    reads.clear()
    assert expected_files(checkout) == first
    assert reads == ["sources"]  # for the descriptor, which holds the texts' titles


def test_what_the_cache_gives_is_what_the_build_computes(checkout: Path) -> None:
    expected_files(checkout)
    assert expected_files(checkout) == expected_files(checkout, cached=False)


def test_a_changed_row_is_built_anew(checkout: Path) -> None:
    expected_files(checkout)
    events = checkout / "datapackage" / "data" / "events.csv"
    header, first, rest = events.read_text("utf-8").split("\n", 2)
    changed = first.replace(",", ",Renamed ", 1)  # the first event's title
    events.write_text(f"{header}\n{changed}\n{rest}", "utf-8")
    built = expected_files(checkout)
    assert built == expected_files(checkout, cached=False)
    assert "Renamed" in built[checkout / "docs" / "codebook.md"]  # its example title


def test_a_changed_key_is_built_anew(checkout: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected_files(checkout)
    kept = (checkout / CACHE).read_bytes()
    monkeypatch.setattr(buildcache, "_code_digest", lambda: "other code")
    expected_files(checkout)
    assert (checkout / CACHE).read_bytes() != kept  # kept anew under the new key


def test_the_key_covers_the_descriptor_the_code_and_the_libraries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = buildcache.key("{}")
    assert buildcache.key('{"version": "2"}') != base
    monkeypatch.setattr(buildcache, "_code_digest", lambda: "other code")
    assert buildcache.key("{}") != base
    monkeypatch.undo()
    monkeypatch.setattr(buildcache, "_version", lambda library: "0")
    assert buildcache.key("{}") != base


@pytest.mark.parametrize("content", [b"", b"not json", b"[1, 2]", b'{"key": 1, "texts": []}'])
def test_an_unreadable_cache_is_ignored(checkout: Path, content: bytes) -> None:
    (checkout / CACHE).parent.mkdir()
    (checkout / CACHE).write_bytes(content)
    assert expected_files(checkout) == expected_files(checkout, cached=False)


def test_a_cache_that_cannot_be_written_leaves_the_build_whole(checkout: Path) -> None:
    (checkout / CACHE).parent.write_text("a file where the cache's folder would be")
    assert expected_files(checkout) == expected_files(checkout, cached=False)


def test_a_hand_edited_generated_file_is_stale_however_warm_the_cache(checkout: Path) -> None:
    write(checkout)
    codebook = checkout / "docs" / "codebook.md"
    codebook.write_text(codebook.read_text("utf-8") + "an edit\n", "utf-8")
    diffs = stale(checkout)
    assert len(diffs) == 1
    assert "+an edit" not in diffs[0] and "-an edit" in diffs[0]


def test_without_a_key_nothing_is_read_or_kept(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path, None)
    assert cache.get("text", lambda: "made") == "made"
    cache.save()
    assert not (tmp_path / CACHE).exists()
