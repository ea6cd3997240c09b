"""Plain language: a claim's title and statement, and a page's own prose, should read at
school grade 10 or below.

Readers are patients as well as clinicians. The Flesch–Kincaid grade (textstat) is a
rough measure, blind to meaning, so this is a warning, not an error: a claim that cannot
be plainer (an operation's name has no everyday word) says why in a caveat that names
its technical or medical terms, and the warning is not given.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import lru_cache
from importlib import metadata
from typing import TYPE_CHECKING, Final

from evidence.core.problems import Problem, warning

if TYPE_CHECKING:
    from evidence.load.cacheport import ClaimCache
    from evidence.load.corpusdata import Corpus
    from evidence.load.loader import LoadedClaim

RULE = "claim-reading-grade"
#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset({RULE, "page-reading-grade"})
#: The highest Flesch–Kincaid grade a title or statement may read at without a caveat.
GRADE_LIMIT = 10.0
#: A caveat saying why the text cannot be plainer names its "technical terms" (or medical).
EXPLAINED = re.compile(r"\b(technical|medical) terms?\b", re.IGNORECASE)
#: Markdown links count as their text. No bracket inside either part and one level of
#: parentheses in the address, never given back: each scan ends at the next `[`, so `[[[…`
#: or `[a]([a](…` cost linear time (were 21 s per 64 KB).
_LINK = re.compile(r"\[([^\[\]]*+)\]\((?:[^()\[\]]|\([^()\[\]]*+\))*+\)")


@lru_cache(maxsize=1 << 16)  # a pure function of the text: serve rebuilds grade only what changed
def grade(text: str) -> float:
    """The Flesch–Kincaid grade of `text` (textstat is imported on first use: it loads a
    pronouncing dictionary, about 0.8 s)."""
    import textstat

    return float(textstat.flesch_kincaid_grade(_LINK.sub(r"\1", text).replace("*", "")))


#: The cache's names for the grades of earlier runs (`Grades.kept`): the claims' titles and
#: statements, and the pages' prose, apart. Each memo drops the texts its own run no longer
#: uses, so one shared memo would drop the other's (a page edit made the next build grade
#: every claim again).
MEMO = "grades"
PAGE_MEMO = "page-grades"


class Grades:
    """`grade`, remembering each text's grade by its digest, kept in the project's cache with
    the parsed claims: a warm build or check grades no text again and never loads textstat
    (loading its dictionary costs about 0.7 s and 77 MiB). The memo names textstat's version."""

    def __init__(self, known: dict[str, float] | None = None, memo: str = MEMO) -> None:
        self.memo = memo
        self.known: dict[str, float] = dict(known or {})
        self.used: set[str] = set()
        self.fresh = 0  # texts graded by this object (not known before)

    def __call__(self, text: str) -> float:
        key = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
        self.used.add(key)
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = grade(text)
            self.fresh += 1
        return found

    @classmethod
    def kept(cls, cache: ClaimCache | None, memo: str = MEMO) -> Grades:
        """The grades an earlier run kept in `cache` under `memo` (none without a cache, or
        for another textstat)."""
        saved = cache.load(memo) if cache is not None else None
        if isinstance(saved, dict) and saved.get("textstat") == _textstat_version():
            grades = saved.get("grades")
            if isinstance(grades, dict):
                return cls(grades, memo)
        return cls(memo=memo)

    def keep(self, cache: ClaimCache | None) -> None:
        """Save the grades if this run graded a text; only those used now once the others
        (texts edited away) outnumber them, so the memo does not grow without end."""
        if cache is None or not self.fresh:
            return
        grades = self.known
        if len(grades) > 2 * len(self.used) + 1024:
            grades = {key: value for key, value in grades.items() if key in self.used}
        cache.save(self.memo, {"textstat": _textstat_version(), "grades": grades})
        self.fresh = 0


def _textstat_version() -> str:
    try:
        return metadata.version("textstat")
    except metadata.PackageNotFoundError:  # pragma: no cover - a dependency
        return ""


