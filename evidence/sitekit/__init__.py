"""`evidence init DIR`: write a new evidence site from the skeleton shipped in this package.

Every file comes from a template under `skeleton/` (Jinja, sandboxed). The title and the
topics are values; each lands through the filter for the language of the file it lands
in (`yaml`, `md`), and a value printed without one is refused when the template renders,
so no title can break a file or run as a template in the new site.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence.core.codepaths import codeowners
from evidence.core.textpolicy import HINT as CHARACTER_HINT
from evidence.core.textpolicy import first_bad_character
from evidence.render.forge import ForgeError, parse_branch, parse_repo_url
from evidence.sitekit.origin import requirement_line

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment

#: The placeholder team a new site's .github/CODEOWNERS names (its README says to change it).
CODEOWNERS_TEAM = "@your-org/maintainers"
#: The claim the new site starts with, in its first topic.
EXAMPLE_CLAIM = "example-claim"
DEFAULT_TOPICS = ("findings",)
#: Pages the skeleton writes itself (or the plugin generates): no topic may take their name.
RESERVED_PAGES = frozenset({"index", "claims", "references", "methodology", "disclaimer", "data", "changes"})
_TOPIC_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_MAX_TITLE = 200
_DISTRIBUTION = "evidence-site"
#: What the new site's requirements.txt pins, at the versions this package pins.
_SITE_REQUIREMENTS = ("pytest", "beautifulsoup4")


class InitError(Exception):
    """A refusal with its fix; `usage` marks a bad argument (exit 2)."""

    def __init__(self, message: str, hint: str = "", *, usage: bool = True) -> None:
        super().__init__(message)
        self.message, self.hint, self.usage = message, hint, usage


class _Escaped(str):
    """Text a filter made safe for the file it lands in."""


def _yaml(value: object) -> _Escaped:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of it)."""
    return _Escaped(json.dumps(str(value), ensure_ascii=False))


_MD_SPECIAL = re.compile(r"[\\`*_\[\]()#+\-.!<>&{}%\"']")  # Python-Markdown's escapes, and HTML
_MD_ENTITY = {"<": "&lt;", ">": "&gt;", "&": "&amp;", "{": "&#123;", "}": "&#125;", "%": "&#37;"}
_MD_ENTITY |= {'"': "&quot;", "'": "&#39;"}


def _md(value: object) -> _Escaped:
    """Markdown inline text shown literally: no markup, no HTML and no `{{`/`{%` for mkdocs-macros."""
    text = " ".join(str(value).split())
    return _Escaped(_MD_SPECIAL.sub(lambda m: _MD_ENTITY.get(m[0], "\\" + m[0]), text))


def _code(value: object) -> _Escaped:
    """Text inside a Markdown code span, where no escape works: ids and paths only."""
    text = str(value)
    if "`" in text or "\n" in text:
        raise ValueError(f"{text!r} cannot stand in a code span")
    return _Escaped(text)


def _macro(name: str, *args: str) -> _Escaped:
    """A macro call for a docs page, e.g. `{{ claims("harms") }}`: JSON strings are Jinja strings."""
    call = f"{name}({', '.join(json.dumps(a) for a in args)})"
    return _Escaped("{{ " + call + " }}")


def _finalize(value: object) -> object:
    """Refuse a template value printed without `yaml` or `md`: each file's syntax needs one."""
    if isinstance(value, str) and not isinstance(value, _Escaped):
        raise TypeError(f"skeleton template prints {value!r} without the yaml or md filter")
    return value


def _environment() -> SandboxedEnvironment:
    # imported here: the CLI registers `init` on every run, and `check` must not pay for Jinja
    from jinja2 import PackageLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
        loader=PackageLoader("evidence.sitekit", "skeleton"),
        autoescape=False,  # the files are YAML, Markdown and Python: the filters escape for each
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        finalize=_finalize,
    )
    env.filters.update(yaml=_yaml, md=_md, code=_code)
    env.globals["macro"] = _macro
    return env


@dataclass(frozen=True)
class NewTopic:
    id: str
    title: str

    @property
    def page(self) -> str:
        """Safe as it stands in YAML, Markdown and a URL: the id is [a-z0-9-]."""
        return _Escaped(f"{self.id}.md")


