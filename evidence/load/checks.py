"""Rules that need more than one file: placement, ids, topics, references, review dates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from evidence.bib.library import format_problem, unused_reference
from evidence.content import yamlsafe
from evidence.content.files import CLAIM_SUFFIX, ID_PATTERN, SITE_FILE, TOPICS_FILE, name_stem, name_suffix
from evidence.content.model import Topic
from evidence.core.problems import Problem, error, warning
from evidence.load import claim_rules, comparative, crossref, reading
from evidence.load.certainty import certainty_rules

if TYPE_CHECKING:
    from evidence.load.corpusdata import Corpus, Settings

#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live"); a folder that
#: is not a topic is evidence.load.crossref's `claim-unknown-topic`.
RULES: Final = frozenset(
    {"claim-extension", "claim-filename", "claim-placement", "claim-symlink", "review-future", "review-stale"}
)


def placement(rel: str, is_symlink: bool, display: str, topics: dict[str, Topic]) -> list[Problem]:
    """A claim file must be content/claims/<known topic>/<id>.yml; nothing else is ignored.

    `rel` is the file's path below content/claims, with '/' (strings, not Paths: this runs
    for every claim file of every check).
    """
    named = claim_rules.file_name(rel, display)
    if named:
        return named
    parts = rel.split("/")
    suffix = name_suffix(parts[-1])
    if is_symlink:
        return [
            error(
                display,
                1,
                1,
                "claim files may not be symbolic links",
                "claim-symlink",
                "commit the file itself",
            )
        ]
    if suffix != CLAIM_SUFFIX:
        return [
            error(
                display,
                1,
                1,
                f"unexpected file in content/claims (extension '{suffix}')",
                "claim-extension",
                f"claim files end in '{CLAIM_SUFFIX}'; rename or remove it",
            )
        ]
    if len(parts) != 2:
        return [
            error(
                display,
                1,
                1,
                "claim file is not directly inside a topic folder",
                "claim-placement",
                "move it to content/claims/<topic>/<id>.yml",
            )
        ]
    if parts[0] not in topics:
        return [crossref.unknown_folder(display, parts[0], topics)]
    return []


def _months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)


def _site_where(corpus: Corpus, path: tuple[str, ...]) -> tuple[int, int]:
    """Where a value of content/site.yml stands (its line, or 1:1 when it cannot be read)."""
    try:
        return yamlsafe.read((corpus.root / SITE_FILE).read_text("utf-8-sig")).where(path)
    except (OSError, UnicodeDecodeError, yamlsafe.YamlProblem):
        return (1, 1)


def corpus_rules(
    corpus: Corpus,
    settings: Settings,
    also_cited: set[str] = frozenset(),
    partials: list[crossref.Partial] | None = None,
    grades: Callable[[str], float] = reading.grade,
) -> list[Problem]:
    """`also_cited`: keys named by claim files that failed validation (not reported unused);
    `partials`: those files' raw data, looked up as a valid claim's names are; `grades`: the
    reading grade of a text (`reading.Grades`, with the cache's memo)."""
    problems: list[Problem] = crossref.partial_rules(corpus, partials or [])
    lib = corpus.library
    cited: set[str] = set()
    for _cid, lc in sorted(corpus.loaded.items()):
        claim, path = lc.claim, lc.path
        folder_path, _, name = path.rpartition("/")
        stem = name_stem(name)
        problems += crossref.id_and_file_name(path, lc.where, claim.id)
        if not re.match(ID_PATTERN, stem):
            problems.append(
                error(
                    path,
                    1,
                    1,
                    f"file name '{stem}' is not a valid claim id",
                    "claim-filename",
                    "use lowercase ASCII letters, digits and hyphens",
                )
            )
        folder = folder_path.rpartition("/")[2]
        problems += crossref.unknown_topic(path, lc.where, claim.topic, folder, corpus.topics)
        for field in ("source", "reported_in"):
            key = getattr(claim, field)
            if key is None:
                continue
            cited.add(key)
            problems += crossref.unknown_reference(path, lc.where, field, key, lib.references)
        primary = claim.primary_check.primary if claim.primary_check else None
        if primary is not None:
            cited.add(primary)
            problems += crossref.unknown_reference(
                path,
                lambda *_f, lc=lc: lc.where("primary_check", "primary"),
                "primary_check.primary",
                primary,
                lib.references,
            )
        if claim.retired and claim.retired.superseded_by:
            problems += crossref.unknown_successor(path, lc.where, claim.retired.superseded_by, corpus.loaded)
        reviewed = claim.reviewed.date
        if reviewed > settings.today:
            problems.append(
                error(
                    path,
                    *lc.where("reviewed", "date"),
                    f"review date {reviewed} is in the future",
                    "review-future",
                    "use the date the review actually happened",
                )
            )
        elif claim.active and _months_between(reviewed, settings.today) > settings.review_max_months:
            problems.append(
                warning(
                    path,
                    *lc.where("reviewed", "date"),
                    f"last reviewed {reviewed}, more than {settings.review_max_months} months ago",
                    "review-stale",
                    "re-check the claim against its sources and update reviewed.date and reviewed.by",
                )
            )
    safety = corpus.site.safety if corpus.site else None
    if safety is not None:  # the red-flag box cites its public-health source
        cited.add(safety.source)
        problems += crossref.unknown_reference(
            SITE_FILE,
            lambda *_f: _site_where(corpus, ("safety", "source")),
            "safety.source",
            safety.source,
            lib.references,
        )
    problems.extend(certainty_rules(corpus))
    problems += comparative.comparative_rules(corpus)
    problems += reading.reading_rules(corpus, grades)
    problems += claim_rules.superseded_loops(corpus)
    problems += claim_rules.reserved_ids(corpus)
    problems += claim_rules.topic_pages(corpus, TOPICS_FILE)
    for key in sorted(cited & set(lib.references)):
        found = format_problem(lib[key], lib.path)
        if found:
            problems.append(found)
    if settings.unused_references == "warn":  # "ignore": a shared bibliography (mkdocs.yml)
        for key, ref in lib.references.items():
            if key not in cited and key not in also_cited:
                problems.append(unused_reference(ref, lib.path))
    return problems
