"""A second engine (issue 25, item 1): ProperDocs, the maintained fork of MkDocs 1.x, builds
the real site, and its claim, source and topic pages are MkDocs' byte for byte apart from
the generator meta tag; mike deploys with it. Zensical, Material's successor, has a canary
that stays skipped while no usable version installs (MIGRATION.md says what it still needs).

ProperDocs is the `engines` extra of pyproject.toml (`pip install -e ".[dev,engines]"`,
which `make build ENGINE=properdocs` does); without it these tests are skipped, saying so.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import REPO, copy_real_project
from releases import GIT_ENV, evidence, git, tagged_project

pytestmark = [
    pytest.mark.slow,
    # skipped on a developer's machine without it; never in CI (`make test` installs it)
    pytest.mark.skipif(
        importlib.util.find_spec("properdocs") is None and os.environ.get("CI") != "true",
        reason='ProperDocs is not installed: pip install -e ".[dev,engines]" (pyproject.toml pins it)',
    ),
]

#: The one line the engines write differently: `mkdocs-1.6.1` against `mkdocs-ProperDocs 1.6.7`.
GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')


def build(root: Path, engine: str, out: str) -> Path:
    done = subprocess.run(
        [sys.executable, "-m", engine, "build", "--strict", "-d", out],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return root / out


def compared_pages(site: Path) -> list[str]:
    """Every claim page, every source page and each topic's page, relative to the site."""
    topics = yaml.safe_load((REPO / "content" / "topics.yml").read_text(encoding="utf-8"))["topics"]
    pages = [f"{Path(t['page']).with_suffix('').as_posix()}/index.html" for t in topics]
    for folder in ("claims", "sources"):
        pages += sorted(p.relative_to(site).as_posix() for p in (site / folder).rglob("index.html"))
    return pages


def test_properdocs_builds_the_claim_source_and_topic_pages_mkdocs_builds(tmp_path: Path) -> None:
    (tmp_path / "site-src").mkdir()
    project = copy_real_project(tmp_path / "site-src")
    git(project.root, "init", "-q", "-b", "main")  # the edition history reads git, as in the repo
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "content")
    mkdocs = build(project.root, "mkdocs", "built-mkdocs")
    properdocs = build(project.root, "properdocs", "built-properdocs")
    pages = compared_pages(mkdocs)
    assert len([p for p in pages if p.startswith("claims/")]) > 50
    assert len([p for p in pages if p.startswith("sources/")]) > 20
    differ = []
    for page in pages:
        ours, theirs = ((site / page).read_text(encoding="utf-8") for site in (mkdocs, properdocs))
        tag = GENERATOR.search(theirs)
        assert tag is not None and "ProperDocs" in tag.group(0)
        if GENERATOR.sub("", ours) != GENERATOR.sub("", theirs):
            differ.append(page)
    assert differ == []


def test_mike_deploys_an_edition_built_by_properdocs(tmp_path: Path) -> None:
    """mike 2.2 builds with ProperDocs when it is installed; `evidence release` runs mike."""
    root = tmp_path
    tagged_project(root)
    done = evidence(root, "release")
    assert done.returncode == 0, done.stderr[-3000:]
    page = subprocess.run(
        ["git", "show", "gh-pages:v1.0/index.html"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV},
        check=True,
    ).stdout
    tag = GENERATOR.search(page)
    assert tag is not None and "mkdocs-ProperDocs 1.6.7" in tag.group(0)
    versions = subprocess.run(
        ["git", "show", "gh-pages:versions.json"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    assert '"version": "v1.0"' in versions and '"latest"' in versions
