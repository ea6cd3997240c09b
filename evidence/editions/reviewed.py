"""A claim whose substance changed must be reviewed again: its `reviewed.date` moves too.

A statistic changed from 25 to 30 percent under an old review date tells readers that
someone checked the new number on that day, which nobody did. `evidence diff` and
`evidence check --base` warn about it, at the claim's `reviewed.date`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from evidence.core.problems import Problem, warning

if TYPE_CHECKING:
    from evidence.editions.diff import Changes
    from evidence.load.corpus import Corpus

RULE = "review-date-unchanged"
#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset({RULE})
#: A change to one of these (dotted field, or its prefix) needs a new review.
SUBSTANCE = ("statistic.", "quote.", "statement", "source")


def _substantive(name: str) -> bool:
    return any(name == field or (field.endswith(".") and name.startswith(field)) for field in SUBSTANCE)


def unreviewed(changes: Changes, new: Corpus) -> list[Problem]:
    """A warning for each changed claim whose statistic, quote, statement or source changed
    while `reviewed.date` did not."""
    problems: list[Problem] = []
    for change in changes.changed + changes.retired:
        names = [f.field for f in change.fields]
        moved = [name for name in names if _substantive(name)]
        if not moved or "reviewed.date" in names or change.id not in new.loaded:
            continue
        lc = new.loaded[change.id]
        problems.append(
            warning(
                lc.path,
                *lc.where("reviewed", "date"),
                f"claim '{change.id}': {', '.join(moved)} changed but reviewed.date did not"
                f" (still {lc.claim.reviewed.date})",
                RULE,
                "check the claim against its source again, then set reviewed.date to that day"
                " and reviewed.by to who did it",
            )
        )
    return problems
