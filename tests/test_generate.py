"""The benchmarks' generator makes valid packages of the real schema, and finds what it injects."""

from __future__ import annotations

import csv
import io
import sys
from collections import Counter
from pathlib import Path

import pytest

from india_russia_relations.checks.validate import validate
from india_russia_relations.publish.build import expected_files
from india_russia_relations.schema.models import TABLES

from .conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import SHAPES, generate


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


@pytest.mark.parametrize("shape", ["default", "few-sources"])
def test_validation_finds_every_injected_error_on_its_line(tmp_path: Path, shape: str) -> None:
    package = generate(tmp_path / "p", rows=1000, seed=1, inject=True, shape=shape)
    problems = validate(package.datapackage).problems
    assert len(package.injected) == 4
    for error in package.injected:
        assert any(
            str(p.file).endswith(f"data/{error.table}.csv") and p.line == error.line
            for p in problems
        ), error


def test_a_generated_descriptor_and_schemas_are_what_irr_build_writes(generated: Path) -> None:
    root = generated.parent
    ours = {root / "datapackage" / "datapackage.json"}
    ours |= {root / "schemas" / f"{table}.json" for table in TABLES}
    for path, text in expected_files(root).items():
        if path in ours:
            assert path.read_text("utf-8") == text, path.name


@pytest.fixture(scope="module")
def few_sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("few") / "p"
    return generate(root, rows=50_000, seed=1, shape="few-sources").datapackage


def _rows(package: Path, table: str) -> list[dict[str, str]]:
    text = (package / "data" / f"{table}.csv").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_package_of_few_sources_is_valid(few_sources: Path) -> None:
    assert validate(few_sources).problems == []


def test_a_package_of_few_sources_quotes_five_sources_each_about_as_often(
    few_sources: Path,
) -> None:
    cited = Counter(row["source_id"] for row in _rows(few_sources, "citations"))
    assert len(_rows(few_sources, "sources")) == len(cited) == 5
    assert max(cited.values()) < 1.2 * min(cited.values())


def test_a_package_of_few_sources_repeats_each_distinct_quote_about_1500_times(
    few_sources: Path,
) -> None:
    citations = _rows(few_sources, "citations")
    distinct = Counter((row["source_id"], row["quote"]) for row in citations)
    assert 1200 < len(citations) / len(distinct) < 1800


def test_a_package_of_few_sources_has_summaries_at_least_twice_as_long(
    generated: Path, few_sources: Path
) -> None:
    def mean(package: Path) -> float:
        summaries = [row["summary"] for row in _rows(package, "events")]
        return sum(map(len, summaries)) / len(summaries)

    assert 2 <= mean(few_sources) / mean(generated) <= 3.5


@pytest.mark.parametrize("shape", SHAPES)
def test_the_same_seed_and_shape_give_the_same_bytes(tmp_path: Path, shape: str) -> None:
    one = generate(tmp_path / "one", rows=1000, seed=3, shape=shape).datapackage
    two = generate(tmp_path / "two", rows=1000, seed=3, shape=shape).datapackage
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    for relative in files:
        assert (one / relative).read_bytes() == (two / relative).read_bytes()


def test_the_shapes_differ(tmp_path: Path) -> None:
    default = generate(tmp_path / "d", rows=1000, seed=3).datapackage
    few = generate(tmp_path / "f", rows=1000, seed=3, shape="few-sources").datapackage
    citations = "data/citations.csv"
    assert (default / citations).read_bytes() != (few / citations).read_bytes()


def test_an_unknown_shape_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown shape 'round'"):
        generate(tmp_path / "p", rows=1000, shape="round")
