"""Nothing a contribution holds runs: payloads that would make a folder if executed never do.

Each case plants one payload in a mini project and runs the two commands a pull request's
CI runs on it (`python -m evidence check`, `mkdocs build --strict`); afterwards no marker
exists anywhere in the temp folder and neither command printed a traceback. Refusing the
payload with a located problem is fine; evaluating it is not.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from helpers import BIB, Project, claim_data, mini_project

#: Python's own objects reached from a template: mkdocs-macros' plain Jinja would run this.
MKDIR = '{{ cycler.__init__.__globals__.os.mkdir("pwned") }}'
MARKER = "pwned"


class _Mkdir:
    """Unpickling this calls os.mkdir(path): what a committed cache file could do."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def __reduce__(self) -> tuple[Callable[..., object], tuple[str]]:
        return os.mkdir, (self.path,)


def plant_claim_title(project: Project, suffix: str) -> None:
    project.write_claim(claim_data(title=f"{MKDIR} {suffix}"))


def plant_docs_page(project: Project) -> None:
    project.write("docs/methodology.md", f"# Methodology\n\n{MKDIR}\n")


def plant_topic_title(project: Project) -> None:
    path = project.root / "content/topics.yml"
    topics = yaml.safe_load(path.read_text())
    topics["topics"][0]["title"] = MKDIR
    project.write("content/topics.yml", yaml.safe_dump(topics, sort_keys=False))


def plant_site_yml(project: Project) -> None:
    path = project.root / "content/site.yml"
    site = yaml.safe_load(path.read_text())
    site["authors"][0]["name"] = MKDIR
    site["about"][0]["name"] = MKDIR
    project.write("content/site.yml", yaml.safe_dump(site, sort_keys=False))


def plant_bib_title(project: Project) -> None:
    project.write("references.bib", BIB.replace("An Example Article About Back Pain", MKDIR))


def plant_pickles(project: Project) -> None:
    """A malicious pickle under every name the cache reads (formatted.pickle first)."""
    from evidence.cache import store as cache

    base = project.root / ".cache" / "evidence"
    names = [base / "formatted.pickle", base / "plain.pickle"]
    version = base / cache.code_version()
    names += [version / "checked.pickle", *(version / f"claims-{n:02x}.pickle" for n in range(64))]
    for path in names:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(_Mkdir(project.root / f"{MARKER}-{path.stem}")))


CASES: dict[str, Callable[[Project], None]] = {
    "claim-title-emoji": lambda p: plant_claim_title(p, "😀"),
    "claim-title-tag-char": lambda p: plant_claim_title(p, "x\U000e0020"),
    "docs-page": plant_docs_page,
    "topic-title": plant_topic_title,
    "site-yml": plant_site_yml,
    "bib-title": plant_bib_title,
    "cache-pickle": plant_pickles,
}


def run_check(project: Project) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "evidence", "check"],
        cwd=project.root,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


@pytest.mark.slow
@pytest.mark.parametrize("plant", list(CASES.values()), ids=list(CASES))
def test_a_payload_that_would_make_a_folder_never_runs(tmp_path: Path, plant: Callable) -> None:
    (tmp_path / "project").mkdir()
    project = mini_project(tmp_path / "project")
    plant(project)
    results = {"check": run_check(project), "build": project.build()}
    # a second build reads the cache the first one wrote (and the planted one, if kept)
    results["rebuild"] = project.build()
    made = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob(f"{MARKER}*"))
    assert made == [], f"executed: {made}"
    for name, result in results.items():
        output = result.stdout + result.stderr
        assert "Traceback" not in output, f"{name}:\n{output[-3000:]}"
        assert result.returncode in (0, 1), f"{name} exited {result.returncode}:\n{output[-3000:]}"


def test_the_payloads_do_run_when_evaluated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The control: a plain Jinja environment (mkdocs-macros' kind) and pickle.load run them."""
    import jinja2

    monkeypatch.chdir(tmp_path)
    jinja2.Environment().from_string(MKDIR).render()
    assert (tmp_path / MARKER).is_dir()
    pickle.loads(pickle.dumps(_Mkdir(tmp_path / f"{MARKER}-pickle")))
    assert (tmp_path / f"{MARKER}-pickle").is_dir()
