"""The names a docs page's macros look up: `claim("id")`, `claims("topic")`, `cite("key")`.

The build stops at the first name it cannot find; `check` reports every one, with the line
and the name that was probably meant. The known names are read cheaply (claim file names,
topics.yml's ids, the keys at the start of each BibTeX entry), so a memoised check stays
fast: no model, no pybtex.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Final

from evidence.content import yamlsafe
from evidence.content.files import BIB_FILE, TOPICS_FILE
from evidence.core.problems import Problem, error
from evidence.load.corpus import present_claim_ids
from evidence.load.crossref import did_you_mean

if TYPE_CHECKING:
    from evidence.content.pagesource import ParsedPage

#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset({"page-unknown-claim", "page-unknown-reference", "page-unknown-topic"})

#: The start of a BibTeX entry and its key (as evidence.bib.read.ENTRY_START, without pybtex).
_ENTRY = re.compile(r"^[ \t]*@[ \t]*(\w+)[ \t]*[{(]\s*([^\s,})]*)", re.MULTILINE)
_NOT_ENTRIES = {"string", "comment", "preamble"}
#: macro → (what it names, where the names are, rule)
_LOOKUPS = {
    "claim": ("claim id", "a claim file's name in content/claims/", "page-unknown-claim"),
    "claims": ("topic", TOPICS_FILE, "page-unknown-topic"),
    "findings": ("topic", TOPICS_FILE, "page-unknown-topic"),
    "cite": ("key", BIB_FILE, "page-unknown-reference"),
}


def known_names(root: Path) -> dict[str, set[str]]:
    """Claim ids, topic ids and reference keys as the files name them (unreadable: none)."""
    topics: set[str] = set()
    try:
        data = yamlsafe.read((root / TOPICS_FILE).read_text("utf-8-sig")).data
    except (OSError, UnicodeDecodeError, yamlsafe.YamlProblem):
        data = None
    listed = data.get("topics") if isinstance(data, dict) else None
    for topic in listed if isinstance(listed, list) else []:
        if isinstance(topic, dict) and isinstance(topic.get("id"), str):
            topics.add(topic["id"])
    try:
        bib = (root / BIB_FILE).read_text("utf-8-sig", errors="replace")
    except OSError:
        bib = ""
    keys = {m.group(2) for m in _ENTRY.finditer(bib) if m.group(1).lower() not in _NOT_ENTRIES}
    ids = present_claim_ids(root)
    return {"claim": ids, "claims": topics, "findings": topics, "cite": keys}


def page_problems(source: ParsedPage, known: dict[str, set[str]]) -> list[Problem]:
    """Each macro call in one page whose quoted name is not known (a page that does not
    read is reported by the page-template rules)."""
    problems = []
    lines = source.body.splitlines()
    for call in source.calls(*_LOOKUPS):
        name = call.args[0] if call.args else None
        if not isinstance(name, str) or name in known[call.name]:
            continue
        what, where, rule = _LOOKUPS[call.name]
        hint = did_you_mean(name, known[call.name]) + f"use a {what} from {where}"
        message = f"{call.name}(\"{name}\"): no {what} '{name}'"
        index = call.line - source.offset - 1
        text = lines[index] if 0 <= index < len(lines) else ""
        found = text.find(name, call.col - 1)
        col = found + 1 if found >= 0 else call.col  # the quoted name's column, else the call's
        problems.append(error(source.path, call.line, col, message, rule, hint))
    return problems


def check_pages(root: Path, pages: list[ParsedPage]) -> list[Problem]:
    """`page_problems` for every page (read once by content/pagesource.py)."""
    known = known_names(root) if any(p.calls(*_LOOKUPS) for p in pages) else {}
    return [problem for page in pages for problem in page_problems(page, known)]
