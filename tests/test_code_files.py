"""Files a browser executes are code (issue 20, item 4).

`check` and the build refuse every file under docs/ that a browser runs or renders as a
document, unless mkdocs.yml's evidence `code_files` lists it; `evidence diff` lists a
change to any code path first, under its own heading, in every format; CODEOWNERS and
SECURITY.md name the same list (evidence/core/codepaths.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from gitrepo import commit, evidence, init
from helpers import REPO, Project, mini_project

from evidence.core.codepaths import CODE_EXTENSIONS, CODE_PATHS, codeowners, why_code
from evidence.editions.codechanges import HEADING
from evidence.load.codefiles import refuse_code_files

TEAM = "@pt-back-pain/maintainers"
PAYLOAD = "<script>alert(1)</script>\n"


def allow(project: Project, *entries: str) -> None:
    """mkdocs.yml's evidence plugin lists `entries` in `code_files`."""
    yml = project.root / "mkdocs.yml"
    block = "  - evidence:\n      code_files:\n" + "".join(f"        - {e}\n" for e in entries)
    text = yml.read_text("utf-8")
    assert "  - evidence\n" in text
    yml.write_text(text.replace("  - evidence\n", block, 1), "utf-8")


def code_file_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.endswith("[code-file]")]


@pytest.mark.parametrize("ext", sorted(CODE_EXTENSIONS))
def test_each_extension_is_refused_at_its_path_in_any_case(tmp_path: Path, ext: str) -> None:
    project = mini_project(tmp_path)
    project.write(f"docs/assets/lower{ext}", PAYLOAD)
    project.write(f"docs/UPPER{ext.upper()}", PAYLOAD)
    problems = [p for p in refuse_code_files(project.root) if p.rule == "code-file"]
    assert [(p.path, p.line, p.col, p.severity.value) for p in problems] == [
        (f"docs/UPPER{ext.upper()}", 1, 1, "error"),
        (f"docs/assets/lower{ext}", 1, 1, "error"),
    ]
    assert all(f"a {ext} file is code" in p.message and "code_files" in p.hint for p in problems)


def test_content_files_in_docs_are_not_code(tmp_path: Path) -> None:
    project = mini_project(tmp_path)
    for name in ("a.png", "b.jpg", "c.txt", "d.csv", "e.json", "f.js.txt", "g.md", "html", ".js"):
        project.write(f"docs/assets/{name}", "x\n")
    assert refuse_code_files(project.root) == []


def test_check_names_every_code_file_with_a_located_error_and_a_hint(tmp_path: Path) -> None:
    project = mini_project(tmp_path)
    for ext in CODE_EXTENSIONS:
        project.write(f"docs/f{ext}", PAYLOAD)
    project.write("docs/assets/evidence.js", "/* replaces ours */\n")
    done = project.check()
    assert done.returncode == 1
    lines = code_file_lines(done.stdout)
    expected = sorted([f"docs/f{ext}" for ext in CODE_EXTENSIONS] + ["docs/assets/evidence.js"])
    assert [line.split(":", 1)[0] for line in lines] == expected
    assert all(re.match(r"docs/\S+:1:1: error: a \.\w+ file is code, not content \(", line) for line in lines)
    hints = [line for line in done.stdout.splitlines() if line.strip().startswith("hint: remove it")]
    assert len(hints) == len(expected)


