"""No file from outside the project reaches the site: links out, dangling links, deep folders.

Each case makes real symbolic links (os.symlink) in a mini project and runs `python -m
evidence check` and `mkdocs build --strict`: both fail naming the path and the rule, with
no traceback, and nothing from outside appears in site/. A link that stays inside the
project (and out of its hidden folders) builds.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from gitrepo import init
from helpers import Project, mini_project

from evidence.core.safepath import MAX_DEPTH

PASSWD = Path("/etc/passwd")
SECRET_WORD = "root:x:0:0"  # what /etc/passwd holds and a site never should


def _link(rel: str, target: str | Path) -> Callable[[Project], str]:
    def make(project: Project) -> str:
        path = project.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() or path.is_symlink():
            if path.is_dir() and not path.is_symlink():
                os.rename(path, project.root / "moved-away")
            else:
                path.unlink()
        os.symlink(target, path)
        return rel

    return make


def _git_config(project: Project) -> str:
    init(project.root)
    return _link("docs/assets/gitconfig.txt", "../../.git/config")(project)


def _deep(project: Project) -> str:
    rel = "content/claims/burden/" + "/".join(["d"] * 1100)
    folder = str(project.root / "content/claims/burden")
    for _ in range(1100):  # os.makedirs and Path.mkdir recurse on the depth themselves
        folder += "/d"
        os.mkdir(folder)
    (project.root / rel / "example-claim.yml").write_text("id: deep\n")
    return "content/claims/burden/" + "/".join(["d"] * (MAX_DEPTH - 1))


@pytest.fixture(autouse=True)
def _remove_deep_folders(tmp_path: Path) -> Iterator[None]:
    """The 1,100-deep chain goes with its test: pytest's own clean-up of old temp folders
    (shutil.rmtree) recurses on depth and would fail a later run on the same machine."""
    yield
    deep = tmp_path / "content/claims/burden/d"
    if deep.is_dir():
        subprocess.run(["rm", "-rf", str(deep)], check=True)


#: case → (make it, returning the path the message names; the rule)
REFUSED: dict[str, tuple[Callable[[Project], str], str]] = {
    "docs file to /etc/passwd": (_link("docs/assets/passwd.txt", PASSWD), "symlink-outside"),
    "docs file to .git/config": (_git_config, "symlink-hidden"),
    "schema to /etc/passwd": (_link("content/schema/claim.schema.json", PASSWD), "symlink-outside"),
    "content/claims to /etc": (_link("content/claims", "/etc"), "symlink-outside"),
    "references.bib to /etc/passwd": (_link("references.bib", PASSWD), "symlink-outside"),
    "macros folder to /etc": (_link("macros/templates/extra", "/etc"), "symlink-outside"),
    "dangling docs link": (_link("docs/missing.md", "nowhere.md"), "symlink-dangling"),
    "docs link to its own folder": (_link("docs/assets/up", ".."), "symlink-loop"),
    "claim 1,100 folders deep": (_deep, "path-too-deep"),
}


def no_secret_in_site(project: Project) -> None:
    site = project.root / "site"
    for path in site.rglob("*") if site.is_dir() else []:
        if path.is_file():
            assert SECRET_WORD.encode() not in path.read_bytes(), f"{path} holds /etc/passwd"


@pytest.mark.parametrize("case", list(REFUSED))
def test_check_refuses_naming_the_path(tmp_path: Path, case: str) -> None:
    project = mini_project(tmp_path)
    make, rule = REFUSED[case]
    rel = make(project)
    done = project.check()
    assert done.returncode == 1, done.stdout
    assert f"{rel}:1:1: error: " in done.stdout and f"[{rule}]" in done.stdout
    assert "hint: " in done.stdout
    assert "Traceback" not in done.stderr + done.stdout
    assert len(done.stdout.splitlines()) < 10, "one problem, not a listing of what the link points to"


@pytest.mark.slow
@pytest.mark.parametrize("case", list(REFUSED))
def test_build_refuses_naming_the_path_and_publishes_nothing(tmp_path: Path, case: str) -> None:
    project = mini_project(tmp_path)
    make, rule = REFUSED[case]
    rel = make(project)
    done = project.build()
    assert done.returncode != 0
    assert f"{rel}:1:1: error: " in done.stderr and f"[{rule}]" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (project.root / "site" / "index.html").exists(), "nothing was built"
    no_secret_in_site(project)


@pytest.mark.slow
def test_a_link_inside_the_project_is_followed(tmp_path: Path) -> None:
    """A shared file kept beside docs/, linked into it, is published like any other."""
    project = mini_project(tmp_path)
    project.write("shared/notes.txt", "shared notes\n")
    _link("docs/assets/notes.txt", "../../shared/notes.txt")(project)
    assert project.check().returncode == 0
    done = project.build()
    assert done.returncode == 0, done.stderr
    assert (project.root / "site/assets/notes.txt").read_text() == "shared notes\n"


@pytest.mark.slow
def test_a_linked_claims_folder_inside_the_project_builds(tmp_path: Path) -> None:
    project = mini_project(tmp_path)
    os.rename(tmp_path / "content/claims", tmp_path / "claims-elsewhere")
    os.symlink(tmp_path / "claims-elsewhere", tmp_path / "content/claims")
    assert project.check().returncode == 0
    done = project.build()
    assert done.returncode == 0, done.stderr
    assert "example-claim" in project.html("claims/example-claim/index.html")


def test_a_chain_through_an_inside_link_is_still_checked(tmp_path: Path) -> None:
    """docs/x -> ../shared (inside), and shared/ holds a link out: refused by its own path."""
    project = mini_project(tmp_path)
    (tmp_path / "shared").mkdir()
    os.symlink(PASSWD, tmp_path / "shared/passwd.txt")
    os.symlink("../shared", tmp_path / "docs/shared")
    done = project.check()
    assert done.returncode == 1
    assert "shared/passwd.txt:1:1: error: " in done.stdout and "[symlink-outside]" in done.stdout


def test_schema_command_never_writes_through_a_link(tmp_path: Path) -> None:
    project = mini_project(tmp_path)
    outside = tmp_path.parent / f"{tmp_path.name}-outside.json"
    outside.write_text("keep")
    _link("content/schema/claim.schema.json", outside)(project)
    done = subprocess.run(
        [sys.executable, "-m", "evidence", "schema"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert outside.read_text() == "keep"
    assert not (tmp_path / "content/schema/claim.schema.json").is_symlink()
