"""Which code files a pull request changes: listed first by `evidence diff`, for a maintainer.

A change to a code path (`core/codepaths.py`: mkdocs.yml, macros/, template and theme
overrides, workflows, build files, and every file under docs/ a browser runs) is not
content: it is reviewed as code, whatever else the pull request does. The paths mkdocs.yml
names (docs_dir, the evidence plugin's `templates`, the theme's `custom_dir`, `INHERIT`,
`code_files`) are read from both revisions, so a pull request that moves one is judged by
the old place and the new.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from evidence.content import siteconfig
from evidence.core.codepaths import SiteCode, why_code
from evidence.core.problems import Problem, warning
from evidence.editions import git, gitrev

#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset({"code-changed"})

HEADING = "Code changed — needs a maintainer's review"
_STATUS = {"A": "added", "D": "deleted"}


@dataclass(frozen=True)
class CodeChange:
    """One code file changed between two revisions: its path, how, and why it is code."""

    path: str
    status: str  # "added", "changed" or "deleted"
    why: str

    def problem(self) -> Problem:
        """The line `evidence diff` prints on stderr, before every other."""
        return warning(
            self.path,
            1,
            1,
            f"code {self.status}: {self.why}",
            "code-changed",
            'a maintainer reviews this change as code before merging (SECURITY.md, "What counts as code")',
        )


def _site(root: Path, rev: str | None) -> SiteCode:
    """The code paths mkdocs.yml names at `rev` (the working tree when None)."""
    if rev is None:
        config = siteconfig.mkdocs_config(root)
    else:
        try:
            text = git.run_bytes(["show", f"{rev}:./mkdocs.yml"], root).decode("utf-8", "replace")
        except git.GitError:  # no mkdocs.yml at that revision
            text = ""
        config = siteconfig.parse_mkdocs(text)
    return SiteCode.from_config(config, siteconfig.evidence_block(config))


def _split(output: bytes) -> list[str]:
    return [part.decode("utf-8", "surrogateescape") for part in output.split(b"\0") if part]


def code_changes(root: Path, base: str, head: str | None) -> tuple[CodeChange, ...]:
    """Every code file that differs between `base` and `head` (the working tree, untracked
    files included, when None), by path; paths relative to the project."""
    base_commit = gitrev.resolve(root, base)
    head_commit = None if head is None else gitrev.resolve(root, head)
    revs = [base_commit] + ([head_commit] if head_commit else [])
    fields = _split(
        git.run_bytes(["diff", "--no-renames", "--name-status", "-z", "--relative", *revs, "--"], root)
    )
    status = {fields[i + 1]: _STATUS.get(fields[i][:1], "changed") for i in range(0, len(fields) - 1, 2)}
    if head is None:
        untracked = git.run_bytes(["ls-files", "--others", "--exclude-standard", "-z", "--"], root)
        status |= {path: "added" for path in _split(untracked)}
    sites = (_site(root, base_commit), _site(root, head_commit))
    found = []
    for path, how in sorted(status.items()):
        why = why_code(path, sites)
        if why is not None:
            found.append(CodeChange(path, how, why))
    return tuple(found)
