"""Claim and topic files → validated models, each problem placed at its file and line."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import markup, yamlsafe
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
    size = path.stat().st_size
    if size > yamlsafe.MAX_BYTES:  # before reading it: a huge file is refused, not loaded
        return None, [
            error(
                display,
                1,
                1,
                f"file is {size} bytes; the limit is {yamlsafe.MAX_BYTES}",
                "yaml-too-large",
                "a claim file holds one claim; split or shorten it",
            )
        ]
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [error(display, 1, 1, "file is UTF-16, not UTF-8", "file-encoding", "save it as UTF-8")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = len(raw[raw.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8", "replace")) + 1
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


def _is_blank(data: Any, loc: tuple[Any, ...]) -> bool:
    """Whether the value at `loc` was left empty (`title:` with nothing after it)."""
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return False
    return data is None


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
    if kind.endswith("_type") and loc and _is_blank(doc.data, loc):
        return error(
            display,
            line,
            col,
            f"field '{name}' is empty",
            "schema-empty",
            "fill it in (see the comment above it), or delete the line if the field is optional",
        )
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
        message = "must be lowercase ASCII letters, digits and single hyphens" + _odd_characters(err["input"])
    elif kind == "string_pattern_mismatch" and loc[-1] in ("source", "reported_in"):
        message = "must be a references.bib key: letters, digits, '-' or '_'"
    where = f"field '{name}'" if name else "claim"
    return error(display, line, col, f"{where}: {message}", "schema-invalid", _HINTS.get(kind, ""))


def _odd_characters(value: object) -> str:
    """Name the characters that break an id, so a look-alike (Cyrillic 'а') is visible."""
    if not isinstance(value, str):
        return ""
    odd = [ch for ch in dict.fromkeys(value) if not re.match(r"[a-z0-9-]", ch)]
    named = [f"'{ch}' (U+{ord(ch):04X} {unicodedata.name(ch, 'UNNAMED')})" for ch in odd[:3]]
    return "; found " + ", ".join(named) if named else ""


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
    if doc is None:
        return None, _salvage(path), problems
    if claim is None:
        return None, doc, problems
    return LoadedClaim(claim, display, doc), doc, problems + markup_problems(claim, doc, display)


def markup_problems(claim: Claim, doc: yamlsafe.Document, display: str) -> list[Problem]:
    """Images and non-http(s) links in the fields rendered as Markdown (see markup.py)."""
    texts: list[tuple[tuple[str | int, ...], str]] = [(("statement",), claim.statement)]
    texts += [(("caveats", i), caveat) for i, caveat in enumerate(claim.caveats)]
    return [
        error(display, *doc.where(loc), f"field '{_dotted(loc)}': {message}", "claim-markup", hint)
        for loc, text in texts
        for message, hint in markup.problems(text)
    ]


_CITES = re.compile(r"^[ \t]*(source|reported_in)[ \t]*:[ \t]*[\"']?([A-Za-z][A-Za-z0-9_-]*)", re.MULTILINE)


def _salvage(path: Path) -> yamlsafe.Document | None:
    """What an unreadable claim file seems to cite, so its references are not reported unused."""
    if path.stat().st_size > yamlsafe.MAX_BYTES:
        return None
    text = path.read_bytes().decode("utf-8", errors="replace")
    found: dict[str, list[str]] = {}
    for match in _CITES.finditer(text):
        found.setdefault(match.group(1), []).append(match.group(2))
    return yamlsafe.Document(data=found)


def raw_keys(doc: yamlsafe.Document | None) -> set[str]:
    """Reference keys an invalid claim names, so its references are not reported unused."""
    if doc is None or not isinstance(doc.data, dict):
        return set()
    values = [doc.data.get(k) for k in ("source", "reported_in")]
    flat = [v for value in values for v in (value if isinstance(value, list) else [value])]
    return {v for v in flat if isinstance(v, str)}
