"""The deleted-claim rule: a claim published in the previous edition must not vanish.

It needs git, so it is not part of loading: `evidence check` and the build each run it
once, after loading, on the one edition they detected (a past edition loaded for the
history runs no git of its own).
"""

from __future__ import annotations

from pathlib import Path

from evidence.content.files import CLAIMS_DIR
from evidence.core.problems import Problem
from evidence.editions.release import Edition, released_claim_files
from evidence.load.corpus import present_claim_ids


def deleted_claims(root: Path, edition: Edition, present: set[str] | None = None) -> list[Problem]:
    """An error for each claim file of the previous release that is gone (retire it instead).

    `present` (default: every claim file's name in the tree, valid or not) keeps a broken
    file from being reported as deleted as well.
    """
    previous = edition.previous
    if previous is None:
        return []
    present = present_claim_ids(root) if present is None else present
    released = sorted(released_claim_files(edition, previous, CLAIMS_DIR).items())
    missing = [(claim_id, path) for claim_id, path in released if claim_id not in present]
    if not missing:
        return []
    from evidence.editions.diff import deleted_claim  # only now: diff needs the models

    return [deleted_claim(path, claim_id, previous.tag, previous.tag) for claim_id, path in missing]
