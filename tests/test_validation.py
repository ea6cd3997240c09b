"""Each content error names the file, the line and the field, and fails the build."""

from __future__ import annotations

import pytest
from helpers import Project, claim_data

from evidence.corpus import Settings, load_corpus
from evidence.problems import Problem, Severity

SETTINGS = Settings()
CLAIM = "content/claims/burden/example-claim.yml"


def problems_of(project: Project) -> list[Problem]:
    return load_corpus(project.root, SETTINGS)[1]


def only_error(project: Project) -> Problem:
    errors = [p for p in problems_of(project) if p.severity is Severity.error]
    assert len(errors) == 1, [p.format() for p in errors]
    return errors[0]


def test_valid_mini_project_has_no_problems(mini: Project) -> None:
    assert problems_of(mini) == []


def test_yaml_syntax_error_names_line(mini: Project) -> None:
    mini.write(CLAIM, "id: example-claim\ntopic: burden\ntitle: [unclosed\nstatement: x\n")
    p = only_error(mini)
    assert (p.path, p.rule) == (CLAIM, "yaml-syntax")
    assert p.line == 4
    assert "YAML syntax error" in p.message


def test_missing_field_points_at_its_mapping(mini: Project) -> None:
    data = claim_data()
    del data["title"]
    mini.write_claim(data)
    p = only_error(mini)
    assert (p.rule, p.message) == ("schema-missing", "missing required field 'title'")
    assert p.line == 2  # the mapping starts after the modeline


def test_missing_nested_field_points_at_parent_block(mini: Project) -> None:
    data = claim_data()
    del data["statistic"]["population"]
    path = mini.write_claim(data)
    p = only_error(mini)
    assert p.message == "missing required field 'statistic.population'"
    lines = path.read_text().splitlines()
    assert lines[p.line - 1].strip().startswith("as_stated")


def test_unknown_field_suggests_the_right_name(mini: Project) -> None:
    path = mini.write_claim(claim_data(statment="typo"))
    p = only_error(mini)
    assert (p.rule, p.message) == ("schema-unknown", "unknown field 'statment'")
    assert "did you mean 'statement'" in p.hint
    assert path.read_text().splitlines()[p.line - 1].startswith("statment:")


def test_mistyped_field_names_field_and_line(mini: Project) -> None:
    data = claim_data()
    data["statistic"]["value"] = "thirty-seven"
    path = mini.write_claim(data)
    p = only_error(mini)
    assert p.message.startswith("field 'statistic.value': Input should be a valid number")
    assert "value: thirty-seven" in path.read_text().splitlines()[p.line - 1]


def test_id_must_match_file_name(mini: Project) -> None:
    mini.write_claim(claim_data(claim_id="other-name"), rel=CLAIM)
    p = only_error(mini)
    assert p.rule == "claim-id-filename"
    assert p.message == "id 'other-name' does not match the file name 'example-claim.yml'"
    assert p.line == 2


def test_duplicate_id_across_topics(mini: Project) -> None:
    mini.write_claim(claim_data(), rel="content/claims/benefits/example-claim.yml")
    errors = [p for p in problems_of(mini) if p.rule == "claim-duplicate-id"]
    assert len(errors) == 1
    assert "duplicate id 'example-claim'" in errors[0].message


def test_undefined_topic(mini: Project) -> None:
    mini.write_claim(claim_data(topic="diet"), rel="content/claims/burden/example-claim.yml")
    p = only_error(mini)
    assert p.rule == "claim-unknown-topic"
    assert p.message == "topic 'diet' is not defined in content/topics.yml"
    assert p.line == 3


@pytest.mark.parametrize("field", ["source", "reported_in"])
def test_reference_key_missing_from_bib(mini: Project, field: str) -> None:
    path = mini.write_claim(claim_data(**{field: "nowhere-2020"}))
    problems = problems_of(mini)
    errors = [p for p in problems if p.severity is Severity.error]
    assert len(errors) == 1
    p = errors[0]
    assert p.rule == "claim-unknown-reference"
    assert p.message == f"{field} 'nowhere-2020' is not a key in references.bib"
    assert path.read_text().splitlines()[p.line - 1].startswith(f"{field}:")


def test_statistic_without_source(mini: Project) -> None:
    data = claim_data()
    del data["source"]
    mini.write_claim(data)
    p = only_error(mini)
    assert p.rule == "statistic-without-source"
    assert p.message == "the claim carries a statistic but names no source"


def test_unused_reference_is_a_warning(mini: Project) -> None:
    mini.write(
        "references.bib",
        (mini.root / "references.bib").read_text() + "\n@misc{lonely, title = {Nobody cites me}}\n",
    )
    problems = problems_of(mini)
    assert [(p.severity, p.rule, p.line) for p in problems] == [(Severity.warning, "bib-unused", 14)]


def test_build_fails_naming_file_line_and_field(mini: Project) -> None:
    data = claim_data()
    data["statistic"]["value"] = "thirty-seven"
    mini.write_claim(data)
    result = mini.build()
    assert result.returncode != 0
    assert f"{CLAIM}:8:10: error: field 'statistic.value'" in result.stderr
    assert not (mini.root / "site" / "index.html").exists()


def test_build_fails_on_macro_naming_unknown_claim(mini: Project) -> None:
    mini.write("docs/index.md", '# Home\n\nText.\n\n{{ claim("example-claim-x") }}\n')
    result = mini.build()
    assert result.returncode != 0
    assert "docs/index.md:5: claim('example-claim-x'): no claim has this id" in result.stderr
    assert "Did you mean 'example-claim'?" in result.stderr


def test_build_fails_on_macro_naming_unknown_key(mini: Project) -> None:
    mini.write("docs/index.md", '# Home\n\nA fact.{{ cite("nobody") }}\n')
    result = mini.build()
    assert result.returncode != 0
    assert "docs/index.md:3: cite('nobody'): no such key in references.bib" in result.stderr


def test_strict_build_fails_on_unused_reference(mini: Project) -> None:
    mini.write(
        "references.bib",
        (mini.root / "references.bib").read_text() + "\n@misc{lonely, title = {Nobody cites me}}\n",
    )
    result = mini.build()
    assert result.returncode != 0
    assert "references.bib:14:1: warning: reference 'lonely' is not cited by any claim" in result.stderr
