"""Plain language: a claim's title and statement should read at school grade 10 or below.

Readers are patients as well as clinicians. The Flesch–Kincaid grade (textstat) is a
rough measure, blind to meaning, so this is a warning, not an error: a claim that cannot
be plainer (an operation's name has no everyday word) says why in a caveat that names
its technical or medical terms, and the warning is not given.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from evidence.core.problems import Problem, warning

if TYPE_CHECKING:
    from evidence.load.corpus import Corpus
    from evidence.load.loader import LoadedClaim

RULE = "claim-reading-grade"
#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset({RULE})
#: The highest Flesch–Kincaid grade a title or statement may read at without a caveat.
GRADE_LIMIT = 10.0
#: A caveat saying why the text cannot be plainer names its "technical terms" (or medical).
EXPLAINED = re.compile(r"\b(technical|medical) terms?\b", re.IGNORECASE)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")  # Markdown links count as their text


@lru_cache(maxsize=1 << 16)  # a pure function of the text: serve rebuilds grade only what changed
def grade(text: str) -> float:
    """The Flesch–Kincaid grade of `text` (textstat is imported on first use: it loads a
    pronouncing dictionary, about 0.8 s)."""
    import textstat

    return float(textstat.flesch_kincaid_grade(_LINK.sub(r"\1", text).replace("*", "")))


def claim_reading(lc: LoadedClaim) -> list[Problem]:
    """A warning for the title and for the statement of an active claim above the limit."""
    claim = lc.claim
    if not claim.active or any(EXPLAINED.search(caveat) for caveat in claim.caveats):
        return []
    problems = []
    for field in ("title", "statement"):
        found = grade(getattr(claim, field))
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


def reading_rules(corpus: Corpus) -> list[Problem]:
    """Every loaded claim's reading-grade warnings (called from checks.corpus_rules)."""
    problems: list[Problem] = []
    for _, lc in sorted(corpus.loaded.items()):
        problems += claim_reading(lc)
    return problems
