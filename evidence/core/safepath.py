"""No file from outside the project: the one walk of every tree a build or `check` reads.

A pull request can commit symbolic links, and MkDocs copies whatever a link in docs/
points to (`docs/x.txt -> /etc/passwd` would be published). So, before anything is read,
`check_project` walks docs/ (mkdocs.yml's `docs_dir`), content/, macros/ and overrides/ and
looks at references.bib and mkdocs.yml, and refuses:

- a link that resolves outside the project, or into a hidden folder of it (`.git/config`,
  `.cache/`): the build would copy or read a file no reviewer sees in the diff;
- a dangling link (MkDocs would stop with a traceback), and anything that is neither a
  file, a folder nor a link (a FIFO would hang the build);
- folders nested deeper than `MAX_DEPTH` below the tree (a claim 1,100 folders deep).

A link that resolves inside the project (to a file or folder that is not hidden, and
not a folder that holds the link: MkDocs would walk that loop forever) is followed,
and what it points to is checked the same way: a shared `topics.yml` kept beside
content/ is as reviewable as content/ itself. The walk is iterative (no recursion on the
depth of the input) and each real folder is entered once, so a link loop ends.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final

from evidence.core.problems import Problem, error

#: Folders deeper than this below docs/, content/, macros/ are refused (the site needs 2).
#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset(
    {
        "path-special",
        "path-too-deep",
        "symlink-dangling",
        "symlink-hidden",
        "symlink-loop",
        "symlink-outside",
    }
)

MAX_DEPTH = 32
TREES = ("content", "macros", "overrides")
FILES = ("references.bib", "mkdocs.yml")
_HINT_LINK = "commit the file itself, or point the link at a file inside the project"


class UnsafePath(ValueError):
    """A path the project may not read; carries the problem to report."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.format())


def walk(folder: str, rel: str) -> Iterator[tuple[str, os.DirEntry[str], int]]:
    """(relative path, entry, depth) of everything below `folder`, in sorted-path order.

    Depth first, each folder's entries sorted by name (the order of sorted `Path`s), with
    an explicit stack. Folders are yielded and then entered, links are yielded and never
    entered; a folder we may not read is skipped, as `Path.rglob` does.
    """
    stack: list[Iterator[tuple[str, os.DirEntry[str], int]]] = [_listing(folder, rel, 1)]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
            continue
        yield item
        path, entry, depth = item
        if entry.is_dir(follow_symlinks=False):
            stack.append(_listing(entry.path, path, depth + 1))


def _listing(folder: str, rel: str, depth: int) -> Iterator[tuple[str, os.DirEntry[str], int]]:
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except (PermissionError, NotADirectoryError, FileNotFoundError):
        return iter(())
    return ((f"{rel}/{entry.name}", entry, depth) for entry in entries)


def _hidden(rel: str) -> bool:
    return any(part.startswith(".") for part in rel.split("/"))


def link_problem(root: str, rel: str) -> Problem | None:
    """Why the link at `rel` may not be followed, or None if it resolves inside the project."""
    full = os.path.join(root, rel)
    target = os.readlink(full)
    resolved = os.path.realpath(full)
    if not os.path.exists(resolved):
        return error(
            rel,
            1,
            1,
            f"symbolic link to '{target}', which does not exist",
            "symlink-dangling",
            "remove the link, or commit the file it should point to",
        )
    inside = os.path.relpath(resolved, root)
    if inside == ".." or inside.startswith("../") or os.path.isabs(inside):
        return error(
            rel, 1, 1, f"symbolic link to '{target}', outside the project", "symlink-outside", _HINT_LINK
        )
    if _hidden(inside):
        return error(
            rel,
            1,
            1,
            f"symbolic link to '{target}', inside the hidden folder or file '{inside}'",
            "symlink-hidden",
            _HINT_LINK,
        )
    return None


