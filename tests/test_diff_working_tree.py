"""Issue 16 point 1: `evidence diff` is right on the working tree, staged changes and
commits alike. A deleted or renamed released claim is always "deleted — not allowed" with
exit 1; a claim that fails to load is reported as such, never in place of a deletion; the
default base is the nearest merge-base with the main branch (or the last edition tag)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gitrepo import commit, evidence, git, init
from helpers import Project, claim_data, mini_project

OTHER = "content/claims/benefits/other.yml"


def _released(tmp_path: Path) -> tuple[Project, str]:
    project = mini_project(tmp_path, claims=[claim_data(), claim_data("other", "benefits")])
    init(project.root)
    first = commit(project.root, "first edition")
    git(project.root, "tag", "v1.0")
    git(project.root, "checkout", "-q", "-b", "feature")
    return project, first


def _json(project: Project, *args: str) -> tuple[int, dict]:
    result = evidence(project.root, "diff", *args, "--format", "json")
    return result.returncode, json.loads(result.stdout)


def _delete(project: Project, how: str) -> None:
    if how == "working tree":
        (project.root / OTHER).unlink()
    elif how == "staged":
        git(project.root, "rm", "-q", OTHER)
    elif how == "renamed":  # a new id is a new claim: the released one is gone
        git(project.root, "mv", OTHER, "content/claims/benefits/other-renamed.yml")
        path = project.root / "content/claims/benefits/other-renamed.yml"
        path.write_text(path.read_text(encoding="utf-8").replace("id: other", "id: other-renamed"))
    else:
        git(project.root, "rm", "-q", OTHER)
        commit(project.root, "delete")


@pytest.mark.parametrize("how", ["working tree", "staged", "renamed", "committed"])
def test_a_deleted_released_claim_is_always_deleted_and_exits_1(tmp_path: Path, how: str) -> None:
    project, _first = _released(tmp_path)
    _delete(project, how)
    for args in ((), ("main",)):
        code, data = _json(project, *args)
        assert code == 1, (how, args)
        assert [c["id"] for c in data["removed"]] == ["other"]
        assert data["unreadable"] == []
        assert [e["rule"] for e in data["errors"]] == ["claim-deleted"]
    markdown = evidence(project.root, "diff").stdout
    assert "### Claims deleted — not allowed (1)" in markdown
    assert "could not be compared" not in markdown


def test_a_broken_claim_is_reported_as_such_beside_a_deletion(tmp_path: Path) -> None:
    project, _first = _released(tmp_path)
    git(project.root, "rm", "-q", OTHER)
    example = project.root / "content/claims/burden/example-claim.yml"
    example.write_text(example.read_text(encoding="utf-8") + "statment: typo\n", encoding="utf-8")
    code, data = _json(project)
    assert code == 1
    assert [c["id"] for c in data["removed"]] == ["other"]
    assert [c["id"] for c in data["unreadable"]] == ["example-claim"]


def test_default_base_is_the_nearest_merge_base_after_a_local_merge(tmp_path: Path) -> None:
    """origin/main is behind a local merge: its claims are not 'added' again."""
    project = mini_project(tmp_path)
    init(project.root)
    first = commit(project.root, "first")
    git(project.root, "update-ref", "refs/remotes/origin/main", first)
    git(project.root, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main")
    project.write_claim(claim_data("merged", "benefits"))
    merged = commit(project.root, "merged locally into main")
    git(project.root, "checkout", "-q", "-b", "next")
    project.write_claim(claim_data("new-one", "surgery"))
    code, data = _json(project)
    assert code == 0
    assert [c["id"] for c in data["added"]] == ["new-one"]
    assert data["base"] == f"{merged[:10]} (merge-base of HEAD and main)"  # printed: what was compared


def test_without_a_main_branch_the_base_is_the_last_edition_tag(tmp_path: Path) -> None:
    project = mini_project(tmp_path)
    init(project.root, branch="work")
    tagged = commit(project.root, "first edition")
    git(project.root, "tag", "v1.0")
    project.write_claim(claim_data("new-one", "surgery"))
    commit(project.root, "after the edition")
    code, data = _json(project)
    assert code == 0
    assert data["base"] == f"{tagged[:10]} (the last edition, v1.0)"
    assert [c["id"] for c in data["added"]] == ["new-one"]
