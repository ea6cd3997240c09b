"""Claim and topic files → validated models, each problem placed at its file and line."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import yamlsafe
from .model import Claim, Topics
from .problems import Problem, error

M = TypeVar("M", bound=BaseModel)

CLAIM_SUFFIX = ".yml"


@dataclass(frozen=True)
class LoadedClaim:
    """A valid claim and where it came from, so later rules can point at lines."""

    claim: Claim
    path: str
    doc: yamlsafe.Document

    def where(self, *path: str | int, key: bool = False) -> tuple[int, int]:
        return self.doc.where(tuple(path), key=key)


def read_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """Decode a contributor's file: UTF-8 (a BOM is accepted), anything else is an error."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            error(
                display,
                line,
                col,
                f"file is not UTF-8 (byte 0x{raw[exc.start]:02x})",
                "file-encoding",
                "save the file as UTF-8",
            )
        ]


def parse(text: str, display: str) -> tuple[yamlsafe.Document | None, list[Problem]]:
    try:
        return yamlsafe.read(text), []
    except yamlsafe.YamlProblem as exc:
        return None, [error(display, exc.line, exc.col, exc.message, exc.rule, exc.hint)]


def validate(model: type[M], doc: yamlsafe.Document, display: str) -> tuple[M | None, list[Problem]]:
    """Validate `doc` against `model`; every field error placed at its line."""
    if not isinstance(doc.data, dict):
        return None, [
            error(
                display,
                1,
                1,
                "the file must hold a mapping of fields (key: value)",
                "schema-type",
                "start from `python -m evidence new <topic> <id>`",
            )
        ]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, [_problem(model, doc, display, err) for err in exc.errors()]


def _dotted(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names allowed where `loc` points, for 'did you mean' hints."""
    current: Any = model
    for part in loc:
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        annotation = info.annotation
        args = getattr(annotation, "__args__", ())
        current = next((a for a in (annotation, *args) if hasattr(a, "model_fields")), None)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}))


def _problem(model: type[BaseModel], doc: yamlsafe.Document, display: str, err: Any) -> Problem:
    loc = tuple(err["loc"])
    kind = err["type"]
    name = _dotted(loc)
    if kind == "missing":
        line, col = doc.where(loc[:-1])
        if loc == ("source",) and "statistic" in doc.data:
            return error(
                display,
                line,
                col,
                "the claim carries a statistic but names no source",
                "statistic-without-source",
                "add `source: <key>` with the references.bib key of the work the number comes from",
            )
        return error(
            display,
            line,
            col,
            f"missing required field '{name}'",
            "schema-missing",
            f"add `{loc[-1]}:` (see content/schema/claim.schema.json)",
        )
    if kind == "extra_forbidden":
        line, col = doc.where(loc, key=True)
        allowed = _fields_at(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "allowed here: " + ", ".join(allowed)
        return error(display, line, col, f"unknown field '{name}'", "schema-unknown", hint)
    line, col = doc.where(loc)
    message = err["msg"].removeprefix("Value error, ")
    if kind == "string_pattern_mismatch" and loc == ("quote", "text"):
        return error(
            display,
            line,
            col,
            "quote is longer than 30 words",
            "quote-too-long",
            "keep the quote to the words that carry the claim, at most 30",
        )
    if kind == "string_pattern_mismatch" and loc[-1] in ("id", "topic", "superseded_by"):
        message = "must be lowercase ASCII letters, digits and single hyphens"
    elif kind == "string_pattern_mismatch" and loc[-1] in ("source", "reported_in"):
        message = "must be a references.bib key: letters, digits, '-' or '_'"
    where = f"field '{name}'" if name else "claim"
    return error(display, line, col, f"{where}: {message}", "schema-invalid", _HINTS.get(kind, ""))


_HINTS = {
    "float_parsing": "write a plain number such as 37 or 2.5",
    "int_parsing": "write a whole number such as 2013",
    "date_from_datetime_parsing": "write the date as YYYY-MM-DD",
    "date_parsing": "write the date as YYYY-MM-DD",
    "enum": "use one of the values listed in the message",
    "string_type": "put the text in quotes",
    "bool_type": "write true or false",
    "literal_error": "use one of the values listed in the message",
}


def load_file(
    model: type[M], path: Path, display: str
) -> tuple[M | None, yamlsafe.Document | None, list[Problem]]:
    text, problems = read_text(path, display)
    if text is None:
        return None, None, problems
    doc, problems = parse(text, display)
    if doc is None:
        return None, None, problems
    value, problems = validate(model, doc, display)
    return value, doc, problems


def load_topics(path: Path, display: str) -> tuple[Topics | None, list[Problem]]:
    if not path.exists():
        return None, [error(display, 1, 1, "topics file is missing", "topics-missing", "create it")]
    topics, _doc, problems = load_file(Topics, path, display)
    return topics, problems


def load_claim(
    path: Path, display: str
) -> tuple[LoadedClaim | None, yamlsafe.Document | None, list[Problem]]:
    """The claim if valid, and the parsed document either way (for what it cites)."""
    claim, doc, problems = load_file(Claim, path, display)
    if claim is None or doc is None:
        return None, doc, problems
    return LoadedClaim(claim, display, doc), doc, problems


def raw_keys(doc: yamlsafe.Document | None) -> set[str]:
    """Reference keys an invalid claim names, so its references are not reported unused."""
    if doc is None or not isinstance(doc.data, dict):
        return set()
    return {v for k in ("source", "reported_in") if isinstance(v := doc.data.get(k), str)}
