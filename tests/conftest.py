from __future__ import annotations

from pathlib import Path

import pytest
from helpers import Project, copy_real_project, mini_project
from releases import Releases, draft_claims, release_two_editions

#: lanes: a test that builds a site without the `slow` mark fails (see tests/lanes.py).
pytest_plugins = ["lanes", "pytester"]


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """With xdist (`-n N`), tests marked xdist_group share a worker and its session fixtures.

    Set here, not in pyproject's addopts, so `pytest -p no:xdist` still runs (`--dist` is an
    xdist option); an explicit `--dist` on the command line wins.
    """
    explicit = any(arg.startswith("--dist") for arg in config.invocation_params.args)
    if getattr(config.option, "numprocesses", None) and not explicit:
        config.option.dist = "loadgroup"


@pytest.fixture
def mini(tmp_path: Path) -> Project:
    return mini_project(tmp_path)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The real site, built once per test session with --strict."""
    project = copy_real_project(tmp_path_factory.mktemp("real"))
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="session")
def released(tmp_path_factory: pytest.TempPathFactory) -> Releases:
    """Two editions (v1.0, v1.1) of a mini project, deployed with mike into a temp git repo.

    Slow (two mike builds): the test modules using it share the xdist group "releases".
    """
    releases = release_two_editions(tmp_path_factory.mktemp("repo"), tmp_path_factory.mktemp("gh-pages"))
    for tag, result in releases.logs.items():
        assert result.returncode == 0, f"release {tag} failed:\n{result.stdout}\n{result.stderr}"
    return releases


@pytest.fixture(scope="session")
def draft_site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A mini project built outside any git checkout: an unreleased draft with no history.

    Holds a claim with a hostile title and a retired claim, built once per session.
    """
    root = tmp_path_factory.mktemp("draft")
    project = mini_project(root, claims=draft_claims())
    result = project.build(env={"GIT_CEILING_DIRECTORIES": str(root.parent)})
    assert result.returncode == 0, result.stderr
    return project
