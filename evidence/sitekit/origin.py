"""Where a new site gets this package from, and its first commit.

`requirements.txt` must install the generator the way it was installed here, or the new
site's `make test` fails on a pin no index serves. PEP 610 records that in the
distribution's `direct_url.json`: a wheel or sdist (`archive_info`), a folder (`dir_info`)
or a VCS checkout (`vcs_info`). Each becomes a PEP 508 direct reference
(`evidence-site @ file:///…/evidence_site-0.1.0-py3-none-any.whl`,
`evidence-site @ git+https://…@<commit>`); an installation from an index has no
`direct_url.json` and is pinned by version.

`init` then makes the folder a git repository with one commit, so "What changed" has a
history to compare against and the README's release step works (`--no-git` skips it).
"""

from __future__ import annotations

import json
import subprocess
from importlib import metadata
from pathlib import Path

from evidence.editions import git

DISTRIBUTION = "evidence-site"
#: The author of the first commit when git has no user configured (the editor can amend it).
_FALLBACK_IDENTITY = ("-c", "user.name=Evidence site editors", "-c", "user.email=editors@example.org")


def package_requirement(dist: metadata.Distribution | None = None) -> str:
    """This package as a requirements.txt line, as it was installed here (see the docstring)."""
    dist = dist or metadata.distribution(DISTRIBUTION)
    try:
        direct = json.loads(dist.read_text("direct_url.json") or "null")
    except ValueError:
        direct = None
    if not isinstance(direct, dict) or not isinstance(url := direct.get("url"), str) or not url:
        return f"{DISTRIBUTION}=={dist.version}"
    vcs = direct.get("vcs_info")
    if isinstance(vcs, dict) and isinstance(kind := vcs.get("vcs"), str):
        revision = vcs.get("commit_id") or vcs.get("requested_revision")
        subdirectory = direct.get("subdirectory")
        line = f"{DISTRIBUTION} @ {kind}+{url}" + (f"@{revision}" if revision else "")
        return line + (f"#subdirectory={subdirectory}" if subdirectory else "")
    return f"{DISTRIBUTION} @ {url}"


def requirement_line(dist: metadata.Distribution | None = None) -> str:
    """`package_requirement`, or the version pin if the recorded URL would not stand as one line."""
    dist = dist or metadata.distribution(DISTRIBUTION)
    line = package_requirement(dist)
    plain = line.isprintable() and line.count(" ") == (2 if " @ " in line else 0)
    return line if plain else f"{DISTRIBUTION}=={dist.version}"


def first_commit(dest: Path) -> str | None:
    """`git init` and one commit of everything `init` wrote; None when done, else why not."""
    try:
        git.executable()
    except git.GitError:
        return "git is not installed: run `git init` in the new site yourself"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return git.attempt(args, dest)

    if run("init", "-q", "-b", "main").returncode != 0:
        return "`git init` failed: run it in the new site yourself"
    identity = () if run("config", "user.email").stdout.strip() else _FALLBACK_IDENTITY
    run("add", "-A")
    done = run(*identity, "commit", "-q", "--no-verify", "-m", "New evidence site (evidence init)")
    return None if done.returncode == 0 else f"the first commit failed: {done.stderr.strip()[:200]}"
