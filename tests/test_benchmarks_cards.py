"""benchmarks/: the cards shape (issue 25, item 4) is the real site with its claims cloned, each
clone's card right after its original's; it is deterministic, builds, and its floor has the same pages."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import REPO

sys.path.insert(0, str(REPO / "benchmarks"))

from cards import CARD, clone_id
from floor import make_floor
from generate import Spec, generate

REAL = sorted((REPO / "content" / "claims").rglob("*.yml"))


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_clones_follow_their_originals_and_the_same_spec_gives_the_same_bytes(tmp_path: Path) -> None:
    spec = Spec(claims=len(REAL) + 150, shape="cards")
    one, two = generate(tmp_path / "one", spec), generate(tmp_path / "two", spec)
    assert files(one) == files(two)
    claims = sorted((one / "content" / "claims").rglob("*.yml"))
    assert len(claims) == spec.claims
    # a clone is its original's file, byte for byte, but for its id
    first = REAL[0]
    clone = first.parent.relative_to(REPO) / f"{clone_id(first.stem, 1)}.yml"
    original, copied = first.read_text(encoding="utf-8"), (one / clone).read_text(encoding="utf-8")
    assert copied == original.replace(f"id: {first.stem}\n", f"id: {clone_id(first.stem, 1)}\n", 1)
    assert copied != original
    # on each topic page, every clone's card comes right after its original's (or its elder clone's)
    topics = yaml.safe_load((one / "content" / "topics.yml").read_text(encoding="utf-8"))["topics"]
    for topic in topics:
        cards = CARD.findall((one / "docs" / topic["page"]).read_text(encoding="utf-8"))
        for before, after in itertools.pairwise(cards):
            found = re.fullmatch(r"(.+)-c(\d{4})", after)
            if found:
                assert before == (found[1] if found[2] == "0001" else clone_id(found[1], int(found[2]) - 1))
        own = {p.stem for p in (one / "content" / "claims" / topic["id"]).glob("*.yml")}
        assert own <= set(cards), f"{topic['page']} shows every claim of its topic"
    # the rest of the real site is as it is
    assert (one / "references.bib").read_bytes() == (REPO / "references.bib").read_bytes()
    assert (one / "docs" / "methodology.md").read_bytes() == (REPO / "docs" / "methodology.md").read_bytes()
    with pytest.raises(ValueError, match="at least"):
        generate(tmp_path / "few", Spec(claims=len(REAL) - 1, shape="cards"))


@pytest.mark.slow
def test_a_small_cards_project_builds_and_its_floor_has_the_same_pages(tmp_path: Path) -> None:
    project = generate(tmp_path / "ours", Spec(claims=len(REAL) + 20, shape="cards"))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    build = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", "site"]
    result = subprocess.run(build, cwd=project, capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    first = REAL[0]
    clone = clone_id(first.stem, 1)
    assert (project / "site" / "claims" / clone / "index.html").is_file()
    page = yaml.safe_load((project / "content" / "topics.yml").read_text(encoding="utf-8"))["topics"]
    topic = next(t for t in page if t["id"] == first.parent.name)["page"].removesuffix(".md")
    html = (project / "site" / topic / "index.html").read_text(encoding="utf-8")
    assert html.index(f'id="claim-{first.stem}"') < html.index(f'id="claim-{clone}"')

    floor = make_floor(project, tmp_path / "floor")
    result = subprocess.run(build, cwd=floor, capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    ours = sorted(p.relative_to(project / "site") for p in (project / "site").rglob("*.html"))
    theirs = sorted(p.relative_to(floor / "site") for p in (floor / "site").rglob("*.html"))
    assert ours == theirs, "the floor has the same pages"
