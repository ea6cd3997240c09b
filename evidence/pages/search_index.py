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

import ctypes
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
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


def build_index(
    site_dir: Path, output: Path | None = None, started: Callable[[subprocess.Popen[str]], None] | None = None
) -> None:
    """Index `site_dir`: `output` (by default `site_dir/pagefind/`) holds the index and the UI;
    `started` is handed the running Pagefind (so `Indexer.cancel` can stop it).

    The same site gives the same bundle, byte for byte (test_search.py builds twice).
    """
    where = ["--output-subdir", BUNDLE] if output is None else ["--output-path", str(output)]
    command = [
        str(executable()),
        "--site",
        str(site_dir),
        *where,
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
    pipe = subprocess.PIPE
    with subprocess.Popen(command, stdout=pipe, stderr=pipe, text=True, env=env) as process:
        if started is not None:
            started(process)
        out, err = process.communicate()
    if process.returncode != 0:
        raise SearchIndexError(f"pagefind failed ({process.returncode}):\n{err or out}")


#: renameat2(2)'s flag: swap two paths in one step (Linux 3.15+, glibc 2.28+)
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically if the system can; False if it cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return int(renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)) == 0


def swap_in(new: Path, target: Path) -> None:
    """`new` becomes `target` in one rename, so a request sees the old bundle or the new
    one, never half of either; `new` is gone afterwards."""
    if not target.exists():
        os.rename(new, target)
        return
    if not _exchange(new, target):  # two renames: for an instant there is no bundle, never a mix
        old = target.with_name(f"{new.name}-old")
        os.rename(target, old)
        os.rename(new, target)
        new = old
    shutil.rmtree(new, ignore_errors=True)


class Indexer:
    """Pagefind in a thread for an incremental `mkdocs serve --dirty` build: the page is
    served at once, search catches up a moment later. The index is written into a fresh
    folder and swapped in (`swap_in`). The next build stops it and waits for the thread
    (`cancel`, in the plugin's on_config: that build indexes the newer site itself) before
    it writes any file or empties the folder, as Pagefind reads every page while it runs."""

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._process: subprocess.Popen[str] | None = None
        self._cancelled = False

    def start(self, site_dir: Path, on_error: Callable[[str], None]) -> None:
        self.join()
        self._cancelled = False
        self._thread = threading.Thread(target=self._run, args=(site_dir, on_error), name="pagefind")
        self._thread.start()

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
            self._process = None

    def cancel(self) -> None:
        """Stop a running Pagefind and drop its half-made folder; the bundle in place stays."""
        self._cancelled = True
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
        self.join()

    def _started(self, process: subprocess.Popen[str]) -> None:
        self._process = process
        if self._cancelled:  # cancelled between the thread's start and Pagefind's
            process.terminate()

    def _run(self, site_dir: Path, on_error: Callable[[str], None]) -> None:
        new = Path(tempfile.mkdtemp(prefix=f".{BUNDLE}-", dir=site_dir))
        try:
            build_index(site_dir, new, self._started)
            if not self._cancelled:
                swap_in(new, site_dir / BUNDLE)
        except (SearchIndexError, OSError) as error:
            if not self._cancelled:
                on_error(f"search index not updated: {error}")
        finally:
            shutil.rmtree(new, ignore_errors=True)
