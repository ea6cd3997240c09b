"""Reading references.bib into pybtex's data: size limits, every entry with its line.

BibTeX reads a file as text outside entries (ignored: BibTeX has no other comment syntax)
and `@` commands. pybtex is driven here command by command, so every entry it reads is
loaded with the line of its `@` (even one that starts on the line where another ends) or
reported; `@comment{…}` and plain text between entries are ignored as BibTeX ignores
them, unless that text looks like an entry or a field someone meant to be read.
Limits are checked on the raw text before pybtex builds names or formats anything.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

import pybtex.errors
from pybtex.bibtex.utils import split_name_list
from pybtex.database import BibliographyData, Person
from pybtex.database.input.bibtex import LowLevelParser, Parser
from pybtex.scanner import PybtexSyntaxError

from evidence.core.problems import Problem, error, warning

#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset(
    {
        "bib-data",
        "bib-entry-too-large",
        "bib-field-too-long",
        "bib-outside-entry",
        "bib-syntax",
        "bib-too-many-names",
        "bib-undefined-string",
    }
)
#: A shared bibliography of 20,000 entries is about 7.3 MB (benchmarks/generate.py):
#: room for twice that. A bigger file is refused before it is read.
MAX_BYTES = 16 * 1024 * 1024
#: One entry (from its `@` to the next line that starts with `@`), refused unparsed.
MAX_ENTRY_BYTES = 64 * 1024
#: Authors (or editors) of one entry; BibTeX's `and others` stands for the rest. A formatted
#: reference lists the first `bib.SHOWN_NAMES` of them.
MAX_NAMES = 500
#: Characters in one field (or one name); `LONG_FIELDS` are bounded by the entry size only.
MAX_FIELD_CHARS = 4000
#: Fields the style never shows, which exports fill with whole abstracts and notes.
LONG_FIELDS = frozenset({"abstract", "annote", "annotation", "keywords", "file", "mendeley-tags"})
PERSON_FIELDS = frozenset(role.lower() for role in Person.valid_roles)

ENTRY_START = re.compile(r"^[ \t]*@[ \t]*(\w+)[ \t]*[{(]\s*([^\s,})]*)", re.MULTILINE)
NOT_ENTRIES = ("string", "preamble", "comment")
_COMMENT = re.compile(r"@\s*comment\s*([{(]?)", re.IGNORECASE)
#: Text outside entries that was meant as BibTeX: `article{key,` without its `@`, or
#: `year = {2020}` after the entry's closing brace. Linear on any text: a field name starts
#: only where no name character precedes it (with `\b`, `a-a-a-…` restarted the scan at
#: every `a`: 27 s per 64 KB), and no run is given back once matched (possessive `*+`).
_LOOKS_LIKE = re.compile(
    r"(?P<entry>\b[A-Za-z]++[ \t]*+[{(][ \t]*+[^\s,{}()=\"#%@]++[ \t]*+,)"
    r"|(?P<field>(?<![\w-])[A-Za-z][\w-]*+[ \t]*+=[ \t]*+[{\"0-9])"
)


@dataclass
class Parsed:
    """pybtex's data plus, for each key as written, the lines of its entries."""

    data: BibliographyData
    problems: list[Problem] = field(default_factory=list)
    unreadable: set[str] = field(default_factory=set)  # lowercased keys: their fields are guesses
    starts: dict[str, list[int]] = field(default_factory=dict)


def line_of(text: str, offset: int) -> int:
    return bisect.bisect_left(_newlines(text), offset) + 1


def line_start(text: str, line: int) -> int:
    """The offset where `line` (1-based) begins."""
    return 0 if line <= 1 else _newlines(text)[line - 2] + 1


def column_of(text: str, offset: int) -> int:
    return offset - (text.rfind("\n", 0, offset) + 1) + 1


@lru_cache(maxsize=2)  # one references.bib per build: counting from its start per entry was O(n²)
def _newlines(text: str) -> list[int]:
    return [m.start() for m in re.finditer("\n", text)]


@lru_cache(maxsize=2)
def lines(text: str) -> list[str]:
    return text.splitlines()


def field_line(text: str, entry_line: int, name: str) -> int:
    """The line of `name = ...` inside the entry, else the entry's own line."""
    pattern = re.compile(rf"^\s*{re.escape(name)}\s*=", re.IGNORECASE)
    all_lines = lines(text)  # split once per file, not once per entry
    for number in range(entry_line, len(all_lines) + 1):
        line = all_lines[number - 1]
        if number > entry_line and line.lstrip().startswith("@"):
            break
        if pattern.match(line):
            return number
    return entry_line


def chunks(text: str) -> list[tuple[int, int, str, str]]:
    """(first line, offset, entry key, text) for each block from a line starting with `@`
    to the next, so a syntax error in one entry cannot swallow the next."""
    found = list(ENTRY_START.finditer(text))
    cuts = [m.start() for m in found]
    names = [m.group(2) if m.group(1).lower() not in NOT_ENTRIES else "" for m in found]
    if not cuts or cuts[0] != 0:
        cuts.insert(0, 0)
        names.insert(0, "")
    ends = [*cuts[1:], len(text)]
    return [(line_of(text, a), a, name, text[a:b]) for a, b, name in zip(cuts, ends, names, strict=True)]


