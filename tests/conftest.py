"""Shared fixtures: the repository's data package, and throwaway copies of it to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "datapackage"


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of the repository's data package that a test may modify."""
    target = tmp_path / "datapackage"
    shutil.copytree(PACKAGE, target)
    return target
