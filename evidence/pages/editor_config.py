"""The browser editor's configuration (Decap CMS, at /admin/), generated from the claim schema.

Every field of the form comes from the claim JSON Schema (`content.schema.json_schema(Claim)`,
the schema `python -m evidence schema` publishes, in the model's field order), so the form
cannot drift from what `check` accepts:

- one folder collection per topic of `content/topics.yml` (`content/claims/<topic>/`, `.yml`);
- each property becomes a field with the schema's `title` (or its name) as label and its
  `description` as hint; `required` lists decide required fields; an `enum` becomes a select;
  `array` a list (of one widget, or of objects); an object its nested fields; integers and
  numbers a number widget with the schema's bounds; a `format: date` string a date picker
  writing `YYYY-MM-DD`; string patterns are checked in the form;
- `reviewed.date` defaults to today; `topic` is fixed by the collection (a hidden field);
- the `id` field carries the `# yaml-language-server: $schema=…` line as its YAML comment, so
  Decap writes it as the file's first line, where `evidence new` puts it.

A form cannot hold a rule of the shape "required when that block is filled in": Decap checks a
required field even inside an optional block left empty, and would refuse every save. So a
field is required in the form only when every block above it is required (a list item counts
as filled in); its hint says when it is needed, and `check` (locally and in CI) enforces it.

Plain data in, plain data out: no MkDocs, no files. `evidence/mkdocs/editor.py` writes it as
`admin/config.json`; the admin page's script (`render/editor/evidence-editor.js`) passes it
to `CMS.init` and orders every block's keys as its fields on save.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Final

#: The YAML comment `evidence new` writes first in a claim file (relative to content/claims/<topic>/).
SCHEMA_LINE: Final = "yaml-language-server: $schema=../../schema/claim.schema.json"
#: Fields whose form default is today's date (Decap replaces `{{now}}` when the form opens).
TODAY_FIELDS: Final = frozenset({"reviewed.date"})
#: Backends a site may name: GitHub through an OAuth endpoint, or Netlify's Git Gateway.
BACKENDS: Final = ("github", "git-gateway", "gitlab", "gitea")
#: Decap's `backend:` keys a site may set in `editor_backend` (anything else is an error).
BACKEND_KEYS: Final = frozenset(
    {"name", "repo", "branch", "base_url", "auth_endpoint", "api_root", "site_domain", "open_authoring"}
)
_LONG_TEXT: Final = 600  # a string allowed more characters than this gets a multi-line box


class EditorConfigError(ValueError):
    """A site's editor settings that cannot make a working editor."""


