"""Shared fixtures: the repository's data package, and throwaway copies of it to break."""

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
