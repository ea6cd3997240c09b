"""`mkdocs serve --dirty` (`make serve`): rebuild only the pages an edited claim changes.

MkDocs rebuilds every page on each change (13-27 s at 1,000 claims); its own `--dirty`
trusts file mtimes, which our generated pages do not have, and keeps pages a change
made stale. So in a dirty build the plugin decides for every page whether it is built:

- The first build in a process, or any change but the contents of claim files (a claim
  added or deleted, a topic, title-in-nav or source key changed, docs/, mkdocs.yml,
  references.bib, content/topics.yml or site.yml, templates, git's editions, the date),
  is a full build: every page built, the site folder emptied first, as a clean build.
- When only claim files' bytes changed, the pages built are those that read a changed
  claim (`GeneratedPage.reads`: a claim's page, its sources' pages, the pages listing
  it as a related claim or superseding one), plus every page that reads the whole
  corpus (hand-written pages, What changed, any page in the nav, any page we did not
  generate). Every other page keeps the file the previous build wrote and, for the
  sitemap and anchor checks, what it told MkDocs then.

tests/test_preview.py proves it: after each kind of edit the site folder equals a clean
build's, byte for byte.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.utils import clean_directory

from evidence.core.digest import file_digest
from evidence.load.corpus import Corpus, Settings
from evidence.render.page import GeneratedPage

#: MkDocs's warning on every dirty build, not true of ours (see `DirtyWarningFilter`).
DIRTY_WARNING = "A 'dirty' build is being performed"


@dataclass(frozen=True)
class Inputs:
    """What a build read, as digests: `rest` stands for everything but claim files' bytes."""

    rest: str
    claims: dict[str, str]  # claim id -> digest of its file's path and bytes


@dataclass(frozen=True)
class Kept:
    """What MkDocs needs of a page that is not built again: the sitemap's date, its anchors."""

    update_date: str
    anchors: frozenset[str] | None


@dataclass
class Built:
    """A finished dirty build: its inputs and, per page that may be skipped, what it read."""

    inputs: Inputs
    reads: dict[str, frozenset[str]]  # page src -> claim ids
    kept: dict[str, Kept] = field(default_factory=dict)


@dataclass
class Decision:
    """This build's plan: `skip` holds the pages kept from the previous build."""

    reason: str | None  # why every page is built; None: an incremental build
    changed: list[str] = field(default_factory=list)
    skip: set[str] = field(default_factory=set)
    kept: dict[str, Kept] = field(default_factory=dict)

    @property
    def full(self) -> bool:
        return self.reason is not None


def _walk(top: str, skip: set[str], out: list[str], claim_files: set[str]) -> None:
    """(path, digest) of every file below `top`, but dot folders, bytecode and `skip`."""
    for folder, dirs, names in os.walk(top):
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".") and d != "__pycache__" and os.path.join(folder, d) not in skip
        )
        for name in sorted(names):
            path = os.path.join(folder, name)
            if path in claim_files:
                continue
            try:
                with open(path, "rb") as handle:
                    out += (path, file_digest(handle.read()))
            except OSError as error:
                out += (path, f"unreadable {error.errno}")


def read_inputs(
    config: MkDocsConfig,
    corpus: Corpus,
    settings: Settings,
    options: Iterable[object],
    extra: Iterable[object],
) -> Inputs:
    """Every input of a build, as digests (content, not mtimes): the project folder and the
    folders the config names, the settings, the plugin options, the edition, the file list."""
    root = os.path.realpath(corpus.root)
    claims: dict[str, str] = {}
    paths: set[str] = set()
    for cid, loaded in sorted(corpus.loaded.items()):
        path = os.path.realpath(os.path.join(root, loaded.path))
        paths.add(path)
        try:
            with open(path, "rb") as handle:
                claims[cid] = file_digest(f"{loaded.path}\0".encode() + handle.read())
        except OSError:
            claims[cid] = "unreadable"
    records = [repr(settings), *map(repr, options), *map(repr, extra), config.site_url or ""]
    records += [str(config.use_directory_urls), os.environ.get("SOURCE_DATE_EPOCH", "")]
    # the structure pages share: which claims exist, their topics and the sources they cite
    claims_in_order = (lc.claim for _, lc in sorted(corpus.loaded.items()))
    records += [f"{c.id}\0{c.topic}\0{'|'.join(c.keys)}" for c in claims_in_order]
    site = os.path.realpath(config.site_dir)
    tops = [root, config.docs_dir, *(d for d in config.theme.dirs if "site-packages" not in d)]
    seen: set[str] = set()
    for top in tops:
        real = os.path.realpath(top)
        if real in seen or any(real.startswith(s + os.sep) for s in seen):
            continue
        seen.add(real)
        records.append(f"top {real}")
        _walk(real, {site}, records, paths)
    text = "\0".join(records).encode("utf-8", "surrogateescape")
    return Inputs(hashlib.blake2b(text, digest_size=20).hexdigest(), claims)


