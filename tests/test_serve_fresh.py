"""Under a running `mkdocs serve --dirty` (`make serve`), a claim edit reaches every page that
shows the claim, and no page is served stale (issue 15, point 6). Also measures the
edit-to-page time."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import REPO, claim_data, mini_project

sys.path.insert(0, str(REPO / "benchmarks"))
from preview import fetch, free_port

pytestmark = pytest.mark.slow
NEW_TITLE = "A freshly edited title seen nowhere else"


def wait_for(url: str, text: str, seconds: float) -> float:
    """Seconds until `url` shows `text` (fails after `seconds`)."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if text in fetch(url):
            return time.monotonic() - start
        time.sleep(0.2)
    raise AssertionError(f"{url} did not show {text!r} within {seconds} s")


def test_an_edited_claim_shows_on_every_page_that_shows_it(tmp_path: Path) -> None:
    project = mini_project(tmp_path)
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],  # as `make serve`
        cwd=project.root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}/pt-back-pain/"
        claim = base + "claims/example-claim/"
        wait_for(claim, "An example claim", 120)
        project.write_claim(claim_data(title=NEW_TITLE))
        took = wait_for(claim, NEW_TITLE, 40)
        # the moment the claim page is new, every other page that shows the claim is new too
        for page in ("burden/", "claims/", "sources/survey-b/", "sources/article-a/"):
            html = fetch(base + page)
            assert NEW_TITLE in html and "An example claim<" not in html, page
        print(f"edit to page: {took:.1f} s")
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
        (tmp_path / "serve.err").write_text(errors)  # kept with the test's files for a look after a failure