def resolve(root: Path, rel: str) -> Path:
    """`root / rel` with every link in it resolved, if that stays inside the project.

    Raises `UnsafePath` for a link that leaves it (or is dangling): what the schema export
    and `check` read goes through here.
    """
    top = os.path.realpath(root)
    parts = rel.split("/")
    for number in range(1, len(parts) + 1):
        prefix = "/".join(parts[:number])
        if os.path.islink(os.path.join(top, prefix)):
            problem = link_problem(top, prefix)
            if problem is not None:
                raise UnsafePath(problem)
    return Path(os.path.realpath(os.path.join(top, rel)))


def below(config_file: str, folder: str) -> str:
    """`folder` relative to the folder of `config_file` (mkdocs.yml), links not resolved."""
    top = os.path.dirname(os.path.abspath(config_file))
    return os.path.relpath(os.path.abspath(folder), top).replace(os.sep, "/")


def check_project(root: Path, docs_dir: str = "docs", trees: Iterable[str] = TREES) -> list[Problem]:
    """Every link, special file and over-deep folder that a build or `check` would meet."""
    top = os.path.realpath(root)
    problems: list[Problem] = []
    seen: set[str] = set()
    for rel in FILES:
        if os.path.islink(os.path.join(top, rel)):
            problems += filter(None, [link_problem(top, rel)])
    for rel in dict.fromkeys([docs_dir.strip("/") or ".", *trees]):
        problems += _check_tree(top, rel, seen)
    return sorted(set(problems))


def _check_tree(top: str, rel: str, seen: set[str]) -> list[Problem]:
    """One tree, and every folder a link in it leads to (each real folder once)."""
    problems: list[Problem] = []
    pending = [(rel, 0)]  # (project-relative folder or link, depth of that folder)
    while pending:
        start, base_depth = pending.pop()
        full = os.path.join(top, start)
        if os.path.islink(full):
            problem = link_problem(top, start)
            if problem is not None:
                problems.append(problem)
                continue
        if not os.path.isdir(full):
            continue  # a missing tree, or a file (links to files were checked above)
        real = os.path.realpath(full)
        if real in seen:
            continue
        seen.add(real)
        folders = [(full, start, base_depth + 1)]  # unsorted scandir: the problems are sorted after
        while folders:
            folder, folder_rel, depth = folders.pop()
            try:
                scan = list(os.scandir(folder))
            except OSError:  # as rglob: a folder we may not read is skipped
                continue
            for entry in scan:
                path = f"{folder_rel}/{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    if depth > MAX_DEPTH:
                        problems.append(_too_deep(path))
                    else:
                        folders.append((entry.path, path, depth + 1))
                elif entry.is_file(follow_symlinks=False):
                    continue
                elif entry.is_symlink():
                    problems += _followed(top, path, entry.path, depth, pending)
                else:
                    kind = "a FIFO" if stat.S_ISFIFO(entry.stat(follow_symlinks=False).st_mode) else "special"
                    problems.append(
                        error(path, 1, 1, f"{kind} file, not a regular file", "path-special", "remove it")
                    )
    return problems


def _followed(top: str, rel: str, full: str, depth: int, pending: list[tuple[str, int]]) -> list[Problem]:
    """The problem with the link at `rel`; a good link to a folder is queued to be walked."""
    problem = link_problem(top, rel)
    if problem is not None:
        return [problem]
    if os.path.isdir(full):
        target = os.path.realpath(full)
        here = os.path.realpath(os.path.dirname(full))
        if here == target or here.startswith(target + os.sep):
            return [_loop(rel, os.readlink(full))]
        pending.append((rel, depth))
    return []


def _loop(path: str, target: str) -> Problem:
    return error(
        path,
        1,
        1,
        f"symbolic link to '{target}', a folder that holds the link itself (MkDocs would never stop)",
        "symlink-loop",
        "remove the link",
    )


def _too_deep(path: str) -> Problem:
    return error(
        path,
        1,
        1,
        f"folders nested more than {MAX_DEPTH} deep are not read",
        "path-too-deep",
        "move the files it holds up, near the top of their tree",
    )
