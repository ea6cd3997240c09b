"""The package is self-contained: a site holds only its content, and overrides what it wants.

The renderer's templates, stylesheet, script, theme overrides, skeletons and schemas ship
inside `evidence`; a template of the same name in the site's macros/templates/ wins.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from helpers import REPO, mini_project

from evidence.content import schema
from evidence.content.model import Claim, Topics
from evidence.core import packaged


def test_this_repository_keeps_no_copy_of_the_packaged_files() -> None:
    assert not (REPO / "macros" / "templates").exists()
    assert not (REPO / "overrides").exists()
    assert not any((REPO / "docs" / "assets" / name).exists() for name in packaged.ASSET_FILES)
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert "custom_dir" not in config["theme"]
    assert "extra_css" not in config and "extra_javascript" not in config


def test_the_packaged_schemas_are_the_models_and_the_published_copies() -> None:
    for name, model in {"claim.schema.json": Claim, "topics.schema.json": Topics}.items():
        packaged_text = (packaged.SCHEMAS / name).read_text(encoding="utf-8")
        assert packaged_text == schema.render(model), f"run `python -m evidence schema` ({name})"
        assert (REPO / schema.SCHEMA_DIR / name).read_text(encoding="utf-8") == packaged_text


@pytest.mark.slow
def test_a_site_without_templates_assets_or_overrides_builds_with_the_packaged_ones(tmp_path: Path) -> None:
    project = mini_project(tmp_path)
    # as mike builds an edition: outside mike the plugin drops extra.version (no versions.json
    # to fetch, release.keep_version_selector), and with it Material's banner
    done = project.build(env={"MIKE_DOCS_VERSION": "v1.0"})
    assert done.returncode == 0, done.stderr
    site = tmp_path / "site"
    for name in packaged.ASSET_FILES:
        assert (site / "assets" / name).read_bytes() == (packaged.ASSETS / name).read_bytes()
    soup = BeautifulSoup(project.html("burden/index.html"), "html.parser")
    assert [link["href"] for link in soup.select('link[href$="evidence.css"]')] == ["../assets/evidence.css"]
    assert [s["src"] for s in soup.select('script[src$="evidence.js"]')] == ["../assets/evidence.js"]
    assert soup.select_one(".ev-card") is not None, "the packaged claim card"
    # the packaged main.html (the earlier-edition banner) is on the theme's search path
    outdated = soup.select_one('[data-md-component="outdated"]')
    assert outdated is not None and "earlier edition" in outdated.get_text()


@pytest.mark.slow
def test_a_template_of_the_same_name_in_the_sites_macros_templates_wins(tmp_path: Path) -> None:
    project = mini_project(tmp_path)
    packaged_card = (packaged.TEMPLATES / "claim_card.html").read_text(encoding="utf-8")
    project.write(
        "macros/templates/claim_card.html",
        '<div class="site-own-card">{{ claim.title }}</div>\n',
    )
    project.write("docs/assets/evidence.css", "/* the site's own stylesheet */\n")
    yml = project.root / "mkdocs.yml"  # a stylesheet is code: a maintainer lists it (SECURITY.md)
    block = "  - evidence:\n      code_files: [assets/evidence.css]\n"
    yml.write_text(yml.read_text("utf-8").replace("  - evidence\n", block, 1), "utf-8")
    done = project.build()
    assert done.returncode == 0, done.stderr
    soup = BeautifulSoup(project.html("burden/index.html"), "html.parser")
    own = soup.select("article .site-own-card")
    assert [div.get_text() for div in own] == ["An example claim"]
    assert soup.select_one(".ev-card") is None
    assert "site-own-card" not in packaged_card
    css = (tmp_path / "site" / "assets" / "evidence.css").read_text(encoding="utf-8")
    assert css == "/* the site's own stylesheet */\n", "docs/assets/evidence.css overrides the packaged one"
    assert len(soup.select('link[href$="evidence.css"]')) == 1


@pytest.mark.slow
def test_the_wheel_ships_every_template_asset_override_and_schema(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "-w", str(tmp_path), "--no-deps", "-q"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    (wheel,) = tmp_path.glob("evidence_site-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    package = packaged.PACKAGE
    wanted = [packaged.TEMPLATES, packaged.ASSETS, packaged.OVERRIDES, packaged.SCHEMAS]
    expected = {
        p.relative_to(package.parent).as_posix()
        for folder in wanted
        for p in folder.rglob("*")
        if p.is_file()
    }
    assert len(expected) > 20 and expected <= names, sorted(expected - names)
    assert (
        json.loads(zipfile.ZipFile(wheel).read("evidence/content/schemas/claim.schema.json"))["title"]
        == "Claim"
    )
