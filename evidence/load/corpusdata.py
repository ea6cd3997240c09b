"""The whole body of evidence, as data: topics, claims and references, loaded once.

`Corpus` holds what `load_corpus` (load/corpus.py) built and checked; the rules that check
it (load/checks.py and the modules it calls) and every page read it from here, so data and
the code that builds it import in one direction only. `Settings` is what a check depends on
besides the files.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from evidence.content.options import DEFAULTS

if TYPE_CHECKING:
    from evidence.bib.library import Library
    from evidence.content.model import Claim, Topic
    from evidence.content.sitemeta import SiteMeta
    from evidence.load.loader import LoadedClaim


def build_date() -> dt.date:
    """Today, or the date in SOURCE_DATE_EPOCH, so a commit checked later gives the same result."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()  # UTC, as MkDocs dates a build: check and build agree


@dataclass(frozen=True)
class Settings:
    """What a check run depends on besides the files: today's date and the review policy."""

    today: dt.date = field(default_factory=lambda: build_date())
    review_max_months: int = DEFAULTS.review_max_months  # the plugin's option (content/options.py)
    #: "ignore" for a shared bibliography, where most entries are cited by other sites
    unused_references: Literal["warn", "ignore"] = "warn"
    #: the site's bibliography style: "ama" or a CSL style's name (bib/cslstyle.py)
    citation_style: str = DEFAULTS.citation_style


@dataclass
class Corpus:
    root: Path
    topics: dict[str, Topic]
    loaded: dict[str, LoadedClaim]
    library: Library
    #: content/site.yml (authors, reviewers, disclosure): None only when it has errors.
    site: SiteMeta | None = None
    #: The `fingerprint` of every input it was loaded from (None without a cache, or when
    #: an input changed while loading): what it yields can be kept under this name.
    inputs: str | None = None

    @property
    def claims(self) -> dict[str, Claim]:
        return {cid: lc.claim for cid, lc in self.loaded.items()}

    def claim(self, claim_id: str) -> Claim:
        return self.loaded[claim_id].claim

    # Indexes, built once: pages ask for them thousands of times (the corpus is not changed
    # after loading).
    @cached_property
    def _by_id(self) -> list[Claim]:
        return [lc.claim for _, lc in sorted(self.loaded.items())]

    @cached_property
    def _by_topic(self) -> dict[str, list[Claim]]:
        index: dict[str, list[Claim]] = {}
        for claim in self._by_id:
            index.setdefault(claim.topic, []).append(claim)
        return index

    @cached_property
    def _by_key(self) -> dict[str, list[Claim]]:
        index: dict[str, list[Claim]] = {}
        for claim in self._by_id:
            for key in dict.fromkeys(claim.keys):
                index.setdefault(key, []).append(claim)
        return index

    def topic_claims(self, topic: str, *, include_retired: bool = False) -> list[Claim]:
        """A topic's claims in a stable order: by id."""
        return [c for c in self._by_topic.get(topic, []) if include_retired or c.active]

    def active_claims(self) -> list[Claim]:
        return [c for c in self._by_id if c.active]

    def citing(self, key: str) -> list[Claim]:
        """Claims that cite `key` as source or reported-in, by id."""
        return list(self._by_key.get(key, []))

    def last_reviewed(self, claim_ids: list[str] | None = None) -> dt.date | None:
        ids = self.loaded if claim_ids is None else claim_ids
        dates = [self.loaded[c].claim.reviewed.date for c in ids if c in self.loaded]
        return max(dates) if dates else None
