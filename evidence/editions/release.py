"""Which edition is being built, when it was released, and the editions before it.

An edition is a release tag `vX.Y` in git. The edition of a build comes from the
environment: `EVIDENCE_EDITION`, else `MIKE_DOCS_VERSION` (mike sets it while it builds
`mike deploy vX.Y`); without either the build is an unreleased draft. Dates come from
git (the tag's date), never from the clock, so the same sources give the same site.
Every git failure (no git, not a checkout, a shallow clone) means "no history", never
a crash: the pages say so instead.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evidence.editions import ghpages
from evidence.editions.git import GitError
from evidence.editions.git import run as run_git
from evidence.editions.git import shown as git_shown

#: Release tags: `v` and dotted numbers (v1, v1.2, v1.2.3).
TAG_PATTERN = re.compile(r"^v\d+(\.\d+)*$")
#: Where the edition being built is named, first match wins.
EDITION_ENV = ("EVIDENCE_EDITION", "MIKE_DOCS_VERSION")
#: The mike alias that always points at the newest edition, and is the site's default.
DEFAULT_ALIAS = "latest"


def version_key(tag: str) -> tuple[int, ...]:
    """`v1.10` sorts after `v1.9`."""
    return tuple(int(part) for part in tag.removeprefix("v").split("."))


def is_release_tag(name: str) -> bool:
    return bool(TAG_PATTERN.match(name))


@dataclass(frozen=True)
class Release:
    """One published edition: its tag, its date and the commit it was built from."""

    tag: str
    date: dt.date
    commit: str


@dataclass(frozen=True)
class Git:
    """A project inside a git checkout: the repository's top folder and the project's prefix in it."""

    top: Path
    prefix: str  # "" or "sub/dir/"
    shallow: bool

    def run(self, *args: str) -> str | None:
        return _git(self.top, *args)


@dataclass(frozen=True)
class Edition:
    """What this build is: a released edition (`name` set) or an unreleased draft."""

    name: str | None
    date: dt.date | None
    commit: str | None
    #: Releases before this edition, oldest first (the last one is `previous`).
    earlier: tuple[Release, ...] = ()
    git: Git | None = field(default=None, compare=False)

    @property
    def released(self) -> bool:
        return self.name is not None

    @property
    def previous(self) -> Release | None:
        return self.earlier[-1] if self.earlier else None

    @property
    def label(self) -> str:
        return self.name if self.name else "Unreleased draft"

    @property
    def has_history(self) -> bool:
        """Whether git could tell which editions came before (False: no checkout, or shallow)."""
        return self.git is not None and not (self.git.shallow and not self.earlier)


def _git(cwd: Path, *args: str) -> str | None:
    """git's output, or None whatever went wrong: for an edition, no git means no history."""
    try:
        return run_git(args, cwd)
    except GitError:
        return None


def find_git(root: Path) -> Git | None:
    """The checkout `root` is in, if any."""
    out = _git(root, "rev-parse", "--show-toplevel", "--show-prefix", "--is-shallow-repository")
    if out is None:
        return None
    lines = out.split("\n")
    if len(lines) < 3:
        return None
    return Git(top=Path(lines[0]), prefix=lines[1], shallow=lines[2] == "true")


def releases(git: Git) -> list[Release]:
    """Every release tag in the repository with its date, oldest first."""
    out = git.run(
        "for-each-ref",
        "--format=%(refname:lstrip=2)%09%(creatordate:short)%09%(*objectname)%09%(objectname)",
        "refs/tags",
    )
    found = []
    for line in (out or "").splitlines():
        name, date, peeled, obj = line.split("\t")
        if is_release_tag(name):
            found.append(Release(name, dt.date.fromisoformat(date), peeled or obj))
    return sorted(found, key=lambda r: version_key(r.tag))


def edition_name(environ: dict[str, str] | None = None) -> str | None:
    env = os.environ if environ is None else environ
    return next((env[name].strip() for name in EDITION_ENV if env.get(name, "").strip()), None)


def detect(root: Path, environ: dict[str, str] | None = None) -> Edition:
    """The edition being built from `root`, with what git knows about the ones before it."""
    name = edition_name(environ)
    git = find_git(root)
    if git is None:
        return Edition(name=name, date=None, commit=None)
    known = releases(git)
    this = next((r for r in known if r.tag == name), None)
    if name is not None and is_release_tag(name):
        earlier = [r for r in known if version_key(r.tag) < version_key(name)]
    else:
        earlier = [r for r in known if r.tag != name]
    if this is not None:
        date, commit = this.date, this.commit
    else:  # an unreleased draft, or an edition deployed without its tag: the checkout's commit
        head = (git.run("log", "-1", "--format=%cs%x09%H", "HEAD") or "").strip()
        date_text, _, commit_text = head.partition("\t")
        date = dt.date.fromisoformat(date_text) if date_text else None
        commit = commit_text or None
    return Edition(name=name, date=date, commit=commit, earlier=tuple(earlier), git=git)


def released_claim_files(edition: Edition, release: Release, claims_dir: str) -> dict[str, str]:
    """Claim id -> file path (relative to the project) of every claim file in `release`."""
    if edition.git is None:
        return {}
    prefix = edition.git.prefix  # git runs at the repository's top; the project may be below it
    tree = ["ls-tree", "-r", "--name-only", "--full-tree", release.commit, "--", prefix + claims_dir]
    out = edition.git.run(*tree)
    files: dict[str, str] = {}
    for line in (out or "").splitlines():
        rel = line.removeprefix(prefix)
        if rel.endswith(".yml"):
            files.setdefault(Path(rel).stem, rel)
    return files


