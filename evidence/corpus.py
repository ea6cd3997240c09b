"""The whole body of evidence: topics, claims and references, loaded and checked once.

`load_corpus` is the one validator: the MkDocs build and `evidence check` both call it,
so nothing is checked twice in two ways.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from . import checks, release
from .bib import Library, Reference, load_library
from .loader import CLAIM_SUFFIX, LoadedClaim, load_claim, load_topics, raw_keys
from .model import Claim, Topic
from .problems import Problem, error
from .trust import SiteMeta, load_site

if TYPE_CHECKING:
    from .cache import Cache

CONTENT_DIR = "content"
CLAIMS_DIR = "content/claims"
TOPICS_FILE = "content/topics.yml"
BIB_FILE = "references.bib"


def build_date() -> dt.date:
    """Today, or the date in SOURCE_DATE_EPOCH, so a commit checked later gives the same result."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


@dataclass(frozen=True)
class Settings:
    """What a check run depends on besides the files: today's date and the review policy."""

    today: dt.date = field(default_factory=lambda: build_date())
    review_max_months: int = 24
    #: "ignore" for a shared bibliography, where most entries are cited by other sites
    unused_references: Literal["warn", "ignore"] = "warn"


@dataclass
class Corpus:
    root: Path
    topics: dict[str, Topic]
    loaded: dict[str, LoadedClaim]
    library: Library
    #: content/site.yml (authors, reviewers, disclosure): None only when it has errors.
    site: SiteMeta | None = None

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

    def reference(self, key: str) -> Reference:
        return self.library[key]

    def citing(self, key: str) -> list[Claim]:
        """Claims that cite `key` as source or reported-in, by id."""
        return list(self._by_key.get(key, []))

    def last_reviewed(self, claim_ids: list[str] | None = None) -> dt.date | None:
        ids = self.loaded if claim_ids is None else claim_ids
        dates = [self.loaded[c].claim.reviewed.date for c in ids if c in self.loaded]
        return max(dates) if dates else None


def claim_files(root: Path) -> list[Path]:
    """Every file under content/claims, whatever its name: unknown ones are reported, not skipped."""
    base = root / CLAIMS_DIR
    if not base.is_dir():
        return []
    return sorted(p for p in base.rglob("*") if p.is_file() or p.is_symlink())


def load_corpus(
    root: Path, settings: Settings | None = None, *, cache: Cache | None = None
) -> tuple[Corpus, list[Problem]]:
    """Load and check all content under `root`; return the corpus and every problem found.

    With a `cache` (see cache.py), files unchanged since an earlier run are not parsed again.
    """
    settings = settings or Settings()
    problems: list[Problem] = []
    topics_model, found = load_topics(root / TOPICS_FILE, TOPICS_FILE)
    problems += found
    topics = {t.id: t for t in topics_model.topics} if topics_model else {}

    # a shared bibliography: only the entries the site cites are formatted (and checked so)
    format_all = settings.unused_references == "warn"
    load = cache.library if cache else load_library
    library, found = load(root / BIB_FILE, BIB_FILE, format_all=format_all)
    problems += found
    site, found = load_site(root)
    problems += found

    loaded: dict[str, LoadedClaim] = {}
    invalid_keys: set[str] = set()
    for path in claim_files(root):
        display = path.relative_to(root).as_posix()
        placement = checks.placement(path, root / CLAIMS_DIR, display, topics)
        if placement:
            problems += placement
            continue
        claim, doc, found = (cache.claim if cache else load_claim)(path, display)
        problems += found
        if claim is None:
            invalid_keys |= raw_keys(doc)
            continue
        if claim.claim.id in loaded:
            first = loaded[claim.claim.id].path
            problems.append(
                error(
                    display,
                    *claim.where("id"),
                    f"duplicate id '{claim.claim.id}' (also in {first})",
                    "claim-duplicate-id",
                    "ids are unique across all topics; rename one file and its id",
                )
            )
            continue
        loaded[claim.claim.id] = claim

    corpus = Corpus(root=root, topics=topics, loaded=loaded, library=library, site=site)
    problems += checks.corpus_rules(corpus, settings, also_cited=invalid_keys)
    if cache:
        cache.save_claims()
        cache.remember_formatted(library)
    # a claim published in the previous release must not vanish (git; nothing without history)
    present = {path.stem for path in claim_files(root) if path.suffix == CLAIM_SUFFIX}
    problems += release.deleted_claims(root, present, CLAIMS_DIR)
    return corpus, sorted(set(problems))


def default_claim_path(root: Path, topic: str, claim_id: str) -> Path:
    return root / CLAIMS_DIR / topic / f"{claim_id}{CLAIM_SUFFIX}"
