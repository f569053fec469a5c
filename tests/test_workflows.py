"""The GitHub workflows: pinned actions, timeouts, and a comment job that never runs PR code."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from .conftest import REPO

yaml = pytest.importorskip("yaml")
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def _load(path: Path) -> dict[Any, Any]:
    document: dict[Any, Any] = yaml.safe_load(path.read_text("utf-8"))
    # YAML 1.1 reads the key `on` as True.
    document["on"] = document.pop(True, document.get("on"))
    return document


def _steps(document: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in document["jobs"].values() for step in job.get("steps", [])]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_tag_in_a_comment(path: Path) -> None:
    uses = re.findall(r"uses:\s*(\S+)(.*)", path.read_text("utf-8"))
    assert uses
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r"\s*# v[0-9]+\.[0-9]+\.[0-9]+", comment), (action, comment)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_job_has_a_timeout(path: Path) -> None:
    for name, job in _load(path)["jobs"].items():
        assert isinstance(job.get("timeout-minutes"), int), name


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_workflow_runs_on_pull_request_target(path: Path) -> None:
    assert "pull_request_target" not in path.read_text("utf-8")


def test_the_diff_job_has_a_read_only_token_and_the_full_history() -> None:
    document = _load(REPO / ".github" / "workflows" / "data-diff.yml")
    assert document["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in document["jobs"].values())
    (checkout,) = [s for s in _steps(document) if s.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"]["fetch-depth"] == 0
    assert checkout["with"]["persist-credentials"] is False
    assert any(s.get("uses", "").startswith("actions/upload-artifact@") for s in _steps(document))
    assert "GITHUB_STEP_SUMMARY" in (REPO / ".github" / "workflows" / "data-diff.yml").read_text()


def test_the_comment_job_never_checks_out_or_runs_code_and_checks_the_commit() -> None:
    path = REPO / ".github" / "workflows" / "data-diff-comment.yml"
    document = _load(path)
    assert set(document["on"]) == {"workflow_run"}
    assert document["permissions"] == {}
    (job,) = document["jobs"].values()
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    steps = _steps(document)
    assert not any(s.get("uses", "").startswith("actions/checkout@") for s in steps)
    assert not any("run" in s for s in steps)  # no shell step that could run what it downloaded
    script = next(s["with"]["script"] for s in steps if "github-script" in s.get("uses", ""))
    assert "pr.head.sha !== run.head_sha" in script
    assert "<!-- irr-diff -->" in script and "updateComment" in script


def test_only_the_pages_deployment_can_write_pages_and_ask_for_an_id_token() -> None:
    document = _load(REPO / ".github" / "workflows" / "site.yml")
    assert document["permissions"] == {"contents": "read"}
    assert document["on"]["push"] == {"branches": ["main"]}
    for name, job in document["jobs"].items():
        writes = {k for k, v in job.get("permissions", {}).items() if v == "write"}
        assert writes == ({"pages", "id-token"} if name == "deploy" else set()), name
    deploy = document["jobs"]["deploy"]
    assert "pull_request" in deploy["if"] and "refs/heads/main" in deploy["if"]
    assert set(deploy["needs"]) == {"browser-tests", "build"}


def test_the_browser_tests_run_in_debian_with_its_chromium() -> None:
    document = _load(REPO / ".github" / "workflows" / "site.yml")
    job = document["jobs"]["browser-tests"]
    assert job["container"].startswith("debian:")
    steps = "\n".join(s.get("run", "") for s in job["steps"])
    assert "chromium" in steps and "playwright install" not in steps
    assert "tests/test_site_browser.py" in steps
