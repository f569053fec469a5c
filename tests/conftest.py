"""Shared fixtures: the repository's data package, throwaway copies of it to break, and a
record of which tables are parsed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# Mutation runs (benchmarks/mutation.py) need the same verdict every time: the same examples,
# and no deadline, which slower mutated code would miss for reasons of its own. They run the
# tests once per mutant, so with fewer examples.
settings.register_profile(
    "mutation", derandomize=True, deadline=None, database=None, max_examples=20
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "datapackage"


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of the repository's data package that a test may modify."""
    target = tmp_path / "datapackage"
    shutil.copytree(PACKAGE, target)
    return target


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's data, schemas, README and metadata, as the working directory."""
    root = tmp_path / "repo"
    copy_checkout(root, ("pyproject.toml", "README.md", "datapackage", "schemas"))
    monkeypatch.chdir(root)
    return root


def copy_checkout(root: Path, names: tuple[str, ...]) -> None:
    """Copy the repository's files and folders ``names`` into the new folder ``root``."""
    root.mkdir()
    for name in names:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tables whose files are parsed from now on, in order."""
    from india_russia_relations.io import tables

    done: list[str] = []
    real = tables.validated_rows

    def counted(path: Path, data: bytes, table: str) -> list[tables.Record]:
        done.append(table)
        return real(path, data, table)

    monkeypatch.setattr(tables, "validated_rows", counted)
    return done
