"""The README's examples run, its table list is complete, and CI runs its test command."""

from __future__ import annotations

import re

import pytest

from india_russia_relations import TABLES

from .conftest import REPO

README = (REPO / "README.md").read_text("utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


@pytest.mark.parametrize("code", _blocks("python"))
def test_python_examples_run(code: str, capsys: pytest.CaptureFixture[str]) -> None:
    exec(compile(code, "README.md", "exec"), {})


def test_every_table_is_described() -> None:
    described = re.findall(r"^\| `([a-z_]+)` \| [a-z]", README, flags=re.MULTILINE)
    assert described[: len(TABLES)] == list(TABLES)


def test_quick_start_is_two_commands() -> None:
    assert len(_blocks("sh")[:2]) == 2
    install, test = _blocks("sh")[:2]
    assert "irr validate" in install and "pytest" in test


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    test_command = _blocks("sh")[1].strip()
    assert test_command in (REPO / ".ci" / "run").read_text("utf-8").splitlines()
