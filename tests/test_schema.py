"""One schema: the published JSON Schema is generated from the model and agrees with it."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
from helpers import REPO, claim_data
from pydantic import ValidationError

from evidence.content import schema
from evidence.content.model import Claim
from evidence.load.corpus import claim_files

CLAIM_SCHEMA = REPO / "content" / "schema" / "claim.schema.json"
MODELINE = "# yaml-language-server: $schema=../../schema/claim.schema.json"


def test_published_schema_is_generated_from_the_model() -> None:
    assert schema.stale(REPO) == [], "run `python -m evidence schema`"


def test_published_schema_is_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json.loads(CLAIM_SCHEMA.read_text()))


def _mutations() -> list[tuple[str, dict]]:
    base = claim_data()
    cases: list[tuple[str, dict]] = [("valid", base)]

    def variant(name: str, change) -> None:
        data = copy.deepcopy(base)
        change(data)
        cases.append((name, data))

    variant("missing title", lambda d: d.pop("title"))
    variant("unknown field", lambda d: d.update(colour="red"))
    variant("bad id", lambda d: d.update(id="Bad_ID"))
    variant("bad kind", lambda d: d["evidence"].update(kind="anecdote"))
    variant("string value", lambda d: d["statistic"].update(value="37"))
    variant("unknown unit", lambda d: d["statistic"].update(unit="furlongs"))
    variant("long quote", lambda d: d["quote"].update(text=" ".join(["word"] * 31)))
    variant("30-word quote", lambda d: d["quote"].update(text=" ".join(["word"] * 30)))
    variant("bad date", lambda d: d["reviewed"].update(date="24/11/2026"))
    variant("bad status", lambda d: d.update(status="draft"))
    variant("empty statement", lambda d: d.update(statement=""))
    variant("caveats not a list", lambda d: d.update(caveats="one"))
    variant("no statistic", lambda d: d.pop("statistic"))
    return cases


@pytest.mark.parametrize(("name", "data"), _mutations(), ids=[n for n, _ in _mutations()])
def test_schema_and_model_agree(name: str, data: dict) -> None:
    validator = jsonschema.Draft202012Validator(
        json.loads(CLAIM_SCHEMA.read_text()), format_checker=jsonschema.FormatChecker()
    )
    schema_ok = validator.is_valid(data)
    try:
        Claim.model_validate(data)
        model_ok = True
    except ValidationError:
        model_ok = False
    assert schema_ok == model_ok, name


def test_every_claim_file_starts_with_the_modeline() -> None:
    files = claim_files(REPO)
    assert files
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == MODELINE, f"{path.relative_to(REPO)} does not start with the modeline"


def test_modeline_resolves_to_the_schema() -> None:
    for path in claim_files(REPO):
        target = (path.parent / MODELINE.split("$schema=")[1]).resolve()
        assert target == CLAIM_SCHEMA.resolve()
        break


def test_schema_command_rewrites_a_stale_file(tmp_path: Path) -> None:
    (tmp_path / "content" / "schema").mkdir(parents=True)
    (tmp_path / "content" / "schema" / "claim.schema.json").write_text("{}")
    assert "content/schema/claim.schema.json" in schema.stale(tmp_path)
    schema.write(tmp_path)
    assert schema.stale(tmp_path) == []
