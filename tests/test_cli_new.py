"""`python -m evidence new` and `new-source`: skeletons that `check` walks a contributor through."""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from gitrepo import commit, evidence, init
from helpers import REPO, Project, mini_project

from evidence.cli import scaffold

NEW = "content/claims/benefits/walking-helps.yml"
MODELINE = "# yaml-language-server: $schema=../../schema/claim.schema.json"

FILLED = {
    "title:": "title: Walking helps",
    "statement:": "statement: Regular walking eased back pain for many people in the survey.",
    "  as_stated:": '  as_stated: "2 in 3"',
    "  value:": "  value: 67",
    "  unit:": "  unit: percent",
    "  population:": "  population: Survey respondents",
    "  year:": "  year: 2020",
    "source:": "source: survey-b",
    "reported_in:": "reported_in: article-a",
    "  text:": '  text: "Two in three said walking helped"',
    "  locator:": "  locator: paragraph 3",
    "  kind:": "  kind: survey",
    "  primary_checked:": "  primary_checked: false",
    "  by:": "  by: Test Reviewer",
    "  level:": "  level: very-low",
    "      domain:": "      domain: not-research",
    "      note:": "      note: The article's own view.",
}


def _fill(text: str) -> str:
    return "\n".join(FILLED.get(line, line) for line in text.splitlines()) + "\n"


def _line_of(text: str, key: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.strip() == key)


def _schema_fields() -> set[str]:
    schema = json.loads((REPO / "content/schema/claim.schema.json").read_text())
    names = set(schema["properties"])
    for definition in schema["$defs"].values():
        names |= set(definition.get("properties", {}))
    return names


def test_new_writes_a_skeleton_with_every_field(mini: Project) -> None:
    result = evidence(mini.root, "new", "benefits", "walking-helps")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"wrote {NEW}"
    text = (mini.root / NEW).read_text(encoding="utf-8")
    assert text.splitlines()[0] == MODELINE
    assert f"  date: {dt.date.today().isoformat()}" in text.splitlines()
    assert "id: walking-helps" in text.splitlines()
    assert "topic: benefits" in text.splitlines()
    name = r"([a-z_][a-z0-9_]*):"
    keys = set(re.findall(rf"^\s*(?:#\s*)?`?{name}", text, re.M)) | set(re.findall(rf"`{name}", text))
    assert _schema_fields() <= keys, _schema_fields() - keys
    for line in text.splitlines():  # every field has a comment on the line above
        if re.match(r"^\s*[a-z_]+:", line) and not line.strip().startswith(("id:", "topic:")):
            previous = text.splitlines()[text.splitlines().index(line) - 1]
            assert previous.strip().startswith("#") or previous.strip() == "", line
    assert len(max(text.splitlines(), key=len)) <= 90


@pytest.mark.parametrize("block", ["result", "recommendation"])
def test_an_optional_block_uncommented_is_its_yaml(mini: Project, block: str) -> None:
    """The skeleton's commented-out blocks: deleting the first "# " of each line gives the
    block's fields, nested as the schema nests them."""
    evidence(mini.root, "new", "benefits", "walking-helps")
    lines = (mini.root / NEW).read_text(encoding="utf-8").splitlines()
    start = lines.index(f"# {block}:")
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith("# "))
    data = yaml.safe_load("\n".join(line[2:] for line in lines[start:end]))
    fields = data[block]
    if block == "result":
        assert set(fields) == {"question", "effect", "participants", "studies", "mid", "per_1000"}
        assert set(fields["question"]) >= {"population", "intervention", "comparator", "outcome", "better"}
        assert set(fields["effect"]) >= {"measure", "estimate", "ci_low", "ci_high"}
    else:
        assert set(fields) == {"body", "year", "direction", "strength", "certainty"}


def test_check_walks_through_the_empty_fields(mini: Project) -> None:
    evidence(mini.root, "new", "benefits", "walking-helps")
    text = (mini.root / NEW).read_text(encoding="utf-8")
    result = evidence(mini.root, "check", "--format", "json", NEW)
    assert result.returncode == 1
    found = [(p["line"], p["rule"], p["message"]) for p in json.loads(result.stdout)["problems"]]
    empty = [(line, msg) for line, rule, msg in found if rule == "schema-empty"]
    expected = [
        ("title:", "title"),
        ("statement:", "statement"),
        ("as_stated:", "statistic.as_stated"),
        ("population:", "statistic.population"),
        ("source:", "source"),
        ("text:", "quote.text"),
        ("locator:", "quote.locator"),
        ("primary_checked:", "evidence.primary_checked"),
        ("note:", "certainty.reasons.0.note"),
        ("by:", "reviewed.by"),
    ]
    assert empty == [(_line_of(text, key), f"field '{name}' is empty") for key, name in expected]
    enums = [(line, msg.split(":")[0]) for line, rule, msg in found if rule == "schema-invalid"]
    assert enums == [
        (_line_of(text, "unit:"), "field 'statistic.unit'"),
        (_line_of(text, "kind:"), "field 'evidence.kind'"),
        (_line_of(text, "level:"), "field 'certainty.level'"),
        (_line_of(text, "domain:"), "field 'certainty.reasons.0.domain'"),
    ]


