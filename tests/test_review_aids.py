"""Issue 16 point 3: review aids. A claim whose statistic, quote, statement or source
changed must move its `reviewed.date`; `diff` and `check --base` say so, and `diff` shows
what a reviewer holds against the source for each added or changed claim."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gitrepo import commit, evidence, init
from helpers import REVIEWED, Project, claim_data, mini_project

CLAIM = "content/claims/burden/example-claim.yml"


def _repo(tmp_path: Path) -> tuple[Project, str]:
    project = mini_project(tmp_path, claims=[claim_data(), claim_data("other", "benefits")])
    init(project.root)
    return project, commit(project.root, "first")


def _replace(project: Project, old: str, new: str) -> None:
    path = project.root / CLAIM
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _rules(result) -> list[tuple[str, int, str]]:
    return [(p["path"], p["line"], p["rule"]) for p in json.loads(result.stdout)["problems"]]


@pytest.mark.parametrize(
    ("edits", "field"),
    [
        ([("value: 37", "value: 30")], "statistic.value"),
        ([("text: 37 percent of people said so", "text: 30 percent of people said so")], "quote.text"),
        ([("statement: Some people", "statement: Many people")], "statement"),
        (  # read in its source itself now: no reported_in, so no primary_check either
            [
                ("reported_in: article-a\n", ""),
                ("primary_check:\n  verdict: not-yet-checked\n", ""),
                ("source: survey-b", "source: article-a"),
            ],
            "source",
        ),
    ],
)
def test_substance_changed_under_an_old_review_date_is_a_warning(
    tmp_path: Path, edits: list[tuple[str, str]], field: str
) -> None:
    project, first = _repo(tmp_path)
    for old, new in edits:
        _replace(project, old, new)
    result = evidence(project.root, "diff", first, "--format", "json")
    assert result.returncode == 0, result.stderr
    warnings = json.loads(result.stdout)["warnings"]
    assert [w["rule"] for w in warnings] == ["review-date-unchanged"]
    assert f"'example-claim': {field}" in warnings[0]["message"]
    line = (project.root / CLAIM).read_text(encoding="utf-8").splitlines()[warnings[0]["line"] - 1]
    assert line.strip().startswith("date:")  # placed at reviewed.date
    assert "review-date-unchanged" in result.stderr


def test_a_new_review_date_or_a_caveat_change_is_not_a_warning(tmp_path: Path) -> None:
    project, first = _repo(tmp_path)
    _replace(project, "value: 37", "value: 30")
    _replace(project, f"date: '{REVIEWED}'", "date: '2020-01-01'")
    other = project.root / "content/claims/benefits/other.yml"
    other.write_text(other.read_text(encoding="utf-8") + "caveats:\n- Small.\n", encoding="utf-8")
    result = evidence(project.root, "diff", first, "--format", "json")
    data = json.loads(result.stdout)
    assert len(data["changed"]) == 2 and data["warnings"] == []
    assert "review-date-unchanged" not in result.stderr


def test_check_against_the_base_warns_too(tmp_path: Path) -> None:
    project, first = _repo(tmp_path)
    _replace(project, "value: 37", "value: 30")
    plain = evidence(project.root, "check", "--format", "json")
    assert "review-date-unchanged" not in [rule for _p, _l, rule in _rules(plain)]  # opt-in: no git
    against = evidence(project.root, "check", "--format", "json", "--base", first)
    assert (CLAIM, 25, "review-date-unchanged") in _rules(against)
    default = evidence(project.root, "check", "--format", "json", "--base")  # the base diff uses
    assert (CLAIM, 25, "review-date-unchanged") in _rules(default)


def test_diff_shows_what_a_reviewer_checks_for_an_added_claim(tmp_path: Path) -> None:
    project, first = _repo(tmp_path)
    project.write_claim(
        claim_data(
            "new-one",
            "surgery",
            quote={"text": "a `tick` and | pipe @someone", "locator": "p. 4"},
            evidence={"kind": "survey", "primary_checked": True},
        )
    )
    out = evidence(project.root, "diff", first).stdout
    item = out.split("### Claims added (1)\n\n", 1)[1].split("\n\n", 1)[0]
    assert item.splitlines()[1:] == [
        "  - Quote: ``a `tick` and | pipe @someone``",  # a code span: GitHub links and pings nothing
        "  - Locator: `p. 4`",
        "  - Kind: `survey`",
        "  - Primary source read: `true`",
        "  - Certainty: `very-low`",
        "  - Source: `survey-b`",
        "  - Reported in: `article-a`",
    ]
