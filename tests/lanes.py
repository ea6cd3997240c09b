"""The fast lane stays fast: a test that builds a site must be marked `slow`, or it fails.

`pytest -m "not slow"` is only a real fast lane if no unmarked test builds. Marking by hand
is forgotten, so this plugin (registered by conftest.py) checks it while the tests run:

- every process a test starts is seen through the `subprocess.Popen` audit event; one that
  runs `mkdocs build|serve|gh-deploy` or `mike deploy` is a build;
- a fixture whose setup built a site taints every test using it (a session fixture builds
  once, for whichever test comes first; the others need it just as much);
- the session fixtures in SITE_FIXTURES mark their tests slow at collection, so the fast lane
  deselects them without running them (`released` builds through `evidence release`, whose
  mike runs in a grandchild process the audit hook cannot see).

A test that built, or used a fixture that did, without the `slow` mark is reported failed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Generator, Sequence

import pytest

#: Session fixtures that build a site: every test using one (even indirectly) is slow.
SITE_FIXTURES = frozenset({"real_site", "released", "draft_site"})
#: Commands that build a site, by the tool's name and the subcommands that build.
BUILD_COMMANDS = {"mkdocs": {"build", "serve", "gh-deploy"}, "mike": {"deploy", "serve"}}

_builds: list[str] = []
_building_fixtures: set[str] = set()
_START = pytest.StashKey[int]()


def is_build(argv: str | bytes | Sequence[object]) -> bool:
    """Whether a command line runs a site build (`python -m mkdocs build …`, `mike deploy …`)."""
    parts = argv.split() if isinstance(argv, str | bytes) else list(argv)
    words = [
        os.path.basename(os.fsdecode(p)) if isinstance(p, str | bytes | os.PathLike) else "" for p in parts
    ]
    for tool, commands in BUILD_COMMANDS.items():
        if tool in words and commands & set(words[words.index(tool) + 1 :]):
            return True
    return False


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event == "subprocess.Popen":
        executable, argv = args[0], args[1]
        command = argv if argv is not None else [executable]
        if is_build(command):  # type: ignore[arg-type]
            _builds.append(repr(command))


sys.addaudithook(_audit)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Before `-m` deselects: tests using a site-building fixture are slow."""
    for item in items:
        if SITE_FIXTURES & set(getattr(item, "fixturenames", ())) and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef[object]) -> Generator[None, object, object]:
    before = len(_builds)
    try:
        return (yield)
    finally:
        if len(_builds) > before:
            _building_fixtures.add(fixturedef.argname)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    item.stash[_START] = len(_builds)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if call.when != "call" or item.get_closest_marker("slow"):
        return report
    built = _builds[item.stash.get(_START, len(_builds)) :]
    fixtures = sorted(_building_fixtures & set(getattr(item, "fixturenames", ())))
    if built or fixtures:
        what = f"ran {built[0]}" if built else f"uses fixture(s) {', '.join(fixtures)} that build"
        report.outcome = "failed"
        report.longrepr = (
            f"{item.nodeid} builds a site ({what}) but is not marked slow: "
            "add `@pytest.mark.slow` (or `pytestmark = pytest.mark.slow` for the module), "
            'so `pytest -m "not slow"` stays a fast lane'
        )
    return report
