"""The benchmarks' generator makes valid packages of the real schema, and finds what it injects."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from india_russia_relations.checks.validate import validate
from india_russia_relations.publish.build import expected_files

from .conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("gen") / "p", rows=1000, seed=1).datapackage


def test_a_generated_package_is_valid(generated: Path) -> None:
    assert validate(generated).problems == []


def test_a_generated_package_has_the_rows_asked_for(tmp_path: Path) -> None:
    assert sum(generate(tmp_path / "p", rows=2000, seed=1).rows.values()) == 2000


def test_the_same_seed_gives_the_same_bytes(tmp_path: Path, generated: Path) -> None:
    again = generate(tmp_path / "p", rows=1000, seed=1).datapackage
    for path in sorted(generated.rglob("*")):
        if path.is_file():
            assert (again / path.relative_to(generated)).read_bytes() == path.read_bytes()


def test_validation_finds_every_injected_error_on_its_line(tmp_path: Path) -> None:
    package = generate(tmp_path / "p", rows=1000, seed=1, inject=True)
    problems = validate(package.datapackage).problems
    assert len(package.injected) == 4
    for error in package.injected:
        assert any(
            str(p.file).endswith(f"data/{error.table}.csv") and p.line == error.line
            for p in problems
        ), error


def test_a_generated_descriptor_and_schemas_are_what_irr_build_writes(generated: Path) -> None:
    root = generated.parent
    for path, text in expected_files(root).items():
        if path.name.endswith(".json"):
            assert path.read_text("utf-8") == text, path.name
