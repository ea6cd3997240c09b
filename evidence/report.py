"""Reporters for problems: text for people, GitHub annotations for pull requests, JSON for tools."""

from __future__ import annotations

import json
from collections.abc import Callable

from .problems import Problem, Severity


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
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(problems: list[Problem]) -> str:
    """GitHub Actions workflow commands: one annotation per problem on the right line."""
    lines = []
    for p in problems:
        message = f"{p.message} [{p.rule}]" + (f"\nhint: {p.hint}" if p.hint else "")
        lines.append(
            f"::{p.severity.value} file={_escape_property(p.path)},line={p.line},col={p.col},"
            f"title={_escape_property(p.rule)}::{_escape_data(message)}"
        )
    lines.append(_summary(problems))
    return "\n".join(lines)


def as_json(problems: list[Problem]) -> str:
    errors = sum(p.severity is Severity.error for p in problems)
    return json.dumps(
        {
            "errors": errors,
            "warnings": len(problems) - errors,
            "problems": [p.to_dict() for p in problems],
        },
        indent=2,
        ensure_ascii=False,
    )


FORMATS: dict[str, Callable[[list[Problem]], str]] = {"text": text, "github": github, "json": as_json}
