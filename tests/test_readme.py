"""The README's examples run, its table list is complete, and CI runs its test command."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from typing import Any

import pytest

import india_russia_relations as irr
from india_russia_relations import TABLES
from india_russia_relations.schema.columns import header

from .conftest import REPO

README = (REPO / "README.md").read_text("utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def _run(code: str, capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, Any], str]:
    """Run one example; return the names it defined and what it printed."""
    names: dict[str, Any] = {}
    exec(compile(code, "README.md", "exec"), names)
    return names, capsys.readouterr().out


def _records_example(names: dict[str, Any], out: str) -> None:
    first = names["first"]
    assert names["visits"] == irr.records("visits") and first == names["visits"][0]
    citations = irr.citations_for(first.id)
    sources = irr.sources_for(first.id)
    assert citations and sources
    printed = [f"{c.source_id} {c.stance} {c.quote}" for c in citations]
    printed.append(str([s.title for s in sources]))
    assert out == "\n".join(printed) + "\n" + irr.cite(first.id) + "\n"
    assert names["support"] == irr.support(first.id)
    assert names["support"].independent_sources == len(
        {c.source_id for c in citations if c.stance == "supports"}
    )


def _frames_example(names: dict[str, Any], out: str) -> None:
    assert len(names["frame"]) == len(irr.records("events"))
    assert list(names["frame"]["id"]) == [e.id for e in irr.records("events")]
    assert [r.name for r in names["package"].resources][: len(irr.TABLES)] == list(irr.TABLES)
    assert out == ""


EXAMPLES = [_records_example, _frames_example]
"""What each README example must produce, in the README's order."""


def test_every_python_example_has_its_expectations() -> None:
    assert len(_blocks("python")) == len(EXAMPLES)


@pytest.mark.parametrize(
    ("code", "expect"),
    list(zip(_blocks("python"), EXAMPLES, strict=False)),
    ids=["records", "frames"],
)
def test_python_examples_run_and_give_what_they_say(
    code: str, expect: Callable[[dict[str, Any], str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    expect(*_run(code, capsys))


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


def test_contributing_examples_use_the_real_headers() -> None:
    guide = (REPO / "CONTRIBUTING.md").read_text("utf-8")
    examples = re.findall(r"```csv\n(.*?)```", guide, flags=re.DOTALL)
    assert examples
    headers = {",".join(header(t)) for t in TABLES}
    for example in examples:
        assert textwrap.dedent(example).splitlines()[0] in headers


def test_pull_request_workflow_is_read_only() -> None:
    workflow = (REPO / ".github" / "workflows" / "validate.yml").read_text("utf-8")
    assert "pull_request_target" not in workflow
    assert "permissions:\n  contents: read" in workflow
    for step in (
        "irr fmt --check",
        "irr build --check",
        "irr validate --format github",
        "frictionless validate",
        "python -m pytest",
    ):
        assert step in workflow
