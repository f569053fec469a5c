"""``docs/codebook.md`` documents every table and column from the models, and build keeps it fresh."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


# --- a value from the data is shown literally, whatever it holds ------------------------------

HOSTILE_PUBLISHER = "Pub ` <img src=x onerror=alert(1)>"


def _render(markdown: str) -> str:
    import markdown_it

    return str(markdown_it.MarkdownIt("commonmark").enable("table").render(markdown))


def test_a_value_holding_a_backtick_and_html_is_a_code_span_not_html(package_copy: Path) -> None:
    table = package_copy / "data" / "sources.csv"
    data = table.read_text("utf-8")
    table.write_text(data.replace("Boundless Ocean of Politics,", f"{HOSTILE_PUBLISHER},", 1))
    (row,) = [
        line for line in codebook(package_copy).splitlines() if line.startswith("| `publisher`")
    ]
    assert row.endswith(f"| ``{HOSTILE_PUBLISHER}`` |")
    page = _render(row)
    assert "<img" not in page
    assert f"<code>{html.escape(HOSTILE_PUBLISHER, quote=False)}</code>" in page


@given(st.text(alphabet=st.sampled_from(["`", " ", "a", "<", ">", "&", "é"]), min_size=1))
def test_a_code_span_shows_any_text_as_it_is(text: str) -> None:
    from india_russia_relations.publish.codebook import _code

    page = _render(_code(text))
    shown = re.fullmatch(r"<p><code>(.*)</code></p>\n", page, re.DOTALL)
    assert shown is not None, page
    assert html.unescape(shown.group(1)) == text


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("plain", "`plain`"),
        ("a ` b", "``a ` b``"),
        ("`starts", "`` `starts ``"),
        ("ends ``", "``` ends `` ```"),
        (" both ", "`  both  `"),
    ],
)
def test_a_code_span_is_fenced_by_one_backtick_more_than_its_longest_run(
    text: str, span: str
) -> None:
    from india_russia_relations.publish.codebook import _code

    assert _code(text) == span
