"""Loading and checking the whole body of evidence (the `Corpus`, load/corpusdata.py) once.

`load_corpus` is the one validator: the MkDocs build and `evidence check` both call it,
so nothing is checked twice in two ways. With a cache, a full load also leaves a memo of
the problems it found, keyed by a fingerprint of every file it read; `check_content`
answers from that memo while no byte of those files (nor a setting) has changed.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from evidence.content.files import (
    BIB_FILE,
    CLAIM_SUFFIX,
    CLAIMS_DIR,
    CONTENT_DIR,
    TOPICS_FILE,
    name_stem,
    name_suffix,
)
from evidence.core import safepath
from evidence.core.problems import Problem
from evidence.load.codefiles import refuse_code_files
from evidence.load.corpusdata import Corpus, Settings

#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset({"claim-duplicate-id"})

# Only what a memo hit needs is imported here: the loader, the models and pybtex are
# imported by `_load`, so an unchanged project is checked without them.
if TYPE_CHECKING:
    from evidence.load.cacheport import ClaimCache
    from evidence.load.loader import LoadedClaim


def claim_files(root: Path) -> list[Path]:
    """Every file under content/claims, whatever its name: unknown ones are reported, not skipped."""
    return [root / rel for rel, _link in claim_entries(root)]


def claim_entries(root: Path) -> list[tuple[str, bool]]:
    """(project-relative path, is a symlink) of every file under content/claims, in path order.

    What `Path.rglob` finds (symbolic links are listed, never entered; other special files
    are left out), with os.scandir and strings: Path objects for 10,000 files cost more than
    the rest of a check. The walk is iterative (`safepath.walk`): no depth of folders
    overflows the stack. content/claims (or content/) linked outside the project is not
    entered: `safepath.check_project`, run first by `check` and the build, reports it.
    """
    base = os.path.join(root, CLAIMS_DIR)
    try:
        safepath.resolve(root, CLAIMS_DIR)
    except safepath.UnsafePath:
        return []
    found: list[tuple[str, bool]] = []
    for path, entry, _depth in safepath.walk(base, CLAIMS_DIR):
        if entry.is_symlink():
            found.append((path, True))
        elif entry.is_file():
            found.append((path, False))
    return found


# -- the fingerprint of everything load_corpus reads ------------------------------------


class _Unvouched(Exception):
    """A file the fingerprint cannot stand for (a FIFO, a device): nothing is memoised."""


@dataclass(frozen=True)
class Fingerprint:
    """Every input of `load_corpus` but git, as one digest, and the digest of each file in content/.

    `files` maps the project-relative path of every regular file under content/ to the
    `file_digest` of its bytes, so the claim cache need not read a claim a second time.
    """

    key: str
    files: dict[str, str]


def fingerprint(root: Path, settings: Settings) -> Fingerprint | None:
    """What `load_corpus` would read now, or None when it cannot be vouched for (nothing is memoised).

    The inputs: the settings, references.bib, and every file under content/ by path and
    bytes (not mtime), whatever its name. A symbolic link counts as its target's name,
    plus the bytes of the file it points to (topics.yml may be a link; load_corpus reads
    through it); linked folders are not entered, except content/claims itself, which
    load_corpus walks. The code version is the cache folder the memo is kept in.
    """
    records = [repr(settings)]  # every field: today, the review policy, unused_references
    files: dict[str, str] = {}
    top = os.fspath(root)
    try:
        for rel in (BIB_FILE, CONTENT_DIR):  # followed if they are links, as load_corpus reads them
            path = os.path.join(top, rel)
            if os.path.islink(path):
                safepath.resolve(root, rel)  # UnsafePath (a ValueError) when it leaves the project
            try:
                mode = os.stat(path).st_mode
            except FileNotFoundError:
                records += ("missing", rel)
                continue
            if stat.S_ISREG(mode):
                records += ("file", rel, _read_digest(path))
            elif stat.S_ISDIR(mode) and rel == CONTENT_DIR:
                records += ("folder", rel)
                _tree(top, rel, records, files)
            else:
                raise _Unvouched(rel)
    except (OSError, _Unvouched, safepath.UnsafePath):
        return None
    # no path, link target, digest or repr() holds a NUL: joined with NULs, no two trees look alike
    text = "\0".join(records).encode("utf-8", "surrogateescape")
    return Fingerprint(hashlib.blake2b(text, digest_size=20).hexdigest(), files)


def _read_digest(path: str) -> str:
    """`file_digest` of the file's bytes, read in pieces (content/ may hold a large file)."""
    # os.read rather than open(): half the time for 10,000 small files, read twice per load
    digest = hashlib.blake2b(digest_size=16)  # as file_digest
    fd = os.open(path, os.O_RDONLY)
    try:
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
    finally:
        os.close(fd)
    return digest.hexdigest()


def _tree(top: str, rel: str, records: list[str], files: dict[str, str]) -> None:
    """Every entry below `top`/`rel`, depth first in name order; iterative (`safepath.walk`).

    A link that leaves the project is not read through (`check_project` reports it):
    nothing is memoised for such a tree.
    """
    real_top = os.path.realpath(top)
    stack = [safepath.walk(os.path.join(top, rel), rel)]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
            continue
        path, entry, _depth = item
        if entry.is_symlink():
            records += ("link", path, os.readlink(entry.path))
            try:
                mode = os.stat(entry.path).st_mode
            except (FileNotFoundError, NotADirectoryError):
                records.append("dangling")
                continue
            if safepath.link_problem(real_top, path) is not None:
                raise _Unvouched(path)
            if stat.S_ISREG(mode):
                records += ("to-file", _read_digest(entry.path))
            elif stat.S_ISDIR(mode):
                records.append("to-folder")
                if path == CLAIMS_DIR:  # load_corpus walks the folder content/claims points to
                    stack.append(safepath.walk(entry.path, path))
            else:
                raise _Unvouched(path)
        elif entry.is_dir(follow_symlinks=False):
            records += ("folder", path)  # entered next by the walk
        elif entry.is_file(follow_symlinks=False):
            files[path] = digest = _read_digest(entry.path)
            records += ("file", path, digest)
        else:
            raise _Unvouched(path)


