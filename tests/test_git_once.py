"""Loading content never runs git; `check` and the build each detect the edition once.

A fake `git` first on PATH logs every call and hands it to the real git, so the count is
what the code asked for, on a real tagged checkout.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from releases import GIT_ENV, evidence, tagged_project

from evidence.load.corpus import Settings, check_content, load_corpus

#: the call `release.find_git` makes: one per edition detection
DETECT = "--is-shallow-repository"


def fake_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `git` on PATH that appends its arguments to the returned log, then runs git."""
    real = shutil.which("git")
    assert real is not None
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "git-calls.log"
    log.write_text("")
    script = bin_dir / "git"
    script.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{real}" "$@"\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    return log


def calls(log: Path) -> list[str]:
    return log.read_text().splitlines()


def test_loading_a_tagged_project_runs_no_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "site").mkdir()
    project = tagged_project(tmp_path / "site")
    (project.root / "content/claims/benefits/claim-kept.yml").unlink()  # what the rule would see
    log = fake_git(tmp_path, monkeypatch)
    _corpus, problems = load_corpus(project.root, Settings())
    assert check_content(project.root, Settings()) == problems
    assert "claim-deleted" not in {p.rule for p in problems}  # the rule is the caller's, not loading's
    assert calls(log) == []


@pytest.mark.slow
def test_check_detects_the_edition_once_and_still_reports_a_deleted_claim(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "site").mkdir()
    project = tagged_project(tmp_path / "site")
    (project.root / "content/claims/benefits/claim-kept.yml").unlink()
    log = fake_git(tmp_path, monkeypatch)
    done = evidence(project.root, "check")
    assert "[claim-deleted]" in done.stdout and done.returncode == 1
    assert len([c for c in calls(log) if DETECT in c]) == 1


@pytest.mark.slow
def test_a_build_detects_the_edition_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "site").mkdir()
    project = tagged_project(tmp_path / "site")
    log = fake_git(tmp_path, monkeypatch)
    done = project.build()
    assert done.returncode == 0, done.stderr
    assert len([c for c in calls(log) if DETECT in c]) == 1
    assert any("archive" in c for c in calls(log))  # the history still loads v1.0, from git
