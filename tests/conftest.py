from __future__ import annotations

from pathlib import Path

import pytest
from helpers import Project, copy_real_project, mini_project


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
