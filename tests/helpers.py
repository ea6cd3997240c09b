"""Build real mini-projects in temp folders: the same mkdocs.yml, macros and templates as the site."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

REPO = Path(__file__).resolve().parents[1]

BIB = textwrap.dedent(
    """\
    @online{article-a,
      author = {{Example Health Site}},
      title = {An Example Article About Back Pain},
      howpublished = {Example Health Site},
      year = {2020},
    }

    @misc{survey-b,
      author = {{Example Association}},
      howpublished = {Survey},
      note = {Known only through article-a},
    }
    """
)


#: Recent enough never to be stale (24 months) nor in the future, whenever the tests run.
REVIEWED = (dt.date.today() - dt.timedelta(days=30)).isoformat()


def claim_data(claim_id: str = "example-claim", topic: str = "burden", **overrides: object) -> dict:
    data: dict = {
        "id": claim_id,
        "topic": topic,
        "title": "An example claim",
        "statement": "Some people with back pain do not see anyone about it.",
        "statistic": {
            "as_stated": "37 percent",
            "value": 37,
            "unit": "percent",
            "population": "Survey respondents",
        },
        "source": "survey-b",
        "reported_in": "article-a",
        "quote": {"text": "37 percent of people said so", "locator": "paragraph 1"},
        "evidence": {"kind": "survey", "primary_checked": False},
        "certainty": {
            "level": "very-low",
            "reasons": [
                {"domain": "indirectness", "note": "Known only through the article that reports it."}
            ],
        },
        "reviewed": {"date": REVIEWED, "by": "Test Reviewer"},
    }
    data.update(overrides)
    if data.get("reported_in") is not None and "primary_check" not in overrides:
        data["primary_check"] = {"verdict": "not-yet-checked"}  # an article's claim names its check
    return {k: v for k, v in data.items() if v is not None}


def claim_yaml(data: dict) -> str:
    header = "# yaml-language-server: $schema=../../schema/claim.schema.json\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@dataclass
class Project:
    root: Path

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def write_claim(self, data: dict, rel: str | None = None) -> Path:
        rel = rel or f"content/claims/{data['topic']}/{data['id']}.yml"
        return self.write(rel, claim_yaml(data))

    def build(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """Run a real `mkdocs build --strict` into <root>/site."""
        full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
        return subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site", *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            env=full_env,
            timeout=300,
        )

    def check(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "evidence", "check", *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def html(self, page: str) -> str:
        return (self.root / "site" / page).read_text(encoding="utf-8")


#: The real mkdocs.yml's evidence plugin entry, which turns the browser editor (/admin/) on.
EDITOR_ON = "  - evidence:\n      editor: true\n"


def copy_site_code(dest: Path, *, editor: bool = False) -> None:
    """What makes the site (configuration, macros, templates, assets), without content.

    Without `editor`, mkdocs.yml's plugin entry is the bare `  - evidence` (the editor off,
    as in `evidence init`'s sites), which tests replace with their options; with it, the
    real entry (`editor: true`) and the files the editor is built from (`copy_editor_files`).
    """
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert config.count(EDITOR_ON) == 1, "mkdocs.yml: the evidence plugin entry is not EDITOR_ON"
    if not editor:
        config = config.replace(EDITOR_ON, "  - evidence\n")
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    if editor:
        copy_editor_files(dest)
    shutil.copytree(REPO / "macros", dest / "macros", ignore=shutil.ignore_patterns("__pycache__"))
    (dest / "content" / "schema").mkdir(parents=True)
    shutil.copytree(REPO / "content" / "schema", dest / "content" / "schema", dirs_exist_ok=True)
    shutil.copy(REPO / "content" / "topics.yml", dest / "content" / "topics.yml")
    shutil.copy(REPO / "content" / "site.yml", dest / "content" / "site.yml")


def copy_editor_files(dest: Path) -> None:
    """What a build with `editor: true` reads from the project's npm install, copied (not
    linked: the plugin refuses a link that leads out of the project, evidence/mkdocs/editor.py):
    package.json, package-lock.json, decap-cms's package.json and the dist files the plugin
    publishes (its own `_DIST_FILE` pattern), 6.5 MB."""
    from evidence.mkdocs import editor

    source = REPO / editor.DIST
    if not (source / "decap-cms.js").is_file():
        raise FileNotFoundError(f"{source}/decap-cms.js is missing: run `npm ci` (make test does)")
    for name in ("package.json", "package-lock.json"):
        shutil.copy(REPO / name, dest / name)
    target = dest / editor.DIST
    target.mkdir(parents=True)
    shutil.copy(source.parent / "package.json", target.parent / "package.json")
    for path in sorted(source.iterdir()):
        if editor._DIST_FILE.fullmatch(path.name) and path.is_file():
            shutil.copy(path, target / path.name)


def _without_block(text: str, key: str) -> str:
    """`text` (YAML) without the top-level `key:` block, comments and all else kept."""
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith(f"{key}:"):
            skipping = True
            continue
        if skipping and (line.startswith((" ", "\t", "#")) or not line.strip()):
            continue
        skipping = False
        out.append(line)
    return "".join(out)


#: Pages in the nav that the evidence plugin generates at build: never written in docs/.
GENERATED_NAV_PAGES = {"changes.md"}


def nav_pages() -> list[str]:
    """The hand-written pages the nav lists (generated ones are left out)."""
    config = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    pages: list[str] = []

    def walk(items: list) -> None:
        for item in items:
            for value in item.values():
                if isinstance(value, list):
                    walk(value)
                else:
                    pages.append(value)

    walk(config["nav"])
    return [page for page in pages if page not in GENERATED_NAV_PAGES]


def mini_project(root: Path, claims: list[dict] | None = None, bib: str = BIB) -> Project:
    """A complete small project: the real site code, two references, one claim per topic page."""
    copy_site_code(root)
    project = Project(root)
    project.write("references.bib", bib)
    # the site's red-flag box cites a reference of the real references.bib: a mini project
    # (its own references) leaves it out, as a site with no medical subject would
    site = (REPO / "content" / "site.yml").read_text(encoding="utf-8")
    project.write("content/site.yml", _without_block(site, "safety"))
    topics = yaml.safe_load((REPO / "content" / "topics.yml").read_text())["topics"]
    for page in nav_pages():
        title = page.removesuffix(".md").capitalize()
        body = f"# {title}\n\nIntroductory prose.\n"
        for topic in topics:
            if topic["page"] == page:
                body += f'\n{{{{ claims("{topic["id"]}") }}}}\n'
        if page == "claims.md":
            body += "\n{{ claims_table() }}\n"
        if page == "references.md":
            body += "\n{{ bibliography() }}\n"
        project.write(f"docs/{page}", body)
    for data in claims if claims is not None else [claim_data()]:
        project.write_claim(data)
    return project


def copy_real_project(root: Path) -> Project:
    """The whole real site (content included), to build or to plant changes in: its own
    mkdocs.yml, editor and all (Decap's files copied from this checkout's `npm ci`)."""
    copy_site_code(root, editor=True)
    shutil.copytree(REPO / "content" / "claims", root / "content" / "claims")
    shutil.copy(REPO / "references.bib", root / "references.bib")
    shutil.copytree(REPO / "docs", root / "docs", dirs_exist_ok=True)
    return Project(root)


# -- scanning built HTML for anything live (tests/test_inert_site.py, test_nothing_runs.py) --
#: Attributes that hold an address a browser may load or navigate to.
URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset", "background")
#: Elements no page of ours writes: each one would let content load or run something.
FORBIDDEN_TAGS = ("iframe", "object", "embed", "base", "frame", "frameset", "applet")
#: The forms the theme and our templates write, by an attribute only they carry.
KNOWN_FORMS = (
    ("data-md-component", "palette"),  # Material's colour-scheme toggle
    ("name", "search"),  # Material's search box
    ("data-ev-filters", ""),  # evidence/render/templates/claims_table.html
)
_BAD_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


def theme_inline_scripts() -> list[re.Pattern[str]]:
    """Every inline <script> the theme's partials (and our overrides) write, as a pattern.

    Read from the templates themselves, so only their exact code passes; a `{{ … }}` in them
    (a base URL) may be any address-like text without quotes or markup.
    """
    material = Path(__import__("material").__file__).parent / "templates" / "partials" / "javascripts"
    patterns = []
    for folder in (material, REPO / "evidence" / "render" / "overrides" / "partials" / "javascripts"):
        for template in sorted(folder.glob("*.html")):
            for body in re.findall(r"<script>(.*?)</script>", template.read_text(), flags=re.DOTALL):
                parts = _JINJA.split(body)
                patterns.append(re.compile("[-./A-Za-z0-9_]*".join(re.escape(p) for p in parts)))
    return patterns


#: A CSS string as cite_this.css_string writes it: plain characters and ended hex escapes only.
_CSS_STRING = r'"(?:[A-Za-z0-9 ,.:/_()-]|\\[0-9A-F]{1,6} )*"'


@functools.cache
def our_print_style() -> re.Pattern[str]:
    """The one <style> a page may hold (cite_this.html's running line), with any CSS string."""
    template = (REPO / "evidence" / "render" / "templates" / "cite_this.html").read_text()
    (body,) = re.findall(r'<style media="print">(.*?)</style>', template, flags=re.DOTALL)
    return re.compile(_CSS_STRING.join(re.escape(p) for p in _JINJA.split(body)))


def _unsafe_url(value: str) -> bool:
    """A browser drops ASCII whitespace and controls before the scheme: so does this test."""
    squeezed = re.sub(r"[\x00-\x20]+", "", value)
    return any(_BAD_SCHEME.match(part.strip()) for part in [squeezed, *squeezed.split(",")])


def live_markup(html: str, page: Path, site: Path, inline: list[re.Pattern[str]]) -> list[str]:
    """What in one built page could run or navigate away: empty when the page is inert.

    `page` is the HTML file, `site` the built site's root; allowed scripts are Material's
    bundle and ours (by the file their src resolves to), the theme's inline scripts
    (`inline`), JSON-LD and Material's `__config`, each of which must parse as JSON; the only
    style element is the printed running line of cite_this.html, its text a CSS string.
    """
    from bs4 import BeautifulSoup

    found: list[str] = []
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        where = f"{page.relative_to(site)}: <{tag.name}"
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                found.append(f"{where} {name}={text!r}> event handler")
            if name.lower() in URL_ATTRS and _unsafe_url(text):
                found.append(f"{where} {name}={text!r}> script or data URL")
        if tag.name in FORBIDDEN_TAGS:
            found.append(f"{where}> element")
        if tag.name == "meta" and str(tag.get("http-equiv", "")).lower() == "refresh":
            found.append(f"{where} http-equiv=refresh>")
        if tag.name == "form" and not any(tag.get(k) is not None and v in tag.get(k) for k, v in KNOWN_FORMS):
            found.append(f"{where} {tag.attrs}> form not written by the theme or our templates")
        if tag.name == "style" and (
            tag.attrs != {"media": "print"} or not our_print_style().fullmatch(tag.string or "")
        ):
            found.append(
                f"{where} {tag.attrs}> style not written by our templates: {(tag.string or '')[:120]!r}"
            )
        if tag.name == "script":
            problem = _script_problem(tag, page, site, inline)
            if problem:
                found.append(f"{where} {tag.attrs}> {problem}: {(tag.string or '')[:120]!r}")
    return found


def _script_problem(tag: Any, page: Path, site: Path, inline: list[re.Pattern[str]]) -> str | None:
    body = tag.string if tag.string is not None else "".join(map(str, tag.contents))
    kind = tag.get("type")
    if tag.get("src") is not None:
        if body.strip() or set(tag.attrs) != {"src"}:
            return "script with a src and more"
        src = str(tag["src"])
        if src.startswith("/"):  # 404.html: absolute, under site_url's path
            src = str(site / src.removeprefix(site_path(site)))
        target = (page.parent / src).resolve()
        if not target.is_file() or not target.is_relative_to(site.resolve()):
            return "script src outside the site"
        rel = target.relative_to(site.resolve()).as_posix()
        if page.resolve() == (site / "admin" / "index.html").resolve():
            return _editor_script_problem(rel, target)
        bundle = re.fullmatch(r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js", rel)
        # ours, and Pagefind's search UI
        ours = (
            "assets/evidence-table.js",
            "assets/evidence.js",
            "assets/evidence-rows.js",
            "pagefind/pagefind-ui.js",
        )
        ok = rel in ours or bundle
        return None if ok else f"script src {rel} not shipped by the theme or by us"
    if kind == "application/ld+json" or (kind == "application/json" and tag.get("id") == "__config"):
        try:
            json.loads(body)
        except ValueError:
            return f"{kind} script that is not JSON"
        return None
    if kind is None and set(tag.attrs) == set() and any(p.fullmatch(body) for p in inline):
        return None
    return "script not shipped by the theme or by us"


def editor_scripts() -> dict[str, Path]:
    """The scripts the browser editor's page (admin/index.html, with `editor: true`) loads,
    each with the file the plugin copies it from (evidence/mkdocs/editor.py): its own, packaged,
    and Decap's entry from this checkout's `npm ci` (Decap loads its chunks beside it)."""
    from evidence.mkdocs import editor

    return {
        f"{editor.ADMIN}/evidence-editor.js": editor.EDITOR_FILES / "evidence-editor.js",
        f"{editor.ADMIN}/decap/decap-cms.js": REPO / editor.DIST / "decap-cms.js",
    }


def _editor_script_problem(rel: str, target: Path) -> str | None:
    """On admin/index.html only: exactly the editor's scripts, byte for byte what the plugin copies."""
    shipped = editor_scripts()
    if rel not in shipped:
        return f"script src {rel} is not one of the editor's ({', '.join(shipped)})"
    if target.read_bytes() != shipped[rel].read_bytes():
        return f"script src {rel} differs from {shipped[rel].relative_to(REPO)}"
    return None


def site_path(site: Path) -> str:
    """The path of site_url in the project's mkdocs.yml ("/pt-back-pain/"), where 404.html links."""
    config = yaml.load((site.parent / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    return urlsplit(config.get("site_url", "/")).path or "/"


def scan_site(site: Path) -> list[str]:
    """live_markup over every HTML file of a built site (404.html and redirects included)."""
    inline = theme_inline_scripts()
    found: list[str] = []
    for path in sorted(site.rglob("*.html")):
        found += live_markup(path.read_text(encoding="utf-8"), path, site, inline)
    return found


def theme_pages(site: Path) -> list[Path]:
    """Every page the theme rendered (index.html files), without 404 and without the
    browser editor under admin/, which is an app of its own, not a page of the site."""
    return sorted(
        p for p in site.rglob("index.html") if p.parent.name != "404" and p.parent != site / "admin"
    )
