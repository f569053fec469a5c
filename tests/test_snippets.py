"""The README's snippets for pandas, polars, DuckDB and R give every column the schema's type."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import india_russia_relations as irr
from india_russia_relations.publish.export import export
from india_russia_relations.publish.snippets import (
    SNIPPET_TABLE,
    duckdb_snippet,
    markdown,
    pandas_snippet,
    polars_snippet,
    r_snippet,
)
from india_russia_relations.schema.columns import columns

from .conftest import PACKAGE, REPO

README = (REPO / "README.md").read_text("utf-8")
COLUMNS = columns(SNIPPET_TABLE)
ROWS = len(irr.records(SNIPPET_TABLE))


def _run(code: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.chdir(REPO)
    namespace: dict[str, Any] = {}
    exec(compile(code, "snippet", "exec"), namespace)
    return namespace


def test_the_readme_holds_the_generated_snippets() -> None:
    assert markdown() in README


def test_pandas_snippet_sets_every_dtype(monkeypatch: pytest.MonkeyPatch) -> None:
    pd = pytest.importorskip("pandas")
    frame = _run(pandas_snippet(), monkeypatch)[SNIPPET_TABLE]
    assert len(frame) == ROWS
    for column in COLUMNS:
        dtype = frame[column.name].dtype
        if column.vocabulary is not None:
            assert isinstance(dtype, pd.CategoricalDtype)
            assert list(dtype.categories) == list(column.vocabulary)
        elif column.kind == "date":
            assert str(dtype) == "datetime64[s]"
        elif column.kind == "list":
            assert all(isinstance(v, list) for v in frame[column.name])
        else:
            assert str(dtype) == "string", column.name


def test_polars_snippet_sets_every_dtype(monkeypatch: pytest.MonkeyPatch) -> None:
    pl = pytest.importorskip("polars")
    frame = _run(polars_snippet(), monkeypatch)[SNIPPET_TABLE]
    assert frame.height == ROWS
    for column in COLUMNS:
        dtype = frame.schema[column.name]
        if column.vocabulary is not None:
            assert dtype == pl.Enum(list(column.vocabulary))
        elif column.kind == "date":
            assert dtype == pl.Date
        elif column.kind == "list":
            assert dtype == pl.List(pl.String)
            assert frame[column.name].null_count() == 0
        else:
            assert dtype == pl.String, column.name


def test_duckdb_snippet_sets_every_type(monkeypatch: pytest.MonkeyPatch) -> None:
    duckdb = pytest.importorskip("duckdb")
    monkeypatch.chdir(REPO)
    described = duckdb.sql("DESCRIBE " + duckdb_snippet().rstrip().rstrip(";")).fetchall()
    types = {row[0]: row[1] for row in described}
    for column in COLUMNS:
        if column.vocabulary is not None:
            assert types[column.name].startswith("ENUM(")
        else:
            expected = {"date": "DATE", "list": "VARCHAR[]"}.get(column.kind, "VARCHAR")
            assert types[column.name] == expected, column.name
    ((count,),) = duckdb.sql(
        f"SELECT count(*) FROM ({duckdb_snippet().rstrip().rstrip(';')})"
    ).fetchall()
    assert count == ROWS


def test_r_snippet_reads_typed_columns() -> None:
    rscript = shutil.which("Rscript")
    if rscript is None:
        pytest.skip("R is not installed (Debian: r-base-core r-cran-readr r-cran-jsonlite)")
    result = subprocess.run(
        [rscript, "-e", r_snippet()], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert f"[{ROWS} × {len(COLUMNS)}]" in result.stdout
    assert "Factor w/ 6 levels" in result.stdout and "Date[1:" in result.stdout


def _join_example() -> str:
    (sql,) = [b for b in re.findall(r"```sql\n(.*?)```", README, re.DOTALL) if "JOIN records" in b]
    return sql


def test_the_readme_join_runs_in_sqlite_and_duckdb(tmp_path: Path) -> None:
    import sqlite3

    expected = sum(1 for c in irr.records("citations") if c.stance == "contradicts")
    export(PACKAGE, "sqlite", tmp_path / "irr.db")
    rows = sqlite3.connect(tmp_path / "irr.db").execute(_join_example()).fetchall()
    assert len(rows) == expected > 0
    duckdb = pytest.importorskip("duckdb")
    export(PACKAGE, "duckdb", tmp_path / "irr.duckdb")
    with duckdb.connect(str(tmp_path / "irr.duckdb"), read_only=True) as db:
        assert len(db.execute(_join_example()).fetchall()) == expected
