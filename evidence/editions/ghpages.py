"""The root of the published branch: what mike leaves out of it.

mike deploys each edition into its own folder of gh-pages (`v1.1/`, `latest/`) and writes
`versions.json` and a redirecting `index.html` at the root, but no `404.html`: a host such
as GitHub Pages serves the root's 404 page for any missing address, so a mistyped or
retired address got the host's generic page. After a release, the edition's own 404 page
(whose links are absolute, under the edition's address) is copied to the root in one more
commit on the branch, made with git plumbing: the working tree and the index are never
touched.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from evidence.editions.git import executable

PAGE = "404.html"


class GhPagesError(Exception):
    """git could not read or write the published branch."""


def _git(root: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [executable(), "-C", str(root), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", **(env or {})},
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise GhPagesError(f"`git {' '.join(args)}` failed: {last}")
    return done.stdout.strip()


def put_root_404(root: Path, edition: str, branch: str = "gh-pages") -> bool:
    """Copy `<edition>/404.html` on `branch` to the branch's root, in a new commit on it.

    Returns False when the root already holds that page (nothing to commit). Raises
    GhPagesError when the branch or the edition's page is missing.
    """
    page = _git(root, "rev-parse", "--verify", "--quiet", f"{branch}:{edition}/{PAGE}")
    current = _git(root, "rev-parse", "--verify", f"refs/heads/{branch}")
    try:
        if _git(root, "rev-parse", "--verify", "--quiet", f"{branch}:{PAGE}") == page:
            return False
    except GhPagesError:
        pass  # no 404 page at the root yet
    with tempfile.TemporaryDirectory() as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        _git(root, "read-tree", current, env=env)
        _git(root, "update-index", "--add", "--cacheinfo", f"100644,{page},{PAGE}", env=env)
        tree = _git(root, "write-tree", env=env)
    message = f"The site's 404 page at the root, from {edition}"
    commit = _git(root, "commit-tree", tree, "-p", current, "-m", message)
    _git(root, "update-ref", f"refs/heads/{branch}", commit, current)
    return True
