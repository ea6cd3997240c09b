"""The red-flag box: content/site.yml's `safety`, shown where a page calls red_flags(), its
source cited and dated; a missing source is a located error; a site without it cannot call it."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from helpers import BIB, Project

SAFETY = """
safety:
  source: health-service
  checked: 2026-12-01
  emergency:
    lead: "Call the emergency number now if you have back pain and:"
    signs:
      - numbness around your bottom or genitals
      - you cannot control when you pee or poo
  urgent:
    lead: "Get help the same day if you have back pain and:"
    signs:
      - a high temperature
"""
HEALTH = """
@online{health-service,
  author = {{Example Health Service}},
  title = {Back pain},
  url = {https://example.org/back-pain},
  urldate = {2026-12-01},
}
"""


def _with_safety(mini: Project, source: str = "health-service") -> None:
    site = (mini.root / "content/site.yml").read_text("utf-8")
    mini.write("content/site.yml", site + SAFETY.replace("health-service", source))
    mini.write("references.bib", BIB + HEALTH)
    page = (mini.root / "docs/burden.md").read_text("utf-8")
    mini.write("docs/burden.md", page.replace("\n\n", "\n\n{{ red_flags() }}\n\n", 1))


@pytest.mark.slow
def test_the_box_lists_each_sign_and_cites_its_dated_source(mini: Project) -> None:
    _with_safety(mini)
    assert mini.check().returncode == 0
    result = mini.build()
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup(mini.html("burden/index.html"), "html.parser")
    box = soup.select_one("aside.ev-red-flags")
    assert box is not None
    signs = [li.get_text(strip=True) for li in box.select("li")]
    assert signs == [
        "numbness around your bottom or genitals",
        "you cannot control when you pee or poo",
        "a high temperature",
    ]
    assert box.select_one("time")["datetime"] == "2026-12-01"
    assert "Worded from Example Health Service's page “Back pain”" in box.get_text()
    cite = box.select_one("sup.ev-cite a")
    assert cite is not None and cite["href"] == "#ref-health-service"
    # the source is in the page's own reference list, which the citation points to
    assert soup.select_one("#ref-health-service") is not None


@pytest.mark.slow
def test_an_unknown_source_is_an_error_at_its_line(mini: Project) -> None:
    _with_safety(mini, source="health-servce")
    result = mini.check()
    assert result.returncode != 0
    site = (mini.root / "content/site.yml").read_text("utf-8").splitlines()
    line = next(i for i, text in enumerate(site, 1) if "health-servce" in text)
    assert f"content/site.yml:{line}:" in result.stdout, result.stdout
    assert "did you mean 'health-service'" in result.stdout.lower()


@pytest.mark.slow
def test_calling_it_without_a_safety_block_names_the_page_and_line(mini: Project) -> None:
    page = (mini.root / "docs/burden.md").read_text("utf-8")
    mini.write("docs/burden.md", page.replace("\n\n", "\n\n{{ red_flags() }}\n\n", 1))
    result = mini.build()
    assert result.returncode != 0
    line = next(
        i
        for i, t in enumerate((mini.root / "docs/burden.md").read_text().splitlines(), 1)
        if "red_flags" in t
    )
    assert (
        f"docs/burden.md:{line}:1: error: red_flags(): content/site.yml has no `safety:` block"
        in result.stderr
    )