# -- loading ----------------------------------------------------------------------------


def check_content(
    root: Path, settings: Settings | None = None, *, cache: ClaimCache | None = None
) -> list[Problem]:
    """The problems `load_corpus` reports, from the cache's memo when no input has changed.

    A hit loads no claim, model or bibliography; a miss is a full `load_corpus`, which
    leaves the memo. Git is never run: the deleted-claim rule is the caller's
    (`editions.deleted.deleted_claims`, once per check or build).
    """
    settings = settings or Settings()
    if cache is None:
        return load_corpus(root, settings)[1]
    before = fingerprint(root, settings)
    memo = cache.checked(before.key) if before is not None else None
    if memo is None:
        return _load(root, settings, cache, before)[1] + refuse_code_files(root)
    content, _present = memo
    return content + refuse_code_files(root)


def load_corpus(
    root: Path, settings: Settings | None = None, *, cache: ClaimCache | None = None
) -> tuple[Corpus, list[Problem]]:
    """Load and check all content under `root`; return the corpus and every problem found.

    With a `cache` (see cache.py), files unchanged since an earlier run are not parsed again,
    and the problems found are memoised for `check_content`. Files under docs/ a browser
    runs (`codefiles.refuse_code_files`) are checked on every call, memo or not.
    """
    settings = settings or Settings()
    before = fingerprint(root, settings) if cache is not None else None
    corpus, problems = _load(root, settings, cache, before)
    # docs/ is not in the memo's fingerprint: its browser-run files are looked at every time
    return corpus, sorted(problems + refuse_code_files(root))


def _load(
    root: Path, settings: Settings, cache: ClaimCache | None, before: Fingerprint | None
) -> tuple[Corpus, list[Problem]]:
    """`load_corpus`; `before` is the fingerprint taken before anything was read."""
    from evidence.bib.cslstyle import style_problems
    from evidence.bib.library import load_library
    from evidence.core.problems import error
    from evidence.load import checks, crossref, reading
    from evidence.load.loader import Positions, load_claim, load_topics, raw_keys
    from evidence.load.trust import load_site

    problems: list[Problem] = []
    topics_model, found = load_topics(root / TOPICS_FILE, TOPICS_FILE)
    problems += found
    topics = {t.id: t for t in topics_model.topics} if topics_model else {}

    # a shared bibliography: only the entries the site cites are formatted (and checked so)
    format_all = settings.unused_references == "warn"
    load = cache.library if cache else load_library
    library, found = load(root / BIB_FILE, BIB_FILE, format_all=format_all, style=settings.citation_style)
    problems += found + style_problems(settings.citation_style)
    site, found = load_site(root)
    problems += found

    loaded: dict[str, LoadedClaim] = {}
    invalid_keys: set[str] = set()
    partials: list[crossref.Partial] = []  # claims that parsed but failed the model
    entries = claim_entries(root)
    known = before.files if before is not None else {}
    top = os.fspath(root)
    positions = Positions()  # this load's: where() on one claim after another re-reads one file
    for display, link in entries:
        placement = checks.placement(display[len(CLAIMS_DIR) + 1 :], link, display, topics)
        if placement:
            problems += placement
            continue
        file = f"{top}/{display}"
        if cache is not None:  # the fingerprint has read the file: a known digest is not read again
            claim, doc, found = cache.claim(file, display, known.get(display), positions)
        else:
            claim, doc, found = load_claim(Path(file), display, positions)
        problems += found
        if claim is None:
            invalid_keys |= raw_keys(doc)
            if doc is not None and isinstance(doc.data, dict):  # a salvaged file names only lists
                partials.append(crossref.Partial(display, file, doc.data))
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
    grades = reading.Grades.kept(cache)  # a warm load grades no text again
    problems += checks.corpus_rules(
        corpus, settings, also_cited=invalid_keys, partials=partials, grades=grades
    )
    grades.keep(cache)
    content = sorted(set(problems))
    # every claim file's id, valid or not: a broken file is not also reported as deleted
    names = (display.rpartition("/")[2] for display, _link in entries)
    present = {name_stem(name) for name in names if name_suffix(name) == CLAIM_SUFFIX}
    if cache:
        cache.save_claims()
        cache.remember_formatted(library)
        after = fingerprint(root, settings) if before is not None else None
        if before is not None and after is not None and after.key == before.key:  # nothing changed meanwhile
            cache.remember_checked(before.key, content, present)
            corpus.inputs = before.key
    return corpus, content


def present_claim_ids(root: Path) -> set[str]:
    """The id (file name) of every claim file in the tree, valid or not: a broken file is
    reported for what is wrong with it, never also as deleted."""
    names = (display.rpartition("/")[2] for display, _link in claim_entries(root))
    return {name_stem(name) for name in names if name_suffix(name) == CLAIM_SUFFIX}


def default_claim_path(root: Path, topic: str, claim_id: str) -> Path:
    return root / CLAIMS_DIR / topic / f"{claim_id}{CLAIM_SUFFIX}"
