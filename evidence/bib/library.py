"""references.bib loaded: every entry a `Reference` with its line, and every problem named.

pybtex parses (`read`); this module turns its entries into references in the data model
(`fields`: crossref/xdata inherited, keys as written), says what is wrong (`checks`,
`characters`) and hands the cache its packed form (`pack`). Formatting (`style`) happens
only when a page reads a reference.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from pybtex.database import BibliographyData, Entry

from evidence.bib import cslstyle, pack
from evidence.bib.characters import character_problems
from evidence.bib.checks import entry_problems
from evidence.bib.csl import csl_item
from evidence.bib.fields import DATA_ONLY, inherit, inherit_people
from evidence.bib.keys import KEY_PATTERN, collisions
from evidence.bib.read import MAX_BYTES, Parsed, field_line, parse
from evidence.bib.reference import DERIVED, STYLE_KEY, Memo, Reference
from evidence.core.problems import Problem, error, warning

__all__ = ["DERIVED", "MAX_BYTES", "STYLE_KEY", "Library", "Memo", "Reference", "load_library"]

#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset(
    {
        "bib-crossref",
        "bib-crossref-cycle",
        "bib-crossref-depth",
        "bib-duplicate-key",
        "bib-encoding",
        "bib-format",
        "bib-key",
        "bib-key-anchor",
        "bib-key-case",
        "bib-missing",
        "bib-too-large",
        "bib-unused",
    }
)


@dataclass
class Library:
    """All references, in file order, the problems found reading them, and the build's memo."""

    path: str
    references: Mapping[str, Reference]  # a dict, or entries unpacked when read (cache)
    memo: Memo = field(default_factory=Memo)

    def __post_init__(self) -> None:
        self.memo.references = self.references  # a @set formats its members

    def __contains__(self, key: object) -> bool:
        return key in self.references

    def __getitem__(self, key: str) -> Reference:
        return self.references[key]


def load_library(
    path: Path, display: str, *, format_all: bool = True, memo: Memo | None = None, style: str = cslstyle.AMA
) -> tuple[Library, list[Problem]]:
    """Parse references.bib; every problem names its line. Never raises on bad input.

    `format_all=False` (a shared bibliography) leaves formatting to the entries the site
    cites (`checks.corpus_rules`). `memo` is this build's (see `Memo`); a fresh one in
    `style` (the site's `citation_style`) if None.
    """
    memo = in_style(memo if memo is not None else Memo(style=style))
    problems: list[Problem] = []
    try:
        if (size := path.stat().st_size) > MAX_BYTES:
            problems.append(
                error(
                    display,
                    1,
                    1,
                    f"references.bib is {size} bytes; the limit is {MAX_BYTES}",
                    "bib-too-large",
                    "keep only the works that claims cite",
                )
            )
            return Library(display, {}, memo), problems
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        problems.append(error(display, 1, 1, "references.bib is missing", "bib-missing", "create it"))
        return Library(display, {}, memo), problems
    except UnicodeDecodeError as exc:
        raw = path.read_bytes()
        line = raw.count(b"\n", 0, exc.start) + 1
        problems.append(
            error(
                display,
                line,
                1,
                f"not UTF-8 (byte 0x{raw[exc.start]:02x})",
                "bib-encoding",
                "save the file as UTF-8",
            )
        )
        return Library(display, {}, memo), problems

    parsed = parse(text, display)
    problems += parsed.problems
    problems += _key_problems(display, parsed)
    resolved, inherited = _resolve(parsed, display, text)
    problems += inherited
    references: dict[str, Reference] = {}
    memo.references = references  # a @set formats its members
    for key, entry in resolved.items():
        line = parsed.starts[key][0]
        if bad_characters := character_problems(display, text, key, line, entry, memo.text):
            problems += bad_characters  # nothing else is said of an entry that hides what it says
            continue
        if not re.match(KEY_PATTERN, key) or len(key) > 80:
            problems.append(
                error(
                    display,
                    line,
                    1,
                    f"key '{key}' cannot be cited from a claim (spaces, quotes, "
                    f"#, %, = and braces are not allowed, nor more than 80 characters)",
                    "bib-key",
                    "use letters, digits and - _ : / . in the key",
                )
            )
            continue
        ref = Reference(key=key, type=entry.type.lower(), line=line, entry=entry, memo=memo)
        references[key] = ref
        if key.lower() in parsed.unreadable:  # its fields are what pybtex guessed; one error says why
            continue
        problems += entry_problems(ref, display, text)
    if format_all:  # after every entry is read: a @set formats members that come after it
        for ref in references.values():
            if ref.key.lower() not in parsed.unreadable and (formatted := format_problem(ref, display)):
                problems.append(formatted)
    return Library(display, references, memo), problems


