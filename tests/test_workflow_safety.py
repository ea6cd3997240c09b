"""Pull-request builds run strangers' code (pages and mkdocs.yml are code for MkDocs).

So the PR workflow uses `pull_request` (never `pull_request_target`, which runs with the
base repository's token and secrets), names no secret, and holds a read-only token; the
publishing workflow runs only for tags and pushes to main, never for a pull request, one
run at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import REPO

WORKFLOWS = REPO / ".github" / "workflows"
PR = WORKFLOWS / "pr.yml"
PUBLISH = WORKFLOWS / "publish.yml"
#: Triggers that run a workflow with write access or secrets on behalf of a pull request.
PRIVILEGED_PR_TRIGGERS = {"pull_request_target", "workflow_run"}


def load(path: Path) -> dict[str, Any]:
    assert path.exists(), f"{path.relative_to(REPO)} is missing"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """The `on:` block as a dict (PyYAML, a YAML 1.1 reader, reads the key `on` as True)."""
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict), on
    return on


def walk(node: Any) -> Iterator[str]:
    """Every key and string value in the workflow (comments are not data)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)
    elif isinstance(node, str):
        yield node


def read_only(permissions: Any) -> bool:
    if isinstance(permissions, str):
        return permissions == "read-all"
    return isinstance(permissions, dict) and all(v in ("read", "none") for v in permissions.values())


def all_workflows() -> list[Path]:
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


@pytest.mark.parametrize("path", all_workflows(), ids=lambda p: p.name)
def test_no_workflow_runs_privileged_on_pull_requests(path: Path) -> None:
    assert not PRIVILEGED_PR_TRIGGERS & set(triggers(load(path))), path.name


def test_pr_workflow_uses_pull_request_trigger() -> None:
    on = triggers(load(PR))
    assert "pull_request" in on
    assert not PRIVILEGED_PR_TRIGGERS & set(on)


def test_pr_workflow_names_no_secret() -> None:
    found = [text for text in walk(load(PR)) if "secrets" in text]
    assert found == []


def test_pr_workflow_token_is_read_only() -> None:
    workflow = load(PR)
    assert "permissions" in workflow, "top-level permissions must be set (the default may be write)"
    assert read_only(workflow["permissions"]), workflow["permissions"]
    for name, job in workflow["jobs"].items():
        assert "permissions" not in job or read_only(job["permissions"]), name


def test_pr_checkout_keeps_no_credentials() -> None:
    """The token must not stay in .git/config, where the PR's own code could read it."""
    for name, job in load(PR)["jobs"].items():
        for step in job.get("steps", []):
            if str(step.get("uses", "")).startswith("actions/checkout"):
                assert (step.get("with") or {}).get("persist-credentials") is False, name


def test_publish_runs_only_after_merge_or_on_a_tag() -> None:
    on = triggers(load(PUBLISH))
    assert set(on) <= {"push", "workflow_dispatch"}, on
    assert "push" in on
    push = on["push"] or {}
    assert push.get("tags") or push.get("branches") == ["main"], push
    assert set(push) <= {"tags", "branches"}, push
    assert push.get("branches") in (None, ["main"]), push


def test_publish_has_one_concurrency_group() -> None:
    workflow = load(PUBLISH)
    concurrency = workflow.get("concurrency")
    group = concurrency.get("group") if isinstance(concurrency, dict) else concurrency
    assert isinstance(group, str) and group and "${{" not in group, concurrency
    if isinstance(concurrency, dict):
        assert concurrency.get("cancel-in-progress", False) is False  # never stop a deploy half-way
    for name, job in workflow["jobs"].items():
        assert "concurrency" not in job, f"job {name} would add a second group"
