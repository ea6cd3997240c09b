"""Reading a reference-manager export safely: every way a file can be wrong is a located error.

`evidence new-source --from FILE` (evidence.bib.imports) reads files from anywhere: a
file too large, not UTF-8, holding a control character or binary garbage, JSON nested
100,000 deep or with a number where CSL-JSON wants a list is a `BadExport` holding a
`Problem` (`FILE:line:col: error: …`), never a traceback.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Final

from evidence.core.problems import Problem, error
from evidence.core.textpolicy import HINT, first_bad_character

#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset({"import-unreadable", "import-character", "import-too-deep", "import-invalid"})
#: An export larger than references.bib may be is not read.
MAX_BYTES = 16 * 1024 * 1024
#: JSON nesting: a CSL item is 4 deep (item, names, name, parts); 100,000 `[` would overflow.
MAX_DEPTH = 32


class BadExport(Exception):
    """A file that cannot be imported, as the located problem to print."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.format())
        self.problem = problem


def problem(display: str, line: int, message: str, rule: str, col: int = 1) -> Problem:
    return error(
        display, line, col, message, rule, "export it again from the reference manager, or fix the file"
    )


def read_text(path: Path, display: str) -> str:
    """The file as text (line ends as \\n), or a located problem: too large, not UTF-8, or
    holding a character the text policy refuses (binary garbage is one of these)."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise BadExport(
            problem(display, 1, f"cannot be read: {exc.strerror or exc}", "import-unreadable")
        ) from None
    if len(raw) > MAX_BYTES:
        raise BadExport(problem(display, 1, f"is larger than {MAX_BYTES // 2**20} MiB", "import-unreadable"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = f"is not UTF-8 text (byte 0x{raw[exc.start]:02X} at byte {exc.start + 1})"
        raise BadExport(problem(display, line, message, "import-unreadable")) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if bad := first_bad_character(text):
        line = text.count("\n", 0, bad.index) + 1
        col = bad.index - (text.rfind("\n", 0, bad.index) + 1) + 1
        message = f"contains {bad.code} {bad.name}"
        raise BadExport(error(display, line, col, message, "import-character", HINT))
    return text


def parse_json(text: str, display: str) -> object:
    """JSON, parsed only once its nesting is known to be shallow (a linear scan first)."""
    depth = 0
    in_string = escaped = False
    line = 1
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                message = f"JSON nested more than {MAX_DEPTH} levels deep"
                raise BadExport(problem(display, line, message, "import-too-deep"))
        elif ch in "]}":
            depth -= 1
        if ch == "\n":
            line += 1
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadExport(
            problem(display, exc.lineno, f"is not valid JSON: {exc.msg}", "import-unreadable", exc.colno)
        ) from None


class Locator:
    """The line of a CSL-JSON item's variable (the n-th `"name":` in the file), for messages."""

    def __init__(self, text: str, display: str) -> None:
        self.text, self.display = text, display
        self.seen: dict[str, int] = {}

    def line(self, name: str) -> int:
        found = list(re.finditer(re.escape(json.dumps(name)) + r"\s*:", self.text))
        index = self.seen.get(name, 0)
        at = found[min(index, len(found) - 1)].start() if found else 0
        return self.text.count("\n", 0, at) + 1

    def step(self, item: dict) -> None:
        for name in item:
            self.seen[name] = self.seen.get(name, 0) + 1

    def fail(self, number: int, name: str, wanted: str, value: object) -> BadExport:
        message = (
            f"record {number}: '{name}' must be {wanted}, not {type(value).__name__} {str(value)[:40]!r}"
        )
        return BadExport(problem(self.display, self.line(name), message, "import-invalid"))


def unwritable(display: str, exc: Exception) -> BadExport:
    """pybtex's writer refused an entry (not expected: every value is balanced)."""
    return BadExport(problem(display, 1, f"cannot be written as BibTeX: {exc}", "import-invalid"))


def unreadable(display: str, exc: BaseException) -> BadExport:
    """A parser failed on the file in a way not named more precisely."""
    return BadExport(problem(display, 1, f"cannot be read: {exc}", "import-unreadable"))