class _Macros(dict):
    """@string macros; one the file does not define reads as its own name (and is named)."""

    def __init__(self, defined: dict[str, str]) -> None:
        super().__init__(defined)
        self.undefined: list[str] = []

    def __missing__(self, name: str) -> str:
        self.undefined.append(name)
        return name


def parse(text: str, display: str) -> Parsed:
    """Parse block by block with one parser (so @string macros carry over), naming each failure."""
    parser = Parser()
    parser.macros = _Macros(parser.macros)  # the month macros (jan … dec) come predefined
    parsed = Parsed(parser.data)
    for first, offset, name, chunk in chunks(text):
        if (size := len(chunk.encode("utf-8", "surrogatepass"))) > MAX_ENTRY_BYTES:
            parsed.problems.append(_too_large(display, text, first, offset, name, chunk, size))
            continue
        repeated = bool(name) and name in parser.data.entries  # pybtex keeps the first one
        with pybtex.errors.capture() as captured:
            try:
                outside = _read_chunk(parser, parsed, text, display, offset, chunk)
            except Exception as exc:  # pybtex must never take the build down unnamed
                captured.append(exc)
                outside = []
        if name and not repeated and captured:
            parsed.unreadable.add(name.lower())
        parsed.problems += [_parse_problem(display, first, name, exc, chunk) for exc in captured]
        if not captured:  # after an error, what pybtex skipped is that error's business
            parsed.problems += _outside_problems(display, text, outside)
    parsed.problems = [p for p in parsed.problems if p is not None]
    return parsed


def _read_chunk(
    parser: Parser, parsed: Parsed, text: str, display: str, offset: int, chunk: str
) -> list[tuple[int, int]]:
    """What `Parser.parse_string` does, keeping each command's place; returns the spans
    (offsets in `text`) between commands, which BibTeX ignores."""
    parser.unnamed_entry_counter = 1
    commands = LowLevelParser(
        chunk, handle_error=parser.handle_error, want_entry=parser.data.want_entry, macros=parser.macros
    )
    outside: list[tuple[int, int]] = []
    previous_end = 0
    for kind, body in commands:
        outside.append((offset + previous_end, offset + commands.command_start))
        previous_end = commands.pos
        if kind.lower() == "string":
            continue
        if kind.lower() == "preamble":  # LaTeX for a printed bibliography; nothing here shows it
            parser.process_preamble(*body)
            continue
        key, fields = body
        if key is None:  # reported as a syntax error
            continue
        line = line_of(text, offset + commands.command_start)
        if undefined := parser.macros.undefined:
            parsed.problems += [
                _undefined(display, text, line, key, name) for name in dict.fromkeys(undefined)
            ]
            undefined.clear()
        if too_big := _limit_problems(display, text, line, key, fields):
            parsed.problems += too_big
            continue
        parsed.starts.setdefault(key, []).append(line)
        parser.process_entry(kind, key, fields)
    outside.append((offset + previous_end, offset + len(chunk)))
    return outside


def _undefined(display: str, text: str, line: int, key: str, name: str) -> Problem:
    found = re.search(rf"=\s*(?:[^,\n]*#\s*)?{re.escape(name)}\b", text[line_start(text, line) :])
    where = line_of(text, line_start(text, line) + found.start()) if found else line
    return warning(
        display,
        where,
        1,
        f"entry '{key}' uses @string '{name}', which the file does not define; shown as the word '{name}'",
        "bib-undefined-string",
        f"add @string{{{name} = {{…}}}} before the entry, or write the text in braces",
    )


def _too_large(display: str, text: str, first: int, offset: int, name: str, chunk: str, size: int) -> Problem:
    last = line_of(text, offset + len(chunk.rstrip()))
    what = f"entry '{name}'" if name else "the text"
    return error(
        display,
        first,
        1,
        f"{what} on lines {first}-{last} is {size} bytes; the limit is {MAX_ENTRY_BYTES}, so it is not read",
        "bib-entry-too-large",
        "keep the fields a reference list shows (authors, title, venue, year, doi); "
        "start each entry on a line of its own",
    )


def _limit_problems(display: str, text: str, line: int, key: str, fields: list) -> list[Problem]:
    """Too many names or too long a field: refused before pybtex parses a single name."""
    problems = []
    for name, parts in fields:
        value = "".join(parts)
        lower = name.lower()
        where = field_line(text, line, name)
        if lower in PERSON_FIELDS:
            people = split_name_list(value)
            if len(people) > MAX_NAMES:
                problems.append(
                    error(
                        display,
                        where,
                        1,
                        f"field '{lower}' of entry '{key}' has {len(people)} names; the limit is {MAX_NAMES}",
                        "bib-too-many-names",
                        "list the first authors and end with 'and others' (BibTeX's et al.)",
                    )
                )
                continue
            longest = max(people, key=len, default="")
            if len(longest) > MAX_FIELD_CHARS:
                problems.append(_too_long(display, where, key, lower, len(longest), "a name in "))
        elif len(value) > MAX_FIELD_CHARS and lower not in LONG_FIELDS:
            problems.append(_too_long(display, where, key, lower, len(value)))
    return problems


