"""The change history of the evidence: one diff per edition, from the release tags in git.

The "What changed" page shows it edition by edition, and each claim page shows its own
rows of it. Both come from the one diff engine (`diff.diff_corpora`, also behind
`evidence diff`), applied to consecutive editions loaded with `gitrev.corpus_at`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from evidence.editions.diff import Changes, ClaimChange, diff_corpora
from evidence.editions.gitrev import GitError, corpus_at

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from evidence.editions.release import Edition, Release
    from evidence.load.corpus import Corpus

#: Each release's corpus by (project, commit): released content never changes.
Released = dict[tuple[str, str], "Corpus"]

NO_GIT = (
    "This build was not made from a git checkout, so there is no release history to compare "
    "with: changes between editions cannot be listed."
)
SHALLOW = (
    "This build was made from a shallow git clone without its release tags, so earlier "
    "editions cannot be compared (fetch the full history with its tags to list them)."
)


@dataclass(frozen=True)
class EditionChanges:
    """What one edition changed compared with the one before it."""

    name: str | None  # the release tag; None for an unreleased draft
    date: dt.date | None
    previous: str | None  # the edition compared with; None for the first
    previous_date: dt.date | None
    changes: Changes
    current: bool  # the edition this build is

    @property
    def label(self) -> str:
        return self.name or "Unreleased draft"

    @property
    def anchor(self) -> str:
        return "edition-" + (self.name.replace(".", "-") if self.name else "draft")


@dataclass(frozen=True)
class ClaimEvent:
    """One row of a claim's history: the edition and what happened to the claim in it."""

    edition: EditionChanges
    change: ClaimChange


@dataclass(frozen=True)
class History:
    """Every edition up to this build's, newest first, or a note saying why there is none."""

    editions: tuple[EditionChanges, ...]
    note: str | None = None

    @property
    def current(self) -> EditionChanges | None:
        return next((e for e in self.editions if e.current), None)

    def for_claim(self, claim_id: str) -> list[ClaimEvent]:
        """The editions that changed this claim, newest first."""
        events = []
        for edition in self.editions:
            change = edition.changes.for_claim(claim_id)
            if change is not None:
                events.append(ClaimEvent(edition, change))
        return events


def build_history(corpus: Corpus, edition: Edition, released: Released | None = None) -> History:
    """Diff each release against the one before, and this build against the last release.

    `released`: the releases' corpora loaded by an earlier build of this project (the
    plugin keeps one per instance, so `mkdocs serve` does not reread git on every rebuild).
    """
    released = {} if released is None else released
    if edition.git is None:
        return History((), NO_GIT)
    if not edition.has_history:
        return History((), SHALLOW)
    try:
        corpora = [_release_corpus(corpus.root, release, released) for release in edition.earlier]
    except GitError as exc:
        return History((), f"The release history could not be read from git ({exc}).")
    # every release in order, then this build; each is compared with the one before
    steps = [(r.tag, r.date, old, False) for r, old in zip(edition.earlier, corpora, strict=True)]
    steps.append((edition.name, edition.date, corpus, True))
    editions: list[EditionChanges] = []
    previous: Corpus | None = None
    for name, date, this, current in steps:
        before = editions[-1] if editions else None
        editions.append(
            EditionChanges(
                name=name,
                date=date,
                previous=before.name if before else None,
                previous_date=before.date if before else None,
                changes=diff_corpora(previous, this),
                current=current,
            )
        )
        previous = this
    return History(tuple(reversed(editions)))


def _release_corpus(root: Path, release: Release, released: Released) -> Corpus:
    key = (str(root.resolve()), release.commit)
    if key not in released:
        released[key] = corpus_at(root, release.commit)
    return released[key]
