"""Reporters for problems: text for people, GitHub annotations for pull requests, JSON for tools.

Paths and messages carry contributor text (a file name, a quoted value), so every value is
passed through `textpolicy.printable` first: no report line can be split in two or forge a
workflow command (`::error …`) however a file is named.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from evidence.core.problems import Problem, Severity
from evidence.core.textpolicy import printable


def _summary(problems: list[Problem]) -> str:
    errors = sum(p.severity is Severity.error for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return "No problems found."
    return f"{errors} error(s), {warnings} warning(s)."


def text(problems: list[Problem]) -> str:
    lines = [p.format() for p in problems]
    lines.append(_summary(problems))
    return "\n".join(lines)


def _escape_data(value: str) -> str:
    """A workflow command's message: GitHub's escaping, after `printable` (no raw line breaks)."""
    return printable(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    """A workflow command's property (`file=…`): `:` and `,` would end it."""
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(problems: list[Problem]) -> str:
    """GitHub Actions workflow commands: one annotation per problem on the right line."""
    lines = []
    for p in problems:
        message = _escape_data(f"{p.message} [{p.rule}]")
        if p.hint:
            message += "%0A" + _escape_data(f"hint: {p.hint}")  # our own line break, escaped
        lines.append(
            f"::{p.severity.value} file={_escape_property(p.path)},line={p.line},col={p.col},"
            f"title={_escape_property(p.rule)}::{message}"
        )
    lines.append(_summary(problems))
    return "\n".join(lines)


def _printable_dict(problem: Problem) -> dict[str, object]:
    return {k: printable(v) if isinstance(v, str) else v for k, v in problem.to_dict().items()}


def as_json(problems: list[Problem]) -> str:
    errors = sum(p.severity is Severity.error for p in problems)
    return json.dumps(
        {
            "errors": errors,
            "warnings": len(problems) - errors,
            "problems": [_printable_dict(p) for p in problems],
        },
        indent=2,
        ensure_ascii=False,
    )


FORMATS: dict[str, Callable[[list[Problem]], str]] = {"text": text, "github": github, "json": as_json}
