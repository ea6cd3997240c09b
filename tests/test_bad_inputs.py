"""Every case in tests/bad_inputs/ through `python -m evidence check`; a sample through a strict build.

A case is a folder of files laid over a fresh mini project (see tests/bad_inputs/README.md).
`negative/<case>/expected.txt` lists every problem `check` must print, exactly (file, line,
column, severity, message, rule). `positive/<case>/` must check clean and build, with nothing
live from the claim in the HTML and each fragment of its expected-html.txt in the element it names.

Every case runs through `check` (its entry point, in this process: the fast lane). Only
BUILD_SAMPLE is built, and that is enough: `check` and the build read content through the
same `load_corpus` and the same rules, and the built sample (the first case, by name, of
every rule-id prefix: bib-, yaml-, claim-, page-, ...) proves the build reports what `check`
reports, for every layer of rules. What `check` cannot see is built always: every positive
case (inert HTML exists only after a build) and every negative case with a `build-only.txt`
(problems only the build reports).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from helpers import Project, claim_data, mini_project

from evidence.cli import commands as cli

CASES = Path(__file__).parent / "bad_inputs"
NEGATIVE = sorted(p for p in (CASES / "negative").iterdir() if p.is_dir())
POSITIVE = sorted(p for p in (CASES / "positive").iterdir() if p.is_dir())
CONTROL_FILES = {"expected.txt", "build-only.txt", "expected-html.txt", "delete.txt"}
#: The cases are timeless: the build's "today" is pinned (the plugin reads SOURCE_DATE_EPOCH)
#: and `check` is told reviews never go stale, so only the future date case is about dates.
PINNED = {"SOURCE_DATE_EPOCH": str(int(dt.datetime(2026, 6, 1, tzinfo=dt.UTC).timestamp()))}
TIMELESS = ("--max-review-age", "100000")
PROBLEM = re.compile(r"^\S.*:\d+:\d+: (error|warning): .* \[[a-z0-9-]+\]$")


def timeless_project(root: Path) -> Project:
    """A mini project whose own claim is dated like the cases, for the pinned build date."""
    return mini_project(root, claims=[claim_data(reviewed={"date": "2026-01-15", "by": "Test Reviewer"})])


def case_files(case: Path) -> list[Path]:
    files = (p for p in case.rglob("*") if p.is_file())
    return sorted(p for p in files if p.relative_to(case).as_posix() not in CONTROL_FILES)


def lines_of(path: Path) -> list[str]:
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def lay_over(case: Path, project: Project) -> None:
    """Copy the case's files byte for byte over the project; delete what delete.txt names."""
    for rel in lines_of(case / "delete.txt"):
        (project.root / rel).unlink()
    for src in case_files(case):
        dest = project.root / src.relative_to(case)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)


def reported(output: str) -> list[str]:
    """The problem lines of `check`'s text report (hints and the summary left out)."""
    return [line for line in output.splitlines() if PROBLEM.match(line)]


def rule_prefix(line: str) -> str:
    """`bib` for a line ending in `[bib-url]`."""
    return line.rsplit("[", 1)[1].removesuffix("]").split("-")[0]


def build_sample(cases: list[Path]) -> list[Path]:
    """The negative cases to build: the first case (by name) for each rule-id prefix of an
    error, plus every case with a build-only.txt. Deterministic: it follows the folder names."""
    first: dict[str, Path] = {}
    for case in cases:
        for line in lines_of(case / "expected.txt"):
            if ": error: " in line:
                first.setdefault(rule_prefix(line), case)
    return sorted(set(first.values()) | {c for c in cases if (c / "build-only.txt").exists()})


BUILD_SAMPLE = build_sample(NEGATIVE)