def test_a_second_check_from_the_memo_still_sees_a_new_code_file(tmp_path: Path) -> None:
    """docs/ is not in the content memo's fingerprint: the rule runs on every check."""
    project = mini_project(tmp_path)
    first = project.check()
    assert "[code-file]" not in first.stdout
    project.write("docs/late.svg", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\n')
    again = project.check()
    assert again.returncode == 1
    assert "docs/late.svg:1:1: error:" in again.stdout


def test_a_folder_linked_into_docs_is_walked(tmp_path: Path) -> None:
    project = mini_project(tmp_path)
    project.write("shared/widget.js", PAYLOAD)
    (project.root / "docs" / "linked").symlink_to(project.root / "shared", target_is_directory=True)
    assert [p.path for p in refuse_code_files(project.root)] == ["docs/linked/widget.js"]


def test_an_allowlisted_file_passes_check(tmp_path: Path) -> None:
    project = mini_project(tmp_path)
    project.write("docs/assets/extra.css", "p { color: teal }\n")
    project.write("docs/assets/other.css", "p { color: red }\n")
    allow(project, "assets/extra.css")
    done = project.check()
    assert [line.split(": error:")[0] for line in code_file_lines(done.stdout)] == [
        "docs/assets/other.css:1:1"
    ]
    assert "extra.css" not in done.stdout


def test_the_allowlist_s_own_mistakes_are_located_in_mkdocs_yml(tmp_path: Path) -> None:
    project = mini_project(tmp_path)
    project.write("docs/assets/extra.js", "/* reviewed */\n")
    allow(project, "assets/extra.js", "../outside.js", "/abs.js", "gone.js", "notes.txt")
    lines = (project.root / "mkdocs.yml").read_text("utf-8").splitlines()
    line = {entry: lines.index(f"        - {entry}") + 1 for entry in ("../outside.js", "/abs.js", "gone.js")}
    found = {(p.path, p.line, p.severity.value, p.rule) for p in refuse_code_files(project.root)}
    assert found == {
        ("mkdocs.yml", line["../outside.js"], "error", "code-file-allowlist"),
        ("mkdocs.yml", line["/abs.js"], "error", "code-file-allowlist"),
        ("mkdocs.yml", line["gone.js"], "warning", "code-file-allowlist"),
        ("mkdocs.yml", lines.index("        - notes.txt") + 1, "warning", "code-file-allowlist"),
    }


@pytest.mark.slow
def test_a_strict_build_refuses_every_code_file_and_publishes_an_allowlisted_one(tmp_path: Path) -> None:
    project = mini_project(tmp_path)
    for ext in CODE_EXTENSIONS:
        project.write(f"docs/f{ext.upper()}", PAYLOAD)
    done = project.build()
    assert done.returncode == 1
    for ext in CODE_EXTENSIONS:
        assert f"docs/f{ext.upper()}:1:1: error: a {ext} file is code" in done.stderr, ext
    assert not (project.root / "site" / "fJS").exists()
    for ext in CODE_EXTENSIONS:
        (project.root / "docs" / f"f{ext.upper()}").unlink()
    project.write("docs/assets/extra.css", "p { color: teal }\n")
    allow(project, "assets/extra.css")
    built = project.build()
    assert built.returncode == 0, built.stderr
    assert (project.root / "site" / "assets" / "extra.css").read_text("utf-8") == "p { color: teal }\n"


# -- evidence diff ------------------------------------------------------------------------

CODE_CHANGES = ["docs/x.js", "macros/templates/page_footer.html", "mkdocs.yml"]


def _two_commits(tmp_path: Path) -> tuple[Project, str, str]:
    """A commit, then one touching docs/x.js, a footer override, mkdocs.yml and a claim."""
    project = mini_project(tmp_path)
    init(project.root)
    base = commit(project.root, "first")
    project.write("docs/x.js", PAYLOAD)
    project.write("macros/templates/page_footer.html", PAYLOAD)
    yml = project.root / "mkdocs.yml"
    yml.write_text(yml.read_text("utf-8") + "\n# a comment is a change too\n", "utf-8")
    claim = project.root / "content/claims/burden/example-claim.yml"
    claim.write_text(claim.read_text("utf-8").replace("An example claim", "An edited claim"), "utf-8")
    project.write("docs/assets/picture.png", "not code\n")
    return project, base, commit(project.root, "second")


def test_diff_lists_code_changes_first_in_markdown_json_and_on_stderr(tmp_path: Path) -> None:
    project, base, head = _two_commits(tmp_path)
    done = evidence(project.root, "diff", base, head)
    assert done.returncode == 0, done.stderr
    headings = [line for line in done.stdout.splitlines() if line.startswith("### ")]
    assert headings[0] == f"### {HEADING} (3)"
    assert any(h.startswith("### Claims changed") for h in headings[1:])
    section = done.stdout.split(f"### {HEADING} (3)", 1)[1].split("###", 1)[0]
    listed = re.findall(r"^- `([^`]+)` \((\w+)\)", section, flags=re.M)
    assert listed == [
        ("docs/x.js", "added"),
        ("macros/templates/page_footer.html", "added"),
        ("mkdocs.yml", "changed"),
    ]
    assert "picture.png" not in done.stdout
    assert [line.split(":", 1)[0] for line in done.stderr.splitlines()[:6:2]] == CODE_CHANGES
    assert all("[code-changed]" in line for line in done.stderr.splitlines()[:6:2])

    as_json = evidence(project.root, "diff", base, head, "--format", "json")
    data = json.loads(as_json.stdout)
    assert next(iter(data)) == "code_changed"
    assert [c["path"] for c in data["code_changed"]] == CODE_CHANGES
    assert data["summary"].startswith("3 code files changed; 1 claim changed")


def test_diff_against_the_working_tree_sees_untracked_code(tmp_path: Path) -> None:
    project = mini_project(tmp_path)
    init(project.root)
    base = commit(project.root, "first")
    project.write("docs/new.svg", "<svg/>\n")
    done = evidence(project.root, "diff", base)
    assert f"### {HEADING} (1)\n" in done.stdout
    assert "- `docs/new.svg` (added)" in done.stdout


def test_diff_without_code_changes_has_no_code_heading(tmp_path: Path) -> None:
    project = mini_project(tmp_path)
    init(project.root)
    base = commit(project.root, "first")
    project.write("docs/assets/picture.png", "not code\n")
    head = commit(project.root, "second")
    assert HEADING not in evidence(project.root, "diff", base, head).stdout
    assert (
        json.loads(evidence(project.root, "diff", base, head, "--format", "json").stdout)["code_changed"]
        == []
    )


def test_the_code_paths_mkdocs_yml_names_are_code_at_either_revision(tmp_path: Path) -> None:
    """custom_dir and the plugin's `templates` move with mkdocs.yml; an allowlisted docs file is code."""
    project = mini_project(tmp_path)
    init(project.root)
    base = commit(project.root, "first")
    yml = project.root / "mkdocs.yml"
    text = yml.read_text("utf-8").replace("theme:\n", "theme:\n  custom_dir: site-theme\n", 1)
    yml.write_text(text.replace("  - evidence\n", "  - evidence:\n      templates: tpl\n", 1), "utf-8")
    project.write("site-theme/main.html", PAYLOAD)
    project.write("tpl/claim_card.html", PAYLOAD)
    project.write("content/claims/burden/notes.txt", "x\n")
    head = commit(project.root, "second")
    data = json.loads(evidence(project.root, "diff", base, head, "--format", "json").stdout)
    assert [c["path"] for c in data["code_changed"]] == [
        "mkdocs.yml",
        "site-theme/main.html",
        "tpl/claim_card.html",
    ]


def test_what_counts_as_code() -> None:
    code = [
        "mkdocs.yml",
        "macros/__init__.py",
        "macros/templates/page_footer.html",
        "overrides/main.html",
        ".github/workflows/pr.yml",
        ".github/CODEOWNERS",
        ".ci/run",
        "Makefile",
        "makefile",
        "pyproject.toml",
        "requirements.txt",
        "hooks/any.py",
        "docs/assets/evidence.JS",
        "docs/a/b/c.svg",
        "tests/test_x.py",
        ".pre-commit-config.yaml",
    ]
    content = ["content/claims/burden/x.yml", "references.bib", "docs/index.md", "docs/a.png", "README.md"]
    assert [p for p in code if why_code(p) is None] == []
    assert [p for p in content if why_code(p) is not None] == []


# -- CODEOWNERS and SECURITY.md name the same list ----------------------------------------


def test_codeowners_is_written_from_the_one_list() -> None:
    assert (REPO / ".github" / "CODEOWNERS").read_text("utf-8") == codeowners(TEAM)


def test_a_new_site_gets_a_codeowners_file(tmp_path: Path) -> None:
    from evidence.sitekit import CODEOWNERS_TEAM, init_site

    init_site(tmp_path / "s", "Knee pain", ["benefits"])
    assert (tmp_path / "s" / ".github" / "CODEOWNERS").read_text("utf-8") == codeowners(CODEOWNERS_TEAM)


def test_security_md_names_every_code_path_and_extension() -> None:
    text = (REPO / "SECURITY.md").read_text("utf-8")
    section = text.split("## What counts as code", 1)[1].split("\n## ", 1)[0]
    missing = [pattern for pattern, _why in CODE_PATHS if f"`{pattern}`" not in section]
    missing += [ext for ext in CODE_EXTENSIONS if f"`{ext}`" not in section]
    assert missing == []
    assert "code_files" in section and "CODEOWNERS" in section and TEAM in section


def test_the_pr_report_is_the_markdown_diff() -> None:
    """The comment pr-comment.yml posts is evidence-diff.md: `evidence diff`'s Markdown, code first."""
    workflow = (REPO / ".github" / "workflows" / "pr.yml").read_text("utf-8")
    step = next(line for line in workflow.splitlines() if "-m evidence diff" in line)
    assert "> evidence-diff.md" in step and "--format" not in step
