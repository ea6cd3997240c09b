"""Build real mini-projects in temp folders: the same mkdocs.yml, macros and templates as the site."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

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
        "reviewed": {"date": REVIEWED, "by": "Test Reviewer"},
    }
    data.update(overrides)
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


def copy_site_code(dest: Path) -> None:
    """What makes the site (configuration, macros, templates, assets), without content."""
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(REPO / "macros", dest / "macros", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "overrides", dest / "overrides")
    shutil.copytree(REPO / "docs" / "assets", dest / "docs" / "assets")
    (dest / "content" / "schema").mkdir(parents=True)
    shutil.copytree(REPO / "content" / "schema", dest / "content" / "schema", dirs_exist_ok=True)
    shutil.copy(REPO / "content" / "topics.yml", dest / "content" / "topics.yml")
    shutil.copy(REPO / "content" / "site.yml", dest / "content" / "site.yml")


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
    """The whole real site (content included), to build or to plant changes in."""
    copy_site_code(root)
    shutil.copytree(REPO / "content" / "claims", root / "content" / "claims")
    shutil.copy(REPO / "references.bib", root / "references.bib")
    shutil.copytree(REPO / "docs", root / "docs", dirs_exist_ok=True)
    return Project(root)
