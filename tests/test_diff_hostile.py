"""`irr diff` of a hostile revision ends in a located message, never a crash, and reads no
file over the size limit: the same refusals, in the same words, as `irr validate`."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, BinaryIO

import pytest

from india_russia_relations.checks.validate import validate
from india_russia_relations.cli import main
from india_russia_relations.io import files
from india_russia_relations.publish import revisions

from .test_diff_cli import _git, repo  # noqa: F401  (fixture)

TEXT = "sources/boundless-ocean.txt"
DESCRIPTOR = "datapackage/datapackage.json"


def _commit(root: Path, message: str) -> None:
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", message)


def _diff_error(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """What `irr diff ARGS` says on stderr, having exited 1."""
    assert main(["diff", *args]) == 1
    err = capsys.readouterr().err
    assert "internal error" not in err and "Traceback" not in err
    return err


def _validate_messages(package: Path) -> list[str]:
    return [p.message for p in validate(package).problems]


@pytest.mark.parametrize("target", ["../../../../etc/passwd", "/etc/passwd"])
def test_a_link_out_of_the_package_is_refused_as_validate_refuses_it(
    repo: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    target: str,
) -> None:
    text = repo / "datapackage" / TEXT
    original = text.read_bytes()
    text.unlink()
    os.symlink(target, text)
    _commit(repo, "a link")
    said = f'path "{TEXT}" is a link that leads outside the package'
    assert any(said in message for message in _validate_messages(repo / "datapackage"))
    text.unlink()
    text.write_bytes(original)
    err = _diff_error(["HEAD"], capsys)
    assert err == f"irr diff: HEAD:{DESCRIPTOR}: resource boundless-ocean: {said}\n"


def test_a_link_that_stays_inside_the_package_is_read_as_in_a_checkout(
    repo: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = repo / "datapackage" / TEXT
    original = text.read_bytes()
    (repo / "datapackage" / "sources" / "copy.bin").write_bytes(original)
    text.unlink()
    os.symlink("copy.bin", text)
    _commit(repo, "a link inside")
    (repo / "datapackage" / "sources" / "copy.bin").unlink()
    text.unlink()
    text.write_bytes(original)
    assert main(["diff", "HEAD"]) == 0
    assert "no differences" in capsys.readouterr().out


def _descriptor_text(root: Path, change: Any) -> None:
    path = root / DESCRIPTOR
    path.write_text(change(path.read_text("utf-8")), "utf-8")


def test_a_descriptor_nested_100_000_deep_is_refused_as_validate_refuses_it(
    repo: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    deep = '"deep": ' + "[" * 100_000 + "]" * 100_000 + ", "
    _descriptor_text(repo, lambda text: text.replace('"name": ', deep + '"name": ', 1))
    _commit(repo, "deep")
    said = "is not valid JSON: nested too deeply"
    assert said in _validate_messages(repo / "datapackage")
    assert _diff_error(["HEAD"], capsys) == f"irr diff: HEAD:{DESCRIPTOR}:1: {said}\n"


def test_nan_bytes_are_refused_as_validate_refuses_them(
    repo: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    _descriptor_text(repo, lambda text: re.sub(r'"bytes": \d+', '"bytes": NaN', text, count=1))
    _commit(repo, "nan")
    said = "is not valid JSON: NaN is not allowed in JSON"
    assert said in _validate_messages(repo / "datapackage")
    assert _diff_error(["HEAD", "HEAD"], capsys) == f"irr diff: HEAD:{DESCRIPTOR}:1: {said}\n"


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    repo: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    limit = 1024 * 1024
    monkeypatch.setattr(files, "MAX_FILE_BYTES", limit)
    monkeypatch.setattr(revisions, "MAX_FILE_BYTES", limit)
    text = repo / "datapackage" / TEXT
    original = text.read_bytes()
    text.write_bytes(b"x" * (2 * limit))
    _commit(repo, "a large text")
    big = _git(repo, "rev-parse", f"HEAD:datapackage/{TEXT}").strip()
    text.write_bytes(original)
    read: list[str] = []
    real = revisions._Blobs.write

    def write(self: revisions._Blobs, obj: str, size: int, out: BinaryIO) -> None:
        read.append(obj)
        real(self, obj, size, out)

    monkeypatch.setattr(revisions._Blobs, "write", write)
    err = _diff_error(["HEAD"], capsys)
    assert err == f"irr diff: HEAD:{DESCRIPTOR}: resource boundless-ocean: " + (
        files.too_large(TEXT, 2 * limit) + "\n"
    )
    assert read and big not in read


def test_a_revision_is_read_as_committed(
    repo: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = repo / DESCRIPTOR
    descriptor = json.loads(path.read_text("utf-8"))
    descriptor["title"] = "Another title"
    path.write_text(json.dumps(descriptor), "utf-8")
    _commit(repo, "retitle")
    _git(repo, "checkout", "-q", "HEAD~1", "--", "datapackage")
    assert main(["diff", "HEAD", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert "Another title" in json.dumps(document)