def _resolve(schema: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    """`node` with a local `$ref` followed (its own description kept), and an optional
    `anyOf: [X, null]` reduced to X."""
    if "anyOf" in node:
        kinds = [k for k in node["anyOf"] if k.get("type") != "null"]
        if len(kinds) == 1:
            merged = {**kinds[0], **{k: v for k, v in node.items() if k != "anyOf"}}
            return _resolve(schema, merged)
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        target = schema["$defs"][ref.removeprefix("#/$defs/")]
        own = {k: v for k, v in node.items() if k != "$ref"}
        return _resolve(schema, {**target, **own})
    return node


def _optional_in_schema(node: Mapping[str, Any]) -> bool:
    return any(k.get("type") == "null" for k in node.get("anyOf", ()))


def _label(name: str, node: Mapping[str, Any]) -> str:
    title = node.get("title")
    if isinstance(title, str) and title and title.replace(" ", "").lower() == name.replace("_", "").lower():
        return title[0] + title[1:].lower()  # pydantic's "Reported In" -> "Reported in"
    return name.replace("_", " ").capitalize()


def _hint(node: Mapping[str, Any], needed_by: str | None) -> str:
    parts = [str(node["description"])] if node.get("description") else []
    if needed_by:
        parts.append(f"Needed when {needed_by} is filled in.")
    if node.get("maxLength"):
        parts.append(f"At most {node['maxLength']} characters.")
    return " ".join(parts)


def _scalar(schema: Mapping[str, Any], node: Mapping[str, Any], path: str) -> dict[str, Any]:
    """The widget (and its options) for one value that is not an object or a list."""
    if "enum" in node or "const" in node:
        values = list(node.get("enum", [node.get("const")]))
        return {"widget": "select", "options": [str(v) for v in values]}
    kind = node.get("type")
    if kind in ("integer", "number"):
        out: dict[str, Any] = {"widget": "number", "value_type": "int" if kind == "integer" else "float"}
        for ours, theirs in (("minimum", "min"), ("maximum", "max")):
            if ours in node:
                out[theirs] = node[ours]
        if kind == "integer":
            out["step"] = 1  # Decap's own step is 1: a float field takes any decimal
        return out
    if kind == "boolean":
        return {"widget": "boolean", "default": bool(node.get("default", False))}
    if kind == "string" and node.get("format") == "date":
        out = {"widget": "datetime", "date_format": "YYYY-MM-DD", "time_format": False, "picker_utc": True}
        out["default"] = "{{now}}" if path in TODAY_FIELDS else ""
        return out
    if kind == "string":
        long = int(node.get("maxLength", 0)) > _LONG_TEXT
        out = {"widget": "text" if long else "string"}
        if isinstance(node.get("pattern"), str) and "(?" not in node["pattern"]:
            out["pattern"] = [node["pattern"], _pattern_message(path, node)]
        return out
    raise EditorConfigError(f"{path}: the editor has no widget for schema type {kind!r}")


def _pattern_message(path: str, node: Mapping[str, Any]) -> str:
    if path.endswith(("id", "superseded_by")):
        return "lowercase letters, digits and single hyphens, e.g. my-claim-id"
    if path.endswith("url"):
        return "a full http:// or https:// address with no spaces"
    if path.endswith(("source", "reported_in", "primary")):
        return "a key from references.bib: no spaces, quotes, commas, braces or #%='"
    return "not in the expected form: see the hint"


def _field(
    schema: Mapping[str, Any],
    name: str,
    raw: Mapping[str, Any],
    *,
    path: str,
    required: bool,
    form_required: bool,
    needed_by: str | None,
) -> dict[str, Any]:
    """One form field for property `name` (`raw` as the schema writes it)."""
    node = _resolve(schema, raw)
    field: dict[str, Any] = {"name": name, "label": _label(name, raw)}
    hint = _hint(node, None if form_required or not required else needed_by)
    if hint:
        field["hint"] = hint
    field["required"] = form_required and required
    kind = node.get("type")
    if kind == "object" and "properties" in node:
        # a required block is filled in whenever its parent is: its own fields stay required
        inner = form_required and required
        label = field["label"].lower()
        field.update(
            widget="object", collapsed=not required, fields=_fields(schema, node, path, inner, label)
        )

    elif kind == "array":
        items = _resolve(schema, node.get("items", {}))
        field["widget"] = "list"
        if items.get("type") == "object" and "properties" in items:
            field["fields"] = _fields(
                schema, items, f"{path}[]", True, f"an item of {field['label'].lower()}"
            )
        else:
            field["field"] = {
                "name": name.rstrip("s") or name,
                "label": field["label"],
                **_scalar(schema, items, path),
            }
            field["field"].pop("default", None)
    else:
        field.update(_scalar(schema, node, path))
        if field["widget"] == "boolean" and required:
            field["required"] = False  # a switch always holds true or false: its default is the value
    return field


def _fields(
    schema: Mapping[str, Any], node: Mapping[str, Any], prefix: str, form_required: bool, label: str
) -> list[dict[str, Any]]:
    required = set(node.get("required", ()))
    out = []
    for name, raw in node.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        optional = name not in required or _optional_in_schema(raw) or "default" in raw
        out.append(
            _field(
                schema,
                name,
                raw,
                path=path,
                required=not optional,
                form_required=form_required,
                needed_by=label,
            )
        )
    return out


def claim_fields(schema: Mapping[str, Any], topic: str) -> list[dict[str, Any]]:
    """The form fields of a claim in `topic`, in the schema's (the model's) order."""
    fields = _fields(schema, schema, "", True, "the claim")
    for field in fields:
        if field["name"] == "topic":
            field.clear()
            field.update(name="topic", label="Topic", widget="hidden", default=topic, required=True)
        elif field["name"] == "id":
            field["comment"] = SCHEMA_LINE
    return fields


def backend(settings: Mapping[str, Any], repo: str | None, branch: str | None) -> dict[str, Any]:
    """Decap's `backend:` block: `settings` (mkdocs.yml's `editor_backend`) over the site's
    repository (`repo_url`, `edit_uri`'s branch). GitHub unless the site names another."""
    unknown = sorted(set(settings) - BACKEND_KEYS)
    if unknown:
        raise EditorConfigError(
            f"editor_backend: unknown key(s) {', '.join(unknown)}; allowed: {sorted(BACKEND_KEYS)}"
        )
    out: dict[str, Any] = {"name": "github"}
    if repo:
        out["repo"] = repo
    if branch:
        out["branch"] = branch
    out.update(settings)
    if out["name"] not in BACKENDS:
        raise EditorConfigError(f"editor_backend: name {out['name']!r} is not one of {', '.join(BACKENDS)}")
    if out["name"] != "git-gateway" and not out.get("repo"):
        raise EditorConfigError(
            "editor_backend: no repository: set repo_url in mkdocs.yml or editor_backend.repo"
        )
    return out


def editor_config(
    schema: Mapping[str, Any],
    topics: Sequence[Mapping[str, str]],
    *,
    backend_block: Mapping[str, Any],
    local_backend: str | bool = True,
    site_url: str | None = None,
) -> dict[str, Any]:
    """Decap CMS's whole configuration: one collection per topic, editorial workflow."""
    config: dict[str, Any] = {"backend": dict(backend_block)}
    if local_backend:
        config["local_backend"] = {"url": local_backend} if isinstance(local_backend, str) else True
    config["publish_mode"] = "editorial_workflow"  # every save: a branch and a pull request
    config["media_folder"] = "docs/assets/uploads"  # Decap needs one; claims have no images
    config["public_folder"] = "/assets/uploads"
    if site_url:
        config["site_url"] = config["display_url"] = site_url
    config["show_preview_links"] = False
    config["editor"] = {"preview": False}
    config["slug"] = {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
    config["collections"] = [
        {
            "name": topic["id"],
            "label": topic["title"],
            "label_singular": "claim",
            "description": topic.get("description", ""),
            "folder": f"content/claims/{topic['id']}",
            "extension": "yml",
            "format": "yml",
            "create": True,
            "delete": False,  # retire, never delete: `status: retired` and a `retired:` block
            "identifier_field": "id",
            "slug": "{{fields.id}}",
            "summary": "{{title}}",
            "sortable_fields": ["id", "title"],
            "fields": claim_fields(schema, topic["id"]),
        }
        for topic in topics
    ]
    return config


def render_json(config: Mapping[str, Any]) -> str:
    """`admin/config.json`, which the admin page passes to `CMS.init` (stable bytes: the same
    schema and topics give the same file)."""
    return json.dumps(config, indent=1, ensure_ascii=False) + "\n"
