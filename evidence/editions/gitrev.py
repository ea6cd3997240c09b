"""The content of a git revision: its claims and references.bib, loaded like the working tree.

`git archive` writes the revision's `content/` and `references.bib` into a temporary folder,
which `load_corpus` reads exactly as it reads the working tree. Git is run without a shell,
with the revision passed as one argument; every failure is a `GitError` with a message a
person can act on, never a traceback.
"""

from __future__ import annotations

import io
import tarfile
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from evidence.core.problems import Problem
from evidence.editions import git
from evidence.editions.git import GitError as GitError  # re-exported: its callers catch it
from evidence.load.corpus import BIB_FILE, CONTENT_DIR, Corpus, Settings, load_corpus

if TYPE_CHECKING:
    from evidence.content.pagesource import ParsedPage

#: Where to look for the default branch when origin/HEAD is not set, in order.
DEFAULT_BRANCHES = ("origin/main", "origin/master", "main", "master")


def _git(root: Path, *args: str, binary: bool = False) -> str | bytes:
    """`git.run` (stripped) or `git.run_bytes`: every failure is a GitError."""
    return git.run_bytes(args, root) if binary else git.run(args, root).strip()


def _rev_exists(root: Path, rev: str) -> bool:
    try:
        _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    except GitError:
        return False
    return True


def resolve(root: Path, rev: str) -> str:
    """The commit id of `rev`, or a GitError naming it."""
    toplevel(root)
    if rev.startswith("-") or not _rev_exists(root, rev):
        raise GitError(f"'{rev}' is not a commit in this repository (try a branch, tag or commit id)")
    return str(_git(root, "rev-parse", "--verify", "--end-of-options", f"{rev}^{{commit}}"))


def toplevel(root: Path) -> Path:
    git.executable()
    try:
        return Path(str(_git(root, "rev-parse", "--show-toplevel")))
    except GitError:
        raise GitError(f"{root} is not inside a git repository") from None


def default_branch(root: Path) -> str:
    """origin/HEAD when the clone knows it, else the first of main/master that exists."""
    try:
        ref = str(_git(root, "symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"))
        return ref.removeprefix("refs/remotes/")
    except GitError:
        pass
    for name in DEFAULT_BRANCHES:
        if _rev_exists(root, name):
            return name
    raise GitError("cannot find the default branch (no origin/HEAD, main or master); name BASE")


def default_base(root: Path) -> str:
    """Where a pull request starts: the nearest merge-base of HEAD with the main branch,
    local or remote (after a local merge, origin/main is behind main), else the last
    edition tag (vX.Y) HEAD contains."""
    return default_base_and_name(root)[0]


def default_base_and_name(root: Path) -> tuple[str, str]:
    """`default_base` and what it is, for the report: 'merge-base of HEAD and main'."""
    toplevel(root)
    if not _rev_exists(root, "HEAD"):
        raise GitError("the repository has no commits yet; there is nothing to compare with")
    try:
        first = default_branch(root)
    except GitError:
        first = None
    bases: list[tuple[str, str]] = []
    for branch in dict.fromkeys([b for b in (first, *DEFAULT_BRANCHES) if b and _rev_exists(root, b)]):
        try:
            bases.append((str(_git(root, "merge-base", "HEAD", branch)), f"merge-base of HEAD and {branch}"))
        except GitError:
            continue  # no common ancestor with this one
    if bases:
        nearest = bases[0]
        for commit, name in bases[1:]:
            if commit != nearest[0] and _is_ancestor(root, nearest[0], commit):
                nearest = (commit, name)
        return nearest
    try:
        tag = str(_git(root, "describe", "--tags", "--abbrev=0", "--match", "v[0-9]*", "HEAD"))
    except GitError:
        raise GitError(
            "cannot find the main branch (no origin/HEAD, main or master) nor an edition tag; name BASE"
        ) from None
    return str(_git(root, "rev-parse", "--verify", f"{tag}^{{commit}}")), f"the last edition, {tag}"


def _is_ancestor(root: Path, older: str, newer: str) -> bool:
    try:
        _git(root, "merge-base", "--is-ancestor", older, newer)
    except GitError:
        return False
    return True


def _extract(archive: bytes, dest: Path) -> None:
    """Unpack git's tar; members that would land outside `dest` are skipped, not followed."""

    def safe(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
        try:
            return tarfile.data_filter(member, path)
        except tarfile.FilterError:
            return None

    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter=safe)


def load_revision(
    root: Path, rev: str | None, settings: Settings | None = None
) -> tuple[Corpus, list[Problem]]:
    """The corpus at `rev` (the working tree when None), and the problems loading it found.

    A revision's corpus keeps `root` pointing at the project folder: its files were read
    from a temporary copy that no longer exists.
    """
    if rev is None:
        return load_corpus(root, settings)
    commit = resolve(root, rev)
    top = toplevel(root)  # git runs there: ls-tree and archive filter by the current folder
    prefix = str(_git(root, "rev-parse", "--show-prefix"))  # the project may sit in a subfolder
    tree = f"{commit}:{prefix}" if prefix else commit
    names = set(str(_git(top, "ls-tree", "--name-only", tree)).splitlines())
    wanted = [name for name in (CONTENT_DIR, BIB_FILE) if name in names]
    with tempfile.TemporaryDirectory(prefix="evidence-rev-") as tmp:
        if wanted:
            _extract(_git(top, "archive", "--format=tar", tree, "--", *wanted, binary=True), Path(tmp))
        corpus, problems = load_corpus(Path(tmp), settings)
    corpus.root = root
    return corpus, problems


def corpus_at(root: Path, rev: str | None, settings: Settings | None = None) -> Corpus:
    """The corpus at `rev` (the working tree when None); content errors are left to `check`."""
    return load_revision(root, rev, settings)[0]


def pages_at(root: Path, rev: str | None) -> list[ParsedPage]:
    """The docs pages at `rev` (the working tree when None), read as `check` reads them, with
    their paths as in the project (docs/x.md): `docs_dir` is the working tree's mkdocs.yml's."""
    from evidence.content import siteconfig
    from evidence.load.docs_check import read_pages

    docs = siteconfig.docs_dir(root)
    if rev is None:
        return read_pages(root, root / docs)
    commit = resolve(root, rev)
    top = toplevel(root)
    prefix = str(_git(root, "rev-parse", "--show-prefix"))
    tree = f"{commit}:{prefix}" if prefix else commit
    if docs not in set(str(_git(top, "ls-tree", "--name-only", tree)).splitlines()):
        return []
    with tempfile.TemporaryDirectory(prefix="evidence-rev-") as tmp:
        _extract(_git(top, "archive", "--format=tar", tree, "--", docs, binary=True), Path(tmp))
        return read_pages(Path(tmp), Path(tmp) / docs)
