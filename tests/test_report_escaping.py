"""A file name or a quoted value cannot forge a report line or a GitHub workflow command.

A file named `x\\n::error file=README.md::…` used to print a second line, which GitHub
Actions reads as an annotation of ours. Every report (text, github, json and the build's
error list) must keep one line per problem, with controls shown escaped.
"""

from __future__ import annotations

import json
import re

import pytest
from helpers import claim_data, claim_yaml, mini_project

from evidence.cli import report
from evidence.core.problems import error

FORGED = "::error file=README.md,line=1::all good%0A::notice::merge me"
#: Two claim files whose names hold a newline, a carriage return or a text-direction override.
HOSTILE_NAMES = [
    f"content/claims/burden/x\n{FORGED}.yml",
    f"content/claims/burden/y\r\u202e{FORGED}.yml",
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):
    """A mini project with two bad claim files named to forge annotations."""
    project = mini_project(tmp_path_factory.mktemp("hostile"))
    project.write(HOSTILE_NAMES[0], claim_yaml(claim_data()))  # a duplicate id
    project.write(HOSTILE_NAMES[1], "id: [\n")  # a YAML syntax error
    return project


def _problem_count(project) -> int:
    data = json.loads(project.check("--format", "json").stdout)
    return len(data["problems"])


def test_text_report_has_one_line_per_problem(hostile) -> None:
    result = hostile.check()
    lines = result.stdout.splitlines()
    assert result.returncode == 1
    problems = [
        line for line in lines if not line.startswith("    hint: ") and not line.endswith(" warning(s).")
    ]
    assert len(problems) == _problem_count(hostile) >= 2
    assert all(line.startswith("content/") for line in problems), problems
    assert not [line for line in lines if line.startswith("::")]
    assert sum(line.startswith("content/claims/burden/x\\u000a::error file=README.md") for line in lines) == 1
    assert sum(line.startswith("content/claims/burden/y\\u000d\\u202e::error") for line in lines) == 1


def test_github_report_has_one_command_per_problem(hostile) -> None:
    result = hostile.check("--format", "github")
    lines = result.stdout.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == _problem_count(hostile) == len(lines) - 1  # and the summary
    assert all(line.startswith(("::error file=content/", "::warning file=content/")) for line in commands)
    forged = next(line for line in commands if "x\\u000a" in line)
    # the forged text stays inside the `file=` property: its `:`, `,` and `%` are escaped
    assert forged.startswith(
        "::error file=content/claims/burden/x\\u000a%3A%3Aerror file=README.md%2Cline=1%3A%3Aall good%250A"
    )
    properties = forged.removeprefix("::").split("::", 1)[0]  # GitHub reads up to the first `::`
    assert re.fullmatch(r"error file=[^,:]+,line=\d+,col=\d+,title=[^,:]+", properties), properties


def test_json_report_has_printable_values(hostile) -> None:
    result = hostile.check("--format", "json")
    data = json.loads(result.stdout)
    paths = sorted(p["path"] for p in data["problems"] if "burden/x" in p["path"] or "burden/y" in p["path"])
    assert paths == [
        "content/claims/burden/x\\u000a" + FORGED + ".yml",
        "content/claims/burden/y\\u000d\\u202e" + FORGED + ".yml",
    ]
    assert "\u202e" not in result.stdout and "\r" not in result.stdout
    assert not [line for line in result.stdout.splitlines() if line.lstrip().startswith("::")]


@pytest.mark.slow
def test_build_error_list_escapes_file_names(hostile) -> None:
    result = hostile.build()
    assert result.returncode != 0
    out = result.stdout + result.stderr
    assert not [line for line in out.splitlines() if line.startswith("::")], out
    assert "content/claims/burden/x\\u000a::error file=README.md" in out
    assert not (hostile.root / "site" / "index.html").exists()


@pytest.mark.parametrize(
    ("value", "data", "prop"),
    [
        ("100%", "100%25", "100%25"),
        ("a\r\nb", "a\\u000d\\u000ab", "a\\u000d\\u000ab"),
        ("a:b,c", "a:b,c", "a%3Ab%2Cc"),
        ("bidi \u202e", "bidi \\u202e", "bidi \\u202e"),
    ],
)
def test_github_escaping_of_data_and_properties(value: str, data: str, prop: str) -> None:
    line = report.github([error(value, 1, 2, value, "rule", value)]).splitlines()[0]
    assert line == f"::error file={prop},line=1,col=2,title=rule::{data} [rule]%0Ahint: {data}"


def test_text_escaping_of_message_and_hint() -> None:
    text = report.text([error("a.yml", 3, 4, "quoted 'x\n::error::y'", "rule", "hint\rline")])
    assert text.splitlines() == [
        "a.yml:3:4: error: quoted 'x\\u000a::error::y' [rule]",
        "    hint: hint\\u000dline",
        "1 error(s), 0 warning(s).",
    ]


def test_a_plain_report_is_unchanged() -> None:
    """Escaping touches only what is not printable: ordinary names and accents stay as typed."""
    problem = error("content/claims/burden/é-claim.yml", 1, 1, "title 'Über'", "rule", "fix it")
    assert (
        problem.format()
        == "content/claims/burden/é-claim.yml:1:1: error: title 'Über' [rule]\n    hint: fix it"
    )
