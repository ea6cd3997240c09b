"""A committed .cache/ never runs code: the cache unpickles only what this machine sealed.

Each test lays malicious pickles (their `__reduce__` creates a marker file) under every
name the cache reads, commits them with `git add -f` as a pull request could, and runs
the two commands CI runs. The machine's secret is kept in a temp XDG_CACHE_HOME.
"""

from __future__ import annotations

import os
import pickle
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import GIT_ENV, commit, git, init
from helpers import Project, mini_project

from evidence.cache.keys import code_version, source_files
from evidence.cache.store import CACHE_DIR, CLAIM_SHARDS, LIBRARY_FILE, UNTRUSTED


class _Touch:
    """Unpickling this creates `path`: what a committed cache file could do."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch '{self.path}'",))


def evil(marker: Path) -> bytes:
    return pickle.dumps(_Touch(marker))


def cache_names(root: Path) -> list[Path]:
    """Every file the cache reads, at the paths this code version reads them from."""
    base = root / CACHE_DIR
    version = base / code_version()
    names = [base / "formatted.pickle", base / "plain.pickle"]
    names += [version / "checked.pickle", version / "schema.pickle"]
    names += [version / f"claims-{n:02x}.pickle" for n in range(CLAIM_SHARDS)]
    return [*names, version / LIBRARY_FILE]


def plant(root: Path, markers: Path) -> list[Path]:
    """A malicious pickle in every cache file; library.entries in both its layouts, shaped as ours."""
    planted = cache_names(root)
    for path in planted:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = evil(markers / path.name)
        if path.name == LIBRARY_FILE:  # magic, a forged tag, the length, then the pickle
            head = payload
            payload = b"evidence-library 2\n" + b"\0" * 32 + len(head).to_bytes(8, "big") + head
        path.write_bytes(payload)
    return planted


def env_for(xdg: Path) -> dict[str, str]:
    return {**os.environ, **GIT_ENV, "XDG_CACHE_HOME": str(xdg), "NO_MKDOCS_2_WARNING": "1"}


def run_check(root: Path, xdg: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "evidence", "check"],
        cwd=root,
        capture_output=True,
        text=True,
        env=env_for(xdg),
        timeout=120,
    )


@pytest.fixture
def committed(tmp_path: Path) -> tuple[Project, Path, Path]:
    """A mini project in git whose commit holds a malicious pickle under every cache name."""
    root, markers = tmp_path / "project", tmp_path / "markers"
    root.mkdir()
    markers.mkdir()
    project = mini_project(root)
    (root / ".gitignore").write_text(".cache/\nsite/\n")
    init(root)
    commit(root, "site")
    plant(root, markers)
    git(root, "add", "-f", ".cache")
    git(root, "commit", "-q", "-m", "a helpful cache")
    assert git(root, "ls-files", "--", ".cache"), "the pickles are committed"
    return project, markers, tmp_path / "xdg"


def test_committed_pickles_never_run_in_check(committed: tuple[Project, Path, Path]) -> None:
    project, markers, xdg = committed
    done = run_check(project.root, xdg)
    assert not list(markers.iterdir()), "a committed pickle ran"
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert f"{CACHE_DIR}/formatted.pickle:1:1: warning: {UNTRUSTED}" in done.stderr
    assert f"{LIBRARY_FILE}:1:1: warning: {UNTRUSTED}" in done.stderr
    assert done.stdout.strip().startswith("No problems found"), "the report itself is unchanged"


@pytest.mark.slow
def test_committed_pickles_never_run_in_a_strict_build(committed: tuple[Project, Path, Path]) -> None:
    project, markers, xdg = committed
    done = project.build(env={"XDG_CACHE_HOME": str(xdg)})
    assert not list(markers.iterdir()), "a committed pickle ran"
    assert done.returncode == 0, done.stderr
    assert (project.root / "site/index.html").is_file()
    assert f"{CACHE_DIR}/formatted.pickle:1:1: warning: {UNTRUSTED}" in done.stderr
    assert f"{LIBRARY_FILE}:1:1: warning: {UNTRUSTED}" in done.stderr
    assert "/claims-" in done.stderr
    # the forged files were replaced by sealed ones: the next build warns no more
    again = project.build(env={"XDG_CACHE_HOME": str(xdg)})
    assert again.returncode == 0 and UNTRUSTED not in again.stderr
    assert not list(markers.iterdir())


def test_every_cache_name_is_checked_before_unpickling(tmp_path: Path) -> None:
    """With a warm cache in place, each file replaced alone by a payload is refused by name."""
    root, markers, xdg = tmp_path / "p", tmp_path / "m", tmp_path / "xdg"
    root.mkdir()
    markers.mkdir()
    mini_project(root)
    assert run_check(root, xdg).returncode == 0  # a warm, sealed cache of this machine
    names = [p for p in cache_names(root) if p.exists()]
    assert {p.name for p in names} >= {"formatted.pickle", "checked.pickle", LIBRARY_FILE}
    memo = next(p for p in names if p.name == "checked.pickle")
    for path in names:
        for target in {path, memo}:  # without the memo, check reads every file
            target.write_bytes(evil(markers / target.name) + target.read_bytes()[-55:])  # a real seal's tail
        done = run_check(root, xdg)
        assert not list(markers.iterdir()), f"{path.name} ran"
        assert done.returncode == 0 and "Traceback" not in done.stderr
        assert f"{path.relative_to(root).as_posix()}:1:1: warning: {UNTRUSTED}" in done.stderr


def test_a_cache_sealed_on_another_machine_is_not_read(tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    mini_project(root)
    assert run_check(root, tmp_path / "mine").returncode == 0
    done = run_check(root, tmp_path / "theirs")
    assert done.returncode == 0
    assert f"{CACHE_DIR}/formatted.pickle:1:1: warning: {UNTRUSTED}" in done.stderr
    assert UNTRUSTED not in run_check(root, tmp_path / "theirs").stderr, "rewritten, then trusted"


def test_the_secret_is_private_and_outside_the_project(tmp_path: Path) -> None:
    root, xdg = tmp_path / "p", tmp_path / "xdg"
    root.mkdir()
    mini_project(root)
    assert run_check(root, xdg).returncode == 0
    secret = xdg / "evidence" / "secret"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert len(secret.read_bytes()) == 32
    assert not [p for p in root.rglob("*") if "secret" in p.name]


def test_a_linked_cache_folder_is_neither_read_nor_pruned(tmp_path: Path) -> None:
    """`.cache/evidence -> elsewhere` would let pruning delete another folder's contents."""
    root, elsewhere, xdg = tmp_path / "p", tmp_path / "home", tmp_path / "xdg"
    root.mkdir()
    (elsewhere / "precious").mkdir(parents=True)
    (elsewhere / "precious" / "notes.txt").write_text("keep me")
    mini_project(root)
    (root / ".cache").mkdir()
    (root / CACHE_DIR).symlink_to(elsewhere)
    done = run_check(root, xdg)
    assert done.returncode == 0, done.stderr
    assert (elsewhere / "precious" / "notes.txt").read_text() == "keep me"
    assert sorted(p.name for p in elsewhere.iterdir()) == ["precious"], "nothing written through the link"
    assert f"{CACHE_DIR}:1:1: warning: is a symbolic link" in done.stderr


def test_the_code_version_covers_subpackages_and_templates(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    for rel in ("__init__.py", "sub/deep/mod.py", "templates/page.html.j2", "templates/x/part.j2"):
        (package / rel).parent.mkdir(parents=True, exist_ok=True)
        (package / rel).write_text("x")
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "m.cpython-311.pyc").write_bytes(b"\0")
    assert source_files(package) == [
        "__init__.py",
        "sub/deep/mod.py",
        "templates/page.html.j2",
        "templates/x/part.j2",
    ]
    assert "cache/keys.py" in source_files(Path(__file__).parents[1] / "evidence")
