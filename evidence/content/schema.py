"""The published JSON Schemas, derived from the models in `model.py` (never edited by hand)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

from evidence.content.model import Claim, Topics
from evidence.core import safepath
from evidence.core.problems import Problem, error

#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset({"schema-stale"})

SCHEMA_DIR = "content/schema"
PUBLISHED = {"claim.schema.json": Claim, "topics.schema.json": Topics}


def json_schema(model: type[Claim] | type[Topics]) -> dict[str, Any]:
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$comment"] = "Generated from evidence/model.py by `python -m evidence schema`; do not edit."
    return schema


def render(model: type[Claim] | type[Topics]) -> str:
    return json.dumps(json_schema(model), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(root: Path) -> list[Path]:
    """Write every published schema under `root`; return the paths written.

    Never through a link: a linked file is replaced by the file itself, and a linked
    folder that leaves the project raises `safepath.UnsafePath`.
    """
    written = []
    safepath.resolve(root, SCHEMA_DIR)
    for name, model in PUBLISHED.items():
        path = root / SCHEMA_DIR / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink():
            path.unlink()
        path.write_text(render(model), encoding="utf-8")
        written.append(path)
    return written


def stale(root: Path) -> list[str]:
    """Published schema files that differ from what the models generate (or leave the project)."""
    out = []
    for name, model in PUBLISHED.items():
        try:
            path = safepath.resolve(root, f"{SCHEMA_DIR}/{name}")
        except safepath.UnsafePath:
            out.append(f"{SCHEMA_DIR}/{name}")
            continue
        if not path.exists() or path.read_text(encoding="utf-8") != render(model):
            out.append(f"{SCHEMA_DIR}/{name}")
    return out


def stale_problem(path: str) -> Problem:
    """The error for a published schema that `stale` found out of date."""
    return error(
        path, 1, 1, "published JSON Schema is out of date", "schema-stale", "run `python -m evidence schema`"
    )
