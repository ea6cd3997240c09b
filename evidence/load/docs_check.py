"""`check`'s rules over docs pages (front matter, template syntax, names the macros look up,
where the cards are), memoised.

Every page is read as the build reads it (content/pagesource.py), which a check whose
content memo hit would otherwise do for nothing. The answer depends only on the pages'
bytes, on the names the pages may use (claim file names, topics.yml, references.bib) and
on what the card rules read of the claims (`placement.PageFacts`: each claim's topic and
whether it is retired), so it is kept in the cache under a digest of exactly those. The
facts come with the content check (`content_and_facts`): from the corpus a missed memo
loads, or, on a hit, from the cache beside the content memo, under the same fingerprint.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from evidence.content import siteconfig
from evidence.content.files import BIB_FILE, TOPICS_FILE
from evidence.core.problems import Problem, Severity
from evidence.load.codefiles import refuse_code_files
from evidence.load.corpus import Settings, fingerprint, load_corpus, present_claim_ids
from evidence.load.page_names import check_pages
from evidence.load.placement import PageFacts, facts, page_rules
from evidence.load.reading import PAGE_MEMO, Grades, page_reading

if TYPE_CHECKING:
    from evidence.content.pagesource import ParsedPage
    from evidence.load.cacheport import ClaimCache

MEMO = "pages"
FACTS = "page-facts"


def content_and_facts(
    root: Path, settings: Settings, cache: ClaimCache | None
) -> tuple[list[Problem], PageFacts]:
    """`corpus.check_content`, with the `PageFacts` of the same inputs: kept beside the content
    memo under its fingerprint, so a hit loads no claim; a miss loads the corpus once."""
    before = fingerprint(root, settings) if cache is not None else None
    memo = cache.checked(before.key) if cache is not None and before is not None else None
    saved = cache.load(FACTS) if cache is not None and memo is not None else None
    if memo is not None and isinstance(saved, dict) and before is not None and saved.get("key") == before.key:
        return memo[0] + refuse_code_files(root), PageFacts.from_rows(saved["rows"])
    corpus, problems = load_corpus(root, settings, cache=cache)
    found = facts(corpus)
    if cache is not None and corpus.inputs is not None:  # the fingerprint the content memo keeps
        cache.save(FACTS, {"key": corpus.inputs, "rows": found.rows()})
    return problems, found


def _key(root: Path, docs: Path, found: PageFacts) -> str | None:
    """A digest of every input of the rules; None when one cannot be read."""
    digest = hashlib.blake2b(digest_size=20)
    pages = sorted(docs.rglob("*.md")) if docs.is_dir() else []
    try:
        for path in [root / TOPICS_FILE, root / BIB_FILE, *pages]:
            data = path.read_bytes() if path.exists() else b"\0missing"
            digest.update(f"{path.relative_to(root).as_posix()}\0{len(data)}\0".encode() + data)
    except (OSError, ValueError):
        return None
    digest.update("\0".join(sorted(present_claim_ids(root))).encode())
    digest.update(repr(found.rows()).encode())
    return digest.hexdigest()


def read_pages(root: Path, docs: Path) -> list[ParsedPage]:
    """Every Markdown page under `docs`, read as the build reads it (paths from the project)."""
    from evidence.content import pagesource  # Jinja's parser: only when the memo misses

    pages = []
    for md in sorted(docs.rglob("*.md")) if docs.is_dir() else ():
        try:
            text = md.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue  # MkDocs reports an unreadable page itself
        pages.append(pagesource.parse(text, md.relative_to(root).as_posix()))
    return pages


def check_docs_pages(root: Path, cache: ClaimCache | None, found: PageFacts) -> list[Problem]:
    """Each page's own problems (pagesource), the names its macros look up (page_names) and
    its cards (placement: each active claim on its topic page once, no retired claim called);
    from the cache if no input changed."""
    value = siteconfig.mkdocs_config(root).get("docs_dir")
    docs = root / (value if isinstance(value, str) and value else "docs")
    key = _key(root, docs, found) if cache is not None else None
    saved = cache.load(MEMO) if cache is not None and key is not None else None
    if isinstance(saved, dict) and saved.get("key") == key:
        return [Problem(*row[:3], Severity(row[3]), *row[4:]) for row in saved["problems"]]

    pages = read_pages(root, docs)
    problems = [p for page in pages for p in page.problems] + check_pages(root, pages)
    prefix = docs.relative_to(root).as_posix() if docs.is_relative_to(root) else "docs"
    problems += page_rules(found, pages, prefix)
    # reading grade of the pages' own prose: the body the build renders, lines as in the file
    grades = Grades.kept(cache, PAGE_MEMO)
    problems += [q for page in pages for q in page_reading(page.body, page.path, page.offset, grades)]
    grades.keep(cache)
    if cache is not None and key is not None and _key(root, docs, found) == key:  # unchanged meanwhile
        rows = [(p.path, p.line, p.col, p.severity.value, p.message, p.rule, p.hint) for p in problems]
        cache.save(MEMO, {"key": key, "problems": rows})
    return problems
