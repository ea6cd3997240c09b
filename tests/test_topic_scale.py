"""A topic page does not grow with its topic: past FULL_CARDS cards, compact rows (issue 15)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import claim_data, mini_project

from evidence.render.renderer import FULL_CARDS

pytestmark = pytest.mark.slow
EXTRA = 5


def test_a_long_topic_shows_cards_then_compact_rows_that_link_to_each_claim(tmp_path: Path) -> None:
    ids = [f"claim-{n:03d}" for n in range(FULL_CARDS + EXTRA)]
    claims = [
        claim_data(cid, title=f"Example claim {n}", statement=f"Some people, {n} in all, do not see anyone.")
        for n, cid in enumerate(ids)
    ]
    project = mini_project(tmp_path, claims)
    result = project.build()
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup(project.html("burden/index.html"), "html.parser")
    cards = [card["id"].removeprefix("claim-") for card in soup.select(".ev-claims article.ev-card")]
    assert cards == ids[:FULL_CARDS]
    rows = soup.select(".ev-compact__list > li")
    assert [row["data-claim"] for row in rows] == ids[FULL_CARDS:]
    title = soup.select_one(".ev-compact__title").get_text()
    assert title == f"{EXTRA} more claims on The burden of back pain"
    for row in rows:
        href = row.a["href"]
        assert href == f"../claims/{row['data-claim']}/"
        assert (project.root / "site" / "burden" / href / "index.html").resolve().is_file()
        assert len(str(row)) < 400  # a row, not a card: constant and small
    # the page's structured data describes its cards; a row's claim has its own page for that
    (ld,) = [json.loads(str(tag.string)) for tag in soup.select('script[type="application/ld+json"]')]
    assert [part["identifier"] for part in ld["hasPart"]] == ids[:FULL_CARDS]
    # the compact rows cite nothing: the page's reference list is that of its cards
    assert len(soup.select(".ev-page-refs .ev-refs > li")) == 2
