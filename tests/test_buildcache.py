"""The build cache: an unchanged checkout is not read again, and any change is built anew;
a cache irr did not write for this user is never trusted, and ``--check`` never reads one."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from india_russia_relations.checks.validate import validate
from india_russia_relations.cli import main
from india_russia_relations.publish import build, buildcache
from india_russia_relations.publish.build import expected_files, stale, write
from india_russia_relations.publish.buildcache import CACHE, BuildCache
from india_russia_relations.schema.descriptor import DESCRIPTOR

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


FORGED_COUNT = "| 999 |"
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This user's cache folder (where the secret is kept), outside every checkout."""
    folder = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of the files the build reads and writes, with no cache."""
    root = tmp_path / "repo"
    copy_checkout(root, COPIED)
    return root


def _forge(cache: Path) -> None:
    """Change the kept counts to 999 and put a script into the kept timeline, keeping the
    key (anyone can compute it) and whatever else each entry holds."""

    def forged(name: str, text: str) -> str:
        if name == "stats":
            return "\n".join(
                "| "
                + " | ".join(
                    "999" if c.strip().isdigit() else c.strip() for c in row[1:-1].split("|")
                )
                + " |"
                if row.startswith("|")
                else row
                for row in text.split("\n")
            )
        return text.replace("</svg>", SCRIPT + "</svg>") if name == "timeline" else text

    kept = json.loads(cache.read_text("utf-8"))
    for name, entry in kept["texts"].items():
        if isinstance(entry, str):
            kept["texts"][name] = forged(name, entry)
        else:
            entry["text"] = forged(name, entry["text"])
    cache.write_text(json.dumps(kept), "utf-8")


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        [
            "git",
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.org",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
needs_matplotlib = pytest.mark.skipif(
    __import__("importlib").util.find_spec("matplotlib") is None, reason="needs matplotlib"
)


@pytest.fixture
def repository(checkout: Path) -> Path:
    """The checkout as a git repository, built and committed, its cache ignored by git."""
    (checkout / ".gitignore").write_text(".irr-cache/\n", "utf-8")
    write(checkout)
    _git(checkout, "init", "-q")
    _git(checkout, "add", "-A")
    _git(checkout, "commit", "-q", "-m", "built")
    return checkout


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


def test_a_forged_cache_with_its_key_kept_does_not_reach_the_readme(checkout: Path) -> None:
    write(checkout)
    _forge(checkout / CACHE)
    write(checkout)
    assert FORGED_COUNT not in (checkout / "README.md").read_text("utf-8")


@needs_matplotlib
def test_a_forged_cache_with_its_key_kept_does_not_reach_the_timeline(checkout: Path) -> None:
    write(checkout)
    _forge(checkout / CACHE)
    write(checkout)
    assert SCRIPT not in (checkout / "docs" / "timeline.svg").read_text("utf-8")


def test_a_cache_written_for_another_user_is_a_miss(
    checkout: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads: list[str]
) -> None:
    expected_files(checkout)  # kept with this user's secret
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))
    reads.clear()
    built = expected_files(checkout)
    assert "citations" in reads  # computed, not taken from the cache
    assert built == expected_files(checkout, cached=False)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_the_secret_is_kept_outside_the_checkout_readable_by_its_user_only(
    checkout: Path, user_cache: Path
) -> None:
    expected_files(checkout)
    secret = user_cache / "india-russia-relations" / "key"
    assert buildcache.secret_file() == secret
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    kept = secret.read_bytes()
    expected_files(checkout)
    assert secret.read_bytes() == kept  # made once, then reused


def test_a_malformed_secret_is_replaced(user_cache: Path) -> None:
    secret = user_cache / "india-russia-relations" / "key"
    secret.parent.mkdir(parents=True)
    secret.write_text("not hex\n", "ascii")
    made = buildcache.secret()
    assert made is not None and len(made) == buildcache.SECRET_BYTES
    assert secret.read_text("ascii").strip() == made.hex()


def test_without_a_secret_nothing_is_kept_and_the_build_is_whole(
    checkout: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("where the user's cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert expected_files(checkout) == expected_files(checkout, cached=False)
    assert not (checkout / CACHE).exists()


def test_check_neither_reads_nor_writes_the_cache(checkout: Path) -> None:
    write(checkout, cached=False)
    stale(checkout)
    assert not (checkout / CACHE).exists()


def test_check_recomputes_what_even_a_genuine_cache_says(checkout: Path) -> None:
    # A cache of this user's own that holds wrong counts (however it came to) decides nothing.
    write(checkout)
    descriptor = expected_files(checkout, cached=False)[checkout / "datapackage" / DESCRIPTOR]
    cache = BuildCache(checkout, buildcache.key(descriptor))
    forged = cache.texts["stats"].replace("| 5 |", "| 999 |")
    cache.texts["stats"], cache._changed = forged, True
    cache.save()
    readme = checkout / "README.md"
    readme.write_text(build.readme_with_stats(readme.read_text("utf-8"), forged), "utf-8")
    diffs = stale(checkout)
    assert len(diffs) == 1 and "README.md (committed)" in diffs[0]


@needs_git
def test_check_on_a_clone_with_a_forged_committed_cache_finds_the_files_stale(
    repository: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The pull request: a forged cache force-added, and the files a build with it writes.
    _forge(repository / CACHE)
    readme = repository / "README.md"
    stats = json.loads((repository / CACHE).read_text("utf-8"))["texts"]["stats"]
    stats = stats if isinstance(stats, str) else stats["text"]
    readme.write_text(build.readme_with_stats(readme.read_text("utf-8"), stats), "utf-8")
    _git(repository, "add", "-f", str(CACHE), "README.md")
    _git(repository, "commit", "-q", "-m", "forged")
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", str(repository), str(clone))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "reviewer"))
    monkeypatch.chdir(clone)
    assert main(["build", "--check"]) == 1
    out = capsys.readouterr().out
    assert "README.md (committed)" in out and "-| `sources` | 999 |" in out


@needs_git
def test_a_tracked_cache_is_an_error_in_validate(repository: Path) -> None:
    _git(repository, "add", "-f", str(CACHE))
    (problem,) = validate(repository / "datapackage", display="datapackage").problems
    assert problem.file == os.path.join(".irr-cache", "build.json")
    assert "tracked by git" in problem.message
    assert "`git rm -r --cached .irr-cache`" in problem.message


@needs_git
def test_a_tracked_cache_is_an_error_in_build_check(
    repository: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _git(repository, "add", "-f", str(CACHE))
    monkeypatch.chdir(repository)
    assert main(["build", "--check"]) == 1
    out = capsys.readouterr().out
    assert "is tracked by git" in out and "`git rm -r --cached .irr-cache`" in out
    assert "stale" not in out  # the generated files themselves are fresh


@needs_git
def test_an_ignored_cache_is_no_error(
    repository: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (repository / CACHE).is_file()
    assert validate(repository / "datapackage").problems == []
    monkeypatch.chdir(repository)
    assert main(["build", "--check"]) == 0


@needs_git
def test_without_git_the_tracked_cache_check_is_skipped(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _git(repository, "add", "-f", str(CACHE))
    monkeypatch.setenv("PATH", str(repository / "no-such-folder"))
    assert validate(repository / "datapackage").problems == []


def test_outside_a_git_checkout_the_tracked_cache_check_is_skipped(checkout: Path) -> None:
    write(checkout)
    assert validate(checkout / "datapackage").problems == []


def _stale_descriptor(checkout: Path, change: Callable[[bytes], bytes]) -> tuple[str, int]:
    """The one difference ``stale`` shows once ``change`` is made to the built descriptor,
    and the built descriptor's size."""
    write(checkout, cached=False)
    descriptor = checkout / "datapackage" / DESCRIPTOR
    built = descriptor.read_bytes()
    descriptor.write_bytes(change(built))
    (diff,) = stale(checkout)
    return diff, len(built)