def _too_long(display: str, line: int, key: str, name: str, size: int, what: str = "") -> Problem:
    return error(
        display,
        line,
        1,
        f"{what}field '{name}' of entry '{key}' is {size} characters; the limit is {MAX_FIELD_CHARS}",
        "bib-field-too-long",
        "shorten it to what a reference list shows; a whole abstract may go in 'abstract'",
    )


_FIELD_START = re.compile(r"[ \t]*[A-Za-z][\w:-]*[ \t]*=")


def _unclosed_brace(chunk: str) -> int | None:
    """The 0-based line, within `chunk`, of the `{` never closed, or None when the braces
    balance. A line that starts a new field (`name =`) or entry (`@`) while a field's value is
    still open shows whose brace it was. One linear pass; `\\{` and `\\}` are literal."""
    open_lines: list[int] = []
    for number, text in enumerate(chunk.split("\n")):
        starts_field = _FIELD_START.match(text) is not None or text.lstrip().startswith("@")
        if number and starts_field and len(open_lines) >= 2:
            return open_lines[-1]
        escaped = False
        for ch in text:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == "{":
                open_lines.append(number)
            elif ch == "}" and open_lines:
                open_lines.pop()
    return open_lines[-1] if open_lines else None


def _parse_problem(display: str, first: int, name: str, exc: Exception, chunk: str = "") -> Problem | None:
    if isinstance(exc, PybtexSyntaxError):
        message = str(exc).split(": ", 1)[-1]
        unclosed = _unclosed_brace(chunk)
        if unclosed is not None:  # point at the brace, not at where pybtex gave up
            line = first + unclosed
            lines = chunk.splitlines()
            col = lines[unclosed].rfind("{") + 1 if unclosed < len(lines) else 1
            what = f"entry '{name}'" if name else "an entry"
            end = first + max(len(lines) - 1, 0)
            return error(
                display,
                line,
                max(col, 1),
                f"{what}: the '{{' on this line is never closed (the entry runs to line {end})",
                "bib-syntax",
                "add the missing '}' (each field ends with one, and the entry with one more)",
            )
        where = first + (exc.lineno or 1) - 1
        seen = f" (noticed on line {where})" if where != first else ""
        return error(
            display,
            first,
            1,
            f"entry '{name}': BibTeX {exc.error_type}: {message}{seen}"
            if name
            else f"BibTeX {exc.error_type}: {message}{seen}",
            "bib-syntax",
            "check the braces, quotes, commas and @string names of this entry",
        )
    if "repeated bibliography entry" in str(exc):  # reported as bib-duplicate-key
        return None
    if isinstance(exc, RecursionError):
        exc = ValueError("nested too deeply")
    return error(
        display,
        first,
        1,
        f"entry '{name}' cannot be read: {exc}" if name else f"BibTeX: {exc}",
        "bib-data",
        "check the names, fields and braces of this entry",
    )


def _outside_problems(display: str, text: str, spans: list[tuple[int, int]]) -> list[Problem]:
    """Text between entries is a comment to BibTeX; report it when it was meant as BibTeX."""
    problems = []
    for start, end in spans:
        segment = _mask_comments(text[start:end])
        found = _LOOKS_LIKE.search(segment)
        if not found:
            continue
        at = start + found.start()
        snippet = found.group().strip()
        if found.group("entry"):
            message, hint = (
                f"'{snippet}' is outside any entry and has no '@', so BibTeX ignores it",
                "start the entry with '@', e.g. @article{key, …}",
            )
        else:
            message, hint = (
                f"field '{snippet.split('=')[0].strip()}' is after the end of an entry, so BibTeX ignores it",
                "move the field inside its entry's braces, before the closing '}'",
            )
        problems.append(
            error(display, line_of(text, at), column_of(text, at), message, "bib-outside-entry", hint)
        )
    return problems


def _mask_comments(segment: str) -> str:
    """Blank out `@comment{…}` bodies (BibTeX ignores them as it ignores other text).

    One pass: a comment inside a blanked body is part of that body, so every character is
    scanned once (`@comment{` × 6,000 took 104 s when each rescanned to the end)."""
    pieces: list[str] = []
    done = 0  # everything before this offset is in `pieces`
    for found in _COMMENT.finditer(segment):
        if found.start() < done:
            continue  # inside the body just blanked
        end = found.end()
        if found.group(1):
            opening = found.group(1)
            close, depth = "}" if opening == "{" else ")", 1
            while end < len(segment) and depth:
                char = segment[end]
                depth += 1 if char == opening else -1 if char == close else 0
                end += 1
        else:
            end = segment.find("\n", end) % (len(segment) + 1)
        pieces += [segment[done : found.start()], " " * (end - found.start())]
        done = end
    pieces.append(segment[done:])
    return "".join(pieces)
