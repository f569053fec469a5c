"""Within one build, each table file is parsed and validated once, and a changed file again."""

from __future__ import annotations

from pathlib import Path

from india_russia_relations.io.tables import read_once, read_table


def test_inside_read_once_an_unchanged_table_is_parsed_once(
    package_copy: Path, reads: list[str]
) -> None:
    with read_once():
        first = read_table(package_copy, "events")
        second = read_table(package_copy, "events")
    assert reads == ["events"]
    assert first == second and first is not second


def test_a_table_changed_inside_read_once_is_read_again(
    package_copy: Path, reads: list[str]
) -> None:
    path = package_copy / "data" / "countries.csv"
    with read_once():
        before = read_table(package_copy, "countries")
        lines = path.read_text("utf-8").splitlines(keepends=True)
        path.write_text("".join(lines[:-1]), "utf-8")
        after = read_table(package_copy, "countries")
    assert reads == ["countries", "countries"]
    assert len(after) == len(before) - 1


def test_outside_read_once_every_read_parses_the_file(package_copy: Path, reads: list[str]) -> None:
    with read_once():
        read_table(package_copy, "leaders")
    read_table(package_copy, "leaders")
    read_table(package_copy, "leaders")
    assert reads == ["leaders"] * 3
