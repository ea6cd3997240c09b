"""benchmarks/generate.py makes a deterministic project that our site code builds, and its floor builds."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from helpers import REPO

sys.path.insert(0, str(REPO / "benchmarks"))

from floor import make_floor
from generate import Spec, generate

SPEC = Spec(claims=12, refs=8, bib_size=20, seed=3, reviewed_by=dt.date.today().replace(day=1))


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def mkdocs_build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", "site"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )


def test_same_seed_same_bytes_and_another_seed_differs(tmp_path: Path) -> None:
    one, two = generate(tmp_path / "one", SPEC), generate(tmp_path / "two", SPEC)
    assert files(one) == files(two)
    other = generate(tmp_path / "other", Spec(**{**SPEC.__dict__, "seed": 4}))
    assert files(other)["references.bib"] != files(one)["references.bib"]


def test_generated_project_builds_with_the_site_code_and_its_floor_too(tmp_path: Path) -> None:
    project = generate(tmp_path / "ours", SPEC)
    bib = (project / "references.bib").read_text(encoding="utf-8")
    assert bib.count("\n@") + 1 == 20 and r"{\"" in bib  # 20 entries, with LaTeX accents
    assert len(list((project / "content" / "claims").rglob("*.yml"))) == 12
    assert (project / "macros" / "templates" / "claim_card.html").read_bytes() == (
        REPO / "macros" / "templates" / "claim_card.html"
    ).read_bytes()

    result = mkdocs_build(project)  # 12 uncited entries: allowed by `unused_references: ignore`
    assert result.returncode == 0, result.stderr
    card = (project / "site" / "topic-0000" / "index.html").read_text(encoding="utf-8")
    assert 'id="claim-claim-00000"' in card and 'class="ev-cite"' in card

    floor = make_floor(project, tmp_path / "floor")
    config = (floor / "mkdocs.yml").read_text(encoding="utf-8")
    assert "evidence" not in config.split("plugins:", 1)[1].split("\n\n", 1)[0]
    result = mkdocs_build(floor)
    assert result.returncode == 0, result.stderr
    ours = sorted(p.relative_to(project / "site") for p in (project / "site").rglob("*.html"))
    theirs = sorted(p.relative_to(floor / "site") for p in (floor / "site").rglob("*.html"))
    assert ours == theirs, "the floor has the same pages"
