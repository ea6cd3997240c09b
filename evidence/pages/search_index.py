"""The site's search: a Pagefind index written into the built site, in chunks.

Material's search plugin puts every page's text into one search_index.json that the
browser downloads whole on the first search: 23 MB at 1,000 realistic claims, growing
with the site. Pagefind (its binary ships in the pinned `pagefind-bin` wheel) splits the
index into small fragments fetched per query word, so a reader downloads tens of
kilobytes whatever the site's size. It runs offline, over the finished site folder.

Only what a reader searches for is indexed: a claim page's title, statement, number,
population, caveats, quote and sources; a page's own prose. Everything that repeats other
pages' claims (cards on topic pages, tables, related and history lists, source pages'
claim lists, What changed) or every page's boilerplate (references, About this page,
Cite this) is left out, so "opioids" finds the opioid claim, not every page that lists it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

#: Where the bundle goes, under the site (the UI's script and styles load from there).
BUNDLE = "pagefind"

#: Elements Pagefind skips (CSS selectors, checked by tests/test_search.py).
EXCLUDED = (
    "[data-search-exclude]",  # the About block (Material's attribute, kept for other themes)
    ".ev-page-refs",  # the page's reference list
    ".ev-cite-this",
    # a card anywhere but on its own claim page (topic pages, the home page): that page is
    # the one result for it
    'article.ev-card:not([aria-labelledby="claim-page-title"])',
    ".ev-card__head",  # the badge and topic: the same words on every card
    ".ev-visually-hidden",
    ".ev-claim-page__related",
    ".ev-claim-page__history",
    ".ev-claim-page__review",
    ".ev-claim-page__meta",
    ".ev-source-page__claims",
    ".ev-table-tools",
    ".ev-table-wrap",  # the claims table, summary-of-findings tables
    ".ev-compact",  # compact rows of a long topic (claim_rows.html)
    ".ev-backlinks",  # "Cited by" on the References page
    ".ev-changes-page section",
    ".ev-map",
    ".headerlink",
)


class SearchIndexError(RuntimeError):
    """Pagefind failed; its own message says why."""


def executable() -> Path:
    """The Pagefind binary from the `pagefind-bin` wheel (never a download)."""
    import pagefind_bin

    return pagefind_bin.get_executable()


def build_index(site_dir: Path) -> None:
    """Index `site_dir` in place: `site_dir/pagefind/` holds the index and the UI.

    The same site gives the same bundle, byte for byte (test_search.py builds twice).
    """
    command = [
        str(executable()),
        "--site",
        str(site_dir),
        "--output-subdir",
        BUNDLE,
        "--root-selector",
        "article.md-content__inner",
        "--exclude-selectors",
        ",".join(EXCLUDED),
        "--force-language",
        "en",
        "--silent",
    ]
    # one thread per core is Pagefind's default; the environment keeps it off the network
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/")}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise SearchIndexError(f"pagefind failed ({done.returncode}):\n{done.stderr or done.stdout}")