def claim_reading(lc: LoadedClaim, grades: Callable[[str], float] = grade) -> list[Problem]:
    """A warning for the title and for the statement of an active claim above the limit."""
    claim = lc.claim
    if not claim.active or any(EXPLAINED.search(caveat) for caveat in claim.caveats):
        return []
    problems = []
    for field in ("title", "statement"):
        found = grades(getattr(claim, field))
        if found > GRADE_LIMIT:
            problems.append(
                warning(
                    lc.path,
                    *lc.where(field),
                    f"{field} reads at school grade {found:.1f} (Flesch–Kincaid), above {GRADE_LIMIT:g}",
                    RULE,
                    "use shorter sentences and everyday words; if it cannot be plainer, add a caveat "
                    "that names the technical terms it needs and why",
                )
            )
    return problems


def reading_rules(corpus: Corpus, grades: Callable[[str], float] = grade) -> list[Problem]:
    """Every loaded claim's reading-grade warnings (called from checks.corpus_rules)."""
    problems: list[Problem] = []
    for _, lc in sorted(corpus.loaded.items()):
        problems += claim_reading(lc, grades)
    return problems


# -- hand-written page prose (docs/*.md) ---------------------------------------------------

PAGE_RULE = "page-reading-grade"
#: A paragraph shorter than this is not graded: Flesch–Kincaid means nothing on a phrase.
PAGE_MIN_WORDS = 12
_FENCE = re.compile(r"^\s*(```|~~~)")
_MACRO = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_CODE = re.compile(r"`[^`]*`")
_BLOCK_START = re.compile(r"^\s*([-*+]|\d+[.)])\s+")  # a list item starts a paragraph of its own
_SKIP_LINE = re.compile(r"^\s*(#|\||<|\{[{%#]|!!!|\?\?\?|:::|\[\^?[^\]]*\]:|-{3,}\s*$|={3,}\s*$)")


def _paragraphs(text: str) -> list[tuple[int, str, bool]]:
    """(first line, 1-based; prose; explained) for each paragraph of Markdown prose.

    Left out: front matter, fenced code, headings, tables, raw HTML and macro lines,
    admonition markers and link definitions. `explained`: an HTML comment naming its
    "technical terms" (or medical) stands right above it, as a claim's caveat does.
    """
    lines = text.split("\n")
    out: list[tuple[int, str, bool]] = []
    start = 0
    if lines and lines[0].strip() == "---":  # YAML front matter
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        start = end + 1 if end is not None else 0
    fenced = False
    explained = False
    current: list[str] = []
    first = 0

    def flush() -> None:
        nonlocal current, explained
        if current:
            out.append((first, " ".join(current), explained))
            explained = False
        current = []

    for i in range(start, len(lines)):
        line = lines[i]
        if _FENCE.match(line):
            flush()
            fenced = not fenced
            continue
        if fenced:
            continue
        if not line.strip():
            flush()
            continue
        if line.lstrip().startswith("<!--"):
            flush()
            explained = bool(EXPLAINED.search(line))
            continue
        if _SKIP_LINE.match(line):
            flush()
            continue
        if _BLOCK_START.match(line):
            flush()
            line = _BLOCK_START.sub("", line)
        if not current:
            first = i + 1
        current.append(line.strip())
    flush()
    return out


def page_reading(
    text: str, path: str, line_offset: int = 0, grades: Callable[[str], float] = grade
) -> list[Problem]:
    """A warning for each paragraph of a page's hand-written prose above the grade limit,
    at `path:line` (`line_offset`: lines before `text` in the file, e.g. front matter the
    caller cut off). The same limit as claims; a paragraph whose words cannot be plainer
    says so in an HTML comment right above it: `<!-- technical terms: discectomy -->`."""
    problems = []
    for line, prose, explained in _paragraphs(text):
        if explained:
            continue
        plain = _CODE.sub(" ", _TAG.sub(" ", _MACRO.sub(" ", prose)))
        if len(plain.split()) < PAGE_MIN_WORDS:
            continue
        found = grades(plain)
        if found > GRADE_LIMIT:
            problems.append(
                warning(
                    path,
                    line + line_offset,
                    1,
                    f"paragraph reads at school grade {found:.1f} (Flesch–Kincaid), above {GRADE_LIMIT:g}",
                    PAGE_RULE,
                    "use shorter sentences and everyday words; if it cannot be plainer, put "
                    "`<!-- technical terms: … -->` on the line above, naming them",
                )
            )
    return problems
