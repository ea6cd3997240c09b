"""Each content error names the file, the line and the field, and fails the build."""

from __future__ import annotations

import pytest
from helpers import Project, claim_data, claim_yaml
from pydantic import ValidationError

from evidence.content.model import Quote
from evidence.core.problems import Problem, Severity
from evidence.load.corpus import Settings, load_corpus
from evidence.render import export

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


@pytest.mark.slow
def test_build_fails_naming_file_line_and_field(mini: Project) -> None:
    data = claim_data()
    data["statistic"]["value"] = "thirty-seven"
    mini.write_claim(data)
    result = mini.build()
    assert result.returncode != 0
    assert f"{CLAIM}:8:10: error: field 'statistic.value'" in result.stderr
    assert not (mini.root / "site" / "index.html").exists()


@pytest.mark.slow
def test_build_fails_on_macro_naming_unknown_claim(mini: Project) -> None:
    mini.write("docs/index.md", '# Home\n\nText.\n\n{{ claim("example-claim-x") }}\n')
    result = mini.build()
    assert result.returncode != 0
    assert (
        "docs/index.md:5:1: error: claim('example-claim-x'): no claim has this id [page-unknown-claim]"
        in result.stderr
    )
    assert "did you mean 'example-claim'?" in result.stderr


@pytest.mark.slow
def test_build_fails_on_macro_naming_unknown_key(mini: Project) -> None:
    mini.write("docs/index.md", '# Home\n\nA fact.{{ cite("nobody") }}\n')
    result = mini.build()
    assert result.returncode != 0
    message = "docs/index.md:3:8: error: cite('nobody'): no such key in references.bib"
    assert f"{message} [page-unknown-reference]" in result.stderr


@pytest.mark.slow
def test_strict_build_fails_on_unused_reference(mini: Project) -> None:
    mini.write(
        "references.bib",
        (mini.root / "references.bib").read_text() + "\n@misc{lonely, title = {Nobody cites me}}\n",
    )
    result = mini.build()
    assert result.returncode != 0
    assert "references.bib:14:1: warning: reference 'lonely' is not cited by any claim" in result.stderr


def test_file_name_with_a_newline_is_refused_and_printed_on_one_line(mini: Project) -> None:
    mini.write("content/claims/burden/forged\nname.yml", claim_yaml(claim_data(claim_id="other-claim")))
    p = only_error(mini)
    assert (p.path, p.line, p.rule) == ("content/claims/burden/forged\nname.yml", 1, "file-name-character")
    assert p.message.startswith("file name 'forged\\u000aname.yml' contains U+000A ")
    assert p.message.endswith(" at character 7")
    assert p.format().splitlines()[0].startswith("content/claims/burden/forged\\u000aname.yml:1:1: error: ")


def test_quote_words_are_counted_as_a_reader_sees_them() -> None:
    joined = "\u2800".join(["word"] * 50)  # refused by yamlsafe too; the model must not count it as one word
    with pytest.raises(ValidationError) as info:
        Quote.model_validate({"text": joined, "locator": "paragraph 1"})
    assert info.value.errors()[0]["msg"] == "quote has 50 words; the limit is 30"


def test_a_thirty_word_quote_is_accepted() -> None:
    assert Quote.model_validate({"text": " ".join(["word"] * 30), "locator": "p. 1"}).text


@pytest.mark.parametrize("value", ["1" + "0" * 320 + ".5", "-" + "9" * 400, "1000000000000001"])
def test_infinite_or_absurd_statistic_is_refused(mini: Project, value: str) -> None:
    text = claim_yaml(
        claim_data(statistic={"as_stated": "many", "value": 1, "unit": "count", "population": "All"})
    )
    mini.write(CLAIM, text.replace("value: 1\n", f"value: {value}\n"))
    p = only_error(mini)
    assert (p.rule, p.line) == ("number-out-of-range", text.splitlines().index("  value: 1") + 1)
    assert p.message.startswith("field 'statistic.value': ")


def test_export_refuses_nan_and_infinity() -> None:
    with pytest.raises(ValueError):
        export._json({"value": float("inf")})


def test_comment_at_the_key_indentation_is_not_cut_text(mini: Project) -> None:
    text = claim_yaml(claim_data())
    mini.write(CLAIM, text.replace("quote:\n", "# a note for reviewers\nquote:\n  # where the words are\n"))
    assert problems_of(mini) == []


def test_comment_indented_under_plain_text_is_cut_text(mini: Project) -> None:
    text = claim_yaml(claim_data())
    mini.write(CLAIM, text.replace("quote:\n", "  # 1 cause of disability\nquote:\n"))
    p = only_error(mini)
    assert p.rule == "yaml-comment-in-text"


def test_superseded_by_chain_to_a_loop_reports_only_the_loop(mini: Project) -> None:
    def retired(cid: str, successor: str) -> dict:
        block = {"reason": "Replaced.", "date": "2026-01-02", "superseded_by": successor}
        return claim_data(claim_id=cid, status="retired", retired=block)

    for cid, successor in (("first", "second"), ("second", "third"), ("third", "second")):
        mini.write_claim(retired(cid, successor))
    errors = [p for p in problems_of(mini) if p.severity is Severity.error]
    assert [(p.path.rpartition("/")[2], p.rule) for p in errors] == [
        ("second.yml", "claim-superseded-loop"),
        ("third.yml", "claim-superseded-loop"),
    ]


def test_hand_written_page_under_claims_reserves_its_id(mini: Project) -> None:
    mini.write("docs/claims/example-claim.md", "# Mine\n")
    p = only_error(mini)
    assert (p.rule, p.line) == ("claim-id-reserved", 2)
    assert "docs/claims/example-claim.md" in p.message
