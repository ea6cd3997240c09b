"""The browser editor's configuration is generated from the claim schema (evidence/pages/editor_config.py)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from evidence.content.model import Claim
from evidence.content.schema import json_schema
from evidence.pages import editor_config as ec

TOPICS = [{"id": "burden", "title": "Burden", "description": "How common."}, {"id": "benefits", "title": "B"}]


def _config(schema: dict[str, Any] | None = None) -> dict[str, Any]:
    block = ec.backend({}, "owner/site", "main")
    return ec.editor_config(schema or json_schema(Claim), TOPICS, backend_block=block)


def _by_name(fields: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in fields}


def test_one_folder_collection_per_topic_with_the_editorial_workflow() -> None:
    config = _config()
    assert config["publish_mode"] == "editorial_workflow"
    assert config["backend"] == {"name": "github", "repo": "owner/site", "branch": "main"}
    assert [c["folder"] for c in config["collections"]] == [
        "content/claims/burden",
        "content/claims/benefits",
    ]
    burden = config["collections"][0]
    assert (burden["format"], burden["extension"], burden["slug"], burden["delete"]) == (
        "yml",
        "yml",
        "{{fields.id}}",
        False,
    )


def test_fields_follow_the_model_order_labels_hints_and_required() -> None:
    fields = _config()["collections"][0]["fields"]
    names = [f["name"] for f in fields]
    assert names == list(Claim.model_fields)  # the model's order: the file's key order
    by = _by_name(fields)
    assert by["id"]["comment"] == ec.SCHEMA_LINE and by["id"]["required"] is True
    assert by["id"]["pattern"][0] == "^[a-z0-9]+(-[a-z0-9]+)*$"
    assert by["topic"] == {
        "name": "topic",
        "label": "Topic",
        "widget": "hidden",
        "default": "burden",
        "required": True,
    }
    assert by["statement"]["widget"] == "text" and by["statement"]["hint"].startswith(
        "The claim in our own words"
    )
    assert by["reported_in"]["label"] == "Reported in" and by["reported_in"]["required"] is False
    assert by["kind"] == {
        **by["kind"],
        "widget": "select",
        "options": ["finding", "recommendation", "definition"],
    }
    assert by["kind"]["required"] is False  # it has a default: left out, the claim is a finding


def test_nested_objects_lists_numbers_and_dates() -> None:
    by = _by_name(_config()["collections"][0]["fields"])
    quote = _by_name(by["quote"]["fields"])
    assert by["quote"]["required"] and quote["text"]["required"] and quote["locator"]["required"]
    stat = _by_name(by["statistic"]["fields"])
    assert by["statistic"]["collapsed"] is True
    assert stat["value"]["widget"] == "number" and stat["value"]["value_type"] == "float"
    assert stat["year"] == {**stat["year"], "value_type": "int", "min": 1900, "max": 2100}
    # required inside an optional block: not required by the form (Decap would refuse every
    # save with the block empty), said in the hint; check enforces it
    assert (
        stat["as_stated"]["required"] is False
        and "Needed when statistic is filled in" in stat["as_stated"]["hint"]
    )
    reasons = _by_name(_by_name(by["certainty"]["fields"])["reasons"]["fields"])
    assert (
        reasons["domain"]["widget"] == "select" and reasons["note"]["required"] is True
    )  # a list item is filled in
    assert by["caveats"]["widget"] == "list" and by["caveats"]["field"]["widget"] == "text"
    reviewed = _by_name(by["reviewed"]["fields"])
    assert reviewed["date"] == {
        **reviewed["date"],
        "widget": "datetime",
        "date_format": "YYYY-MM-DD",
        "default": "{{now}}",
    }
    retired = _by_name(by["retired"]["fields"])
    assert retired["date"]["default"] == ""  # only the review date defaults to today
    assert _by_name(by["evidence"]["fields"])["primary_checked"] == {
        **_by_name(by["evidence"]["fields"])["primary_checked"],
        "widget": "boolean",
        "default": False,
    }


def test_a_changed_schema_changes_the_form() -> None:
    schema = copy.deepcopy(json_schema(Claim))
    schema["properties"]["title"]["description"] = "A new hint."
    schema["$defs"]["Unit"]["enum"].append("days")
    schema["properties"]["setting"] = {"type": "string", "maxLength": 50, "description": "Where it was."}
    schema["required"].append("setting")
    by = _by_name(_config(schema)["collections"][1]["fields"])
    assert by["title"]["hint"].startswith("A new hint.")
    assert _by_name(by["statistic"]["fields"])["unit"]["options"][-1] == "days"
    assert by["setting"] == {
        "name": "setting",
        "label": "Setting",
        "hint": "Where it was. At most 50 characters.",
        "required": True,
        "widget": "string",
    }
    assert [f["name"] for f in _config()["collections"][1]["fields"]] == list(Claim.model_fields)


def test_backend_settings() -> None:
    assert ec.backend({"name": "git-gateway"}, None, None) == {"name": "git-gateway"}
    assert ec.backend({"open_authoring": True}, "o/r", "main")["open_authoring"] is True
    with pytest.raises(ec.EditorConfigError, match="unknown key"):
        ec.backend({"token": "x"}, "o/r", "main")
    with pytest.raises(ec.EditorConfigError, match="no repository"):
        ec.backend({}, None, None)
    with pytest.raises(ec.EditorConfigError, match="not one of"):
        ec.backend({"name": "ftp"}, "o/r", None)


def test_rendered_json_is_stable() -> None:
    text = ec.render_json(_config())
    assert text == ec.render_json(_config()) and json.loads(text)["collections"][0]["name"] == "burden"
