"""`evidence init DIR`: a new site that checks and builds strictly, from the package alone.

The tests that build are marked slow; the refusals and the skeleton's own rules are fast.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from helpers import REPO
from releases import git

TITLE = "Exercise for knee pain"
#: YAML (`"`, `: `, ` #`, a leading `-`), Jinja (`{{ }}`, `{% %}`, `{#`), Markdown and HTML.
HOSTILE_TITLES = [
    'Knee "pain": #1 {{ config.site_name }} {% if x %}y{% endif %} {# c #} & 50%',
    "- *Not* a list > [link](javascript:alert(1)) `code` \\ _x_ ! ![img](x.png) ---",
    # the theme prints site_name raw; the plugin escapes it, so a tag or entity is text
    "Knee <b>pain</b> &amp; <script>alert(1)</script> &#60;i&#62; R&D",
]
NO_MKDOCS_2 = {"NO_MKDOCS_2_WARNING": "1"}
#: Where our pr.yml's ProperDocs job begins; a new site's pr.yml is ours up to there.
SECOND_ENGINE_JOB = b"\n  # Material for MkDocs reaches end of life"


def run(cwd: Path, *argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(argv),
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **NO_MKDOCS_2, **(env or {})},
        timeout=900,
    )


def init(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(cwd, sys.executable, "-m", "evidence", "init", *args)


def build(site: Path, python: str = sys.executable) -> subprocess.CompletedProcess[str]:
    return run(site, python, "-m", "mkdocs", "build", "--strict", "-d", "site")


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / "site" / page).read_text(encoding="utf-8"), "html.parser")


def h1(page: BeautifulSoup) -> str:
    """The page's heading as a reader sees it, without the toc permalink's ¶."""
    heading = page.find("article").find("h1")
    for link in heading.find_all("a", class_="headerlink"):
        link.decompose()
    return heading.get_text()


def assert_built_like_ours(site: Path) -> None:
    """The claim page, the downloads and the JSON-LD of a built new site."""
    claim = yaml.safe_load(next((site / "content" / "claims").glob("*/example-claim.yml")).read_text())
    page = soup(site, "claims/example-claim/index.html")
    assert h1(page) == claim["title"]
    claims = json.loads((site / "site" / "data" / "claims.json").read_text(encoding="utf-8"))
    assert [c["id"] for c in claims] == ["example-claim"]
    assert (site / "site" / "data" / "references.bib").read_text().count("@online{example-source") == 1
    graphs = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]
    assert graphs, "no JSON-LD on the claim page"
    assert "example-claim" in json.dumps(graphs)


# -- fast: refusals and the skeleton's rules ------------------------------------------------


def test_init_refuses_a_non_empty_dir(tmp_path: Path) -> None:
    (tmp_path / "mysite").mkdir()
    (tmp_path / "mysite" / "notes.txt").write_text("mine\n")
    done = init(tmp_path, "mysite")
    assert done.returncode == 2
    assert "mysite is not an empty folder; nothing was written" in done.stderr
    assert "hint: give a new folder name" in done.stderr
    assert [p.name for p in (tmp_path / "mysite").iterdir()] == ["notes.txt"]


@pytest.mark.parametrize(
    ("topic", "message"),
    [
        ("Side_Effects", "topic id 'Side_Effects' is not valid"),
        ("claims", "topic id 'claims' is the name of a page every site has"),
    ],
)
def test_init_refuses_a_bad_topic_and_writes_nothing(tmp_path: Path, topic: str, message: str) -> None:
    done = init(tmp_path, "mysite", "--topic", topic)
    assert done.returncode == 2
    assert message in done.stderr
    assert not (tmp_path / "mysite").exists()


def test_init_refuses_a_title_with_a_hidden_character(tmp_path: Path) -> None:
    done = init(tmp_path, "mysite", "--title", "Knee\u202epain")
    assert done.returncode == 2
    assert "U+202E RIGHT-TO-LEFT OVERRIDE at character 5" in done.stderr
    assert not (tmp_path / "mysite").exists()


def test_a_skeleton_value_printed_without_its_filter_is_refused() -> None:
    from evidence.sitekit import _environment

    env = _environment()
    with pytest.raises(TypeError, match="without the yaml or md filter"):
        env.from_string("site_name: {{ title }}").render(title="x")
    assert env.from_string("site_name: {{ title|yaml }}").render(title='a "b"') == 'site_name: "a \\"b\\""'


def test_new_site_workflows_and_macros_are_this_repos(tmp_path: Path) -> None:
    """The hardened workflows and the thin define_env, byte for byte (they must not drift)."""
    from evidence.sitekit import init_site

    init_site(tmp_path / "s", TITLE, ["benefits"])
    for name in ("pr.yml", "publish.yml", "pr-comment.yml"):
        ours = (REPO / ".github" / "workflows" / name).read_bytes()
        if name == "pr.yml":  # less our second-engine job: it runs this repository's tests/test_engines.py
            ours, engines = ours.split(SECOND_ENGINE_JOB)
            assert b"\n  engines:\n" in engines and b"\n  check:\n" in ours
            ours = ours.rstrip(b"\n") + b"\n"
        assert (tmp_path / "s" / ".github" / "workflows" / name).read_bytes() == ours, name
    assert (tmp_path / "s" / "macros" / "__init__.py").read_bytes() == (
        REPO / "macros" / "__init__.py"
    ).read_bytes()
    lint = run(
        tmp_path / "s",
        sys.executable,
        "-m",
        "ruff",
        "check",
        "--no-cache",
        "--config",
        str(REPO / "pyproject.toml"),
        ".",
    )
    assert lint.returncode == 0, lint.stdout


def test_new_site_files_name_the_title_and_topics(tmp_path: Path) -> None:
    done = init(tmp_path, "mysite", "--title", TITLE, "--topic", "benefits", "--topic", "harms")
    assert done.returncode == 0, done.stderr
    site = tmp_path / "mysite"
    config = yaml.load((site / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    assert config["site_name"] == TITLE
    assert config["theme"]["font"] == "false"
    assert config["extra"]["version"]["provider"] == "mike"
    # the evidence plugin alone: it reads pages and expands their macros itself, and indexes
    # the site with Pagefind (no mkdocs-macros, no Material search plugin)
    assert [p if isinstance(p, str) else next(iter(p)) for p in config["plugins"]] == ["evidence"]
    topics = yaml.safe_load((site / "content" / "topics.yml").read_text())["topics"]
    assert [(t["id"], t["page"]) for t in topics] == [("benefits", "benefits.md"), ("harms", "harms.md")]
    assert '{{ claims("harms") }}' in (site / "docs" / "harms.md").read_text()
    assert not (site / "docs" / "changes.md").exists()  # generated at build, as in this repository
    assert (
        (site / "content" / "claims" / "benefits" / "example-claim.yml")
        .read_text()
        .startswith("# yaml-language-server: $schema=../../schema/claim.schema.json\n")
    )
    assert "Example, A." in (site / "references.bib").read_text()
    assert {".gitignore", ".pre-commit-config.yaml", "README.md", "Makefile", "requirements.txt"} <= {
        p.name for p in site.iterdir()
    }
    assert "site/\n" in (site / ".gitignore").read_text() and ".cache/\n" in (site / ".gitignore").read_text()


def test_init_commits_the_new_site_unless_told_not_to(tmp_path: Path) -> None:
    """Issue 23: What changed and the README's release step need a repository from the start."""
    done = init(tmp_path, "s", "--title", TITLE)
    assert done.returncode == 0, done.stderr
    assert "Made it a git repository with a first commit." in done.stdout
    log = run(tmp_path / "s", "git", "log", "--format=%s", env={"GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert log.stdout.splitlines() == ["New evidence site (evidence init)"]
    status = run(
        tmp_path / "s", "git", "status", "--porcelain", env={"GIT_CEILING_DIRECTORIES": str(tmp_path)}
    )
    assert status.stdout == ""  # everything init wrote is in the commit
    assert init(tmp_path, "bare", "--no-git").returncode == 0
    assert not (tmp_path / "bare" / ".git").exists()


def test_new_site_wording_comes_from_its_site_yml(tmp_path: Path) -> None:
    """A new site is not medical until its site.yml says so, and the Makefile silences Material's notice."""
    from evidence.sitekit import init_site

    init_site(tmp_path / "s", TITLE, ["benefits"])
    site = yaml.safe_load((tmp_path / "s" / "content" / "site.yml").read_text())
    assert (site["medical"], site["clinical_review"]) == (False, False) and site["review_statement"]
    makefile = (tmp_path / "s" / "Makefile").read_text()
    assert "export NO_MKDOCS_2_WARNING := 1" in makefile
    assert "export NO_MKDOCS_2_WARNING=1" in (tmp_path / "s" / "README.md").read_text()


class _Dist:
    """A stand-in for importlib.metadata's Distribution, with a given direct_url.json."""

    version = "0.1.0"

    def __init__(self, direct: dict | None) -> None:
        self.direct = direct

    def read_text(self, name: str) -> str | None:
        return json.dumps(self.direct) if self.direct is not None and name == "direct_url.json" else None


@pytest.mark.parametrize(
    ("direct", "line"),
    [
        (None, "evidence-site==0.1.0"),  # from an index
        (
            {"url": "file:///w/evidence_site-0.1.0-py3-none-any.whl", "archive_info": {}},
            "evidence-site @ file:///w/evidence_site-0.1.0-py3-none-any.whl",
        ),
        (
            {"url": "file:///home/me/evidence", "dir_info": {"editable": True}},
            "evidence-site @ file:///home/me/evidence",
        ),
        (
            {"url": "https://github.com/o/r.git", "vcs_info": {"vcs": "git", "commit_id": "abc123"}},
            "evidence-site @ git+https://github.com/o/r.git@abc123",
        ),
        ({"url": "file:///a b\nc", "dir_info": {}}, "evidence-site==0.1.0"),  # not one line: the version
    ],
)
def test_requirements_point_at_how_the_package_was_installed(direct: dict | None, line: str) -> None:
    """PEP 610's direct_url.json, not a pin no index serves (issue 23)."""
    from evidence.sitekit.origin import requirement_line

    assert requirement_line(_Dist(direct)) == line  # type: ignore[arg-type]


# -- slow: real builds -----------------------------------------------------------------------


@pytest.mark.slow
def test_new_site_checks_builds_strictly_and_its_smoke_test_passes(tmp_path: Path) -> None:
    assert (
        init(tmp_path, "mysite", "--title", TITLE, "--topic", "benefits", "--topic", "harms").returncode == 0
    )
    site = tmp_path / "mysite"
    check = run(site, sys.executable, "-m", "evidence", "check")
    assert (check.returncode, check.stdout.strip()) == (0, "No problems found."), check.stderr
    done = build(site)
    assert done.returncode == 0, done.stderr
    assert_built_like_ours(site)
    assert h1(soup(site, "harms/index.html")) == "Harms"
    assert h1(soup(site, "changes/index.html")) == "What changed"
    downloads = {a["href"] for a in soup(site, "data/index.html").find("article").find_all("a", href=True)}
    assert {"claims.json", "claims.csv"} <= {Path(h).name for h in downloads}
    # its own basetemp: pytest's shared temp root may hold other sessions' folders to clean
    smoke = run(
        site,
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--basetemp",
        str(tmp_path / "t"),
        "tests",
    )
    assert smoke.returncode == 0, smoke.stdout


@pytest.mark.slow
@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_titles_with_yaml_jinja_and_markdown_specials_stay_literal(tmp_path: Path, title: str) -> None:
    assert init(tmp_path, "s", "--title", title).returncode == 0
    site = tmp_path / "s"
    assert yaml.safe_load((site / "mkdocs.yml").read_text())["site_name"] == title
    assert yaml.safe_load((site / "content" / "site.yml").read_text())["about"][0]["name"] == title
    check = run(site, sys.executable, "-m", "evidence", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    done = build(site)
    assert done.returncode == 0, done.stderr
    home = soup(site, "index.html")
    assert h1(home) == title
    assert home.title.get_text().endswith(title)
    assert not home.find("article").find("h1").find(True)  # no <em>, <code>, <a> or <img>: text only
    assert not home.find("a", href="javascript:alert(1)") and not home.find("img", src="x.png")
    assert title in soup(site, "disclaimer/index.html").find("article").get_text(" ")
    for page in sorted((site / "site").rglob("*.html")):  # no page runs or shows it as markup
        html = soup(site, page.relative_to(site / "site").as_posix())
        scripts = [t for t in html.find_all("script") if t.get("type") != "application/ld+json"]
        assert not any("alert(1)" in t.get_text() for t in scripts), page
        assert html.find("b", string="pain") is None, page


@pytest.mark.slow
def test_new_site_editions_show_what_changed(tmp_path: Path) -> None:
    """Released as ours is: tag v1.0, change the example claim, and What changed names it."""
    assert init(tmp_path, "s", "--title", TITLE).returncode == 0
    site = tmp_path / "s"  # init made it a repository with a first commit
    git(site, "tag", "-a", "v1.0", "-m", "Edition v1.0")
    claim = next((site / "content" / "claims").glob("*/example-claim.yml"))
    claim.write_text(claim.read_text().replace('as_stated: "1 in 2"', 'as_stated: "1 in 3"'))
    done = run(
        site,
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "-d",
        "site",
        env={"GIT_CEILING_DIRECTORIES": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    changes = soup(site, "changes/index.html").find("article").get_text(" ", strip=True)
    assert "v1.0" in changes and "1 in 2" in changes and "1 in 3" in changes
    history = soup(site, "claims/example-claim/index.html").find("article").get_text(" ", strip=True)
    assert "1 in 3" in history


# -- slow: the wheel alone, in a fresh venv --------------------------------------------------


@pytest.mark.slow
def test_wheel_installed_alone_inits_checks_and_builds(tmp_path: Path) -> None:
    """`pip wheel` of the package sources, a fresh venv, then init, check, a strict build and
    the new site's own `make test` (no edit: requirements.txt points at the wheel).

    The wheel is made from a copy of evidence/, pyproject.toml and README.md, so no stale
    build/ folder of the working tree gets into it. The venv is not --system-site-packages
    (.venv is not the system site, and the repository must stay out of sys.path): the wheel
    installs with its pinned dependencies from PyPI through pip's cache, measured at 3 s for
    the wheel and 19 s for venv + install, so the .pth shortcut into .venv's site-packages
    was not needed. The cwd is a temp folder outside the repository throughout.
    """
    source, wheels, venv, work = (tmp_path / name for name in ("src", "wheels", "venv", "work"))
    work.mkdir()
    shutil.copytree(REPO / "evidence", source / "evidence", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    started = time.monotonic()
    made = run(source, sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-q", "-w", str(wheels))
    assert made.returncode == 0, made.stderr
    (wheel,) = wheels.glob("evidence_site-*.whl")
    assert run(work, sys.executable, "-m", "venv", str(venv)).returncode == 0
    python, evidence = str(venv / "bin" / "python"), str(venv / "bin" / "evidence")
    installed = run(work, python, "-m", "pip", "install", "-q", str(wheel))
    assert installed.returncode == 0, installed.stderr
    setup = time.monotonic() - started
    alone = {"PYTHONPATH": "", "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    where = run(
        work, python, "-c", "import evidence, sys; print(evidence.__file__); print(sys.path)", env=alone
    )
    assert str(venv) in where.stdout.splitlines()[0] and str(REPO) not in where.stdout, where.stdout
    done = run(work, evidence, "init", "site", "--title", TITLE, "--topic", "benefits", env=alone)
    assert done.returncode == 0, done.stderr
    site = work / "site"
    check = run(site, evidence, "check", env=alone)
    assert (check.returncode, check.stdout.strip()) == (0, "No problems found."), check.stderr
    built = run(site, python, "-m", "mkdocs", "build", "--strict", "-d", "site", env=alone)
    assert built.returncode == 0, built.stderr
    assert_built_like_ours(site)
    assert not any(str(REPO) in p.read_text(errors="replace") for p in (site / "site").rglob("*.html"))
    # issue 23: requirements.txt names the wheel it came from, so the new site's own
    # `make test` (a second venv, from requirements.txt) passes as written, in its own repository
    assert f"evidence-site @ {wheel.resolve().as_uri()}" in (site / "requirements.txt").read_text()
    assert (site / ".git").is_dir()
    tested = run(site, "make", "test", env={**alone, "PYTEST_ADDOPTS": f"--basetemp={tmp_path / 't'}"})
    assert tested.returncode == 0, tested.stdout[-4000:] + tested.stderr[-4000:]
    assert "No problems found." in tested.stdout and " passed" in tested.stdout
    print(f"WHEEL_TIMING wheel+venv+install {setup:.1f} s, total {time.monotonic() - started:.1f} s")
    shutil.rmtree(venv)
