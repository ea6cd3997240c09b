"""Claim and topic files → validated models, each problem placed at its file and line."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, TypeVar

from pydantic import BaseModel, ValidationError

from evidence.content import markup, yamlsafe
from evidence.content.model import Claim, Topics
from evidence.core.digest import file_digest
from evidence.core.problems import Problem, error
from evidence.load.schema_hints import HINTS, WHOLE_CLAIM, odd_characters

M = TypeVar("M", bound=BaseModel)


#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live"); a YAML
#: file's own problems are evidence.content.yamlsafe's.
RULES: Final = frozenset(
    {
        "claim-kind-fields",
        "claim-markup",
        "file-encoding",
        "number-out-of-range",
        "primary-check-missing",
        "quote-too-long",
        "schema-empty",
        "schema-invalid",
        "schema-missing",
        "schema-type",
        "schema-unknown",
        "statistic-without-source",
        "topics-missing",
    }
)


@dataclass(frozen=True)
class LoadedClaim:
    """A valid claim and where it came from, so later rules can point at lines.

    The positions of its keys and values are not kept (10,000 tables would be most of a
    build's memory and of the cache): `where` re-reads the file when a rule reports a
    problem on it, and only if it still has the bytes the claim was validated from.
    """

    claim: Claim
    path: str
    #: Positions given up front (tests); None: re-read `file` on demand.
    doc: yamlsafe.Document | None = None
    #: The file to re-read, and the digest of the bytes the claim came from.
    file: str | None = field(default=None, compare=False, repr=False)
    digest: str | None = field(default=None, compare=False, repr=False)
    #: The load's memo of the last file parsed again (one per `load_corpus`); None: no memo.
    positions: Positions | None = field(default=None, compare=False, repr=False)

    def where(self, *path: str | int, key: bool = False) -> tuple[int, int]:
        doc = self.doc if self.doc is not None else _positions(self.file, self.digest, self.positions)
        return doc.where(tuple(path), key=key)


class Positions:
    """The last file parsed again by `LoadedClaim.where` in one load: rules report on one
    claim at a time, so one file is kept, not 10,000 position tables."""

    def __init__(self) -> None:
        self.last: tuple[tuple[str, str], yamlsafe.Document] | None = None


def _positions(file: str | None, expected: str | None, memo: Positions | None = None) -> yamlsafe.Document:
    """The positions in `file` if it still holds the bytes with digest `expected`, else none (1:1)."""
    if file is None or expected is None:
        return yamlsafe.Document(data=None)
    if memo is not None and memo.last is not None and memo.last[0] == (file, expected):
        return memo.last[1]
    try:
        with open(file, "rb") as handle:
            raw = handle.read(yamlsafe.MAX_BYTES + 1)
        doc = yamlsafe.read(raw.decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, yamlsafe.YamlProblem):
        return yamlsafe.Document(data=None)  # gone or changed since: the file's start
    if file_digest(raw) != expected:  # changed since it was validated: its lines may have moved
        return yamlsafe.Document(data=None)
    if memo is not None:
        memo.last = ((file, expected), doc)
    return doc


def too_large(size: int, display: str) -> list[Problem]:
    """A file over the limit is refused by its size, before it is read (yamlsafe's rule)."""
    refused = yamlsafe.too_large(size)
    return [] if refused is None else [_from_yaml(refused, display)]


def _from_yaml(exc: yamlsafe.YamlProblem, display: str) -> Problem:
    return error(display, exc.line, exc.col, exc.message, exc.rule, exc.hint)


def read_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """Decode a contributor's file: UTF-8 (a BOM is accepted), anything else is an error."""
    problems = too_large(path.stat().st_size, display)
    if problems:  # before reading it: a huge file is refused, not loaded
        return None, problems
    return decode(path.read_bytes(), display)


def decode(raw: bytes, display: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text (a BOM is accepted); any other encoding is an error at its first bad byte."""
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
        return None, [_from_yaml(exc, display)]


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
    if kind == "quote_too_long":
        return error(
            display,
            line,
            col,
            message,
            "quote-too-long",
            "keep the quote to the words that carry the claim, at most 30",
        )
    if kind == "number_out_of_range":
        return error(
            display,
            line,
            col,
            f"field '{name}': {message}",
            "number-out-of-range",
            "write the number as the source gives it, in plain digits (37, 2.5, 120000)",
        )
    if kind == "string_pattern_mismatch" and loc[-1] in ("id", "topic", "superseded_by"):
        message = "must be lowercase ASCII letters, digits and single hyphens" + odd_characters(err["input"])
    elif kind == "string_pattern_mismatch" and loc[-1] in ("source", "reported_in"):
        message = "must be a references.bib key: letters, digits, '-' or '_'"
    hint, rule = HINTS.get(kind, ""), "schema-invalid"
    for start, (fields_at, fix, *named) in WHOLE_CLAIM.items() if not loc else ():
        if message.startswith(start):  # a rule across fields: placed at the field to change
            field_at = next((f for f in fields_at if _present(doc.data, f)), fields_at[-1])
            (line, col), hint = doc.where(field_at), fix
            rule = named[0] if named else rule
    where = f"field '{name}'" if name else "claim"
    return error(display, line, col, f"{where}: {message}", rule, hint)


def _present(data: Any, path: tuple[str, ...]) -> bool:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return True


def load_file(
    model: type[M], path: Path, display: str
) -> tuple[M | None, yamlsafe.Document | None, list[Problem]]:
    text, problems = read_text(path, display)
    return _load_text(model, text, problems, display)


def _load_text(
    model: type[M], text: str | None, problems: list[Problem], display: str
) -> tuple[M | None, yamlsafe.Document | None, list[Problem]]:
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
    path: Path, display: str, positions: Positions | None = None
) -> tuple[LoadedClaim | None, yamlsafe.Document | None, list[Problem]]:
    """The claim if valid, else the parsed document (for what it cites, see `raw_keys`)."""
    problems = too_large(path.stat().st_size, display)
    if problems:
        return None, None, problems
    return claim_from_bytes(path.read_bytes(), str(path), display, positions)


def claim_from_bytes(
    raw: bytes, file: str, display: str, positions: Positions | None = None
) -> tuple[LoadedClaim | None, yamlsafe.Document | None, list[Problem]]:
    """`load_claim` of these bytes, read from `file` (at most `yamlsafe.MAX_BYTES` of them).

    A valid claim comes without its document: its positions are read again on demand.
    """
    text, problems = decode(raw, display)
    claim, doc, problems = _load_text(Claim, text, problems, display)
    if doc is None:
        return None, _salvage(raw), problems
    if claim is None:
        return None, doc, problems
    problems += markup_problems(claim, doc, display)
    loaded = LoadedClaim(claim, display, file=file, digest=file_digest(raw), positions=positions)
    return loaded, None, problems


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


def _salvage(raw: bytes) -> yamlsafe.Document:
    """What an unreadable claim file seems to cite, so its references are not reported unused."""
    text = raw.decode("utf-8", errors="replace")
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
