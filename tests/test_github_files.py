"""The files around the code: GitHub workflows and templates, pre-commit, the editor settings.

What the workflows may do with a token is tested in test_workflow_safety.py; here, that
they are valid for GitHub and run the project's commands.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from gitrepo import GIT_ENV, commit, init
from helpers import REPO, claim_data, mini_project

from evidence.content.model import EvidenceKind
from evidence.load.corpus import claim_files

GITHUB = REPO / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
ISSUE_FORMS = [GITHUB / "ISSUE_TEMPLATE" / "new-claim.yml", GITHUB / "ISSUE_TEMPLATE" / "correction.yml"]
#: Any attempt to reach the network fails fast: the schemas must come from the package.
OFFLINE = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}


def _load(path: Path) -> dict:
    """YAML as GitHub reads it: `on` stays a key (PyYAML's default would make it True)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def _check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "check-jsonschema"
    return subprocess.run(
        [str(exe), "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        env={**os.environ, **OFFLINE},
        timeout=120,
    )


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def _runs(workflow: dict) -> str:
    return "\n".join(step.get("run", "") for step in _steps(workflow))


@pytest.mark.parametrize("schema", ["vendor.github-workflows", "custom.github-workflows-require-timeout"])
def test_workflows_match_the_github_schema_offline(schema: str) -> None:
    result = _check_jsonschema(schema, *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_the_schema_check_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text((GITHUB / "workflows" / "pr.yml").read_text().replace("runs-on:", "runs_on:"))
    result = _check_jsonschema("vendor.github-workflows", broken)
    assert result.returncode == 1
    assert "'runs-on' is a required property" in result.stdout


def test_pull_request_workflow_checks_builds_tests_and_summarises() -> None:
    workflow = _load(GITHUB / "workflows" / "pr.yml")
    runs = _runs(workflow)
    assert ".venv/bin/python -m evidence check --format github" in runs
    assert "make build" in runs and "make test" in runs
    diff = next(s for s in _steps(workflow) if "evidence diff" in s.get("run", ""))
    assert diff["run"].splitlines() == [
        "status=0",
        '.venv/bin/python -m evidence diff "$BASE_SHA" HEAD > evidence-diff.md || status=$?',
        'cat evidence-diff.md >> "$GITHUB_STEP_SUMMARY"',
        'exit "$status"',  # a deleted claim still fails the step
    ]
    assert diff["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    assert diff["if"] == "${{ !cancelled() }}"  # the summary is written even when check fails
    checkout = next(s for s in _steps(workflow) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == "0"  # the base commit must be there to diff
    engines = workflow["jobs"]["engines"]  # the second engine builds and is compared in CI
    engine_runs = [s.get("run", "") for s in engines["steps"]]
    assert "make build ENGINE=properdocs" in engine_runs
    assert any("tests/test_engines.py" in run for run in engine_runs)
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^ENGINE \?= mkdocs$", makefile, re.M)  # make build ENGINE=properdocs: the fork
    assert re.search(r"^build: .*\n(\t.*\n)*\t.*-m \$\(ENGINE\) build --strict", makefile, re.M)
    assert re.search(r"^test: .*\n(\t.*\n)*\t\$\(PY\) -m pytest", makefile, re.M)
    assert "$(VENV)/.installed:" in makefile
    for target in ("build", "serve", "test", "release"):  # the editor's files: `npm ci` (lock changed)
        assert re.search(rf"^{target}: .*(\$\(NODE_DONE\)|\n(\t.*\n)*\t.*\$\(NODE_DONE\))", makefile, re.M), (
            target
        )


def test_issue_forms_match_the_github_schema_offline() -> None:
    result = _check_jsonschema("vendor.github-issue-forms", *ISSUE_FORMS)
    assert result.returncode == 0, result.stdout + result.stderr
    config = _check_jsonschema("vendor.github-issue-config", GITHUB / "ISSUE_TEMPLATE" / "config.yml")
    assert config.returncode == 0, config.stdout


def _dropdown(form: dict, field_id: str) -> list[str]:
    return next(item for item in form["body"] if item.get("id") == field_id)["attributes"]["options"]


def test_new_claim_form_offers_the_real_kinds() -> None:
    form = _load(GITHUB / "ISSUE_TEMPLATE" / "new-claim.yml")
    assert _dropdown(form, "kind") == [k.label for k in EvidenceKind] + ["Not sure"]


def _field_types(form: dict) -> dict[str, str]:
    return {item["id"]: item["type"] for item in form["body"] if "id" in item}


def test_the_links_fill_in_fields_the_forms_have() -> None:
    """Every parameter forge.py fills in is an input or a textarea of its form (a dropdown given
    in the URL makes GitHub show a blank issue); a new site's forms have the same fields."""
    from urllib.parse import parse_qs, urlsplit

    from evidence.render.forge import Forge

    forge = Forge("https://github.com/o/r", "main")
    for url in (
        forge.correction("c", "p", "e"),
        forge.suggest_claim("t"),
        forge.reference_problem("k", "p", "e"),
    ):
        query = parse_qs(urlsplit(url).query)
        (template,) = query.pop("template")
        query.pop("title", None)
        ours = _load(GITHUB / "ISSUE_TEMPLATE" / template)
        skeleton = REPO / "evidence" / "sitekit" / "skeleton" / "files" / "dot-github" / "ISSUE_TEMPLATE"
        assert _field_types(_load(skeleton / f"{template}.j2")) == _field_types(ours)
        assert {name: _field_types(ours).get(name) for name in query} == dict.fromkeys(query, "input"), url


def test_pull_request_template_has_the_evidence_checklist() -> None:
    text = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text()
    items = re.findall(r"^- \[ \] (.*)$", text, re.M)
    assert len(items) == 8
    for needle in ("`source`", "`quote`", "guessed", "`evidence.kind`", "`reviewed.date`", "retired"):
        assert any(needle in item for item in items), needle
    assert "`python -m evidence check` reports no problems." in items


def test_vscode_maps_the_schemas_onto_the_content() -> None:
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text())
    schemas = settings["yaml.schemas"]
    assert schemas == {
        "./content/schema/claim.schema.json": ["content/claims/**/*.yml"],
        "./content/schema/topics.schema.json": ["content/topics.yml"],
    }
    for schema in schemas:
        assert (REPO / schema).is_file()
    claims = [p.relative_to(REPO).as_posix() for p in claim_files(REPO)]
    assert claims and all(fnmatch.fnmatch(path, "content/claims/**/*.yml") for path in claims)
    extensions = json.loads((REPO / ".vscode" / "extensions.json").read_text())
    assert "redhat.vscode-yaml" in extensions["recommendations"]


def _pre_commit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "pre-commit"
    env = {**os.environ, **GIT_ENV, **OFFLINE, "PRE_COMMIT_HOME": str(cwd.parent / "pre-commit-home")}
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300)


def test_pre_commit_files_are_valid() -> None:
    config = _pre_commit("validate-config", ".pre-commit-config.yaml", cwd=REPO)
    assert config.returncode == 0, config.stdout + config.stderr
    manifest = _pre_commit("validate-manifest", ".pre-commit-hooks.yaml", cwd=REPO)
    assert manifest.returncode == 0, manifest.stdout + manifest.stderr
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert [(h["id"], h["entry"], h["pass_filenames"]) for h in hooks] == [
        ("evidence-check", "python -m evidence check", False)
    ]


def test_pre_commit_runs_check_and_ruff_and_stops_a_bad_claim(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    project = mini_project(root)
    for name in (".pre-commit-config.yaml", "pyproject.toml"):
        shutil.copy(REPO / name, root / name)
    (root / ".venv").symlink_to(Path(sys.executable).parent.parent)
    (root / ".gitignore").write_text(".venv\n")
    init(root)
    commit(root, "clean")
    clean = _pre_commit("run", "--all-files", cwd=root)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert re.search(r"^evidence check .*Passed$", clean.stdout, re.M)
    assert re.search(r"^ruff check\.+Passed$", clean.stdout, re.M)

    data = claim_data()
    data["statistic"]["value"] = "thirty-seven"
    project.write_claim(data)
    bad = _pre_commit("run", "--all-files", cwd=root)
    assert bad.returncode == 1
    assert re.search(r"^evidence check .*Failed$", bad.stdout, re.M)
    assert "content/claims/burden/example-claim.yml:8:10: error: field 'statistic.value'" in bad.stdout