def _topics(ids: list[str]) -> list[NewTopic]:
    out: list[NewTopic] = []
    for given in ids or DEFAULT_TOPICS:
        if not _TOPIC_ID.fullmatch(given):
            raise InitError(
                f"topic id {given!r} is not valid",
                "use lowercase letters, digits and single hyphens, e.g. --topic side-effects",
            )
        if given in RESERVED_PAGES:
            raise InitError(
                f"topic id {given!r} is the name of a page every site has",
                f"choose another id; these are taken: {', '.join(sorted(RESERVED_PAGES))}",
            )
        if any(t.id == given for t in out):
            raise InitError(f"topic {given!r} is given twice", "give each --topic once")
        out.append(NewTopic(given, given.replace("-", " ").capitalize()))
    return out


def _check_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise InitError("the title is empty", 'give one, e.g. --title "Exercise for knee pain"')
    if len(title) > _MAX_TITLE:
        raise InitError(f"the title has {len(title)} characters", f"keep it to {_MAX_TITLE} or fewer")
    if bad := first_bad_character(title):
        raise InitError(f"the title holds {bad.describe()}", CHARACTER_HINT)
    return title


def _requirements() -> list[str]:
    """requirements.txt's lines: this package as it was installed here (a wheel, a folder or
    a git URL, from PEP 610's direct_url.json: sitekit/origin.py), else its version; then
    the site's test tools, pinned as this package pins them."""
    from importlib import metadata

    lines = [_Escaped(requirement_line())]
    for line in metadata.requires(_DISTRIBUTION) or []:
        name, _, rest = line.partition("==")
        if name.strip() in _SITE_REQUIREMENTS and rest:
            lines.append(_Escaped(f"{name.strip()}=={rest.split(';')[0].strip()}"))
    return lines


def _target(template: str, topics: list[NewTopic]) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Where a skeleton template is written, with its extra values (several for per-topic ones)."""
    rel = template.removeprefix("files/").removesuffix(".j2")
    parts = [("." + p.removeprefix("dot-")) if p.startswith("dot-") else p for p in rel.split("/")]
    if template == "topic.md.j2":
        for topic in topics:
            yield Path("docs", topic.page), {"topic": topic}
    elif template == "example-claim.yml.j2":
        yield Path("content", "claims", topics[0].id, f"{EXAMPLE_CLAIM}.yml"), {"topic": topics[0]}
    else:
        yield Path(*parts), {}


def _repository(repo_url: str | None, branch: str) -> dict[str, _Escaped | None]:
    """mkdocs.yml's `repo_url` and `edit_uri` for `--repo-url` and `--branch` (None: no links)."""
    if repo_url is None:
        return {"repo_url": None, "edit_uri": None}
    try:
        url = parse_repo_url(repo_url)
    except ForgeError as error:
        raise InitError(error.message.replace("repo_url", "--repo-url", 1), error.hint) from error
    edit_uri = f"edit/{branch}/docs/"
    try:
        parse_branch(edit_uri)
    except ForgeError as error:
        raise InitError(f"--branch {branch!r} is not a branch name", "e.g. --branch main") from error
    return {"repo_url": _Escaped(url), "edit_uri": _Escaped(edit_uri)}


def init_site(
    dest: Path,
    title: str,
    topics: list[str],
    *,
    today: dt.date | None = None,
    repo_url: str | None = None,
    branch: str = "main",
) -> list[Path]:
    """Write a new site into `dest` (missing or empty); return the files written, sorted.

    `repo_url`: the site's repository (https://github.com/<owner>/<name>); with it, every
    claim links to the correction form and to its file in the forge's editor."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise InitError(
            f"{dest} is not an empty folder; nothing was written",
            "give a new folder name, e.g. `evidence init my-site`",
        )
    values: dict[str, Any] = {
        "title": _check_title(title),
        "topics": _topics(topics),
        "example_claim": _Escaped(EXAMPLE_CLAIM),
        "today": _Escaped((today or dt.date.today()).isoformat()),
        "requirements": _requirements(),
        # the paths a maintainer reviews as code (core/codepaths.py); the team is a placeholder
        "codeowners": _Escaped(codeowners(CODEOWNERS_TEAM)),
        **_repository(repo_url, branch),
    }
    env = _environment()
    rendered: dict[Path, str] = {}
    for template in env.list_templates(extensions=["j2"]):
        for rel, extra in _target(template, values["topics"]):
            rendered[rel] = env.get_template(template).render(**values, **extra)
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for rel, text in sorted(rendered.items()):
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    from evidence.content.schema import write as write_schemas  # generated from the model, so never stale

    written += write_schemas(dest)
    return sorted(written)
