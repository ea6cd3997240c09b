"""The names a docs page's macros look up: `claim("id")`, `claims("topic")`, `cite("key")`.

The build stops at the first name it cannot find; `check` reports every one, with the line
and the name that was probably meant. The known names are read cheaply (claim file names,
topics.yml's ids, the keys at the start of each BibTeX entry), so a memoised check stays
fast: no model, no pybtex.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from jinja2 import Environment, TemplateSyntaxError, nodes

from evidence.content import yamlsafe
from evidence.content.files import BIB_FILE, TOPICS_FILE
from evidence.core.problems import Problem, error
from evidence.load.corpus import present_claim_ids
from evidence.load.crossref import did_you_mean

#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset({"page-unknown-claim", "page-unknown-reference", "page-unknown-topic"})

_PARSER = Environment(autoescape=False)  # never renders: only `parse`
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


def page_problems(text: str, path: str, known: dict[str, set[str]]) -> list[Problem]:
    """Each macro call in one page whose quoted name is not known (a page that does not
    parse is reported by the page-template rules)."""
    try:
        tree = _PARSER.parse(text)
    except TemplateSyntaxError:
        return []
    lines = text.splitlines()
    problems = []
    for call in tree.find_all(nodes.Call):
        macro = call.node.name if isinstance(call.node, nodes.Name) else ""
        if macro not in _LOOKUPS or not call.args or not isinstance(call.args[0], nodes.Const):
            continue
        name = call.args[0].value
        if not isinstance(name, str) or name in known[macro]:
            continue
        what, where, rule = _LOOKUPS[macro]
        line = lines[call.lineno - 1] if 0 < call.lineno <= len(lines) else ""
        col = max(line.find(name), 0) + 1
        hint = did_you_mean(name, known[macro]) + f"use a {what} from {where}"
        message = f"{macro}(\"{name}\"): no {what} '{name}'"
        problems.append(error(path, call.lineno, col, message, rule, hint))
    return problems


def check_pages(root: Path, docs: Path) -> list[Problem]:
    """`page_problems` for every Markdown page under `docs` (paths relative to the project)."""
    known: dict[str, set[str]] | None = None
    problems: list[Problem] = []
    for md in sorted(docs.rglob("*.md")) if docs.is_dir() else ():
        try:
            text = md.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # MkDocs reports an unreadable page itself
        if "(" not in text:
            continue
        known = known if known is not None else known_names(root)
        problems += page_problems(text, md.relative_to(root).as_posix(), known)
    return problems
