"""One git runner (evidence/editions/git.py) with one failure rule: every failure raises
GitError with git's stderr; a caller that tolerates no git catches it, explicitly."""

from __future__ import annotations

import ast
import os
import subprocess
from pathlib import Path

import pytest
from helpers import REPO
from releases import GIT_ENV

from evidence.editions import git, gitrev, release
from evidence.editions.git import GitError


def _repo(path: Path) -> Path:
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True, env=env)
    (path / "a.txt").write_text("a\n")
    subprocess.run(["git", "-C", str(path), "add", "a.txt"], check=True, env=env)
    subprocess.run(["git", "-C", str(path), "commit", "-q", "-m", "one"], check=True, env=env)
    return path


def test_a_bad_revision_raises_git_error_with_git_s_stderr(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo")
    with pytest.raises(GitError) as raised:
        git.run(["rev-parse", "--verify", "--end-of-options", "no-such-rev^{commit}"], repo)
    assert "fatal: Needed a single revision" in raised.value.stderr
    assert "`git rev-parse --verify --end-of-options no-such-rev^{commit}` failed" in str(raised.value)
    assert git.run(["rev-parse", "--abbrev-ref", "HEAD"], repo) == "main\n"  # output as printed


def test_not_a_repository_raises_and_only_the_edition_tolerates_it(tmp_path: Path) -> None:
    with pytest.raises(GitError) as raised:
        git.run(["rev-parse", "--show-toplevel"], tmp_path)
    assert "not a git repository" in raised.value.stderr
    assert release.find_git(tmp_path) is None  # the edition: no git means no history
    assert release.detect(tmp_path).git is None
    with pytest.raises(gitrev.GitError, match="is not inside a git repository"):  # `diff` says so
        gitrev.toplevel(tmp_path)


def test_git_missing_is_a_git_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(GitError, match="git is not installed"):
        git.run(["status"], tmp_path)
    assert release.find_git(tmp_path) is None


def test_only_editions_git_runs_git() -> None:
    """No other module starts a process named git: the failure rule is in one place."""
    runners = []
    for path in sorted((REPO / "evidence").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value == "git":
                runners.append(path.relative_to(REPO).as_posix())
    assert runners == ["evidence/editions/git.py"]
