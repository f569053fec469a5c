"""``docs/codebook.md`` documents every table and column from the models, and build keeps it fresh."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from india_russia_relations import TABLES
from india_russia_relations.publish.build import stale
from india_russia_relations.publish.codebook import codebook
from india_russia_relations.schema.columns import columns

from .conftest import PACKAGE, REPO

CODEBOOK = (REPO / "docs" / "codebook.md").read_text("utf-8")


def _rows(table: str) -> dict[str, list[str]]:
    section = CODEBOOK.split(f"## `{table}`:", 1)[1].split("\n## ", 1)[0]
    found = {}
    for line in section.splitlines():
        match = re.match(r"^\| `([a-z0-9_]+)` \| (.*) \|$", line)
        cells = match.group(2).split(" | ") if match else []
        if match and len(cells) == 5:  # a column row, not a vocabulary row
            found[match.group(1)] = cells
    return found


def test_committed_codebook_is_what_build_writes() -> None:
    assert codebook(PACKAGE) == CODEBOOK


def test_every_column_has_type_description_rule_and_example() -> None:
    for table in TABLES:
        rows = _rows(table)
        for column in columns(table):
            kind, description, _constraints, missing, example = rows[column.name]
            assert kind and missing and example, (table, column.name)
            assert description == column.description.replace("|", "\\|")


def test_every_vocabulary_value_is_listed_with_its_label() -> None:
    for table in TABLES:
        for column in columns(table):
            for value, label in (column.vocabulary or {}).items():
                assert f"| `{value}` | {label} |" in CODEBOOK


def test_examples_are_real_values_from_the_data() -> None:
    visits = (PACKAGE / "data" / "visits.csv").read_text("utf-8").splitlines()[1]
    first_id = visits.split(",", 1)[0]
    assert _rows("visits")["id"][4] == f"`{first_id}`"


def test_build_check_fails_when_the_codebook_drifts(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    for name in ("datapackage", "schemas", "docs"):
        shutil.copytree(REPO / name, root / name)
    for name in ("pyproject.toml", "README.md", "CHANGELOG.md", "CITATION.cff"):
        shutil.copy(REPO / name, root)
    assert stale(root) == []
    path = root / "docs" / "codebook.md"
    path.write_text(path.read_text("utf-8").replace("Readable identifier", "Some id"), "utf-8")
    (diff,) = stale(root)
    assert "docs/codebook.md (built)" in diff
