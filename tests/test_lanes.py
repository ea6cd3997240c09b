"""The fast lane's guard (tests/lanes.py) fails an unmarked test that builds, and only that one.

The inner sessions "build" with `python -c '' mkdocs build`: the command line is a build's,
the process does nothing, so this stays in the fast lane.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lanes import is_build

TESTS = Path(__file__).parent

INNER = """
import subprocess, sys
import pytest

def fake_build():
    subprocess.run([sys.executable, "-c", "", "mkdocs", "build", "--strict"], check=True)

@pytest.fixture(scope="session")
def built_once():
    fake_build()

def test_unmarked_build():
    fake_build()

@pytest.mark.slow
def test_marked_build():
    fake_build()

def test_unmarked_first_user_of_a_building_fixture(built_once):
    pass

def test_unmarked_second_user_of_a_building_fixture(built_once):
    pass  # built nothing itself: the fixture built before, for the first user

def test_unmarked_check_only():
    subprocess.run([sys.executable, "-c", "", "evidence", "check"], check=True)
"""


def run_inner(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    pytester.makepyfile(test_inner=INNER)
    pytester.makeini("[pytest]\nmarkers =\n    slow: builds a site\n")
    return pytester.runpytest_subprocess("-p", "lanes", "-p", "no:xdist", "-p", "no:cacheprovider", *args)


def test_an_unmarked_test_that_builds_fails_the_run(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(TESTS))
    result = run_inner(pytester)
    result.assert_outcomes(passed=2, failed=3)
    result.stdout.fnmatch_lines(
        [
            "*test_unmarked_build builds a site (ran *mkdocs* but is not marked slow*",
            "*test_unmarked_first_user_of_a_building_fixture builds a site (ran *mkdocs*",
            "*test_unmarked_second_user_of_a_building_fixture builds a site (uses fixture(s) built_once*",
        ]
    )
    assert result.ret != 0


def test_the_fast_lane_deselects_what_is_marked(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(TESTS))
    result = run_inner(pytester, "-m", "not slow")
    result.assert_outcomes(passed=1, failed=3, deselected=1)


@pytest.mark.parametrize(
    ("argv", "builds"),
    [
        (["/venv/bin/python", "-m", "mkdocs", "build", "--strict"], True),
        (["/venv/bin/mkdocs", "serve"], True),
        (["faketime", "-f", "+40d", "python", "-m", "mkdocs", "build"], True),
        (["/venv/bin/mike", "deploy", "v1.0"], True),
        (["python", "-m", "evidence", "check"], False),
        (["python", "-m", "mkdocs", "--version"], False),
        (["git", "commit", "-m", "build"], False),
        ("mkdocs build", True),
    ],
)
def test_build_command_lines_are_recognised(argv: list[str] | str, builds: bool) -> None:
    assert is_build(argv) is builds
