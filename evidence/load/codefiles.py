"""Files a browser runs are code: refused under docs/ unless a maintainer lists them.

MkDocs publishes every file under docs/ as it is: a `docs/x.html` or an SVG holding
`<script>` is a live page on the site's origin, and `docs/assets/evidence.js` replaces our
script on every page. A pull request from a stranger may change docs/, so each file with
an extension in `core/codepaths.CODE_EXTENSIONS` (any case) is an error naming it, unless
mkdocs.yml lists it in the evidence plugin's `code_files` (paths relative to docs_dir).
mkdocs.yml is code (`CODE_PATHS`): changing that list needs a maintainer's review, and
`evidence diff` shows any change to a listed file under "Code changed".

`refuse_code_files` runs in `evidence check` and the build alike: `load_corpus` and
`check_content` (evidence/load/corpus.py) add its problems, outside their memo.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any, Final

from evidence.content import siteconfig
from evidence.core.codepaths import CODE_EXTENSIONS, code_extension
from evidence.core.problems import Problem, error, warning
from evidence.core.safepath import MAX_DEPTH

#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset({"code-file", "code-file-allowlist"})

CONFIG = "mkdocs.yml"
_HINT = (
    "remove it: a pull request may not add a file a browser runs. If the site needs it, a "
    "maintainer reviews it as code and lists it in mkdocs.yml under the evidence plugin's "
    '`code_files` (SECURITY.md, "What counts as code")'
)


def refuse_code_files(root: Path) -> list[Problem]:
    """An error for each file under docs_dir a browser runs or renders, unless `code_files` lists it;
    the list's own mistakes (not a list, a path outside docs_dir, a missing file) at mkdocs.yml's line."""
    config = siteconfig.mkdocs_config(root)
    docs = siteconfig.docs_dir_of(config).strip("/") or "docs"
    allowed, problems = _allowlist(root, config, docs)
    present = set()
    for rel in published(os.path.join(root, docs)):
        present.add(rel)
        ext = code_extension(rel)
        if ext is None or rel in allowed:
            continue
        problems.append(
            error(
                f"{docs}/{rel}",
                1,
                1,
                f"a {ext} file is code, not content ({CODE_EXTENSIONS[ext]}); "
                "mkdocs.yml's `code_files` does not list it",
                "code-file",
                _HINT,
            )
        )
    for rel, line in allowed.items():
        if rel not in present:
            problems.append(
                warning(
                    CONFIG,
                    line,
                    1,
                    f"`code_files` lists '{rel}', which is not a file in {docs}/",
                    "code-file-allowlist",
                    "remove the entry (an entry outlives its file only to let a later one in unreviewed)",
                )
            )
    return sorted(problems)


def _allowlist(root: Path, config: dict[str, Any], docs: str) -> tuple[dict[str, int], list[Problem]]:
    """The docs-relative paths `code_files` lists, each with its line in mkdocs.yml."""
    given = siteconfig.evidence_block(config).get("code_files")
    if given is None:
        return {}, []
    try:
        lines = (root / CONFIG).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    start = next((n for n, text in enumerate(lines) if "code_files" in text), 0)

    def line_of(entry: str) -> int:
        return next((n + 1 for n in range(start, len(lines)) if entry in lines[n]), start + 1)

    if not isinstance(given, list):
        message = "the evidence plugin's `code_files` is not a list of paths"
        hint = "write `code_files: [assets/extra.js]`, each path relative to docs_dir"
        return {}, [error(CONFIG, start + 1, 1, message, "code-file-allowlist", hint)]
    allowed: dict[str, int] = {}
    problems = []
    for entry in given:
        parts = entry.split("/") if isinstance(entry, str) else []
        if not parts or "\\" in entry or entry.startswith("/") or any(p in ("", ".", "..") for p in parts):
            shown = entry if isinstance(entry, str) else repr(entry)
            problems.append(
                error(
                    CONFIG,
                    line_of(shown),
                    1,
                    f"`code_files` entry '{shown}' is not a path inside {docs}/",
                    "code-file-allowlist",
                    f"name one file relative to {docs}/, with `/` and no `..`, e.g. assets/extra.js",
                )
            )
        elif code_extension(entry) is None:
            problems.append(
                warning(
                    CONFIG,
                    line_of(entry),
                    1,
                    f"`code_files` lists '{entry}', which is not a file a browser runs",
                    "code-file-allowlist",
                    f"remove the entry; only {', '.join(CODE_EXTENSIONS)} files need one",
                )
            )
        else:
            allowed[entry] = line_of(entry)
    return allowed, problems


def published(folder: str) -> list[str]:
    """Every file below `folder` as MkDocs lists it (links to folders followed), relative, with `/`.

    Iterative, each real folder entered once and no deeper than `safepath.MAX_DEPTH`
    (`safepath.check_project`, run first, reports links that leave the project, loops and
    deeper folders): no input depth reaches the stack.
    """
    found: list[str] = []
    seen: set[str] = set()
    pending = [(folder, "", 0)]
    while pending:
        path, rel, depth = pending.pop()
        real = os.path.realpath(path)
        if real in seen or depth > MAX_DEPTH:
            continue
        seen.add(real)
        try:
            with os.scandir(path) as scan:
                entries = list(scan)
        except OSError:
            continue
        for entry in entries:
            name = f"{rel}{entry.name}"
            try:
                mode = os.stat(entry.path).st_mode  # through a link, as MkDocs reads it
            except OSError:
                continue
            if stat.S_ISDIR(mode):
                pending.append((entry.path, f"{name}/", depth + 1))
            elif stat.S_ISREG(mode):
                found.append(name)
    return sorted(found)
