"""Issue 16 point 2: `check` reports every problem in one run, and names what was meant.

Cross-reference rules (sources, topics, successors, the names docs pages' macros look up)
run on whatever parts of a claim loaded, so fixing one mistake never reveals another.
"""

from __future__ import annotations

import json
from pathlib import Path

from helpers import Project, claim_data, mini_project


def _problems(project: Project) -> list[dict]:
    result = project.check("--format", "json", "--max-review-age", "100000")
    return json.loads(result.stdout)["problems"]


def _rules(problems: list[dict], path: str) -> list[str]:
    return [p["rule"] for p in problems if p["path"] == path and p["rule"] != "schema-stale"]


def test_typo_long_quote_and_unknown_key_in_one_file_are_all_reported(tmp_path: Path) -> None:
    """The issue's case: before, the unknown key appeared only on the third run."""
    project = mini_project(tmp_path)
    data = claim_data(
        statment="A typo.", source="surveyb", quote={"text": " ".join(["w"] * 31), "locator": "p"}
    )
    data.pop("statement")
    project.write_claim(data)
    problems = _problems(project)
    path = "content/claims/burden/example-claim.yml"
    assert sorted(_rules(problems, path)) == [
        "claim-unknown-reference",
        "quote-too-long",
        "schema-missing",  # statement
        "schema-unknown",  # statment
    ]
    unknown = next(p for p in problems if p["rule"] == "claim-unknown-reference")
    line = (project.root / path).read_text(encoding="utf-8").splitlines()[unknown["line"] - 1]
    assert line[unknown["col"] - 1 :] == "surveyb"  # the `source:` value, placed by reading it again
    assert unknown["hint"].startswith("did you mean 'survey-b'?")


def test_invalid_claim_is_checked_for_topic_successor_and_file_name(tmp_path: Path) -> None:
    project = mini_project(tmp_path)
    broken = claim_data(
        "other-name",
        "burdn",
        title=None,  # fails the model: a required field is missing
        status="retired",
        retired={"reason": "Replaced.", "date": "2025-01-02", "superseded_by": "exampel-claim"},
    )
    project.write_claim(broken, rel="content/claims/burden/retired-one.yml")
    problems = {p["rule"]: p for p in _problems(project) if p["path"].endswith("retired-one.yml")}
    assert set(problems) == {
        "schema-missing",
        "claim-id-filename",
        "claim-unknown-topic",
        "claim-superseded-missing",
    }
    assert problems["claim-unknown-topic"]["hint"].startswith("did you mean 'burden'?")
    assert problems["claim-superseded-missing"]["hint"].startswith("did you mean 'example-claim'?")


def test_a_malformed_name_is_reported_once_by_the_model(tmp_path: Path) -> None:
    """A key the model refuses (`Survey B`) is not also looked up in references.bib."""
    project = mini_project(tmp_path)
    project.write_claim(claim_data(source="Survey B"))
    assert _rules(_problems(project), "content/claims/burden/example-claim.yml") == ["schema-invalid"]


def test_valid_claim_names_the_close_key_by_case(tmp_path: Path) -> None:
    project = mini_project(tmp_path, claims=[claim_data(reported_in="Article-A")])
    found = [p for p in _problems(project) if p["rule"] == "claim-unknown-reference"]
    assert [p["message"] for p in found] == ["reported_in 'Article-A' is not a key in references.bib"]
    assert found[0]["hint"].startswith("did you mean 'article-a'?")


def test_a_key_far_from_every_known_one_gets_no_guess(tmp_path: Path) -> None:
    project = mini_project(tmp_path, claims=[claim_data(source="zzzz-1999")])
    found = next(p for p in _problems(project) if p["rule"] == "claim-unknown-reference")
    assert "did you mean" not in found["hint"]


def test_docs_pages_macro_names_are_checked_with_a_guess(tmp_path: Path) -> None:
    project = mini_project(tmp_path)
    page = project.root / "docs" / "burden.md"
    page.write_text(
        page.read_text(encoding="utf-8")
        + '\nSee {{ claim("example-clam") }}.\n\n{{ claims("burdn") }} {{ cite("survey_b") }}\n',
        encoding="utf-8",
    )
    found = [p for p in _problems(project) if p["path"] == "docs/burden.md"]
    assert [(p["line"], p["col"], p["rule"]) for p in found] == [
        (7, 15, "page-unknown-claim"),  # the quoted name's column
        (9, 12, "page-unknown-topic"),
        (9, 32, "page-unknown-reference"),
    ]
    assert [p["hint"].split("?")[0] for p in found] == [
        "did you mean 'example-claim'",
        "did you mean 'burden'",
        "did you mean 'survey-b'",
    ]


def test_retired_without_block_points_at_status_with_the_fix(tmp_path: Path) -> None:
    project = mini_project(tmp_path)
    project.write_claim(claim_data(status="retired"))
    found = [p for p in _problems(project) if p["path"].endswith("example-claim.yml")]
    assert [(p["line"], p["rule"]) for p in found] == [(27, "schema-invalid")]
    lines = (project.root / found[0]["path"]).read_text(encoding="utf-8").splitlines()
    assert lines[found[0]["line"] - 1] == "status: retired"
    assert "`retired:` with `reason: <why>` and `date: YYYY-MM-DD`" in found[0]["hint"]


def test_quote_too_long_says_how_many_words(tmp_path: Path) -> None:
    project = mini_project(
        tmp_path, claims=[claim_data(quote={"text": " ".join(["w"] * 34), "locator": "p"})]
    )
    found = next(p for p in _problems(project) if p["rule"] == "quote-too-long")
    assert found["message"] == "quote has 34 words; the limit is 30"


def test_help_describes_use_not_internals(tmp_path: Path) -> None:
    from gitrepo import evidence

    out = evidence(tmp_path, "--help").stdout
    assert "later: export" not in out and "import" not in out
    for command in ("new <topic> <id>", "new-source <key>", "check [PATH ...]", "diff [BASE [HEAD]]"):
        assert f"python -m evidence {command}" in out
