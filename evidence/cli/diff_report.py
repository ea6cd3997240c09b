"""`Changes` as Markdown (pull-request comment, job summary) and as JSON (tools).

Claim text and BibTeX fields come from contributors, and GitHub turns bare addresses,
`@name` and `#123` into links, pings and references wherever they are plain text. So in
Markdown every value is a code span (`code_span`), the one place GitHub leaves alone;
only our own words (headings, the summary, notes) are written as Markdown (`_Markdown`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import PackageLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from evidence.core.problems import Problem
from evidence.core.textpolicy import printable, printable_json
from evidence.editions.codechanges import HEADING as CODE_HEADING
from evidence.editions.codechanges import CodeChange
from evidence.editions.diff import Changes, ClaimChange, ReferenceChange, Value, display_value
from evidence.load import placement

if TYPE_CHECKING:
    from evidence.load.corpus import Corpus

_BACKTICKS = re.compile(r"`+")


class _Markdown(str):
    """Our own Markdown (never contributor text): finalize leaves it alone."""


def code_span(value: object, *, in_table: bool = False) -> _Markdown:
    """`value` as an inline code span: one line, fenced by more backticks than any run in it.

    In a table cell every `|` is written `\\|` (GFM splits cells on a pipe even inside a
    code span, and turns `\\|` back into `|`), so a value cannot end its cell early and
    leave the rest of itself outside the code span.
    """
    text = printable(" ".join(str(value).split()))  # ESC, BEL, bidi… shown as \u001b
    if not text:
        return _Markdown("(empty)")
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(text)), default=0) + 1)
    pad = " " if text[0] == "`" or text[-1] == "`" else ""
    if in_table:
        text = text.replace("|", "\\|")
    return _Markdown(f"{fence}{pad}{text}{pad}{fence}")


def _finalize(value: object) -> str:
    """Every `{{ value }}` of the template: ours as it is, numbers as digits, the rest as code."""
    if isinstance(value, _Markdown):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return code_span(value)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&@#!:.])")


def _label(text: str) -> _Markdown:
    """What was compared ('main (1a2b3c4d5e)'), named by whoever runs the command: escaped
    text, with `:` and `.` escaped too so that no address in it becomes a link."""
    return _Markdown(_MD_SPECIAL.sub(r"\\\1", printable(" ".join(text.split()))))


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=PackageLoader("evidence.render", "templates"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        finalize=_finalize,
    )
    env.filters["code"] = code_span
    env.filters["cell"] = lambda value: _cell(value)
    env.filters["value"] = _value
    return env


def _value(value: Value) -> str:
    """A field value for the report: '—' (ours) when absent, else its display text."""
    if value is None or value == []:
        return _Markdown("—" if value is None else "(none)")
    return display_value(value)


def _cell(value: object) -> str:
    return value if isinstance(value, _Markdown) else code_span(value, in_table=True)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _phrase(noun: str, counts: list[tuple[str, int]]) -> str:
    """('claim', [('added', 2), ('changed', 1)]) → '2 claims added, 1 changed'."""
    counts = [(label, n) for label, n in counts if n]
    if not counts:
        return ""
    (label, n), rest = counts[0], counts[1:]
    return ", ".join([f"{_plural(n, noun)} {label}", *(f"{m} {other}" for other, m in rest)])


def summary(changes: Changes, code: Sequence[CodeChange] = ()) -> str:
    """One line: '1 code file changed; 2 claims added, 1 changed; 1 reference added.'"""
    claims = _phrase(
        "claim",
        [
            ("added", len(changes.added)),
            ("changed", len(changes.changed)),
            ("retired", len(changes.retired)),
            ("deleted", len(changes.removed)),
            ("not comparable", len(changes.unreadable)),
        ],
    )
    refs = _phrase(
        "reference",
        [
            ("added", len(changes.references_added)),
            ("changed", len(changes.references_changed)),
            ("removed", len(changes.references_removed)),
        ],
    )
    parts = [p for p in (_plural(len(code), "code file") + " changed" if code else "", claims, refs) if p]
    return _Markdown("; ".join(parts) + "." if parts else "No changes.")


@dataclass(frozen=True)
class _Item:
    name: str
    title: str
    where: str = ""
    statistic: tuple[str | None, str | None] | None = None
    fields: tuple[Any, ...] = ()
    stated: str | None = None
    source: str = ""
    #: (label, value) a reviewer holds against the source (added and changed claims)
    review: tuple[tuple[str, Value], ...] = ()


#: How the report names each field a reviewer checks (editions.diff.REVIEW_FIELDS).
_REVIEW_LABELS = {
    "quote.text": "Quote",
    "quote.locator": "Locator",
    "evidence.kind": "Kind",
    "evidence.primary_checked": "Primary source read",
    "certainty.level": "Certainty",
    "source": "Source",
    "reported_in": "Reported in",
}


def _claim(c: ClaimChange, *, where: bool) -> _Item:
    review = tuple((_Markdown(_REVIEW_LABELS.get(name, name)), value) for name, value in c.review)
    return _Item(c.id, c.title, c.path if where else "", c.statistic, c.fields, c.stated, c.source, review)


def _ref(r: ReferenceChange) -> _Item:
    return _Item(r.key, r.label, fields=r.fields)


@dataclass(frozen=True)
class _Section:
    heading: str
    items: list[_Item]
    detailed: bool = False
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "heading", _Markdown(self.heading))  # our words, not a value


def retired_on_pages(root: Path, head: str | None, corpus: Corpus) -> list[Problem]:
    """Each call of a retired claim on a docs page at `head` (the working tree when None):
    the page shows a notice there, not a card (load/placement.py, `page-retired-claim`)."""
    from evidence.editions.gitrev import pages_at

    found = placement.facts(corpus)
    return [p for page in pages_at(root, head) for p in placement.retired_calls(found, page)]


def markdown(
    changes: Changes,
    *,
    base: str,
    head: str,
    base_rev: str | None = None,
    warnings: Sequence[Problem] = (),
    code: Sequence[CodeChange] = (),
) -> str:
    """The report; `base` and `head` say what was compared, e.g. 'main (1a2b3c4d5e)';
    `warnings`: review aids (a changed claim whose review date did not move; a call of a
    retired claim on a page at `head`, from `retired_on_pages`, each listed apart); `code`:
    the code files changed (editions/codechanges.py), listed first, under their own heading."""
    on_pages = [w for w in warnings if w.rule == placement.RETIRED_RULE]
    warnings = [w for w in warnings if w.rule != placement.RETIRED_RULE]
    sections = [
        _Section("Claims deleted — not allowed", [_claim(c, where=True) for c in changes.removed]),
        _Section("Claims added", [_claim(c, where=True) for c in changes.added]),
        _Section("Claims retired", [_claim(c, where=False) for c in changes.retired], detailed=True),
        _Section("Claims changed", [_claim(c, where=False) for c in changes.changed], detailed=True),
        _Section(
            "Claim files that could not be compared",
            [_claim(c, where=True) for c in changes.unreadable],
            note=_Markdown("They have errors in the new version; `python -m evidence check` lists them."),
        ),
        _Section("References added", [_ref(r) for r in changes.references_added]),
        _Section("References changed", [_ref(r) for r in changes.references_changed], detailed=True),
        _Section("References removed", [_ref(r) for r in changes.references_removed]),
    ]
    template = _environment().get_template("diff.md.j2")
    return template.render(
        changes=changes,
        summary=summary(changes, code),
        base=_label(base),
        head=_label(head),
        code_heading=_Markdown(CODE_HEADING),
        code=[_CodeItem(c.path, _Markdown(c.status), _Markdown(c.why)) for c in code],
        sections=[s for s in sections if s.items],
        warnings=[_Warning(p.path, p.line, p.message) for p in warnings],
        on_pages=[_Warning(p.path, p.line, p.message) for p in on_pages],
    )


@dataclass(frozen=True)
class _CodeItem:
    path: str  # the contributor's: a code span
    status: str
    why: str


@dataclass(frozen=True)
class _Warning:
    path: str
    line: int
    message: str


def as_json(
    changes: Changes,
    *,
    base: str,
    head: str,
    base_rev: str | None = None,
    warnings: Sequence[Problem] = (),
    code: Sequence[CodeChange] = (),
) -> str:
    data = {
        "code_changed": [asdict(c) for c in code],  # first, as in the Markdown report
        "base": base,
        "head": head,
        "summary": summary(changes, code),
        "errors": [p.to_dict() for p in changes.problems(base_rev)],
        "warnings": [p.to_dict() for p in warnings],
        **asdict(changes),
    }
    for name in ("added", "retired", "removed", "changed", "unreadable"):
        for claim in data[name]:
            claim["review"] = dict(claim["review"])  # field → value, as tools read it
    return printable_json(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"  # no ESC for a terminal
