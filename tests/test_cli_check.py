"""`python -m evidence check`: every problem in one run, placed at file:line:col, in three formats."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest
from gitrepo import commit, evidence, init
from helpers import BIB, Project, claim_data, mini_project

TODAY = dt.date.today()
STALE = TODAY.replace(year=TODAY.year - 3, day=1).isoformat()
FUTURE = (TODAY + dt.timedelta(days=40)).isoformat()
LONG_QUOTE = " ".join(["word"] * 31)

PLANTED_BIB = BIB + textwrap.dedent(
    r"""
    @misc{Article-A,
      title = {Same key as article-a but for case},
      howpublished = {Web},
    }

    @misc{survey-b,
      title = {A second entry with the key survey-b},
    }

    @weird{odd-type,
      title = {An entry type no style knows},
    }

    @misc{latex-title,
      title = {A \frobnicate{strong} claim},
      howpublished = {Web},
    }

    @misc{empty-field,
      title = {},
      howpublished = {Web},
    }

    @misc{broken,
      title = {The closing brace is missing,
      howpublished = {Web},
    """
)


def planted(root: Path) -> Project:
    """A project with sixteen planted mistakes: ten in claim files, six in references.bib (three of
    them only make a reference poorer, so they are warnings)."""
    project = mini_project(root, bib=PLANTED_BIB)
    review = {"by": "Reviewer"}
    project.write_claim(claim_data("stale-review", source="latex-title", reviewed={**review, "date": STALE}))
    project.write_claim(
        claim_data("future-review", source="empty-field", reviewed={**review, "date": FUTURE})
    )
    project.write_claim(
        claim_data("retired-no-reason", "benefits", status="retired", retired={"date": "2026-01-02"})
    )
    project.write_claim(
        claim_data(
            "retired-bad-successor",
            "benefits",
            source="odd-type",
            status="retired",
            retired={"reason": "Replaced.", "date": "2026-01-02", "superseded_by": "no-such-claim"},
        )
    )
    project.write_claim(
        claim_data("long-quote", "benefits", quote={"text": LONG_QUOTE, "locator": "paragraph 2"})
    )
    project.write_claim(claim_data("unknown-source", source="nowhere-2020"))
    project.write_claim(claim_data("right-name", "surgery"), rel="content/claims/surgery/wrong-name.yml")
    project.write(
        "content/claims/shortfalls/duplicate-key.yml",
        "id: duplicate-key\ntopic: shortfalls\ntitle: One\ntitle: Two\n",
    )
    over = claim_data("over-100", "shortfalls", source="broken")
    over["statistic"]["value"] = 120
    project.write_claim(over)
    project.write_claim(claim_data("typo-field", "surgery", statment="A typo in a field name."))
    return project


#: (path, line, col, severity, rule) of every planted mistake, in the order check sorts them.
EXPECTED = [
    ("content/claims/benefits/long-quote.yml", 14, 9, "error", "quote-too-long"),
    ("content/claims/benefits/retired-bad-successor.yml", 31, 18, "error", "claim-superseded-missing"),
    ("content/claims/benefits/retired-no-reason.yml", 29, 3, "error", "schema-missing"),
    ("content/claims/burden/future-review.yml", 26, 9, "error", "review-future"),
    ("content/claims/burden/stale-review.yml", 26, 9, "warning", "review-stale"),
    ("content/claims/burden/unknown-source.yml", 11, 9, "error", "claim-unknown-reference"),
    ("content/claims/shortfalls/duplicate-key.yml", 4, 1, "error", "yaml-duplicate-key"),
    ("content/claims/shortfalls/over-100.yml", 7, 3, "error", "schema-invalid"),
    ("content/claims/surgery/typo-field.yml", 27, 1, "error", "schema-unknown"),
    ("content/claims/surgery/wrong-name.yml", 2, 5, "error", "claim-id-filename"),
    ("references.bib", 14, 1, "error", "bib-key-case"),
    ("references.bib", 19, 1, "error", "bib-duplicate-key"),
    ("references.bib", 23, 1, "warning", "bib-unknown-type"),
    ("references.bib", 28, 1, "warning", "bib-latex"),
    ("references.bib", 33, 1, "warning", "bib-empty-field"),
    ("references.bib", 38, 11, "error", "bib-syntax"),  # the '{' never closed
]


def _json(result) -> list[dict]:
    return json.loads(result.stdout)["problems"]


def test_one_run_reports_every_planted_mistake_at_its_place(tmp_path: Path) -> None:
    """The issue's "done when": one `check` run finds every planted mistake, file, line and rule."""
    project = planted(tmp_path)
    init(project.root)
    commit(project.root, "planted")
    result = evidence(project.root, "check", "--format", "json")
    assert result.returncode == 1, result.stderr
    found = [(p["path"], p["line"], p["col"], p["severity"], p["rule"]) for p in _json(result)]
    assert found == EXPECTED


def test_planted_mistakes_name_the_fix_in_text(tmp_path: Path) -> None:
    project = planted(tmp_path)
    result = evidence(project.root, "check")
    assert result.returncode == 1
    out = result.stdout.splitlines()
    expected_lines = [
        "content/claims/benefits/long-quote.yml:14:9: error: quote has 31 words; the limit is 30 "
        "[quote-too-long]",
        "content/claims/benefits/retired-bad-successor.yml:31:18: error: superseded_by 'no-such-claim' "
        "is not a claim id [claim-superseded-missing]",
        "content/claims/benefits/retired-no-reason.yml:29:3: error: missing required field "
        "'retired.reason' [schema-missing]",
        f"content/claims/burden/future-review.yml:26:9: error: review date {FUTURE} is in the future "
        "[review-future]",
        f"content/claims/burden/stale-review.yml:26:9: warning: last reviewed {STALE}, more than 24 months "
        "ago [review-stale]",
        "content/claims/burden/unknown-source.yml:11:9: error: source 'nowhere-2020' is not a key in "
        "references.bib [claim-unknown-reference]",
        "content/claims/shortfalls/duplicate-key.yml:4:1: error: duplicate key 'title' [yaml-duplicate-key]",
        "content/claims/shortfalls/over-100.yml:7:3: error: field 'statistic': a percentage must be between "
        "0 and 100, not 120 [schema-invalid]",
        "content/claims/surgery/typo-field.yml:27:1: error: unknown field 'statment' [schema-unknown]",
        "content/claims/surgery/wrong-name.yml:2:5: error: id 'right-name' does not match the file name "
        "'wrong-name.yml' [claim-id-filename]",
        "references.bib:14:1: error: key 'Article-A' differs from 'article-a' (line 1) only by case "
        "[bib-key-case]",
        "references.bib:19:1: error: duplicate key 'survey-b' (first defined on line 8) [bib-duplicate-key]",
        "references.bib:23:1: warning: entry 'odd-type' has type @weird, which this site formats in the "
        "generic form [bib-unknown-type]",
        "references.bib:28:1: warning: field 'title' of entry 'latex-title' has LaTeX that does not convert "
        "to text, shown as plain text: \\frobnicate [bib-latex]",
        "references.bib:33:1: warning: field 'title' of entry 'empty-field' is empty, so it is left out "
        "[bib-empty-field]",
    ]
    problems = [line for line in out if not line.startswith("    hint:")]
    assert problems[: len(expected_lines)] == expected_lines
    syntax = problems[len(expected_lines)]
    unclosed = "references.bib:38:11: error: entry 'broken': the '{' on this line is never closed"
    assert syntax.startswith(unclosed)
    assert syntax.endswith("[bib-syntax]")
    assert problems[-1] == "12 error(s), 4 warning(s)."
    assert "    hint: did you mean 'statement'?" in out


def test_github_format_annotates_each_line(tmp_path: Path) -> None:
    project = planted(tmp_path)
    result = evidence(project.root, "check", "--format", "github")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len([line for line in lines if line.startswith("::")]) == len(EXPECTED)
    assert (
        "::warning file=content/claims/burden/stale-review.yml,line=26,col=9,title=review-stale::"
        f"last reviewed {STALE}, more than 24 months ago [review-stale]%0Ahint: re-check the claim against "
        "its sources and update reviewed.date and reviewed.by"
    ) in lines
    syntax = "::error file=references.bib,line=38,col=11,title=bib-syntax::"
    assert any(line.startswith(syntax) for line in lines)


def test_paths_limit_the_report(tmp_path: Path) -> None:
    project = planted(tmp_path)
    result = evidence(project.root, "check", "--format", "json", "references.bib")
    assert {p["path"] for p in _json(result)} == {"references.bib"}
    result = evidence(project.root, "check", "--format", "json", "content/claims/burden/")
    assert [p["rule"] for p in _json(result)] == ["review-future", "review-stale", "claim-unknown-reference"]


def test_clean_project_exits_0_and_says_so(mini: Project) -> None:
    result = evidence(mini.root, "check")
    assert (result.returncode, result.stdout.strip()) == (0, "No problems found."), result.stdout


def test_warnings_fail_only_with_strict(tmp_path: Path) -> None:
    project = mini_project(tmp_path, claims=[claim_data(reviewed={"date": STALE, "by": "R"})])
    plain = evidence(project.root, "check")
    assert plain.returncode == 0
    assert "warning: last reviewed" in plain.stdout
    assert evidence(project.root, "check", "--strict").returncode == 1


def test_review_age_is_configurable(tmp_path: Path) -> None:
    reviewed = TODAY.replace(day=1) - dt.timedelta(days=200)  # six or seven months ago
    project = mini_project(tmp_path, claims=[claim_data(reviewed={"date": reviewed.isoformat(), "by": "R"})])
    assert "review-stale" not in evidence(project.root, "check").stdout
    short = evidence(project.root, "check", "--max-review-age", "3")
    assert "more than 3 months ago [review-stale]" in short.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "--format", "xml"], "invalid choice: 'xml'"),
        (["check", "--max-review-age", "0"], "must be 1 or more, not 0"),
        (["check", "content/claims/nowhere.yml"], "no such file or folder in the project"),
        (["check", "--no-such-option"], "unrecognized arguments: --no-such-option"),
    ],
)
def test_usage_errors_exit_2(mini: Project, args: list[str], message: str) -> None:
    result = evidence(mini.root, *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_claim_file_names_differing_only_by_case(mini: Project) -> None:
    """Ids are lowercase by schema, so a case variant can only be a file name: each is reported."""
    mini.write_claim(claim_data(), rel="content/claims/burden/Example-Claim.yml")
    result = evidence(mini.root, "check", "--format", "json")
    found = [(p["path"], p["line"], p["col"], p["rule"]) for p in _json(result)]
    assert found == [
        ("content/claims/burden/Example-Claim.yml", 1, 1, "claim-filename"),
        ("content/claims/burden/Example-Claim.yml", 2, 5, "claim-id-filename"),
        ("content/claims/burden/example-claim.yml", 2, 5, "claim-duplicate-id"),
    ]
    (mini.root / "upper").mkdir()
    upper = mini_project(mini.root / "upper", claims=[claim_data("Example-Claim")])
    (problem,) = _json(evidence(upper.root, "check", "--format", "json"))
    assert (problem["line"], problem["col"], problem["rule"]) == (2, 5, "schema-invalid")
    assert problem["message"].startswith("field 'id': must be lowercase ASCII letters, digits")
