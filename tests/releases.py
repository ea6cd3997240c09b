"""Two editions of a mini project, tagged in a temporary git repository and deployed with mike.

Edition v1.0 has three claims. Edition v1.1 plants exactly three changes: one statistic
changed (`example-claim`: 37 → 40 percent), one claim added (`claim-c`) and one retired
(`claim-b`, superseded by `claim-c`). Each edition is released with the project's own
one-command procedure, `python -m evidence release` (mike deploy + set-default, no push),
and the gh-pages branch is then unpacked into a folder to read the HTML back.
"""

from __future__ import annotations

import copy
import io
import os
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup
from helpers import REPO, Project, claim_data, mini_project

#: Release tags and the date each is tagged on (the edition's release date).
EDITIONS = {"v1.0": "2026-01-20", "v1.1": "2026-02-10"}
CHANGED = "example-claim"
RETIRED = "claim-b"
ADDED = "claim-c"
KEPT = "claim-kept"
RETIREMENT = {
    "reason": "A later survey of the same population replaced this figure.",
    "date": "2026-02-05",
    "superseded_by": ADDED,
}

#: Git without the machine's configuration, with a fixed identity for commits and tags.
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test Editor",
    "GIT_AUTHOR_EMAIL": "editor@example.org",
    "GIT_COMMITTER_NAME": "Test Editor",
    "GIT_COMMITTER_EMAIL": "editor@example.org",
}


def git(root: Path, *args: str, date: str = "2026-01-01") -> str:
    env = {
        **os.environ,
        **GIT_ENV,
        "GIT_AUTHOR_DATE": f"{date}T12:00:00Z",
        "GIT_COMMITTER_DATE": f"{date}T12:00:00Z",
    }
    done = subprocess.run(
        ["git", "-c", "user.name=Test Editor", "-c", "user.email=editor@example.org", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return done.stdout


def commit_and_tag(root: Path, tag: str) -> None:
    date = EDITIONS[tag]
    git(root, "add", "-A", date=date)
    git(root, "commit", "-q", "-m", f"Content for {tag}", date=date)
    git(root, "tag", "-a", tag, "-m", f"Edition {tag}", date=date)


def evidence(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m evidence ARGS` in the repository, as a maintainer runs it."""
    return subprocess.run(
        [sys.executable, "-m", "evidence", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
    )


def first_edition_claims() -> list[dict]:
    return [
        claim_data(),  # CHANGED, 37 percent
        claim_data(RETIRED, title="Claim to be retired"),
        claim_data(KEPT, topic="benefits", title="Claim that stays as it is"),
    ]


def plant_second_edition(project: Project) -> None:
    changed = claim_data()
    changed["statistic"] = {**changed["statistic"], "as_stated": "40 percent", "value": 40}
    project.write_claim(changed)
    project.write_claim(claim_data(ADDED, topic="benefits", title="Claim added in the second edition"))
    retired = claim_data(
        RETIRED, title="Claim to be retired", status="retired", retired=copy.deepcopy(RETIREMENT)
    )
    project.write_claim(retired)


def tagged_project(root: Path) -> Project:
    """The mini project with the first edition's claims, committed and tagged v1.0 (no deploy)."""
    project = mini_project(root, claims=first_edition_claims())
    project.write(".gitignore", (REPO / ".gitignore").read_text())  # site/, .cache/ ...
    git(root, "init", "-q", "-b", "main")
    commit_and_tag(root, "v1.0")
    return project


#: A claim title a contributor could write: markup, template syntax and LaTeX specials.
HOSTILE_TITLE = "</title><script>alert(1)</script> {{ 7 * 7 }} 50% & {x}_y"


def draft_claims() -> list[dict]:
    """The draft site's claims: one with a hostile title, one retired in favour of it."""
    retirement = {"reason": "Replaced.", "date": "2026-01-10", "superseded_by": "hostile-title"}
    return [
        claim_data("hostile-title", title=HOSTILE_TITLE),
        claim_data("old-claim", title="An old claim", status="retired", retired=retirement),
    ]


@dataclass
class Releases:
    project: Project  # the checkout, at v1.1
    site: Path  # the gh-pages branch, unpacked
    logs: dict[str, subprocess.CompletedProcess[str]]

    def html(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")

    def soup(self, path: str) -> BeautifulSoup:
        return BeautifulSoup(self.html(path), "html.parser")

    def pages(self, edition: str) -> list[Path]:
        return sorted((self.site / edition).rglob("index.html"))


def release_two_editions(root: Path, unpacked: Path) -> Releases:
    project = tagged_project(root)
    logs = {"v1.0": evidence(root, "release")}
    plant_second_edition(project)
    commit_and_tag(root, "v1.1")
    logs["v1.1"] = evidence(root, "release")
    archive = subprocess.run(
        ["git", "archive", "--format=tar", "gh-pages"], cwd=root, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(unpacked, filter="data")
    return Releases(project, unpacked, logs)
