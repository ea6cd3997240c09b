"""references.bib against the shared character policy (`textpolicy`): keys, field names,
field values and names, as written and as they read once their LaTeX is decoded (`\\-`
decodes to a soft hyphen), since the decoded text is what reaches pages, titles and CSL-JSON.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Final

from pybtex.database import Entry
from pybtex.exceptions import PybtexError

from evidence.bib.latex import EMPHASIS, PASS_THROUGH, STRONG
from evidence.bib.read import MAX_ENTRY_BYTES, column_of, field_line, line_of, line_start
from evidence.core.problems import Problem, error
from evidence.core.textpolicy import HINT, BadCharacter, first_bad_character, lookalike

#: Commands latexcodec always decodes to letters or accents: no need to decode to know.
DECODED_COMMANDS = frozenset(
    {"c", "v", "u", "H", "o", "O", "l", "L", "i", "j", "k", "r", "t", "d", "b", "ss", "aa", "AA"}
    | {"ae", "AE", "oe", "OE"}
)
_ACCENTS = frozenset("'\"`^~=.")
#: Commands that only format their argument (its characters are checked as written).
_FORMATTING = EMPHASIS | STRONG | PASS_THROUGH
_COMMANDS = re.compile(r"\\([A-Za-z]+|.)")
_LINKS = ("url", "doi")
_PEOPLE = ("author", "editor")
_DECODED_HINT = "a LaTeX command in the field makes it (\\- is a soft hyphen): delete the command"
RULE = "bib-character"
#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset({RULE, "bib-key-lookalike"})


def character_problems(
    display: str, text: str, key: str, line: int, entry: Entry, plain: Callable[[str], str]
) -> list[Problem]:
    """Every refused character of one entry, where it was written (or its field's line)."""
    problems = []
    if bad := first_bad_character(key):
        at = _find(text, line, bad)
        problems.append(_problem(display, text, at, line, f"the key of entry at line {line} has", bad, HINT))
    elif why := lookalike(key):  # the claim ids' policy: one key cannot pass for another
        problems.append(
            error(
                display,
                line,
                1,
                f"the key '{key}' of entry at line {line} {why}",
                "bib-key-lookalike",
                "spell the key in one script (ASCII letters and digits are safest)",
            )
        )
    for name, value in _values(entry):
        where = field_line(text, line, name)
        what = f"field '{name.lower()}' of entry '{key}'"
        if bad := first_bad_character(name):
            label = f"{what}: its name has"
            problems.append(_problem(display, text, _find(text, where, bad), where, label, bad, HINT))
        elif bad := first_bad_character(value):
            label = f"{what}: a name has" if name.lower() in _PEOPLE else f"{what} has"
            problems.append(_problem(display, text, _find(text, where, bad), where, label, bad, HINT))
        elif name.lower() not in _LINKS and _may_decode(value) and (bad := _decoded_bad(value, plain)):
            label = f"{what} decodes from LaTeX to"
            problems.append(_problem(display, text, None, where, label, bad, _DECODED_HINT))
    return problems


def _values(entry: Entry) -> Iterator[tuple[str, str]]:
    yield from entry.fields.items()
    for role, people in entry.persons.items():
        for person in people:
            yield role, str(person)


def _decoded_bad(value: str, plain: Callable[[str], str]) -> BadCharacter | None:
    """The first refused character of `value` decoded; LaTeX that does not decode is the
    formatter's to report (bib-format), not ours."""
    try:
        return first_bad_character(plain(value))
    except (UnicodeError, ValueError, PybtexError):
        return None


def _may_decode(value: str) -> bool:
    """Only a command that is not an accent or a letter can decode to a refused character."""
    return "\\" in value and any(
        c not in DECODED_COMMANDS and c not in _ACCENTS and c not in _FORMATTING
        for c in _COMMANDS.findall(value)
    )


def _find(text: str, line: int, bad: BadCharacter) -> int | None:
    """Where `bad` stands in the file, searched from `line` within one entry's reach."""
    start = line_start(text, line)
    found = text.find(bad.char, start, start + MAX_ENTRY_BYTES)
    return None if found < 0 else found


def _problem(
    display: str, text: str, at: int | None, line: int, what: str, bad: BadCharacter, hint: str
) -> Problem:
    if at is None:
        return error(display, line, 1, f"{what} {bad.describe()}", RULE, hint)
    return error(display, line_of(text, at), column_of(text, at), f"{what} {bad.describe()}", RULE, hint)
