"""Where irr writes its outputs: ``--force`` replaces irr's own files and nothing else.

A site or a Parquet export records what irr wrote in ``.irr-manifest.json``; over it,
``--force`` replaces those files and keeps every other entry (a gh-pages checkout's ``.git``
and ``CNAME``). Two commands writing one output take turns, and a bad place for an output
gets a message that names it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from india_russia_relations.cli import main
from india_russia_relations.io import outputs
from india_russia_relations.io.outputs import MANIFEST, OutputError
from india_russia_relations.publish.annotations import unusable_base
from india_russia_relations.publish.export import ExportError, export
from india_russia_relations.publish.site import SiteError, build
from india_russia_relations.schema.models import TABLES

from .conftest import PACKAGE

# --- helpers ---------------------------------------------------------------------------


def _manifest(directory: Path) -> dict[str, object]:
    document: dict[str, object] = json.loads((directory / MANIFEST).read_text("utf-8"))
    return document


def _files(directory: Path) -> dict[str, str]:
    files = _manifest(directory)["files"]
    assert isinstance(files, dict)
    return files


def _whole(directory: Path) -> bool:
    """Whether every file the manifest names is there with its SHA-256, and the manifest is complete."""
    files = _files(directory)
    return (
        bool(files)
        and _manifest(directory)["complete"] is True
        and all(
            (directory / p).is_file()
            and hashlib.sha256((directory / p).read_bytes()).hexdigest() == h
            for p, h in files.items()
        )
    )


def _gh_pages(directory: Path) -> None:
    """What a person keeps in a gh-pages worktree beside the site."""
    (directory / ".git" / "objects").mkdir(parents=True)
    (directory / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (directory / "CNAME").write_text("irr.example.org\n")
    (directory / "keep.txt").write_text("mine\n")
    (directory / ".nojekyll").write_text("")


def _errors(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "internal error" not in err and "Traceback" not in err
    return err


# --- a site over a gh-pages worktree ---------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("jinja2")
    out = tmp_path_factory.mktemp("site") / "out"
    build(PACKAGE, out)
    return out


@pytest.fixture(scope="module")
def forced(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An earlier site in a gh-pages worktree, with a stale page of irr's and a person's
    page among irr's, replaced with ``--force``."""
    out = tmp_path_factory.mktemp("forced") / "out"
    shutil.copytree(site, out)
    _gh_pages(out)
    (out / "records" / "my-notes.html").write_text("a page of mine")
    (out / "gone").mkdir()
    (out / "gone" / "old.html").write_text("a page an earlier site had")
    document = _manifest(out)
    document["files"] = {**_files(out), "gone/old.html": "0" * 64}
    (out / MANIFEST).write_text(json.dumps(document))
    build(PACKAGE, out, force=True)
    return out


def test_a_site_records_every_file_it_wrote_in_its_manifest(site: Path) -> None:
    written = {
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file() and p.name != MANIFEST
    }
    assert set(_files(site)) == written
    assert _whole(site)
    assert _manifest(site)["kind"] == "site"


def test_the_lock_of_a_site_lies_beside_it_not_in_it(site: Path) -> None:
    assert (site.parent / ".out.irr-lock").is_file()
    assert not [p for p in site.rglob("*") if "irr-lock" in p.name]