# -- the release procedure ------------------------------------------------------


class ReleaseError(Exception):
    """The checkout is not ready to release; the message says what to do."""


def release_tag(git: Git, given: str | None) -> str:
    """The tag to release: `given`, else the one release tag on HEAD; it must be HEAD."""
    head = (git.run("rev-parse", "HEAD") or "").strip()
    if not head:
        raise ReleaseError("the repository has no commits to release")
    if given is None:
        on_head = [t for t in (git.run("tag", "--points-at", "HEAD") or "").split() if is_release_tag(t)]
        if not on_head:
            raise ReleaseError("HEAD has no release tag; tag it first: git tag -a vX.Y -m 'Edition vX.Y'")
        if len(on_head) > 1:
            raise ReleaseError(f"HEAD has several release tags ({', '.join(sorted(on_head))}); name one")
        given = on_head[0]
    if not is_release_tag(given):
        raise ReleaseError(f"'{given}' is not a release tag; editions are tagged vX.Y (e.g. v1.2)")
    commit = (git.run("rev-parse", "--verify", "--quiet", f"refs/tags/{given}^{{commit}}") or "").strip()
    if not commit:
        raise ReleaseError(f"there is no tag {given}; create it: git tag -a {given} -m 'Edition {given}'")
    if commit != head:
        raise ReleaseError(f"tag {given} is not the checked-out commit; run `git checkout {given}` first")
    return given


def keep_version_selector(extra: MutableMapping[str, Any]) -> None:
    """Material's version selector (`extra.version`, provider mike) only in a build mike
    runs, which sets MIKE_DOCS_VERSION: anywhere else there is no versions.json, and every
    page fetched it and logged a 404."""
    version = extra.get("version")
    if (
        isinstance(version, Mapping)
        and version.get("provider") == "mike"
        and not os.environ.get("MIKE_DOCS_VERSION")
    ):
        del extra["version"]


def mike_commands(tag: str, date: dt.date, *, push: bool) -> list[list[str]]:
    """The two mike commands of a release: deploy the edition as `latest`, make `latest` the default."""
    flags = ["--push"] if push else []
    return [
        ["deploy", "--update-aliases", "--title", f"{tag} ({date.isoformat()})", *flags, tag, DEFAULT_ALIAS],
        ["set-default", *flags, DEFAULT_ALIAS],
    ]


def _is_default(root: Path, alias: str, branch: str = "gh-pages") -> bool:
    """Whether the site root on `branch` already redirects to `alias` (mike's index.html)."""
    page = _git(root, "show", f"{branch}:index.html") or ""
    return f'url={alias}/"' in page


def publish(root: Path, tag: str | None = None, *, push: bool = False, dry_run: bool = False) -> int:
    """Deploy the tagged checkout with mike. Raises ReleaseError when it is not ready."""
    git = find_git(root)
    if git is None:
        raise ReleaseError(f"{root} is not a git checkout; releases are built from tags")
    tag = release_tag(git, tag)
    dirty = (_git(root, "status", "--porcelain", "--", ".") or "").splitlines()  # the project's files
    if dirty:
        listed = "; ".join(line[3:] for line in dirty[:5]) + ("; ..." if len(dirty) > 5 else "")
        raise ReleaseError(f"the working tree differs from {tag} ({listed}); commit or remove the changes")
    date = next(r.date for r in releases(git) if r.tag == tag)
    bin_dir = Path(sys.executable).parent
    mike = str(bin_dir / "mike") if (bin_dir / "mike").exists() else shutil.which("mike") or "mike"
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",  # mike runs `mkdocs build`
        "EVIDENCE_EDITION": tag,
        "NO_MKDOCS_2_WARNING": "1",
    }
    for args in mike_commands(tag, date, push=push):
        shown = "mike " + " ".join(shlex.quote(a) for a in args)
        if args[0] == "set-default" and not dry_run and _is_default(root, DEFAULT_ALIAS):
            # mike would commit nothing and print git's "nothing changed ... --allow-empty"
            print(f"{shown}: skipped, {DEFAULT_ALIAS} is already the default version", flush=True)
            continue
        print(shown, flush=True)
        if not dry_run:
            done = subprocess.run([mike, *args], cwd=root, env=env, check=False)
            if done.returncode != 0:
                return done.returncode
    return _root_404(root, tag, push=push, dry_run=dry_run)


def _root_404(root: Path, tag: str, *, push: bool, dry_run: bool) -> int:
    """The edition's 404 page at the root of gh-pages, which mike leaves without one."""
    shown = f"copy {tag}/404.html to the root of gh-pages"
    if dry_run:
        print(shown, flush=True)
    else:
        try:
            made = ghpages.put_root_404(root, tag)
        except ghpages.GhPagesError as exc:
            raise ReleaseError(f"{shown}: {exc}") from None
        print(shown if made else f"{shown}: skipped, the root already holds it", flush=True)
    if push:
        print("git push origin gh-pages", flush=True)
        if not dry_run:
            try:
                return git_shown(["push", "origin", "gh-pages"], root)
            except GitError as exc:
                raise ReleaseError(f"git push origin gh-pages: {exc}") from None
    return 0
