"""The README's examples run, its table list is complete, and CI runs its test command."""

from __future__ import annotations

import contextlib
import io
import re
import textwrap
from typing import Any

import pytest

import india_russia_relations as irr
from india_russia_relations import TABLES, MissingDependencyError
from india_russia_relations.schema.columns import header

from .conftest import REPO

README = (REPO / "README.md").read_text("utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


@pytest.mark.parametrize("code", _blocks("python"))
def test_python_examples_run(
    code: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for module in re.findall(r"^import (\w+)", code, flags=re.MULTILINE):
        pytest.importorskip(module)  # an example for a tool that is not installed here
    monkeypatch.chdir(REPO)  # examples name files relative to the repository
    try:
        exec(compile(code, "README.md", "exec"), {})
    except MissingDependencyError as err:  # an example of an extra that is not installed here
        pytest.skip(str(err))


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


def test_the_first_example_prints_the_quotes_sources_and_citation_it_says() -> None:
    code = _blocks("python")[0]
    capture = io.StringIO()
    with contextlib.redirect_stdout(capture):
        names: dict[str, Any] = {}
        exec(compile(code, "README.md", "exec"), names)
    _records_example(names, capture.getvalue())


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


CHECKS = ("ruff ", "mypy ", "irr ", "frictionless ", "check-jsonschema ")


def test_pull_request_workflow_is_read_only() -> None:
    workflow = (REPO / ".github" / "workflows" / "validate.yml").read_text("utf-8")
    assert "pull_request_target" not in workflow
    assert "permissions:\n  contents: read" in workflow


def test_pull_request_workflow_runs_every_check_of_ci() -> None:
    workflow = (REPO / ".github" / "workflows" / "validate.yml").read_text("utf-8")
    ci = (REPO / ".ci" / "run").read_text("utf-8").splitlines()
    checks = [line for line in ci if line.startswith(CHECKS) and "dependabot" not in line]
    assert len(checks) >= 9
    for check in checks:
        assert check.replace("irr validate", "irr validate --format github") in workflow, check
    assert "python -m pytest" in workflow


def test_pull_request_workflow_tests_the_oldest_and_the_newest_python() -> None:
    workflow = (REPO / ".github" / "workflows" / "validate.yml").read_text("utf-8")
    assert 'python-version: ["3.11", "3.x"]' in workflow
    assert "python-version: ${{ matrix.python-version }}" in workflow


def test_dependabot_keeps_the_action_pins_current() -> None:
    config = (REPO / ".github" / "dependabot.yml").read_text("utf-8")
    assert "package-ecosystem: github-actions" in config
