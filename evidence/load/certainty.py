"""Certainty rules (GRADE): a claim may not say it is surer than its evidence allows.

The model (`model.Certainty`) checks the shape; these rules need the rest of the claim:
a level below high must say why, and a level above low needs research whose primary
source the editors have read themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from evidence.content.model import CertaintyLevel, EvidenceKind
from evidence.core.problems import Problem, error

if TYPE_CHECKING:
    from evidence.load.corpusdata import Corpus
    from evidence.load.loader import LoadedClaim

#: Evidence kinds that are research in GRADE's sense (everything else starts at very low).
#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset({"certainty-no-reason", "certainty-not-research", "certainty-unchecked"})

RESEARCH_KINDS = frozenset(
    {EvidenceKind.systematic_review, EvidenceKind.randomized_trial, EvidenceKind.cohort_study}
)
#: Levels a claim may hold only on checked research.
ABOVE_LOW = frozenset({CertaintyLevel.high, CertaintyLevel.moderate})


def claim_certainty(lc: LoadedClaim) -> list[Problem]:
    """The certainty problems of one claim, at the line of its certainty field."""
    claim, path = lc.claim, lc.path
    if claim.certainty is None:  # a definition or recommendation: the model refuses a rating
        return []
    level = claim.certainty.level
    problems: list[Problem] = []
    if level is not CertaintyLevel.high and not claim.certainty.reasons:
        problems.append(
            error(
                path,
                *lc.where("certainty", "level"),
                f"certainty '{level.value}' gives no reason",
                "certainty-no-reason",
                "add `reasons:` with at least one `- domain: …` and `note: …` saying why it is rated down",
            )
        )
    if level in ABOVE_LOW:
        if claim.evidence.kind not in RESEARCH_KINDS:
            problems.append(
                error(
                    path,
                    *lc.where("certainty", "level"),
                    f"certainty '{level.value}' needs research evidence, not '{claim.evidence.kind.value}'",
                    "certainty-not-research",
                    "only a systematic review, randomized trial or cohort study can be rated above low; "
                    "set `level: low` or `level: very-low`",
                )
            )
        elif not claim.evidence.primary_checked:
            problems.append(
                error(
                    path,
                    *lc.where("certainty", "level"),
                    f"certainty '{level.value}' but the primary source has not been checked",
                    "certainty-unchecked",
                    "read the study itself and set `evidence.primary_checked: true`, or rate it low or lower",
                )
            )
    return problems


def certainty_rules(corpus: Corpus) -> list[Problem]:
    """Every loaded claim's certainty problems (called from checks.corpus_rules)."""
    problems: list[Problem] = []
    for _, lc in sorted(corpus.loaded.items()):
        problems.extend(claim_certainty(lc))
    return problems
