"""`make serve` (`mkdocs serve --dirty`) rebuilds only what a claim edit changes, and never
serves a stale page (issue 15, point 6).

The proof is an equivalence, not an argument: builds driven in one process as serve.py
drives them (the plugin kept by `on_startup`), and after each kind of edit the dirty build's
site folder equals, file for file and byte for byte, a clean `mkdocs build` of the same
sources. A claim content edit must also build fewer pages than the site has.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from helpers import REPO
from mkdocs.commands.build import build
from mkdocs.config import load_config

sys.path.insert(0, str(REPO / "benchmarks"))

from generate import Spec, generate

pytestmark = pytest.mark.slow
SERVE_URL = "http://127.0.0.1:8000/pt-back-pain/"
REBUILT = re.compile(r"rebuilt ([\d,]+) of ([\d,]+) pages")


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


class Preview:
    """One project under a dirty serve-style build loop, and its clean reference builds."""

    def __init__(self, root: Path, site: Path, reference: Path) -> None:
        self.root, self.site, self.reference = root, site, reference
        self.started = False

    def dirty_build(self) -> None:
        config = load_config(str(self.root / "mkdocs.yml"), site_dir=str(self.site))
        if not self.started:  # as serve.py does, once: MkDocs keeps the plugin instance from here on
            config.plugins.on_startup(command="serve", dirty=True)
            self.started = True
        build(config, serve_url=SERVE_URL, dirty=True)
        # an incremental build indexes search in a thread: the site is compared once it is in
        config.plugins["evidence"].wait_for_search()

    def clean_build(self) -> dict[str, bytes]:
        done = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(self.reference)],
            cwd=self.root,
            capture_output=True,
            text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return tree(self.reference)

    def claim_file(self, claim_id: str) -> Path:
        return next((self.root / "content" / "claims").rglob(f"{claim_id}.yml"))

    def edit_claim(self, claim_id: str, change: Callable[[dict], None]) -> None:
        path = self.claim_file(claim_id)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _set(**fields: object) -> Callable[[dict], None]:
    return lambda data: data.update(fields)


def _nested(key: str, **fields: object) -> Callable[[dict], None]:
    return lambda data: data[key].update(fields)


def _retire(superseded_by: str) -> Callable[[dict], None]:
    retired = {
        "reason": "A later trial replaced this figure.",
        "date": "2026-02-05",
        "superseded_by": superseded_by,
    }
    return _set(status="retired", retired=retired)


def _other_source(preview: Preview) -> Callable[[dict], None]:
    keys = sorted(set(re.findall(r"^@\w+\{([^,]+),", (preview.root / "references.bib").read_text(), re.M)))
    return lambda data: data.update(source=next(k for k in keys if k != data["source"]))


def _add(preview: Preview) -> None:
    data = yaml.safe_load(preview.claim_file("claim-00003").read_text(encoding="utf-8"))
    data.update(id="claim-00999", title="A claim added while serving")
    target = preview.claim_file("claim-00003").with_name("claim-00999.yml")
    target.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def _retitle_first_reference(bib: Path) -> None:
    bib.write_text(
        bib.read_text(encoding="utf-8").replace("title = {", "title = {Edited: ", 1), encoding="utf-8"
    )


def _override_row_template(root: Path) -> None:
    """The site overrides one packaged template (its `macros/templates/` folder)."""
    packaged = REPO / "evidence" / "render" / "templates" / "claims_table_row.html"
    override = root / "macros" / "templates" / "claims_table_row.html"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text(packaged.read_text(encoding="utf-8").replace("<tr ", '<tr class="ev-edited" ', 1))


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_every_dirty_rebuild_equals_a_clean_build_and_a_claim_edit_is_incremental(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = generate(tmp_path / "project", Spec(claims=60, shape="realistic"))
    preview = Preview(root, tmp_path / "served", tmp_path / "clean")
    # (what is edited, the edit, whether it may build only some pages)
    edits: list[tuple[str, Callable[[], None], bool]] = [
        (
            "statement",
            lambda: preview.edit_claim("claim-00001", _set(statement="Walking helped most people.")),
            True,
        ),
        (
            "title",
            lambda: preview.edit_claim("claim-00002", _set(title="A title edited while serving")),
            True,
        ),
        (
            "statistic",
            lambda: preview.edit_claim("claim-00004", _nested("statistic", as_stated="41 percent")),
            True,
        ),
        ("quote", lambda: preview.edit_claim("claim-00005", _nested("quote", text="A quote edited.")), True),
        (
            "certainty",
            lambda: preview.edit_claim("claim-00006", _nested("certainty", level="moderate")),
            True,
        ),
        ("reviewed", lambda: preview.edit_claim("claim-00007", _nested("reviewed", date="2026-08-01")), True),
        ("retire", lambda: preview.edit_claim("claim-00008", _retire("claim-00009")), True),
        # the retired claim's page names the claim superseding it: its title must follow
        ("superseding title", lambda: preview.edit_claim("claim-00009", _set(title="The newer claim")), True),
        ("source key", lambda: preview.edit_claim("claim-00010", _other_source(preview)), False),
        ("add", lambda: _add(preview), False),
        ("delete", lambda: preview.claim_file("claim-00011").unlink(), False),
        ("references.bib", lambda: _retitle_first_reference(root / "references.bib"), False),
        (
            "docs page",
            lambda: _append(root / "docs" / "methodology.md", "\nA sentence added while serving.\n"),
            False,
        ),
        # a template the All claims table's kept rows were rendered with: none may be reused
        ("row template", lambda: _override_row_template(root), False),
        ("statement after it", lambda: preview.edit_claim("claim-00012", _set(statement="Edited.")), True),
    ]
    caplog.set_level(logging.INFO)
    preview.dirty_build()
    assert tree(preview.site) == preview.clean_build()
    for what, edit, incremental in edits:
        caplog.clear()
        edit()
        preview.dirty_build()
        served = tree(preview.site)
        clean = preview.clean_build()
        assert sorted(served) == sorted(clean), what
        different = [name for name in clean if served[name] != clean[name]]
        assert different == [], f"after editing the {what}: stale {different[:5]}"
        rebuilt = [m for r in caplog.records if (m := REBUILT.search(r.getMessage()))]
        if incremental:
            assert rebuilt, f"after editing the {what}: not an incremental build"
            built, pages = (int(n.replace(",", "")) for n in rebuilt[-1].groups())
            assert built < pages / 2, f"after editing the {what}: {built} of {pages} pages built"
        else:
            assert not rebuilt, f"after editing the {what}: must be a full rebuild"
            assert any("full rebuild: " in r.getMessage() for r in caplog.records), what