def test_check_refuses_a_descriptor_over_the_limit_that_validate_applies(
    checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from india_russia_relations.io import files

    assert build.MAX_FILE_BYTES == files.MAX_FILE_BYTES == 256 * 2**20
    monkeypatch.setattr(build, "MAX_FILE_BYTES", 2**20)  # not to write 256 MiB here
    diff, built = _stale_descriptor(checkout, lambda data: b"\0" * (2**20 + 1))
    assert diff == (
        f"datapackage/{DESCRIPTOR}: 1,048,577 bytes, over the limit of 1,048,576 bytes (1 MiB) "
        f"for a file that is read whole, where the build makes {built:,} bytes: run `irr build`\n"
    )


def test_a_stale_file_with_nul_bytes_is_summarised_in_one_line(checkout: Path) -> None:
    diff, _ = _stale_descriptor(checkout, lambda data: data[:100] + b"\0" * 1000)
    assert diff == f"datapackage/{DESCRIPTOR}: not text (a NUL byte at byte 100): run `irr build`\n"


def test_a_stale_file_that_is_not_utf8_is_summarised_in_one_line(checkout: Path) -> None:
    diff, _ = _stale_descriptor(checkout, lambda data: data[:10] + b"\xff" + data[10:])
    assert diff == f"datapackage/{DESCRIPTOR}: not UTF-8 text (byte 10): run `irr build`\n"


def test_a_stale_file_too_large_to_compare_by_line_is_summarised_in_one_line(
    checkout: Path,
) -> None:
    big = build.DIFF_INPUT_BYTES + 1
    diff, built = _stale_descriptor(checkout, lambda data: b"x" * big)
    assert diff == (
        f"datapackage/{DESCRIPTOR}: {big:,} bytes where the build makes {built:,}, too large "
        f"to show the difference here: run `irr build`, then `git diff datapackage/{DESCRIPTOR}`\n"
    )


def test_a_long_difference_is_cut_saying_how_much_more_there_is(checkout: Path) -> None:
    diff, _ = _stale_descriptor(checkout, lambda data: b"a line\n" * 10_000)
    lines = diff.splitlines()
    assert len(lines) == build.DIFF_LINES + 1
    assert lines[-1].startswith("... ") and "more lines of difference in datapackage/" in lines[-1]


def test_a_long_line_of_a_difference_is_cut(checkout: Path) -> None:
    diff, _ = _stale_descriptor(checkout, lambda data: b"y" * 100_000 + b"\n")
    assert max(len(line) for line in diff.splitlines()) == build.DIFF_LINE_CHARS


def test_control_characters_of_a_committed_file_are_shown_escaped(checkout: Path) -> None:
    diff, _ = _stale_descriptor(checkout, lambda data: b"\x1b]0;TITLE\x07\x1b[2J\r\n" + data)
    assert "\x1b" not in diff and "\x07" not in diff and "\r" not in diff
    assert "-\\x1b]0;TITLE\\x07\\x1b[2J\\x0d\n" in diff


def test_a_generated_path_that_is_not_a_file_is_summarised_in_one_line(checkout: Path) -> None:
    write(checkout, cached=False)
    codebook = checkout / "docs" / "codebook.md"
    codebook.unlink()
    codebook.mkdir()
    (diff,) = stale(checkout)
    assert diff == "docs/codebook.md is not a regular file: remove it, then run `irr build`\n"


def test_check_still_accepts_no_cache(
    checkout: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(checkout)
    monkeypatch.chdir(checkout)
    assert main(["build", "--check", "--no-cache"]) == 0
    assert main(["build", "--check"]) == 0
    assert capsys.readouterr().out == "generated files are up to date\n" * 2


def test_a_readme_that_is_not_utf8_is_named_with_its_byte(
    checkout: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = checkout / "README.md"
    readme.write_bytes(b"# Title\n\xff\n" + readme.read_bytes())
    monkeypatch.chdir(checkout)
    assert main(["build", "--check"]) == 1
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert err == "irr build: README.md is not UTF-8 text (byte 8); save it as UTF-8\n" * 2


def test_a_readme_over_the_limit_is_refused_unread(
    checkout: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from india_russia_relations.io import files

    monkeypatch.setattr(files, "MAX_FILE_BYTES", 2**20)  # not to write 256 MiB here
    readme = checkout / "README.md"
    readme.write_bytes(readme.read_bytes() + b"\n" * 2**20)
    monkeypatch.chdir(checkout)
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("irr build: README.md is ") and "over the limit of 1,048,576" in err


@given(st.dictionaries(st.text(min_size=1), st.text(), max_size=4), st.data())
def test_kept_texts_come_back_whole_and_any_change_to_one_is_a_miss(
    texts: dict[str, str], data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        cache = BuildCache(root, "a key")
        for name, text in texts.items():
            cache.get(name, lambda text=text: text)  # type: ignore[misc]
        cache.save()
        assert BuildCache(root, "a key").texts == texts
        assert BuildCache(root, "another key").texts == {}
        if texts:
            name = data.draw(st.sampled_from(sorted(texts)))
            kept = json.loads((root / CACHE).read_text("utf-8"))
            kept["texts"][name]["text"] += data.draw(st.text(min_size=1))
            (root / CACHE).write_text(json.dumps(kept), "utf-8")
            assert BuildCache(root, "a key").texts == {n: t for n, t in texts.items() if n != name}
