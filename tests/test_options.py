"""The plugin's options are declared once (evidence/content/options.py): `check` and the build
have the same defaults, and an option set in mkdocs.yml reaches both."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from helpers import claim_data, mini_project
from mkdocs.config import load_config

from evidence.content import siteconfig
from evidence.content.options import DEFAULTS, Options
from evidence.load.corpus import Settings


def _plugin_config(root: Path) -> dict:
    config = load_config(str(root / "mkdocs.yml"))
    return dict(config.plugins["evidence"].config)


def test_check_s_defaults_are_the_plugin_s_for_every_option(tmp_path: Path) -> None:
    project = mini_project(tmp_path)
    names = [f.name for f in dataclasses.fields(Options)]
    assert sorted(_plugin_config(project.root)) == sorted(names)  # the plugin declares no other
    assert _plugin_config(project.root) == dataclasses.asdict(siteconfig.plugin_options(project.root))
    assert dataclasses.asdict(siteconfig.plugin_options(project.root)) == dataclasses.asdict(DEFAULTS)
    assert Settings().review_max_months == DEFAULTS.review_max_months
    assert Settings().unused_references == DEFAULTS.unused_references


def test_options_set_in_mkdocs_yml_reach_check_s_reading(tmp_path: Path) -> None:
    project = mini_project(tmp_path)
    yml = project.root / "mkdocs.yml"
    given = {"review_max_months": 3, "unused_references": "ignore", "cache": False, "search": False}
    block = "".join(f"      {k}: {str(v).lower() if isinstance(v, bool) else v}\n" for k, v in given.items())
    yml.write_text(yml.read_text("utf-8").replace("  - evidence\n", f"  - evidence:\n{block}", 1), "utf-8")
    assert dataclasses.asdict(siteconfig.plugin_options(project.root)) == {
        **dataclasses.asdict(DEFAULTS),
        **given,
    }
    assert _plugin_config(project.root) == dataclasses.asdict(siteconfig.plugin_options(project.root))


@pytest.mark.slow
def test_review_max_months_in_mkdocs_yml_reaches_check_and_the_build(tmp_path: Path) -> None:
    reviewed = (dt.date.today() - dt.timedelta(days=130)).isoformat()  # over 3 months, under 24
    project = mini_project(tmp_path, [claim_data(reviewed={"date": reviewed, "by": "Test Reviewer"})])
    assert "[review-stale]" not in project.check().stdout
    assert project.build().returncode == 0
    yml = project.root / "mkdocs.yml"
    block = "  - evidence:\n      review_max_months: 3\n"
    yml.write_text(yml.read_text("utf-8").replace("  - evidence\n", block, 1), "utf-8")
    assert "more than 3 months ago [review-stale]" in project.check().stdout
    assert "[review-stale]" not in project.check("--max-review-age", "6").stdout  # the flag still wins
    built = project.build()
    assert built.returncode == 1 and "more than 3 months ago [review-stale]" in built.stderr