def _key_problems(display: str, parsed: Parsed) -> list[Problem]:
    """Repeated keys, keys that differ only by case, and keys that share an anchor."""
    problems = []
    starts = parsed.starts
    for key, lines in starts.items():
        for dup in lines[1:]:
            problems.append(
                error(
                    display,
                    dup,
                    1,
                    f"duplicate key '{key}' (first defined on line {lines[0]})",
                    "bib-duplicate-key",
                    "give each entry its own key, or delete the repeated entry",
                )
            )
    first_spelling: dict[str, str] = {}  # BibTeX (and pybtex) keys ignore case
    for key, lines in starts.items():
        other = first_spelling.setdefault(key.lower(), key)
        if other != key:
            problems.append(
                error(
                    display,
                    lines[0],
                    1,
                    f"key '{key}' differs from '{other}' (line {starts[other][0]}) only by case",
                    "bib-key-case",
                    "BibTeX ignores case in keys: give this entry a clearly different key, or delete it",
                )
            )
    for key, line, other, other_line in collisions({k: v[0] for k, v in starts.items()}):
        if key.lower() == other.lower():
            continue  # said above, as bib-key-case
        problems.append(
            error(
                display,
                line,
                1,
                f"key '{key}' (line {line}) and key '{other}' (line {other_line}) have the same link anchor",
                "bib-key-anchor",
                "give one of the two entries a clearly different key",
            )
        )
    return problems


#: crossref/xdata links one entry may inherit through (biblatex sets none; real files use 1–3).
MAX_CHAIN = 32


def _parents(entry: Entry) -> list[tuple[str, str]]:
    """(field, parent key) for each xdata, then crossref, parent named, in order."""
    return [
        (ref_field, parent)
        for ref_field in ("xdata", "crossref")
        for parent in (n.strip() for n in (entry.fields.get(ref_field) or "").split(","))
        if parent
    ]


def _resolve(parsed: Parsed, display: str, text: str) -> tuple[dict[str, Entry], list[Problem]]:
    """Each entry (xdata entries aside) with what it inherits through xdata and crossref.

    Iterative (an explicit stack, never Python's): a 3,000-link chain is one located
    `bib-crossref-depth` error at the entry where it passes `MAX_CHAIN`, not a RecursionError."""
    data: BibliographyData = parsed.data
    problems: list[Problem] = []
    done: dict[str, Entry] = {}
    depth: dict[str, int] = {}

    def merge(key: str, entry: Entry) -> Entry:
        """`entry` with what its parents (all resolved already, or missing) give it."""
        lower = key.lower()
        fields: dict[str, str] = {}
        persons: dict[str, Any] = {}
        present = [(f, p, done[p.lower()]) for f, p in _parents(entry) if p.lower() in done]
        depth[lower] = 1 + max((depth[p.lower()] for _, p, _ in present), default=-1)
        start = parsed.starts.get(key, [0])[0]
        for ref_field, parent_key in _parents(entry):
            if parent_key.lower() not in done:
                how = ref_field
                problems.append(
                    warning(
                        display,
                        field_line(text, start, ref_field),
                        1,
                        f"entry '{key}' names {how} '{parent_key}', which references.bib does not hold; "
                        "nothing is inherited",
                        "bib-crossref",
                        f"add the @{'xdata' if how == 'xdata' else 'book'} entry "
                        f"'{parent_key}', or delete the {ref_field} line",
                    )
                )
        if depth[lower] > MAX_CHAIN:
            if depth[lower] == MAX_CHAIN + 1:
                problems.append(
                    error(
                        display,
                        field_line(text, start, present[0][0]),
                        1,
                        f"entry '{key}' inherits through more than {MAX_CHAIN} crossref/xdata links; "
                        "it and every entry that inherits from it are read without what they inherit",
                        "bib-crossref-depth",
                        "point the crossref or xdata line at the entry that holds the fields",
                    )
                )
            return entry
        for ref_field, _, parent in present:
            if ref_field == "xdata":
                given = {k.lower(): v for k, v in parent.fields.items()}
                people = dict(parent.persons.items())
            else:
                given = inherit(entry.type, parent.type, parent.fields)
                people = {inherit_people(entry.type, parent.type, r): p for r, p in parent.persons.items()}
            for name, value in given.items():
                fields.setdefault(name, value)
            for role, people_list in people.items():
                persons.setdefault(role, people_list)
        if not fields and not persons:
            return entry
        own = {k.lower(): v for k, v in entry.fields.items()}
        merged = Entry(
            entry.type, fields={**fields, **own}, persons={**persons, **dict(entry.persons.items())}
        )
        merged.key = entry.key
        return merged

    def resolve(root: str) -> Entry | None:
        """Depth first, parents before children; `_Cycle` with the path when one comes back."""
        if root.lower() in done:
            return done[root.lower()]
        if data.entries.get(root) is None:
            return None
        path: list[tuple[str, Entry, list[str]]] = []
        on_path: set[str] = set()

        def push(key: str) -> None:
            entry = data.entries[key]
            path.append((key, entry, [p for _, p in reversed(_parents(entry))]))
            on_path.add(key.lower())

        push(root)
        while path:
            key, entry, todo = path[-1]
            if todo:
                parent = todo.pop()
                if parent.lower() in done or data.entries.get(parent) is None:
                    continue
                if parent.lower() in on_path:
                    raise _Cycle(tuple(k.lower() for k, _, _ in path))
                push(parent)
                continue
            path.pop()
            on_path.discard(key.lower())
            done[key.lower()] = merge(key, entry)
        return done[root.lower()]

    out: dict[str, Entry] = {}
    for key, entry in data.entries.items():
        if key not in parsed.starts or entry.type.lower() in DATA_ONLY:
            continue  # a keyless entry is reported as a syntax error; xdata holds data only
        try:
            resolved = resolve(key)
        except _Cycle as cycle:
            start = parsed.starts[key][0]
            via = "crossref" if entry.fields.get("crossref") else "xdata"
            problems.append(
                error(
                    display,
                    field_line(text, start, via),
                    1,
                    f"entry '{key}' inherits from itself through crossref/xdata: "
                    + " → ".join((*cycle.chain, key.lower())),
                    "bib-crossref-cycle",
                    "delete the crossref or xdata line that points back",
                )
            )
            resolved = entry
        out[key] = resolved if resolved is not None else entry
    return out, problems


