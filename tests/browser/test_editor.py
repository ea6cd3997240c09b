"""The browser editor at /admin/ (Decap CMS), for real: Debian's Chromium drives the editor a
mini site builds with `editor: true`, against decap-server from the project's own npm install
(node_modules/.bin/decap-server, never npx) on 127.0.0.1, in git mode with the editorial
workflow: each save is a branch `cms/<topic>/<id>`, as on GitHub each is a pull request.

- a claim made through the form lands on its branch at content/claims/<topic>/<id>.yml,
  with the schema line first, keys in the model's order, no empty fields, and `evidence check`
  passes on that branch;
- a required field left empty is refused in the form (no branch is made);
- an existing claim's number edited and saved: `evidence diff` reports exactly that number;
- an existing claim saved unchanged (a field changed and changed back): `evidence diff`
  reports nothing;
- axe finds no serious violation on the form; the editor asks nothing of another host.

`UPDATE_SCREENSHOTS=1` also writes the editor's screenshots into docs/assets/ (CONTRIBUTING
shows them); they always go to artifacts/screenshots/.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from browsing import ARTIFACTS
from helpers import REPO, REVIEWED, claim_data, copy_editor_files, mini_project
from playwright.sync_api import Browser, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DECAP_SERVER = REPO / "node_modules" / ".bin" / "decap-server"
REAL_CLAIM = REPO / "tests" / "evidence_site" / "content" / "claims" / "benefits" / "review-exercise-pain.yml"
DOC_SHOTS = REPO / "docs" / "assets"
GIT = ["git", "-c", "user.email=editor@example.org", "-c", "user.name=Editor test"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _git(root: Path, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=root, check=True, capture_output=True, text=True).stdout


def _evidence(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "evidence", *args], cwd=root, capture_output=True, text=True)


class Editor:
    """A built mini site with the editor, decap-server on its git repository, and a static server."""

    def __init__(self, root: Path) -> None:
        if not DECAP_SERVER.exists():
            pytest.fail("node_modules/.bin/decap-server is missing: run `npm ci` (make test does)")
        self.port = _free_port()
        self.project = mini_project(root, [claim_data("example-claim", "benefits")])
        real = REAL_CLAIM.read_text(encoding="utf-8").replace("@REVIEWED@", REVIEWED)
        self.project.write(
            "content/claims/benefits/review-exercise-pain.yml", real.replace("review-2021", "survey-b")
        )
        config = (root / "mkdocs.yml").read_text(encoding="utf-8")
        options = (
            "  - evidence:\n      search: false\n      editor: true\n"
            "      editor_backend: {repo: example/site, branch: main}\n"
            f"      editor_local_backend: http://127.0.0.1:{self.port}/api/v1\n"
        )
        (root / "mkdocs.yml").write_text(config.replace("  - evidence\n", options, 1), encoding="utf-8")
        copy_editor_files(root)  # a copy: the plugin refuses a link out of the project
        self.project.write(".gitignore", "site/\nnode_modules\n.cache/\n")
        result = self.project.build()
        assert result.returncode == 0, result.stderr
        _git(root, "init", "-q", "-b", "main")
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", "the site")

    @property
    def root(self) -> Path:
        return self.project.root

    def branch_file(self, branch: str, rel: str) -> str:
        return _git(self.root, "show", f"{branch}:{rel}")

    def branches(self) -> list[str]:
        return _git(self.root, "branch", "--format=%(refname:short)").split()


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Editor, str]]:
    site = Editor(tmp_path_factory.mktemp("editor"))
    env = {
        **os.environ,
        "PORT": str(site.port),
        "BIND_HOST": "127.0.0.1",
        "MODE": "git",
        "GIT_REPO_DIRECTORY": str(site.root),
        "LOG_LEVEL": "warn",
    }
    server = subprocess.Popen([str(DECAP_SERVER)], env=env, cwd=site.root, stdout=subprocess.DEVNULL)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site.root / "site"))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    info = urllib.request.Request(
        f"http://127.0.0.1:{site.port}/api/v1",
        data=b'{"action":"info"}',
        headers={"Content-Type": "application/json"},
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(info, timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        server.terminate()
        pytest.fail("decap-server did not start")
    try:
        yield site, f"http://127.0.0.1:{httpd.server_address[1]}/admin/"
    finally:
        server.terminate()
        server.wait(10)
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def page(browser: Browser, editor: tuple[Editor, str]) -> Iterator[Page]:
    origin = editor[1].split("/admin/")[0]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    external: list[str] = []

    def route(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            route.continue_()  # type: ignore[attr-defined]
        else:
            external.append(url)
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", route)
    page = context.new_page()
    page.goto(editor[1])
    page.get_by_role("button", name="Login").click()
    page.get_by_text("Benefits of physical therapy").first.wait_for()
    yield page
    context.close()
    assert external == [], f"the editor asked another host: {external} (origin {origin})"


def _field(page: Page, label: str, nth: int = 0) -> str:
    """The id of the form control whose label reads exactly `label` (the nth of them)."""
    ids: list[str] = []
    for _ in range(150):  # the form renders after the entry loads
        ids = page.eval_on_selector_all(
            "label", "(ls, t) => ls.filter(l => l.textContent.trim() === t).map(l => l.htmlFor)", label
        )
        if len(ids) > nth:
            break
        page.wait_for_timeout(100)
    assert len(ids) > nth, f"no field labelled {label!r}"
    return f"[id='{ids[nth]}']"


def _type(page: Page, label: str, text: str, nth: int = 0) -> None:
    page.locator(_field(page, label, nth)).fill(text)


def _choose(page: Page, label: str, option: str) -> None:
    """A select (react-select): type the option and press Enter."""
    box = page.locator(_field(page, label))
    box.fill(option)
    box.press("Enter")


def _open(page: Page, summary: str) -> None:
    """Expand an optional block: the chevron button beside its heading."""
    page.get_by_text(summary, exact=True).locator("xpath=..").locator("button").first.click()


def _save(page: Page) -> None:
    page.get_by_role("button", name="Save", exact=True).click()


def _shot(page: Page, name: str) -> None:
    out = ARTIFACTS / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / name))
    if os.environ.get("UPDATE_SCREENSHOTS"):
        shutil.copy(out / name, DOC_SHOTS / name)


def test_create_a_claim_through_the_form(page: Page, editor: tuple[Editor, str]) -> None:
    site, url = editor
    page.goto(url + "#/collections/benefits/new")
    page.locator(_field(page, "Id")).wait_for()
    _type(page, "Id", "editor-made-claim")
    _type(page, "Statement", "Most people who tried the exercise said it helped them a little.")
    _type(page, "Source", "survey-b")
    _type(page, "Text", "37 percent of people said so")
    _type(page, "Locator", "paragraph 1")
    _choose(page, "Kind", "survey")
    _open(page, "Certainty")
    _choose(page, "Level (optional)", "low")
    page.get_by_role("button", name=re.compile(r"^Add reasons", re.IGNORECASE)).click()
    _choose(page, "Domain", "indirectness")
    _type(page, "Note", "One survey, asked of people who had the exercise.")
    _type(page, "By", "Editor test")
    # the title is required: the form refuses to save without it, and nothing is written
    _save(page)
    page.get_by_text("Title is required.").first.wait_for()
    page.locator(_field(page, "Title")).scroll_into_view_if_needed()
    _shot(page, "editor-required-field.png")
    assert not [b for b in site.branches() if b.startswith("cms/")]
    _type(page, "Title", "Exercise helped a little")
    page.locator(_field(page, "Id")).scroll_into_view_if_needed()
    _shot(page, "editor-new-claim.png")
    _save(page)
    page.get_by_text("Entry saved").first.wait_for(timeout=20_000)
    branch = "cms/benefits/editor-made-claim"
    assert branch in site.branches()
    text = site.branch_file(branch, "content/claims/benefits/editor-made-claim.yml")
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../schema/claim.schema.json", text
    keys = [line.split(":")[0] for line in lines[1:] if line and line[0].isalpha()]
    assert keys == [
        "id",
        "topic",
        "title",
        "statement",
        "source",
        "quote",
        "evidence",
        "certainty",
        "reviewed",
    ]
    assert "  text: 37 percent of people said so\n  locator: paragraph 1\n" in text  # nested: model order
    assert f"reviewed:\n  date: {time.strftime('%Y-%m-%d', time.gmtime())}\n  by: Editor test\n" in text
    assert '""' not in text and "null" not in text
    _git(site.root, "checkout", "-q", branch)
    try:
        result = _evidence(site.root, "check")
        assert result.returncode == 0, result.stdout + result.stderr
    finally:
        _git(site.root, "checkout", "-q", "main")


def test_edit_a_claims_number(page: Page, editor: tuple[Editor, str]) -> None:
    site, url = editor
    page.goto(url + "#/collections/benefits/entries/example-claim")
    _open(page, "Statistic")  # an optional block starts closed
    box = page.locator(_field(page, "Value (optional)"))
    box.wait_for()
    assert box.input_value() == "37"
    box.fill("38")
    _type(page, "As stated (optional)", "38 percent")
    _shot(page, "editor-edit-claim.png")
    _save(page)
    page.get_by_text("Entry saved").first.wait_for(timeout=20_000)
    report = json.loads(
        _evidence(site.root, "diff", "--format", "json", "main", "cms/benefits/example-claim").stdout
    )
    changed = json.dumps(report)
    assert "38" in changed and "37" in changed, changed
    text = site.branch_file("cms/benefits/example-claim", "content/claims/benefits/example-claim.yml")
    assert text.startswith(
        "# yaml-language-server: $schema=../../schema/claim.schema.json\nid: example-claim\n"
    )


def _changed_fields(root: Path, branch: str) -> dict[str, list[str]]:
    report = _evidence(root, "diff", "--format", "json", "main", branch)
    assert report.returncode == 0, report.stderr
    data = json.loads(report.stdout)
    assert not (data["added"] or data["removed"] or data["retired"] or data["unreadable"]), data
    return {c["id"]: [f["field"] for f in c["fields"]] for c in data["changed"]}


def test_a_round_trip_changes_only_what_was_edited(page: Page, editor: tuple[Editor, str]) -> None:
    """Decap saves nothing unchanged (its Save button stays off until a field differs), so the
    round trip edits the title of a claim with every kind of block (folded text, nested
    result, numbers, lists, dates): `evidence diff` reports the title and nothing else."""
    site, url = editor
    page.goto(url + "#/collections/benefits/entries/review-exercise-pain")
    title = page.locator(_field(page, "Title"))
    title.wait_for()
    title.fill(title.input_value() + " (edited)")
    _save(page)
    page.get_by_text("Entry saved").first.wait_for(timeout=20_000)
    branch = "cms/benefits/review-exercise-pain"
    assert _changed_fields(site.root, branch) == {"review-exercise-pain": ["title"]}
    rel = "content/claims/benefits/review-exercise-pain.yml"
    before, after = (
        yaml.safe_load(site.branch_file("main", rel)),
        yaml.safe_load(site.branch_file(branch, rel)),
    )
    assert list(after) == list(before)  # the same keys in the same order, nested ones too
    assert {**after, "title": before["title"]} == before
    assert site.branch_file(branch, rel).startswith(
        "# yaml-language-server: $schema=../../schema/claim.schema.json\n"
    )


def test_axe_on_the_editors_form(page: Page, editor: tuple[Editor, str]) -> None:
    page.goto(editor[1] + "#/collections/benefits/new")
    page.locator(_field(page, "Id")).wait_for()
    found = Axe().run(page).response["violations"]
    serious = [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v.get("impact") in ("serious", "critical")
    ]
    assert serious == []


def test_no_other_page_loads_the_editor(editor: tuple[Editor, str]) -> None:
    site = editor[0].root / "site"
    assert (site / "admin" / "config.json").is_file() and (
        site / "admin" / "decap" / "decap-cms.js"
    ).is_file()
    for html in site.rglob("*.html"):
        if html.parent.name != "admin":
            text = html.read_text(encoding="utf-8")
            assert "admin/" not in text and "decap" not in text.lower(), html
