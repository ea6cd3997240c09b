"""What counts as code in a project: files that run, or that a browser runs or renders.

One list, read by everything that treats code differently from content:

- `evidence check` and the build refuse a file under docs/ with a `CODE_EXTENSIONS`
  extension unless mkdocs.yml's evidence plugin lists it in `code_files`
  (`evidence/load/codefiles.py`);
- `evidence diff` lists a change to any code path first, under "Code changed — needs a
  maintainer's review" (`evidence/editions/codechanges.py`);
- `.github/CODEOWNERS` (this repository's and the one `evidence init` writes) is
  `codeowners()`; SECURITY.md names every entry ("What counts as code";
  `tests/test_code_files.py` checks both).

Paths are project-relative, with `/`; every match ignores case (`MAKEFILE`, `X.JS`).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

_PAGE = "a web page: runs script, submits forms, frames other pages"
_XML = "an XML document the browser renders, which can pull in an XSLT stylesheet that writes script"
_SCRIPT = "script: every page that loads it runs it, and docs/assets/evidence.js replaces ours on every page"

#: Extensions (lower case) of files a browser runs, or renders as a document of their own.
CODE_EXTENSIONS: Final[dict[str, str]] = {
    ".html": _PAGE,
    ".htm": _PAGE,
    ".shtml": _PAGE,
    ".xhtml": _PAGE,
    ".xht": _PAGE,
    ".svg": "an image that is a document: `<script>`, event attributes and links run when it is opened",
    ".svgz": "a compressed SVG, as live as an SVG",
    ".js": _SCRIPT,
    ".mjs": _SCRIPT,
    ".cjs": _SCRIPT,
    ".wasm": "WebAssembly: code a script runs",
    ".css": "a stylesheet: it hides, moves or rewrites text and loads addresses, and "
    "docs/assets/evidence.css replaces ours on every page",
    ".xml": _XML,
    ".xsl": "an XSLT stylesheet: turns an XML file into a page, script included",
    ".xslt": "an XSLT stylesheet: turns an XML file into a page, script included",
    ".rss": _XML,
    ".atom": _XML,
    ".mml": _XML,
    ".swf": "Flash: a program, which no browser runs today but an old one would",
    ".pdf": "a document the browser's own viewer opens: links, forms and, in some viewers, JavaScript",
}

#: Every path that is code wherever the site is configured: (pattern, why). A pattern is a
#: file (`Makefile`), a folder and all below it (`macros/**`), or a name anywhere (`**/*.py`).
CODE_PATHS: Final[tuple[tuple[str, str], ...]] = (
    ("mkdocs.yml", "the site's configuration: plugins, hooks, theme, Markdown extensions, `code_files`"),
    ("macros/**", "the macro module the build imports, and `macros/templates/` (template overrides)"),
    ("overrides/**", "the usual theme `custom_dir`: Jinja templates the theme renders on every page"),
    ("evidence/**", "the evidence package itself, where a site keeps it in its repository"),
    ("**/*.py", "Python: MkDocs hooks and plugins, conftest.py, setup files"),
    (".github/**", "workflows, this CODEOWNERS file, issue and pull-request templates"),
    (".ci/**", "the CI entry point"),
    ("Makefile", "the commands contributors and CI run"),
    ("GNUmakefile", "read by make before Makefile"),
    ("pyproject.toml", "the package, its pinned dependencies and the tools' settings"),
    ("package.json", "the npm packages `npm ci` installs: Decap CMS, the /admin/ editor's JavaScript"),
    ("package-lock.json", "every npm package's exact version and sha512 integrity, which `npm ci` checks"),
    ("requirements*.txt", "the packages a site installs"),
    (".pre-commit-config.yaml", "hooks run on contributors' machines"),
    (".pre-commit-hooks.yaml", "hooks this repository offers to others"),
    ("tests/**", "tests: run in CI and on reviewers' machines"),
    ("benchmarks/**", "scripts maintainers run"),
    (".vscode/**", "editor tasks and settings a reviewer's editor may run"),
    (".gitattributes", "how git checks files out and diffs them"),
    (".gitmodules", "other repositories git fetches"),
)

#: What each path mkdocs.yml names as code is, in `SiteCode.why`.
WHY_DOCS_CODE = "under docs/, a file a browser runs or renders ({why})"
WHY_TEMPLATES = "the evidence plugin's `templates` folder: overrides of the packaged templates"
WHY_CUSTOM_DIR = "the theme's `custom_dir`: Jinja templates the theme renders on every page"
WHY_INHERIT = "a configuration file mkdocs.yml inherits (`INHERIT`)"


def code_extension(name: str) -> str | None:
    """The code extension of a file name, lower case (`.js` for `A.JS`), or None."""
    base = name.rpartition("/")[2].lower()
    dot = base.rfind(".")
    suffix = base[dot:] if dot > 0 else ""
    return suffix if suffix in CODE_EXTENSIONS else None


def _matches(path: str, pattern: str) -> bool:
    path, pattern = path.lower(), pattern.lower()
    if pattern.endswith("/**"):
        return path.startswith(pattern[:-2])
    if pattern.startswith("**/"):
        return fnmatch.fnmatchcase(path.rpartition("/")[2], pattern[3:])
    return "/" not in path and fnmatch.fnmatchcase(path, pattern)


def _folder(value: object) -> str | None:
    """A folder named in mkdocs.yml, project-relative with `/` ('./overrides/' → 'overrides')."""
    if not isinstance(value, str):
        return None
    parts = [p for p in value.replace("\\", "/").split("/") if p not in ("", ".")]
    return "/".join(parts) or None


@dataclass(frozen=True)
class SiteCode:
    """The code paths one mkdocs.yml adds to `CODE_PATHS`: where its docs, template
    overrides and theme overrides are, and the docs files it allows (`code_files`)."""

    docs_dir: str = "docs"
    folders: tuple[tuple[str, str], ...] = ()  # (folder, why)
    files: tuple[tuple[str, str], ...] = ()  # (file, why)

    @classmethod
    def from_config(cls, config: dict[str, object], evidence: dict[str, object]) -> SiteCode:
        """From mkdocs.yml as a mapping and its evidence plugin block (content/siteconfig.py)."""
        docs = _folder(config.get("docs_dir")) or "docs"
        folders = [(_folder(evidence.get("templates", "macros/templates")), WHY_TEMPLATES)]
        theme = config.get("theme")
        if isinstance(theme, dict):
            folders.append((_folder(theme.get("custom_dir")), WHY_CUSTOM_DIR))
        files = [(_folder(config.get("INHERIT")), WHY_INHERIT)]
        allowed = evidence.get("code_files")
        for entry in allowed if isinstance(allowed, list) else []:
            if isinstance(entry, str) and (path := _folder(entry)):
                files.append((f"{docs}/{path}", "listed in mkdocs.yml's `code_files`"))
        return cls(
            docs,
            tuple((f, why) for f, why in folders if f),
            tuple((f, why) for f, why in files if f),
        )


def why_code(path: str, sites: Iterable[SiteCode] = (SiteCode(),)) -> str | None:
    """Why the project-relative `path` is code (the first reason), or None if it is content."""
    for pattern, why in CODE_PATHS:
        if _matches(path, pattern):
            return why
    low = path.lower()
    for site in sites:
        for folder, why in site.folders:
            if low.startswith(folder.lower() + "/"):
                return why
        for file, why in site.files:
            if low == file.lower():
                return why
        if low.startswith(site.docs_dir.lower() + "/") and (ext := code_extension(path)):
            return WHY_DOCS_CODE.format(why=CODE_EXTENSIONS[ext])
    return None


def codeowners(owner: str, docs_dir: str = "docs") -> str:
    """A `.github/CODEOWNERS` that asks `owner` to review every code path.

    GitHub matches CODEOWNERS patterns with case: `X.JS` under docs/ is not listed there,
    but `check` refuses it unless `code_files` (in mkdocs.yml, listed here) allows it.
    """
    lines = [
        "# Code: a change to any of these paths needs a maintainer's review (SECURITY.md,",
        '# "What counts as code"). Written from evidence/core/codepaths.py; a fork or a new',
        "# site names its own maintainers in place of the placeholder team.",
    ]
    for pattern, _why in CODE_PATHS:
        if pattern.endswith("/**"):
            path = f"/{pattern[:-2]}"
        elif pattern.startswith("**/"):
            path = pattern[3:]
        else:
            path = f"/{pattern}"
        lines.append(f"{path} {owner}")
    lines += [f"/{docs_dir}/**/*{ext} {owner}" for ext in CODE_EXTENSIONS]
    return "\n".join(lines) + "\n"
