"""`irr diff` on the command line: git revisions, exit codes and the three formats."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from india_russia_relations.cli import main
from india_russia_relations.publish.diff import compare, read_snapshot
from india_russia_relations.publish.diffreport import markdown, md, word_diff

from .conftest import REPO

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
}


def _git(root: Path, *args: str) -> str:
    import os

    result = subprocess.run(
        ["git", *args],
        cwd=root,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository holding a copy of the package, committed once, as the working dir."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root)
    # Not yet released: the tests date it or tag it themselves.
    (root / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n\n## [0.1.0]\n", "utf-8")
    shutil.copytree(REPO / "datapackage", root / "datapackage")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "first")
    monkeypatch.chdir(root)
    return root


def _set_version(root: Path, version: str) -> None:
    path = root / "datapackage" / "datapackage.json"
    descriptor = json.loads(path.read_text("utf-8"))
    descriptor["version"] = version
    path.write_text(json.dumps(descriptor), encoding="utf-8")


def _drop_last_event(root: Path) -> None:
    path = root / "datapackage" / "data" / "events.csv"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")


def _add_event_copy(root: Path) -> None:
    path = root / "datapackage" / "data" / "events.csv"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    path.write_text("".join(lines) + "zz-" + lines[-1], encoding="utf-8")


def _release(root: Path, tag: str) -> None:
    _git(root, "commit", "-q", "-am", f"release {tag}", "--allow-empty")
    _git(root, "tag", tag)


def test_a_revision_against_the_working_tree_shows_the_change(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _drop_last_event(repo)
    assert main(["diff", "HEAD"]) == 0
    out = capsys.readouterr().out
    assert "IDS REMOVED OR CHANGED (1)" in out and "bump needed: major" in out


def test_reading_a_revision_leaves_the_working_tree_and_head_alone(repo: Path) -> None:
    _drop_last_event(repo)
    status, head = _git(repo, "status", "--porcelain"), _git(repo, "rev-parse", "HEAD")
    assert main(["diff", "HEAD", "--format", "json"]) == 0
    assert _git(repo, "status", "--porcelain") == status
    assert _git(repo, "rev-parse", "HEAD") == head


def test_a_full_commit_id_is_shown_shortened(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    commit = _git(repo, "rev-parse", "HEAD").strip()
    assert main(["diff", commit, "--format", "markdown"]) == 0
    assert capsys.readouterr().out.startswith(f"### Data changes: {commit[:12]} → working tree")


def test_two_revisions_compare(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _add_event_copy(repo)
    _git(repo, "commit", "-q", "-am", "add")
    assert main(["diff", "HEAD~1", "HEAD", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["counts"]["added"] == 1 and document["bump"] == "minor"


def test_require_bump_fails_when_the_version_is_too_small(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _release(repo, "v0.1.0")
    _drop_last_event(repo)
    assert main(["diff", "HEAD"]) == 0  # without --require-bump the exit code ignores the diff
    assert main(["diff", "HEAD", "--require-bump"]) == 1
    assert "at least 0.2.0 is needed" in capsys.readouterr().err


def test_require_bump_passes_with_the_bump_the_change_needs(repo: Path) -> None:
    _release(repo, "v0.1.0")
    _drop_last_event(repo)
    _set_version(repo, "0.2.0")
    assert main(["diff", "HEAD", "--require-bump"]) == 0


def test_the_bump_counts_from_the_last_release_not_from_the_base(repo: Path) -> None:
    _release(repo, "v0.1.0")
    _add_event_copy(repo)
    _set_version(repo, "0.1.1")
    _git(repo, "commit", "-q", "-am", "first change of the cycle")
    path = repo / "datapackage" / "data" / "events.csv"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    path.write_text("".join(lines) + "zzz-" + lines[-1].removeprefix("zz-"), encoding="utf-8")
    assert main(["diff", "HEAD", "--require-bump"]) == 0


def test_a_dated_changelog_heading_counts_as_a_release(repo: Path) -> None:
    changelog = repo / "CHANGELOG.md"
    changelog.write_text(
        changelog.read_text("utf-8").replace("## [0.1.0]", "## [0.1.0] - 2026-12-01"), "utf-8"
    )
    _git(repo, "commit", "-q", "-am", "date the release")
    _add_event_copy(repo)
    assert main(["diff", "HEAD", "--require-bump"]) == 1
    _set_version(repo, "0.1.1")
    assert main(["diff", "HEAD", "--require-bump"]) == 0


def test_empty_as_old_gives_the_first_release(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", "empty", "--summary", "--require-bump"]) == 0
    out = capsys.readouterr().out
    assert "records: " in out and " added in 9 tables" in out
    assert "  + " not in out  # the summary has no record lines


def test_an_unknown_revision_says_what_was_tried(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", "no-such-branch"]) == 1
    err = capsys.readouterr().err
    assert "not a package directory" in err and "not a revision" in err


def test_an_option_like_revision_is_not_passed_to_git(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", "--", "--output=/tmp/x"]) == 1
    assert "not a revision" in capsys.readouterr().err


def test_the_json_output_follows_its_documented_schema(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((REPO / "schemas" / "diff.schema.json").read_text("utf-8"))
    _drop_last_event(repo)
    _add_event_copy(repo)
    for old in ("HEAD", "empty"):
        assert main(["diff", old, "--format", "json"]) == 0
        jsonschema.validate(json.loads(capsys.readouterr().out), schema)


# --- markdown for the pull-request comment ----------------------------------------------------


def test_markdown_escapes_markup_mentions_and_table_pipes() -> None:
    assert md("a | b") == "a \\| b"
    assert md("@someone") == "&#64;someone"
    assert md("<script>") == "&lt;script&gt;"
    assert md("*x* _y_ [l](u) `c` #1") == "\\*x\\* \\_y\\_ \\[l\\](u) \\`c\\` \\#1"
    assert md("two\nlines") == "two lines"


def test_markdown_has_a_summary_a_table_of_counts_and_details_per_table(
    package_copy: Path,
) -> None:
    path = package_copy / "data" / "events.csv"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    diff = compare(read_snapshot(REPO / "datapackage", "main"), read_snapshot(package_copy, "pr"))
    text = markdown(diff)
    assert text.startswith("### Data changes: main → pr\n")
    assert "**Bump needed: major**" in text
    assert "> [!CAUTION]" in text
    assert "| events | 0 | 1 | 0 | 0 |" in text
    assert "<details><summary><b>events</b>: 1 removed</summary>" in text
    assert text.count("<details>") == text.count("</details>") == 1


def test_long_markdown_is_cut_below_the_limit_with_a_note() -> None:
    from india_russia_relations.publish.diff import empty_snapshot

    diff = compare(empty_snapshot(), read_snapshot(REPO / "datapackage", "here"))
    text = markdown(diff, limit=8_000, command="irr diff empty")
    assert len(text) <= 8_000
    assert "more rows not shown" in text and "`irr diff empty`" in text
    assert text.count("<details>") == text.count("</details>")
    assert "**Bump needed: minor**" in text


def test_many_removed_ids_are_cut_too(package_copy: Path) -> None:
    from india_russia_relations.publish.diff import empty_snapshot

    diff = compare(read_snapshot(REPO / "datapackage", "here"), empty_snapshot())
    text = markdown(diff, limit=8_000)
    assert len(text) <= 8_000
    assert "> [!CAUTION]" in text and "more*" in text


def test_removed_source_texts_are_shown_in_every_format() -> None:
    from india_russia_relations.publish.diff import empty_snapshot
    from india_russia_relations.publish.diffreport import text as as_text

    diff = compare(read_snapshot(REPO / "datapackage", "here"), empty_snapshot())
    assert "fdi-paper (sources/fdi-paper.txt): removed, was sha256" in as_text(diff)
    assert "fdi-paper (sources/fdi-paper.txt): removed" in markdown(diff)


def test_a_changed_long_text_is_shown_as_a_word_diff(package_copy: Path) -> None:
    path = package_copy / "data" / "visits.csv"
    text = path.read_text("utf-8")
    changed = text.replace(" went to Moscow ", " travelled to Moscow ", 1)
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    diff = compare(read_snapshot(REPO / "datapackage", "a"), read_snapshot(package_copy, "b"))
    assert "<del>went </del><ins>travelled </ins>" in markdown(diff)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("one two three", "one 2 three"),
        ("", "new text"),
        ("  lead space", "lead  space "),
        ("a b c d e f", "a x c y e z"),
    ],
)
def test_a_word_diff_rebuilds_both_texts(old: str, new: str) -> None:
    pieces = word_diff(old, new)
    assert "".join(t for op, t in pieces if op in "=-") == old
    assert "".join(t for op, t in pieces if op in "=+") == new
