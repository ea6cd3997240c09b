"""`Changes` as Markdown (pull-request comment, job summary) and as JSON (tools).

Claim text and BibTeX fields come from contributors: in Markdown every value is escaped
(no emphasis, links, HTML or @-mentions can be smuggled into a comment), and the only
unescaped values are ids, keys and paths, which the schema restricts and which are put
in code spans.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Any

from jinja2 import PackageLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from .diff import Changes, ClaimChange, ReferenceChange, Value

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&@#!])")


class _Code(str):
    """Text already safe for Markdown (a code span); finalize leaves it alone."""


def md_escape(value: object) -> str:
    """Plain text for an inline Markdown position: specials escaped, one line."""
    text = " ".join(str(value).split())
    return _MD_SPECIAL.sub(r"\\\1", text)


def _finalize(value: object) -> str:
    return value if isinstance(value, _Code) else md_escape(value)


def _code(value: object) -> _Code:
    text = " ".join(str(value).split()).replace("`", "'")
    return _Code(f"`{text}`")


def display_value(value: Value) -> str:
    """A field value as a reader wants it: '—' for absent, 37 not 37.0, lists joined."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return " · ".join(display_value(v) for v in value) or "(none)"
    return str(value)


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=PackageLoader("evidence", "templates"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        finalize=_finalize,
    )
    env.filters["code"] = _code
    env.filters["value"] = display_value
    return env


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _phrase(noun: str, counts: list[tuple[str, int]]) -> str:
    """('claim', [('added', 2), ('changed', 1)]) → '2 claims added, 1 changed'."""
    counts = [(label, n) for label, n in counts if n]
    if not counts:
        return ""
    (label, n), rest = counts[0], counts[1:]
    return ", ".join([f"{_plural(n, noun)} {label}", *(f"{m} {other}" for other, m in rest)])


def summary(changes: Changes) -> str:
    """One line: '2 claims added, 1 changed; 1 reference added.'"""
    claims = _phrase(
        "claim",
        [
            ("added", len(changes.added)),
            ("changed", len(changes.changed)),
            ("retired", len(changes.retired)),
            ("deleted", len(changes.removed)),
            ("not comparable", len(changes.unreadable)),
        ],
    )
    refs = _phrase(
        "reference",
        [
            ("added", len(changes.references_added)),
            ("changed", len(changes.references_changed)),
            ("removed", len(changes.references_removed)),
        ],
    )
    parts = [p for p in (claims, refs) if p]
    return "; ".join(parts) + "." if parts else "No changes."


@dataclass(frozen=True)
class _Item:
    name: str
    title: str
    where: str = ""
    statistic: tuple[str | None, str | None] | None = None
    fields: tuple[Any, ...] = ()
    stated: str | None = None
    source: str = ""


def _claim(c: ClaimChange, *, where: bool) -> _Item:
    return _Item(c.id, c.title, c.path if where else "", c.statistic, c.fields, c.stated, c.source)


def _ref(r: ReferenceChange) -> _Item:
    return _Item(r.key, r.label, fields=r.fields)


@dataclass(frozen=True)
class _Section:
    heading: str
    items: list[_Item]
    detailed: bool = False
    note: str = ""


def markdown(changes: Changes, *, base: str, head: str, base_rev: str | None = None) -> str:
    """The report; `base` and `head` say what was compared, e.g. 'main (1a2b3c4d5e)'."""
    sections = [
        _Section("Claims deleted — not allowed", [_claim(c, where=True) for c in changes.removed]),
        _Section("Claims added", [_claim(c, where=True) for c in changes.added]),
        _Section("Claims retired", [_claim(c, where=False) for c in changes.retired], detailed=True),
        _Section("Claims changed", [_claim(c, where=False) for c in changes.changed], detailed=True),
        _Section(
            "Claim files that could not be compared",
            [_claim(c, where=True) for c in changes.unreadable],
            note=_Code("They have errors in the new version; `python -m evidence check` lists them."),
        ),
        _Section("References added", [_ref(r) for r in changes.references_added]),
        _Section("References changed", [_ref(r) for r in changes.references_changed], detailed=True),
        _Section("References removed", [_ref(r) for r in changes.references_removed]),
    ]
    template = _environment().get_template("diff.md.j2")
    return template.render(
        changes=changes,
        summary=summary(changes),
        base=base,
        head=head,
        sections=[s for s in sections if s.items],
    )


def as_json(changes: Changes, *, base: str, head: str, base_rev: str | None = None) -> str:
    data = {
        "base": base,
        "head": head,
        "summary": summary(changes),
        "errors": [p.to_dict() for p in changes.problems(base_rev)],
        **asdict(changes),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
