"""``docs/read_datapackage.R`` reads every table with the types the schema declares."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

import india_russia_relations as irr
from india_russia_relations.schema.columns import columns

from .conftest import PACKAGE, REPO

READER = REPO / "docs" / "read_datapackage.R"
DESCRIBE = """
source(commandArgs(TRUE)[1])
tables <- read_datapackage(commandArgs(TRUE)[2])
out <- lapply(tables, function(frame) list(
  rows = nrow(frame),
  classes = lapply(frame, function(column) class(column)[1]),
  levels = lapply(Filter(is.factor, frame), levels),
  nas = lapply(frame, function(column) sum(vapply(column, function(v) length(v) == 1 && is.na(v), logical(1)))),
  lists = lapply(Filter(is.list, frame), function(column) lapply(column, as.list))
))
cat(jsonlite::toJSON(out, auto_unbox = TRUE, null = "null"))
"""
R_CLASSES = {
    "string": "character",
    "partial-date": "character",
    "integer": "integer",
    "number": "numeric",
    "date": "Date",
    "list": "list",
}


@pytest.fixture(scope="module")
def described() -> dict[str, dict[str, object]]:
    rscript = shutil.which("Rscript")
    if rscript is None:
        pytest.skip("R is not installed (Debian: r-base-core r-cran-readr r-cran-jsonlite)")
    result = subprocess.run(
        [rscript, "-e", DESCRIBE, str(READER), str(PACKAGE / "datapackage.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    value: dict[str, dict[str, object]] = json.loads(result.stdout)
    return value


def test_r_reads_every_table_with_every_row(described: dict[str, dict[str, object]]) -> None:
    assert list(described) == list(irr.TABLES)
    for table in irr.TABLES:
        assert described[table]["rows"] == len(irr.records(table))


@pytest.mark.parametrize("table", irr.TABLES)
def test_r_column_types_come_from_the_schema(
    described: dict[str, dict[str, object]], table: str
) -> None:
    expected = {
        c.name: "factor" if c.vocabulary is not None else R_CLASSES[c.kind] for c in columns(table)
    }
    assert described[table]["classes"] == expected


def test_r_factors_have_the_schemas_levels_in_order(
    described: dict[str, dict[str, object]],
) -> None:
    for table in irr.TABLES:
        levels = described[table]["levels"]
        assert isinstance(levels, dict)
        for column in columns(table):
            if column.vocabulary is not None:
                assert levels[column.name] == list(column.vocabulary)


def test_r_empty_cells_are_na_and_lists_are_split(
    described: dict[str, dict[str, object]],
) -> None:
    nas = described["visits"]["nas"]
    assert isinstance(nas, dict)
    assert nas["kind"] == sum(1 for v in irr.records("visits") if v.kind is None)
    assert nas["places"] == 0
    lists = described["visits"]["lists"]
    assert isinstance(lists, dict)
    assert lists["places"] == [list(v.places) for v in irr.records("visits")]
