"""CI that a hostile pull request cannot use: the properties, asserted on the real workflow files.

Pull-request builds run strangers' code (pages and mkdocs.yml are code for MkDocs), and so
does the release build. So: no `pull_request_target`; every token read-only at the top;
no checkout keeps its credentials; the only jobs that can write (the gh-pages push, the PR
comment) check out nothing and run no repository code; no event value is pasted into a
shell script. `violations` states the rules once; the mutation tests prove each can fail.
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from gitrepo import GIT_ENV, git
from helpers import REPO

WORKFLOWS = REPO / ".github" / "workflows"
PR, PUBLISH, COMMENT = "pr.yml", "publish.yml", "pr-comment.yml"
#: What a job that can write may use: fetching an artifact; never a checkout or setup-python.
WRITE_JOB_ACTIONS = ("actions/download-artifact@",)
#: Commands that run the repository's code (or install it).
PROJECT_CODE = re.compile(r"pip install|mkdocs|\bmake\b|python|\.venv|\bmike\b|-m evidence")


def load(name: str) -> dict[str, Any]:
    """YAML as GitHub reads it: `on` stays a key and `false` stays text."""
    path = WORKFLOWS / name
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert isinstance(data, dict), name
    return data


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    on = workflow["on"]
    if isinstance(on, str):
        return {on: {}}
    if isinstance(on, list):
        return {key: {} for key in on}
    return {key: value or {} for key, value in on.items()}


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return job.get("steps", [])


def can_write(permissions: Any) -> bool:
    if isinstance(permissions, str):
        return permissions != "read-all"  # write-all, or anything GitHub may read as write
    return any(value not in ("read", "none") for value in (permissions or {}).values())


def violations(name: str, workflow: dict[str, Any]) -> list[str]:
    """Every way `workflow` breaks the rules, as readable sentences (empty: safe)."""
    found: list[str] = []
    on = triggers(workflow)
    if "pull_request_target" in on:
        found.append("pull_request_target runs a pull request with the base repository's token")
    if workflow.get("permissions") != {"contents": "read"}:
        found.append(f"top-level permissions are {workflow.get('permissions')!r}, not contents: read")
    for job_name, job in workflow["jobs"].items():
        where = f"job {job_name}"
        writes = can_write(job.get("permissions", workflow.get("permissions")))
        for step in steps(job):
            uses = step.get("uses", "")
            if (
                uses.startswith("actions/checkout@")
                and (step.get("with") or {}).get("persist-credentials") != "false"
            ):
                found.append(f"{where}: checkout without persist-credentials: false")
            if "${{" in step.get("run", ""):
                found.append(f"{where}: an expression inlined in a shell script (pass it in env)")
            if writes and uses and not uses.startswith(WRITE_JOB_ACTIONS):
                found.append(f"{where} can write and uses {uses}")
            if writes and PROJECT_CODE.search(step.get("run", "")):
                found.append(f"{where} can write and runs repository code: {step['run'].strip()[:60]}")
        if "workflow_run" in on and any(
            s.get("uses", "").startswith("actions/checkout@") for s in steps(job)
        ):
            found.append(f"{where}: a workflow_run job must check out nothing")
    return found


def all_workflows() -> list[str]:
    return sorted(p.name for p in [*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


def test_the_workflows_are_the_three_we_check() -> None:
    assert all_workflows() == [COMMENT, PR, PUBLISH]


@pytest.mark.parametrize("name", all_workflows())
def test_workflow_breaks_no_rule(name: str) -> None:
    assert violations(name, load(name)) == []


def _pr_job(workflow: dict[str, Any]) -> dict[str, Any]:
    return workflow["jobs"]["check"]


MUTATIONS = {
    "pull_request_target": (PR, lambda w: w.update(on={"pull_request_target": None}), "pull_request_target"),
    "write-all": (PR, lambda w: w.update(permissions="write-all"), "top-level permissions"),
    "credentials kept": (
        PR,
        lambda w: steps(_pr_job(w))[0]["with"].pop("persist-credentials"),
        "checkout without persist-credentials",
    ),
    "inlined expression": (
        PR,
        lambda w: steps(_pr_job(w)).append({"run": "echo ${{ github.event.pull_request.title }}"}),
        "inlined in a shell script",
    ),
    "pip install in deploy": (
        PUBLISH,
        lambda w: steps(w["jobs"]["deploy"]).append({"run": "pip install -e ."}),
        "can write and runs repository code",
    ),
    "mkdocs in deploy": (
        PUBLISH,
        lambda w: steps(w["jobs"]["deploy"]).append({"run": "mkdocs gh-deploy"}),
        "can write and runs repository code",
    ),
    "make in comment": (
        COMMENT,
        lambda w: steps(w["jobs"]["comment"]).append({"run": "make build"}),
        "can write and runs repository code",
    ),
    "python in comment": (
        COMMENT,
        lambda w: steps(w["jobs"]["comment"]).append({"run": "python -m evidence diff"}),
        "can write and runs repository code",
    ),
    "checkout in deploy": (
        PUBLISH,
        lambda w: steps(w["jobs"]["deploy"]).insert(
            0, {"uses": "actions/checkout@v4", "with": {"persist-credentials": "false"}}
        ),
        "can write and uses actions/checkout",
    ),
    "write token on build": (
        PUBLISH,
        lambda w: w["jobs"]["build"].update(permissions={"contents": "write"}),
        "job build can write",
    ),
}


@pytest.mark.parametrize("case", MUTATIONS)
def test_a_broken_workflow_is_caught(case: str) -> None:
    name, mutate, expected = MUTATIONS[case]
    workflow = copy.deepcopy(load(name))
    mutate(workflow)
    assert any(expected in problem for problem in violations(name, workflow)), violations(name, workflow)


def test_only_the_push_and_the_comment_can_write() -> None:
    writers = {
        (name, job_name): job.get("permissions")
        for name in all_workflows()
        for job_name, job in load(name)["jobs"].items()
        if can_write(job.get("permissions", load(name).get("permissions")))
    }
    assert writers == {
        (PUBLISH, "deploy"): {"contents": "write"},
        (COMMENT, "comment"): {"actions": "read", "pull-requests": "write"},
    }


def test_pr_workflow_runs_on_pull_request_with_no_secret() -> None:
    """pull_request_target is a rule of `violations` (and its mutation); here, no secret is named."""
    text = (WORKFLOWS / PR).read_text(encoding="utf-8")
    assert list(triggers(load(PR))) == ["pull_request"]
    code = "\n".join(line.split("#", 1)[0] for line in text.splitlines())  # comments may name them
    assert "secrets." not in code and "GITHUB_TOKEN" not in code and "github.token" not in code


def test_pr_workflow_hands_the_report_over_as_an_artifact() -> None:
    job = _pr_job(load(PR))
    upload = next(s for s in steps(job) if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["name"] == "evidence-diff"
    assert upload["with"]["path"].split() == ["evidence-diff.md", "pr-number.txt"]
    assert upload["if"] == "${{ !cancelled() }}"  # the report is posted even when check fails


def test_comment_workflow_follows_the_pr_workflow_and_checks_the_pull_request() -> None:
    workflow = load(COMMENT)
    assert triggers(workflow) == {"workflow_run": {"workflows": [load(PR)["name"]], "types": ["completed"]}}
    job = workflow["jobs"]["comment"]
    assert "github.event.workflow_run.event == 'pull_request'" in job["if"]
    download, post = steps(job)
    assert download["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    assert post["env"]["HEAD_SHA"] == "${{ github.event.workflow_run.head_sha }}"
    assert '[ "$pr_head" != "$HEAD_SHA" ]' in post["run"]  # the number in the artifact is checked
    assert "gh pr comment" in post["run"] and "--body-file" in post["run"]


def test_publish_runs_only_on_a_tag_one_at_a_time() -> None:
    workflow = load(PUBLISH)
    assert triggers(workflow) == {"push": {"tags": ["v*"]}}
    assert workflow["concurrency"] == {"group": "publish", "cancel-in-progress": "false"}
    assert all("concurrency" not in job for job in workflow["jobs"].values())


def test_publish_builds_read_only_and_deploys_what_it_built() -> None:
    workflow = load(PUBLISH)
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"} and deploy["needs"] == "build"
    runs = "\n".join(s.get("run", "") for s in steps(build))
    assert re.search(r"^make release$", runs, re.M)  # no PUSH=1: mike commits locally only
    assert "--push" not in runs and "PUSH=" not in runs and "git push" not in runs
    checkout = next(s for s in steps(build) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == "0"  # mike starts from origin/gh-pages
    assert re.search(
        r"^release: .*\n(\t.*\n)*\t\$\(PY\) -m evidence release \$\(if \$\(PUSH\),--push\)$",
        (REPO / "Makefile").read_text(),
        re.M,
    )
    upload = next(s for s in steps(build) if s.get("uses", "").startswith("actions/upload-artifact@"))
    download = next(s for s in steps(deploy) if s.get("uses", "").startswith("actions/download-artifact@"))
    assert upload["with"]["name"] == download["with"]["name"] == "gh-pages-bundle"
    push = _script(deploy, "git push")
    assert "--force" not in push and "merge-base --is-ancestor" in push


# -- the bundle and push scripts, run for real against local repositories -----------------


def _script(job: dict[str, Any], needle: str) -> str:
    return next(s["run"] for s in steps(job) if needle in s.get("run", ""))


def _bash(script: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **GIT_ENV, **env}
    return subprocess.run(["bash", "-e", "-c", script], cwd=cwd, env=full, capture_output=True, text=True)


def _release(tmp_path: Path, *, first: bool = False, rewrite: bool = False) -> tuple[Path, str]:
    """A server with gh-pages (unless `first`), a build whose gh-pages adds a commit, the bundle."""
    server = tmp_path / "server" / "owner"
    server.mkdir(parents=True)
    git(server, "init", "-q", "--bare", "repo.git")
    seed = tmp_path / "seed"
    seed.mkdir()
    git(seed, "init", "-q", "-b", "gh-pages")
    git(seed, "commit", "-q", "--allow-empty", "-m", "v1.0")
    if not first:
        git(seed, "push", "-q", str(server / "repo.git"), "gh-pages")
    build = tmp_path / "build"
    git(tmp_path, "clone", "-q", str(server / "repo.git"), str(build))
    if first or rewrite:
        git(build, "checkout", "-q", "--orphan", "gh-pages")
    else:
        git(build, "checkout", "-q", "-b", "gh-pages", "origin/gh-pages")
    git(build, "commit", "-q", "--allow-empty", "-m", "v1.1")
    tip = git(build, "rev-parse", "HEAD")
    bundled = _bash(_script(load(PUBLISH)["jobs"]["build"], "git bundle create"), build)
    assert bundled.returncode == 0, bundled.stderr
    (tmp_path / "deploy" / "bundle").mkdir(parents=True)
    (build / "gh-pages.bundle").rename(tmp_path / "deploy" / "bundle" / "gh-pages.bundle")
    return server / "repo.git", tip


def _deploy(tmp_path: Path) -> subprocess.CompletedProcess[str]:
    script = _script(load(PUBLISH)["jobs"]["deploy"], "git push")
    server = f"file://{tmp_path / 'server'}"
    env = {"GH_TOKEN": "not-a-token", "GITHUB_SERVER_URL": server, "GITHUB_REPOSITORY": "owner/repo"}
    return _bash(script, tmp_path / "deploy", **env)


@pytest.mark.parametrize("first", [False, True], ids=["next-edition", "first-edition"])
def test_deploy_pushes_the_built_gh_pages(tmp_path: Path, first: bool) -> None:
    server, tip = _release(tmp_path, first=first)
    result = _deploy(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert git(server, "rev-parse", "refs/heads/gh-pages") == tip


def test_deploy_refuses_a_gh_pages_that_rewrites_history(tmp_path: Path) -> None:
    server, tip = _release(tmp_path, rewrite=True)
    before = git(server, "rev-parse", "refs/heads/gh-pages")
    result = _deploy(tmp_path)
    assert result.returncode == 1
    assert "does not fast-forward origin/gh-pages; nothing pushed" in result.stdout
    assert git(server, "rev-parse", "refs/heads/gh-pages") == before != tip