def test_a_site_written_over_the_current_directory_keeps_its_lock_outside(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "pages"
    shutil.copytree(site, out)
    _gh_pages(out)
    monkeypatch.chdir(out)
    assert main(["site", ".", "--force", "--package", str(PACKAGE)]) == 0
    assert not [p.name for p in out.iterdir() if "irr-lock" in p.name]
    assert (tmp_path / ".pages.irr-lock").is_file()
    assert (out / ".git" / "HEAD").is_file() and _whole(out)


def test_force_keeps_the_git_repository_of_a_gh_pages_worktree(forced: Path) -> None:
    assert (forced / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert (forced / ".git" / "objects").is_dir()


def test_force_keeps_cname_nojekyll_and_a_persons_files(forced: Path) -> None:
    assert (forced / "CNAME").read_text() == "irr.example.org\n"
    assert (forced / ".nojekyll").is_file()
    assert (forced / "keep.txt").read_text() == "mine\n"
    assert (forced / "records" / "my-notes.html").read_text() == "a page of mine"


def test_force_removes_the_files_of_the_earlier_site_that_the_new_one_lacks(forced: Path) -> None:
    assert not (forced / "gone").exists()


def test_force_leaves_a_whole_site_that_names_only_its_own_files(forced: Path, site: Path) -> None:
    assert _whole(forced)
    assert _files(forced) == _files(site)


def test_force_over_a_site_of_the_earlier_format_keeps_what_is_not_a_site_file(
    site: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    shutil.copytree(site, out)
    (out / MANIFEST).unlink()  # as sites were written before they carried a manifest
    _gh_pages(out)
    (out / "about.html").write_text("<p>my own page, not irr's</p>")
    build(PACKAGE, out, force=True)
    assert (out / "CNAME").is_file() and (out / ".git" / "HEAD").is_file()
    assert (out / "keep.txt").is_file()
    assert (out / "about.html").read_text() == "<p>my own page, not irr's</p>"
    assert _whole(out)


def test_force_over_a_fresh_gh_pages_worktree_writes_the_site_beside_git(tmp_path: Path) -> None:
    pytest.importorskip("jinja2")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".git").write_text("gitdir: /elsewhere/.git/worktrees/out\n")  # a worktree's .git file
    (out / "CNAME").write_text("irr.example.org\n")
    assert main(["site", str(out), "--force", "--package", str(PACKAGE)]) == 0
    assert (out / ".git").read_text() == "gitdir: /elsewhere/.git/worktrees/out\n"
    assert _whole(out)


def test_force_refuses_to_write_over_a_file_irr_did_not_write(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    shutil.copytree(site, out)
    document = _manifest(out)
    document["files"] = {p: h for p, h in _files(out).items() if p != "search.html"}
    (out / MANIFEST).write_text(json.dumps(document))
    (out / "search.html").write_text("my search page")
    (out / "CNAME").write_text("irr.example.org\n")
    args = ["site", str(out), "--force", "--package", str(PACKAGE)]
    assert main(args) == 1
    err = _errors(capsys)
    assert f"{out / 'search.html'} is in the way" in err
    assert (out / "search.html").read_text() == "my search page"
    assert (out / "CNAME").is_file()


@pytest.mark.parametrize("named", ["../outside.txt", ".git/config", "CNAME", "/etc/passwd"])
def test_a_manifest_naming_what_irr_never_writes_is_refused(
    named: str, site: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    shutil.copytree(site, out)
    (out / ".git").mkdir()
    (out / ".git" / "config").write_text("[core]\n")
    (out / "CNAME").write_text("irr.example.org\n")
    (tmp_path / "outside.txt").write_text("mine")
    document = _manifest(out)
    document["files"] = {**_files(out), named: "0" * 64}
    (out / MANIFEST).write_text(json.dumps(document))
    with pytest.raises(SiteError, match=rf"{MANIFEST}: files: .* irr never writes|not a plain"):
        build(PACKAGE, out, force=True)
    assert (out / ".git" / "config").is_file() and (out / "CNAME").is_file()
    assert (tmp_path / "outside.txt").is_file()


def test_force_refuses_a_directory_that_holds_no_output_of_irr(tmp_path: Path) -> None:
    out = tmp_path / "thesis"
    out.mkdir()
    (out / "index.html").write_text("<h1>my thesis</h1>")
    with pytest.raises(SiteError, match=f"holds no site written by irr \\(no {MANIFEST}\\)"):
        build(PACKAGE, out, force=True)
    assert (out / "index.html").read_text() == "<h1>my thesis</h1>"


def test_two_sites_written_at_once_leave_one_whole_site_and_the_repository(
    site: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    shutil.copytree(site, out)
    _gh_pages(out)
    command = [sys.executable, "-m", "india_russia_relations", "site", str(out), "--force"]
    runs = [
        subprocess.Popen(
            [*command, "--package", str(PACKAGE)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [(*run.communicate(timeout=300), run.returncode) for run in runs]
    for _, err, code in results:
        assert code == 0, err
    assert _whole(out)
    assert (out / ".git" / "HEAD").is_file() and (out / "CNAME").is_file()
    assert (out / "keep.txt").is_file()


# --- the Parquet export ----------------------------------------------------------------


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_force_keeps_a_persons_parquet_files_beside_the_export(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    out = tmp_path / "pq"
    export(PACKAGE, "parquet", out)
    (out / "mydata.parquet").write_bytes(b"PAR1 mine")
    (out / "nested.parquet").mkdir()
    (out / "nested.parquet" / "part-0.parquet").write_bytes(b"PAR1 mine too")
    export(PACKAGE, "parquet", out, force=True)
    assert (out / "mydata.parquet").read_bytes() == b"PAR1 mine"
    assert (out / "nested.parquet" / "part-0.parquet").read_bytes() == b"PAR1 mine too"
    assert set(_files(out)) == {f"{table}.parquet" for table in TABLES}
    assert _whole(out)


def test_force_over_a_parquet_export_of_the_earlier_format_keeps_the_persons_files(
    tmp_path: Path,
) -> None:
    pytest.importorskip("pyarrow")
    out = tmp_path / "pq"
    export(PACKAGE, "parquet", out)
    (out / MANIFEST).unlink()  # as exports were written before they carried a manifest
    (out / "mydata.parquet").write_bytes(b"PAR1 mine")
    export(PACKAGE, "parquet", out, force=True)
    assert (out / "mydata.parquet").read_bytes() == b"PAR1 mine"
    assert _whole(out)


def test_the_parquet_directory_is_created_with_the_users_umask(
    tmp_path: Path, umask_022: None
) -> None:
    pytest.importorskip("pyarrow")
    export(PACKAGE, "parquet", tmp_path / "pq")
    assert stat.S_IMODE((tmp_path / "pq").stat().st_mode) == 0o755


def test_a_new_folder_for_an_output_is_created_with_the_users_umask(
    tmp_path: Path, umask_022: None
) -> None:
    export(PACKAGE, "json", tmp_path / "new" / "irr.json")
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o755


# --- bad places for an output ------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["export", "--format", "json", "{f}/x.json"],
        ["export", "--format", "sqlite", "{f}/sub/x.db"],
        ["export", "--format", "annotations", "{f}/x.jsonld"],
        ["plot", "timeline", "{f}/t.svg"],
    ],
)
def test_an_output_below_a_regular_file_is_refused_naming_the_file(
    args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "f"
    blocker.write_text("a file")
    argv = [a.format(f=blocker) for a in args]
    assert main([*argv, "--package", str(PACKAGE)]) == 1
    assert f"{blocker} is a file, not a directory" in _errors(capsys)
    assert blocker.read_text() == "a file"


def test_a_site_below_a_regular_file_is_refused_naming_the_file(tmp_path: Path) -> None:
    blocker = tmp_path / "f"
    blocker.write_text("a file")
    with pytest.raises(SiteError, match=f"{blocker} is a file, not a directory"):
        build(PACKAGE, blocker / "site")


def test_plot_over_a_directory_with_force_says_to_name_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "pictures.svg"
    folder.mkdir()
    assert main(["plot", "timeline", str(folder), "--force", "--package", str(PACKAGE)]) == 1
    assert f"{folder} is a directory; this command writes a file" in _errors(capsys)
    assert folder.is_dir()


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_an_output_in_a_place_that_cannot_be_written_is_refused_naming_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["export", "--format", "sqlite", "/proc/x.db", "--package", str(PACKAGE)]) == 1
    assert "/proc/x.db: cannot write in /proc" in _errors(capsys)


# --- irr plot: the suffix names the format ---------------------------------------------------


def test_plot_to_a_png_name_writes_a_png(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "t.png"
    assert main(["plot", "timeline", str(out), "--package", str(PACKAGE)]) == 0
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_plot_to_another_suffix_is_refused_with_the_suffixes_it_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "t.pdf"
    assert main(["plot", "timeline", str(out), "--package", str(PACKAGE)]) == 2
    assert "name a file ending in .svg or .png" in _errors(capsys)
    assert not out.exists()


# --- --base-url ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)//",
        "data:text/html,<script>alert(1)</script>",
        "//example.org/",
        "https://",
        "example.org/irr/",
        "https://example.org/\x1b[2J",
        "https://example.org/irr/?a=1",
        'https://example.org/"><script>alert(1)</script>',
        "https://example.org\\@evil.example/",
    ],
)
@pytest.mark.parametrize(
    "command", [["site", "{out}"], ["export", "--format", "annotations", "{out}"]]
)
def test_a_base_url_that_is_not_an_http_url_is_a_usage_error(
    url: str, command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    argv = [a.format(out=out) for a in command]
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--base-url", url, "--package", str(PACKAGE)])
    assert exit_.value.code == 2
    assert "--base-url" in _errors(capsys)
    assert not out.exists()


def test_the_library_refuses_a_javascript_base_url_too(tmp_path: Path) -> None:
    with pytest.raises(SiteError, match="--base-url"):
        build(PACKAGE, tmp_path / "out", base_url="javascript:alert(1)//")
    with pytest.raises(ExportError, match="--base-url"):
        export(PACKAGE, "annotations", tmp_path / "a.jsonld", base_url="javascript:alert(1)//")


@pytest.mark.parametrize(
    "url", ["https://example.org/irr/", "http://localhost:8000", "HTTPS://x.io"]
)
def test_an_http_base_url_is_taken(url: str) -> None:
    assert unusable_base(url) is None


_urlish = st.one_of(
    st.text(max_size=40),
    st.builds(
        "".join,
        st.tuples(
            st.sampled_from(["http", "https", "HTTPS", "javascript", "data", "ftp", "", "http:"]),
            st.sampled_from(["://", ":", ":/", "//", ":///"]),
            st.text(max_size=12),
            st.sampled_from(["", "/", "/irr/", ":8000/", "?q", "#top"]),
        ),
    ),
)


@given(_urlish)
def test_a_base_url_taken_is_always_absolute_http_with_a_host(url: str) -> None:
    if unusable_base(url) is None:
        parts = urlsplit(url)
        assert parts.scheme.lower() in ("http", "https") and parts.hostname
        assert not any(ord(c) < 0x21 or 0x7F <= ord(c) <= 0x9F for c in url)
        assert not set('"<>\\^`{|}') & set(url)


# --- the manifest ----------------------------------------------------------------------------

_segment = st.text(
    st.characters(codec="utf-8", exclude_characters="/\\\x00"), min_size=1, max_size=12
).filter(lambda s: s not in (".", "..", ".git", "CNAME", MANIFEST, ".nojekyll"))


@given(
    st.dictionaries(
        st.lists(_segment, min_size=1, max_size=3).map("/".join),
        st.text("0123456789abcdef", min_size=64, max_size=64),
        max_size=8,
    )
)
def test_a_manifest_reads_back_the_files_it_names(files: dict[str, str]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as work:
        (Path(work) / MANIFEST).write_bytes(outputs.manifest_bytes("site", files))
        assert outputs.read_manifest(Path(work), "site") == files


def test_a_manifest_of_another_kind_is_refused(tmp_path: Path) -> None:
    (tmp_path / MANIFEST).write_bytes(outputs.manifest_bytes("parquet", {}))
    with pytest.raises(OutputError, match='names a "parquet" output, not a site'):
        outputs.read_manifest(tmp_path, "site")


def test_an_interrupted_update_says_so_and_the_next_force_finishes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    outputs.write_directory(out, {"a.txt": b"1", "b.txt": b"2"}, kind="test", force=False)
    (out / "CNAME").write_text("irr.example.org\n")
    calls = []
    real = outputs.write_atomic

    def full_disk(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 3:  # the manifest, a.txt, then the disk is full
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(outputs, "write_atomic", full_disk)
    new = {"a.txt": b"10", "b.txt": b"20", "c/d.txt": b"30"}
    with pytest.raises(OutputError, match=r"No space left on device.*says it is incomplete"):
        outputs.write_directory(out, new, kind="test", force=True)
    assert _manifest(out)["complete"] is False
    monkeypatch.setattr(outputs, "write_atomic", real)
    outputs.write_directory(out, new, kind="test", force=True)
    assert _whole(out) and set(_files(out)) == set(new)
    assert (out / "CNAME").is_file()
