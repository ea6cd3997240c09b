"""`evidence init --repo-url URL [--branch B]`: a new site's links to its repository (issue 24).

The build side (links on every claim, topic and reference page) is test_contribute_links.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml


def init(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "evidence", "init", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=120,
    )


def config(site: Path) -> dict:
    return yaml.load((site / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def test_repo_url_gives_the_new_site_its_repository_links(tmp_path: Path) -> None:
    """`--repo-url` (and `--branch`) write repo_url and edit_uri; without it, commented lines
    only, so the site links to no repository. The issue forms the links open come either way."""
    done = init(tmp_path, "a", "--repo-url", "https://github.com/me/site.git", "--branch", "trunk")
    assert done.returncode == 0, done.stderr
    written = config(tmp_path / "a")
    assert (written["repo_url"], written["edit_uri"]) == ("https://github.com/me/site", "edit/trunk/docs/")
    assert "content.action.edit" in written["theme"]["features"]
    done = init(tmp_path, "b")
    assert done.returncode == 0 and "No --repo-url" in done.stdout
    assert not {"repo_url", "edit_uri"} & set(config(tmp_path / "b"))
    for site in ("a", "b"):
        forms = tmp_path / site / ".github" / "ISSUE_TEMPLATE"
        assert sorted(p.name for p in forms.iterdir()) == ["config.yml", "correction.yml", "new-claim.yml"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--repo-url", "http://github.com/me/site"], "is not a plain https:// address"),
        (["--repo-url", 'https://github.com/me/site"x'], "is not https://<host>/<owner>/<repository>"),
        (["--repo-url", "https://github.com/me/site/issues"], "is not https://<host>/<owner>/<repository>"),
        (["--repo-url", "https://github.com/me/site", "--branch", "a b"], "is not a branch name"),
    ],
)
def test_init_refuses_a_repo_url_that_makes_no_working_link(
    tmp_path: Path, args: list[str], message: str
) -> None:
    done = init(tmp_path, "s", *args)
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert not (tmp_path / "s").exists()