def theme_key(config: MkDocsConfig) -> str:
    """What MkDocs's theme environment compiles from, as a digest: its folders in order, the
    locale, and the bytes of every template outside site-packages (installed themes do not
    change while serving), so a serve rebuild may reuse the environment the last one made."""
    dirs = list(config.theme.dirs)
    records = [*dirs, str(config.theme.locale)]
    for top in dirs:
        if "site-packages" not in top:
            _walk(os.path.realpath(top), set(), records, set())
    text = "\0".join(records).encode("utf-8", "surrogateescape")
    return hashlib.blake2b(text, digest_size=20).hexdigest()


def decide(previous: Built | None, inputs: Inputs) -> Decision:
    """Full unless the previous build in this process had the same inputs but claim bytes."""
    if previous is None:
        return Decision("no earlier build in this process")
    if previous.inputs.rest != inputs.rest or previous.inputs.claims.keys() != inputs.claims.keys():
        return Decision("a change other than a claim file's contents")
    changed = sorted(c for c, digest in inputs.claims.items() if previous.inputs.claims[c] != digest)
    touched = set(changed)
    skip = {src for src, reads in previous.reads.items() if src in previous.kept and not reads & touched}
    return Decision(None, changed, skip, {src: previous.kept[src] for src in skip})


def mark_files(
    files: Files, decision: Decision, generated: dict[str, GeneratedPage], config: MkDocsConfig
) -> None:
    """Every file's `is_modified` answers our decision, never MkDocs's mtime test; static
    files from docs/ or the theme keep that test (they change only with a full build)."""
    folders = [os.path.realpath(d) + os.sep for d in (config.docs_dir, *config.theme.dirs)]
    for file in files:
        if file.is_documentation_page():
            built = decision.full or file.src_uri not in decision.skip or file.src_uri not in generated
            _answer(file, built)
        elif decision.full or file.generated_by is not None or not _under(file.abs_src_path, folders):
            _answer(file, True)


def _under(path: str | None, folders: list[str]) -> bool:
    return path is not None and any(os.path.realpath(path).startswith(f) for f in folders)


def _answer(file: File, modified: bool) -> None:
    file.is_modified = lambda: modified  # type: ignore[method-assign]


def unskip_nav_pages(nav: Navigation, decision: Decision) -> None:
    """A page in the nav is built: its title shows on every page's nav and footer."""
    for page in nav.pages:
        if page.file.src_uri in decision.skip:
            decision.skip.discard(page.file.src_uri)
            _answer(page.file, True)


def restore_kept(files: Files, decision: Decision) -> None:
    """What a page left unbuilt told MkDocs last time (before the sitemap is written)."""
    for file in files.documentation_pages():
        kept = decision.kept.get(file.src_uri)
        if file.src_uri in decision.skip and kept is not None and file.page is not None:
            file.page.update_date = kept.update_date
            file.page.present_anchor_ids = set(kept.anchors) if kept.anchors is not None else None


def remember(
    files: Files | None, decision: Decision, inputs: Inputs, generated: dict[str, GeneratedPage]
) -> Built:
    """After a build that finished: what the next one compares with and keeps."""
    built = Built(inputs, {src: page.reads for src, page in generated.items() if page.reads is not None})
    for file in files.documentation_pages() if files is not None else ():
        src = file.src_uri
        if src not in built.reads or file.page is None:
            continue
        if src in decision.skip:
            built.kept[src] = decision.kept[src]
        else:
            anchors = file.page.present_anchor_ids
            built.kept[src] = Kept(file.page.update_date, frozenset(anchors) if anchors is not None else None)
    return built


def empty_site(config: MkDocsConfig) -> None:
    """A full build starts from an empty folder, as a clean build: no page of a deleted claim stays."""
    clean_directory(config.site_dir)


def summary(decision: Decision, pages: int) -> str:
    if decision.full:
        return f"full rebuild: {decision.reason}"
    changed = ", ".join(decision.changed) or "none"
    return f"rebuilt {pages - len(decision.skip):,} of {pages:,} pages (claims changed: {changed})"


class DirtyWarningFilter(logging.Filter):
    """Drops MkDocs's dirty-build warning while `active`: the plugin decides what is built."""

    def __init__(self) -> None:
        super().__init__()
        self.active = False

    def filter(self, record: logging.LogRecord) -> bool:
        return not (self.active and record.getMessage().startswith(DIRTY_WARNING))