def test_filled_in_skeleton_passes_check(mini: Project) -> None:
    evidence(mini.root, "new", "benefits", "walking-helps")
    path = mini.root / NEW
    path.write_text(_fill(path.read_text(encoding="utf-8")), encoding="utf-8")
    result = evidence(mini.root, "check", "--strict")
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["benefits", "Walking_Helps"], 2, "'Walking_Helps' is not a valid claim id"),
        (["benefits", "walking--helps"], 2, "'walking--helps' is not a valid claim id"),
        (["diet", "walking-helps"], 2, "'diet' is not a topic"),
        (["burden", "example-claim"], 1, "the id 'example-claim' is already used by "),
        (["benefits", "example-claim"], 1, "content/claims/burden/example-claim.yml"),
    ],
)
def test_new_refuses(mini: Project, args: list[str], status: int, message: str) -> None:
    before = (mini.root / "content/claims/burden/example-claim.yml").read_bytes()
    result = evidence(mini.root, "new", *args)
    assert result.returncode == status
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert (mini.root / "content/claims/burden/example-claim.yml").read_bytes() == before
    assert sorted(p.name for p in (mini.root / "content/claims").rglob("*.yml")) == ["example-claim.yml"]


def test_invalid_id_gets_a_suggestion(mini: Project) -> None:
    result = evidence(mini.root, "new", "benefits", "Walking_Helps")
    assert "e.g. 'walking-helps'" in result.stderr


def test_new_refuses_an_id_differing_only_by_case_from_a_file(mini: Project) -> None:
    mini.write("content/claims/surgery/walking-helps.yml", "id: walking-helps\n")
    result = evidence(mini.root, "new", "benefits", "walking-helps")
    assert result.returncode == 1
    assert "already used by content/claims/surgery/walking-helps.yml" in result.stderr


@pytest.mark.parametrize(
    ("kind", "entry"), [("article", "@article"), ("online", "@online"), ("report", "@techreport")]
)
def test_new_source_prints_a_skeleton(mini: Project, kind: str, entry: str) -> None:
    result = evidence(mini.root, "new-source", "walker-2020", "--type", kind)
    assert result.returncode == 0, result.stderr
    assert f"{entry}{{walker-2020,\n" in result.stdout
    assert result.stdout.endswith("}\n")
    assert result.stdout.count("@") == 1  # an @ in a comment would start an entry
    assert scaffold.SOURCE_TYPES[kind] == entry[1:]


def test_new_source_default_is_article(mini: Project) -> None:
    assert "@article{walker-2020," in evidence(mini.root, "new-source", "walker-2020").stdout


def test_unfilled_source_skeleton_fails_check_at_each_empty_field(mini: Project) -> None:
    skeleton = evidence(mini.root, "new-source", "walker-2020", "--type", "online").stdout
    bib = mini.root / "references.bib"
    start = len(bib.read_text().splitlines())
    bib.write_text(bib.read_text() + "\n" + skeleton)
    lines = bib.read_text().splitlines()
    result = evidence(mini.root, "check", "--format", "json")
    problems = json.loads(result.stdout)["problems"]
    empty = [(p["line"], p["message"].split("'")[1]) for p in problems if p["rule"] == "bib-empty-field"]
    blank = [n for n in range(start + 1, len(lines) + 1) if "= {}" in lines[n - 1]]
    assert [line for line, _ in empty] == blank
    assert [name for _, name in empty] == ["author", "title", "howpublished", "year", "url", "urldate"]
    assert not [p for p in problems if p["rule"] == "bib-syntax"]


def test_filled_source_skeleton_passes_check(mini: Project) -> None:
    skeleton = evidence(mini.root, "new-source", "walker-2020", "--type", "article").stdout
    values = {"author": "Walker, Ann", "title": "Walking and back pain", "journal": "Spine", "year": "2020"}
    lines = []
    for line in skeleton.splitlines():
        name = line.split("=")[0].strip()
        if "= {}" in line:
            if name in values:
                lines.append(line.replace("{}", "{" + values[name] + "}"))
            continue  # the contributor deletes what the source does not say
        lines.append(line)
    bib = mini.root / "references.bib"
    bib.write_text(bib.read_text() + "\n" + "\n".join(lines) + "\n")
    claim = (mini.root / "content/claims/burden/example-claim.yml").read_text()
    (mini.root / "content/claims/burden/example-claim.yml").write_text(
        claim.replace("source: survey-b", "source: walker-2020")
    )
    result = evidence(mini.root, "check", "--format", "json")
    problems = json.loads(result.stdout)["problems"]
    assert [(p["rule"], p["message"]) for p in problems] == [
        ("bib-unused", "reference 'survey-b' is not cited by any claim")
    ]


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["new-source", "1bad key"], 2, "'1bad key' is not a usable key"),
        (["new-source", "SURVEY-B"], 1, "references.bib:8: the key 'SURVEY-B' is already in use"),
        (["new-source", "x", "--type", "book"], 2, "invalid choice: 'book'"),
    ],
)
def test_new_source_refuses(mini: Project, args: list[str], status: int, message: str) -> None:
    result = evidence(mini.root, *args)
    assert (result.returncode, result.stdout) == (status, "")
    assert message in result.stderr