class _Cycle(Exception):
    def __init__(self, chain: tuple[str, ...]) -> None:
        super().__init__(chain)
        self.chain = chain


def format_problem(ref: Reference, display: str) -> Problem | None:
    """Format `ref` now, so an entry that cannot be formatted names itself instead of failing a page."""
    try:
        ref.text  # noqa: B018
        ref.html  # noqa: B018
    except Exception as exc:  # the formatter must never take a page down unnamed
        return error(
            display,
            ref.line,
            1,
            f"entry '{ref.key}' cannot be formatted: {exc}",
            "bib-format",
            "check the braces and names of this entry, or use @misc",
        )
    return None


def unused_reference(ref: Reference, display: str) -> Problem:
    return warning(
        display,
        ref.line,
        1,
        f"reference '{ref.key}' is not cited by any claim",
        "bib-unused",
        "cite it from a claim's source or reported_in, or remove the entry",
    )


# -- the cache's side (cache/store.py keeps these on disk, under .cache/evidence/) -------
def derived(library: Library) -> dict[str, dict[str, Any]]:
    """The `DERIVED` values computed so far, by fingerprint, to keep for the next build."""
    return pack.derived(library.references)


def library_to_cache(
    library: Library, problems: list[Problem]
) -> tuple[dict[str, Any], list[tuple[str, bytes]]]:
    """For `library_from_cache`: the path and problems, and each entry packed on its own."""
    return {"path": library.path, "problems": problems}, pack.pack(library.references)


def library_from_cache(
    head: dict[str, Any], keys: Iterable[str], read: Callable[[str], bytes], memo: Memo | None = None
) -> tuple[Library, list[Problem]]:
    """The library `library_to_cache` packed: `keys` in file order, `read(key)` one packed entry."""
    memo = in_style(memo if memo is not None else Memo())
    return Library(head["path"], pack.PackedReferences(keys, read, memo), memo), list(head["problems"])


def in_style(memo: Memo) -> Memo:
    """`memo`, formatting in its CSL style (`cslstyle`) when the site chose one that exists."""
    if memo.style != cslstyle.AMA and memo.csl is None and cslstyle.known(memo.style):
        style = memo.style
        memo.csl = lambda ref: cslstyle.parts(csl_item(ref), style)
    return memo


def plain(latex: str, memo: Memo | None = None) -> str:
    """LaTeX field text as plain Unicode (for exports that have no build memo at hand)."""
    return (memo or Memo()).text(latex)