def run_check(project: Project, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """`python -m evidence check` through its entry point, in this process: the same code as the
    command without an interpreter start per case, so the whole corpus stays in the fast lane."""
    capsys.readouterr()
    try:
        code = cli.main(["--root", str(project.root), "check", *TIMELESS])
    finally:
        gc.unfreeze()  # the command line freezes its heap (it exits next); this process goes on
    return code, capsys.readouterr().out


@pytest.mark.parametrize("case", NEGATIVE, ids=[c.name for c in NEGATIVE])
def test_bad_input_is_reported_by_check(
    case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = lines_of(case / "expected.txt")
    every = expected + lines_of(case / "build-only.txt")
    assert every, f"{case.name}: expected.txt lists no problem"
    assert any(": error: " in line for line in every), f"{case.name}: a bad input must be an error"
    project = timeless_project(tmp_path)
    lay_over(case, project)

    code, out = run_check(project, capsys)
    assert reported(out) == expected, out
    assert code == (1 if any(": error: " in line for line in expected) else 0)


@pytest.mark.slow
@pytest.mark.parametrize("case", BUILD_SAMPLE, ids=[c.name for c in BUILD_SAMPLE])
def test_bad_input_fails_the_build_naming_each_problem(case: Path, tmp_path: Path) -> None:
    expected = lines_of(case / "expected.txt") + lines_of(case / "build-only.txt")
    project = timeless_project(tmp_path)
    lay_over(case, project)

    build = project.build(env=PINNED)
    assert build.returncode != 0
    missing = [line for line in expected if line not in build.stderr]
    assert missing == [], build.stderr
    assert "Traceback" not in build.stderr, build.stderr
    assert not (project.root / "site" / "index.html").exists()


def test_the_build_sample_covers_every_rule_prefix() -> None:
    """Every prefix of an error rule in the corpus is built at least once."""
    prefixes = {
        rule_prefix(line) for c in NEGATIVE for line in lines_of(c / "expected.txt") if ": error: " in line
    }
    built = {
        rule_prefix(line)
        for c in BUILD_SAMPLE
        for line in lines_of(c / "expected.txt")
        if ": error: " in line
    }
    assert prefixes == built
    assert len(BUILD_SAMPLE) < len(NEGATIVE) / 3, "a sample, not the corpus"


@pytest.mark.parametrize("case", POSITIVE, ids=[c.name for c in POSITIVE])
def test_odd_but_valid_input_checks_clean(
    case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = timeless_project(tmp_path)
    lay_over(case, project)
    code, out = run_check(project, capsys)
    assert (code, reported(out)) == (0, []), out


@pytest.mark.slow
@pytest.mark.parametrize("case", POSITIVE, ids=[c.name for c in POSITIVE])
def test_odd_but_valid_input_builds_inert(case: Path, tmp_path: Path) -> None:
    project = timeless_project(tmp_path)
    lay_over(case, project)

    build = project.build(env=PINNED)
    assert build.returncode == 0, build.stderr
    for line in lines_of(case / "expected-html.txt"):
        page, selector, fragment = (part.strip() for part in line.split(" | ", 2))
        element = BeautifulSoup(project.html(page), "html.parser").select_one(selector)
        assert element is not None, line
        assert fragment in element.decode_contents(), (line, element.decode_contents())
    for page in sorted((project.root / "site").rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(True):  # the whole page: cards, titles, JSON-LD, meta
            assert not [a for a in tag.attrs if a.lower().startswith("on")], (page, tag)
            href = tag.get("href", "")  # our relative links, or http(s)
            assert urlsplit(href).scheme in ("", "http", "https"), (page, href)
            assert not href.startswith("//"), (page, href)
        for script in soup.find_all("script"):
            if script.get("type") in ("application/ld+json", "application/json"):
                json.loads(script.string or "")  # still one JSON document: nothing broke out
            else:
                assert "alert(" not in (script.string or ""), (page, script)
        for part in soup.select("article.ev-card, .ev-page-refs, .ev-bibliography"):
            assert part.find(["script", "img", "iframe", "object", "embed", "style"]) is None, page


def test_the_corpus_covers_the_issue() -> None:
    """At least 40 bad inputs, across claim files and references.bib, each with its own case."""
    assert len(NEGATIVE) >= 40
    touched = {f.relative_to(c).parts[0] for c in NEGATIVE for f in case_files(c)}
    assert {"content", "references.bib"} <= touched
    for case in NEGATIVE + POSITIVE:
        assert case_files(case) or lines_of(case / "delete.txt"), case.name
    for case in POSITIVE:
        assert not (case / "expected.txt").exists(), case.name