def _walkthrough_blocks() -> list[tuple[str, str]]:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## Walkthrough: adding a claim\n", 1)[1].split("\n## What your editor shows", 1)[0]
    return re.findall(r"^```(\w+)\n(.*?)^```$", section, re.M | re.S)


@pytest.mark.slow
def test_contributing_walkthrough_replays_exactly(tmp_path: Path) -> None:
    """CONTRIBUTING's walkthrough, command by command, gives the outputs it shows, and ends in
    a green strict build with the new card on its topic page (issue 23)."""
    blocks = _walkthrough_blocks()
    kinds = ["sh", "bibtex", "sh", "text", "yaml", "markdown", "text", "text", "markdown"]
    assert [kind for kind, _ in blocks] == kinds
    (
        (_, new_source),
        (_, entry),
        (_, new),
        (_, new_out),
        (_, claim),
        (_, card),
        (_, bad),
        (_, good),
        (_, diff),
    ) = blocks
    project = mini_project(tmp_path)
    # as the real site writes a topic page: each card under the heading that discusses it
    page = project.write("docs/benefits.md", "# Benefits of physical therapy\n\nIntroductory prose.\n")
    init(project.root)
    base = commit(project.root, "the site before the contribution")

    args = new_source.split()
    assert args[:3] == ["python", "-m", "evidence"] and args[-2] == ">>"
    skeleton = evidence(project.root, *args[3:-2])
    assert skeleton.returncode == 0
    assert entry.splitlines()[0] in skeleton.stdout  # same type and key as the skeleton
    bib = project.root / "references.bib"
    bib.write_text(bib.read_text() + "\n" + entry)

    created = evidence(project.root, *new.split()[3:])
    assert created.stdout == new_out
    path = project.root / new_out.split()[1]
    skeleton_keys = set(re.findall(r"^\s*([a-z_]+):", path.read_text(), re.M))
    assert set(re.findall(r"^\s*([a-z_]+):", claim, re.M)) <= skeleton_keys
    path.write_text(claim.replace("2026-11-20", dt.date.today().isoformat()))

    without_card = page.read_text()
    page.write_text(without_card + "\n" + card)

    assert evidence(project.root, "check").stdout == bad
    path.write_text(path.read_text().replace("unit: percentage", "unit: percent"))
    checked = evidence(project.root, "check")
    assert (checked.returncode, checked.stdout) == (0, good)
    built = project.build()
    assert built.returncode == 0, built.stderr
    assert 'id="claim-walking-eases-back-pain"' in project.html("benefits/index.html")

    # without step 3, check stops as the build does, with the error CONTRIBUTING quotes
    page.write_text(without_card)
    missing = evidence(project.root, "check")
    error = (
        "docs/benefits.md:1:1: error: active claim 'walking-eases-back-pain' of topic 'benefits' "
        "is not on its topic page [page-claim-placement]"
    )
    assert missing.returncode == 1 and missing.stdout.startswith(error)
    text = " ".join((REPO / "CONTRIBUTING.md").read_text(encoding="utf-8").split())
    assert f"`{error}`" in text
    page.write_text(without_card + "\n" + card)

    shown = evidence(project.root, "diff").stdout
    assert shown == diff.replace("1a2b3c4d5e", base[:10])


def test_the_editor_message_in_contributing_lists_the_schema_values() -> None:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## What your editor shows\n", 1)[1]
    message = re.search(r"Value is not accepted\. Valid values: (.*)\.$", section, re.M)
    assert message is not None
    schema = json.loads((REPO / "content/schema/claim.schema.json").read_text())
    assert json.loads(f"[{message.group(1)}]") == schema["$defs"]["Unit"]["enum"]
    assert "  unit: percentage" in section and "percentage" not in schema["$defs"]["Unit"]["enum"]


def test_skeleton_templates_ship_with_the_package() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["evidence"]
    templates = sorted((REPO / "evidence" / "render" / "templates").glob("*.j2"))
    assert {"claim.yml.j2", "source.bib.j2", "diff.md.j2"} <= {p.name for p in templates}
    for path in templates:
        rel = path.relative_to(REPO / "evidence").as_posix()
        assert any(fnmatch.fnmatch(rel, pattern) for pattern in patterns), rel
